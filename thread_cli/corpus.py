"""Many dumps at once: finding them, reading them on every core, writing one dataset.

* :func:`expand` turns FILE arguments (files, directories walked for
  ``*.txt`` or another pattern, ``-``) and a ``--files-from`` list into the
  paths of a run, in a fixed order.
* :func:`process_file` is the whole work on one file: read, parse (repairing,
  or with ``strict`` failing at the first problem), filter, and render the
  rows (JSON Lines or CSV text, or a pyarrow RecordBatch). What it returns is
  plain values, so it runs as well in a worker process as in this one; a file
  that cannot be read fails alone (:class:`Failure`) and never raises.
* :func:`run` maps it over the paths: in this process for one job, else in a
  ``concurrent.futures`` process pool with a bounded number of files in
  flight. Results come back in input order, one at a time, so the output is
  the same bytes for any number of jobs and memory does not grow with the
  corpus. Leaving the block early (an error, Ctrl-C) stops the workers.
* :func:`export` writes the results as one JSON Lines, CSV, TSV or Parquet
  output, committed only when the block ends without error.
* :func:`records` is the unit a distributed engine (Dask, Spark) maps over:
  bytes in, plain rows out, no I/O and no state.
"""

from __future__ import annotations

import collections
import concurrent.futures
import contextlib
import fnmatch
import os
import signal
import sys
from pathlib import PurePath
from typing import Any, BinaryIO, Iterable, Iterator, NamedTuple

from .errors import ExitStatus, InputError, OutputError, ParseError
from .formats.records import CORPUS_COLUMNS, corpus_record
from .parse import parse
from .problems import Problem
from .select import Criteria, select
from .source import decode, open_input

__all__ = ["CORPUS_COLUMNS", "DEFAULT_GLOB", "CORPUS_FORMATS", "Failure", "FileResult", "Settings", "default_jobs",
           "expand", "export", "process_file", "read_list", "records", "run"]

DEFAULT_GLOB = "*.txt"
CORPUS_FORMATS = ("jsonl", "csv", "tsv", "parquet")
IN_FLIGHT_PER_JOB = 4  # files submitted ahead of the one being written, per worker


def default_jobs() -> int:
    """The number of cores this process may use."""
    count = getattr(os, "process_cpu_count", None)
    if count is not None:
        return count() or 1
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


# ---------------------------------------------------------------- finding the files


def read_list(path: str) -> list[str]:
    """The paths in a --files-from LIST: one per line (LF or CRLF), blank lines
    ignored, ``-`` for standard input. Names keep their bytes (os.fsdecode)."""
    try:
        if path == "-":
            data = sys.stdin.buffer.read()
        else:
            with open_input(path) as stream:
                data = stream.read()
    except OSError as error:
        raise InputError(f"{path}: cannot read: {error.strerror or error}") from None
    names = []
    for line in data.split(b"\n"):
        if line.endswith(b"\r"):
            line = line[:-1]
        if line:
            names.append(os.fsdecode(line))
    return names


def expand(paths: Iterable[str], *, glob: str = DEFAULT_GLOB, files_from: Iterable[str] = ()) -> list[str]:
    """The files of a run, in order: each of ``paths`` as given, except that a
    directory is replaced by the files under it whose path matches ``glob``
    (relative to it, matched from the right as PurePath.match does: ``*.txt``
    is any file ending in .txt), walked in name order; then ``files_from``,
    taken as they are (a directory there is a file that cannot be read).

    Example: ``expand(["scraped/"])`` gives ``['scraped/a.txt', 'scraped/2013/b.txt', …]``.
    """
    found: list[str] = []
    for path in paths:
        if path != "-" and os.path.isdir(path):
            found.extend(walk(path, glob))
        else:
            found.append(path)
    found.extend(files_from)
    return found


def walk(directory: str, glob: str = DEFAULT_GLOB) -> Iterator[str]:
    """The files under ``directory`` that match ``glob``, in name order (a
    folder's files before its sub-folders); symbolic links to folders are not followed."""
    simple = "/" not in glob

    for root, folders, files in os.walk(directory):
        folders.sort()
        for name in sorted(files):
            path = os.path.join(root, name)
            if simple:
                if fnmatch.fnmatchcase(name, glob):
                    yield path
            elif PurePath(os.path.relpath(path, directory)).match(glob):
                yield path


# ---------------------------------------------------------------- one file


class Settings(NamedTuple):
    fmt: str = "jsonl"  # one of CORPUS_FORMATS
    filters: Criteria | None = None
    strict: bool = False  # the first problem (or invalid UTF-8) fails the file
    csv_safe: bool = False


class Failure(NamedTuple):
    """Why a file was left out: plain values (line and column when known)."""

    path: str
    message: str  # without the path
    line: int | None = None
    column: int | None = None
    problem: Problem | None = None  # the structural problem or invalid UTF-8 (exit 65)
    status: int = int(ExitStatus.NO_INPUT)

    def record(self) -> dict[str, Any]:
        """The --errors-to line's object."""
        return {"path": self.path, "line": self.line, "column": self.column, "message": self.message}


class FileResult(NamedTuple):
    path: str
    output: Any  # str (jsonl, csv, tsv) or a pyarrow RecordBatch (parquet); None when the file failed
    comments: int  # rows written
    size: int  # bytes read
    warnings: tuple[Problem, ...]  # repaired problems, invalid UTF-8, doubts
    failure: Failure | None = None


def records(data: bytes, source: str) -> list[dict[str, Any]]:
    """The comments of one dump as rows keyed by CORPUS_COLUMNS (see corpus_record)."""
    result = parse(decode(data, source), recover=True)
    layout = result.thread.family
    return [corpus_record(comment, source, layout) for comment in result.thread.walk()]


def _read(path: str) -> bytes:
    if path == "-":
        try:
            return sys.stdin.buffer.read()
        except OSError as error:
            raise InputError(f"-: cannot read standard input: {error.strerror or error}") from None
    with open_input(path) as stream:
        try:
            return stream.read()
        except OSError as error:
            raise InputError(f"{path}: cannot read: {error.strerror or error}") from None


def process_file(path: str, settings: Settings, data: bytes | None = None) -> FileResult:
    """Read (unless ``data`` is given), parse, filter and render one file; never raises
    for a file that cannot be read or, with ``settings.strict``, has a problem."""
    try:
        if data is None:
            data = _read(path)
        result = parse(decode(data, path, strict=settings.strict), recover=not settings.strict)
    except InputError as error:
        message = str(error)
        message = message[len(path) + 2:] if message.startswith(f"{path}: ") else message
        return FileResult(path, None, 0, 0, (), Failure(path, message))
    except ParseError as error:
        problem = error.problem
        return FileResult(path, None, 0, len(data or b""), (),
                          Failure(path, problem.message, problem.line, problem.column, problem,
                                  int(ExitStatus.DATA_ERROR)))
    thread = result.thread
    filters = settings.filters
    if filters is None or filters.selects_everything:
        comments: Iterable = thread.walk()
    else:
        comments = select(thread, filters, missing_ok=True).thread.walk()
    rows = [corpus_record(comment, path, thread.family) for comment in comments]
    return FileResult(path, render(rows, settings), len(rows), len(data),
                      (*result.decoding, *result.problems, *result.doubts))


def render(rows: list[dict[str, Any]], settings: Settings) -> Any:
    """One file's rows in ``settings.fmt``: text, or a RecordBatch for parquet."""
    if settings.fmt == "parquet":
        from .formats.parquet import record_batch

        return record_batch(rows)
    from .formats.flat import corpus_delimited, corpus_jsonl

    if settings.fmt == "jsonl":
        return corpus_jsonl(rows)
    return corpus_delimited(rows, "\t" if settings.fmt == "tsv" else ",", csv_safe=settings.csv_safe)


# ---------------------------------------------------------------- many files


def _worker_started() -> None:
    # Ctrl-C reaches the whole process group: the parent stops the workers
    # itself, so they ignore it (no traceback from each); SIGTERM and SIGHUP
    # end them at once.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for signum in (signal.SIGTERM, getattr(signal, "SIGHUP", None)):
        if signum is not None:
            signal.signal(signum, signal.SIG_DFL)


def _process_in_worker(path: str, settings: Settings) -> FileResult:
    return process_file(path, settings)


def _pool_context():
    import multiprocessing

    # fork starts a worker in about a millisecond, sharing the parent's
    # imports; the pool starts every worker before any other thread exists.
    if sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return None


def _stop_workers(pool: concurrent.futures.ProcessPoolExecutor) -> None:
    """End the workers now (the run was left early: an error, Ctrl-C, SIGTERM).

    ``shutdown(wait=True)`` could wait for a lock that the interrupted main
    thread held, or for a worker in the middle of a big file: so the workers
    are killed (Python 3.14 has terminate_workers; before it, the pool's own
    list of processes), reaped here, and the pool is told not to wait."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    with contextlib.suppress(Exception):
        pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        with contextlib.suppress(Exception):
            process.kill()
    for process in processes:
        with contextlib.suppress(Exception):
            process.join(5)


@contextlib.contextmanager
def run(paths: list[str], settings: Settings, *, jobs: int = 1) -> Iterator[Iterator[FileResult]]:
    """The FileResult of each of ``paths``, in their order, as an iterator.

    With ``jobs`` > 1, in a process pool of that many workers (never more
    than there are files) with at most ``jobs`` × 4 files in flight; ``-``
    is read in this process. Leaving the block early stops the workers.

    Example::

        with corpus.run(["a.txt", "b.txt"], corpus.Settings("jsonl"), jobs=2) as results:
            for result in results:
                print(result.path, result.comments)
    """
    if jobs <= 1 or len(paths) <= 1:
        yield (process_file(path, settings) for path in paths)
        return
    pool = concurrent.futures.ProcessPoolExecutor(max_workers=min(jobs, len(paths)), mp_context=_pool_context(),
                                                  initializer=_worker_started)
    try:
        yield _in_order(pool, paths, settings, jobs * IN_FLIGHT_PER_JOB)
    except BaseException:
        _stop_workers(pool)
        raise
    pool.shutdown(wait=True)


def _in_order(pool, paths: list[str], settings: Settings, window: int) -> Iterator[FileResult]:
    pending: collections.deque = collections.deque()
    remaining = iter(paths)

    def submit() -> None:
        for path in remaining:
            if path == "-":  # standard input belongs to this process
                future: concurrent.futures.Future = concurrent.futures.Future()
                future.set_result(process_file(path, settings))
            else:
                future = pool.submit(_process_in_worker, path, settings)
            pending.append(future)
            return

    for _ in range(window):
        submit()
    while pending:
        result = pending.popleft().result()
        submit()
        yield result


# ---------------------------------------------------------------- one output


@contextlib.contextmanager
def export(paths: list[str], settings: Settings, *, output: str | None = None, stream: BinaryIO | None = None,
           jobs: int = 1, shown=None) -> Iterator[Iterator[FileResult]]:
    """Write the rows of every file in ``paths`` as one output in ``settings.fmt``
    (to ``output`` atomically, or to ``stream``), yielding each FileResult as it
    is written; a file that failed contributes nothing. The output is kept
    only when the block ends without error. ``shown`` transforms text chunks
    (the CLI sanitises them for a terminal). Parquet needs ``output``.

    Example::

        with corpus.export(corpus.expand(["scraped/"]), corpus.Settings("parquet"),
                           output="comments.parquet", jobs=4) as results:
            skipped = sum(result.failure is not None for result in results)
    """
    if settings.fmt == "parquet":
        from .formats.parquet import require_pyarrow

        require_pyarrow()  # before any file is read or written
        with run(paths, settings, jobs=jobs) as results, _parquet_output(output) as sink:
            yield _written(results, sink.add)
        return
    from .formats.flat import corpus_header
    from .output import open_output

    shown = shown or str
    with run(paths, settings, jobs=jobs) as results, open_output(output, stream=stream) as writer:
        if settings.fmt in ("csv", "tsv"):
            writer.write(shown(corpus_header("\t" if settings.fmt == "tsv" else ",")))
        yield _written(results, lambda text: writer.write(shown(text)))


def _written(results: Iterator[FileResult], write) -> Iterator[FileResult]:
    for result in results:
        if result.output is not None:
            write(result.output)
        yield result


@contextlib.contextmanager
def _parquet_output(output: str | None):
    from .formats.parquet import ParquetSink
    from .output import atomic_file

    if output in (None, "-"):
        from .errors import UsageError

        raise UsageError("--format parquet writes a file: give -o FILE")
    try:
        with atomic_file(output) as target:
            sink = ParquetSink(target)
            try:
                yield sink
                sink.close()
            except BaseException:
                with contextlib.suppress(Exception):
                    sink.close()  # the temporary file is removed all the same
                raise
    except OSError as error:
        raise OutputError(f"{output}: cannot write: {error.strerror or error}") from None
