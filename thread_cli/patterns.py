"""The shapes of the special lines, family by family: headers, bylines, dates, actions, markers.

A comment section comes in one of a few families (see README, "Layouts"):

* ``wordpress``: an indented list, top-level comments marked "  1. " or
  "  • ", replies "• " (or "1. ") two columns deeper, the author on the
  marker line ("Ana says:", "Zoë's avatar zoe Says:", "Bruno on DATE said:",
  "Ann Lee March 13, 2018 / 10:28 am", a bare name), WordPress.com's
  "Like", "Liked by 1 person", "Reply" lines;
* ``blogger``: a flat list at column 1 under "12 comments:", each comment a
  "NAME said..." line, its text, then a time line ("10:50 AM"); or, with
  threaded comments, a numbered list ("  1. Ann Lee April 9, 2014 at 7:12
  PM") whose replies sit inside the comment's body after "ReplyDelete" and
  "Replies" lines.

The classifier (classify.py) asks these functions what a line could be;
the model builder asks them for the pieces (count, names, dates). Every
pattern runs on a bounded piece of a line, so a hostile 40 KB line costs
no more than a short one.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from .dates import DATE_PATTERN, is_date

_NUMBER_WORDS = {
    "no": 0, "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11,
    "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
}
# No byline, header or time line is longer than this; longer lines are text.
_SHORT = 200
# A count of at most nine digits (with or without thousands separators): a
# longer "count" is text, and int() never sees thousands of digits.
_COUNT = r"(?P<count>\d{1,3}(?:[,.\u00a0\u202f ]\d{3}){1,2}|\d{1,9}|(?i:" + "|".join(_NUMBER_WORDS) + r"))"
_NOUN = r"(?i:comments?|thoughts?|responses?|replies|reply)"

HEADER = re.compile(
    r"(?:(?i:this post has) )?" + _COUNT + " " + _NOUN +
    r"(?:"
    # "14 thoughts on “T”", an unclosed "“T", "on \"T\"", or an unquoted title
    r" (?i:on|to) (?:“(?P<title>[^”]*)”?|\"(?P<plain_title>[^\"]*)\"?|(?P<bare_title>[^“\"].*[^.!?:;,]))"
    r"|(?P<colon>:)"  # Blogger: "12 comments:"
    r"|[ \t]+(?i:add yours)"
    r")?[ \t]*"
)
CATEGORIES = re.compile(r"Explore posts in the same categories:[ \t]*(?P<names>.*)")
NUMBER_MARKER = re.compile(r"(?P<number>\d+)\.(?: +|$)")
BULLET_MARKER = "• "
# "Pingback: Weekly links | Some Blog" (or Trackback) in place of an author line
PINGBACK_LINE = re.compile(r"(?P<kind>Pingback|Trackback):[ \t]*(?P<name>.*)", re.IGNORECASE)
# The end of a WordPress author line: "says:", "Says", "said:".
_SAYS = re.compile(r"[ \t]+(?:says:?|said:)[ \t]*\Z", re.IGNORECASE)
_AVATAR = re.compile(r"['’]s avatar ", re.IGNORECASE)
_ON_DATE = re.compile(r"[ \t]+on[ \t]+(?P<date>" + DATE_PATTERN + r")\Z", re.IGNORECASE)
# A plugin's badge inside the byline: "Ann (7 comments.) says:"
_BADGE = re.compile(r"[ \t]*\(\d[\d,]* comments?\.?\)\Z", re.IGNORECASE)
# "Ann Lee March 13, 2018 / 10:28 am" (WordPress themes), "Ann Lee April 9,
# 2014 at 7:12 PM" (Blogger's threaded comments, where some extractors glue
# the name to the date: "Ann LeeApril 9, 2014 at 7:12 PM").
_NAME_THEN_DATE = re.compile(r"(?P<name>\S(?:.*?\S)?)[ \t]*(?P<date>" + DATE_PATTERN + r")[ \t]*\Z", re.IGNORECASE)
_INITIAL = re.compile(r"(?:\A|[ \t])[A-Z]\.\Z")
_HAS_TIME = re.compile(r"\d[:.]\d\d")
# A sentence that ends in a date ("We met on April 9, 2014 at 7:12 PM") has
# a word like these before it; a name does not.
_BEFORE_A_DATE = frozenset("on at by in of since until till before after from to was is".split())
# The first word of an article's dateline, never a name.
_DATELINE_WORDS = frozenset("posted published updated edited modified written created dated released".split())
# A name alone on the marker line: a few words, no sentence punctuation.
_BARE_NAME = re.compile(r"[^\s.!?:;,…]\S*(?: \S+){0,3}")
_SENTENCE_END = tuple(".!?:;,…\"”)")
# Blogger: "Ann Lee said...", "Anonymous said…"
_BLOGGER_SAID = re.compile(r"(?P<name>\S(?:.*\S)?)[ \t]+said(?:\.\.\.|…)[ \t]*\Z")
# Blogger's time line: "10:50 AM", "March 5, 2012 at 10:50 AM", "3/05/2012 10:50 AM"
_CLOCK = r"\d{1,2}:\d{2}(?:[ \t]*[AaPp]\.?[Mm]\.?)?"
STAMP = re.compile(
    r"(?:(?P<date>" + DATE_PATTERN + r")|\d{1,2}/\d{1,2}/\d{2,4}(?:[ \t]+" + _CLOCK + r")?|" + _CLOCK + r")[ \t]*",
    re.IGNORECASE,
)
# What a theme prints under a comment: "Reply", "Like Reply", "Liked by 3 people", Blogger's "Delete"…
_ACTION = (r"Reply(?:[ \t]+[↓→])?|Liked by [\d,]+ (?:people|person|others)|Like|Loading(?:\.\.\.|…)"
           r"|Report comment|ReplyDelete|Delete|Replies")
# Actions are apart, or glued the way extractors glue two buttons' labels:
# WordPress.com's Like button to its count, "LikeLike", "LikeLiked by 2
# people" (as Blogger's "ReplyDelete" above); parse_actions finds each one.
_APART = r"(?:[ \t]+|(?<=Like)(?=Like))"
ACTIONS_LINE = re.compile(r"(?:" + _ACTION + r")(?:" + _APART + r"(?:" + _ACTION + r"))*[ \t]*")
_ONE_ACTION = re.compile(_ACTION)


_WEEKDAY = r"(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?"
_DATE_HEADER = re.compile(_WEEKDAY + r",?[ \t]+(?P<date>\S.*?)[ \t]*", re.IGNORECASE)


class Byline(NamedTuple):
    author: str
    avatar: str | None
    date: str | None = None
    kind: str = "comment"


# Author lines repeat (a thread has far fewer authors than comments), and both
# the classifier and the model builder look at each one: remember the answers.
@lru_cache(maxsize=4096)
def parse_byline(text: str) -> Byline | None:
    """The pieces of a WordPress author line or pingback line on a marker
    line (bare names aside: see :func:`is_bare_name`)."""
    if len(text) > _SHORT:
        return None
    pingback = PINGBACK_LINE.fullmatch(text)
    if pingback is not None:
        return Byline(pingback["name"], None, None, pingback["kind"].lower())
    # Most marker lines are a comment's text: look at the end of the line
    # before searching all of it.
    tail = text.rstrip(" \t")[-5:]
    if tail.lower().endswith(("says:", "says", "said:")):
        says = _SAYS.search(text)
        if says is not None:
            return _named(text[: says.start()])
    # A byline's date ends in its minutes or "pm", and has its time.
    if (tail[-1:].isdigit() or tail[-1:] in ("m", "M", ".")) and _HAS_TIME.search(text):
        match = _NAME_THEN_DATE.fullmatch(text)
        if match is not None and _is_name_and_date(match["name"], match["date"],
                                                   glued=match.end("name") == match.start("date")):
            return Byline(match["name"], None, match["date"])
    return None


def _is_name_and_date(name: str, date: str, *, glued: bool) -> bool:
    """True when "NAME DATE" is a byline, not a sentence ending in a date: the
    date has its time, the name is short, and no preposition leads to the date."""
    if _INITIAL.search(name):
        name = name[:-1]  # "Pavel S." is a name, its full stop no sentence's end
    if glued and not (name[-1].isalpha() and date[0].isalpha()):
        return False  # "Route 66March 5…" never; "Ann LeeApril 9…" is a glued name
    return (_HAS_TIME.search(date) is not None and is_bare_name(name)
            and name.rsplit(None, 1)[-1].casefold() not in _BEFORE_A_DATE)


def _named(text: str) -> Byline | None:
    """"[AVATAR's avatar ]NAME[ (N comments.)][ on DATE]", before "says:"."""
    avatar = None
    found = _AVATAR.search(text)
    if found is not None:
        avatar, text = text[: found.start()], text[found.end():]
    date = None
    on_date = _ON_DATE.search(text)
    if on_date is not None:
        date, text = on_date["date"], text[: on_date.start()]
    text = _BADGE.sub("", text).strip(" \t")
    if not text or (avatar is not None and not avatar.strip()):
        return None
    return Byline(text, avatar, date)


def is_byline(text: str) -> bool:
    return parse_byline(text) is not None


def is_name_then_date(text: str) -> bool:
    """A name and a date alone on a line, with or without a time ("Kim Ray
    July 12, 2013"): how flat comment lists without markers print their
    bylines. Not a dateline ("Updated July 12, 2013") nor a sentence that
    ends in a date ("We met on July 12, 2013")."""
    if len(text) > 60 or not text[-1:].isalnum():
        return False
    match = _NAME_THEN_DATE.fullmatch(text)
    if match is None:
        return False
    words = match["name"].casefold().split()
    return (is_bare_name(match["name"]) and words[-1] not in _BEFORE_A_DATE
            and words[0] not in _DATELINE_WORDS)


def is_bare_name(text: str) -> bool:
    """True for a name alone on a marker line ("MarthaK", "Ann Lee"): short,
    no sentence punctuation; only what follows tells it from a short comment."""
    return (len(text) <= 40 and _BARE_NAME.fullmatch(text) is not None
            and not text.endswith(_SENTENCE_END) and not is_date(text))


def parse_blogger_said(text: str) -> str | None:
    """The author of a Blogger byline ("Ann Lee said..."), or None."""
    if len(text) > _SHORT:
        return None
    match = _BLOGGER_SAID.fullmatch(text)
    return match["name"] if match else None


def is_stamp(text: str) -> bool:
    """A Blogger time line: a date, a time, or both."""
    return len(text) <= 60 and STAMP.fullmatch(text) is not None


def parse_actions(text: str) -> list[str]:
    return _ONE_ACTION.findall(text)


class Header(NamedTuple):
    declared: int  # the count it gives
    title: str | None  # the title it names, if any ("14 thoughts on “T”")
    blogger: bool  # Blogger's form, a count and a colon: "12 comments:", "No comments:"


def parse_header(text: str) -> Header | None:
    """The pieces of a comment header line, or None for any other line."""
    if len(text) > _SHORT * 4:
        return None
    match = HEADER.fullmatch(text)
    if match is None:
        return None
    count = match["count"]
    word = _NUMBER_WORDS.get(count.lower())
    declared = word if word is not None else int(re.sub(r"\D", "", count))
    title = next((match[name] for name in ("title", "plain_title", "bare_title") if match[name] is not None), None)
    return Header(declared, title, match["colon"] is not None)


def parse_date_header(text: str) -> str | None:
    """The date of a page's date header above the title, Blogger's
    "Wednesday, April 9, 2014" (the weekday makes it one: a title may be a
    bare date), or None."""
    if len(text) > 60:
        return None
    match = _DATE_HEADER.fullmatch(text)
    return match["date"] if match and is_date(match["date"]) else None


def is_header(text: str) -> bool:
    return parse_header(text) is not None


def is_header_but_for_its_stop(text: str) -> bool:
    """A header but for a full stop at its end ("6 responses to this post."):
    a sentence may start that way, so it is read as text, but it hints at a
    comment section under it."""
    return text.endswith(".") and is_header(text.rstrip(". \t"))


def parse_categories(text: str) -> list[str] | None:
    match = CATEGORIES.fullmatch(text)
    if match is None:
        return None
    return [name.strip() for name in match["names"].split(",") if name.strip()]
