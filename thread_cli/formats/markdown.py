"""The ``markdown`` format: readable on GitHub and in any Markdown viewer.

Replies are nested list items, so the nesting shows in every renderer. User
text is escaped: a comment cannot inject headings, links, HTML or emphasis.
"""

from __future__ import annotations

import re
from typing import Iterator

from ..model import Comment, Thread

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+|~!&])")
_LINE_START = re.compile(r"^(\s*)([-=>]|\d+[.)])")


def escape(text: str) -> str:
    text = _SPECIAL.sub(r"\\\1", text)
    return _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def _lines(lines: list[str]) -> list[str]:
    """Escaped lines of a paragraph, joined by hard line breaks."""
    escaped = [escape(line) for line in lines]
    return [line + "\\" for line in escaped[:-1]] + escaped[-1:]


def render_markdown(thread: Thread) -> Iterator[str]:
    yield f"# {escape(thread.title.text)}\n\n"
    for paragraph in thread.article.paragraphs:
        yield "\n".join(_lines(paragraph.lines)) + "\n\n"
    if thread.categories and thread.categories.names:
        yield "*Categories: " + escape(", ".join(thread.categories.names)) + "*\n\n"
    parsed = thread.parsed_count
    declared = thread.declared_count
    note = f"; the header declares {declared}" if declared is not None and declared != parsed else ""
    yield f"## Comments ({parsed}{note})\n\n"
    for comment, level in thread.walk_levels():
        yield _comment(comment, level)
    for line in thread.footer:
        yield f"\n---\n\n{escape(line.text)}\n"


def _comment(comment: Comment, level: int) -> str:
    pad = "  " * level
    author = f"**{escape(comment.author)}**" if comment.author else "*(no author)*"
    if comment.avatar and comment.avatar != comment.author:
        author += f" (avatar: {escape(comment.avatar)})"
    parts = [f"{pad}- `{comment.id}` {author}\n"]
    for paragraph in comment.paragraphs:
        parts.append("\n")
        parts.extend(f"{pad}  {line}\n" for line in _lines(paragraph.lines))
    parts.append("\n")
    return "".join(parts)
