"""Rejections in words: what was found, what would have fitted, and a hint.

The parser says which token type it rejected and which it would have
accepted there; this module turns that into a :class:`Problem` a user can
act on.
"""

from __future__ import annotations

from .lalr import END
from .problems import Problem

# What each terminal is, in words. Blank lines are always allowed, and date
# and action lines are optional extras, so none of those are listed as expected.
_WORDS = {
    "TITLE": "a title line",
    "PARA": "text",
    "CATEGORIES": "the categories line",
    "HEADER": "the comment header",
    "NUMBER": "a top-level comment marker ('N. ') at column 3",
    "NUMBER_NAME": "a top-level comment marker ('N. ') at column 3",
    "NUMBER_TEXT": "a top-level comment marker ('N. ') at column 3",
    "BULLET": "a reply marker ('• NAME Says:')",
    "BULLET_NAME": "a reply marker ('• NAME Says:')",
    "BULLET_TEXT": "a reply marker ('• NAME Says:')",
    "SAID": "a byline ('NAME said...')",
    "STAMP": "a time line",
    "FOOTER": "a footer line at column 1",
    "_INDENT": "a more indented line",
    "_DEDENT": "a less indented line",
    END: "the end of the input",
}
_FOUND = {
    "_INDENT": "indentation (deeper than the tree allows here)",
    "_DEDENT": "decrease of indentation",
    "NUMBER": "numbered comment marker",
    "NUMBER_NAME": "numbered comment marker",
    "NUMBER_TEXT": "numbered comment marker",
    "BULLET": "reply marker",
    "BULLET_NAME": "reply marker",
    "BULLET_TEXT": "reply marker",
    "SAID": "byline",
    "STAMP": "time line",
    "PARA": "text",
    "FOOTER": "line at column 1",
    "DATELINE": "date header",
    END: "end of input",
}
_MARKERS = {"NUMBER", "NUMBER_NAME", "NUMBER_TEXT"}


def explain(rejected: str, choices: list[str], source, line: int, column: int) -> Problem:
    """The Problem for a token of type ``rejected`` at ``line``:``column``,
    where the grammar would have taken one of ``choices``."""
    acceptable = set(choices)
    before_comments = bool(acceptable & {"CATEGORIES", "HEADER"})
    words = {**_WORDS, "_INDENT": "the comment list (markers at column 3)"} if before_comments else _WORDS
    expected: list[str] = []
    for name in sorted(acceptable, key=_order):
        if name in words and words[name] not in expected:
            expected.append(words[name])
    if rejected == END:
        line = max(source.line_count, 1)
        column = 1
    return Problem(
        f"unexpected {_FOUND.get(rejected, rejected.lower())}" + ("; expected " + _or_list(expected) if expected else ""),
        source=source.name,
        line=line,
        column=column,
        line_text=source.line_text(line),
        expected=tuple(expected),
        hint=_hint(rejected, acceptable | ({"HEADER"} if before_comments else set()), column, source),
    )


def _order(name: str) -> int:
    return list(_WORDS).index(name) if name in _WORDS else len(_WORDS)


def _or_list(items: list[str]) -> str:
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " or " + items[-1]


def _hint(kind: str, expected: set[str], column: int, source) -> str | None:
    if not source.line_count:
        return "the input is empty; a dump starts with the article's title"
    markers_expected = bool(expected & _MARKERS)
    if kind == "_INDENT":
        return (
            "a reply's marker sits two columns right of its parent's marker, and a "
            "comment's text two columns right of its own marker; this line jumps further"
        )
    if kind in _MARKERS and not markers_expected:
        return "numbered markers start top-level comments at column 3; a reply is marked '• '"
    if kind == "BULLET" and markers_expected:
        return "a reply at column 3 has no parent: replies start at column 5 or deeper"
    if kind == "PARA" and markers_expected:
        return (
            f"text at column {column} belongs to no comment: a comment's text is indented "
            "two columns more than its marker"
        )
    if kind == "PARA" and expected & {"CATEGORIES", "HEADER"}:
        return (
            "text after the categories line or comment header has no place: the article's "
            "paragraphs come before them, and the comments after them are indented"
        )
    if kind == "PARA" and "FOOTER" in expected:
        return "only lines at column 1 may follow the footer"
    if kind == "PARA" and "BULLET" in expected:
        return "a comment's text comes before its replies; is this line indented too little?"
    return None
