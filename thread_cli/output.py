"""Writing results: to stdout, or atomically to a file.

An export to ``-o FILE`` goes to a temporary file beside it, renamed over
FILE only once everything was written, so a failed or interrupted export
leaves an existing FILE untouched.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from typing import BinaryIO, Iterable, Iterator

from .errors import OutputError


@contextlib.contextmanager
def atomic_file(path: str) -> Iterator[BinaryIO]:
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


def write_chunks(
    chunks: Iterable[str],
    path: str | None = None,
    *,
    stream: BinaryIO | None = None,
    interactive: bool = False,
) -> None:
    """Encode ``chunks`` as UTF-8 and write them to ``path`` or ``stream``.

    ``interactive`` flushes every chunk, so a reader sees the first comments
    while the rest are still being laid out.
    """
    limit = 0 if interactive else 1 << 16
    try:
        if path is not None and path != "-":
            with atomic_file(path) as target:
                _write(chunks, target, limit)
        else:
            target = stream if stream is not None else sys.stdout.buffer
            _write(chunks, target, limit, flush=interactive)
            target.flush()
    except OSError as error:
        if isinstance(error, BrokenPipeError):
            raise
        raise OutputError(f"{path or 'stdout'}: cannot write: {error.strerror or error}") from None


def _write(chunks: Iterable[str], target: BinaryIO, limit: int, flush: bool = False) -> None:
    buffered: list[str] = []
    size = 0
    for chunk in chunks:
        buffered.append(chunk)
        size += len(chunk)
        if size >= limit:
            target.write("".join(buffered).encode("utf-8", "surrogateescape"))
            if flush:
                target.flush()
            buffered.clear()
            size = 0
    if buffered:
        target.write("".join(buffered).encode("utf-8", "surrogateescape"))
