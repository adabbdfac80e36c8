"""Writing results: to stdout, or atomically to a file.

An export to ``-o FILE`` goes to a temporary file beside it, renamed over
FILE only once everything was written, so a failed or interrupted export
leaves an existing FILE untouched.
"""

from __future__ import annotations

import contextlib
import os
import sys
from typing import BinaryIO, Iterable, Iterator

from .errors import OutputError


@contextlib.contextmanager
def atomic_file(path: str) -> Iterator[BinaryIO]:
    import tempfile  # here, not at the top: start-up time matters for every run

    folder = os.path.dirname(os.path.abspath(path))
    try:
        handle, temporary = tempfile.mkstemp(prefix=".thread-", suffix=".tmp", dir=folder)
    except OSError as error:
        raise OutputError(f"{path}: cannot write: {error.strerror or error}") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            yield stream
        with contextlib.suppress(OSError):
            os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


class ChunkWriter:
    """Collects text chunks and writes them as UTF-8 in large pieces.

    ``interactive`` flushes every chunk, so a reader sees the first comments
    while the rest are still being laid out.
    """

    def __init__(self, target: BinaryIO, *, interactive: bool = False) -> None:
        self.target = target
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
            self.target.write("".join(self.buffered).encode("utf-8", "surrogateescape"))
            self.buffered.clear()
            self.size = 0
        if self.interactive:
            self.target.flush()


@contextlib.contextmanager
def open_output(path: str | None = None, *, stream: BinaryIO | None = None, interactive: bool = False):
    """A ChunkWriter on ``path`` (atomically) or on ``stream`` (default: stdout)."""
    try:
        if path is not None and path != "-":
            with atomic_file(path) as target:
                writer = ChunkWriter(target)
                yield writer
                writer.flush()
        else:
            target = stream if stream is not None else sys.stdout.buffer
            writer = ChunkWriter(target, interactive=interactive)
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
) -> None:
    """Encode ``chunks`` as UTF-8 and write them to ``path`` or ``stream``
    (a chunk of bytes is UTF-8 already: it is written as it is)."""
    with open_output(path, stream=stream, interactive=interactive) as writer:
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
