"""Two processes for one big dump: a forked child parses the second half.

A dump of several megabytes is split at a top-level comment marker near its
middle. A child process (``os.fork``) parses from there to the end and writes
its part of the output to a temporary file, while this process parses the
first half. When this process reaches the split line, it checks that the
line really starts a top-level comment (not, say, a list in a huge article),
that the child finished without an error or a warning, and that no top-level
number appears in both halves. Then it stops and appends the child's output.
Otherwise it goes on alone, and the child's work is thrown away: everything,
errors included, then happens exactly as without the split. So splitting only
changes how long a run takes, never what it prints.

``export --format jsonl`` and ``show`` to a pipe use it when nothing is
filtered; on a machine with one core, or without fork, or with the
environment variable THREAD_NO_SPLIT set, nothing is split.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import re
import signal
from typing import BinaryIO, Callable, Iterable, Iterator, NamedTuple

from .lexer import LineToken

# Below this the start-up of a second process costs more than it saves.
MIN_SPLIT_BYTES = 4 << 20
# A top-level comment marker at the start of a line: "  12. ".
_TOP_MARKER = re.compile(rb"\n  [0-9]+\. ")
_SEARCH_WINDOW = 1 << 20


class Split(NamedTuple):
    offset: int  # byte offset of the first line of the second half
    line: int  # its line number


def find_split(path: str, *, min_bytes: int | None = None) -> Split | None:
    """Where to split ``path`` in two, or None when it is not worth it (or not
    possible, or turned off with THREAD_NO_SPLIT=1)."""
    if os.environ.get("THREAD_NO_SPLIT") or not hasattr(os, "fork") or _usable_cpus() < 2 or path == "-":
        return None
    try:
        with open(path, "rb") as stream:
            size = os.fstat(stream.fileno()).st_size
            if size < (MIN_SPLIT_BYTES if min_bytes is None else min_bytes):
                return None
            breaks, last = _count_breaks(stream, size // 2)
            window = stream.read(_SEARCH_WINDOW)
    except OSError:
        return None  # the usual path reports it
    match = _TOP_MARKER.search(window)
    if match is None:
        return None
    before = window[: match.start() + 1]
    more, _ = _count_breaks_in(before, last)
    return Split(offset=size // 2 + len(before), line=breaks + more + 1)


def split_after(before: bytes) -> Split:
    """The split whose second half starts right after the bytes ``before``."""
    breaks, _ = _count_breaks_in(before, b"")
    return Split(offset=len(before), line=breaks + 1)


def _count_breaks(stream: BinaryIO, length: int, piece_size: int = 1 << 20) -> tuple[int, bytes]:
    """Line breaks in the next ``length`` bytes of ``stream``, read a piece at a
    time; and the last byte read."""
    breaks, last = 0, b""
    while length > 0:
        piece = stream.read(min(length, piece_size))
        if not piece:
            break
        length -= len(piece)
        more, last = _count_breaks_in(piece, last)
        breaks += more
    return breaks, last


def _count_breaks_in(data: bytes, previous: bytes) -> tuple[int, bytes]:
    """Line breaks (\r\n, \r or \n, as source.py counts them) in ``data``,
    which follows the byte ``previous``; and its last byte."""
    breaks = data.count(b"\n") + data.count(b"\r") - data.count(b"\r\n")
    if previous == b"\r" and data[:1] == b"\n":
        breaks -= 1  # a \r\n cut in two was counted twice
    return breaks, data[-1:] or previous


def _usable_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def open_at(path: str, offset: int) -> BinaryIO:
    stream = open(path, "rb")
    stream.seek(offset)
    return stream


class SecondHalf:
    """The child process working on the second half, and this side of the deal.

    ``work(output)`` runs in the child: it parses from ``split`` on, writes
    its output to the binary file ``output`` and returns a report, a dict of
    plain values that must hold ``numbers`` (the top-level comment numbers it
    met) and ``warnings``.
    """

    def __init__(self, split: Split, work: Callable[[BinaryIO], dict]) -> None:
        self.split = split
        self.taken = False  # True once this process stopped at the split
        self.report: dict | None = None
        self.output: BinaryIO | None = None
        self._pid: int | None = None
        import tempfile  # here, not at the top: every `show` to a pipe imports this module

        try:
            self.output = tempfile.TemporaryFile()
            read_end, write_end = os.pipe()
        except OSError:
            return  # no room for the output: this process does it all
        try:
            pid = os.fork()
        except OSError:
            os.close(read_end)
            os.close(write_end)
            return  # no process left: this one does it all
        if pid == 0:  # the child: never returns
            os.close(read_end)
            status = 1
            try:
                # Ctrl-C stops the parent, which stops the child.
                signal.signal(signal.SIGINT, signal.SIG_IGN)
                report = work(self.output)
                self.output.flush()
                with os.fdopen(write_end, "wb") as pipe:
                    pipe.write(marshal.dumps(report))
                status = 0
            finally:
                os._exit(status)  # no atexit handlers, no flushing the parent's buffers
        os.close(write_end)
        self._pid = pid
        self._pipe = read_end

    def until_split(self, tokens: Iterable[LineToken], first_seen: dict[int, int]) -> Iterator[LineToken]:
        """``tokens`` up to the marker of the split line, then (when the child
        has done the rest) a _DEDENT that closes the comment list; or, when the
        split cannot be taken, all of ``tokens``.

        ``first_seen`` holds the top-level numbers parsed so far; it is read
        when the parser asks for the token after the marker, by which time it
        has finished every comment before the split.
        """
        line = self.split.line
        tokens = iter(tokens)
        if self._pid is None:  # no child was started
            yield from tokens
            return
        for token in tokens:
            yield token
            if token.line is None or token.line < line or (token.line == line and token.type != "NUMBER"):
                continue
            if token.type == "NUMBER" and token.line == line and self._succeeded(first_seen):
                self.taken = True
                yield LineToken("_DEDENT", "", line, 1)
                return
            self.close()
            yield from tokens
            return

    def _succeeded(self, first_seen: dict[int, int]) -> bool:
        report = self._wait()
        return (
            report is not None
            and not report["warnings"]
            and not any(number in first_seen for number in report["numbers"])
        )

    def _wait(self) -> dict | None:
        with os.fdopen(self._pipe, "rb", closefd=False) as pipe:
            data = pipe.read()
        _, status = os.waitpid(self._pid, 0)
        self._pid = None
        os.close(self._pipe)
        if status != 0:
            return None
        try:
            self.report = marshal.loads(data)
        except (EOFError, ValueError, TypeError):
            return None
        return self.report

    def output_bytes(self) -> Iterator[bytes]:
        """The child's output, in pieces."""
        self.output.seek(0)
        while piece := self.output.read(1 << 20):
            yield piece

    def close(self) -> None:
        """Stop the child if it still runs (its work is not wanted)."""
        if self._pid is None:
            return
        pid, self._pid = self._pid, None
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            os.waitpid(pid, 0)
        with contextlib.suppress(OSError):
            os.close(self._pipe)

    def __enter__(self) -> SecondHalf:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
        if self.output is not None:
            self.output.close()
