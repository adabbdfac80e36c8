"""Writing results: to stdout, or atomically to a file.

An export to ``-o FILE`` goes to a temporary file beside it, renamed over
FILE only once everything was written, so a failed or interrupted export
leaves an existing FILE untouched. That holds for a regular file (or a new
one): a symbolic link is followed, and anything else (a device such as
/dev/null, a FIFO) is written through, never replaced.

Every output is valid UTF-8. The one place Python text may hold something
that is not (a file name with bytes that are not UTF-8, which Python keeps
as surrogates U+DC80..U+DCFF) has one rule in every format: each surrogate
is written as the six characters ``\\udcXX`` (:func:`escape_surrogates`;
:class:`ChunkWriter` applies it as it encodes). What the escape is depends
on the format:

- JSON and JSON Lines: a JSON escape, which ``json.loads`` reads back, so
  ``os.fsencode(json.loads(line)["source"])`` gives the name's bytes.
- CSV and Parquet (whose ``source`` column is a UTF-8 string): text,
  ``bad\\udcff.txt``. Undoing the escape in the value gives the name's bytes,
  ``os.fsencode(re.sub(r"\\\\udc[89a-f][0-9a-f]", lambda m: chr(int(m[0][2:], 16)), value))``,
  for any name that does not itself hold a backslash followed by ``udcXX``.
- TSV: the same six characters after the TSV's own escapes, which double
  every backslash of the name, so this one is the only one not doubled.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
from typing import BinaryIO, Iterable, Iterator

from .errors import OutputError, UsageError


def check_not_an_input(output: str | None, inputs: Iterable[str]) -> None:
    """Refuse ``-o output`` when it is one of ``inputs`` (by any name): the
    export would replace the file it is still reading."""
    if output in (None, "-"):
        return
    for path in inputs:
        if path != "-" and _same_file(output, path):
            raise UsageError(f"-o {output} would overwrite the input {path}")


def _same_file(first: str, second: str) -> bool:
    try:
        return os.path.samefile(first, second)
    except OSError:  # either does not exist (yet): not the same file
        return False


@contextlib.contextmanager
def atomic_file(path: str) -> Iterator[BinaryIO]:
    """A stream whose content replaces ``path`` once the block ends without error."""
    target = os.path.realpath(path)  # a symlink stays; its target is written
    try:
        existing = os.stat(target)
    except FileNotFoundError:
        existing = None
    except OSError as error:
        raise OutputError(f"{path}: cannot write: {error.strerror or error}") from None
    if existing is not None and not stat.S_ISREG(existing.st_mode):
        with _write_through(path) as stream:  # /dev/null, a FIFO, a terminal
            yield stream
        return
    mode = stat.S_IMODE(existing.st_mode) if existing is not None else 0o666 & ~_umask()
    with _replacing(path, target, mode) as stream:
        yield stream


@contextlib.contextmanager
def _write_through(path: str) -> Iterator[BinaryIO]:
    try:
        stream = open(path, "wb")
    except OSError as error:
        raise OutputError(f"{path}: cannot write: {error.strerror or error}") from None
    with stream:
        yield stream


@contextlib.contextmanager
def _replacing(path: str, target: str, mode: int) -> Iterator[BinaryIO]:
    import tempfile  # here, not at the top: start-up time matters for every run

    try:
        handle, temporary = tempfile.mkstemp(prefix=".thread-", suffix=".tmp", dir=os.path.dirname(target))
    except OSError as error:
        raise OutputError(f"{path}: cannot write: {error.strerror or error}") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            yield stream
        with contextlib.suppress(OSError):
            os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:  # an error, Ctrl-C, SIGTERM (entry.py): the old file stays
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# The rule of the module's docstring as an error handler for str.encode: a
# surrogate becomes \\udcXX (UTF-8, UTF-16 and UTF-32 encode every other
# character, so nothing else is touched).
ESCAPE_SURROGATES = "backslashreplace"


def escape_surrogates(text: str) -> str:
    """``text`` as valid UTF-8 text: each surrogate (from a file name that is
    not UTF-8) as the six characters ``\\udcXX``, by the rule of the module's
    docstring; ``text`` itself when it has none. For a writer that takes text,
    not bytes (pyarrow refuses a surrogate): :class:`ChunkWriter` writes the
    very same bytes for ``text``."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", ESCAPE_SURROGATES).decode("utf-8")
    return text


class ChunkWriter:
    """Collects text chunks and writes them as UTF-8 (or ``encoding``) in large pieces.

    ``interactive`` flushes every chunk, so a reader sees the first comments
    while the rest are still being laid out.
    """

    def __init__(self, target: BinaryIO, *, interactive: bool = False, encoding: str = "utf-8") -> None:
        self.target = target
        self.encoding = encoding
        self.limit = 0 if interactive else 1 << 16
        self.interactive = interactive
        self.buffered: list[str] = []
        self.size = 0

    def write(self, chunk: str) -> None:
        self.buffered.append(chunk)
        self.size += len(chunk)
        if self.size >= self.limit:
            self.flush()

    def write_bytes(self, data: bytes) -> None:
        """Output that is UTF-8 already, after what was written before it."""
        self.flush()
        self.target.write(data)

    def flush(self) -> None:
        if self.buffered:
            self.target.write("".join(self.buffered).encode(self.encoding, ESCAPE_SURROGATES))
            self.buffered.clear()
            self.size = 0
        if self.interactive:
            self.target.flush()


@contextlib.contextmanager
def open_output(path: str | None = None, *, stream: BinaryIO | None = None, interactive: bool = False,
                encoding: str = "utf-8"):
    """A ChunkWriter on ``path`` (atomically) or on ``stream`` (default: stdout);
    ``encoding`` is for writing a dump back the way it came (UTF-16, UTF-32)."""
    try:
        if path is not None and path != "-":
            with atomic_file(path) as target:
                writer = ChunkWriter(target, encoding=encoding)
                yield writer
                writer.flush()
        else:
            target = stream if stream is not None else sys.stdout.buffer
            writer = ChunkWriter(target, interactive=interactive, encoding=encoding)
            yield writer
            writer.flush()
            target.flush()
    except OSError as error:
        if isinstance(error, BrokenPipeError):
            raise
        raise OutputError(f"{path or 'stdout'}: cannot write: {error.strerror or error}") from None


def write_chunks(
    chunks: Iterable[str | bytes],
    path: str | None = None,
    *,
    stream: BinaryIO | None = None,
    interactive: bool = False,
    encoding: str = "utf-8",
) -> None:
    """Encode ``chunks`` as UTF-8 (or ``encoding``) and write them to ``path``
    or ``stream`` (a chunk of bytes is encoded already: it is written as it is)."""
    with open_output(path, stream=stream, interactive=interactive, encoding=encoding) as writer:
        for chunk in chunks:
            if isinstance(chunk, bytes):
                writer.write_bytes(chunk)
            else:
                writer.write(chunk)


DEFAULT_PAGER = "less -RFX"


def page(chunks: Iterable[str], stdout: BinaryIO, *, height: int, force: bool = False) -> None:
    """Show ``chunks`` through $PAGER (default ``less -RFX``) as they come.

    Output shorter than ``height`` lines is written straight to ``stdout``
    unless ``force``. Standard input need not be a terminal: less reads its
    keys from the terminal itself, so ``cat dump | thread show`` pages too.
    """
    import shlex
    import shutil
    import signal
    import subprocess

    iterator = iter(chunks)
    head: list[str] = []
    lines = 0
    for chunk in iterator:  # look ahead one screen, as git does
        head.append(chunk)
        lines += chunk.count("\n")
        if lines >= height:
            break
    else:
        if not force:
            write_chunks(head, stream=stdout, interactive=True)
            return
    command = os.environ.get("PAGER", DEFAULT_PAGER).strip()
    words = shlex.split(command) if command else []
    if not words or shutil.which(words[0]) is None:
        write_chunks(head + list(iterator), stream=stdout, interactive=True)
        return
    environment = dict(os.environ)
    environment.setdefault("LESS", "-R")  # colours, when $PAGER is a bare "less"
    process = subprocess.Popen(command, shell=True, stdin=subprocess.PIPE, env=environment)
    # While the pager runs, Ctrl-C is the pager's (less uses it to stop a
    # search); quitting the pager closes the pipe, which ends the output.
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        writer = ChunkWriter(process.stdin, interactive=True)
        for chunk in head:
            writer.write(chunk)
        for chunk in iterator:
            writer.write(chunk)
        process.stdin.close()
    except (BrokenPipeError, OSError):
        pass
    finally:
        with contextlib.suppress(OSError):
            process.stdin.close()
        process.wait()
        signal.signal(signal.SIGINT, previous)
