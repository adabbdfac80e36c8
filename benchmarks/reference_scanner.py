#!/usr/bin/env python3
"""The yardstick for `thread export --format jsonl`: a plain regex line scanner.

Not part of the product, and it never imports it. It reads each line once,
keeps a stack of the open comments by indentation, and writes the same JSON
Lines as ``thread export --format jsonl FILE...`` (one record per comment, in
document order) with nothing but ``re``, ``json`` and ``datetime``. It trusts
its input: it reports no errors, so on a malformed dump its output is
unspecified.

It is what a hand-written scanner costs, so run.py can ask whether the
grammar-driven parser is worth its price.

    python benchmarks/reference_scanner.py FILE [FILE...] > out.jsonl

The recognition rules are those of thread_cli/lexer.py, patterns.py and
dates.py, restated here so that the yardstick stays independent of the code
it measures; check_reference.py proves that the two agree.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import sys

# ---------------------------------------------------------------- line shapes

_NUMBER_WORDS = (
    "no|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen"
    "|fifteen|sixteen|seventeen|eighteen|nineteen|twenty"
)
HEADER = re.compile(
    r"(?:\d{1,3}(?:[,.\u00a0\u202f ]\d{3})+|\d+|(?i:" + _NUMBER_WORDS + r"))"
    r" (?i:comments?|thoughts?|responses?|replies|reply)"
    r"(?: (?i:on|to) (?:“.*”|\".*\"))?[ \t]*"
)
CATEGORIES = "Explore posts in the same categories:"
NUMBER_MARKER = re.compile(r"(\d+)\.(?: +|$)")
BULLET = "• "

MONTHS = {
    name: number
    for number, names in enumerate(
        (("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
         ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
         ("october", "oct"), ("november", "nov"), ("december", "dec")),
        start=1,
    )
    for name in names
}


def _date_shapes(named: bool) -> list[str]:
    """"September 6, 2013 at 3:24 pm", "6 September 2013 at 15:24", "2013-09-09 at 08:05"."""

    def group(name: str) -> str:
        return f"(?P<{name}>" if named else "(?:"

    month = group("month") + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
    time = (r"(?:,?\s+(?:at\s+)?" + group("hour") + r"\d{1,2})[:.]" + group("minute") + r"\d{2})"
            r"(?:\s*" + group("ampm") + r"[ap]\.?\s?m\.?))?)?")
    day, year = group("day") + r"\d{1,2})", group("year") + r"\d{4})"
    return [
        month + r"\s+" + day + r"(?:st|nd|rd|th)?,?\s+" + year + time,
        day + r"(?:st|nd|rd|th)?\s+(?:of\s+)?" + month + r",?\s+" + year + time,
        year + "-" + group("month_number") + r"\d{2})-" + day + time,
    ]


DATE_SHAPES = [re.compile(shape, re.IGNORECASE) for shape in _date_shapes(named=True)]
AUTHOR_LINE = re.compile(
    r"(?:(?P<avatar>.+?)['’]s avatar )?(?P<name>\S.*?)"
    r"(?:[ \t]+on[ \t]+(?P<date>(?:" + "|".join(_date_shapes(named=False)) + r")))?"
    r"[ \t]+(?:[Ss]ays|said):[ \t]*",
    re.IGNORECASE,
)
PINGBACK_LINE = re.compile(r"(?P<kind>Pingback|Trackback):[ \t]*(?P<name>.*)", re.IGNORECASE)
_ACTION = r"Reply(?:[ \t]+[↓→])?|Liked by [\d,]+ (?:people|person|others)|Like|Loading(?:\.\.\.|…)|Report comment"
ACTIONS_LINE = re.compile(r"(?:" + _ACTION + r")(?:[ \t]+(?:" + _ACTION + r"))*[ \t]*")
ONE_ACTION = re.compile(_ACTION)


def iso_date(text: str) -> str | None:
    """ISO 8601 for a whole-line date, None when it isn't one (or names no real day)."""
    text = text.strip()
    for shape in DATE_SHAPES:
        match = shape.fullmatch(text)
        if match is None:
            continue
        g = match.groupdict()
        month = MONTHS[g["month"].lower()] if g.get("month") else int(g["month_number"])
        try:
            day = dt.date(int(g["year"]), month, int(g["day"]))
            if g["hour"] is None:
                return day.isoformat()
            hour, minute = int(g["hour"]), int(g["minute"])
            ampm = (g["ampm"] or "").lower().replace(".", "").replace(" ", "")
            if ampm:
                if not 1 <= hour <= 12:
                    return None
                hour = hour % 12 + (12 if ampm == "pm" else 0)
            return dt.datetime.combine(day, dt.time(hour, minute)).isoformat()
        except ValueError:
            return None
    return None


def byline(text: str):
    """(kind, author, avatar, date) of an author or pingback line, or None."""
    match = PINGBACK_LINE.fullmatch(text)
    if match:
        return match["kind"].lower(), match["name"], None, None
    match = AUTHOR_LINE.fullmatch(text)
    if match:
        return "comment", match["name"], match["avatar"], match["date"]
    return None


def starts_comment(content: str, level: int) -> bool:
    """Whether a line at ``level`` is a comment's marker line (thread's lexer: _marker)."""
    if content[:1].isdigit():
        number = NUMBER_MARKER.match(content)
        if number:
            return level == 1 or byline(content[number.end():]) is not None
    return content.startswith(BULLET) and byline(content[2:]) is not None


# ---------------------------------------------------------------- the scan

ARTICLE, COMMENTS = range(2)
FLUSH_AT = 1 << 16  # characters of output gathered before one write


def scan(path: str, lines, write) -> None:
    """Write the records of one dump; ``lines`` are its lines without line breaks."""
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    mode = ARTICLE
    have_title = have_categories = have_header = have_comment = False

    stack: list[list] = []  # stack[d - 1]: [id, replies so far] of the open comment at depth d
    record: dict | None = None  # the comment being read, written when the next one starts
    paragraphs: list[list[str]] = []
    paragraph: list[str] | None = None  # the open paragraph; None after a blank line
    date_level: int | None = None  # body level where a date line may come next
    # An actions line ("Like Reply") must be the last line of a comment's own
    # text, which only the next non-blank line can tell: until then it is kept
    # as text, and taken back out if it was the last.
    maybe_actions: int | None = None  # its column, while undecided

    def settle(ends_body: bool) -> None:
        nonlocal maybe_actions, paragraph
        if ends_body:
            text = paragraphs[-1].pop()
            if not paragraphs[-1]:
                paragraphs.pop()
                paragraph = None
            record["actions"] = ONE_ACTION.findall(text)
        maybe_actions = None

    def finish() -> None:
        # A comment's own lines all come before its first reply, so it is
        # complete as soon as any other marker line arrives.
        record["paragraphs"] = ["\n".join(p) for p in paragraphs]
        date = record["date"]
        record["datetime"] = iso_date(date) if date is not None else None
        write(dumps(record) + "\n")

    for number, raw in enumerate(lines, start=1):
        if not raw.strip(" \t"):
            paragraph = None
            continue
        if not have_title:
            have_title = True
            continue
        content = raw.lstrip(" ")
        column = len(raw) - len(content)

        if mode == ARTICLE:
            if column == 0:
                if not have_header and HEADER.fullmatch(raw):
                    have_header = True
                    mode = COMMENTS
                elif not have_categories and raw.startswith(CATEGORIES):
                    have_categories = True
                continue
            # Without a header, the list starts at the first numbered marker at
            # column 3 that has an author line, or at any once categories were seen.
            marker = NUMBER_MARKER.match(content) if column == 2 else None
            if not (marker and (have_categories or byline(content[marker.end():]))):
                continue
            mode = COMMENTS

        if maybe_actions is not None:
            settle(column < maybe_actions
                   or (column == maybe_actions and starts_comment(content, column >> 1)))
        if column == 0:
            if not have_comment and not have_header and HEADER.fullmatch(raw):
                have_header = True
                continue
            break  # the footer: nothing after it is a comment

        have_comment = True
        level = column >> 1
        first_body_line, date_level = date_level == level, None
        first_line = None
        if level == 1 and (marker := NUMBER_MARKER.match(content)):
            rest = content[marker.end():]
            found = byline(rest) if rest else None
            if found:
                kind, author, avatar, date = found
                date_level = 2
            else:
                kind, author, avatar, date = "comment", None, None, None
                first_line = rest or None  # the body starts on the marker line
            top_number = int(marker[1])
            ident, parent = str(top_number), None  # "007. " is comment 7, as in thread
            del stack[:]
        elif content.startswith(BULLET) and (found := byline(content[2:])):
            kind, author, avatar, date = found
            date_level = level + 1
            del stack[level - 1:]
            parent_entry = stack[-1]
            parent_entry[1] += 1
            parent, top_number = parent_entry[0], None
            ident = f"{parent}.{parent_entry[1]}"
        else:
            # A line of the body of the comment opened last.
            if first_body_line and iso_date(content) is not None:
                if record["date"] is None:
                    record["date"] = content
                continue
            if paragraph is None:
                paragraph = [content]
                paragraphs.append(paragraph)
            else:
                paragraph.append(content)
            if ACTIONS_LINE.fullmatch(content):
                maybe_actions = column
            continue

        if record is not None:
            finish()
        stack.append([ident, 0])
        record = {
            "id": ident,
            "parent": parent,
            "depth": level,
            "number": top_number,
            "author": author,
            "avatar": avatar,
            "paragraphs": None,
            "line": number,
            "kind": kind,
            "date": date,
            "datetime": None,
            "actions": [],
            "source": path,
        }
        paragraphs = []
        paragraph = None
        if first_line is not None:
            paragraph = [first_line]
            paragraphs.append(paragraph)

    if maybe_actions is not None:
        settle(True)  # the end of the input ends every body
    if record is not None:
        finish()


def read_lines(path: str):
    """The file's lines without their breaks, streamed.

    Universal newlines split on \\r\\n, \\r and \\n, as thread does; utf-8-sig
    drops a leading BOM; invalid bytes become U+FFFD, as thread does without --strict.
    """
    stream = sys.stdin.buffer if path == "-" else open(path, "rb")
    with io.TextIOWrapper(stream, encoding="utf-8-sig", errors="replace", newline=None) as text:
        for line in text:
            yield line[:-1] if line.endswith("\n") else line


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__.strip().split("\n\n")[0])
        print("usage: reference_scanner.py FILE [FILE...]")
        return 0 if argv else 2
    out = sys.stdout.buffer
    pending: list[str] = []
    size = 0

    def write(text: str) -> None:
        nonlocal size
        pending.append(text)
        size += len(text)
        if size >= FLUSH_AT:
            out.write("".join(pending).encode("utf-8", "surrogateescape"))
            pending.clear()
            size = 0

    for path in argv:
        scan(path, read_lines(path), write)
    out.write("".join(pending).encode("utf-8", "surrogateescape"))
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
