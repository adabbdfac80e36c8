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
from .patterns import AUTHOR_LINE, BULLET_MARKER, CATEGORIES, HEADER, NUMBER_MARKER
from .source import SourceText

_ARTICLE, _COMMENTS, _FOOTER = range(3)
INDENT_WIDTH = 2


def _token(kind: str, value: str, line: int, column: int) -> Token:
    return Token(kind, value, line=line, column=column, end_line=line)


def tokenize(source: SourceText) -> Iterator[Token]:
    """Yield the tokens of ``source`` for the LALR parser."""
    mode = _ARTICLE
    level = 0
    have_title = have_categories = have_header = have_comment = False

    for number, raw in enumerate(source.lines, start=1):
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
            if marker and (have_categories or AUTHOR_LINE.fullmatch(content, marker.end())):
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

        target = column // INDENT_WIDTH
        if target > level:
            for _ in range(target - level):
                yield _token("_INDENT", "", number, column + 1)
        elif target < level:
            yield from _dedent_to(target, level, number, column + 1)
        level = target
        have_comment = True

        marker = NUMBER_MARKER.match(content)
        if marker:
            rest = content[marker.end():]
            rest_column = column + marker.end() + 1
            has_author = bool(rest) and AUTHOR_LINE.fullmatch(rest) is not None
            # Inside a body, "1. item" is a list item (body text); with an
            # author line it is a misplaced comment, which the grammar rejects.
            if level == 1 or has_author:
                yield _token("NUMBER", marker.group(), number, column + 1)
                if has_author:
                    yield _token("AUTHOR", rest, number, rest_column)
                elif rest:
                    # The body starts on the marker line: it sits one level in.
                    level += 1
                    yield _token("_INDENT", "", number, rest_column)
                    yield _token("TEXT", rest, number, rest_column)
                continue
        if content.startswith(BULLET_MARKER):
            rest = content[len(BULLET_MARKER):]
            if AUTHOR_LINE.fullmatch(rest):
                yield _token("BULLET", BULLET_MARKER, number, column + 1)
                yield _token("AUTHOR", rest, number, column + len(BULLET_MARKER) + 1)
                continue
        yield _token("TEXT", content, number, column + 1)

    yield from _dedent_to(0, level, len(source.lines) + 1)


def _dedent_to(target: int, level: int, line: int, column: int = 1) -> Iterator[Token]:
    for _ in range(level - target):
        yield _token("_DEDENT", "", line, column)


class LineLexer(Lexer):
    """Adapter that lets Lark's LALR parser pull tokens from :func:`tokenize`."""

    def __init__(self, lexer_conf) -> None:  # noqa: D107 - Lark's signature
        pass

    def lex(self, source: SourceText) -> Iterator[Token]:  # Lark's custom-lexer interface 0
        return tokenize(source)
