"""Counting: who wrote what, who answers whom, how deep and how big threads are."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterator

from rich.cells import cell_len, set_cell_size

from .model import Thread
from .sanitize import sanitize

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


def author_table(threads: list[Thread]) -> list[AuthorRow]:
    """One row per author (names compared case-insensitively), most comments first.

    Ties keep the order in which authors first appear.
    """
    rows: dict[str, AuthorRow] = {}
    for thread in threads:
        for comment in thread.walk():
            name = comment.author or NO_AUTHOR
            row = rows.get(name.casefold())
            if row is None:
                row = rows[name.casefold()] = AuthorRow(name, comment.avatar, first=comment.id)
                if len(threads) > 1:
                    row.first = f"{thread.source}:{comment.id}"
            row.comments += 1
            if comment.author is not None:
                row.replies_received += len(comment.replies)
            if thread.source not in row.sources:
                row.sources.append(thread.source)
    return sorted(rows.values(), key=lambda row: -row.comments)


def thread_stats(threads: list[Thread], top: int = 10) -> dict[str, Any]:
    per_depth: Counter[int] = Counter()
    per_day: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    total = declared = top_level = no_author = 0
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
            if comment.author is None:
                no_author += 1
            if comment.parent is not None:
                pairs[(comment.author or NO_AUTHOR, comment.parent.author or NO_AUTHOR)] += 1
        for root in thread.comments:
            members = list(root.walk())
            subthreads.append({
                "source": thread.source,
                "id": root.id,
                "author": root.author,
                "comments": len(members),
                "depth": max(c.depth for c in members),
                "participants": len({(c.author or NO_AUTHOR).casefold() for c in members}),
            })
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
        "per_depth": {str(depth): per_depth[depth] for depth in sorted(per_depth)},
        # Only comments whose date could be read; empty when the dump has no dates.
        "per_day": {day: per_day[day] for day in sorted(per_day)},
        "top_authors": [{"author": row.author, "comments": row.comments} for row in authors[:top]],
        "reply_pairs": [
            {"from": source, "to": target, "replies": count}
            for (source, target), count in pairs.most_common(top)
        ],
        "largest_subthreads": subthreads[:5],
    }


def render_stats(data: dict[str, Any], fmt: str, width: int) -> Iterator[str]:
    if fmt == "json":
        import json

        yield json.dumps(data, indent=2, ensure_ascii=False) + "\n"
        return
    lines: list[tuple[str, str]] = []  # (text, style)
    parsed, declared = data["comments"]["parsed"], data["comments"]["declared"]
    lines.append(("Totals", "bold"))
    total = f"  comments     {parsed} parsed"
    if declared is not None:
        total += f", {declared} declared" + ("" if declared == parsed else f" ({parsed - declared:+d})")
    lines.append((total, ""))
    lines.append((f"  top level    {data['top_level']}", ""))
    lines.append((f"  replies      {data['replies']}", ""))
    lines.append((f"  deepest      {data['max_depth']}", ""))
    lines.append((f"  authors      {data['authors']} (+{data['without_author']} comments without one)", ""))
    lines.append(("", ""))
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
    lines.append(("", ""))
    lines.append(("Largest sub-threads", "bold"))
    several = len(data["files"]) > 1
    for item in data["largest_subthreads"]:
        where = f"{sanitize(item['source'])}:" if several else ""
        author = sanitize(item["author"]) if item["author"] else NO_AUTHOR
        lines.append((
            f"  {where}{item['id']:<6} {author}: {item['comments']} comments, "
            f"depth {item['depth']}, {item['participants']} people",
            "",
        ))
    if fmt == "rich":
        yield _rich(lines)
    else:
        yield "".join(text + "\n" for text, _ in lines)


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
        short_source = _shorten(source, room - cell_len(target))
    else:
        short_source = _shorten(source, max(2, half))
    return f"{short_source} → {_shorten(target, max(2, room - cell_len(short_source)))}"


def _shorten(text: str, size: int) -> str:
    if cell_len(text) <= size:
        return text
    return set_cell_size(text, size - 1) + "…"


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
        label = _shorten(label, label_width)
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
