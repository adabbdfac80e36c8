"""Filters that keep context: which comments to show, and which only as context.

A selection is applied before any formatting, the same way for show, search
and export. It returns a pruned copy of the thread (the original is never
changed) in which every kept comment still knows its original id and parent.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import TYPE_CHECKING, Callable, Iterable, NamedTuple

from .errors import UsageError

if TYPE_CHECKING:  # annotations only: the command line imports CONTEXTS at start-up
    from .model import Comment, Thread

CONTEXTS = ("ancestors", "none", "thread")


def compile_pattern(pattern: str, *, regex: bool = False, case: str = "smart") -> re.Pattern[str]:
    """A search pattern; ``case`` is "smart" (like ripgrep), "insensitive" or "sensitive"."""
    ignore_case = case == "insensitive" or (case == "smart" and pattern == pattern.lower())
    try:
        return re.compile(pattern if regex else re.escape(pattern), re.IGNORECASE if ignore_case else 0)
    except re.error as error:
        raise UsageError(f"invalid regular expression '{pattern}': {error}") from None  # shown through sanitize()


# NamedTuples rather than dataclasses: the command line imports CONTEXTS at
# start-up, and `thread --help` should not pay for the dataclasses module.
class Criteria(NamedTuple):
    authors: frozenset[str] = frozenset()  # casefolded display or avatar names
    replies_to: frozenset[str] = frozenset()
    pattern: re.Pattern[str] | None = None
    max_depth: int | None = None
    at: str | None = None
    context: str = "ancestors"
    since: _dt.datetime | None = None
    until: _dt.datetime | None = None

    @classmethod
    def build(
        cls,
        *,
        authors: Iterable[str] = (),
        replies_to: Iterable[str] = (),
        pattern: re.Pattern[str] | None = None,
        max_depth: int | None = None,
        at: str | None = None,
        context: str = "ancestors",
        since: str | None = None,
        until: str | None = None,
    ) -> "Criteria":
        return cls(
            authors=frozenset(name.casefold() for name in authors),
            replies_to=frozenset(name.casefold() for name in replies_to),
            pattern=pattern,
            max_depth=max_depth,
            at=at,
            context=context,
            since=_bound(since, end=False),
            until=_bound(until, end=True),
        )

    @property
    def selects_everything(self) -> bool:
        return not self.filters_comments and self.at is None and self.max_depth is None

    @property
    def filters_comments(self) -> bool:
        return bool(
            self.authors or self.replies_to or self.pattern is not None or self.since or self.until
        )

    def undated_note(self, any_dated: Callable[[], bool]) -> str | None:
        """Why --since/--until keep nothing, when no comment has a readable
        date (``any_dated()`` False, asked only with a date filter); else None."""
        if (self.since is None and self.until is None) or any_dated():
            return None
        return "no comment has a date, so --since/--until keep none"

    def matches(self, comment: Comment) -> bool:
        if self.authors and not comment.matches_author(self.authors):
            return False
        if self.replies_to and (comment.parent is None or not comment.parent.matches_author(self.replies_to)):
            return False
        if self.pattern is not None and not comment_matches(comment, self.pattern):
            return False
        if self.since is not None or self.until is not None:
            # Comments without a readable date cannot be placed in time: left out.
            if comment.datetime is None:
                return False
            moment = _dt.datetime.fromisoformat(comment.datetime)
            if (self.since is not None and moment < self.since) or (self.until is not None and moment > self.until):
                return False
        return True


def _bound(text: str | None, *, end: bool) -> _dt.datetime | None:
    if text is None:
        return None
    from .dates import parse_bound

    try:
        return parse_bound(text, end=end)
    except ValueError as error:
        raise UsageError(f"--{'until' if end else 'since'}: {error}") from None


def comment_matches(comment: Comment, pattern: re.Pattern[str]) -> bool:
    if comment.author is not None and pattern.search(comment.author):
        return True
    if comment.avatar is not None and pattern.search(comment.avatar):
        return True
    return any(pattern.search(line) for paragraph in comment.paragraphs for line in paragraph.lines)


def matching_lines(comment: Comment, pattern: re.Pattern[str]) -> list[tuple[int, str]]:
    """(source line number, text) of each body line that matches."""
    return [
        (paragraph.line + offset, line)
        for paragraph in comment.paragraphs
        for offset, line in enumerate(paragraph.lines)
        if pattern.search(line)
    ]


class Selection(NamedTuple):
    thread: Thread  # the pruned copy
    matched: list[Comment]  # copies, document order
    dimmed: set[Comment]  # copies shown only as context


def select(thread: Thread, criteria: Criteria, *, prune_depth: bool = True, missing_ok: bool = False) -> Selection:
    """Apply ``criteria``; ``prune_depth`` drops replies past max_depth (exports do,
    the view instead shows how many it hid). An ``--at`` id that is not in the
    thread is a usage error, or with ``missing_ok`` an empty selection."""
    from dataclasses import replace  # (the model's classes are dataclasses)

    if criteria.selects_everything:
        return Selection(thread, list(thread.walk()), set())
    if criteria.at is not None:
        start = thread.find(criteria.at)
        if start is None:
            if missing_ok:
                return Selection(replace(thread, comments=[], original=thread.original or thread), [], set())
            raise UsageError(f"no comment with id {criteria.at!r} in {thread.source}")
        universe = list(start.walk())
    else:
        universe = list(thread.walk())

    matched = [c for c in universe if criteria.matches(c)]
    matched_set = set(matched)
    if not criteria.filters_comments or criteria.context == "none":
        keep = matched_set
    elif criteria.context == "thread":
        tops = {_top(c) for c in matched}
        keep = {c for c in universe if _top(c) in tops}
    else:
        keep = set(matched_set)
        for comment in matched:
            parent = comment.parent
            while parent is not None and parent not in keep:
                keep.add(parent)
                parent = parent.parent
    if criteria.at is not None:
        allowed = set(universe)
        keep &= allowed
    if prune_depth and criteria.max_depth is not None:
        keep = {c for c in keep if c.depth <= criteria.max_depth}

    copies: dict[Comment, Comment] = {}
    roots: list[Comment] = []
    for comment in universe:
        if comment not in keep:
            continue
        copy = replace(comment, replies=[])  # keeps id, depth and the original parent
        copies[comment] = copy
        owner = comment.parent
        while owner is not None and owner not in copies:
            owner = owner.parent
        (copies[owner].replies if owner is not None else roots).append(copy)

    pruned = replace(thread, comments=roots, original=thread.original or thread)
    dimmed = (
        {copies[c] for c in keep if c not in matched_set} if criteria.filters_comments else set()
    )
    return Selection(pruned, [copies[c] for c in matched if c in copies], dimmed)


def _top(comment: Comment) -> Comment:
    while comment.parent is not None:
        comment = comment.parent
    return comment
