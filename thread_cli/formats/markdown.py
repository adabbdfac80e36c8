"""The ``markdown`` format: readable on GitHub and in any Markdown viewer.

Replies are nested list items, so the nesting shows in every renderer. User
text is escaped where Markdown would act on it, and only there: a comment
cannot inject headings, lists, quotes, code, links, tables, HTML or
emphasis, and "(IAEA)", "P5+1" or "Thanks!" stay as they were written.
"""

from __future__ import annotations

import re
from typing import Iterator

from ..model import Comment, Thread

# Characters that are markup wherever they stand (CommonMark and GitHub's
# extensions), each only where it would act.
_INLINE = re.compile(
    r"[`*~\[]"  # code spans and fences, emphasis, strikethrough, links and images
    r"|\\(?=[!-/:-@\[-`{-~]|$)"  # a backslash that would escape what follows, or break the line
    r"|<(?=[A-Za-z/!?])"  # an HTML tag, comment or declaration, an autolink
    r"|&(?=#?\w+;)"  # an entity or character reference
    r"|_(?![^\W_])|(?<![^\W_])_"  # an underscore, unless it is inside a word (snake_case is safe)
)
# What would start a block at the start of a line: a quote; a heading; a list
# item ("-", "+", "1.", "1)" then a space or the end); a setext underline or
# a thematic break (a line of "=" or of "-"). The backslash goes before the
# punctuation: "1\." is text, while "\1." would show its backslash.
_LINE_START = re.compile(
    r"^([ \t]*)(?:"
    r"(>)"
    r"|(#)(?=#{0,5}(?:[ \t]|$))"
    r"|([-+])(?=[ \t]|$)"
    r"|(=)(?=[=]*[ \t]*$)"
    r"|(-)(?=[- \t]*$)"
    r"|(\d{1,9})([.)])(?=[ \t]|$)"
    r")"
)
# A table's delimiter row ("| --- | :-: |"): escaping its pipes leaves no table.
_TABLE_DELIMITER = re.compile(r"[ \t]*(?=[^\n]*\|)(?=[^\n]*-)[|:\- \t]+")


def escape(text: str) -> str:
    """One line of user text as Markdown that shows exactly that text."""
    text = _INLINE.sub(r"\\\g<0>", text)
    if _TABLE_DELIMITER.fullmatch(text):
        text = text.replace("|", "\\|")
    return _LINE_START.sub(_escape_line_start, text)


def _escape_line_start(match: re.Match[str]) -> str:
    spaces = match.group(1)
    if match.group(7) is not None:  # an ordered list marker: "1." is text as "1\."
        return spaces + match.group(7) + "\\" + match.group(8)
    return spaces + "\\" + match.group(0)[len(spaces):]


def _lines(lines: list[str]) -> list[str]:
    """Escaped lines of a paragraph, joined by hard line breaks."""
    escaped = [escape(line) for line in lines]
    return [line + "\\" for line in escaped[:-1]] + escaped[-1:]


def render_markdown(thread: Thread) -> Iterator[str]:
    yield f"# {escape(thread.title.text)}\n\n"
    if thread.date_line is not None:
        yield f"*{escape(thread.date_line.text)}*\n\n"
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
    if comment.avatar and (comment.author is None or comment.avatar.casefold() != comment.author.casefold()):
        author += f" (avatar: {escape(comment.avatar)})"
    if comment.date:
        author += f" · {escape(comment.date)}"
    parts = [f"{pad}- `{comment.id}` {author}\n"]
    for paragraph in comment.paragraphs:
        parts.append("\n")
        parts.extend(f"{pad}  {line}\n" for line in _lines(paragraph.lines))
    parts.append("\n")
    return "".join(parts)
