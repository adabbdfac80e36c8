"""Parsing a dump into the model: the thin entry over the front end and the parser.

``parse`` returns a :class:`ParseResult` (the thread and the problems found)
and leaves its source untouched. Without ``recover`` the first problem is
raised as a ParseError; with it, each problem comes back with its repair.
"""

from __future__ import annotations

from typing import Callable, NamedTuple

from .builder import Linker, ModelBuilder
from .errors import ParseError
from .frontend import FrontEnd
from .lalr import LalrParser
from .model import Comment, Thread
from .problems import Problem
from .source import split_lines


class ParseResult(NamedTuple):
    thread: Thread
    problems: list[Problem]  # in line order: the structure, repeated numbers
    decoding: tuple[Problem, ...] = ()  # invalid UTF-8, replaced (a warning, never fatal)
    # Lines that look like comments but were not read as comments: a doubtful
    # parse (a layout thread does not know yet). Viewers warn; check fails.
    doubts: tuple[Problem, ...] = ()


def new_parser(builder: ModelBuilder) -> LalrParser:
    """An LALR parser for the grammar that builds the model with ``builder``."""
    from .grammar import get_tables

    return LalrParser(get_tables(), builder)


def parse(source, *, recover: bool = False) -> ParseResult:
    """Parse the lines of one dump (a SourceText or StreamSource)."""
    parser = new_parser(ModelBuilder())
    read = FrontEnd(source, parser, recover=recover).run()
    thread = parser.finish()
    linker = Linker(source)
    for top in thread.comments:
        linker.link(top)
    _raise_first(linker.problems, recover)
    _complete(thread, source, read)
    return ParseResult(thread, _in_order(read.problems, linker.problems), source.problems,
                       _doubts(read.doubtful, thread, source))


def parse_streaming(source, on_comment: Callable[[Comment], None], *, recover: bool = False) -> ParseResult:
    """Parse ``source``, handing each finished top-level comment to
    ``on_comment`` with its ids set. The thread returned holds everything but
    the comments, so memory stays flat however big the dump."""
    linker = Linker(source)

    def linked(top: Comment) -> None:
        linker.link(top)
        _raise_first(linker.problems, recover)
        on_comment(top)

    parser = new_parser(ModelBuilder(sink=linked))
    read = FrontEnd(source, parser, recover=recover).run()
    thread = parser.finish()
    _complete(thread, source, read)
    return ParseResult(thread, _in_order(read.problems, linker.problems), source.problems,
                       _doubts(read.doubtful, thread, source))


def parse_text(text: str, name: str = "-", *, recover: bool = False) -> ParseResult:
    """Parse a dump given as a string."""
    return parse(split_lines(text, name), recover=recover)


def _doubts(doubtful: list[tuple[int, str]], thread: Thread, source) -> tuple[Problem, ...]:
    """Why the comments read may not be all there is: a header over no
    comment at all, lines that look like comments but were read as text."""
    return _headed_but_empty(thread, source) + _look_alikes(doubtful, thread, source)


def _headed_but_empty(thread: Thread, source) -> tuple[Problem, ...]:
    """A header that declares comments over none read: the comment section's
    layout was missed (or the dump lost the comments), which a count that is
    merely off (a comment deleted since) never means."""
    header = thread.header
    if header is None or not header.declared or thread.family != "none":
        return ()
    return (Problem(
        "no comment section recognised: the header says there are comments, but no line after it was read as one",
        source=source.name, line=header.line, column=1, line_text=header.text,
        hint="the comments are in a layout thread does not recognise (see README, Layouts), or the dump lost "
             "them; thread export --format text still gives every line back",
    ),)


def _look_alikes(doubtful: list[tuple[int, str]], thread: Thread, source) -> tuple[Problem, ...]:
    """One problem naming the lines that look like comments but were read as
    text: any line with a byline, marker or header, or several timestamps or
    name-and-date lines (see classify.looks_like_comment)."""
    if not any(strength == "strong" for _, strength in doubtful) and len(doubtful) < 2:
        return ()
    lines = [number for number, _ in doubtful]
    shown = ", ".join(str(number) for number in lines[:8]) + (f" and {len(lines) - 8} more" if len(lines) > 8 else "")
    lead = "no comment section recognised" if thread.family == "none" else "comments may be missing"
    what = (f"lines {shown} look like parts of a comment section but were read as text" if len(lines) > 1
            else f"line {shown} looks like part of a comment section but was read as text")
    return (Problem(
        f"{lead}: {what}",
        source=source.name, line=lines[0], column=1, line_text=source.line_text(lines[0]),
        hint="the comment section's layout was not recognised (see README, Layouts); "
             "thread export --format text still gives every line back",
    ),)


def _raise_first(problems: list[Problem], recover: bool) -> None:
    if problems and not recover:
        raise ParseError(problems[0].repaired(None))


def _complete(thread: Thread, source, read) -> None:
    """What the thread learns from its source once all of it has been read."""
    thread.source = source.name
    thread.layout = source.layout
    thread.trailing_blanks = read.trailing_blanks
    thread.unplaced = read.unplaced


def _in_order(*groups) -> list[Problem]:
    return sorted((problem for group in groups for problem in group), key=lambda p: (p.line, p.column))
