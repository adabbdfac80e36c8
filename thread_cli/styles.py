"""What the terminal view, the reader (browse) and the HTML export share
about how text looks: each author's colour, and which text is a link.

Kept apart from layout.py so that the HTML export and the reader's outline
load neither the terminal view nor Rich.
"""

from __future__ import annotations

import re
import zlib
from typing import Iterable

# The palette for terminals with 256 colours or more (and the HTML export):
# xterm colour numbers in hue order, neighbours apart in hue or in lightness,
# each with a contrast of at least 2.7:1 both on white and on a dark grey
# (#1e1e1e), so that bold names read on light and dark themes alike. No cyan
# or teal: no author looks like an id.
WIDE_COLOURS = (196, 166, 130, 136, 100, 70, 28, 63, 141, 134, 164, 205, 161)
# An http(s) URL in running text; closing quotes and brackets around it
# are left out.
URL = re.compile(r"https?://[^\s<>\"”’)\]]+")


def name_hash(name: str) -> int:
    """The same on every run and machine (CRC-32, not ``hash``); case-insensitive."""
    return zlib.crc32(name.casefold().encode("utf-8", "surrogatepass"))


def author_colours(names: Iterable[str]) -> dict[str, int]:
    """Each author's slot in WIDE_COLOURS, by casefolded name: distinct for up
    to len(WIDE_COLOURS) authors, and spread evenly around the colour wheel,
    so that no two look alike.

    The authors are ordered by a hash of their names (not alphabetically, not
    by appearance), then dealt out evenly: a thread's colours depend only on
    who is in it, and a filtered view coloured from its whole thread keeps them.
    """
    keys = sorted({name.casefold() for name in names}, key=lambda key: (name_hash(key), key))
    size = len(WIDE_COLOURS)
    return {key: position * size // len(keys) for position, key in enumerate(keys)}
