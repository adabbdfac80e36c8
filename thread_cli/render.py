"""Turning the view's rows into output: through Rich for a terminal, or plain.

Both produce string chunks, one per block (the article, then one per
comment), so the CLI can stream them to stdout or a pager as they come.
"""

from __future__ import annotations

import io
import os
import re
import zlib
from typing import Iterable, Iterator, Mapping

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


def terminal_color_system(environ: Mapping[str, str] | None = None) -> str:
    """"truecolor", "256" or "standard": what the terminal says it can show
    (COLORTERM, then TERM, as Rich reads them). Asked only once colour is
    wanted, so a terminal that says nothing gets the 16 standard colours."""
    environ = os.environ if environ is None else environ
    if environ.get("COLORTERM", "").strip().lower() in ("truecolor", "24bit"):
        return "truecolor"
    if environ.get("TERM", "").lower().endswith(("-256color", "-256")):
        return "256"
    return "standard"


def rich_chunks(blocks: Iterable[Block], *, width: int, color_system: str | None = "standard") -> Iterator[str]:
    """The view with colour, bold and hyperlinks, rendered by Rich.

    ``color_system`` is "standard", "256" or "truecolor" (see
    terminal_color_system); the rows must have been laid out for it (authors'
    colours beyond the 16 standard ones only from "256" up). ``None`` gives
    the text with no escape codes. The caller has already decided that colour
    is wanted (``--color``), so NO_COLOR and TERM are not consulted again here.
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
