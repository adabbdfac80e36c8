"""Reading a dump: bytes to text, and text to numbered lines.

Line breaks are ``\\r\\n``, ``\\r`` or ``\\n``, counted the way an editor
counts them. ``str.splitlines`` is not used on purpose: it also breaks on form
feeds, U+2028 and friends, which are text inside a comment, not line breaks.

One splitter (:class:`LineSplitter`) serves both readers: :class:`SourceText`
holds every line (what the reading view needs), :class:`StreamSource` reads
a file piece by piece and keeps only the lines still to come and a few
behind, so an export of a huge dump runs in little memory. Invalid UTF-8
becomes U+FFFD and one Problem, or with ``strict`` a ParseError.

A dump is UTF-8, or UTF-16 or UTF-32 when it starts with that byte order
mark (the BOM says what the bytes are); ``encoding`` tells which, so the
text export can write the same bytes back. Without a BOM, bytes that look
like UTF-16 are still invalid UTF-8, with a hint that names UTF-16.
"""

from __future__ import annotations

import codecs
import contextlib
import contextvars
import re
import sys
from typing import BinaryIO, Iterator

from .errors import InputError, ParseError
from .model import Layout
from .problems import Problem

_BREAK = re.compile(r"(\r\n|\r|\n)")
_BOM = "\ufeff"
_CHUNK = 1 << 20
_LINE_WINDOW = 1 << 16  # how much of a line a problem quotes after the bad byte
# Longest first: the UTF-32-LE mark starts with the UTF-16-LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
)
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

    ``problems`` holds what decoding found (invalid UTF-8); ``layout.encoding``
    is what the bytes were (see the module's docstring).
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
        self._hint: str | None = None

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
        splitter = self._splitter
        offset = 0  # bytes consumed before the current chunk
        bad: list[int] = []
        token = _bad_offsets.set([])
        try:
            chunk = self._first_piece()
            self.layout.encoding = _encoding_of(chunk)
            self._hint = _hint_for(chunk, self.layout.encoding)
            decoder = codecs.getincrementaldecoder(self.layout.encoding)("strict" if self._strict else _RECORD_ERRORS)
            while True:
                final = not chunk
                pending = decoder.getstate()[0]
                try:
                    text = decoder.decode(chunk, final)
                except UnicodeDecodeError as error:
                    raise ParseError(self._invalid_at(offset - len(pending) + error.start, error)) from None
                found = _bad_offsets.get()
                if found:
                    if not bad:
                        first = self._place_in(pending + chunk, found[0])
                    bad.extend(offset - len(pending) + start for start in found)
                    found.clear()
                offset += len(chunk)
                emitted = splitter.breaks  # lines yielded before this piece's
                lines = splitter.lines(text, final)
                if bad and 0 < first[0] - emitted <= len(lines):
                    # The line's text once it is whole (the bad byte's piece may end inside it).
                    first = (first[0], first[1], lines[first[0] - emitted - 1])
                if lines:
                    yield lines
                if final:
                    break
                chunk = self._read()
        finally:
            _bad_offsets.reset(token)
            if self._stream is not sys.stdin.buffer:
                self._stream.close()
        if bad:
            self.problems = (_replaced(self.name, bad, *first, self.layout.encoding, self._hint),)

    def _read(self) -> bytes:
        try:
            return self._stream.read(_CHUNK)
        except OSError as error:
            raise _read_error(self.name, error) from None

    def _first_piece(self) -> bytes:
        """The first piece, at least long enough to hold any byte order mark."""
        piece = self._read()
        while 0 < len(piece) < 4:
            more = self._read()
            if not more:
                break
            piece += more
        return piece

    def _place_in(self, data: bytes, start: int) -> tuple[int, int, str]:
        """Line, column and text of the line of byte ``start`` of ``data``,
        the bytes that follow everything the splitter has seen."""
        # The unfinished line (and a line break held back) comes before ``data``.
        before = self._splitter.carry + data[:start].decode(self.layout.encoding, "replace")
        line, column, text = _place(before, data[start:start + _LINE_WINDOW].decode(self.layout.encoding, "replace"))
        return self._splitter.breaks + line, column, text

    def _invalid_at(self, offset: int, error: UnicodeDecodeError) -> Problem:
        # Reading stops here: read on a little, to quote the whole line.
        try:
            ahead = self._stream.read(_LINE_WINDOW)
        except OSError:
            ahead = b""
        place = self._place_in(error.object + ahead, error.start)
        return _invalid(self.name, offset, *place, self.layout.encoding, self._hint)


def decode(data: bytes, name: str = "-", *, strict: bool = False) -> SourceText:
    """Decode UTF-8 (with or without a BOM), or UTF-16/UTF-32 with a BOM, and
    split it into lines.

    Invalid bytes become U+FFFD with one Problem naming the first byte
    offset; with ``strict`` they are a ParseError instead.
    """
    encoding = _encoding_of(data)
    problems: tuple[Problem, ...] = ()
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        hint = _hint_for(data, encoding)
        if strict:
            raise ParseError(_invalid(name, error.start, *_place_at(data, error.start, encoding), encoding,
                                      hint)) from None
        token = _bad_offsets.set([])
        try:
            text = data.decode(encoding, _RECORD_ERRORS)
            offsets = _bad_offsets.get()
        finally:
            _bad_offsets.reset(token)
        problems = (_replaced(name, offsets, *_place_at(data, offsets[0], encoding), encoding, hint),)
    source = split_lines(text, name)
    source.problems = problems
    source.layout.encoding = encoding
    return source


def split_lines(text: str, name: str = "-") -> SourceText:
    splitter = LineSplitter()
    lines = splitter.lines(text, final=True)
    return SourceText(name, lines, splitter.layout)


def read_source(path: str, *, strict: bool = False) -> SourceText:
    """Read a whole file, or standard input when ``path`` is ``-``."""
    return decode(read_bytes(path), path, strict=strict)


def read_bytes(path: str) -> bytes:
    """The bytes of a whole file, or of standard input when ``path`` is ``-``;
    an InputError that names the file when they cannot be read."""
    with _opened(path) as stream:
        try:
            return stream.read()
        except OSError as error:
            raise _read_error(path, error) from None


def stream_source(path: str, *, strict: bool = False) -> StreamSource:
    """A file (or stdin for ``-``) to be read line by line as it is parsed."""
    return StreamSource(path, sys.stdin.buffer if path == "-" else open_input(path), strict=strict)


def _opened(path: str):
    """The input, opened once (a FIFO cannot be read twice); stdin stays open."""
    return contextlib.nullcontext(sys.stdin.buffer) if path == "-" else open_input(path)


def _read_error(path: str, error: OSError) -> InputError:
    what = "-: cannot read standard input" if path == "-" else f"{path}: cannot read"
    return InputError(f"{what}: {error.strerror or error}")


def open_input(path: str) -> BinaryIO:
    try:
        return open(path, "rb")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory") from None
    except OSError as error:
        raise InputError(f"{path}: cannot read: {error.strerror or error}") from None


def _encoding_of(data: bytes) -> str:
    """What the byte order mark says the bytes are; UTF-8 without one."""
    for mark, encoding in _BOMS:
        if data.startswith(mark):
            return encoding
    return "utf-8"


def _hint_for(data: bytes, encoding: str) -> str | None:
    """What the bytes are when they are not what they should be: UTF-16
    without a BOM has every other byte zero (for the ASCII most dumps are made of)."""
    if encoding != "utf-8":
        return f"the bytes are not valid {encoding.upper()}, although the file starts with its byte order mark"
    sample = data[:4096]
    units = len(sample) // 2
    for order, zeros, others in (("LE", sample[1::2], sample[0::2]), ("BE", sample[0::2], sample[1::2])):
        if units and zeros.count(0) > units // 2 and others.count(0) < units // 20:
            return f"the bytes look like UTF-16-{order} without a BOM; convert it (iconv -f UTF-16{order} -t UTF-8)"
    return None


def _place_at(data: bytes, offset: int, encoding: str) -> tuple[int, int, str]:
    """Line, column and text of the line of byte ``offset``."""
    after = data[offset:offset + _LINE_WINDOW].decode(encoding, "replace")
    return _place(data[:offset].decode(encoding, "replace"), after)


def _place(before: str, after: str) -> tuple[int, int, str]:
    """The 1-based line and column (in characters) where ``after`` starts, and
    that line's text; every kind of line break counts."""
    breaks = before.count("\n") + before.count("\r") - before.count("\r\n")
    start = max(before.rfind("\n"), before.rfind("\r")) + 1
    ends = [end for end in (after.find("\n"), after.find("\r")) if end >= 0]
    return breaks + 1, len(before) - start + 1, before[start:] + after[:min(ends, default=len(after))]


def _invalid(name: str, offset: int, line: int, column: int, line_text: str, encoding: str,
             hint: str | None) -> Problem:
    return Problem(
        f"invalid {encoding.upper()} at byte offset {offset}", source=name, line=line, column=column,
        line_text=line_text, hint=hint or "the file is not UTF-8; convert it (iconv -f LATIN1 -t UTF-8) or drop --strict",
    )


def _replaced(name: str, offsets: list[int], line: int, column: int, line_text: str, encoding: str,
              hint: str | None) -> Problem:
    more = f" and {len(offsets) - 1} more place(s)" if len(offsets) > 1 else ""
    return Problem(
        f"invalid {encoding.upper()} at byte offset {offsets[0]}{more}", source=name, line=line, column=column,
        line_text=line_text, hint=hint, repair="replaced with U+FFFD",
    )
