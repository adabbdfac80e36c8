"""The JSON contract (format ``thread/1``) as plain Python values.

Every format that writes comments as data (json, jsonl, csv…) starts here, so
the keys and their order are defined once. Nothing is cleaned: text is kept
exactly as in the input.
"""

from __future__ import annotations

from typing import Any

from ..model import Comment, Thread

FORMAT_VERSION = "thread/1"


def comment_record(comment: Comment) -> dict[str, Any]:
    """The COMMENT object without ``replies``."""
    return {
        "id": comment.id,
        "parent": comment.parent.id if comment.parent is not None else None,
        "depth": comment.depth,
        "number": comment.number,
        "author": comment.author,
        "avatar": comment.avatar,
        "paragraphs": [paragraph.text for paragraph in comment.paragraphs],
        "line": comment.line,
        "kind": comment.kind,
        "date": comment.date,
        "datetime": comment.datetime,
        "actions": comment.actions,
    }


def nested_comments(thread: Thread) -> list[dict[str, Any]]:
    """The comment tree as nested COMMENT objects, built without recursion.

    Follows ``replies`` rather than ``parent``: in a filtered copy a comment's
    parent may be a comment that was left out.
    """
    roots: list[dict[str, Any]] = []
    stack = [(top, roots) for top in reversed(thread.comments)]
    while stack:
        comment, siblings = stack.pop()
        record = comment_record(comment)
        record["replies"] = []
        siblings.append(record)
        stack.extend((reply, record["replies"]) for reply in reversed(comment.replies))
    return roots


def thread_record(thread: Thread) -> dict[str, Any]:
    record = {
        "format": FORMAT_VERSION,
        "source": thread.source,
        "title": thread.title.text,
        "article": {"paragraphs": [paragraph.text for paragraph in thread.article.paragraphs]},
        "categories": list(thread.categories.names) if thread.categories else [],
        "comment_count": {"declared": thread.declared_count, "parsed": thread.parsed_count},
        "comments": nested_comments(thread),
        "footer": [line.text for line in thread.footer],
        "layout": thread.family,
        # The date header above the title, as written and as ISO 8601 (null without one).
        "date": thread.date_line.text if thread.date_line is not None else None,
        "datetime": thread.datetime,
    }
    if thread.unplaced:  # only after --lenient, for lines it could place nowhere
        record["unplaced"] = [{"line": line.line, "text": line.text} for line in thread.unplaced]
    return record


CSV_COLUMNS = (
    "id", "parent", "depth", "number", "author", "avatar", "line", "text", "kind", "date", "datetime", "actions",
)


def csv_row(comment: Comment) -> list[Any]:
    """One row of the csv/tsv formats: paragraphs are joined by a blank line,
    actions by "|" (no action name holds one)."""
    return [
        comment.id,
        comment.parent.id if comment.parent is not None else "",
        comment.depth,
        comment.number if comment.number is not None else "",
        comment.author or "",
        comment.avatar or "",
        comment.line,
        comment.text,
        comment.kind,
        comment.date or "",
        comment.datetime or "",
        "|".join(comment.actions),
    ]


# The columns of `thread authors` (stats.author_records), and their titles in a table.
AUTHOR_COLUMNS = ("author", "avatar", "comments", "replies_received", "first", "sources")
AUTHOR_TITLES = ("AUTHOR", "AVATAR", "COMMENTS", "REPLIES RECEIVED", "FIRST", "FILES")

# The columns of a corpus export (jsonl, csv and tsv of several files, and
# parquet), in order: one row per comment, tagged with its file and the
# thread's layout family. Fixed: later versions only add columns at the end.
CORPUS_COLUMNS = (
    "source", "id", "parent", "depth", "number", "author", "avatar", "kind", "date", "datetime", "actions",
    "text", "paragraphs", "line", "layout",
)


def corpus_record(comment: Comment, source: str, layout: str) -> dict[str, Any]:
    """One row of a corpus export as plain values keyed by CORPUS_COLUMNS:
    ``datetime`` an ISO 8601 string (or None), ``actions`` and ``paragraphs``
    lists of strings, ``layout`` the thread's family ("wordpress", "blogger", "none")."""
    values = {**comment_record(comment), "source": source, "text": comment.text, "layout": layout}
    return {column: values[column] for column in CORPUS_COLUMNS}
