"""Many dumps at once: reading them on every core, writing one dataset.

(Which files a run reads, inputs.py finds.)

* :func:`process_file` is the whole work on one file: read, parse (repairing,
  or with ``strict`` failing at the first problem), then make what the run
  wants of it (``Settings.fmt``): the rows rendered (JSON Lines or CSV as
  UTF-8 bytes, or a pyarrow RecordBatch as Arrow IPC bytes), or a summary (an author or stats
  tally, a number of matches). What it returns is plain values, so it runs
  as well in a worker process as in this one; a file that cannot be read
  fails alone (:class:`Failure`) and never raises.
* :func:`run` maps it over the paths: in this process for one job, else in a
  ``concurrent.futures`` process pool, a few consecutive files per task and a
  bounded number of tasks in flight. Results come back in input order, one
  file at a time, so the output is the same bytes for any number of jobs and
  memory does not grow with the corpus: the parent only writes what the
  workers made. Leaving the block early (an error, Ctrl-C) stops the workers.
* :func:`export` writes the results as one JSON Lines, CSV, TSV or Parquet
  output, committed only when the block ends without error.
* :func:`records` is the unit a distributed engine (Dask, Spark) maps over:
  bytes in, plain rows out, no I/O and no state.
"""

from __future__ import annotations

import collections
import contextlib
import os
import signal
import sys
from typing import TYPE_CHECKING, Any, BinaryIO, Iterable, Iterator, NamedTuple

from .errors import ExitStatus, InternalError, OutputError, ParseError, ThreadError, UsageError
from .formats.records import CORPUS_COLUMNS, corpus_record
from .parse import parse
from .problems import Problem
from .select import Criteria, select
from .source import decode, read_bytes

if TYPE_CHECKING:
    import concurrent.futures

__all__ = ["CORPUS_COLUMNS", "CORPUS_FORMATS", "Failure", "FileResult", "Settings", "default_jobs", "export",
           "process_file", "records", "run"]

CORPUS_FORMATS = ("jsonl", "csv", "tsv", "parquet")
# What a run makes of each file instead of rows: an AuthorTally, a StatsTally
# (thread_cli.stats), or the number of comments the filters keep.
# "selection" is for search's view: (the thread, its Selection), in this process only (jobs 1).
SUMMARIES = ("authors", "stats", "matches", "selection")
IN_FLIGHT_PER_JOB = 4  # tasks submitted ahead of the one being written, per worker
# A task is consecutive files up to this many bytes (or TASK_FILES files): a
# task's round trip through the pool costs the parent about what writing a
# small file's rows does, so small files travel together; a big file alone.
TASK_BYTES = 1 << 18
TASK_FILES = 32


def default_jobs() -> int:
    """The number of cores this process may use."""
    count = getattr(os, "process_cpu_count", None)
    if count is not None:
        return count() or 1
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


# ---------------------------------------------------------------- one file


class Settings(NamedTuple):
    fmt: str = "jsonl"  # one of CORPUS_FORMATS or SUMMARIES
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
    # UTF-8 bytes (jsonl, csv, tsv), a RecordBatch as Arrow IPC bytes (parquet), or the
    # summary (authors, stats: a tally; matches: an int; selection: (Thread,
    # Selection)); None when the file failed
    output: Any
    comments: int  # rows written (a summary: the comments read)
    size: int  # bytes read
    warnings: tuple[Problem, ...]  # repaired problems, invalid UTF-8, doubts
    failure: Failure | None = None
    notes: tuple[str, ...] = ()  # worth a warning, not a problem ("header declares 31 comments, 30 found")


def records(data: bytes, source: str) -> list[dict[str, Any]]:
    """The comments of one dump as rows keyed by CORPUS_COLUMNS (see corpus_record)."""
    result = parse(decode(data, source), recover=True)
    layout = result.thread.family
    return [corpus_record(comment, source, layout) for comment in result.thread.walk()]


def process_file(path: str, settings: Settings, data: bytes | None = None) -> FileResult:
    """Read (unless ``data`` is given) and parse one file, and make of it what
    ``settings.fmt`` asks (see FileResult.output); never raises for a file
    that cannot be read or, with ``settings.strict``, has a problem, nor
    for a fault of this package's on one file (reported as an internal error)."""
    try:
        if data is None:
            data = read_bytes(path)
        result = parse(decode(data, path, strict=settings.strict), recover=not settings.strict)
        output, comments, notes = _MAKERS.get(settings.fmt, _rows)(result.thread, path, settings)
    except ParseError as error:
        problem = error.problem
        return FileResult(path, None, 0, len(data or b""), (),
                          Failure(path, problem.message, problem.line, problem.column, problem,
                                  int(ExitStatus.DATA_ERROR)))
    except ThreadError as error:  # unreadable (InputError), or a filter this file cannot take (UsageError)
        message = str(error)
        message = message[len(path) + 2:] if message.startswith(f"{path}: ") else message
        return FileResult(path, None, 0, len(data or b""), (), Failure(path, message, status=int(error.exit_status)))
    except Exception as error:  # a fault of ours: this file fails alone, the corpus goes on
        return FileResult(path, None, 0, len(data or b""), (),
                          Failure(path, f"internal error ({type(error).__name__}: {error}); please report it",
                                  status=int(ExitStatus.SOFTWARE)))
    return FileResult(path, output, comments, len(data), (*result.decoding, *result.problems, *result.doubts),
                      notes=notes)


def _rows(thread, path: str, settings: Settings) -> tuple[Any, int, tuple[str, ...]]:
    filters = settings.filters
    if filters is None or filters.selects_everything:
        comments: Iterable = thread.walk()
    else:
        comments = select(thread, filters, missing_ok=True).thread.walk()
    rows = [corpus_record(comment, path, thread.family) for comment in comments]
    return render(rows, settings), len(rows), ()


def _authors(thread, path: str, settings: Settings) -> tuple[Any, int, tuple[str, ...]]:
    from .stats import AuthorTally

    return AuthorTally.of([thread]), thread.comment_count, ()


def _stats(thread, path: str, settings: Settings) -> tuple[Any, int, tuple[str, ...]]:
    from .stats import StatsTally

    note = thread.count_warning()
    return StatsTally.of([thread]), thread.comment_count, (note,) if note else ()


def _matches(thread, path: str, settings: Settings) -> tuple[Any, int, tuple[str, ...]]:
    (_, selection), comments, notes = _selection(thread, path, settings)
    return len(selection.matched), comments, notes


def _selection(thread, path: str, settings: Settings) -> tuple[Any, int, tuple[str, ...]]:
    """The thread and what the filters keep of it (``search``: in this process only)."""
    filters = settings.filters or Criteria.build()
    note = filters.undated_note(thread.any_dated)
    return (thread, select(thread, filters)), thread.comment_count, (note,) if note else ()


_MAKERS = {"authors": _authors, "stats": _stats, "matches": _matches, "selection": _selection}


def summary(kind: str, results: Iterable[FileResult]):
    """The tallies of ``results`` (a run with fmt "authors" or "stats")
    merged in input order into one (thread_cli.stats.AuthorTally or StatsTally);
    a failed file adds nothing."""
    from .stats import AuthorTally, StatsTally

    total = AuthorTally() if kind == "authors" else StatsTally()
    for result in results:
        if result.output is not None:
            total.merge(result.output)
    return total


def render(rows: list[dict[str, Any]], settings: Settings) -> Any:
    """One file's rows in ``settings.fmt`` as bytes: UTF-8 text, or for parquet
    a RecordBatch in the Arrow IPC format. A file name that is not UTF-8
    (surrogates) is written escaped, as output.ChunkWriter writes it."""
    if settings.fmt == "parquet":
        from .formats.parquet import batch_bytes

        return batch_bytes(rows)
    from .formats.flat import corpus_delimited, corpus_jsonl
    from .output import ESCAPE_SURROGATES

    if settings.fmt == "jsonl":
        text = corpus_jsonl(rows)
    else:
        text = corpus_delimited(rows, "\t" if settings.fmt == "tsv" else ",", csv_safe=settings.csv_safe)
    return text.encode("utf-8", ESCAPE_SURROGATES)


# ---------------------------------------------------------------- many files


def _worker_started() -> None:
    # Ctrl-C reaches the whole process group: the parent stops the workers
    # itself, so they ignore it (no traceback from each); SIGTERM and SIGHUP
    # end them at once.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for signum in (signal.SIGTERM, getattr(signal, "SIGHUP", None)):
        if signum is not None:
            signal.signal(signum, signal.SIG_DFL)


def _process_in_worker(paths: list[str], settings: Settings) -> list[FileResult]:
    return [process_file(path, settings) for path in paths]


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
    than there are files), consecutive files grouped into tasks of about
    TASK_BYTES, at most ``jobs`` × 4 tasks in flight; ``-`` is read in this
    process. Leaving the block early stops the workers.

    Example::

        with corpus.run(["a.txt", "b.txt"], corpus.Settings("jsonl"), jobs=2) as results:
            for result in results:
                print(result.path, result.comments)
    """
    if jobs <= 1 or len(paths) <= 1:
        yield (process_file(path, settings) for path in paths)
        return
    import concurrent.futures  # here: a run of one file or one job starts 3 ms sooner

    pool = concurrent.futures.ProcessPoolExecutor(max_workers=min(jobs, len(paths)), mp_context=_pool_context(),
                                                  initializer=_worker_started)
    try:
        yield _in_order(pool, tasks(paths), settings, jobs * IN_FLIGHT_PER_JOB)
    except BaseException:
        _stop_workers(pool)
        raise
    pool.shutdown(wait=True)


def tasks(paths: Iterable[str], size_limit: int = TASK_BYTES, count_limit: int = TASK_FILES) -> Iterator[list[str]]:
    """``paths`` cut into runs of consecutive files of at most ``size_limit``
    bytes together (a bigger file alone) or ``count_limit`` files; ``-``
    always alone. A file that cannot be looked at counts as empty (reading
    it will say why)."""
    group: list[str] = []
    size = 0
    for path in paths:
        try:
            length = 0 if path == "-" else os.stat(path).st_size
        except (OSError, ValueError):
            length = 0
        if group and (path == "-" or group[-1] == "-" or size + length > size_limit or len(group) >= count_limit):
            yield group
            group, size = [], 0
        group.append(path)
        size += length
    if group:
        yield group


def _in_order(pool, groups: Iterator[list[str]], settings: Settings, window: int) -> Iterator[FileResult]:
    import concurrent.futures

    pending: collections.deque = collections.deque()

    def submit() -> None:
        for group in groups:
            if group == ["-"]:  # standard input belongs to this process
                future: concurrent.futures.Future = concurrent.futures.Future()
                future.set_result([process_file("-", settings)])
            else:
                future = pool.submit(_process_in_worker, group, settings)
            pending.append(future)
            return

    for _ in range(window):
        submit()
    while pending:
        try:
            results = pending.popleft().result()
        except concurrent.futures.BrokenExecutor:  # a worker was killed
            raise InternalError("a worker process ended unexpectedly (killed, or out of memory?); "
                              "the output was not kept") from None
        submit()
        yield from results


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

        with corpus.export(inputs.expand(["scraped/"]), corpus.Settings("parquet"),
                           output="comments.parquet", jobs=4) as results:
            skipped = sum(result.failure is not None for result in results)
    """
    if settings.fmt == "parquet":
        from .formats.parquet import require_pyarrow

        require_pyarrow()  # before any file is read or written
        if output in (None, "-"):
            raise UsageError("--format parquet writes a file: give -o FILE")
        with run(paths, settings, jobs=jobs) as results, _parquet_output(output) as sink:
            yield _written(results, sink.add)
        return
    from .formats.flat import corpus_header
    from .output import open_output

    with run(paths, settings, jobs=jobs) as results, open_output(output, stream=stream) as writer:
        if settings.fmt in ("csv", "tsv"):
            header = corpus_header("\t" if settings.fmt == "tsv" else ",")
            writer.write(header if shown is None else shown(header))
        if shown is None:
            yield _written(results, writer.write_bytes)  # the workers' bytes, as they are
        else:
            yield _written(results, lambda data: writer.write(shown(data.decode("utf-8"))))


def _written(results: Iterator[FileResult], write) -> Iterator[FileResult]:
    for result in results:
        if result.output is not None:
            write(result.output)
        yield result


@contextlib.contextmanager
def _parquet_output(output: str | None):
    from .formats.parquet import ParquetSink
    from .output import atomic_file

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
