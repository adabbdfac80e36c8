"""Reading a dump: bytes to text, and text to numbered lines.

Line breaks are ``\\r\\n``, ``\\r`` or ``\\n``, counted the way an editor
counts them. ``str.splitlines`` is not used on purpose: it also breaks on form
feeds, U+2028 and friends, which are text inside a comment, not line breaks.

Two readers share one interface: :class:`SourceText` holds every line (what
the reading view and the recovering parser need), :class:`StreamSource` reads
a file piece by piece and keeps only the lines still to come and a few behind,
so an export of a huge dump runs in little memory.
"""

from __future__ import annotations

import codecs
import collections
import itertools
import re
import sys
from typing import BinaryIO, Iterator

from .errors import InputError, ParseError
from .model import Layout

_BREAK = re.compile(r"(\r\n|\r|\n)")
_BOM = "\ufeff"
_CHUNK = 1 << 20
_RECORD_ERRORS = "thread-record-offsets"
_bad_offsets: list[int] = []


def _record_and_replace(error: UnicodeDecodeError) -> tuple[str, int]:
    _bad_offsets.append(error.start)
    return "\ufffd", error.end


codecs.register_error(_RECORD_ERRORS, _record_and_replace)


class SourceText:
    """All the lines of one input, without their line breaks."""

    def __init__(self, name: str, lines: list[str], layout: Layout | None = None) -> None:
        self.name = name
        self.lines = lines
        self.layout = layout or Layout()
        self.warnings: list[str] = []
        self.trailing_blanks: list[str] = []  # set by the lexer at the end

    def numbered(self) -> Iterator[tuple[int, str]]:
        return enumerate(self.lines, start=1)

    def following(self, number: int) -> Iterator[str]:
        """The lines after line ``number``, for the lexer's look-ahead."""
        return itertools.islice(self.lines, number, None)

    def line_text(self, number: int) -> str:
        return self.lines[number - 1] if 0 < number <= len(self.lines) else ""

    @property
    def line_count(self) -> int:
        return len(self.lines)


class StreamSource:
    """The lines of a file, read as they are needed.

    Lines come in batches (one per chunk read). It keeps the batches the
    lexer has looked ahead into and the one before the current (for error
    messages), never the whole file.
    """

    def __init__(self, name: str, stream: BinaryIO, *, strict: bool = False, first_line: int = 1) -> None:
        """``first_line`` numbers the stream's first line, when it starts inside a file."""
        self.name = name
        self.layout = Layout()
        self.warnings: list[str] = []
        self.trailing_blanks: list[str] = []  # set by the lexer at the end
        self._batches = _read_batches(stream, name, self.layout, self.warnings, strict)
        self._ahead: collections.deque[list[str]] = collections.deque()
        self._current: list[str] = []
        self._current_start = first_line  # line number of self._current[0]
        self._previous: list[str] = []
        self.line_count = first_line - 1

    def close(self) -> None:
        """Stop reading (the file is closed, and the warnings so far are in ``warnings``)."""
        self._batches.close()

    def _next_batch(self) -> list[str] | None:
        if self._ahead:
            return self._ahead.popleft()
        return next(self._batches, None)

    def numbered(self) -> Iterator[tuple[int, str]]:
        while True:
            batch = self._next_batch()
            if batch is None:
                return
            self._previous, self._current = self._current, batch
            self._current_start = self.line_count + 1
            start = self.line_count + 1
            self.line_count += len(batch)
            yield from enumerate(batch, start)

    def following(self, number: int) -> Iterator[str]:
        """Lines after line ``number`` (the current one); batches read ahead are kept."""
        yield from itertools.islice(self._current, number - self._current_start + 1, None)
        yield from itertools.chain.from_iterable(list(self._ahead))
        for batch in self._batches:
            self._ahead.append(batch)
            yield from batch

    def line_text(self, number: int) -> str:
        index = number - self._current_start
        if 0 <= index < len(self._current):
            return self._current[index]
        if -len(self._previous) <= index < 0:
            return self._previous[index]
        return ""


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
            raise _invalid_utf8(data, error.start, name) from None
        _bad_offsets.clear()
        text = data.decode("utf-8", _RECORD_ERRORS)
        warnings.append(_invalid_utf8_warning(name, list(_bad_offsets)))
        _bad_offsets.clear()
    source = split_lines(text, name)
    source.warnings[:0] = warnings
    return source


def split_lines(text: str, name: str = "-") -> SourceText:
    layout = Layout()
    if text.startswith(_BOM):
        layout.bom = True
        text = text[1:]
    if "\r" not in text:
        # The common case, and much faster than a regular expression.
        lines = text.split("\n")
        layout.newline = "\n"
        breaks = len(lines) - 1
    else:
        parts = _BREAK.split(text)
        lines = parts[0::2]
        endings = parts[1::2]
        breaks = len(endings)
        if endings:
            layout.newline = endings[0]
            layout.other_endings = {
                number: ending for number, ending in enumerate(endings, start=1) if ending != layout.newline
            }
    if not text:
        lines = []
    elif lines[-1] == "" and breaks:
        lines.pop()
        layout.final_newline = True
    else:
        layout.final_newline = False
    return SourceText(name, lines, layout)


def read_source(path: str, *, strict: bool = False) -> SourceText:
    """Read a whole file, or standard input when ``path`` is ``-``."""
    if path == "-":
        try:
            data = sys.stdin.buffer.read()
        except OSError as error:
            raise InputError(f"-: cannot read standard input: {error.strerror or error}") from None
    else:
        with _open(path) as stream:
            data = stream.read()
    return decode(data, path, strict=strict)


def stream_source(path: str, *, strict: bool = False) -> StreamSource:
    """A file (or stdin for ``-``) to be read line by line as it is parsed."""
    stream = sys.stdin.buffer if path == "-" else _open(path)
    return StreamSource(path, stream, strict=strict)


def _open(path: str) -> BinaryIO:
    try:
        return open(path, "rb")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory") from None
    except OSError as error:
        raise InputError(f"{path}: cannot read: {error.strerror or error}") from None


def _read_batches(stream: BinaryIO, name: str, layout: Layout, warnings: list[str], strict: bool) -> Iterator[list[str]]:
    """Decode and split a byte stream into lines, a chunk's worth at a time,
    recording the layout on the way."""
    decoder = codecs.getincrementaldecoder("utf-8")("strict" if strict else _RECORD_ERRORS)
    offset = 0  # bytes consumed before the current chunk
    number = 0  # line breaks seen so far
    carry = ""  # the unfinished last line of the previous chunk
    bad: list[int] = []
    first = True
    try:
        while True:
            try:
                chunk = stream.read(_CHUNK)
            except OSError as error:
                raise InputError(f"{name}: cannot read: {error.strerror or error}") from None
            final = not chunk
            pending = len(decoder.getstate()[0])
            _bad_offsets.clear()
            try:
                text = decoder.decode(chunk, final)
            except UnicodeDecodeError as error:
                raise _invalid_utf8(b"", offset - pending + error.start, name, known_line=number + 1) from None
            bad.extend(offset - pending + start for start in _bad_offsets)
            offset += len(chunk)
            if first and text:
                first = False
                if text.startswith(_BOM):
                    layout.bom = True
                    text = text[1:]
            text = carry + text
            if not final and text.endswith("\r"):
                # "\r" then "\n" may straddle two chunks: decide with the next one.
                carry, text = "\r", text[:-1]
                if not text:
                    continue
            else:
                carry = ""
            if "\r" not in text:
                lines = text.split("\n")
                if number == 0 and len(lines) > 1:
                    layout.newline = "\n"
                elif layout.newline != "\n":
                    layout.other_endings.update((number + i, "\n") for i in range(1, len(lines)))
                number += len(lines) - 1
            else:
                parts = _BREAK.split(text)
                lines = parts[0::2]
                for ending in parts[1::2]:
                    number += 1
                    if number == 1:
                        layout.newline = ending
                    elif ending != layout.newline:
                        layout.other_endings[number] = ending
            tail = lines.pop()
            if final:
                layout.final_newline = tail == "" and number > 0
                if tail:
                    lines.append(tail)
                if lines:
                    yield lines
                return
            if lines:
                yield lines
            carry = tail + carry
    finally:
        if bad:
            warnings.append(_invalid_utf8_warning(name, bad))
        if stream is not sys.stdin.buffer:
            stream.close()


def _invalid_utf8(data: bytes, offset: int, name: str, known_line: int | None = None) -> ParseError:
    if known_line is None:
        line = data.count(b"\n", 0, offset) + 1
        column = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    else:
        line, column = known_line, 1
    return ParseError(
        f"invalid UTF-8 at byte offset {offset}",
        source=name,
        line=line,
        column=column,
        hint="the file is not UTF-8; convert it (iconv -f LATIN1 -t UTF-8) or drop --strict",
    )


def _invalid_utf8_warning(name: str, offsets: list[int]) -> str:
    more = f" and {len(offsets) - 1} more place(s)" if len(offsets) > 1 else ""
    return f"{name}: invalid UTF-8 at byte offset {offsets[0]}{more}; replaced with U+FFFD"
