"""What one node of the outline looks like: ``rich.text.Text`` lines, one per screen row.

Every piece of user text (names, dates, ids, bodies, the title) goes
through ``sanitize`` and into a ``Text`` as plain text: no Rich markup is
ever parsed, so "[bold]" in a comment is shown as typed and an escape
sequence is shown as ``^[``. Heights are computed with the same wrapping as
the lines themselves, so the scroll view's line numbers always agree with
what it draws.

A node is: its header (always one row, cut with an ellipsis), its body
wrapped beneath it, and a spacer row. Guides (``│``) show the depth.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rich.text import Text

from ..layout import author_style, cells, wrap
from ..sanitize import sanitize
from ..styles import URL
from .rows import ARTICLE, Outline

GUTTER = 1  # one column on the left marks the cursor's node (▌), even without colour
GUIDE = "│ "
MIN_BODY_WIDTH = 30  # indentation stops growing before bodies get narrower than this
ARTICLE_PREVIEW_ROWS = 3
FOLDED, OPEN, LEAF = "▸", "▾", " "
MARKER_WIDTH = 2  # the fold marker and its space

GUIDE_STYLE = "dim"
HIT_STYLE = "bold black on yellow"
CURSOR_STYLE = "reverse"
ID_STYLE = "cyan"


@dataclass
class Look:
    """Everything besides the outline that changes how nodes are drawn."""

    width: int = 80
    highlight: re.Pattern[str] | None = None
    op: str | None = None  # casefolded name of the article's author
    cursor: int = ARTICLE


@dataclass
class _BodyRow:
    text: str  # sanitised, tabs expanded
    offset: int  # where ``text`` starts in its source line, for highlighting across wraps
    source: str  # the whole sanitised source line ("" for a paragraph gap)


def indent_levels(level: int, width: int) -> int:
    """How many guide columns a node at ``level`` gets: capped so bodies keep MIN_BODY_WIDTH."""
    cap = max(0, (width - GUTTER - MARKER_WIDTH - MIN_BODY_WIDTH) // len(GUIDE))
    return min(level, cap)


@dataclass
class NodePainter:
    """Lays out nodes of one outline; wrapped bodies are cached by (node, width)."""

    outline: Outline
    _bodies: dict[tuple[int, int], list[_BodyRow]] = field(default_factory=dict)
    _heights: dict[tuple[int, int], int] = field(default_factory=dict)

    def body_width(self, index: int, width: int) -> int:
        levels = indent_levels(self.outline.nodes[index].level, width)
        return max(1, width - GUTTER - levels * len(GUIDE) - MARKER_WIDTH)

    def _body(self, index: int, width: int) -> list[_BodyRow]:
        key = (index, width)
        rows = self._bodies.get(key)
        if rows is None:
            rows = self._wrap_body(index, self.body_width(index, width))
            if len(self._bodies) > 2048:  # only what is on screen needs keeping
                self._bodies.clear()
            self._bodies[key] = rows
        return rows

    def _wrap_body(self, index: int, width: int) -> list[_BodyRow]:
        node = self.outline.nodes[index]
        paragraphs = self.outline.thread.article.paragraphs if node.comment is None else node.comment.paragraphs
        rows: list[_BodyRow] = []
        for number, paragraph in enumerate(paragraphs):
            if number:
                rows.append(_BodyRow("", 0, ""))
            for line in paragraph.lines:
                source = sanitize(line.expandtabs(8) if "\t" in line else line)
                offset = 0
                for piece in wrap(source, width):
                    # wrap() drops the spaces at a break: find each piece after the last one.
                    offset = source.find(piece, offset) if piece else offset
                    rows.append(_BodyRow(piece, offset, source))
                    offset += len(piece)
        return rows

    def height(self, index: int, width: int) -> int:
        key = (index, width)
        height = self._heights.get(key)
        if height is None:
            height = self._height(index, width)
            self._heights[key] = height
        return height

    def _height(self, index: int, width: int) -> int:
        if index == ARTICLE:
            return 1 + len(self._article_rows(width)) + 1
        # Every shown comment is counted when the dump opens: count the wrapped
        # rows without building them (the same wrap as _wrap_body, so the same number).
        body_width = self.body_width(index, width)
        paragraphs = self.outline.nodes[index].comment.paragraphs
        rows = max(0, len(paragraphs) - 1)  # the gaps between paragraphs
        for paragraph in paragraphs:
            for line in paragraph.lines:
                if len(line) <= body_width and line.isprintable() and cells(line) <= body_width:
                    rows += 1  # fits as it is (printable: sanitize leaves it alone, and there is no tab)
                else:
                    rows += len(wrap(sanitize(line.expandtabs(8) if "\t" in line else line), body_width))
        return 1 + rows + 1

    def forget(self) -> None:
        """Drop cached layouts (after the outline's text changed)."""
        self._bodies.clear()
        self._heights.clear()

    def _article_rows(self, width: int) -> list[_BodyRow]:
        rows = self._body(ARTICLE, width)
        if ARTICLE in self.outline.folded and len(rows) > ARTICLE_PREVIEW_ROWS:
            # The folded article: its first rows, and a row that says how much is hidden.
            return rows[:ARTICLE_PREVIEW_ROWS] + [_BodyRow("", 0, "")]
        return rows

    # ------------------------------------------------------------ drawing

    def lines(self, index: int, look: Look) -> list[Text]:
        """The rows of node ``index`` at ``look.width`` (exactly ``height`` of them)."""
        outline = self.outline
        node = outline.nodes[index]
        width = look.width
        levels = indent_levels(node.level, width)
        guides = GUIDE * levels
        on_cursor = index == look.cursor
        gutter = Text("▌" if on_cursor else " ", style="bold" if on_cursor else "")
        has_open_replies = outline.reply_count(index) > 0 and index not in outline.folded
        dim = node.comment is not None and node.comment in outline.dimmed

        header = Text(no_wrap=True, overflow="ellipsis", end="")
        header.append_text(gutter)
        header.append(guides, GUIDE_STYLE)
        header_start = len(header)
        self._header(header, index, look, levels)
        if dim:
            header.stylize("dim", header_start)
        if on_cursor:
            header.stylize(CURSOR_STYLE, header_start)
        header.truncate(width, overflow="ellipsis")
        lines = [header]

        lead = guides + (GUIDE if has_open_replies else " " * len(GUIDE))
        body_style = "dim" if dim else ""
        if index == ARTICLE:
            rows = self._article_rows(width)
            hidden = len(self._body(ARTICLE, width)) - ARTICLE_PREVIEW_ROWS
        else:
            rows = self._body(index, width)
            hidden = 0
        for position, row in enumerate(rows):
            line = Text(end="")
            line.append_text(gutter)
            line.append(lead, GUIDE_STYLE)
            if index == ARTICLE and hidden > 0 and ARTICLE in outline.folded and position == len(rows) - 1:
                line.append(f"[+{hidden} more lines: space to read the article]", "dim italic")
            else:
                line.append_text(_styled_row(row, body_style, look.highlight))
            lines.append(line)
        lines.append(Text(" " + guides + (GUIDE.rstrip() if has_open_replies else ""), GUIDE_STYLE, end=""))
        for line in lines[1:]:
            line.truncate(width)
        return lines

    def _header(self, header: Text, index: int, look: Look, levels: int) -> None:
        outline = self.outline
        node = outline.nodes[index]
        replies = outline.reply_count(index)
        folded = index in outline.folded
        marker = FOLDED if folded and outline.is_foldable(index) else OPEN if outline.is_foldable(index) else LEAF
        header.append(marker + " ", "bold")
        if index == ARTICLE:
            header.append(sanitize(outline.thread.title.text), "bold")
            return
        comment = node.comment
        if node.level > levels:  # the guides stopped growing: say how deep this reply really is
            header.append(f"[depth {comment.depth}] ", "dim italic")
        header.append(sanitize(comment.id), ID_STYLE)
        header.append("  ")
        if comment.kind != "comment":  # a pingback or trackback: its "author" is the linking page
            header.append(f"{comment.kind.capitalize()}: ", "italic")
        if comment.author is None:
            header.append("(no author)", "italic")
        else:
            header.append_text(_highlighted(sanitize(comment.author), author_style(comment.author), look.highlight))
            if look.op is not None and comment.matches_author({look.op}):
                header.append(" OP", "bold reverse")
            if comment.avatar and comment.avatar != comment.author:
                header.append(f" (avatar: {sanitize(comment.avatar)})", "dim")
        if comment.date:
            header.append(f"  {sanitize(comment.date)}", "dim")
        target = outline.reply_target(index)
        if target is not None:
            header.append(f"  ↳ to {sanitize(target)}", "italic")
        if folded and replies:
            header.append(f"  [+{replies} {'reply' if replies == 1 else 'replies'}]", "bold yellow")


def _styled_row(row: _BodyRow, base: str, highlight: re.Pattern[str] | None) -> Text:
    """One wrapped row; URLs underlined and hits marked, found on the whole source line
    so that a hit or a URL cut by the wrap is marked on both rows."""
    text = Text(row.text, style=base, end="")
    if not row.text:
        return text
    start, stop = row.offset, row.offset + len(row.text)
    marks: list[tuple[int, int, str]] = []
    if "://" in row.source:
        marks.extend((m.start(), m.end(), "underline") for m in URL.finditer(row.source))
    if highlight is not None:
        marks.extend((m.start(), m.end(), HIT_STYLE) for m in highlight.finditer(row.source) if m.end() > m.start())
    for mark_start, mark_end, style in marks:
        if mark_start < stop and mark_end > start:
            text.stylize(style, max(mark_start, start) - start, min(mark_end, stop) - start)
    return text


def _highlighted(value: str, style: str, highlight: re.Pattern[str] | None) -> Text:
    text = Text(value, style=style, end="")
    if highlight is not None:
        for match in highlight.finditer(value):
            if match.end() > match.start():
                text.stylize(HIT_STYLE, match.start(), match.end())
    return text

