"""Counting: who wrote what, who answers whom, how deep and how big threads are."""

from __future__ import annotations

import textwrap
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterator

from rich.cells import cell_len

from .model import Comment, Thread
from .sanitize import sanitize
from .tables import shorten

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


def author_table(threads: list[Thread]) -> list[AuthorRow]:
    """One row per author (names compared case-insensitively), most comments first.

    Ties keep the order in which authors first appear. Pingbacks and
    trackbacks are not authors: they have no row, and count as no one's reply.
    """
    rows: dict[str, AuthorRow] = {}
    for thread in threads:
        for comment in thread.walk():
            if not _is_person(comment):
                continue
            name = comment.author or NO_AUTHOR
            row = rows.get(name.casefold())
            if row is None:
                row = rows[name.casefold()] = AuthorRow(name, comment.avatar, first=comment.id)
                if len(threads) > 1:
                    row.first = f"{thread.source}:{comment.id}"
            row.comments += 1
            if comment.author is not None:
                row.replies_received += sum(1 for reply in comment.replies if _is_person(reply))
            if thread.source not in row.sources:
                row.sources.append(thread.source)
    return sorted(rows.values(), key=lambda row: -row.comments)


AUTHOR_COLUMNS = ("author", "avatar", "comments", "replies_received", "first", "sources")
AUTHOR_TITLES = ("AUTHOR", "AVATAR", "COMMENTS", "REPLIES RECEIVED", "FIRST", "FILES")


def author_records(threads: list[Thread]) -> list[dict[str, Any]]:
    """The rows of ``thread authors``, keyed by AUTHOR_COLUMNS. ``avatar`` is
    None unless the avatar's name differs from the author's (ignoring case):
    on most blogs it repeats the name."""
    return [
        {
            "author": row.author,
            "avatar": row.avatar if row.avatar and row.avatar.casefold() != row.author.casefold() else None,
            "comments": row.comments,
            "replies_received": row.replies_received,
            "first": row.first,
            "sources": row.sources,
        }
        for row in author_table(threads)
    ]


def thread_stats(threads: list[Thread], top: int = 10) -> dict[str, Any]:
    """The figures of ``thread stats``.

    Pingbacks and trackbacks are counted apart (``pingbacks``), not as
    authors. A reply under a comment by its own author is counted apart too
    (``self_replies``): at its deepest level a page hangs every reply under
    one comment, so "Luis → Luis" mostly means answers to someone else.
    """
    per_depth: Counter[int] = Counter()
    per_day: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    self_replies: Counter[str] = Counter()
    total = declared = top_level = no_author = pingbacks = 0
    any_declared = False
    subthreads: list[dict[str, Any]] = []
    for thread in threads:
        if thread.declared_count is not None:
            any_declared = True
            declared += thread.declared_count
        top_level += len(thread.comments)
        for comment in thread.walk():
            total += 1
            per_depth[comment.depth] += 1
            if comment.datetime is not None:
                per_day[comment.datetime[:10]] += 1
            if not _is_person(comment):
                pingbacks += 1
                continue
            if comment.author is None:
                no_author += 1
            parent = comment.parent
            if parent is not None and _is_person(parent):
                source, target = comment.author or NO_AUTHOR, parent.author or NO_AUTHOR
                if comment.author is not None and source.casefold() == target.casefold():
                    self_replies[source] += 1
                else:
                    pairs[(source, target)] += 1
        subthreads.extend(_subthreads(thread))
    subthreads.sort(key=lambda item: -item["comments"])
    authors = author_table(threads)
    return {
        "files": [thread.source for thread in threads],
        "comments": {"parsed": total, "declared": declared if any_declared else None},
        "top_level": top_level,
        "replies": total - top_level,
        "max_depth": max(per_depth) if per_depth else 0,
        "authors": len([row for row in authors if row.author != NO_AUTHOR]),
        "without_author": no_author,
        "pingbacks": pingbacks,  # pingbacks and trackbacks
        "per_depth": {str(depth): per_depth[depth] for depth in sorted(per_depth)},
        # Only comments whose date could be read; empty when the dump has no dates.
        "per_day": {day: per_day[day] for day in sorted(per_day)},
        "top_authors": [{"author": row.author, "comments": row.comments} for row in authors[:top]],
        "reply_pairs": [
            {"from": source, "to": target, "replies": count}
            for (source, target), count in pairs.most_common(top)
        ],
        "self_replies": [{"author": author, "replies": count} for author, count in self_replies.most_common()],
        "largest_subthreads": subthreads[:5],
    }


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


def _plural(count: int, noun: str, plural: str | None = None) -> str:
    return f"{count} {noun if count == 1 else plural or noun + 's'}"


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
        authors += f" (+{_plural(data['without_author'], 'comment')} without one)"
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
        f"Not counted: {_plural(total, 'reply', 'replies')} under the author's own comment ({who}). "
        "Where a page stops nesting, it hangs every deeper reply under one comment, "
        "so these may answer someone else."
    )
    return [(line, "dim") for line in textwrap.wrap(note, width, initial_indent="  ", subsequent_indent="  ")]


def _subthread_lines(items: list[dict[str, Any]], several: bool) -> list[tuple[str, str]]:
    if not items:
        return [("  (none)", "dim")]
    lines = []
    for item in items:
        where = f"{sanitize(item['source'])}:" if several else ""
        author = sanitize(item["author"]) if item["author"] else NO_AUTHOR
        lines.append((
            f"  {where}{item['id']:<6} {author}: {_plural(item['comments'], 'comment')}, "
            f"depth {item['depth']}, {_plural(item['participants'], 'person', 'people')}",
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
