"""The `thread` command line: a thin Click layer over the library (api.py).

This is the only module that imports Click. Each command reads its options,
makes one call into thread_cli.api, and writes what comes back. Library
errors (ThreadError and its subclasses) become messages and exit codes in one
place, ``ThreadGroup.invoke``; problems are printed by one function,
``problems.describe``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
from typing import Iterable

import click

from . import __version__
from .errors import ExitStatus, ThreadError, UsageError
from .formats import ALL_FORMATS, DATA_FORMATS, VIEW_FORMATS
from .problems import describe
from .sanitize import sanitize
from .select import CONTEXTS

MAX_DEFAULT_WIDTH = 100
COLOUR_CHOICES = ("auto", "always", "never")


# ---------------------------------------------------------------- messages


def warn(message: str) -> None:
    click.echo(f"warning: {sanitize(message)}", err=True)


def report(error: ThreadError) -> None:
    """Print ``error`` the way a user can act on it (never a traceback)."""
    problem = getattr(error, "problem", None)
    if problem is not None:
        click.echo(describe(problem), err=True)
    else:
        click.echo(f"error: {sanitize(str(error))}", err=True)


def warn_about(result, path: str, *, several: bool = False, count: bool = True) -> None:
    """The warnings of one loaded file: invalid UTF-8, repairs, the header's count."""
    for problem in (*result.decoding, *result.problems):
        click.echo(describe(problem, "warning"), err=True)
    note = result.thread.count_warning() if count else None
    if note:
        warn(f"{path}: {note}" if several else note)


class ThreadGroup(click.Group):
    """Maps the library's exceptions, Ctrl-C and closed pipes to exit codes."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
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


def _stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


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


def terminal_width(requested: int | None) -> int:
    if requested:
        return requested
    return min(shutil.get_terminal_size((80, 24)).columns, MAX_DEFAULT_WIDTH)


def emit(chunks: Iterable[str | bytes], *, output: str | None = None, pager: bool | None = False) -> None:
    """Send chunks to -o FILE, a pager (terminal, long output) or stdout."""
    from .output import page, write_chunks

    if output not in (None, "-"):
        write_chunks(chunks, output)
        return
    stdout = _stdout_bytes()
    interactive = _stdout_is_terminal()
    if interactive and pager is not False:
        page(chunks, stdout, height=shutil.get_terminal_size((80, 24)).lines, force=pager is True)
        return
    write_chunks(chunks, stream=stdout, interactive=interactive)


# ---------------------------------------------------------------- options

FILTER_HELP = """
\b
Filters (the same for show, search and export; applied before formatting):
  --author NAME      comments by NAME (display or avatar name; repeatable)
  --grep TEXT        comments whose text or author contains TEXT (show, export)
  --replies-to NAME  comments that answer NAME
  --since/--until    comments dated in that range (undated ones are left out)
  --context MODE     ancestors: matches with their ancestors, dimmed
                     none: matches only; thread: their whole top-level thread
"""


def _apply(options: list, command):
    for option in reversed(options):
        command = option(command)
    return command


def filter_options(default_context: str, *, with_grep: bool = True):
    """The filters shared by show, search and export (search takes its pattern as an argument)."""
    grep = [click.option("--grep", "grep", metavar="TEXT", help="Keep comments whose text or author contains TEXT.")]
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
        click.option("--context", type=click.Choice(CONTEXTS), default=default_context,
                     show_default=True, help="What to show around each match."),
    ]
    return lambda command: _apply(options, command)


def _filters(*, authors, regex, case, replies_to, since, until, max_depth, at, context, grep=None):
    from . import api

    return api.criteria(authors=authors, grep=grep, regex=regex, case=case or "smart", replies_to=replies_to,
                        since=since, until=until, max_depth=max_depth, at=at, context=context)


def format_option(formats: tuple[str, ...], default: str | None = None):
    described = f" (default: {default})." if default else " (default: rich on a terminal, plain in a pipe)."
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
        click.option("--no-article", is_flag=True, help="Show the comments only."),
    ], command)


def strict_option(command):
    return _apply([
        click.option("--strict", is_flag=True, help="Treat invalid UTF-8 as an error (exit 65)."),
        click.option("--lenient", is_flag=True,
                     help="Repair structural errors (a reply that jumps levels, stray text) instead of stopping; "
                          "every line is kept and each repair is reported on stderr."),
    ], command)


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
      thread export dump.txt --format json -o thread.json

    \b
    Exit codes: 0 ok, 1 no match, 2 usage, 65 bad data, 66 unreadable input,
    74 output error, 130 interrupted.
    """


SHOW_HELP = """Show the article and its comment tree.

On a terminal: colour, tree guides, bodies wrapped to the width, long
output through a pager. In a pipe: the same layout as plain text.
""" + FILTER_HELP + """
\b
Examples:
  thread show dump.txt
  thread show dump.txt --author Luis --no-article
  thread show dump.txt --at 3.1 --max-depth 4
  thread show dump.txt --grep "red lines" --context thread
  thread show dump.txt --author Luis --context none --format jsonl | jq -r .id
"""

SEARCH_HELP = """Find comments whose text or author contains PATTERN, like grep.

Smart case: case-insensitive unless PATTERN holds an upper-case letter
(-i and -s force either). Prints each matching comment's id and author,
then every matching line with its line number, hits highlighted. With
several FILEs each result starts with its file name. Exits 0 when
something matched, 1 when nothing did, 2 on a usage error.
""" + FILTER_HELP + """
\b
Examples:
  thread search "red lines" dump.txt
  thread search -s Obama dump.txt --author Luis
  thread search --regex "\\bnukes?\\b" *.txt -c
  thread search israel dump.txt --format jsonl | jq -r .id
"""

EXPORT_HELP = """Export a thread as data or as a document.

\b
Formats:
  json      the whole thread, nested (the "thread/1" contract, see README)
  jsonl     one comment per line, no replies key; several FILEs allowed
  csv, tsv  id, parent, depth, number, author, avatar, line, text
  markdown  nested lists, readable on GitHub
  html      one self-contained page with collapsible threads
  text      the original dump layout (byte for byte when unfiltered)
""" + FILTER_HELP + """
\b
Examples:
  thread export dump.txt -o thread.json
  thread export dump.txt --format text | diff - dump.txt
  thread export a.txt b.txt --format jsonl | jq -r .author | sort | uniq -c
  thread export dump.txt --format html --author Luis -o luis.html
"""


@main.command(help=SHOW_HELP)
@click.argument("file", default="-", type=click.Path(allow_dash=True))
@filter_options("ancestors")
@view_options
@format_option(ALL_FORMATS)
@output_option()
@strict_option
def show(file, authors, grep, regex, case, replies_to, since, until, max_depth, at, context,
         color, pager, width, indent, guides, no_article, fmt, output, strict, lenient):
    from . import api
    from .layout import ViewOptions

    to_terminal = _stdout_is_terminal() and output in (None, "-")
    filters = _filters(authors=authors, grep=grep, regex=regex, case=case, replies_to=replies_to, since=since,
                       until=until, max_depth=max_depth, at=at, context=context)
    fmt = resolve_format(fmt, use_colour(color, to_terminal))
    loaded = api.load(file, recover=lenient, strict_utf8=strict)
    # On a terminal the warnings come after the view, or the pager hides them.
    with _warnings_after(to_terminal, loaded, file):
        if fmt in VIEW_FORMATS:
            selection = api.select(loaded.thread, filters, prune_depth=False)
            options = ViewOptions(width=terminal_width(width), indent=indent, guides=guides,
                                  show_article=not no_article, max_depth=max_depth, highlight=filters.pattern,
                                  dimmed=selection.dimmed)
            emit(api.view(loaded.thread, selection, options, fmt=fmt), output=output, pager=pager)
        else:
            emit(api.export([api.select(loaded.thread, filters).thread], fmt), output=output)


@contextlib.contextmanager
def _warnings_after(later: bool, loaded, path: str):
    if not later:
        warn_about(loaded, path)
    try:
        yield
    finally:
        if later:
            warn_about(loaded, path)


@main.command(help=SEARCH_HELP)
@click.argument("pattern")
@click.argument("files", nargs=-1, type=click.Path(allow_dash=True))
@filter_options("none", with_grep=False)
@click.option("-c", "--count", is_flag=True, help="Print only the number of matching comments.")
@click.option("-l", "--files-with-matches", "list_files", is_flag=True, help="Print only the names of files with matches.")
@colour_option("Highlight hits")
@format_option(ALL_FORMATS)
@output_option()
@strict_option
def search(pattern, files, authors, regex, case, replies_to, since, until, max_depth, at, context,
           count, list_files, color, fmt, output, strict, lenient):
    from . import api

    if count and list_files:
        raise UsageError("-c/--count and -l/--files-with-matches cannot be combined")
    files = files or ("-",)
    filters = _filters(authors=authors, grep=pattern, regex=regex, case=case, replies_to=replies_to, since=since,
                       until=until, max_depth=max_depth, at=at, context=context)
    fmt = resolve_format(fmt, use_colour(color, _stdout_is_terminal() and output in (None, "-")))
    results = []
    for result in api.search(files, filters, recover=lenient, strict_utf8=strict):
        warn_about(result, result.path, count=False)
        results.append(result)
    emit(_search_chunks(results, fmt, filters.pattern, count=count, list_files=list_files), output=output)
    if not any(result.selection.matched for result in results):
        raise click.exceptions.Exit(int(ExitStatus.NO_MATCH))


def _search_chunks(results, fmt: str, pattern, *, count: bool, list_files: bool):
    from . import api

    several = len(results) > 1
    if list_files:
        return [sanitize(r.path) + "\n" for r in results if r.selection.matched]
    if count:
        return [(f"{sanitize(r.path)}:" if several else "") + f"{len(r.selection.matched)}\n" for r in results]
    if fmt not in VIEW_FORMATS:
        return api.export([r.selection.thread for r in results], fmt)
    from .render import plain_chunks, rich_chunks

    blocks = [_search_hit(comment, r.path if several else None, pattern)
              for r in results for comment in r.selection.matched]
    return rich_chunks(blocks, width=10_000) if fmt == "rich" else plain_chunks(blocks)


def _search_hit(comment, path: str | None, pattern) -> list:
    """The rows of one search hit: file, id and author, then the matching lines."""
    from .layout import _styled, author_style
    from .select import matching_lines

    head: list[tuple[str, str]] = []
    if path is not None:
        head.append((sanitize(path) + ":", "magenta"))
    head.append((comment.id, "cyan"))
    head.append(("  ", ""))
    if comment.author is None:
        head.append(("(no author)", "italic"))
    else:
        head.extend(_styled(sanitize(comment.author), author_style(comment.author), pattern))
    rows = [head]
    for number, line in matching_lines(comment, pattern):
        rows.append([(f"  {number}: ", "green"), *_styled(sanitize(line), "", pattern)])
    return rows


@main.command()
@click.argument("files", nargs=-1, type=click.Path(allow_dash=True))
@format_option(("rich", "plain", "json", "csv", "tsv"))
@colour_option("Colour")
@strict_option
def authors(files, fmt, color, strict, lenient):
    """List the authors: comments written, replies received, first comment.

    Most active first; comments without an author count as "(no author)".
    Several FILEs are counted together; each row names the files it comes from.

    \b
    Examples:
      thread authors dump.txt
      thread authors *.txt --format csv > authors.csv
      thread authors dump.txt --format json | jq '.[0]'
    """
    from . import api
    from .tables import render_table

    threads = _load_all(files, strict, lenient)
    rows = api.author_rows(threads)
    fmt = resolve_format(fmt, use_colour(color, _stdout_is_terminal()))
    columns = ("author", "avatar", "comments", "replies_received", "first", "sources")
    titles = ("AUTHOR", "AVATAR", "COMMENTS", "REPLIES RECEIVED", "FIRST", "FILES")
    records = [
        {"author": r.author, "avatar": r.avatar, "comments": r.comments, "replies_received": r.replies_received,
         "first": r.first, "sources": r.sources}
        for r in rows
    ]
    shown = len(columns) if len(threads) > 1 else len(columns) - 1  # FILES only for several inputs
    emit(render_table(records, columns[:shown], titles[:shown], fmt))


def _load_all(files, strict: bool, lenient: bool) -> list:
    """Every FILE loaded, its warnings said (but for the header's count)."""
    from . import api

    threads = []
    for path in files or ("-",):
        loaded = api.load(path, recover=lenient, strict_utf8=strict)
        warn_about(loaded, path, count=False)
        threads.append(loaded.thread)
    return threads


@main.command(help=EXPORT_HELP)
@click.argument("files", nargs=-1, type=click.Path(allow_dash=True))
@filter_options("ancestors")
@format_option(DATA_FORMATS, default="json")
@output_option()
@strict_option
def export(files, authors, grep, regex, case, replies_to, since, until, max_depth, at, context, fmt, output,
           strict, lenient):
    from . import api

    files = files or ("-",)
    if len(files) > 1 and fmt != "jsonl":
        raise UsageError(f"--format {fmt} takes one input file; use --format jsonl for several")
    filters = _filters(authors=authors, grep=grep, regex=regex, case=case, replies_to=replies_to, since=since,
                       until=until, max_depth=max_depth, at=at, context=context)
    if fmt == "jsonl" and not lenient:
        _export_jsonl_streaming(files, filters, output, strict)
        return
    threads = []
    for path in files:
        loaded = api.load(path, recover=lenient, strict_utf8=strict)
        warn_about(loaded, path, several=len(files) > 1)
        threads.append(api.select(loaded.thread, filters).thread)
    emit(api.export(threads, fmt), output=output)


def _export_jsonl_streaming(files, filters, output, strict: bool) -> None:
    """JSON Lines straight from the parser: memory stays flat however big the dump."""
    from . import api
    from .formats.flat import json_line_encoder
    from .output import open_output

    json_line_encoder()  # loads orjson, if any, before the output file exists
    with open_output(output, stream=_stdout_bytes()) as writer:
        for path in files:
            done = api.export_jsonl(path, filters, writer.write, strict_utf8=strict)
            for problem in done.problems:
                click.echo(describe(problem, "warning"), err=True)
            note = done.thread.count_warning(done.parsed)
            if note:
                warn(f"{path}: {note}" if len(files) > 1 else note)


@main.command()
@click.argument("files", nargs=-1, type=click.Path(allow_dash=True))
@format_option(("rich", "plain", "json"))
@colour_option("Colour")
@click.option("--width", type=click.IntRange(min=30), metavar="N", help="Width of the charts' lines.")
@strict_option
def stats(files, fmt, color, width, strict, lenient):
    """Totals, depth and author charts, who replies to whom, the largest sub-threads.

    \b
    Examples:
      thread stats dump.txt
      thread stats *.txt --format json | jq .per_depth
    """
    from . import api
    from .stats import render_stats

    report_data = api.stats(_load_all(files, strict, lenient))
    fmt = resolve_format(fmt, use_colour(color, _stdout_is_terminal()))
    emit(render_stats(report_data, fmt, terminal_width(width)))


@main.command()
@click.argument("files", nargs=-1, type=click.Path(allow_dash=True))
@click.option("--strict", is_flag=True, help="Count invalid UTF-8 as a problem.")
def check(files, strict):
    """List every problem of each dump in one run.

    Each problem names file:line:column, shows the line with a marker under
    the column, says what was expected there, and how --lenient would repair
    it. Exits 0 when every file is clean, 65 when one has problems, 66 when
    one cannot be read (the others are still checked).

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
    for checked in api.check_files(files or ("-",), strict_utf8=strict):
        if checked.error is not None:
            report(checked.error)  # and go on with the other files
            unreadable = True
            continue
        for problem in checked.decoding:
            click.echo(describe(problem, "warning"), err=True)
        for problem in checked.problems:
            say(describe(problem, repair_label="with --lenient"))
        dirty = dirty or bool(checked.problems)
        noun = "problem" if len(checked.problems) == 1 else "problems"
        say(f"{sanitize(checked.path)}: {len(checked.problems)} {noun}" if checked.problems
            else f"{sanitize(checked.path)}: ok")
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
