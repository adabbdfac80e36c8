"""The one path every user-supplied string takes before it reaches a terminal.

Comments are written by strangers. A comment must not be able to move the
cursor, set the window title, write the clipboard (OSC 52), plant a link
(OSC 8) or reverse the reading order of what follows it. So control
characters are shown in caret notation (ESC becomes ``^[``; the rest of an
escape sequence is then plain, harmless text), C1 controls as ``\\x9b``, and
bidirectional overrides and invisible format characters as ``<U+202E>``-style
markers, and so are the bidi marks (U+200E, U+200F, U+061C) and the Hangul
fillers that draw as blank space (U+115F, U+3164, U+FFA0). Emoji sequences
(ZWJ, flag tags) and every script are left alone.

Exports (json, csv, text) keep the exact input in a file or a pipe; only
printed to a terminal do they come through here (:func:`terminal_chunks`).
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator

# C0 controls except tab and newline, DEL, C1 controls; bidi embeddings,
# overrides and isolates; invisible characters with no business in a comment;
# tag characters (allowed only inside an emoji flag sequence, see below).
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f"
    "\u202a-\u202e\u2066-\u2069"
    "\u200b\u2028\u2029\u2060-\u2064\ufeff\u180e\ufff9-\ufffb"
    "\u200e\u200f\u061c"
    "]"
    "|[\U000e0000-\U000e007f]"
)
# Hangul fillers draw as blank space but are letters to Python (printable),
# so they are kept apart from _UNSAFE, which holds only non-printable ones.
_FILLERS = (_CHOSEONG_FILLER, _HANGUL_FILLER, _HALFWIDTH_FILLER) = ("\u115f", "\u3164", "\uffa0")
_SHOWN = re.compile(f"{_UNSAFE.pattern}|[{''.join(_FILLERS)}]")
# A flag sequence: black flag, tags, cancel tag. Tags elsewhere are hidden text.
_FLAG_TAGS = re.compile("\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f")


def _visible(char: str) -> str:
    code = ord(char)
    if code < 0x20:
        return "^" + chr(code + 0x40)
    if code == 0x7F:
        return "^?"
    if code <= 0x9F:
        return f"\\x{code:02x}"
    return f"<U+{code:04X}>"


def _pieces(text: str) -> list[tuple[str, bool]]:
    """Split ``text`` into (piece, is_marker) pairs."""
    pieces: list[tuple[str, bool]] = []
    position = 0
    # Tags are allowed only inside a whole flag sequence (black flag, tags,
    # cancel tag); every other tag character is shown, one marker each.
    flags = [match.span() for match in _FLAG_TAGS.finditer(text)] if "\U0001f3f4" in text else []
    for match in _SHOWN.finditer(text):
        start, end = match.span()
        if any(flag_start < start and end <= flag_end for flag_start, flag_end in flags):
            continue
        if start > position:
            pieces.append((text[position:start], False))
        pieces.append(("".join(_visible(char) for char in match.group()), True))
        position = end
    if position < len(text):
        pieces.append((text[position:], False))
    return pieces


def sanitize(text: str) -> str:
    """``text`` with every unsafe character replaced by a visible form."""
    # Every _UNSAFE character is non-printable to Python (a test checks), and
    # most text is printable: str.isprintable and three substring tests
    # answer in half the time of the expression.
    if (text.isprintable() and not _has_filler(text)) or _SHOWN.search(text) is None:
        return text
    return "".join(piece for piece, _ in _pieces(text))


def sanitize_line(text: str) -> str:
    """:func:`sanitize` for what must stay on one line (a file name, a
    message): a line break is shown too (``^J``), so a name such as
    ``"x\nbad.txt: ok"`` cannot forge a line of output."""
    return sanitize(text).replace("\n", "^J")


def _has_filler(text: str) -> bool:
    # Written out: a generator over _FILLERS costs four times as much, on
    # every line a view shows.
    return _CHOSEONG_FILLER in text or _HANGUL_FILLER in text or _HALFWIDTH_FILLER in text


def terminal_text(text: str) -> str:
    """Whole lines of an export made safe to print on a terminal: CRLF line
    ends (CSV's) become LF, and every other unsafe character is shown."""
    return sanitize(text.replace("\r\n", "\n"))


def terminal_chunks(chunks: Iterable[str]) -> Iterator[str]:
    """An export's chunks made safe to print on a terminal.

    CRLF line ends (CSV's) become LF, which a terminal shows the same way;
    every other carriage return is shown (it would let a line overwrite
    itself), like any unsafe character.
    """
    held = ""  # a CR at the end of a chunk: its LF may start the next one
    for chunk in chunks:
        text = held + chunk
        held = "\r" if text.endswith("\r") else ""
        yield terminal_text(text[:len(text) - len(held)])
    if held:
        yield sanitize(held)
