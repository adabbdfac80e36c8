"""Turning the view's rows into output: through Rich for a terminal, or plain.

Both produce string chunks, one per block (the article, then one per
comment), so the CLI can stream them to stdout or a pager as they come.
"""

from __future__ import annotations

import io
from typing import Iterable, Iterator

from .layout import Row

Block = list[Row]


def plain_chunks(blocks: Iterable[Block]) -> Iterator[str]:
    """The view as plain text: the same layout, no escape codes."""
    for block in blocks:
        yield "".join("".join(text for text, _ in row) + "\n" for row in block)


def rich_chunks(blocks: Iterable[Block], *, width: int, color_system: str | None = "auto") -> Iterator[str]:
    """The view with colour, bold and hyperlinks, rendered by Rich."""
    from rich.console import Console
    from rich.text import Text

    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width,
        force_terminal=True,
        color_system=color_system,
        highlight=False,
        emoji=False,
        markup=False,
        legacy_windows=False,
    )
    newline = Text("\n")
    for block in blocks:
        text = newline.join(Text.assemble(*row) for row in block)
        console.print(text, soft_wrap=True)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
