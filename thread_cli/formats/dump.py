"""The ``text`` format: the dump written back in its original layout.

For an unfiltered thread the output is the input byte for byte (line endings
and BOM included), which is how the tests prove the model loses nothing.
"""

from __future__ import annotations

import heapq
from typing import Iterator

from ..classify import INDENT_WIDTH
from ..model import Comment, Line, Paragraph, Thread

_INDENT = " " * INDENT_WIDTH  # one level of the comment tree


def numbered_lines(thread: Thread) -> Iterator[tuple[int, str]]:
    """(source line number, text) for every line of the thread, in order."""
    placed = _placed_lines(thread)
    if not thread.unplaced:
        return placed
    unplaced = (entry for line in thread.unplaced for entry in _line(line, ""))
    return heapq.merge(placed, unplaced, key=lambda entry: entry[0])


def _placed_lines(thread: Thread) -> Iterator[tuple[int, str]]:
    if thread.date_line is not None:
        yield from _line(thread.date_line, "")
    yield from _line(thread.title, "")
    for paragraph in thread.article.paragraphs:
        yield from _paragraph(paragraph, "")
    for single in (thread.categories, thread.header):
        if single is not None:
            yield from _line(single, "")
    for top in thread.comments:
        # In line order: a Blogger thread's closing "Reply" line is its top
        # comment's action but stands under the replies (timsort keeps the
        # usual already-ordered case linear).
        yield from sorted((entry for comment in top.walk() for entry in _comment(comment)),
                          key=lambda entry: entry[0])
    for line in thread.footer:
        yield from _line(line, "")
    trailing = thread.trailing_blanks
    yield from _blanks(trailing, thread.layout.line_count - len(trailing) + 1)


def _line(line: Line, indent: str) -> Iterator[tuple[int, str]]:
    yield from _blanks(line.blank_before, line.line - len(line.blank_before))
    yield line.line, indent + line.text


def _comment(comment: Comment) -> Iterator[tuple[int, str]]:
    indent = "" if comment.flat else _INDENT * comment.level
    body_indent = "" if comment.flat else indent + _INDENT
    paragraphs = comment.paragraphs
    yield from _blanks(comment.blank_before, comment.line - len(comment.blank_before))
    if comment.byline is not None:
        yield comment.line, indent + comment.marker + comment.byline
    elif comment.first_paragraph_on_marker_line:
        first = paragraphs[0]
        yield comment.line, indent + comment.marker + first.lines[0]
        for offset, text in enumerate(first.lines[1:], start=1):
            yield first.line + offset, body_indent + text
        paragraphs = paragraphs[1:]
    else:
        yield comment.line, indent + comment.marker
    # In source order: a date line opens a WordPress body, a Blogger time line closes it.
    parts = sorted([*([comment.date_line] if comment.date_line is not None else []), *paragraphs,
                    *comment.action_lines], key=lambda part: part.line)
    for part in parts:
        yield from (_paragraph(part, body_indent) if isinstance(part, Paragraph) else _line(part, body_indent))


def _paragraph(paragraph: Paragraph, indent: str) -> Iterator[tuple[int, str]]:
    yield from _blanks(paragraph.blank_before, paragraph.line - len(paragraph.blank_before))
    for offset, text in enumerate(paragraph.lines):
        yield paragraph.line + offset, indent + text


def _blanks(blanks, first_line: int) -> Iterator[tuple[int, str]]:
    for offset, text in enumerate(blanks):
        yield first_line + offset, text


def render_text(thread: Thread) -> Iterator[str]:
    """The dump as text chunks, with the original line endings and BOM."""
    layout = thread.layout
    newline, other = layout.newline, layout.other_endings
    if layout.bom:
        yield "\ufeff"
    pending: tuple[str, str] | None = None
    for number, text in numbered_lines(thread):
        if pending is not None:
            yield pending[0] + pending[1]
        pending = (text, other.get(number, newline))
    if pending is not None:
        yield pending[0] + (pending[1] if layout.final_newline else "")
