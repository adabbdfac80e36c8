"""The `thread` command line: a thin Click layer over the library.

This is the only module that imports Click. Library errors (ThreadError and
its subclasses) are turned into messages and exit codes in one place,
``ThreadGroup.invoke``; everything else here is option parsing and choosing
where output goes.
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import os
import shutil
import sys
from typing import Iterable, Iterator

import click

from . import __version__
from .errors import ExitStatus, InputError, ParseError, ThreadError, UsageError
from .sanitize import sanitize

MAX_DEFAULT_WIDTH = 100


# ---------------------------------------------------------------- errors


def _say(kind: str, message: str) -> None:
    click.echo(f"{kind}: {sanitize(message)}", err=True)


def warn(message: str) -> None:
    _say("warning", message)


def describe_parse_error(error: ParseError, kind: str = "error", repair_label: str = "repaired") -> str:
    """The error, the offending line (sanitised) with a marker under the column, the hint."""
    from rich.cells import cell_len

    lines = [f"{kind}: {sanitize(str(error))}"]
    if error.line_text:
        shown = sanitize(error.line_text.expandtabs(1))
        prefix = sanitize(error.line_text[: max(error.column - 1, 0)].expandtabs(1))
        gutter = f"{error.line:>6} | "
        lines.append(f"{gutter}{shown}")
        lines.append(" " * (len(gutter) - 2) + "| " + " " * cell_len(prefix) + "^")
    if error.hint:
        lines.append(f"  hint: {sanitize(error.hint)}")
    if error.repair:
        lines.append(f"  {repair_label}: {sanitize(error.repair)}")
    return "\n".join(lines)


def report(error: ThreadError) -> None:
    """Print ``error`` the way a user can act on it (never a traceback)."""
    if isinstance(error, ParseError):
        click.echo(describe_parse_error(error), err=True)
    else:
        _say("error", str(error))


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


# ---------------------------------------------------------------- input


def load(path: str, *, strict: bool = False, lenient: bool = False, warn_count: bool = True,
         later: list[str] | None = None):
    """Parse one file, printing its warnings (and, with ``lenient``, its repairs) on stderr.

    With ``later``, the warnings are added to it instead, to be printed when
    the output is done (a pager would hide them).
    """
    from .parser import parse_file

    thread, warnings = parse_file(path, strict=strict, lenient=lenient)
    warnings = list(warnings)
    if warn_count:
        mismatch = thread.count_warning()
        if mismatch:
            warnings.append(mismatch)
    if later is not None:
        later.extend(warnings)
    else:
        for message in warnings:
            warn(message)
    return thread


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


def terminal_width(requested: int | None) -> int:
    if requested:
        return requested
    return min(shutil.get_terminal_size((80, 24)).columns, MAX_DEFAULT_WIDTH)


def emit(chunks: Iterable[str | bytes], *, output: str | None, pager: bool | None) -> None:
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


def filter_options(default_context: str, *, with_grep: bool = True):
    """The filters shared by show, search and export (search takes its pattern as an argument)."""

    def decorate(command):
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
            click.option("--context", type=click.Choice(["ancestors", "none", "thread"]), default=default_context,
                         show_default=True, help="What to show around each match."),
        ]
        for option in reversed(options):
            command = option(command)
        return command

    return decorate


def output_options(default_format: str | None, formats: tuple[str, ...]):
    def decorate(command):
        options = [
            click.option("--format", "-f", "fmt", type=click.Choice(formats), default=default_format,
                         help="Output format" + (f" (default: {default_format})." if default_format else
                                                 " (default: rich on a terminal, plain in a pipe).")),
            click.option("-o", "--output", metavar="FILE", type=click.Path(dir_okay=False, allow_dash=True),
                         help="Write to FILE (atomically) instead of stdout."),
        ]
        for option in reversed(options):
            command = option(command)
        return command

    return decorate


def view_options(command):
    options = [
        click.option("--color", "--colour", "color", type=click.Choice(["auto", "always", "never"]), default="auto",
                     show_default=True, help="Colour and styles; auto honours NO_COLOR, FORCE_COLOR and TERM=dumb."),
        click.option("--pager/--no-pager", default=None,
                     help="Page long output through $PAGER (default: on a terminal only)."),
        click.option("--width", type=click.IntRange(min=20), metavar="N",
                     help="Wrap at N columns (default: the terminal's width, at most 100)."),
        click.option("--indent", type=click.IntRange(2, 8), default=3, show_default=True, metavar="N",
                     help="Columns per level of the tree."),
        click.option("--guides", type=click.Choice(["unicode", "ascii", "none"]), default="unicode",
                     show_default=True, help="How the tree's guides are drawn."),
        click.option("--no-article", is_flag=True, help="Show the comments only."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def strict_option(command):
    command = click.option(
        "--lenient", is_flag=True,
        help="Repair structural errors (a reply that jumps levels, stray text) instead of stopping; "
             "every line is kept and each repair is reported on stderr.",
    )(command)
    return click.option("--strict", is_flag=True, help="Treat invalid UTF-8 as an error (exit 65).")(command)


def _complete_author(ctx: click.Context, param: click.Parameter, incomplete: str):
    """Complete --author from the names in the FILE given on the command line."""
    from click.shell_completion import CompletionItem, split_arg_string

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
            from .parser import parse_file

            thread, _ = parse_file(path)
        except ThreadError:
            continue
        for comment in thread.walk():
            for name in (comment.author, comment.avatar):
                if name:
                    names[name] = None
    wanted = incomplete.casefold()
    return [CompletionItem(name) for name in names if name.casefold().startswith(wanted)]


def build_criteria(*, authors, grep, regex, case, replies_to, since, until, max_depth, at, context, pattern=None):
    from .select import Criteria, compile_pattern

    text = pattern if pattern is not None else grep
    compiled = compile_pattern(text, regex=regex, case=case or "smart") if text is not None else None
    return Criteria.build(
        authors=authors, replies_to=replies_to, pattern=compiled, max_depth=max_depth, at=at, context=context,
        since=since, until=until,
    )


def resolve_format(fmt: str | None, colour: bool) -> str:
    if fmt is None:
        return "rich" if colour else "plain"
    if fmt == "rich" and not colour:
        return "plain"  # the same view, without escape codes
    return fmt


def make_view_options(selection, *, width, indent, guides, no_article, max_depth, pattern):
    from .layout import ViewOptions

    return ViewOptions(
        width=terminal_width(width),
        indent=indent,
        guides=guides,
        show_article=not no_article,
        max_depth=max_depth,
        highlight=pattern,
        dimmed=selection.dimmed if selection is not None else set(),
    )


def view_chunks(thread, selection, options, *, fmt: str, total: int | None = None,
                tail: Iterable[str | bytes] = ()) -> Iterator[str | bytes]:
    """The reading view; ``total`` and ``tail`` (the view of the comments a
    second process parsed) complete a thread split in two (see parallel.py)."""
    from .layout import article_rows, comment_blocks, summary_rows
    from .render import plain_chunks, rich_chunks

    def blocks():
        if options.show_article:
            yield list(article_rows(thread, options))
        everything = thread.comment_count if total is None else total
        yield summary_rows(selection.thread, options.width, total=everything, shown=total) + [[]]
        yield from comment_blocks(selection.thread.comments, options)

    if fmt == "rich":
        return rich_chunks(blocks(), width=options.width)
    return itertools.chain(plain_chunks(blocks()), tail)


# ---------------------------------------------------------------- commands

COMMENT_FORMATS = ("rich", "plain", "json", "jsonl", "csv", "tsv", "markdown", "html", "text")


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


@main.command(help=SHOW_HELP)
@click.argument("file", default="-", type=click.Path(allow_dash=True))
@filter_options("ancestors")
@view_options
@output_options(None, COMMENT_FORMATS)
@strict_option
def show(file, authors, grep, regex, case, replies_to, since, until, max_depth, at, context,
         color, pager, width, indent, guides, no_article, fmt, output, strict, lenient):
    from .select import select

    to_terminal = _stdout_is_terminal() and output in (None, "-")
    criteria = build_criteria(authors=authors, grep=grep, regex=regex, case=case, replies_to=replies_to,
                              since=since, until=until, max_depth=max_depth, at=at, context=context)
    colour = use_colour(color, to_terminal)
    fmt = resolve_format(fmt, colour)
    view = dict(width=width, indent=indent, guides=guides, no_article=no_article, max_depth=max_depth,
                pattern=criteria.pattern)
    if fmt == "plain" and not to_terminal and not lenient and criteria.selects_everything:
        if _show_split(file, strict, make_view_options(None, **view), output):
            return
    warnings: list[str] = []
    # On a terminal the warnings come after the view, or the pager hides them.
    thread = load(file, strict=strict, lenient=lenient, later=warnings if to_terminal else None)
    try:
        if fmt in ("rich", "plain"):
            selection = select(thread, criteria, prune_depth=False)
            emit(view_chunks(thread, selection, make_view_options(selection, **view), fmt=fmt),
                 output=output, pager=pager)
            return
        from .formats import render

        selection = select(thread, criteria)
        emit(render(fmt, selection.thread), output=output, pager=False)
    finally:
        for message in warnings:
            warn(message)


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


def _show_split(path: str, strict: bool, options, output) -> bool:
    """``show`` of a whole big dump in plain text, parsed by two processes
    (see parallel.py). False, having printed nothing, when it was not split."""
    from .parallel import SecondHalf, find_split

    split = find_split(path)
    if split is None:
        return False
    from .parser import parse_streaming
    from .select import Criteria, select
    from .source import stream_source
    from .streaming import PlainViewWriter, view_second_half

    with SecondHalf(split, lambda target: view_second_half(path, split, strict, options, target)) as second:
        # This half is laid out while the child works on the other; the
        # summary line, which comes first, must wait for both counts.
        own: list[str] = []
        writer = PlainViewWriter(options, own.append)
        try:
            source = stream_source(path, strict=strict)
            thread = parse_streaming(source, writer, second_half=second)
        except ThreadError:
            return False  # the usual path reports it
        if not second.taken:
            return False  # rare (see parallel.py); the usual path parses it again
        total = writer.count + second.report["count"]
        mismatch = thread.count_warning(total)
        for message in source.warnings + ([mismatch] if mismatch else []):
            warn(message)
        tail = itertools.chain(own, second.output_bytes())
        chunks = view_chunks(thread, select(thread, Criteria()), options, fmt="plain", total=total, tail=tail)
        emit(chunks, output=output, pager=False)
    return True


@main.command(help=SEARCH_HELP)
@click.argument("pattern")
@click.argument("files", nargs=-1, type=click.Path(allow_dash=True))
@filter_options("none", with_grep=False)
@click.option("-c", "--count", is_flag=True, help="Print only the number of matching comments.")
@click.option("-l", "--files-with-matches", "list_files", is_flag=True, help="Print only the names of files with matches.")
@click.option("--color", "--colour", "color", type=click.Choice(["auto", "always", "never"]), default="auto",
              show_default=True, help="Highlight hits; auto honours NO_COLOR, FORCE_COLOR and TERM=dumb.")
@output_options(None, ("rich", "plain", "json", "jsonl", "csv", "tsv", "markdown", "html", "text"))
@strict_option
def search(pattern, files, authors, regex, case, replies_to, since, until, max_depth, at, context,
           count, list_files, color, fmt, output, strict, lenient):
    from .select import select

    if count and list_files:
        raise UsageError("-c/--count and -l/--files-with-matches cannot be combined")
    files = files or ("-",)
    several = len(files) > 1
    criteria = build_criteria(authors=authors, grep=None, regex=regex, case=case, replies_to=replies_to,
                              since=since, until=until, max_depth=max_depth, at=at, context=context, pattern=pattern)
    colour = use_colour(color, _stdout_is_terminal() and output in (None, "-"))
    fmt = resolve_format(fmt, colour)
    found_any = False
    chunks: list[str] = []
    result_blocks: list = []
    data_threads = []
    for path in files:
        thread = load(path, strict=strict, lenient=lenient, warn_count=False)
        selection = select(thread, criteria)
        if selection.matched:
            found_any = True
        if list_files:
            if selection.matched:
                chunks.append(sanitize(path) + "\n")
            continue
        if count:
            chunks.append((f"{sanitize(path)}:" if several else "") + f"{len(selection.matched)}\n")
            continue
        if fmt not in ("rich", "plain"):
            data_threads.append(selection.thread)
            continue
        result_blocks.extend(
            _search_result(comment, path if several else None, criteria.pattern) for comment in selection.matched
        )
    if result_blocks:
        from .render import plain_chunks, rich_chunks

        chunks.extend(rich_chunks(result_blocks, width=10_000) if fmt == "rich" else plain_chunks(result_blocks))
    if data_threads:
        chunks.extend(_data_chunks(fmt, data_threads))
    from .output import write_chunks

    write_chunks(chunks, output, stream=_stdout_bytes())
    if not found_any:
        raise click.exceptions.Exit(int(ExitStatus.NO_MATCH))


def _data_chunks(fmt: str, threads: list) -> Iterator[str]:
    from .formats import render

    if fmt == "jsonl":
        from .formats.flat import render_jsonl

        yield from render_jsonl(threads)
        return
    if len(threads) > 1:
        raise UsageError(f"--format {fmt} takes one input file; use jsonl for several")
    yield from render(fmt, threads[0])


def _search_result(comment, path: str | None, pattern) -> list:
    """The rows of one search hit: file, id and author, then the matching lines."""
    from .layout import author_style, _styled
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
    for number, line in matching_lines(comment, pattern) if pattern is not None else []:
        rows.append([(f"  {number}: ", "green"), *_styled(sanitize(line), "", pattern)])
    return rows


@main.command()
@click.argument("files", nargs=-1, type=click.Path(allow_dash=True))
@click.option("--format", "-f", "fmt", type=click.Choice(["rich", "plain", "json", "csv", "tsv"]), default=None,
              help="Output format (default: rich on a terminal, plain in a pipe).")
@click.option("--color", "--colour", "color", type=click.Choice(["auto", "always", "never"]), default="auto",
              show_default=True, help="Colour; auto honours NO_COLOR, FORCE_COLOR and TERM=dumb.")
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
    from .stats import author_table

    threads = [load(path, strict=strict, lenient=lenient, warn_count=False) for path in (files or ("-",))]
    rows = author_table(threads)
    colour = use_colour(color, _stdout_is_terminal())
    fmt = resolve_format(fmt, colour)
    from .tables import render_table

    columns = ("author", "avatar", "comments", "replies_received", "first", "sources")
    titles = ("AUTHOR", "AVATAR", "COMMENTS", "REPLIES RECEIVED", "FIRST", "FILES")
    records = [
        {"author": r.author, "avatar": r.avatar, "comments": r.comments, "replies_received": r.replies_received,
         "first": r.first, "sources": r.sources}
        for r in rows
    ]
    shown = len(columns) if len(threads) > 1 else len(columns) - 1  # FILES only for several inputs
    from .output import write_chunks

    write_chunks(render_table(records, columns[:shown], titles[:shown], fmt), stream=_stdout_bytes())


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


@main.command(help=EXPORT_HELP)
@click.argument("files", nargs=-1, type=click.Path(allow_dash=True))
@filter_options("ancestors")
@output_options("json", ("json", "jsonl", "csv", "tsv", "markdown", "html", "text"))
@strict_option
def export(files, authors, grep, regex, case, replies_to, since, until, max_depth, at, context, fmt, output,
           strict, lenient):
    from .select import select

    files = files or ("-",)
    if len(files) > 1 and fmt != "jsonl":
        raise UsageError(f"--format {fmt} takes one input file; use --format jsonl for several")
    criteria = build_criteria(authors=authors, grep=grep, regex=regex, case=case, replies_to=replies_to,
                              since=since, until=until, max_depth=max_depth, at=at, context=context)
    if fmt == "jsonl" and not lenient:
        _export_jsonl_streaming(files, criteria, output, strict)
        return
    threads = [select(load(path, strict=strict, lenient=lenient), criteria).thread for path in files]
    emit(_data_chunks(fmt, threads), output=output, pager=False)


def _export_jsonl_streaming(files, criteria, output, strict: bool) -> None:
    """JSON Lines straight from the parser: memory stays flat however big the dump."""
    from .formats.flat import json_line_encoder
    from .output import open_output
    from .streaming import export_jsonl

    encode = json_line_encoder()  # loads orjson, if any, before the output file exists
    with open_output(output, stream=_stdout_bytes()) as writer:
        for path in files:
            thread, parsed, warnings = export_jsonl(path, criteria, writer.write, strict=strict, encode=encode,
                                                    write_bytes=writer.write_bytes)
            for message in warnings:
                warn(message)
            mismatch = thread.count_warning(parsed)
            if mismatch:
                warn(f"{path}: {mismatch}" if len(files) > 1 else mismatch)


@main.command()
@click.argument("files", nargs=-1, type=click.Path(allow_dash=True))
@click.option("--format", "-f", "fmt", type=click.Choice(["rich", "plain", "json"]), default=None,
              help="Output format (default: rich on a terminal, plain in a pipe).")
@click.option("--color", "--colour", "color", type=click.Choice(["auto", "always", "never"]), default="auto",
              show_default=True, help="Colour; auto honours NO_COLOR, FORCE_COLOR and TERM=dumb.")
@click.option("--width", type=click.IntRange(min=30), metavar="N", help="Width of the charts' lines.")
@strict_option
def stats(files, fmt, color, width, strict, lenient):
    """Totals, depth and author charts, who replies to whom, the largest sub-threads.

    \b
    Examples:
      thread stats dump.txt
      thread stats *.txt --format json | jq .per_depth
    """
    from .stats import thread_stats, render_stats

    threads = [load(path, strict=strict, lenient=lenient, warn_count=False) for path in (files or ("-",))]
    colour = use_colour(color, _stdout_is_terminal())
    fmt = resolve_format(fmt, colour)
    report_data = thread_stats(threads)
    from .output import write_chunks

    write_chunks(render_stats(report_data, fmt, terminal_width(width)), stream=_stdout_bytes())


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
    from .parser import check as check_source
    from .source import read_source

    def say(text: str) -> None:
        # A reader that stops early (`| head`) must not turn a verdict of
        # problems into success: stop printing, go on checking.
        try:
            click.echo(text)
        except BrokenPipeError:
            _silence_stdout()

    dirty = unreadable = False
    for path in files or ("-",):
        try:
            source = read_source(path, strict=strict)
        except ParseError as error:
            say(describe_parse_error(error))
            dirty = True
            continue
        except InputError as error:
            report(error)  # and go on with the other files
            unreadable = True
            continue
        for message in source.warnings:
            warn(message)
        problems = check_source(source)
        for problem in problems:
            say(describe_parse_error(problem, repair_label="with --lenient"))
        name = sanitize(path)
        if problems:
            dirty = True
            noun = "problem" if len(problems) == 1 else "problems"
            say(f"{name}: {len(problems)} {noun}")
        else:
            say(f"{name}: ok")
    if unreadable:
        raise click.exceptions.Exit(int(ExitStatus.NO_INPUT))
    if dirty:
        raise click.exceptions.Exit(int(ExitStatus.DATA_ERROR))


def run() -> None:
    """Console-script entry point."""
    # A run is short and builds one big tree of objects that all live to the
    # end: the cyclic collector would scan it again and again for nothing
    # (1.4-2.9x slower on big dumps). The streaming export breaks its cycles
    # itself, so memory stays flat.
    gc.disable()
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
