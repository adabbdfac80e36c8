"""The line lexer: each line of a dump becomes one token (or a few).

Lark's own lexers work on characters; this one works on whole lines, which is
what the format is made of, and it is where indentation becomes structure:
inside the comment list every two columns of indentation is one level, and a
change of level is emitted as one _INDENT or _DEDENT token per level. The
grammar (grammar/thread.lark) then decides what may follow what.

The lexer is a small state machine because the same line means different
things in different places: "  1. item" is article text before the comment
list and a comment marker inside it. Its state is a handful of fields, so the
recovering parser (recovery.py) can save it, try a line several ways, and
restore it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Callable, Iterator

from lark import Token
from lark.lexer import Lexer

from .dates import is_date
from .errors import ParseError
from .patterns import ACTIONS_LINE, BULLET_MARKER, CATEGORIES, HEADER, NUMBER_MARKER, PINGBACK_LINE, is_byline
from .source import SourceText

ARTICLE, COMMENTS, FOOTER = range(3)
INDENT_WIDTH = 2

# Called with a ParseError for a problem the lexer can repair (odd
# indentation, tabs); without one, such problems are raised.
ProblemHandler = Callable[[ParseError], None]


def _token(kind: str, value: str, line: int, column: int) -> Token:
    return Token(kind, value, line=line, column=column, end_line=line)


@dataclass
class LexerState:
    mode: int = ARTICLE
    level: int = 0
    have_title: bool = False
    have_categories: bool = False
    have_header: bool = False
    have_comment: bool = False
    # The body level of the comment whose author line came last, until its
    # first body line has been seen: that line may be a date line.
    date_level: int | None = None


class LineTokenizer:
    """Turns the lines of one source into tokens, line by line."""

    def __init__(self, source: SourceText, on_problem: ProblemHandler | None = None) -> None:
        self.source = source
        self.lines = source.lines
        self.on_problem = on_problem
        self.state = LexerState()

    def snapshot(self) -> LexerState:
        return dataclasses.replace(self.state)

    def restore(self, state: LexerState) -> None:
        self.state = dataclasses.replace(state)

    def tokens(self) -> Iterator[Token]:
        for number, raw in enumerate(self.lines, start=1):
            yield from self.line_tokens(number, raw)
        yield from self.finish()

    def finish(self) -> list[Token]:
        """The _DEDENT tokens that close every open level at the end of input."""
        closing = _dedents(0, self.state.level, len(self.lines) + 1, 1)
        self.state.level = 0
        return closing

    def line_tokens(self, number: int, raw: str, *, level: int | None = None, as_text: bool = False) -> list[Token]:
        """The tokens of one line.

        ``level`` forces the line's level in the comment tree and ``as_text``
        reads it as plain text: the recovering parser uses them to repair a
        line the grammar rejects.
        """
        state = self.state
        if not raw.strip(" \t"):
            return [_token("BLANK", raw, number, 1)]
        if not state.have_title:
            state.have_title = True
            return [_token("TITLE", raw, number, 1)]

        content = raw.lstrip(" ")
        column = len(raw) - len(content)

        if state.mode == ARTICLE:
            if column == 0 and not state.have_header and HEADER.fullmatch(raw):
                state.have_header = True
                state.mode = COMMENTS
                return [_token("HEADER", raw, number, 1)]
            if column == 0 and not state.have_categories and CATEGORIES.fullmatch(raw):
                state.have_categories = True
                return [_token("CATEGORIES", raw, number, 1)]
            # Without a header, the list starts at the first numbered marker
            # that carries an author line (article lists have none), or at
            # any numbered marker once the categories line has been seen.
            marker = NUMBER_MARKER.match(content) if column == INDENT_WIDTH else None
            if not (marker and (state.have_categories or is_byline(content[marker.end():]))):
                return [_token("TEXT", raw, number, 1)]
            state.mode = COMMENTS

        at_margin = column == 0 and not content.startswith("\t")
        if state.mode == COMMENTS and at_margin:
            if not state.have_comment and not state.have_header and HEADER.fullmatch(raw):
                state.have_header = True
                return [_token("HEADER", raw, number, 1)]
            state.mode = FOOTER
        if state.mode == FOOTER:
            if at_margin or as_text:
                tokens = _dedents(0, state.level, number, 1)
                state.level = 0
                tokens.append(_token("FOOTER", raw, number, 1))
                return tokens
            # The grammar rejects this: nothing indented may follow the footer.
            return [_token("TEXT", content, number, column + 1)]

        content, column = self._indentation(number, raw, content, column)
        target = column // INDENT_WIDTH if level is None else level
        tokens: list[Token] = []
        if target > state.level:
            tokens.extend(_token("_INDENT", str(depth), number, column + 1) for depth in range(state.level + 1, target + 1))
        elif target < state.level:
            tokens.extend(_dedents(target, state.level, number, column + 1))
        state.level = target
        state.have_comment = True
        first_body_line, state.date_level = state.date_level == target, None

        marker = None if as_text else _marker(content, target)
        if marker is not None:
            kind, marker_text, rest = marker
            rest_column = column + len(marker_text) + 1
            tokens.append(_token(kind, marker_text, number, column + 1))
            if is_byline(rest):
                tokens.append(_token("PINGBACK" if PINGBACK_LINE.fullmatch(rest) else "AUTHOR", rest, number, rest_column))
                state.date_level = target + 1
            elif rest:
                # The body starts on the marker line: it sits one level in.
                state.level = target + 1
                tokens.append(_token("_INDENT", str(target + 1), number, rest_column))
                tokens.append(_token("TEXT", rest, number, rest_column))
        elif first_body_line and is_date(content):
            tokens.append(_token("DATE", content, number, column + 1))
        elif not as_text and ACTIONS_LINE.fullmatch(content) and _ends_body(self.lines, number, column):
            tokens.append(_token("ACTIONS", content, number, column + 1))
        else:
            tokens.append(_token("TEXT", content, number, column + 1))
        return tokens

    def _indentation(self, number: int, raw: str, content: str, column: int) -> tuple[str, int]:
        """Check the indentation; with a problem handler, repair it and go on."""
        if content.startswith("\t"):
            problem = ParseError(
                "tab in indentation",
                source=self.source.name, line=number, column=column + 1, line_text=raw,
                expected=("spaces",),
                hint="indentation is made of spaces, two per level; expand tabs first (expand -t 2)",
            )
            if self.on_problem is None:
                raise problem
            problem.repair = "each tab read as one level (two spaces)"
            self.on_problem(problem)
            stripped = content.lstrip(" \t")
            prefix = raw[: len(raw) - len(stripped)]
            column = prefix.count(" ") + INDENT_WIDTH * prefix.count("\t")
            content = stripped
        if column % INDENT_WIDTH:
            problem = ParseError(
                f"indentation of {column} spaces is not a multiple of {INDENT_WIDTH}",
                source=self.source.name, line=number, column=column + 1, line_text=raw,
                expected=(f"{column - 1} or {column + 1} spaces of indentation",),
                hint="each level of the comment tree is indented two spaces",
            )
            if self.on_problem is None:
                raise problem
            problem.repair = f"read as {column - 1} spaces"
            self.on_problem(problem)
            column -= 1
        return content, column


def tokenize(source: SourceText) -> Iterator[Token]:
    """Yield the tokens of ``source`` for the LALR parser (strict: problems raise)."""
    return LineTokenizer(source).tokens()


def _marker(content: str, level: int) -> tuple[str, str, str] | None:
    """(token kind, marker, rest of line) when ``content`` starts a comment here.

    A numbered marker starts a top-level comment at level 1. Deeper, "1. item"
    is a list item (body text), but "1. NAME Says:" is a misplaced comment:
    it is returned so that the grammar rejects it with a precise message.
    A bullet starts a reply only when an author line follows it.
    """
    number = NUMBER_MARKER.match(content)
    if number is not None:
        rest = content[number.end():]
        if level == 1 or is_byline(rest):
            return "NUMBER", number.group(), rest
        return None
    if content.startswith(BULLET_MARKER):
        rest = content[len(BULLET_MARKER):]
        if is_byline(rest):
            return "BULLET", BULLET_MARKER, rest
    return None


def _ends_body(lines: list[str], number: int, column: int) -> bool:
    """True when line ``number`` is the last line of its comment's own text.

    That is when the next non-blank line is less indented, starts a reply at
    the same column, or does not exist.
    """
    for following in lines[number:]:
        content = following.lstrip(" ")
        if not content.strip(" \t"):
            continue
        next_column = len(following) - len(content)
        if next_column < column:
            return True
        return next_column == column and _marker(content, column // INDENT_WIDTH) is not None
    return True


def _dedents(target: int, level: int, line: int, column: int) -> list[Token]:
    """One _DEDENT per level closed; the value names the level being closed."""
    return [_token("_DEDENT", str(depth), line, column) for depth in range(level, target, -1)]


class LineLexer(Lexer):
    """Adapter that lets Lark's LALR parser pull tokens from :func:`tokenize`."""

    def __init__(self, lexer_conf) -> None:  # noqa: D107 - Lark's signature
        pass

    def lex(self, source: SourceText) -> Iterator[Token]:  # Lark's custom-lexer interface 0
        return tokenize(source)
