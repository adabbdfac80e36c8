"""The reading view, as rows of styled spans: tree guides, wrapping, depth caps.

This module decides what the view looks like; it knows nothing of terminals.
``render.py`` prints the rows either through Rich (colour, links) or as plain
text, so a terminal and a pipe show the same layout. Everything is iterative
and yields one block per comment, so output starts before a big thread is
laid out and deep threads cannot exhaust the recursion limit.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field
from typing import Iterator

from rich.cells import cell_len, chop_cells

from .model import Comment, Thread
from .sanitize import sanitize

Span = tuple[str, str]  # (text, Rich style string; "" for none)
Row = list[Span]

GUIDES = {
    # name: (branch, last branch, pipe, blank) — each stretched to the indent width
    "unicode": ("├", "└", "─", "│"),
    "ascii": ("|", "`", "-", "|"),
    "none": (" ", " ", " ", " "),
}
_AUTHOR_COLOURS = (
    "red", "green", "yellow", "blue", "magenta", "cyan",
    "bright_red", "bright_green", "bright_yellow", "bright_blue", "bright_magenta", "bright_cyan",
)
_URL = re.compile(r"https?://[^\s<>\"”’)\]]+")
MIN_BODY_WIDTH = 24


def author_style(name: str) -> str:
    """Bold, in a colour derived from the name: the same on every run and machine."""
    colour = _AUTHOR_COLOURS[zlib.crc32(name.casefold().encode("utf-8")) % len(_AUTHOR_COLOURS)]
    return f"bold {colour}"


@dataclass
class ViewOptions:
    width: int = 80
    indent: int = 3
    guides: str = "unicode"
    show_article: bool = True
    max_depth: int | None = None
    highlight: re.Pattern[str] | None = None
    dimmed: set[Comment] = field(default_factory=set)  # context comments, shown dimmed
    # Indentation stops growing after this many levels; None: as the width allows.
    max_indent_levels: int | None = None

    def indent_cap(self) -> int:
        by_width = max(1, (self.width - MIN_BODY_WIDTH) // max(1, self.indent))
        return min(by_width, self.max_indent_levels) if self.max_indent_levels else by_width


def wrap(line: str, width: int) -> list[str]:
    """Greedy word wrap by terminal cells; words wider than ``width`` are cut."""
    width = max(1, width)
    if cell_len(line) <= width:
        return [line]
    rows: list[str] = []
    current = ""
    for word in re.split(r"(?<=\S)(?= )|(?<= )(?=\S)", line):
        if not word:
            continue
        if cell_len(current) + cell_len(word) <= width:
            current += word
            continue
        if word.isspace():
            rows.append(current)
            current = ""
            continue
        if current.strip():
            rows.append(current.rstrip(" "))
        current = ""
        while cell_len(word) > width:
            head, *_ = chop_cells(word, width)
            rows.append(head)
            word = word[len(head):]
        current = word
    if current.strip() or not rows:
        rows.append(current.rstrip(" ") if rows else current)
    return rows


def _styled(text: str, base: str, highlight: re.Pattern[str] | None) -> Row:
    """Split ``text`` into spans: links for URLs, highlight for search hits."""
    marks: list[tuple[int, int, str]] = []
    for match in _URL.finditer(text):
        marks.append((match.start(), match.end(), f"link {match.group()}"))
    if highlight is not None:
        for match in highlight.finditer(text):
            if match.end() > match.start():
                marks.append((match.start(), match.end(), "bold reverse"))
    if not marks:
        return [(text, base)]
    marks.sort()
    row: Row = []
    position = 0
    for start, end, style in marks:
        start = max(start, position)
        if start >= end:
            continue
        if start > position:
            row.append((text[position:start], base))
        row.append((text[start:end], f"{base} {style}".strip()))
        position = end
    if position < len(text):
        row.append((text[position:], base))
    return row


def article_rows(thread: Thread, options: ViewOptions) -> Iterator[Row]:
    title = sanitize(thread.title.text)
    for line in wrap(title, options.width):
        yield [(line, "bold")]
    yield [("═" * min(options.width, max(cell_len(title), 1)), "bold")]
    for paragraph in thread.article.paragraphs:
        yield []
        for source_line in paragraph.lines:
            for line in wrap(sanitize(source_line), options.width):
                yield _styled(line, "", options.highlight)
    yield []


def summary_row(thread: Thread) -> Row:
    parsed = thread.comment_count
    declared = thread.declared_count
    text = f"{parsed} comment{'s' if parsed != 1 else ''}"
    if declared is not None and declared != parsed:
        text += f" (the header declares {declared})"
    return [(text, "dim")]


def comment_blocks(roots: list[Comment], options: ViewOptions) -> Iterator[list[Row]]:
    """One block of rows per comment, in document order."""
    branch, last, dash, pipe = GUIDES[options.guides]
    size = max(2, options.indent)
    seg_branch = branch + dash * (size - 2) + " "
    seg_last = last + dash * (size - 2) + " "
    seg_pipe = pipe + " " * (size - 1)
    seg_blank = " " * size
    cap = options.indent_cap()

    for root in roots:
        # Frames: (comment, guide segments of the ancestors, is last sibling)
        stack: list[tuple[Comment, tuple[str, ...], bool]] = [(root, (), True)]
        while stack:
            comment, trail, is_last = stack.pop()
            is_root = comment is root
            inner = trail if is_root else trail + ((seg_blank if is_last else seg_pipe),)
            shown_replies = comment.replies
            hidden = 0
            if options.max_depth is not None and comment.depth >= options.max_depth:
                hidden = sum(1 for _ in comment.walk()) - 1
                shown_replies = []
            body_trail = inner + ((seg_pipe if shown_replies else seg_blank),)
            yield _comment_rows(
                comment,
                connector="" if is_root else (seg_last if is_last else seg_branch),
                trail=_capped(trail, cap),
                body_trail=_capped(body_trail, cap + 1),
                spacer_trail=_capped(inner + ((seg_pipe,) if shown_replies else ()), cap + 1),
                hidden=hidden,
                options=options,
            )
            for position in range(len(shown_replies) - 1, -1, -1):
                stack.append((shown_replies[position], inner, position == len(shown_replies) - 1))


def _capped(trail: tuple[str, ...], cap: int) -> str:
    return "".join(trail[:cap])


def _comment_rows(
    comment: Comment,
    *,
    connector: str,
    trail: str,
    body_trail: str,
    spacer_trail: str,
    hidden: int,
    options: ViewOptions,
) -> list[Row]:
    dim = "dim " if comment in options.dimmed else ""
    guide_style = "dim"
    header: Row = [(trail + connector, guide_style)]
    levels = len(trail + connector) // max(2, options.indent)
    if comment.depth - 1 > levels:
        header.append((f"[depth {comment.depth}] ", "dim italic"))
    header.append((comment.id, f"{dim}cyan"))
    header.append(("  ", ""))
    if comment.author is None:
        header.append(("(no author)", f"{dim}italic"))
    else:
        header.extend(_styled(sanitize(comment.author), f"{dim}{author_style(comment.author)}", options.highlight))
        if comment.avatar and comment.avatar != comment.author:
            header.append((f" (avatar: {sanitize(comment.avatar)})", "dim"))
    rows = [header]
    body_width = max(MIN_BODY_WIDTH // 2, options.width - cell_len(body_trail))
    for number, paragraph in enumerate(comment.paragraphs):
        if number:
            rows.append([(body_trail.rstrip(), guide_style)])
        for source_line in paragraph.lines:
            for line in wrap(sanitize(source_line), body_width):
                rows.append([(body_trail, guide_style), *_styled(line, dim.strip(), options.highlight)])
    if hidden:
        noun = "reply" if hidden == 1 else "replies"
        rows.append([(body_trail, guide_style), (f"[+{hidden} {noun} hidden]", "dim italic")])
    rows.append([(spacer_trail.rstrip(), guide_style)])
    return rows
