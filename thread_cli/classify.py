"""The line classifier: what a line could be, from its shape alone.

``classify`` looks at one line and lists its readings, most specific first:
a marker line with an author line is a comment, or else text; a date-shaped
line is a date line, or else text; any line can be article text. It keeps no
state and knows nothing of what came before: the grammar picks, among the
readings, the first that fits where the line stands (see frontend.py).

A reading's ``level`` is where the line sits in the comment tree: two
columns of indentation per level, 0 for the lines outside the comment list
(title, article, header, footer). The patterns come from patterns.py.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from .dates import is_date
from .patterns import (
    ACTIONS_LINE, BULLET_MARKER, CATEGORIES, NUMBER_MARKER, is_bare_name, is_byline, is_header,
    is_header_but_for_its_stop, is_name_then_date, is_stamp,
    parse_blogger_said, parse_date_header,
)

INDENT_WIDTH = 2
# Longer than this, a line is never a date or an action line: spares the
# patterns for most body text.
_SHORT_LINE = 64
_NOT_PLAIN = frozenset("•0123456789\t")
_MONTH_INITIALS = frozenset("JFMASONDjfmasond")
_ACTION_INITIALS = frozenset("RLD")
_WEEKDAY_INITIALS = frozenset("MTWFSmtwfs")
# Every line of a dump gets a Shape and a Reading or more: the hot paths
# build them with tuple.__new__, which costs a third less than calling the
# NamedTuple (whose __new__ is a Python function), all fields given.
_new = tuple.__new__


class Flaw(NamedTuple):
    """Indentation that is not two spaces per level, and how it is read anyway."""

    message: str
    column: int
    expected: tuple[str, ...]
    hint: str
    repair: str


class Reading(NamedTuple):
    kind: str  # the grammar's terminal
    level: int  # the level in the comment tree; 0 outside the comment list
    value: object  # the token's value (PARA: the line's text, its indentation removed)
    column: int  # 1-based column where the token's text starts
    # NUMBER_TEXT only: the first line of the comment's text, one level in.
    rest: str | None = None
    flaw: Flaw | None = None


class Shape(NamedTuple):
    """A line's readings, and where its text starts."""

    readings: tuple[Reading, ...]
    content: str  # the line without its indentation
    column: int  # 0-based column of ``content``
    raw: str
    # The level where the line is body text first of all, well indented (so
    # it goes on a paragraph open there: the grammar always takes it); None
    # for a line that is something else first.
    text_level: int | None = None

    def fallbacks(self) -> tuple[Reading, ...]:
        """The readings left to an indented line when none of ``readings``
        fits: article text as it stands, or the title. (Made only when asked
        for: most lines never need them.) A line at column 1 has them in
        ``readings`` already."""
        if self.raw[0] not in " \t":
            return ()
        return Reading("PARA", 0, self.raw, 1), Reading("TITLE", 0, self.raw, 1)


def classify(raw: str) -> Shape | None:
    """The readings of a line, most specific first (see also Shape.fallbacks);
    None for a blank line (nothing but spaces and tabs)."""
    content = raw.lstrip(" ")
    if not content or (content[0] == "\t" and not content.strip(" \t")):
        return None
    column = len(raw) - len(content)
    if column == 0 and content[0] != "\t":
        readings = _margin_readings(raw)
    else:
        flaw = None
        level, odd = divmod(column, INDENT_WIDTH)
        if column == 0:  # the line starts with a tab
            flaw, level, content, column = _tab_indentation(raw)
        elif odd:
            # Rounded up: a missing space is likelier than an extra one, and a
            # line at column 2 would otherwise land on the margin.
            level += 1
            flaw = Flaw(
                f"indentation of {column} spaces is not a multiple of {INDENT_WIDTH}", column + 1,
                (f"{column - 1} or {column + 1} spaces of indentation",),
                "each level of the comment tree is indented two spaces", f"read as {column + 1} spaces",
            )
        readings = _body_readings(content, level, column + 1, flaw)
    first = readings[0]
    text_level = first.level if first.kind == "PARA" and first.flaw is None else None
    return _new(Shape, (readings, content, column, raw, text_level))


def _margin_readings(raw: str) -> tuple[Reading, ...]:
    """A line at column 1: a date header above the title, a header, the
    categories line, a Blogger byline, time or action line, article text, a
    footer line, or the title."""
    readings = []
    first = raw[0]
    if first in _WEEKDAY_INITIALS and parse_date_header(raw) is not None:
        readings.append(Reading("DATELINE", 0, raw, 1))
    # A header starts with its count, in digits or in words ("One thought").
    if first.isalnum() and is_header(raw):
        readings.append(Reading("HEADER", 0, raw, 1))
    if first == "E" and CATEGORIES.fullmatch(raw):
        readings.append(Reading("CATEGORIES", 0, raw, 1))
    if len(raw) <= _SHORT_LINE * 3:
        if parse_blogger_said(raw) is not None:
            readings.append(Reading("SAID", 0, raw, 1))
        elif is_stamp(raw):
            readings.append(Reading("STAMP", 0, raw, 1))
        elif ACTIONS_LINE.fullmatch(raw):
            readings.append(Reading("ACTIONS", 0, raw, 1))
    readings.append(Reading("PARA", 0, raw, 1))
    readings.append(Reading("FOOTER", 0, raw, 1))
    readings.append(Reading("TITLE", 0, raw, 1))
    return tuple(readings)


def _body_readings(content: str, level: int, column: int, flaw: Flaw | None) -> tuple[Reading, ...]:
    """The readings of a line inside the comment list, at ``level``."""
    text = _new(Reading, ("PARA", level, content, column, None, flaw))
    first = content[0]
    if first in _NOT_PLAIN:
        marker = NUMBER_MARKER.match(content) if first.isdigit() else None
        if marker is not None:
            return _marker_readings(marker.group(), content[marker.end():], level, column, flaw, text)
        if content.startswith(BULLET_MARKER):
            return _marker_readings(BULLET_MARKER, content[len(BULLET_MARKER):], level, column, flaw, text)
    if len(content) <= _SHORT_LINE:
        # A date starts with a digit or a month's name, an action line with
        # Reply, Like, Liked, Loading, Report or Delete: most text is neither.
        if (first.isdigit() or first in _MONTH_INITIALS) and is_date(content):
            return (_new(Reading, ("DATE", level, content, column, None, flaw)), text)
        if first in _ACTION_INITIALS and ACTIONS_LINE.fullmatch(content):
            return (_new(Reading, ("ACTIONS", level, content, column, None, flaw)), text)
    return (text,)


def _marker_readings(marker: str, rest: str, level: int, column: int, flaw: Flaw | None,
                     text: Reading) -> tuple[Reading, ...]:
    """A line that starts with "N. " or "• ": a comment, or a list item in a comment's text.

    With an author line it is a comment: at the top level "N. " starts one
    (NUMBER), and "• " a top-level or a reply (BULLET); a numbered marker
    with an author line deeper down is a reply too, never text. A bare name
    (NUMBER_NAME, BULLET_NAME) is a comment only when its text follows one
    level in (the grammar says so); at the top level, a marker with text is
    a comment without a byline (NUMBER_TEXT, BULLET_TEXT).
    """
    numbered = marker != BULLET_MARKER
    if is_byline(rest):
        kind = "NUMBER" if numbered and level == 1 else "BULLET"
        comment = _new(Reading, (kind, level, (marker, rest), column, None, flaw))
        return (comment,) if numbered else (comment, text)
    readings = []
    if is_bare_name(rest) and (level == 1 or not numbered):
        kind = "NUMBER_NAME" if numbered else "BULLET_NAME"
        readings.append(_new(Reading, (kind, level, (marker, rest), column, None, flaw)))
    without_byline = Reading("NUMBER_TEXT" if numbered else "BULLET_TEXT", level, (marker, None), column,
                             rest or None, flaw)
    if level == 1:
        readings.append(without_byline)
    readings.append(text)
    if not numbered and level > 1:
        # A reply without a byline (WordPress.com): only where text cannot
        # go, after the comment's action lines; elsewhere a list in the text.
        readings.append(without_byline)
    return tuple(readings)


def _tab_indentation(raw: str) -> tuple[Flaw, int, str, int]:
    """A line that starts with a tab: each tab read as one level."""
    content = raw.lstrip(" \t")
    prefix = raw[: len(raw) - len(content)]
    width = prefix.count(" ") + INDENT_WIDTH * prefix.count("\t")
    flaw = Flaw(
        "tab in indentation", 1, ("spaces",),
        "indentation is made of spaces, two per level; expand tabs first (expand -t 2)",
        "each tab read as one level (two spaces)",
    )
    return flaw, max(1, -(-width // INDENT_WIDTH)), content, len(prefix)


_CLOCK = re.compile(r"\d:\d\d")
# Kinds of line that only a comment section has.
_COMMENT_KINDS = frozenset({"NUMBER", "BULLET", "SAID", "HEADER", "ACTIONS"})


def looks_like_comment(shape: Shape) -> str | None:
    """"strong" for a line shaped like part of a comment section (a marker
    with an author line, at any indentation; a Blogger byline; a header, even
    one ending in a full stop; an action line), "weak" for a date and time
    alone on a line or a name and a date (an article may have one), else
    None. Read as article text, such lines hint at a layout the grammar missed."""
    if any(reading.kind in _COMMENT_KINDS for reading in shape.readings):
        return "strong"
    content = shape.content.lstrip("\t")
    marker = NUMBER_MARKER.match(content)
    if marker is not None:
        rest = content[marker.end():]
    elif content.startswith(BULLET_MARKER):
        rest = content[len(BULLET_MARKER):]
    else:
        rest = None
    if rest is not None and is_byline(rest):
        return "strong"
    if shape.column == 0 and is_header_but_for_its_stop(content):
        return "strong"
    if len(content) <= _SHORT_LINE and (
            (_CLOCK.search(content) and is_stamp(content)) or is_name_then_date(content)):
        return "weak"
    return None

