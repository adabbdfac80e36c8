"""`thread browse`: the Click command that starts the interactive reader.

Importing this module costs only Click: Textual and the browser package are
imported inside the command, so the other commands start as fast as before.
"""

from __future__ import annotations

import os
import sys

import click

from .errors import ExitStatus, UsageError
from .sanitize import sanitize_line

BROWSE_HELP = """Read a dump interactively: move by comment, fold threads, search.

The comment tree fills the screen, one header per comment (id, author,
date) with its body beneath; the article is the first node, folded. Press
? for every key: j/k next/previous comment, J/K siblings, n/p top-level
threads, space folds, / searches (smart case), a shows one author, o opens
a link, y copies the id, r reloads, q quits.

The filters set the starting view, as for show; --max-depth folds the
comments at that depth instead of hiding their replies. The dump is read
leniently: problems are repaired and counted in the status bar.

Needs a terminal; use `thread show` for a pipe or a file.

\b
Example:
  thread browse seeds/jpost-us-iran-talks.txt
  thread browse dump.txt --author Luis --op Norm
  curl -s https://example.org/dump.txt | thread browse
"""


def _describe_filters(authors, grep, since, until, max_depth, at) -> str:
    """The starting filters in words, for the status bar."""
    words = [f"author {name}" for name in authors]
    if grep is not None:
        words.append(f"grep {grep!r}")
    words += [f"{name} {value}" for name, value in (("since", since), ("until", until), ("at", at)) if value]
    if max_depth is not None:
        words.append(f"depth ≤ {max_depth}")
    return ", ".join(words)


def _keys_from_terminal() -> None:
    """After the dump came through standard input, read keys from the terminal instead (as less does)."""
    try:
        terminal = os.open("/dev/tty", os.O_RDONLY)
    except OSError:
        raise UsageError("browse reads keys from the terminal, and there is none: give the dump as FILE") from None
    os.dup2(terminal, sys.stdin.fileno())
    os.close(terminal)


@click.command("browse", help=BROWSE_HELP)
@click.argument("file", default="-", type=click.Path(allow_dash=True))
@click.option("--author", "authors", multiple=True, metavar="NAME",
              help="Start with only the comments of NAME (ancestors dimmed). Repeatable.")
@click.option("--grep", metavar="TEXT", help="Start with only the comments whose text or author contains TEXT.")
@click.option("--regex", is_flag=True, help="Treat TEXT as a regular expression.")
@click.option("-i", "--ignore-case", "case", flag_value="insensitive", help="Match case-insensitively.")
@click.option("-s", "--case-sensitive", "case", flag_value="sensitive", help="Match case-sensitively.")
@click.option("--since", metavar="DATE", help="Start with only the comments dated DATE or later.")
@click.option("--until", metavar="DATE", help="Start with only the comments dated DATE or earlier.")
@click.option("--max-depth", type=click.IntRange(min=1), metavar="D",
              help="Fold the comments at depth D (1 = every top-level thread folded).")
@click.option("--at", "at", metavar="ID", help="Only the comment ID and its replies.")
@click.option("--op", metavar="NAME", help="Mark the comments of NAME, the article's author, with OP.")
def browse(file, authors, grep, regex, case, since, until, max_depth, at, op):
    if not sys.stdout.isatty():
        click.echo("error: browse needs a terminal, and standard output is not one.", err=True)
        click.echo(f"  hint: to print the thread, use: thread show {sanitize_line(click.format_filename(file))}", err=True)
        raise click.exceptions.Exit(int(ExitStatus.USAGE))
    if file == "-" and sys.stdin.isatty():
        raise UsageError("no dump to browse: give FILE, or pipe the dump into thread browse")

    from .browse.app import BrowseApp, StartView
    from .browse.loading import load_thread
    from .select import Criteria, compile_pattern, select

    pattern = compile_pattern(grep, regex=regex, case=case or "smart") if grep is not None else None
    criteria = Criteria.build(authors=authors, pattern=pattern, max_depth=max_depth, at=at,
                              since=since, until=until)
    thread, warnings = load_thread(file)
    if file == "-":
        _keys_from_terminal()
    select(thread, criteria, prune_depth=False)  # an unknown --at id is a usage error before the screen starts
    start = StartView(criteria, _describe_filters(authors, grep, since, until, max_depth, at), op)
    BrowseApp(file, thread, warnings, start).run()
