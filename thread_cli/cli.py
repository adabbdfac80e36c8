"""The `thread` command line: a thin Click layer over the library (api.py).

This is the only module that imports Click. Each command reads its options,
makes one call into thread_cli.api, and writes what comes back. Library
errors (ThreadError and its subclasses) become messages and exit codes in one
place, ``ThreadGroup.invoke``; problems are printed by one function,
``problems.describe``.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from typing import Iterable, Iterator

import click

from . import __version__
from .errors import ExitStatus, ThreadError, UsageError
from .formats import ALL_FORMATS, DATA_FORMATS, VIEW_FORMATS
from .sanitize import sanitize, sanitize_line, terminal_text
from .select import CONTEXTS

MAX_DEFAULT_WIDTH = 100
COLOUR_CHOICES = ("auto", "always", "never")
ARTICLE_MODES = ("full", "lead", "none")  # layout.ARTICLE_MODES, not imported: --help must stay fast
# The export format that -o FILE's extension stands for, when --format is not given.
FORMAT_BY_EXTENSION = {
    ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".tsv": "tsv",
    ".md": "markdown", ".html": "html", ".txt": "text", ".parquet": "parquet",
}
EXPORT_FORMATS = DATA_FORMATS + ("parquet",)
CORPUS_FORMATS = ("jsonl", "csv", "tsv", "parquet")  # corpus.CORPUS_FORMATS, not imported: --help must stay fast


# ---------------------------------------------------------------- messages


# problems.py and output.py are imported when first used: `thread --help`
# needs neither, and its start-up time is a target (benchmarks/run.py).
def describe(problem, *args, **options) -> str:
    from .problems import describe

    return describe(problem, *args, **options)


def check_not_an_input(output: str | None, inputs) -> None:
    from .output import check_not_an_input

    check_not_an_input(output, inputs)


def quiet() -> bool:
    """-q/--quiet was given (on the group or the command): no warnings."""
    ctx = click.get_current_context(silent=True)
    return bool(ctx is not None and ctx.meta.get("thread.quiet"))


def warn(message: str) -> None:
    if not quiet():
        click.echo(f"warning: {sanitize_line(message)}", err=True)


def warn_problem(problem) -> None:
    """A problem that did not stop the command (invalid UTF-8, a repair, a doubt about the layout)."""
    if not quiet():
        click.echo(describe(problem, "warning"), err=True)


def report(error: ThreadError) -> None:
    """Print ``error`` the way a user can act on it (never a traceback)."""
    problem = getattr(error, "problem", None)
    if problem is not None:
        click.echo(describe(problem), err=True)
    else:
        click.echo(f"error: {sanitize_line(str(error))}", err=True)


def shown_path(path: str) -> str:
    return "<stdin>" if path == "-" else path


def warn_about(result, path: str, *, count: bool = False) -> None:
    """The warnings of one loaded file: invalid UTF-8, repairs and doubts about
    the layout, and with ``count`` (show and stats only) the header's count."""
    for problem in (*result.decoding, *result.problems, *result.doubts):
        warn_problem(problem)
    note = result.thread.count_warning() if count else None
    if note:
        warn(f"{shown_path(path)}: {note}")


def warn_undated(any_dated, path: str, filters) -> None:
    """--since/--until on a dump with no readable date: say why nothing is kept
    (``any_dated()`` tells, asked only under a date filter)."""
    note = filters.undated_note(any_dated)
    if note:
        warn(f"{shown_path(path)}: {note}")


def _lowercase_error(error: click.ClickException) -> click.ClickException:
    """Click's own messages ("Error: No such option") in the tool's style
    ("error: No such option"): the same usage line and hint, exit status 2."""
    show = error.show

    def show_lowercase(file=None) -> None:
        import io

        buffer = io.StringIO()
        show(buffer)
        text = buffer.getvalue()
        head, found, message = text.partition("Error: ")  # the first is Click's own
        if found:
            text = head + "error: " + message
        click.echo(sanitize(text.rstrip("\n")), err=True)

    error.show = show_lowercase  # type: ignore[method-assign]
    return error


class ThreadGroup(click.Group):
    """Maps the library's exceptions, Ctrl-C and closed pipes to exit codes."""

    def make_context(self, info_name, args, parent=None, **extra):
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except click.ClickException as error:
            raise _lowercase_error(error) from None

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except click.ClickException as error:
            raise _lowercase_error(error) from None
        except ThreadError as error:
            report(error)
            ctx.exit(int(error.exit_status))
        except KeyboardInterrupt:
            if sys.stdout.isatty():
                sys.stdout.write("\x1b[0m")  # leave the terminal's colours as they were
                sys.stdout.flush()
            click.echo("interrupted", err=True)
            ctx.exit(int(ExitStatus.INTERRUPTED))
        except BrokenPipeError:
            # The reader (head, less) has gone: stop quietly.
            _silence_stdout()
            ctx.exit(int(ExitStatus.OK))


def _silence_stdout() -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    finally:
        os.close(devnull)


# ---------------------------------------------------------------- output


def _stdout_bytes():
    """Standard output as bytes (exports must not be re-encoded by the text layer)."""
    return sys.stdout.buffer


def _is_terminal(stream) -> bool:
    """False too for a stream that is closed or missing (None under pythonw or a daemon)."""
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


# One seam per stream, for the tests to pretend a terminal.
def _stdout_is_terminal() -> bool:
    return _is_terminal(sys.stdout)


def _stdin_is_terminal() -> bool:
    return _is_terminal(sys.stdin)


def _stderr_is_terminal() -> bool:
    return _is_terminal(sys.stderr)


def use_colour(choice: str, to_terminal: bool) -> bool:
    """--color auto honours NO_COLOR, FORCE_COLOR and TERM=dumb, in that order."""
    if choice == "always":
        return True
    if choice == "never":
        return False
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    if os.environ.get("TERM") == "dumb":
        return False
    return to_terminal


def resolve_format(fmt: str | None, colour: bool) -> str:
    if fmt is None:
        return "rich" if colour else "plain"
    if fmt == "rich" and not colour:
        return "plain"  # the same view, without escape codes
    return fmt


def terminal_width(requested: int | None, *, widest: int | None = MAX_DEFAULT_WIDTH) -> int:
    """``requested``, else the terminal's width (80 off a terminal), at most ``widest``."""
    if requested:
        return requested
    import shutil  # here: an export never asks, and shutil costs 3 ms at start-up

    columns = shutil.get_terminal_size((80, 24)).columns
    return columns if widest is None else min(columns, widest)


def emit(chunks: Iterable[str | bytes], *, output: str | None = None, pager: bool | None = False,
         exact: bool = False, encoding: str = "utf-8") -> None:
    """Send chunks to -o FILE, a pager (terminal, long output) or stdout.

    ``exact`` output (an export) keeps every character in a file or a pipe;
    on a terminal it goes through the sanitising path like everything else.
    ``encoding`` writes a text export back in the dump's own (UTF-16…).
    """
    from .output import page, write_chunks

    if output not in (None, "-"):
        write_chunks(chunks, output, encoding=encoding)
        return
    stdout = _stdout_bytes()
    interactive = _stdout_is_terminal()
    if exact and interactive:
        from .sanitize import terminal_chunks

        chunks, encoding = terminal_chunks(chunks), "utf-8"
    if not interactive and encoding != "utf-8":
        write_chunks(chunks, stream=stdout, encoding=encoding)
        return
    if interactive and pager is not False:
        import shutil

        page(chunks, stdout, height=shutil.get_terminal_size((80, 24)).lines, force=pager is True)
        return
    write_chunks(chunks, stream=stdout, interactive=interactive)


# ---------------------------------------------------------------- options

def filter_help(command: str, *, grep: bool = True, context: bool = True) -> str:
    """The filters' summary in ``command``'s help: only the options it takes."""
    lines = [
        "",
        "\b",
        f"Filters ({command} takes these; they apply before formatting):",
        "  --author NAME      comments by NAME (display or avatar name; repeatable)",
    ]
    if grep:
        lines.append("  --grep TEXT        comments whose text or author contains TEXT")
    lines += [
        "  --replies-to NAME  comments that answer NAME",
        "  --since/--until    comments dated in that range (undated ones are left out)",
        "  --max-depth D      comments down to depth D; --at ID: one comment and its replies",
    ]
    if context:
        lines += [
            "  --context MODE     ancestors: matches with their ancestors, dimmed",
            "                     none: matches only; thread: their whole top-level thread",
        ]
    return "\n".join(lines) + "\n"


def _apply(options: list, command):
    for option in reversed(options):
        command = option(command)
    return command


def filter_options(default_context: str | None, *, with_grep: bool = True):
    """The filters shared by show, search and export (search takes its pattern
    as an argument, and shows matches only: no --context)."""
    grep = [click.option("--grep", "grep", metavar="TEXT", help="Keep comments whose text or author contains TEXT.")]
    context = [click.option("--context", type=click.Choice(CONTEXTS), default=default_context,
                            show_default=True, help="What to show around each match.")]
    options = [
        click.option("--author", "authors", multiple=True, metavar="NAME", shell_complete=_complete_author,
                     help="Keep comments by NAME (case-insensitive; display or avatar name). Repeatable."),
        *(grep if with_grep else []),
        click.option("--regex", is_flag=True, help="Treat TEXT/PATTERN as a regular expression."),
        click.option("-i", "--ignore-case", "case", flag_value="insensitive", help="Match case-insensitively."),
        click.option("-s", "--case-sensitive", "case", flag_value="sensitive", help="Match case-sensitively."),
        click.option("--replies-to", "replies_to", multiple=True, metavar="NAME", shell_complete=_complete_author,
                     help="Keep comments whose parent is by NAME. Repeatable."),
        click.option("--since", metavar="DATE",
                     help="Keep comments dated DATE or later (2013-09-06, '2013-09-06 15:24', 'Sep 6, 2013')."),
        click.option("--until", metavar="DATE", help="Keep comments dated DATE or earlier (a bare date: the whole day)."),
        click.option("--max-depth", type=click.IntRange(min=1), metavar="D",
                     help="Hide replies deeper than D (1 = top level only)."),
        click.option("--at", "at", metavar="ID", help="Only the comment ID and its replies."),
        *(context if default_context is not None else []),
    ]
    return lambda command: _apply(options, command)


def _set_quiet(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:
        ctx.meta["thread.quiet"] = True  # meta is shared by the group's context and the command's


def quiet_option(command):
    return click.option("-q", "--quiet", is_flag=True, expose_value=False, callback=_set_quiet,
                        help="Print no warnings (errors still print).")(command)


def inputs(files) -> tuple[str, ...]:
    """The FILEs given, or standard input ("-"), which must not be a terminal:
    a command waiting silently for a dump to be typed looks hung."""
    if isinstance(files, str):
        files = (files,)
    if files:
        return tuple(files)
    if _stdin_is_terminal():
        ctx = click.get_current_context()
        raise click.UsageError(
            f"no FILE given, and standard input is a terminal: name a dump "
            f"({ctx.command_path} dump.txt) or pipe one in (cat dump.txt | {ctx.command_path})", ctx)
    return ("-",)


def _filters(*, authors, regex, case, replies_to, since, until, max_depth, at, context="none", grep=None):
    from . import api

    return api.criteria(authors=authors, grep=grep, regex=regex, case=case or "smart", replies_to=replies_to,
                        since=since, until=until, max_depth=max_depth, at=at, context=context)


def format_option(formats: tuple[str, ...], default: str | None = None, described: str | None = None):
    described = described or (f" (default: {default})." if default else " (default: rich on a terminal, plain in a pipe).")
    return click.option("--format", "-f", "fmt", type=click.Choice(formats), default=default,
                        help="Output format" + described)


def colour_option(what: str = "Colour and styles"):
    return click.option("--color", "--colour", "color", type=click.Choice(COLOUR_CHOICES), default="auto",
                        show_default=True, help=f"{what}; auto honours NO_COLOR, FORCE_COLOR and TERM=dumb.")


def output_option():
    return click.option("-o", "--output", metavar="FILE", type=click.Path(dir_okay=False, allow_dash=True),
                        help="Write to FILE (atomically) instead of stdout.")


def view_options(command):
    return _apply([
        colour_option(),
        click.option("--pager/--no-pager", default=None,
                     help="Page long output through $PAGER (default: on a terminal only)."),
        click.option("--width", type=click.IntRange(min=20), metavar="N",
                     help="Wrap at N columns (default: the terminal's width, at most 100)."),
        click.option("--indent", type=click.IntRange(2, 8), default=3, show_default=True, metavar="N",
                     help="Columns per level of the tree."),
        click.option("--guides", type=click.Choice(["unicode", "ascii", "none"]), default="unicode",
                     show_default=True, help="How the tree's guides are drawn."),
        click.option("--article", type=click.Choice(ARTICLE_MODES), default=None,
                     help="The article: all of it, its title and first paragraph, or nothing "
                          "(default: lead on a terminal, full in a pipe or with -o)."),
        click.option("--no-article", is_flag=True, help="Show the comments only (--article none)."),
    ], command)


csv_safe_option = click.option(
    "--csv-safe", is_flag=True,
    help="In csv and tsv, put ' before a cell starting with = + - @ tab or CR, so a spreadsheet shows it "
         "rather than running it as a formula.")


def strict_option(command):
    return _apply([
        quiet_option,
        click.option("--strict", is_flag=True,
                     help="Stop at the first problem (a line that breaks the layout, invalid UTF-8) with exit 65. "
                          "Without it, each problem is repaired, every line kept, and reported on stderr."),
        click.option("--lenient", is_flag=True, hidden=True, help="Accepted for older scripts: repairing is the default."),
    ], command)


def corpus_input_options(command):
    """The options of a run over a corpus (export, authors, stats, search):
    --files-from and --glob say which files; --jobs, --on-error and
    --errors-to how they are read and what a bad one does."""
    return _apply([
        click.option("--files-from", metavar="LIST", type=click.Path(dir_okay=False, allow_dash=True, readable=False),
                     help="Read the input files' paths from LIST, one per line ('-': standard input)."),
        click.option("--glob", "glob", metavar="PATTERN", default="*.txt", show_default=True,
                     help="The files a directory FILE stands for, walked recursively (matched against "
                          "their path under it)."),
        click.option("--jobs", "-j", type=click.IntRange(min=1), metavar="N",
                     help="Read a corpus's files in N processes (default: the usable cores; 1: in this process)."),
        click.option("--on-error", type=click.Choice(("skip", "fail")), default=None,
                     help="A file that cannot be read (or, with --strict, has a problem): skip it and exit 65 at "
                          "the end, or stop there (default: skip when there are several files)."),
        click.option("--errors-to", metavar="FILE", type=click.Path(dir_okay=False, allow_dash=False),
                     help="Write one JSON line per failed file (path, line, column, message) to FILE."),
    ], command)


def corpus_inputs(files, files_from: str | None, glob: str) -> list[str]:
    """The FILEs, each directory replaced by its files that match ``glob``, then
    the paths in --files-from LIST; standard input when there are none."""
    from . import api

    if files_from is None:
        files = inputs(files)
    elif files_from == "-" and "-" in files:
        raise UsageError("standard input cannot be both --files-from - and a FILE -")
    paths = api.corpus_files(files, glob=glob, files_from=files_from)
    if not paths:
        where = " ".join(sanitize_line(shown_path(path)) for path in files) or sanitize(files_from or "")
        raise UsageError(f"no input files: nothing matches {sanitize(glob)} in {where}")
    return paths


def _has_directory(files) -> bool:
    return any(path != "-" and os.path.isdir(path) for path in files)


@contextlib.contextmanager
def corpus_run(paths: list[str], on_error: str | None, errors_to: str | None):
    """The one loop of a run over several files (export, authors, stats, search).

    Yields ``each``: ``each(results)`` goes through the FileResults of a
    corpus run and gives back those of the files that were read, after
    saying their warnings and notes and counting them on the progress bar.
    A file that failed is named on stderr and left out (``on_error`` skip,
    the default for several files), or stops the run with its own error
    (fail). When the block ends, --errors-to FILE gets one JSON line per
    failed file, and if any failed, the summary line and exit 65.
    """
    check_not_an_input(errors_to, paths)
    on_error = on_error or ("skip" if len(paths) > 1 else "fail")
    failures = []

    def each(results):
        with corpus_progress(len(paths)) as advance:
            for result in results:
                for problem in result.warnings:
                    warn_problem(problem)
                for note in result.notes:
                    warn(f"{shown_path(result.path)}: {note}")
                failure = result.failure
                if failure is not None:
                    failures.append(failure)
                    if on_error == "fail":
                        _write_failures(errors_to, failures)
                        raise _failure_error(failure)
                    if failure.problem is not None:
                        click.echo(describe(failure.problem), err=True)
                    else:
                        click.echo(f"error: {sanitize_line(shown_path(failure.path))}: {sanitize(failure.message)}",
                                   err=True)
                advance(result)
                if failure is None:
                    yield result

    yield each
    _write_failures(errors_to, failures)
    if failures:
        read = len(paths) - len(failures)
        files = "file" if len(paths) == 1 else "files"
        click.echo(f"{len(paths):,} {files}, {read:,} read, {len(failures):,} skipped (see above)", err=True)
        raise click.exceptions.Exit(int(ExitStatus.DATA_ERROR))


def _failure_error(failure) -> ThreadError:
    """The error a failed file stops a run with (--on-error fail): its own, by its status."""
    from .errors import InputError, InternalError, ParseError

    if failure.problem is not None:
        return ParseError(failure.problem)
    error_class = {ExitStatus.SOFTWARE: InternalError, ExitStatus.USAGE: UsageError}.get(failure.status, InputError)
    return error_class(f"{failure.path}: {failure.message}")


@contextlib.contextmanager
def corpus_progress(total: int):
    """``advance(result)`` for each file done: a Rich progress bar on stderr
    (files done / total, comments, MB/s, skipped), only on a terminal and
    without --quiet. It starts with the first result, once the workers run,
    and stops when the block ends."""
    if quiet() or total < 2 or not _stderr_is_terminal():
        yield lambda result: None
        return
    import time

    state = {"progress": None, "task": None, "bytes": 0, "comments": 0, "skipped": 0, "start": time.monotonic()}

    def advance(result) -> None:
        if state["progress"] is None:
            state["progress"], state["task"] = _start_progress(total)
        state["bytes"] += result.size
        state["comments"] += result.comments
        state["skipped"] += result.failure is not None
        elapsed = max(time.monotonic() - state["start"], 1e-6)
        state["progress"].update(state["task"], advance=1, comments=state["comments"],
                                 speed=state["bytes"] / elapsed / 1e6, skipped=state["skipped"])

    try:
        yield advance
    finally:
        if state["progress"] is not None:
            state["progress"].stop()


def _start_progress(total: int):
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    progress = Progress(
        BarColumn(), TextColumn("{task.completed:,}/{task.total:,} files"),
        TextColumn("{task.fields[comments]:,} comments"), TextColumn("{task.fields[speed]:.1f} MB/s"),
        TextColumn("{task.fields[skipped]:,} skipped"), TimeElapsedColumn(),
        console=Console(stderr=True), transient=False,
    )
    task = progress.add_task("files", total=total, comments=0, speed=0.0, skipped=0)
    progress.start()
    return progress, task


def _complete_author(ctx: click.Context, param: click.Parameter, incomplete: str):
    """Complete --author from the names in the FILE given on the command line."""
    from click.shell_completion import CompletionItem, split_arg_string

    from . import api

    files = ctx.params.get("file") or ctx.params.get("files") or ()
    if isinstance(files, str):
        files = (files,)
    if not any(path != "-" for path in files):
        # Click completes an option's value before it has assigned the
        # positional FILE, so look for it among the words typed so far.
        files = [word for word in split_arg_string(os.environ.get("COMP_WORDS", "")) if os.path.isfile(word)]
    names: dict[str, None] = {}
    for path in files:
        if path == "-" or not os.path.isfile(path):
            continue
        try:
            thread = api.load(path, recover=True).thread
        except ThreadError:
            continue
        for comment in thread.walk():
            for name in (comment.author, comment.avatar):
                if name:
                    names[name] = None
    wanted = incomplete.casefold()
    return [CompletionItem(name) for name in names if name.casefold().startswith(wanted)]


# ---------------------------------------------------------------- commands


@click.group(cls=ThreadGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "-V", "--version", prog_name="thread")
@quiet_option
def main() -> None:
    """Read, filter, search and export comment threads from plain-text page dumps.

    A dump is an article followed by its nested comment thread, as a text
    extractor leaves it ("  3. Norm's avatar Norm Says:", replies marked
    "•" and indented two spaces per level). FILE may be "-" for stdin.

    \b
    Examples:
      thread show seeds/jpost-us-iran-talks.txt
      thread show dump.txt --author Luis --context none --format jsonl | jq -r .id
      thread search obama dump.txt
      thread export dump.txt -o thread.json
      thread -q stats *.txt

    \b
    Exit codes: 0 ok, 1 no match, 2 usage, 65 bad data, 66 unreadable input,
    74 output error, 130 interrupted.
    """


SHOW_HELP = """Show the article and its comment tree.

On a terminal: colour, tree guides, bodies wrapped to the width, the
article's lead only (--article full for all of it), long output through a
pager. In a pipe or with -o: the same layout as plain text, the whole article.
""" + filter_help("show") + """
\b
Examples:
  thread show dump.txt
  thread show dump.txt --author Luis --article none
  thread show dump.txt --at 3.1 --max-depth 4
  thread show dump.txt --grep "red lines" --context thread
  thread show dump.txt --author Luis --context none --format jsonl | jq -r .id
"""

SEARCH_HELP = """Find comments whose text or author contains PATTERN, like grep.

Smart case: case-insensitive unless PATTERN holds an upper-case letter
(-i and -s force either). Prints each matching comment's id and author,
then every matching line with its line number, hits highlighted and long
lines wrapped to the terminal's width. With several FILEs each result
starts with its file name. A FILE that is a directory stands for the
*.txt files under it (--glob for others); --files-from LIST reads the
paths from LIST, one per line; -l and -c read them on --jobs cores. A
file that cannot be read (or, with --strict, has a problem) is skipped and
named, and the run ends with a summary and exit 65 (--on-error fail: stop
at the first). Otherwise exits 0 when something matched, 1 when nothing
did, 2 on a usage error.
""" + filter_help("search", grep=False, context=False) + """
\b
Examples:
  thread search "red lines" dump.txt
  thread search -s Obama dump.txt --author Luis
  thread search --regex "\\bnukes?\\b" *.txt -c
  thread search -l iran scraped/ --glob '*.dump'
  thread search -c iran scraped/ --jobs 4 --errors-to failed.jsonl
  thread search israel dump.txt --format jsonl | jq -r .id
"""

EXPORT_HELP = """Export a thread as data or as a document.

\b
Formats:
  json      the whole thread, nested (the "thread/1" contract, see README)
  jsonl     one comment per line, no replies key; several FILEs allowed
  csv, tsv  id, parent, depth, number, author, avatar, line, text, kind, date,
            datetime, actions (tsv: one record per line, \\t \\n \\r \\\\ escaped)
  markdown  nested lists, readable on GitHub
  html      one self-contained page with collapsible threads
  text      the original dump layout (byte for byte when unfiltered)
  parquet   one row per comment (needs pip install 'thread-cli[parquet]')

Without --format, -o FILE's extension names the format (.json .jsonl
.ndjson .csv .tsv .md .html .txt .parquet); without either, the format is json.

\b
Corpora: several FILEs, a directory (its *.txt files, walked; --glob for
others) or --files-from LIST make one dataset in jsonl, csv, tsv or parquet,
with the columns source, id, parent, depth, number, author, avatar, kind,
date, datetime, actions, text, paragraphs, line, layout (see README, Corpora).
Files are read on --jobs cores, written in input order. A file that cannot
be read (or, with --strict, has a problem) is skipped and named on stderr;
the run ends with a summary and exit 65 (--on-error fail: stop at the first).
""" + filter_help("export") + """
\b
Examples:
  thread export dump.txt -o thread.json
  thread export dump.txt --format text | diff - dump.txt
  thread export a.txt b.txt --format jsonl | jq -r .author | sort | uniq -c
  thread export dump.txt --author Luis -o luis.html
  thread export scraped/ -o comments.parquet --jobs 8 --errors-to failed.jsonl
  find scraped -name '*.txt' | thread export --files-from - --format csv --on-error fail > all.csv
"""


@main.command(help=SHOW_HELP, short_help="Show the article and its comment tree.")
@click.argument("file", required=False, type=click.Path(allow_dash=True, readable=False))
@filter_options("ancestors")
@view_options
@format_option(ALL_FORMATS)
@output_option()
@csv_safe_option
@strict_option
def show(file, authors, grep, regex, case, replies_to, since, until, max_depth, at, context,
         color, pager, width, indent, guides, article, no_article, fmt, output, csv_safe, strict, lenient):
    from . import api
    from .layout import ViewOptions, view_author_colours
    from .render import terminal_color_system

    (file,) = inputs(file)
    if no_article and article not in (None, "none"):
        raise click.UsageError(f"--no-article contradicts --article {article}", click.get_current_context())
    to_terminal = _stdout_is_terminal() and output in (None, "-")
    filters = _filters(authors=authors, grep=grep, regex=regex, case=case, replies_to=replies_to, since=since,
                       until=until, max_depth=max_depth, at=at, context=context)
    fmt = resolve_format(fmt, use_colour(color, to_terminal))
    check_not_an_input(output, [file])
    loaded = api.load(file, recover=not strict, strict_utf8=strict)
    # On a terminal the warnings come after the view, or the pager hides them.
    with _warnings_after(to_terminal, loaded, file, filters):
        if fmt in VIEW_FORMATS:
            system = terminal_color_system() if fmt == "rich" else None
            selection = api.select(loaded.thread, filters, prune_depth=False)
            options = ViewOptions(width=terminal_width(width), indent=indent, guides=guides,
                                  article="none" if no_article else article or ("lead" if to_terminal else "full"),
                                  max_depth=max_depth, highlight=filters.pattern, dimmed=selection.dimmed,
                                  author_colours=view_author_colours(loaded.thread, system))
            emit(api.view(loaded.thread, selection, options, fmt=fmt, color_system=system, filters=filters),
                 output=output, pager=pager)
        else:
            emit(api.export([api.select(loaded.thread, filters).thread], fmt, csv_safe=csv_safe), output=output,
                 exact=True, encoding=_encoding_for(fmt, loaded.thread))


@contextlib.contextmanager
def _warnings_after(later: bool, loaded, path: str, filters):
    def say() -> None:
        warn_about(loaded, path, count=True)
        warn_undated(loaded.thread.any_dated, path, filters)

    if not later:
        say()
    try:
        yield
    finally:
        if later:
            say()


@main.command(help=SEARCH_HELP, short_help="Find comments that contain PATTERN, like grep.")
@click.argument("pattern")
@click.argument("files", nargs=-1, type=click.Path(allow_dash=True, readable=False))
@filter_options(None, with_grep=False)
@click.option("-c", "--count", is_flag=True, help="Print only the number of matching comments.")
@click.option("-l", "--files-with-matches", "list_files", is_flag=True, help="Print only the names of files with matches.")
@colour_option("Highlight hits")
@format_option(ALL_FORMATS)
@output_option()
@corpus_input_options
@strict_option
def search(pattern, files, authors, regex, case, replies_to, since, until, max_depth, at,
           count, list_files, color, fmt, output, files_from, glob, jobs, on_error, errors_to, strict, lenient):
    from . import api
    from .render import terminal_color_system

    if count and list_files:
        raise UsageError("-c/--count and -l/--files-with-matches cannot be combined")
    several = len(files) > 1 or files_from is not None or _has_directory(files)
    files = corpus_inputs(files, files_from, glob)
    check_not_an_input(output, files)
    filters = _filters(authors=authors, grep=pattern, regex=regex, case=case, replies_to=replies_to, since=since,
                       until=until, max_depth=max_depth, at=at, context="none")
    fmt = resolve_format(fmt, use_colour(color, _stdout_is_terminal() and output in (None, "-")))
    exact = fmt not in VIEW_FORMATS
    with corpus_run(files, on_error, errors_to) as each:
        if count or list_files:
            # One line per file, written as each file is searched (on --jobs
            # cores): a corpus is never held in memory.
            with api.scan_corpus(files, "matches", filters, jobs=jobs or api.default_jobs(),
                                 strict=strict) as results:
                counts = [0]
                emit(_count_lines(each(results), counts, list_files=list_files, several=several), output=output,
                     exact=exact)
            matched = counts[0] > 0
        else:
            # The view needs every match's thread: read in this process.
            with api.scan_corpus(files, "selection", filters, strict=strict) as results:
                found = [(result.path, *result.output) for result in each(results)]
            system = terminal_color_system() if fmt == "rich" else None
            emit(_search_chunks(found, fmt, filters.pattern, system), output=output, exact=exact)
            matched = any(selection.matched for _, _, selection in found)
    if not matched:
        raise click.exceptions.Exit(int(ExitStatus.NO_MATCH))


def _count_lines(results, counts: list[int], *, list_files: bool, several: bool) -> Iterator[str]:
    """search -l (the names of files with matches) or -c (each file's number of
    matches, after its name when there are several); ``counts[0]`` adds them up."""
    for result in results:
        found = result.output
        counts[0] += found
        if list_files:
            if found:
                yield sanitize_line(result.path) + "\n"
        else:
            yield (f"{sanitize_line(result.path)}:" if several else "") + f"{found}\n"


def _search_chunks(found, fmt: str, pattern, system: str | None):
    """The matches of each (path, thread, selection) in ``fmt``: a view, or data."""
    from . import api

    several = len(found) > 1
    if fmt not in VIEW_FORMATS:
        return api.export([selection.thread for _, _, selection in found], fmt)
    from .layout import search_result_rows
    from .styles import author_colours
    from .render import plain_chunks, rich_chunks

    width = terminal_width(None)
    # From the whole threads, as show colours them: a name has one colour in both.
    colours = (
        author_colours(c.author for _, thread, _ in found for c in thread.walk() if c.author)
        if system in ("256", "truecolor") else None
    )
    blocks = [search_result_rows(comment, path if several else None, pattern, width, author_colours=colours)
              for path, _, selection in found for comment in selection.matched]
    return rich_chunks(blocks, width=width, color_system=system) if fmt == "rich" else plain_chunks(blocks)


@main.command(short_help="List the authors, most active first.")
@click.argument("files", nargs=-1, type=click.Path(allow_dash=True, readable=False))
@format_option(("rich", "plain", "json", "csv", "tsv"))
@colour_option("Colour")
@corpus_input_options
@strict_option
def authors(files, fmt, color, files_from, glob, jobs, on_error, errors_to, strict, lenient):
    """List the authors: comments written, replies received, first comment.

    Most active first; comments without an author count as "(no author)",
    and pingbacks and trackbacks are not authors. AVATAR is shown only when
    it differs from the name. Several FILEs are counted together; each row
    names the files it comes from. Over several files, a file that cannot be
    read (or, with --strict, has a problem) is skipped and named, and the
    run ends with a summary and exit 65 (--on-error fail: stop at the first).

    \b
    Examples:
      thread authors dump.txt
      thread authors *.txt --format csv > authors.csv
      thread authors scraped/ --glob '*.dump' --format csv > authors.csv
      thread authors scraped/ --jobs 4 --errors-to failed.jsonl --format json
      thread authors dump.txt --format json | jq '.[0]'
    """
    _corpus_summary("authors", files, files_from, glob, jobs, on_error, errors_to, strict,
                    lambda tally: _author_table(tally, fmt, color))


def _author_table(tally, fmt: str | None, color: str) -> None:
    from . import api
    from .tables import render_table

    fmt = resolve_format(fmt, use_colour(color, _stdout_is_terminal()))
    columns, titles = api.AUTHOR_COLUMNS, api.AUTHOR_TITLES
    shown = len(columns) if tally.files > 1 else len(columns) - 1  # FILES only for several inputs
    # csv, tsv and json keep every character in a file or a pipe; on a terminal they are sanitised too.
    emit(render_table(api.author_records(tally), columns[:shown], titles[:shown], fmt, width=_table_width()),
         exact=fmt not in VIEW_FORMATS)


def _table_width() -> int | None:
    """A table fits the terminal's whole width; in a pipe no cell is cut
    (a reader greps for the file names and ids)."""
    return terminal_width(None, widest=None) if _stdout_is_terminal() else None


def _corpus_summary(what: str, files, files_from, glob, jobs, on_error, errors_to, strict: bool, show) -> None:
    """authors and stats: every file's tally, read on --jobs cores and merged in
    input order, then ``show(tally)``; bad files as in a corpus export."""
    from . import api

    paths = corpus_inputs(files, files_from, glob)
    with corpus_run(paths, on_error, errors_to) as each, api.scan_corpus(
            paths, what, jobs=jobs or api.default_jobs(), strict=strict) as results:
        show(api.corpus_summary(what, each(results)))


@main.command(help=EXPORT_HELP, short_help="Export as JSON, CSV, TSV, Markdown, HTML or text.")
@click.argument("files", nargs=-1, type=click.Path(allow_dash=True, readable=False))
@filter_options("ancestors")
@format_option(EXPORT_FORMATS, described=" (default: from -o FILE's extension, else json).")
@output_option()
@csv_safe_option
@corpus_input_options
@strict_option
def export(files, authors, grep, regex, case, replies_to, since, until, max_depth, at, context, fmt, output,
           csv_safe, files_from, glob, jobs, on_error, errors_to, strict, lenient):
    from . import api

    several = len(files) > 1 or files_from is not None or _has_directory(files)
    files = corpus_inputs(files, files_from, glob)
    check_not_an_input(output, files)
    fmt = fmt or export_format(output)
    filters = _filters(authors=authors, grep=grep, regex=regex, case=case, replies_to=replies_to, since=since,
                       until=until, max_depth=max_depth, at=at, context=context)
    if several or fmt == "parquet":
        if fmt not in CORPUS_FORMATS:
            raise UsageError(f"--format {fmt} takes one input file; use jsonl, csv, tsv or parquet for several")
        _export_corpus(files, fmt, filters, output, strict=strict, csv_safe=csv_safe, jobs=jobs,
                       on_error=on_error, errors_to=errors_to)
        return
    if fmt == "jsonl":
        _export_jsonl_streaming(files, filters, output, strict)
        return
    threads = []
    for path in files:
        loaded = api.load(path, recover=not strict, strict_utf8=strict)
        warn_about(loaded, path)  # no count: an export is data, and the header's count is in it
        warn_undated(loaded.thread.any_dated, path, filters)
        threads.append(api.select(loaded.thread, filters).thread)
    emit(api.export(threads, fmt, csv_safe=csv_safe), output=output, exact=True,
         encoding=_encoding_for(fmt, threads[0]))


def _export_corpus(paths: list[str], fmt: str, filters, output, *, strict: bool, csv_safe: bool, jobs,
                   on_error: str | None, errors_to: str | None) -> None:
    """Every file's rows as one dataset, read on ``jobs`` cores, written in input
    order; a failed file is named and skipped (or, with ``fail``, stops the run)."""
    from . import api

    if fmt != "parquet":  # (corpus.export checks pyarrow and -o FILE for parquet)
        from .formats.flat import json_line_encoder

        json_line_encoder()  # loads orjson, if any, before the output file exists
    shown = terminal_text if output in (None, "-") and _stdout_is_terminal() else None
    with corpus_run(paths, on_error, errors_to) as each, api.export_corpus(
            paths, fmt, filters, output=output, stream=_stdout_bytes(), jobs=jobs or api.default_jobs(),
            strict=strict, csv_safe=csv_safe, shown=shown) as results:
        for _ in each(results):
            pass


def _write_failures(errors_to: str | None, failures) -> None:
    """--errors-to FILE: one JSON object per failed file (path, line, column, message)."""
    if errors_to is None:
        return
    import json

    from .output import write_chunks

    write_chunks([json.dumps(failure.record(), ensure_ascii=False) + "\n" for failure in failures], errors_to)


def _encoding_for(fmt: str, thread) -> str:
    """A text export is the dump, byte for byte: in its own encoding."""
    return thread.layout.encoding if fmt == "text" else "utf-8"


def export_format(output: str | None) -> str:
    """The format -o FILE's extension stands for; json without -o."""
    if output in (None, "-"):
        return "json"
    extension = os.path.splitext(output)[1].lower()
    if extension not in FORMAT_BY_EXTENSION:
        known = " ".join(FORMAT_BY_EXTENSION)
        raise click.UsageError(
            f"cannot tell the format from {click.format_filename(output)!r} (known extensions: {known}); "
            f"give --format", click.get_current_context())
    return FORMAT_BY_EXTENSION[extension]


def _export_jsonl_streaming(files, filters, output, strict: bool) -> None:
    """JSON Lines straight from the parser: memory stays flat however big the dump."""
    from . import api
    from .formats.flat import json_line_encoder
    from .output import open_output

    json_line_encoder()  # loads orjson, if any, before the output file exists
    # Into a file or a pipe the lines are exact; on a terminal, sanitised
    # (each chunk is whole lines, so nothing is cut in two).
    shown = terminal_text if output in (None, "-") and _stdout_is_terminal() else str
    with open_output(output, stream=_stdout_bytes()) as writer:
        for path in files:
            written = 0

            def write(chunk: str) -> None:
                nonlocal written
                written += len(chunk)
                writer.write(shown(chunk))

            done = api.export_jsonl(path, filters, write, strict=strict)
            for problem in (*done.decoding, *done.problems, *done.doubts):
                warn_problem(problem)
            if not written:
                warn_undated(lambda: done.dated, path, filters)


@main.command(short_help="Totals, depths, authors, who replies to whom.")
@click.argument("files", nargs=-1, type=click.Path(allow_dash=True, readable=False))
@format_option(("rich", "plain", "json"))
@colour_option("Colour")
@click.option("--width", type=click.IntRange(min=30), metavar="N", help="Width of the charts' lines.")
@corpus_input_options
@strict_option
def stats(files, fmt, color, width, files_from, glob, jobs, on_error, errors_to, strict, lenient):
    """Totals, depth and author charts, who replies to whom, the largest sub-threads.

    A FILE that is a directory stands for the *.txt files under it (--glob
    for others); --files-from LIST reads the paths from LIST. Several files
    are read on --jobs cores and counted together; a file that cannot be
    read (or, with --strict, has a problem) is skipped and named, and the
    run ends with a summary and exit 65 (--on-error fail: stop at the first).

    \b
    Examples:
      thread stats dump.txt
      thread stats *.txt --format json | jq .per_depth
      thread stats scraped/ --files-from more.txt --jobs 4 --errors-to failed.jsonl
    """
    from .stats import render_stats

    def show(tally) -> None:
        from . import api

        chosen = resolve_format(fmt, use_colour(color, _stdout_is_terminal()))
        emit(render_stats(api.stats(tally), chosen, terminal_width(width)), exact=chosen not in VIEW_FORMATS)

    _corpus_summary("stats", files, files_from, glob, jobs, on_error, errors_to, strict, show)


@main.command(short_help="List every problem of each dump.")
@click.argument("files", nargs=-1, type=click.Path(allow_dash=True, readable=False))
@click.option("--strict", is_flag=True, help="Count invalid UTF-8 as a problem.")
@quiet_option
def check(files, strict):
    """List every problem of each dump in one run.

    Each problem names file:line:column, shows the line with a marker under
    the column, says what was expected there, and how the viewers repair
    it. A header whose count differs from the comments found is a note, not
    a problem. Exits 0 when every file is clean, 65 when one has problems,
    66 when one cannot be read (the others are still checked).

    \b
    Examples:
      thread check dump.txt
      thread check scraped/*.txt && echo all clean
    """
    from . import api

    def say(text: str) -> None:
        # A reader that stops early (`| head`) must not turn a verdict of
        # problems into success: stop printing, go on checking.
        try:
            click.echo(text)
        except BrokenPipeError:
            _silence_stdout()

    dirty = unreadable = False
    for checked in api.check_files(inputs(files), strict_utf8=strict):
        if checked.error is not None:
            report(checked.error)  # and go on with the other files
            unreadable = True
            continue
        for problem in checked.decoding:
            warn_problem(problem)
        for problem in checked.problems:
            say(describe(problem, repair_label="repaired"))
        if checked.note and not quiet():
            say(f"note: {sanitize_line(shown_path(checked.path))}: {sanitize(checked.note)}")
        dirty = dirty or bool(checked.problems)
        noun = "problem" if len(checked.problems) == 1 else "problems"
        say(f"{sanitize_line(checked.path)}: {len(checked.problems)} {noun}" if checked.problems
            else f"{sanitize_line(checked.path)}: ok")
    if unreadable:
        raise click.exceptions.Exit(int(ExitStatus.NO_INPUT))
    if dirty:
        raise click.exceptions.Exit(int(ExitStatus.DATA_ERROR))


def _register_browse() -> None:
    # The command's module imports Textual only when browse runs.
    from .cli_browse import browse

    main.add_command(browse)


_register_browse()


def run() -> None:
    """Console-script entry point."""
    # A run builds one tree of objects that all live to its end, and the
    # cyclic collector, at its default thresholds, would scan that tree again
    # every few thousand allocations: collecting less often takes a 10 MB
    # `show` from 1.2 s to 1.0 s of CPU. Cycles (a reply and its parent make
    # one) are still collected.
    gc.set_threshold(50_000, 20, 20)
    try:
        main(prog_name="thread")
    except SystemExit as done:
        if done.code == ExitStatus.INTERRUPTED:
            # CPython may turn an exit that follows a KeyboardInterrupt into
            # death by SIGINT (status -2); the documented status is 130.
            for stream in (sys.stdout, sys.stderr):
                with contextlib.suppress(Exception):
                    stream.flush()
            os._exit(int(ExitStatus.INTERRUPTED))
        raise
    finally:
        # The run is over, and the process with it: what it built (a whole
        # thread is a web of cycles between replies and their parents) is
        # left to the operating system, not to the collection that Python
        # runs on the way out (250-300 ms after a `show` of 10 MB). Files
        # are closed by the commands themselves; the standard streams are
        # flushed at exit as always.
        gc.freeze()
