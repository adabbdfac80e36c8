"""Counting: who wrote what, who answers whom, how deep and how big threads are."""

from __future__ import annotations

import textwrap
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

from rich.cells import cell_len

from .model import Comment, Thread
from .sanitize import sanitize, sanitize_line
from .tables import shorten
from .words import plural

NO_AUTHOR = "(no author)"
MIN_BAR = 10


@dataclass
class AuthorRow:
    author: str
    avatar: str | None
    comments: int = 0
    replies_received: int = 0
    first: str = ""
    sources: list[str] = field(default_factory=list)


def _is_person(comment: Comment) -> bool:
    """A comment, not a pingback or trackback (whose "author" is the linking page)."""
    return comment.kind == "comment"


class _Tally:
    """Figures counted one file at a time: :meth:`add` a thread, or :meth:`merge`
    a tally counted elsewhere (in a worker process), in input order. Only
    plain values, so a tally pickles."""

    @classmethod
    def of(cls, threads: Iterable[Thread]):
        tally = cls()
        for thread in threads:
            tally.add(thread)
        return tally

    def add(self, thread: Thread) -> None:
        raise NotImplementedError

    def merge(self, other) -> None:
        raise NotImplementedError


@dataclass
class _Author:
    """One author's figures in an :class:`AuthorTally`: everything the row is
    made of, so the parts cannot disagree. Plain values: it pickles."""

    author: str  # the name as first written
    avatar: str | None  # that comment's avatar
    first_comment: tuple[str, str]  # its (source, id)
    comments: int = 0
    replies_received: int = 0
    sources: dict[str, None] = field(default_factory=dict)  # the files, in order (an ordered set)

    def merge(self, other: "_Author") -> None:
        """Count ``other`` (the same author, counted later) in."""
        self.comments += other.comments
        self.replies_received += other.replies_received
        self.sources.update(other.sources)

    def row(self, several: bool) -> AuthorRow:
        source, first = self.first_comment
        return AuthorRow(self.author, self.avatar, self.comments, self.replies_received,
                         f"{source}:{first}" if several else first, list(self.sources))


class AuthorTally(_Tally):
    """The author table (see :class:`_Tally`); :meth:`table` gives the rows."""

    def __init__(self) -> None:
        self.by_name: dict[str, _Author] = {}  # by the name's casefold, in order of first appearance
        self.files = 0

    def add(self, thread: Thread) -> None:
        self.files += 1
        for comment in thread.walk():
            if not _is_person(comment):
                continue
            name = comment.author or NO_AUTHOR
            key = name.casefold()
            author = self.by_name.get(key)
            if author is None:
                author = self.by_name[key] = _Author(name, comment.avatar, (thread.source, comment.id))
            author.comments += 1
            if comment.author is not None:
                author.replies_received += sum(1 for reply in comment.replies if _is_person(reply))
            author.sources[thread.source] = None

    def merge(self, other: "AuthorTally") -> None:
        self.files += other.files
        for key, theirs in other.by_name.items():
            mine = self.by_name.get(key)
            if mine is None:  # first seen there: its name, avatar and first comment
                mine = self.by_name[key] = _Author(theirs.author, theirs.avatar, theirs.first_comment)
            mine.merge(theirs)

    def table(self) -> list[AuthorRow]:
        """One row per author, most comments first (ties in order of first
        appearance); ``first`` is ``SOURCE:ID`` when several files were counted."""
        several = self.files > 1
        return sorted((author.row(several) for author in self.by_name.values()), key=lambda row: -row.comments)


def author_table(threads: list[Thread]) -> list[AuthorRow]:
    """One row per author (names compared case-insensitively), most comments first.

    Ties keep the order in which authors first appear. Pingbacks and
    trackbacks are not authors: they have no row, and count as no one's reply.
    """
    return AuthorTally.of(threads).table()




def author_records(threads: list[Thread] | AuthorTally) -> list[dict[str, Any]]:
    """The rows of ``thread authors``, keyed by AUTHOR_COLUMNS (formats/records.py). ``avatar`` is
    None unless the avatar's name differs from the author's (ignoring case):
    on most blogs it repeats the name."""
    tally = threads if isinstance(threads, AuthorTally) else AuthorTally.of(threads)
    return [
        {
            "author": row.author,
            "avatar": row.avatar if row.avatar and row.avatar.casefold() != row.author.casefold() else None,
            "comments": row.comments,
            "replies_received": row.replies_received,
            "first": row.first,
            "sources": row.sources,
        }
        for row in tally.table()
    ]


LARGEST_SUBTHREADS = 5


class StatsTally(_Tally):
    """The figures of ``thread stats`` (see :class:`_Tally`); :meth:`report` gives them."""

    def __init__(self) -> None:
        self.files: list[str] = []
        self.per_depth: Counter[int] = Counter()
        self.per_day: Counter[str] = Counter()
        self.pairs: Counter[tuple[str, str]] = Counter()
        self.self_replies: Counter[str] = Counter()
        self.total = self.declared = self.top_level = self.no_author = self.pingbacks = 0
        self.any_declared = False
        self.subthreads: list[dict[str, Any]] = []  # the largest, biggest first (ties: in input order)
        self.authors = AuthorTally()

    def add(self, thread: Thread) -> None:
        self.files.append(thread.source)
        if thread.declared_count is not None:
            self.any_declared = True
            self.declared += thread.declared_count
        self.top_level += len(thread.comments)
        for comment in thread.walk():
            self.total += 1
            self.per_depth[comment.depth] += 1
            if comment.datetime is not None:
                self.per_day[comment.datetime[:10]] += 1
            if not _is_person(comment):
                self.pingbacks += 1
                continue
            if comment.author is None:
                self.no_author += 1
            parent = comment.parent
            if parent is not None and _is_person(parent):
                source, target = comment.author or NO_AUTHOR, parent.author or NO_AUTHOR
                if comment.author is not None and source.casefold() == target.casefold():
                    self.self_replies[source] += 1
                else:
                    self.pairs[(source, target)] += 1
        self._keep_largest(_subthreads(thread))
        self.authors.add(thread)

    def merge(self, other: "StatsTally") -> None:
        self.files.extend(other.files)
        for mine, theirs in ((self.per_depth, other.per_depth), (self.per_day, other.per_day),
                             (self.pairs, other.pairs), (self.self_replies, other.self_replies)):
            mine.update(theirs)
        self.total += other.total
        self.declared += other.declared
        self.top_level += other.top_level
        self.no_author += other.no_author
        self.pingbacks += other.pingbacks
        self.any_declared = self.any_declared or other.any_declared
        self._keep_largest(other.subthreads)
        self.authors.merge(other.authors)

    def _keep_largest(self, subthreads: Iterable[dict[str, Any]]) -> None:
        # A stable sort of the kept ones and the new ones, in input order: the
        # same first few as sorting every sub-thread of the corpus at the end.
        self.subthreads.extend(subthreads)
        self.subthreads.sort(key=lambda item: -item["comments"])
        del self.subthreads[LARGEST_SUBTHREADS:]

    def report(self, top: int = 10) -> dict[str, Any]:
        authors = self.authors.table()
        per_depth, pairs, self_replies = self.per_depth, self.pairs, self.self_replies
        return {
            "files": list(self.files),
            "comments": {"parsed": self.total, "declared": self.declared if self.any_declared else None},
            "top_level": self.top_level,
            "replies": self.total - self.top_level,
            "max_depth": max(per_depth) if per_depth else 0,
            "authors": len([row for row in authors if row.author != NO_AUTHOR]),
            "without_author": self.no_author,
            "pingbacks": self.pingbacks,  # pingbacks and trackbacks
            "per_depth": {str(depth): per_depth[depth] for depth in sorted(per_depth)},
            # Only comments whose date could be read; empty when the dump has no dates.
            "per_day": {day: self.per_day[day] for day in sorted(self.per_day)},
            "top_authors": [{"author": row.author, "comments": row.comments} for row in authors[:top]],
            "reply_pairs": [
                {"from": source, "to": target, "replies": count}
                for (source, target), count in pairs.most_common(top)
            ],
            "self_replies": [{"author": author, "replies": count} for author, count in self_replies.most_common()],
            "largest_subthreads": list(self.subthreads),
        }


def thread_stats(threads: list[Thread] | StatsTally, top: int = 10) -> dict[str, Any]:
    """The figures of ``thread stats``.

    Pingbacks and trackbacks are counted apart (``pingbacks``), not as
    authors. A reply under a comment by its own author is counted apart too
    (``self_replies``): at its deepest level a page hangs every reply under
    one comment, so "Luis → Luis" mostly means answers to someone else.
    """
    tally = threads if isinstance(threads, StatsTally) else StatsTally.of(threads)
    return tally.report(top)


def _subthreads(thread: Thread) -> Iterator[dict[str, Any]]:
    """Each top-level comment that has replies, with its size, depth and people."""
    for root in thread.comments:
        if not root.replies:
            continue
        members = list(root.walk())
        yield {
            "source": thread.source,
            "id": root.id,
            "author": root.author,
            "comments": len(members),
            "depth": max(c.depth for c in members),
            "participants": len({(c.author or NO_AUTHOR).casefold() for c in members if _is_person(c)}),
        }


def render_stats(data: dict[str, Any], fmt: str, width: int) -> Iterator[str]:
    if fmt == "json":
        import json

        yield json.dumps(data, indent=2, ensure_ascii=False) + "\n"
        return
    lines: list[tuple[str, str]] = [("Totals", "bold"), *_totals(data), ("", "")]
    lines.append(("Comments per depth", "bold"))
    lines.extend(_bars([(f"depth {d}", n) for d, n in data["per_depth"].items()], width))
    lines.append(("", ""))
    if data["per_day"]:
        lines.append(("Comments per day", "bold"))
        lines.extend(_bars(list(data["per_day"].items()), width))
        lines.append(("", ""))
    lines.append(("Most active authors", "bold"))
    lines.extend(_bars([(sanitize(a["author"]), a["comments"]) for a in data["top_authors"]], width))
    lines.append(("", ""))
    lines.append(("Who replies to whom", "bold"))
    lines.extend(_bars([(_pair_label(p["from"], p["to"], width), p["replies"]) for p in data["reply_pairs"]], width))
    lines.extend(_self_replies(data["self_replies"], width))
    lines.append(("", ""))
    lines.append(("Largest sub-threads (with replies)", "bold"))
    lines.extend(_subthread_lines(data["largest_subthreads"], several=len(data["files"]) > 1))
    if fmt == "rich":
        yield _rich(lines)
    else:
        yield "".join(text + "\n" for text, _ in lines)


def _totals(data: dict[str, Any]) -> list[tuple[str, str]]:
    parsed, declared = data["comments"]["parsed"], data["comments"]["declared"]
    total = f"  comments     {parsed} parsed"
    if declared is not None:
        total += f", {declared} declared" + ("" if declared == parsed else f" ({parsed - declared:+d})")
    authors = f"  authors      {data['authors']}"
    if data["without_author"]:
        authors += f" (+{plural(data['without_author'], 'comment')} without one)"
    lines = [
        (total, ""),
        (f"  top level    {data['top_level']}", ""),
        (f"  replies      {data['replies']}", ""),
        (f"  deepest      {data['max_depth']}", ""),
        (authors, ""),
    ]
    if data["pingbacks"]:
        lines.append((f"  pingbacks    {data['pingbacks']} (with trackbacks; not counted as authors)", ""))
    return lines


def _self_replies(items: list[dict[str, Any]], width: int) -> list[tuple[str, str]]:
    """The replies left out of "who replies to whom", and why."""
    if not items:
        return []
    total = sum(item["replies"] for item in items)
    who = ", ".join(f"{sanitize(item['author'])} {item['replies']}" for item in items)
    note = (
        f"Not counted: {plural(total, 'reply', 'replies')} under the author's own comment ({who}). "
        "Where a page stops nesting, it hangs every deeper reply under one comment, "
        "so these may answer someone else."
    )
    return [(line, "dim") for line in textwrap.wrap(note, width, initial_indent="  ", subsequent_indent="  ")]


def _subthread_lines(items: list[dict[str, Any]], several: bool) -> list[tuple[str, str]]:
    if not items:
        return [("  (none)", "dim")]
    lines = []
    for item in items:
        where = f"{sanitize_line(item['source'])}:" if several else ""
        author = sanitize(item["author"]) if item["author"] else NO_AUTHOR
        lines.append((
            f"  {where}{item['id']:<6} {author}: {plural(item['comments'], 'comment')}, "
            f"depth {item['depth']}, {plural(item['participants'], 'person', 'people')}",
            "",
        ))
    return lines


def _label_room(width: int) -> int:
    return max(10, width - 12 - MIN_BAR)


def _pair_label(source: str, target: str, width: int) -> str:
    """"who → whom" within the label's room: a long name gives way first."""
    source, target = sanitize(source), sanitize(target)
    room = _label_room(width) - 3
    if cell_len(source) + cell_len(target) <= room:
        return f"{source} → {target}"
    half = room // 2
    if cell_len(source) <= half:
        short_source = source
    elif cell_len(target) <= room - half:
        short_source = shorten(source, room - cell_len(target))
    else:
        short_source = shorten(source, max(2, half))
    return f"{short_source} → {shorten(target, max(2, room - cell_len(short_source)))}"


def _bars(items: list[tuple[str, int]], width: int) -> list[tuple[str, str]]:
    if not items:
        return [("  (none)", "dim")]
    # Labels get what the bars can spare (bars keep MIN_BAR columns): a cut
    # "who → whom" label would hide whom.
    label_width = min(max(cell_len(label) for label, _ in items), _label_room(width))
    biggest = max(count for _, count in items) or 1
    room = max(5, width - label_width - 12)
    result = []
    for label, count in items:
        label = shorten(label, label_width)
        bar = "█" * max(1, round(count / biggest * room))
        result.append((f"  {label}{' ' * (label_width - cell_len(label))}  {bar} {count}", "bar"))
    return result


def _rich(lines: list[tuple[str, str]]) -> str:
    import io

    from rich.console import Console
    from rich.text import Text

    buffer = io.StringIO()
    console = Console(
        file=buffer, force_terminal=True, width=1000, color_system="standard", no_color=False,
        highlight=False, emoji=False, markup=False,
    )
    for text, style in lines:
        if style == "bar" and "█" in text:
            start, end = text.index("█"), text.rindex("█") + 1
            rendered = Text(text)
            rendered.stylize("cyan", start, end)
            console.print(rendered, soft_wrap=True)
        else:
            console.print(Text(text, style=style), soft_wrap=True)
    return buffer.getvalue()
