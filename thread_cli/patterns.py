"""The shapes of the special lines: comment header, categories, markers, author lines.

The lexer uses these to classify lines; the parser's transformer uses the
``parse_*`` helpers to pull the pieces (count, names) out of a line the lexer
has already classified.
"""

from __future__ import annotations

import re
from typing import NamedTuple

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
AUTHOR_LINE = re.compile(
    r"(?:(?P<avatar>.+?)['’]s avatar )?(?P<name>\S.*?)[ \t]+Says:[ \t]*"
)


class Byline(NamedTuple):
    author: str
    avatar: str | None


def parse_byline(text: str) -> Byline | None:
    match = AUTHOR_LINE.fullmatch(text)
    if match is None:
        return None
    return Byline(match["name"], match["avatar"])


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
