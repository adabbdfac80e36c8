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
    return ParseResult(thread, _in_order(read.problems, linker.problems), source.problems)


def parse_streaming(source, on_comment: Callable[[Comment], None]) -> ParseResult:
    """Parse ``source`` strictly, handing each finished top-level comment to
    ``on_comment`` with its ids set. The thread returned holds everything but
    the comments, so memory stays flat however big the dump."""
    linker = Linker(source)

    def linked(top: Comment) -> None:
        linker.link(top)
        _raise_first(linker.problems, recover=False)
        on_comment(top)

    parser = new_parser(ModelBuilder(sink=linked))
    read = FrontEnd(source, parser).run()
    thread = parser.finish()
    _complete(thread, source, read)
    return ParseResult(thread, read.problems, source.problems)


def parse_text(text: str, name: str = "-", *, recover: bool = False) -> ParseResult:
    """Parse a dump given as a string."""
    return parse(split_lines(text, name), recover=recover)


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
