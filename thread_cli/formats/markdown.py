"""The ``markdown`` format: readable on GitHub and in any Markdown viewer.

Replies are nested list items, so the nesting shows in every renderer. User
text is escaped: a comment cannot inject headings, links, HTML or emphasis.
"""

from __future__ import annotations

import re
from typing import Iterator

from ..model import Comment, Thread

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+|~!&])")
# What would start a block at the start of a line: a list item ("- ", "1. ",
# "1) "), a setext underline ("=", "-") or a quote (">"). The backslash goes
# before the punctuation: "1\." is text, while "\1." would show its backslash.
_LINE_START = re.compile(r"^(\s*)(\d*)([-=>.)])")


def escape(text: str) -> str:
    text = _SPECIAL.sub(r"\\\1", text)
    return _LINE_START.sub(_escape_line_start, text)


def _escape_line_start(match: re.Match[str]) -> str:
    spaces, digits, mark = match.groups()
    if bool(digits) != (mark in ".)"):
        return match.group()  # "1-2", ".5": nothing a Markdown reader would act on
    return spaces + digits + "\\" + mark


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
    if comment.kind != "comment":  # a pingback or trackback: its "author" is the linking page
        author = f"*{comment.kind.capitalize()}:* {author}"
    if comment.avatar and comment.avatar != comment.author:
        author += f" (avatar: {escape(comment.avatar)})"
    if comment.date:
        author += f" · {escape(comment.date)}"
    parts = [f"{pad}- `{comment.id}` {author}\n"]
    for paragraph in comment.paragraphs:
        parts.append("\n")
        parts.extend(f"{pad}  {line}\n" for line in _lines(paragraph.lines))
    parts.append("\n")
    return "".join(parts)
