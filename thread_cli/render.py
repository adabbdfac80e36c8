"""Turning the view's rows into output: through Rich for a terminal, or plain.

Both produce string chunks, one per block (the article, then one per
comment), so the CLI can stream them to stdout or a pager as they come.
"""

from __future__ import annotations

import io
import re
import zlib
from typing import Iterable, Iterator

from .layout import Row

Block = list[Row]


def plain_chunks(blocks: Iterable[Block]) -> Iterator[str]:
    """The view as plain text: the same layout, no escape codes."""
    # One flat list per block: twice as fast as joining each row.
    for block in blocks:
        parts: list[str] = []
        append = parts.append
        for row in block:
            for text, _ in row:
                append(text)
            append("\n")
        yield "".join(parts)


# The opening of an OSC 8 hyperlink as Rich writes it. User text cannot
# contain ESC (sanitize.py shows it as "^["), so every match is Rich's own.
_LINK_OPEN = re.compile("\x1b\\]8;id=[^;\x1b]*;([^\x1b]*)\x1b\\\\")


def _stable_link_ids(text: str) -> str:
    """Rich numbers links at random; number them by their URL instead, so the
    output is the same on every run and both halves of a wrapped URL are one link."""
    if "\x1b]8;" not in text:
        return text
    return _LINK_OPEN.sub(
        lambda match: f"\x1b]8;id={zlib.crc32(match.group(1).encode('utf-8', 'surrogateescape')):08x};"
        f"{match.group(1)}\x1b\\",
        text,
    )


def rich_chunks(blocks: Iterable[Block], *, width: int, color_system: str | None = "standard") -> Iterator[str]:
    """The view with colour, bold and hyperlinks, rendered by Rich.

    The view only uses the 16 standard colours, so ``"standard"`` gives the
    same bytes on every terminal; ``None`` gives the text with no escape codes.
    The caller has already decided that colour is wanted (``--color``), so
    NO_COLOR and TERM are not consulted again here.
    """
    from rich.console import Console
    from rich.text import Text

    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width,
        force_terminal=True,
        color_system=color_system,
        no_color=False,
        highlight=False,
        emoji=False,
        markup=False,
        legacy_windows=False,
    )
    newline = Text("\n")
    for block in blocks:
        text = newline.join(Text.assemble(*row) for row in block)
        console.print(text, soft_wrap=True)
        yield _stable_link_ids(buffer.getvalue())
        buffer.seek(0)
        buffer.truncate()
