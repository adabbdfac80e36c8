"""Parsing that goes on after a problem: `thread check` and `--lenient`.

The normal parser stops at the first line that breaks the grammar. This one
feeds the LALR parser one line at a time. When a line's tokens
are rejected, it tries the line again in other ways, nearest first: at another
depth (a reply that jumps levels goes to the deepest parent it can have), as
plain body text, or as a footer line. It keeps the first reading the grammar
accepts and records the problem with the repair made. Every line is kept;
nothing is invented.
"""

from __future__ import annotations

from typing import Iterator

from .errors import ParseError
from .lalr import LalrParser, Rejected
from .lexer import COMMENTS, FOOTER, INDENT_WIDTH, LexerState, LineTokenizer
from .model import Line, Thread
from .patterns import BULLET_MARKER, NUMBER_MARKER
from .source import SourceText


def parse_recovering(source: SourceText) -> tuple[Thread, list[ParseError]]:
    """Parse ``source``, repairing what can be repaired.

    Returns the thread and the problems found, each with its ``repair``.
    Raises ParseError only when no reading of a line fits (an empty input).
    """
    from .parser import ModelBuilder, close_thread, explain, finish_thread, new_parser

    problems: list[ParseError] = []
    line_problems: list[ParseError] = []
    unplaced: list[Line] = []
    # One token per line, so that each line can be judged, and re-read, alone.
    tokenizer = LineTokenizer(source, on_problem=line_problems.append, group_paragraphs=False)
    parser = new_parser(ModelBuilder(functional=True))

    for number, raw in source.numbered():
        saved = tokenizer.snapshot()
        line_problems.clear()
        tokens = tokenizer.line_tokens(number, raw)
        attempt, error = _feed(parser, tokens)
        if error is None:
            parser = attempt
            problems.extend(line_problems)
            continue
        problem = explain(error, source)
        for options, repair in _readings(saved, raw, number):
            tokenizer.restore(saved)
            line_problems.clear()
            attempt, retry_error = _feed(parser, tokenizer.line_tokens(number, raw, **options))
            if retry_error is None:
                parser = attempt
                if "level" not in options:
                    # A reading at another level already says where the line
                    # went; its indentation repair would only contradict it.
                    problems.extend(line_problems)
                problem.repair = repair
                problems.append(problem)
                break
        else:
            # Nothing fits here (before the first comment, say): keep the
            # line, and the blank lines before it, outside the tree.
            tokenizer.restore(saved)
            unplaced.append(Line(raw, number, tokenizer.take_blanks()))
            problem.repair = "kept as an unplaced line"
            problems.append(problem)

    attempt, error = _feed(parser, tokenizer.finish())
    if error is not None:
        raise explain(error, source)
    try:
        thread = attempt.finish()
    except Rejected as eof_error:
        raise explain(eof_error, source) from None
    problems.extend(finish_thread(thread, source, lenient=True))
    close_thread(thread, source)
    thread.unplaced = unplaced
    problems.sort(key=lambda problem: (problem.line, problem.column))
    return thread, problems


def _feed(parser: LalrParser, tokens: list) -> tuple[LalrParser | None, Rejected | None]:
    """Feed ``tokens`` to a copy of ``parser``: (the copy, None) or (None, the error)."""
    if not tokens:
        return parser, None
    # Values are shared, not copied: the functional model builder never
    # mutates what it is given, and copying the model on every line would be
    # quadratic.
    attempt = parser.copy()
    try:
        for token in tokens:
            attempt.feed(token)
    except Rejected as error:
        return None, error
    return attempt, None


def _looks_like_marker(content: str) -> bool:
    return content.startswith(BULLET_MARKER) or NUMBER_MARKER.match(content) is not None


def _readings(state: LexerState, raw: str, number: int) -> Iterator[tuple[dict, str]]:
    """Other ways to read a rejected line, nearest to what it says first."""
    if state.mode == FOOTER or (state.mode == COMMENTS and raw[:1] not in (" ", "\t")):
        yield {"as_text": True}, "kept as a footer line"
        return
    if state.mode != COMMENTS:
        return
    content = raw.lstrip(" \t")
    natural = max(1, (len(raw) - len(content)) // INDENT_WIDTH)
    deepest = state.level + 1
    levels = sorted(range(1, deepest + 1), key=lambda level: (abs(level - natural), -level))
    what = "a comment at depth {}" if _looks_like_marker(content) else "text at column {}"
    for level in levels:
        where = level if what.startswith("a comment") else level * INDENT_WIDTH + 1
        yield {"level": level}, "read as " + what.format(where)
    for level in levels:
        where = "" if level == natural else f" at column {level * INDENT_WIDTH + 1}"
        yield {"level": level, "as_text": True}, f"read as body text{where}"
