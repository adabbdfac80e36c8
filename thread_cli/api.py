"""The library surface of thread: load, select, search, check, count, export.

Everything the command line does is one call here; the CLI only reads
options and writes what these return. Nothing here imports Click or prints:
problems come back as values (:class:`thread_cli.problems.Problem`), and
errors are raised as :class:`thread_cli.errors.ThreadError` subclasses.

Example::

    >>> from thread_cli import api
    >>> result = api.load("seeds/jpost-us-iran-talks.txt")
    >>> result.thread.comment_count
    30
    >>> [c.id for c in api.select(result.thread, authors=["artaxes"]).matched]
    ['6.1']
"""

from __future__ import annotations

from typing import Callable, Iterable, Iterator, NamedTuple

from .errors import InputError, ParseError, ThreadError
# The columns of author_records and their titles in a table; the columns of
# records and of a corpus export (jsonl, csv, tsv, parquet), in order.
from .formats.records import AUTHOR_COLUMNS, AUTHOR_TITLES, CORPUS_COLUMNS
from .inputs import DEFAULT_GLOB
from .model import Thread
from .parse import ParseResult, parse, parse_text
from .problems import Problem
from .select import CONTEXTS, Criteria, Selection, compile_pattern
from .select import select as _select
from .source import read_source

__all__ = [
    "CONTEXTS", "CheckedFile", "Criteria", "ParseResult", "Problem", "SearchResult", "Selection",
    "AUTHOR_COLUMNS", "AUTHOR_TITLES", "author_records", "author_rows", "check_files", "criteria", "export", "export_jsonl", "load", "loads", "search",
    "select", "stats", "view", "CORPUS_COLUMNS", "corpus_files", "default_jobs", "export_corpus", "records",
    "scan_corpus", "corpus_summary",
]

def load(path: str, *, recover: bool = True, strict_utf8: bool = False) -> ParseResult:
    """Read and parse one dump (``-``: standard input).

    Each structural problem is repaired and returned in ``problems`` (every
    line is kept); with ``recover=False`` the first raises ParseError (exit
    65 on the command line). Invalid UTF-8 is replaced and reported in
    ``decoding``, or with ``strict_utf8`` raised. ``doubts`` names lines that
    look like comments but were read as text: a layout the parser missed.

    Example: ``api.load("dump.txt").thread.comment_count``
    """
    return parse(read_source(path, strict=strict_utf8), recover=recover)


def loads(text: str, name: str = "-", *, recover: bool = True) -> ParseResult:
    """Parse a dump held in a string.

    Example: ``api.loads("Title\\n\\n1 Comment\\n\\n  1. Ann says:\\n\\n    Hi.\\n").thread.comments[0].author``
    gives ``'Ann'``.
    """
    return parse_text(text, name, recover=recover)


def criteria(*, authors: Iterable[str] = (), grep: str | None = None, regex: bool = False, case: str = "smart",
             replies_to: Iterable[str] = (), since: str | None = None, until: str | None = None,
             max_depth: int | None = None, at: str | None = None, context: str = "ancestors") -> Criteria:
    """The filters of show, search and export as one value.

    ``case`` is "smart" (insensitive unless ``grep`` has an upper-case
    letter), "insensitive" or "sensitive"; ``context`` one of CONTEXTS.

    Example: ``api.criteria(authors=["Luis"], grep="red lines", context="none")``
    """
    pattern = compile_pattern(grep, regex=regex, case=case) if grep is not None else None
    return Criteria.build(authors=authors, replies_to=replies_to, pattern=pattern, max_depth=max_depth, at=at,
                          context=context, since=since, until=until)


def select(thread: Thread, filters: Criteria | None = None, *, prune_depth: bool = True, **options) -> Selection:
    """The comments ``filters`` keep (or :func:`criteria` built from ``options``),
    as a pruned copy of the thread that keeps the original ids.

    Example: ``api.select(thread, authors=["Luis"]).matched``
    """
    return _select(thread, filters if filters is not None else criteria(**options), prune_depth=prune_depth)


class SearchResult(NamedTuple):
    path: str
    thread: Thread
    selection: Selection
    problems: list[Problem]
    decoding: tuple[Problem, ...]
    doubts: tuple[Problem, ...]


def search(paths: Iterable[str], filters: Criteria, *, recover: bool = True,
           strict_utf8: bool = False) -> Iterator[SearchResult]:
    """Each file's comments that ``filters`` keep, one file at a time.

    Example: ``[r.path for r in api.search(["a.txt", "b.txt"], api.criteria(grep="iran")) if r.selection.matched]``
    """
    for path in paths:
        loaded = load(path, recover=recover, strict_utf8=strict_utf8)
        yield SearchResult(path, loaded.thread, _select(loaded.thread, filters), loaded.problems, loaded.decoding,
                           loaded.doubts)


class CheckedFile(NamedTuple):
    path: str
    # Every structural problem, with the repair a viewer makes, and a doubt
    # about the layout (lines that look like comments, read as text).
    problems: list[Problem]
    decoding: tuple[Problem, ...]  # invalid UTF-8 (a problem only with strict_utf8)
    error: ThreadError | None  # the file could not be read at all
    note: str | None = None  # "header declares 31 comments, 30 found": worth saying, not a problem


def check_files(paths: Iterable[str], *, strict_utf8: bool = False) -> Iterator[CheckedFile]:
    """Every problem of each dump in one run; a file that cannot be read does
    not stop the others. Costs about what one parse costs.

    Example: ``all(not f.problems and f.error is None for f in api.check_files(["a.txt"]))``
    """
    for path in paths:
        try:
            source = read_source(path, strict=strict_utf8)
        except ParseError as error:  # invalid UTF-8 under strict_utf8
            yield CheckedFile(path, [error.problem], (), None)
            continue
        except InputError as error:
            yield CheckedFile(path, [], (), error)
            continue
        try:
            result = parse(source, recover=True)
        except ParseError as fatal:  # nothing to read at all (an empty input)
            yield CheckedFile(path, [fatal.problem], source.problems, None)
            continue
        problems = sorted([*result.problems, *result.doubts], key=lambda problem: (problem.line, problem.column))
        yield CheckedFile(path, problems, result.decoding, None, result.thread.count_warning())


def author_rows(threads: list[Thread]):
    """One row per author (AuthorRow), most comments first.

    Example: ``api.author_rows([thread])[0].author``
    """
    from .stats import author_table

    return author_table(threads)


def author_records(threads) -> list[dict]:
    """The rows of ``thread authors`` as dicts keyed by AUTHOR_COLUMNS, most
    comments first; ``avatar`` is None unless it differs from the name, and
    pingbacks and trackbacks are no one's rows. ``threads`` is a list of
    threads, or the :func:`corpus_summary` of a corpus run.

    Example: ``api.author_records([thread])[0]["author"]`` gives ``'Luis'`` on the seed.
    """
    from .stats import author_records as records

    return records(threads)


def stats(threads) -> dict:
    """Totals, comments per depth and per day, who replies to whom, the largest sub-threads,
    of a list of threads or of the :func:`corpus_summary` of a corpus run.

    Example: ``api.stats([thread])["comments"]``
    """
    from .stats import thread_stats

    return thread_stats(threads)


def export(threads: list[Thread], fmt: str, *, csv_safe: bool = False) -> Iterator[str]:
    """The chunks of ``threads`` in a data format (json, jsonl, csv, tsv,
    markdown, html, text); only jsonl takes several threads. ``csv_safe``
    prefixes csv/tsv cells that a spreadsheet would run as a formula with '.

    Example: ``"".join(api.export([thread], "text"))`` is the dump, byte for byte.
    """
    from .errors import UsageError
    from .formats import render

    if fmt == "jsonl":
        from .formats.flat import render_jsonl

        return render_jsonl(threads)
    if len(threads) != 1:
        raise UsageError(f"--format {fmt} takes one input file; use jsonl for several")
    return render(fmt, threads[0], csv_safe=csv_safe)


def export_jsonl(path: str, filters: Criteria, write: Callable[[str], None], *, strict: bool = False):
    """JSON Lines of one dump written through ``write`` while it is parsed:
    memory stays flat however big the file. Returns a StreamedExport (the
    thread without its comments, how many it held, problems, decoding
    problems, doubts); with ``strict`` the first problem raises ParseError.

    Example: ``api.export_jsonl("big.txt", api.criteria(), sys.stdout.write)``
    """
    from .formats.flat import json_line_encoder
    from .streaming import export_jsonl as stream

    return stream(path, filters, write, json_line_encoder(), strict=strict)


def view(thread: Thread, selection: Selection, options, *, fmt: str = "plain",
         color_system: str | None = "standard", filters: Criteria | None = None) -> Iterator[str]:
    """The reading view (``fmt`` "rich" or "plain") of a selection, as text chunks.

    ``color_system`` ("standard", "256", "truecolor"; see
    render.terminal_color_system) is the terminal's, for "rich"; lay out
    ``options.author_colours`` for it (layout.view_author_colours). With the
    ``filters`` that made ``selection``, the summary counts matches and context.

    Example: ``"".join(api.view(thread, api.select(thread), ViewOptions(width=80)))``
    """
    from .layout import article_rows, comment_blocks, summary_rows
    from .render import plain_chunks, rich_chunks

    filtered = filters is not None and filters.filters_comments

    def blocks():
        article = list(article_rows(thread, options))  # nothing for article="none"
        if article:  # Rich would print an empty block as an empty line
            yield article
        yield summary_rows(selection.thread, options.width, total=thread.comment_count,
                           matched=len(selection.matched) if filtered else None,
                           context=filters.context if filtered else None, max_depth=options.max_depth) + [[]]
        yield from comment_blocks(selection.thread.comments, options)

    if fmt == "rich":
        return rich_chunks(blocks(), width=options.width, color_system=color_system)
    return plain_chunks(blocks())


def is_header_line(line: str) -> bool:
    """True for a comment header ("14 thoughts on “T”", "12 comments:", "This Post Has 0 Comments")."""
    from .patterns import is_header

    return is_header(line)


# ---------------------------------------------------------------- corpora


def records(data: bytes, source: str) -> list[dict]:
    """The comments of one dump, given as its bytes, as one dict per comment
    keyed by CORPUS_COLUMNS: the rows of ``thread export --format parquet``
    (and of the JSON Lines and CSV of a corpus), in document order.

    This is the unit a distributed engine maps over: pure (no I/O, no global
    state; ``source`` is only written into each row), a module-level function
    that pickles by name, and plain values out (str, int, None, lists of
    str; ``datetime`` an ISO 8601 string, ``layout`` the thread's family).
    Problems are repaired as the viewers repair them; bytes that hold no
    dump at all (an empty file) raise ParseError.

    Example::

        >>> rows = api.records(open("seeds/jpost-us-iran-talks.txt", "rb").read(), "seed.txt")
        >>> len(rows), rows[0]["id"], rows[0]["layout"]
        (30, '1', 'wordpress')

    With Dask: ``dask.bag.from_sequence(paths).map(lambda p: api.records(open(p, "rb").read(), p)).flatten()``
    (see examples/dask_corpus.py).
    """
    from .corpus import records as corpus_records

    return corpus_records(data, source)


def corpus_files(paths: Iterable[str], *, glob: str = DEFAULT_GLOB, files_from: str | None = None) -> list[str]:
    """The files of a corpus run, in order: ``paths`` as given, a directory
    replaced by the files under it that match ``glob`` (walked in name order),
    then the paths listed in the file ``files_from`` (one per line; ``-``:
    standard input), taken as they are.

    Example: ``api.corpus_files(["scraped/"], glob="*.dump")``
    """
    from .inputs import expand, read_list

    return expand(paths, glob=glob, files_from=read_list(files_from) if files_from is not None else ())


def default_jobs() -> int:
    """How many worker processes a corpus run uses by default: the usable cores.

    Example: ``api.default_jobs()`` gives ``2`` on a two-core machine.
    """
    from .corpus import default_jobs as jobs

    return jobs()


def export_corpus(paths: list[str], fmt: str, filters: Criteria | None = None, *, output: str | None = None,
                  stream=None, jobs: int = 1, strict: bool = False, csv_safe: bool = False, shown=None):
    """A context manager that exports every file of ``paths`` as one output in
    ``fmt`` (jsonl, csv, tsv, parquet) with the CORPUS_COLUMNS, across ``jobs``
    worker processes, and gives an iterator of each file's
    :class:`thread_cli.corpus.FileResult` (rows written, problems, or the
    ``failure`` that left it out) in input order. The output (``output``,
    written atomically, or ``stream``) is kept only if the block ends
    without an error; leaving it early stops the workers.

    Example::

        with api.export_corpus(api.corpus_files(["scraped/"]), "parquet", output="comments.parquet",
                               jobs=4) as results:
            failed = [r.failure for r in results if r.failure is not None]
    """
    from .corpus import Settings, export

    return export(paths, Settings(fmt, filters, strict, csv_safe), output=output, stream=stream, jobs=jobs,
                  shown=shown)


def scan_corpus(paths: list[str], what: str, filters: Criteria | None = None, *, jobs: int = 1,
                strict: bool = False):
    """A context manager giving each file's :class:`thread_cli.corpus.FileResult`
    in input order, read across ``jobs`` worker processes like
    :func:`export_corpus`, with ``output`` what ``what`` asks for: "authors"
    or "stats" (a tally to merge with :func:`corpus_summary`), "matches" (how
    many comments ``filters`` keep), or "selection" ((Thread, Selection); in
    this process only, whatever ``jobs``). A file that fails has ``failure``
    set and does not stop the others.

    Example::

        with api.scan_corpus(api.corpus_files(["scraped/"]), "authors", jobs=4) as results:
            rows = api.author_records(api.corpus_summary("authors", results))
    """
    from .corpus import Settings, run

    return run(paths, Settings(what, filters, strict), jobs=1 if what == "selection" else jobs)


def corpus_summary(what: str, results):
    """The tallies of a :func:`scan_corpus` run for "authors" or "stats",
    merged in input order: what :func:`author_records` and :func:`stats` take.

    Example: ``api.stats(api.corpus_summary("stats", results))["comments"]``
    """
    from .corpus import summary

    return summary(what, results)
