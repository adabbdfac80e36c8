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
    # The lines --lenient placed nowhere in the tree are merged back by line
    # number; the tree's own lines come in source order unsorted (_comments).
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
    yield from _comments(thread)
    for line in thread.footer:
        yield from _line(line, "")
    trailing = thread.trailing_blanks
    yield from _blanks(trailing, thread.layout.line_count - len(trailing) + 1)


def _comments(thread: Thread) -> Iterator[tuple[int, str]]:
    """The comments' lines in source order, which is the tree's order but for
    Blogger's closing "Reply" lines, with no sort and no merge.

    Such a line is its comment's action (``Threaded`` in builder.py) yet
    stands under the comment's replies, after its whole subtree: the walk
    leaves it on its stack under the replies, to be written just after the
    last of them, whatever their depth. (Iterative: threads can be very deep.)
    """
    stack: list = list(reversed(thread.comments))
    while stack:
        item = stack.pop()
        if type(item) is not Comment:  # closing lines, due now that their comment's replies are written
            yield from item
            continue
        actions, closing = item.action_lines, ()
        if item.replies_in_body and item.replies:
            first_reply = item.replies[0].line
            actions = [line for line in item.action_lines if line.line < first_reply]
            closing = item.action_lines[len(actions):]
        yield from _comment(item, actions)
        if closing:
            stack.append(_lines(closing, _body_indent(item)))
        stack.extend(reversed(item.replies))


def _line(line: Line, indent: str) -> Iterator[tuple[int, str]]:
    yield from _blanks(line.blank_before, line.line - len(line.blank_before))
    yield line.line, indent + line.text


def _lines(lines: list[Line], indent: str) -> Iterator[tuple[int, str]]:
    for line in lines:
        yield from _line(line, indent)


def _body_indent(comment: Comment) -> str:
    return "" if comment.flat else _INDENT * (comment.level + 1)


def _comment(comment: Comment, actions: list[Line]) -> Iterator[tuple[int, str]]:
    """The comment's own lines: marker line, date line, paragraphs and ``actions``."""
    indent = "" if comment.flat else _INDENT * comment.level
    body_indent = _body_indent(comment)
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
    # Written where it stands, which the grammar allows in two places only: a
    # WordPress date line opens the body (signed_body), a Blogger time line
    # follows the text (flat_comment).
    date = comment.date_line
    if date is not None and not (paragraphs and paragraphs[0].line < date.line):
        yield from _line(date, body_indent)
        date = None
    for paragraph in paragraphs:
        yield from _paragraph(paragraph, body_indent)
    if date is not None:
        yield from _line(date, body_indent)
    yield from _lines(actions, body_indent)


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
