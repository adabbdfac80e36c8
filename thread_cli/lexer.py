"""The line lexer: each line of a dump becomes one token (or a few).

Lark's own lexers work on characters; this one works on whole lines, which is
what the format is made of, and it is where indentation becomes structure:
inside the comment list every two columns of indentation is one level, and a
change of level is emitted as one _INDENT or _DEDENT token per level. The
grammar (grammar/thread.lark) then decides what may follow what.

The lexer is a small state machine because the same line means different
things in different places: "  1. item" is article text before the comment
list and a comment marker inside it.
"""

from __future__ import annotations

from typing import Iterator

from lark import Token
from lark.lexer import Lexer

from .errors import ParseError
from .dates import is_date
from .patterns import ACTIONS_LINE, BULLET_MARKER, CATEGORIES, HEADER, NUMBER_MARKER, PINGBACK_LINE, is_byline
from .source import SourceText

_ARTICLE, _COMMENTS, _FOOTER = range(3)
INDENT_WIDTH = 2


def _token(kind: str, value: str, line: int, column: int) -> Token:
    return Token(kind, value, line=line, column=column, end_line=line)


def tokenize(source: SourceText) -> Iterator[Token]:
    """Yield the tokens of ``source`` for the LALR parser."""
    lines = source.lines
    mode = _ARTICLE
    level = 0
    have_title = have_categories = have_header = have_comment = False
    # The body level of the comment whose author line came last, until its
    # first body line has been seen: that line may be a date line.
    date_level: int | None = None

    for number, raw in enumerate(lines, start=1):
        if not raw.strip(" \t"):
            yield _token("BLANK", raw, number, 1)
            continue
        if not have_title:
            have_title = True
            yield _token("TITLE", raw, number, 1)
            continue

        content = raw.lstrip(" ")
        column = len(raw) - len(content)

        if mode == _ARTICLE:
            if column == 0 and not have_header and HEADER.fullmatch(raw):
                have_header = True
                mode = _COMMENTS
                yield _token("HEADER", raw, number, 1)
                continue
            if column == 0 and not have_categories and CATEGORIES.fullmatch(raw):
                have_categories = True
                yield _token("CATEGORIES", raw, number, 1)
                continue
            # Without a header, the list starts at the first numbered marker
            # that carries an author line (article lists have none), or at
            # any numbered marker once the categories line has been seen.
            marker = NUMBER_MARKER.match(content) if column == INDENT_WIDTH else None
            if marker and (have_categories or is_byline(content[marker.end():])):
                mode = _COMMENTS
            else:
                yield _token("TEXT", raw, number, 1)
                continue

        if mode == _COMMENTS and column == 0:
            if not have_comment and not have_header and HEADER.fullmatch(raw):
                have_header = True
                yield _token("HEADER", raw, number, 1)
                continue
            mode = _FOOTER
        if mode == _FOOTER:
            if column == 0:
                yield from _dedent_to(0, level, number)
                level = 0
                yield _token("FOOTER", raw, number, 1)
            else:
                # The grammar rejects this: nothing indented may follow the footer.
                yield _token("TEXT", content, number, column + 1)
            continue

        _check_indentation(source, number, raw, content, column)
        target = column // INDENT_WIDTH
        if target > level:
            for _ in range(target - level):
                yield _token("_INDENT", "", number, column + 1)
        elif target < level:
            yield from _dedent_to(target, level, number, column + 1)
        level = target
        have_comment = True
        first_body_line, date_level = date_level == level, None

        marker = _marker(content, level)
        if marker is not None:
            kind, marker_text, rest = marker
            rest_column = column + len(marker_text) + 1
            yield _token(kind, marker_text, number, column + 1)
            if is_byline(rest):
                yield _token("PINGBACK" if PINGBACK_LINE.fullmatch(rest) else "AUTHOR", rest, number, rest_column)
                date_level = level + 1
            elif rest:
                # The body starts on the marker line: it sits one level in.
                level += 1
                yield _token("_INDENT", "", number, rest_column)
                yield _token("TEXT", rest, number, rest_column)
            continue
        if first_body_line and is_date(content):
            yield _token("DATE", content, number, column + 1)
        elif ACTIONS_LINE.fullmatch(content) and _ends_body(lines, number, column):
            yield _token("ACTIONS", content, number, column + 1)
        else:
            yield _token("TEXT", content, number, column + 1)

    yield from _dedent_to(0, level, len(lines) + 1)


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


def _check_indentation(source: SourceText, number: int, raw: str, content: str, column: int) -> None:
    if content.startswith("\t"):
        raise ParseError(
            "tab in indentation",
            source=source.name,
            line=number,
            column=column + 1,
            line_text=raw,
            expected=("spaces",),
            hint="indentation is made of spaces, two per level; expand tabs first (expand -t 2)",
        )
    if column % INDENT_WIDTH:
        raise ParseError(
            f"indentation of {column} spaces is not a multiple of {INDENT_WIDTH}",
            source=source.name,
            line=number,
            column=column + 1,
            line_text=raw,
            expected=(f"{column - 1} or {column + 1} spaces of indentation",),
            hint="each level of the comment tree is indented two spaces",
        )


def _dedent_to(target: int, level: int, line: int, column: int = 1) -> Iterator[Token]:
    for _ in range(level - target):
        yield _token("_DEDENT", "", line, column)


class LineLexer(Lexer):
    """Adapter that lets Lark's LALR parser pull tokens from :func:`tokenize`."""

    def __init__(self, lexer_conf) -> None:  # noqa: D107 - Lark's signature
        pass

    def lex(self, source: SourceText) -> Iterator[Token]:  # Lark's custom-lexer interface 0
        return tokenize(source)
