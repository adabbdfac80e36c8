"""Comment dates as blogs print them, read into ISO 8601 (no time zone).

Month names are matched from a fixed English table rather than with
``strptime``, whose ``%B`` depends on the process locale.
"""

from __future__ import annotations

import datetime as _dt
import re

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"), ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}

def _shapes(named: bool) -> list[str]:
    """The date shapes; with ``named`` False the groups don't capture, for embedding."""

    def group(name: str) -> str:
        return f"(?P<{name}>" if named else "(?:"

    month = group("month") + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
    time = (
        # "at 3:24 pm", ", 15:24", or "/ 10:28 am" (some themes part date and time with a slash)
        r"(?:(?:,?\s+(?:at\s+)?|\s*/\s*)" + group("hour") + r"\d{1,2})[:.]" + group("minute") + r"\d{2})"
        r"(?:\s*" + group("ampm") + r"[ap]\.?\s?m\.?))?)?"
    )
    day = group("day") + r"\d{1,2})"
    year = group("year") + r"\d{4})"
    return [
        month + r"\s+" + day + r"(?:st|nd|rd|th)?,?\s+" + year + time,
        day + r"(?:st|nd|rd|th)?\s+(?:of\s+)?" + month + r",?\s+" + year + time,
        year + "-" + group("month_number") + r"\d{2})-" + day + time,
    ]


_SHAPES = [re.compile(shape, re.IGNORECASE) for shape in _shapes(named=True)]
# All shapes as one non-capturing pattern, for embedding in author lines.
DATE_PATTERN = "(?:" + "|".join(_shapes(named=False)) + ")"
# One pass that rejects most text at once: a body's first line is tested for
# a date in every comment, and it is rarely one.
_ANY_SHAPE = re.compile(DATE_PATTERN, re.IGNORECASE)


def parse_date(text: str) -> str | None:
    """ISO 8601 for a date (``2013-09-06``) or date and time (``2013-09-06T15:24:00``).

    None when ``text`` (all of it, surrounding spaces aside) is not a date.
    """
    stripped = text.strip()
    if _ANY_SHAPE.fullmatch(stripped) is None:
        return None
    for shape in _SHAPES:
        match = shape.fullmatch(stripped)
        if match is not None:
            return _iso(match)
    return None


def is_date(text: str) -> bool:
    return parse_date(text) is not None


def _iso(match: re.Match[str]) -> str | None:
    groups = match.groupdict()
    month = _MONTHS[groups["month"].lower()] if groups.get("month") else int(groups["month_number"])
    try:
        day = _dt.date(int(groups["year"]), month, int(groups["day"]))
    except ValueError:
        return None
    if groups["hour"] is None:
        return day.isoformat()
    hour, minute = int(groups["hour"]), int(groups["minute"])
    ampm = (groups["ampm"] or "").lower().replace(".", "").replace(" ", "")
    if ampm:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    try:
        moment = _dt.datetime.combine(day, _dt.time(hour, minute))
    except ValueError:
        return None
    return moment.isoformat()


def parse_bound(text: str, *, end: bool) -> _dt.datetime:
    """A --since/--until value: ISO (date or date and time) or any shape above.

    A bare date as an upper bound means the end of that day.
    """
    iso = parse_date(text)
    if iso is None:
        try:
            iso = _dt.datetime.fromisoformat(text.strip()).replace(tzinfo=None).isoformat()
        except ValueError:
            raise ValueError(f"cannot read {text!r} as a date (try 2013-09-06 or '2013-09-06 15:24')") from None
    moment = _dt.datetime.fromisoformat(iso)
    if end and "T" not in iso and len(iso) == 10:
        moment = moment.replace(hour=23, minute=59, second=59, microsecond=999999)
    return moment
