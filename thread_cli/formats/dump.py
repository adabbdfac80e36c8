"""The ``text`` format: the dump written back in its original layout.

For an unfiltered thread the output is the input byte for byte (line endings
and BOM included), which is how the tests prove the model loses nothing.
"""

from __future__ import annotations

from typing import Iterator

from ..model import Comment, Line, Paragraph, Thread

_INDENT = "  "


def numbered_lines(thread: Thread) -> Iterator[tuple[int, str]]:
    """(source line number, text) for every line of the thread, in order."""
    yield from _blank_run(thread.blank_before_title, 1)
    yield from _line(thread.title, "")
    for paragraph in thread.article.paragraphs:
        yield from _paragraph(paragraph, "")
    for single in (thread.categories, thread.header):
        if single is not None:
            yield from _line(single, "")
    for comment in thread.walk():
        yield from _comment(comment)
    for line in thread.footer:
        yield from _line(line, "")


def _line(line: Line, indent: str) -> Iterator[tuple[int, str]]:
    yield line.line, indent + line.text
    yield from _blank_run(line.blank_after, line.line + 1)


def _comment(comment: Comment) -> Iterator[tuple[int, str]]:
    indent = _INDENT * comment.depth
    body_indent = indent + _INDENT
    paragraphs = comment.paragraphs
    if comment.byline is not None:
        yield comment.line, indent + comment.marker + comment.byline
    elif comment.first_paragraph_on_marker_line:
        first = paragraphs[0]
        yield comment.line, indent + comment.marker + first.lines[0]
        for offset, text in enumerate(first.lines[1:], start=1):
            yield first.line + offset, body_indent + text
        yield from _blank_run(first.blank_after, first.line + len(first.lines))
        paragraphs = paragraphs[1:]
    else:
        yield comment.line, indent + comment.marker
    yield from _blank_run(comment.blank_after_marker, comment.line + 1)
    if comment.date_line is not None:
        yield from _line(comment.date_line, body_indent)
    for paragraph in paragraphs:
        yield from _paragraph(paragraph, body_indent)
    if comment.actions_line is not None:
        yield from _line(comment.actions_line, body_indent)


def _paragraph(paragraph: Paragraph, indent: str) -> Iterator[tuple[int, str]]:
    for offset, text in enumerate(paragraph.lines):
        yield paragraph.line + offset, indent + text
    yield from _blank_run(paragraph.blank_after, paragraph.line + len(paragraph.lines))


def _blank_run(blanks: list[str], first_line: int) -> Iterator[tuple[int, str]]:
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
