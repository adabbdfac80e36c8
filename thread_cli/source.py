"""Reading a dump: bytes to text, and text to numbered lines.

Line breaks are ``\\r\\n``, ``\\r`` or ``\\n``, counted the way an editor
counts them. ``str.splitlines`` is not used on purpose: it also breaks on form
feeds, U+2028 and friends, which are text inside a comment, not line breaks.

One splitter (:class:`LineSplitter`) serves both readers: :class:`SourceText`
holds every line (what the reading view needs), :class:`StreamSource` reads
a file piece by piece and keeps only the lines still to come and a few
behind, so an export of a huge dump runs in little memory. Invalid UTF-8
becomes U+FFFD and one Problem, or with ``strict`` a ParseError.
"""

from __future__ import annotations

import codecs
import contextvars
import itertools
import re
import sys
from typing import BinaryIO, Iterator

from .errors import InputError, ParseError
from .model import Layout
from .problems import Problem

_BREAK = re.compile(r"(\r\n|\r|\n)")
_BOM = "\ufeff"
_CHUNK = 1 << 20
_RECORD_ERRORS = "thread-record-offsets"
# Where the decoder in progress records the offsets of invalid bytes: a
# codec error handler is registered by name, once, so it finds its list here.
_bad_offsets: contextvars.ContextVar[list[int]] = contextvars.ContextVar("thread_bad_offsets")


def _record_and_replace(error: UnicodeDecodeError) -> tuple[str, int]:
    _bad_offsets.get().append(error.start)
    return "\ufffd", error.end


codecs.register_error(_RECORD_ERRORS, _record_and_replace)


class LineSplitter:
    """Text pieces in, lines out; records the line endings and BOM in ``layout``."""

    def __init__(self) -> None:
        self.layout = Layout()
        self.breaks = 0  # line breaks seen so far
        self.carry = ""  # the unfinished last line
        self._first = True

    def lines(self, text: str, final: bool = False) -> list[str]:
        """The lines that ``text`` completes (with ``final``, the last one too)."""
        layout = self.layout
        if self._first and text:
            self._first = False
            if text.startswith(_BOM):
                layout.bom = True
                text = text[1:]
        text = self.carry + text
        if not final and text.endswith("\r"):
            # "\r" then "\n" may straddle two pieces: decide with the next one.
            self.carry = "\r"
            text = text[:-1]
        else:
            self.carry = ""
        if "\r" not in text:
            # The common case, and much faster than a regular expression.
            lines = text.split("\n")
            if layout.newline != "\n" and self.breaks:
                layout.other_endings.update((self.breaks + i, "\n") for i in range(1, len(lines)))
            self.breaks += len(lines) - 1
        else:
            parts = _BREAK.split(text)
            lines = parts[0::2]
            for ending in parts[1::2]:
                self.breaks += 1
                if self.breaks == 1:
                    layout.newline = ending
                elif ending != layout.newline:
                    layout.other_endings[self.breaks] = ending
        tail = lines.pop()
        if final:
            layout.final_newline = tail == "" and self.breaks > 0
            if tail:
                lines.append(tail)
            layout.line_count = self.breaks + (1 if tail else 0)
        else:
            self.carry = tail + self.carry
        return lines


class SourceText:
    """All the lines of one input, without their line breaks.

    ``problems`` holds what decoding found (invalid UTF-8).
    """

    def __init__(self, name: str, lines: list[str], layout: Layout | None = None,
                 problems: tuple[Problem, ...] = ()) -> None:
        self.name = name
        self.lines = lines
        self.layout = layout or Layout(line_count=len(lines))
        self.problems = problems

    def numbered(self) -> Iterator[tuple[int, str]]:
        return enumerate(self.lines, start=1)

    def line_text(self, number: int) -> str:
        return self.lines[number - 1] if 0 < number <= len(self.lines) else ""

    @property
    def line_count(self) -> int:
        return len(self.lines)


class StreamSource:
    """The lines of a file, read as they are needed.

    Keeps the piece being parsed and the one before (for error messages),
    never the whole file. ``problems`` is complete once every line was read.
    """

    def __init__(self, name: str, stream: BinaryIO, *, strict: bool = False) -> None:
        self.name = name
        self.problems: tuple[Problem, ...] = ()
        self._stream = stream
        self._strict = strict
        self._splitter = LineSplitter()
        self.layout = self._splitter.layout
        self._current: list[str] = []
        self._current_start = 1  # line number of self._current[0]
        self._previous: list[str] = []
        self.line_count = 0

    def numbered(self) -> Iterator[tuple[int, str]]:
        for batch in self._batches():
            self._previous, self._current = self._current, batch
            self._current_start = self.line_count + 1
            start = self.line_count + 1
            self.line_count += len(batch)
            yield from enumerate(batch, start)

    def line_text(self, number: int) -> str:
        index = number - self._current_start
        if 0 <= index < len(self._current):
            return self._current[index]
        if -len(self._previous) <= index < 0:
            return self._previous[index]
        return ""

    def _batches(self) -> Iterator[list[str]]:
        decoder = codecs.getincrementaldecoder("utf-8")("strict" if self._strict else _RECORD_ERRORS)
        splitter, name = self._splitter, self.name
        offset = 0  # bytes consumed before the current chunk
        bad: list[int] = []
        token = _bad_offsets.set([])
        try:
            while True:
                try:
                    chunk = self._stream.read(_CHUNK)
                except OSError as error:
                    raise InputError(f"{name}: cannot read: {error.strerror or error}") from None
                final = not chunk
                pending = decoder.getstate()[0]
                try:
                    text = decoder.decode(chunk, final)
                except UnicodeDecodeError as error:
                    raise ParseError(self._invalid_at(offset - len(pending) + error.start, error)) from None
                found = _bad_offsets.get()
                if found:
                    if not bad:
                        first_place = self._place_in(pending + chunk, found[0])
                    bad.extend(offset - len(pending) + start for start in found)
                    found.clear()
                offset += len(chunk)
                lines = splitter.lines(text, final)
                if lines:
                    yield lines
                if final:
                    break
        finally:
            _bad_offsets.reset(token)
            if self._stream is not sys.stdin.buffer:
                self._stream.close()
        if bad:
            self.problems = (_replaced(self.name, bad, *first_place, ""),)

    def _place_in(self, data: bytes, start: int) -> tuple[int, int]:
        """Line and column of byte ``start`` of ``data``, the bytes that follow
        everything the splitter has seen."""
        line, column = _position(data, start)
        if line == 1:
            column += len(self._splitter.carry)
        return self._splitter.breaks + line, column

    def _invalid_at(self, offset: int, error: UnicodeDecodeError) -> Problem:
        return _invalid(self.name, offset, *self._place_in(error.object, error.start), "")


def decode(data: bytes, name: str = "-", *, strict: bool = False) -> SourceText:
    """Decode UTF-8 (with or without a BOM) and split it into lines.

    Invalid bytes become U+FFFD with one Problem naming the first byte
    offset; with ``strict`` they are a ParseError instead.
    """
    problems: tuple[Problem, ...] = ()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = _position(data, error.start)
        if strict:
            raise ParseError(_invalid(name, error.start, line, column, _line_at(data, error.start))) from None
        token = _bad_offsets.set([])
        try:
            text = data.decode("utf-8", _RECORD_ERRORS)
            offsets = _bad_offsets.get()
        finally:
            _bad_offsets.reset(token)
        line, column = _position(data, offsets[0])
        problems = (_replaced(name, offsets, line, column, _line_at(data, offsets[0])),)
    source = split_lines(text, name)
    source.problems = problems
    return source


def split_lines(text: str, name: str = "-") -> SourceText:
    splitter = LineSplitter()
    lines = splitter.lines(text, final=True)
    return SourceText(name, lines, splitter.layout)


def read_source(path: str, *, strict: bool = False) -> SourceText:
    """Read a whole file, or standard input when ``path`` is ``-``."""
    if path == "-":
        try:
            data = sys.stdin.buffer.read()
        except (OSError, ValueError, AttributeError) as error:
            raise InputError(f"-: cannot read standard input: {getattr(error, 'strerror', None) or error}") from None
    else:
        with open_input(path) as stream:
            try:
                data = stream.read()
            except OSError as error:
                raise InputError(f"{path}: cannot read: {error.strerror or error}") from None
    return decode(data, path, strict=strict)


def stream_source(path: str, *, strict: bool = False) -> StreamSource:
    """A file (or stdin for ``-``) to be read line by line as it is parsed."""
    stream = sys.stdin.buffer if path == "-" else open_input(path)
    return StreamSource(path, stream, strict=strict)


def open_input(path: str) -> BinaryIO:
    try:
        return open(path, "rb")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory") from None
    except OSError as error:
        raise InputError(f"{path}: cannot read: {error.strerror or error}") from None


def _position(data: bytes, offset: int) -> tuple[int, int]:
    """The 1-based line and column (in characters) of byte ``offset``; every
    kind of line break counts."""
    before = data[:offset]
    breaks = before.count(b"\n") + before.count(b"\r") - before.count(b"\r\n")
    start = max(before.rfind(b"\n"), before.rfind(b"\r")) + 1
    return breaks + 1, len(before[start:].decode("utf-8", "replace")) + 1


def _line_at(data: bytes, offset: int) -> str:
    start = max(data.rfind(b"\n", 0, offset), data.rfind(b"\r", 0, offset)) + 1
    ends = [end for end in (data.find(b"\n", offset), data.find(b"\r", offset)) if end >= 0]
    return data[start: min(ends) if ends else len(data)].decode("utf-8", "replace")


def _invalid(name: str, offset: int, line: int, column: int, line_text: str) -> Problem:
    return Problem(
        f"invalid UTF-8 at byte offset {offset}", source=name, line=line, column=column, line_text=line_text,
        hint="the file is not UTF-8; convert it (iconv -f LATIN1 -t UTF-8) or drop --strict",
    )


def _replaced(name: str, offsets: list[int], line: int, column: int, line_text: str) -> Problem:
    more = f" and {len(offsets) - 1} more place(s)" if len(offsets) > 1 else ""
    return Problem(
        f"invalid UTF-8 at byte offset {offsets[0]}{more}", source=name, line=line, column=column,
        line_text=line_text, repair="replaced with U+FFFD",
    )
