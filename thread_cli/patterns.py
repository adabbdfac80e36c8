"""The shapes of the special lines: comment header, categories, markers, author lines.

The lexer uses these to classify lines; the parser's transformer uses the
``parse_*`` helpers to pull the pieces (count, names) out of a line the lexer
has already classified.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from .dates import DATE_PATTERN

_NUMBER_WORDS = {
    "no": 0, "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11,
    "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
}

HEADER = re.compile(
    r"(?P<count>\d{1,3}(?:[,.\u00a0\u202f ]\d{3})+|\d+|(?i:" + "|".join(_NUMBER_WORDS) + r"))"
    r" (?i:comments?|thoughts?|responses?|replies|reply)"
    r"(?: (?i:on|to) (?:“(?P<title>.*)”|\"(?P<plain_title>.*)\"))?[ \t]*"
)
CATEGORIES = re.compile(r"Explore posts in the same categories:[ \t]*(?P<names>.*)")
NUMBER_MARKER = re.compile(r"(?P<number>\d+)\.(?: +|$)")
BULLET_MARKER = "• "
# "AVATAR's avatar NAME Says:", "NAME says:", "NAME said:", "NAME on DATE [at TIME] said:"
AUTHOR_LINE = re.compile(
    r"(?:(?P<avatar>.+?)['’]s avatar )?(?P<name>\S.*?)"
    r"(?:[ \t]+on[ \t]+(?P<date>" + DATE_PATTERN + r"))?"
    r"[ \t]+(?:[Ss]ays|said):[ \t]*",
    re.IGNORECASE,
)
# "Pingback: Weekly links | Some Blog" (or Trackback) in place of an author line
PINGBACK_LINE = re.compile(r"(?P<kind>Pingback|Trackback):[ \t]*(?P<name>.*)", re.IGNORECASE)
# What a theme prints under a comment: "Reply", "Like Reply", "Liked by 3 people"…
_ACTION = r"Reply(?:[ \t]+[↓→])?|Liked by [\d,]+ (?:people|person|others)|Like|Loading(?:\.\.\.|…)|Report comment"
ACTIONS_LINE = re.compile(r"(?:" + _ACTION + r")(?:[ \t]+(?:" + _ACTION + r"))*[ \t]*")
_ONE_ACTION = re.compile(_ACTION)


class Byline(NamedTuple):
    author: str
    avatar: str | None
    date: str | None = None
    kind: str = "comment"


# Author lines repeat (a thread has far fewer authors than comments), and both
# the lexer and the model builder look at each one: remember the answers.
@lru_cache(maxsize=4096)
def parse_byline(text: str) -> Byline | None:
    """The pieces of an author line, or of a pingback/trackback line."""
    pingback = PINGBACK_LINE.fullmatch(text)
    if pingback is not None:
        return Byline(pingback["name"], None, None, pingback["kind"].lower())
    match = AUTHOR_LINE.fullmatch(text)
    if match is None:
        return None
    return Byline(match["name"], match["avatar"], match["date"])


@lru_cache(maxsize=4096)
def is_byline(text: str) -> bool:
    # Every author line ends in "says:" or "said:" (any case); checking that
    # first spares the full patterns for the many lines that cannot match.
    if text.rstrip(" \t")[-5:].lower() in ("says:", "said:"):
        return AUTHOR_LINE.fullmatch(text) is not None
    return PINGBACK_LINE.fullmatch(text) is not None


def parse_actions(text: str) -> list[str]:
    return _ONE_ACTION.findall(text)


def parse_header(text: str) -> tuple[int, str | None] | None:
    """The declared count and the quoted title of a comment header line."""
    match = HEADER.fullmatch(text)
    if match is None:
        return None
    count = match["count"]
    word = _NUMBER_WORDS.get(count.lower())
    declared = word if word is not None else int(re.sub(r"\D", "", count))
    title = match["title"] if match["title"] is not None else match["plain_title"]
    return declared, title


def parse_categories(text: str) -> list[str] | None:
    match = CATEGORIES.fullmatch(text)
    if match is None:
        return None
    return [name.strip() for name in match["names"].split(",") if name.strip()]
