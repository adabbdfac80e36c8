"""Reading a dump: bytes to text, and text to numbered lines.

Line breaks are ``\\r\\n``, ``\\r`` or ``\\n``, counted the way an editor
counts them. ``str.splitlines`` is not used on purpose: it also breaks on form
feeds, U+2028 and friends, which are text inside a comment, not line breaks.
"""

from __future__ import annotations

import codecs
import re
import sys
from dataclasses import dataclass, field

from .errors import InputError, ParseError
from .model import Layout

_BREAK = re.compile(r"(\r\n|\r|\n)")
_BOM = "\ufeff"
_RECORD_ERRORS = "thread-record-offsets"
_bad_offsets: list[int] = []


def _record_and_replace(error: UnicodeDecodeError) -> tuple[str, int]:
    _bad_offsets.append(error.start)
    return "\ufffd", error.end


codecs.register_error(_RECORD_ERRORS, _record_and_replace)


@dataclass(slots=True)
class SourceText:
    """The lines of one input, without their line breaks."""

    name: str
    lines: list[str]
    layout: Layout = field(default_factory=Layout)
    warnings: list[str] = field(default_factory=list)


def decode(data: bytes, name: str = "-", *, strict: bool = False) -> SourceText:
    """Decode UTF-8 (with or without a BOM) and split it into lines.

    Invalid bytes become U+FFFD with one warning naming the first byte
    offset; with ``strict`` they are a ParseError instead.
    """
    warnings: list[str] = []
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        if strict:
            line = data.count(b"\n", 0, error.start) + 1
            column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
            raise ParseError(
                f"invalid UTF-8 at byte offset {error.start}",
                source=name,
                line=line,
                column=column,
                hint="the file is not UTF-8; convert it (iconv -f LATIN1 -t UTF-8) or drop --strict",
            ) from None
        _bad_offsets.clear()
        text = data.decode("utf-8", _RECORD_ERRORS)
        offsets = list(_bad_offsets)
        _bad_offsets.clear()
        more = f" and {len(offsets) - 1} more place(s)" if len(offsets) > 1 else ""
        warnings.append(
            f"{name}: invalid UTF-8 at byte offset {offsets[0]}{more}; replaced with U+FFFD"
        )
    source = split_lines(text, name)
    source.warnings[:0] = warnings
    return source


def split_lines(text: str, name: str = "-") -> SourceText:
    layout = Layout()
    if text.startswith(_BOM):
        layout.bom = True
        text = text[1:]
    parts = _BREAK.split(text)
    # parts alternate: line, break, line, break, ..., last line
    lines = parts[0::2]
    breaks = parts[1::2]
    if breaks:
        layout.newline = breaks[0]
        layout.other_endings = {
            number: ending
            for number, ending in enumerate(breaks, start=1)
            if ending != layout.newline
        }
    if lines and lines[-1] == "":
        lines.pop()
        layout.final_newline = True
    else:
        layout.final_newline = False
    return SourceText(name=name, lines=lines, layout=layout)


def read_source(path: str, *, strict: bool = False) -> SourceText:
    """Read a file, or standard input when ``path`` is ``-``."""
    if path == "-":
        data = sys.stdin.buffer.read()
    else:
        try:
            with open(path, "rb") as stream:
                data = stream.read()
        except FileNotFoundError:
            raise InputError(f"{path}: no such file") from None
        except IsADirectoryError:
            raise InputError(f"{path}: is a directory") from None
        except OSError as error:
            raise InputError(f"{path}: cannot read: {error.strerror or error}") from None
    return decode(data, path, strict=strict)
