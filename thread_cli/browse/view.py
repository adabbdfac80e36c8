"""The comment tree pane: a Line API scroll view that draws only the rows on screen.

The pane keeps one number per shown node: the screen row it starts on. A
row to draw is found by bisection, and only the nodes on screen are laid
out into ``Text``; so a 60,000-comment dump costs one pass of height
counting when it opens (and after a resize), not one widget per comment.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from itertools import accumulate

from textual.binding import Binding
from textual.events import Click, Resize
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from .lines import GUIDE, GUTTER, Look, NodePainter, indent_levels
from .rows import Outline


class ThreadView(ScrollView, can_focus=True):
    """The outline on screen, its cursor, folds and search hits."""

    DEFAULT_CSS = """
    ThreadView {
        overflow-y: scroll;
        overflow-x: hidden;
        scrollbar-size-vertical: 1;
    }
    """

    BINDINGS = [
        Binding("j,down", "move('next')", "next", show=False),
        Binding("k,up", "move('previous')", "previous", show=False),
        Binding("J,right_square_bracket", "move('next_sibling')", "next sibling", show=False),
        Binding("K,left_square_bracket", "move('previous_sibling')", "previous sibling", show=False),
        Binding("n", "next_thread_or_hit", "next thread / hit", show=False),
        Binding("N", "hit(-1)", "previous hit", show=False),
        Binding("p", "move('previous_top')", "previous thread", show=False),
        Binding("u,h", "move('parent')", "parent", show=False),
        Binding("space,enter", "toggle", "fold", show=False),
        Binding("z", "fold_tops", "fold all", show=False),
        Binding("Z", "unfold_all", "unfold all", show=False),
        Binding("g,home", "move('first')", "first", show=False),
        Binding("G,end", "move('last')", "last", show=False),
        Binding("pageup", "page(-1)", "page up", show=False),
        Binding("pagedown", "page(1)", "page down", show=False),
        Binding("escape", "end_search", "end search", show=False),
        # Commands that leave the pane: the app carries them out.
        Binding("question_mark", "app.help", "help", show=False),
        Binding("slash", "app.open_search", "search", show=False),
        Binding("a", "app.pick_author", "author", show=False),
        Binding("A", "app.clear_author", "everyone", show=False),
        Binding("o", "app.open_link", "open link", show=False),
        Binding("y", "app.copy('id')", "copy id", show=False),
        Binding("Y", "app.copy('text')", "copy text", show=False),
        Binding("r", "app.reload", "reload", show=False),
    ]

    class Changed(Message):
        """The cursor, folds or hits changed: the status bar has to follow."""

    def __init__(self, outline: Outline, *, op: str | None = None, id: str | None = None) -> None:
        super().__init__(id=id)
        self.look = Look(op=op.casefold() if op else None)
        self.hits: list[int] = []
        self.search_text: str | None = None
        self._set_outline(outline)

    # ------------------------------------------------------------ state

    def _set_outline(self, outline: Outline) -> None:
        self.outline = outline
        self.painter = NodePainter(outline)
        self.look.cursor = outline.first()
        self._starts: list[int] = [0]
        self._strips: dict[int, list[Strip]] = {}

    @property
    def cursor(self) -> int:
        return self.look.cursor

    @property
    def cursor_id(self) -> str | None:
        """The id of the comment under the cursor, None on the article."""
        comment = self.outline.nodes[self.cursor].comment
        return None if comment is None else comment.id

    @property
    def cursor_trail(self) -> list[str]:
        """The cursor's comment id, then its ancestors' (nearest first): where to go when a filter drops it."""
        trail = []
        comment = self.outline.nodes[self.cursor].comment
        while comment is not None:
            trail.append(comment.id)
            comment = comment.parent
        return trail

    def replace_outline(self, outline: Outline, *, keep: list[str], folds: set[str] | None = None) -> None:
        """Show ``outline`` instead (a reload, a filter), on the first comment of ``keep`` it holds."""
        self._set_outline(outline)
        if folds is not None:
            outline.restore_folds(folds)
        if self.search_text is not None and self.look.highlight is not None:
            self.hits = outline.search(self.look.highlight)
        target = next((index for index in map(outline.index_of, keep) if index is not None), None)
        self._relayout()
        self.move_to(target if target is not None else outline.first(), top=True)

    def _content_width(self) -> int:
        return max(GUTTER + 1, self.scrollable_content_region.width)

    def _relayout(self) -> None:
        """Count the rows of every shown node at the current width (the one full pass)."""
        width = self._content_width()
        self.look.width = width
        height = self.painter.height
        self._starts = [0, *accumulate(height(index, width) for index in self.outline.visible)]
        self._strips.clear()
        self.virtual_size = Size(width, self._starts[-1])
        self.refresh()

    def on_resize(self, event: Resize) -> None:
        self._relayout()
        self._scroll_to_cursor()

    def _changed(self) -> None:
        self._strips.clear()
        self.refresh()
        self.post_message(self.Changed())

    # ------------------------------------------------------------ drawing

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        line = round(self.scroll_offset.y) + y
        if line >= self._starts[-1] or not self.outline.visible:
            return Strip.blank(width, self.rich_style)
        position = bisect_right(self._starts, line) - 1
        index = self.outline.visible[position]
        strips = self._strips.get(index)
        if strips is None:
            console = self.app.console
            strips = [Strip(text.render(console), text.cell_len) for text in self.painter.lines(index, self.look)]
            self._strips[index] = strips
        return strips[line - self._starts[position]].crop_extend(0, width, self.rich_style)

    # ------------------------------------------------------------ moving

    def node_start(self, index: int) -> int:
        """The virtual row where visible node ``index`` starts."""
        return self._starts[self.outline.position(index)]

    def move_to(self, index: int, *, top: bool = False) -> None:
        """Put the cursor on ``index`` (unfolding its ancestors) and scroll it into view."""
        if not self.outline.is_visible(index):
            self.outline.reveal(index)
            self._relayout()
        self.look.cursor = index
        self._scroll_to_cursor(top=top)
        self._changed()

    def _scroll_to_cursor(self, *, top: bool = False) -> None:
        """Scroll the least that shows the cursor's node (its top, when it is taller than the pane)."""
        position = self.outline.position(self.cursor)
        start, end = self._starts[position], self._starts[position + 1]
        viewport = self.scrollable_content_region.height
        y = self.scroll_offset.y
        if top or start < y or end - start > viewport:
            y = start
        elif end > y + viewport:
            y = end - viewport
        self.scroll_to(y=y, animate=False, immediate=True)

    def action_move(self, where: str) -> None:
        self.move_to(getattr(self.outline, where)(self.cursor))

    def action_page(self, direction: int) -> None:
        """A screen up or down: the cursor goes to the node a pane's height away."""
        viewport = self.scrollable_content_region.height
        target_line = max(0, min(self._starts[-1] - 1, self.node_start(self.cursor) + direction * viewport))
        position = bisect_right(self._starts, target_line) - 1
        self.move_to(self.outline.visible[position], top=True)

    # ------------------------------------------------------------ folding

    def fold_changed(self) -> None:
        self._relayout()
        self._scroll_to_cursor()
        self._changed()

    def action_toggle(self) -> None:
        if self.outline.toggle(self.cursor):
            self.fold_changed()

    def action_fold_tops(self) -> None:
        self.outline.fold_tops()
        # The cursor may have been inside a thread that just folded: go to its top.
        if not self.outline.is_visible(self.cursor):
            self.look.cursor = self.outline.tops[bisect_right(self.outline.tops, self.cursor) - 1]
        self.fold_changed()

    def action_unfold_all(self) -> None:
        self.outline.unfold_all()
        self.fold_changed()

    # ------------------------------------------------------------ search

    def search(self, text: str, pattern: re.Pattern[str] | None) -> None:
        """Highlight ``pattern`` and go to its first hit from the cursor on; None ends the search."""
        self.search_text = text if pattern is not None else None
        self.look.highlight = pattern
        self.hits = self.outline.search(pattern) if pattern is not None else []
        if self.hits:
            self.action_hit(1, include_current=True)
        else:
            self._changed()

    def action_hit(self, step: int, include_current: bool = False) -> None:
        """The next (1) or previous (-1) hit, wrapping around the ends."""
        if not self.hits:
            return
        cursor = self.cursor
        if step > 0:
            later = [hit for hit in self.hits if hit > cursor or (include_current and hit == cursor)]
            self.move_to(later[0] if later else self.hits[0])
        else:
            earlier = [hit for hit in self.hits if hit < cursor]
            self.move_to(earlier[-1] if earlier else self.hits[-1])

    def action_next_thread_or_hit(self) -> None:
        """``n``: the next hit while a search is active, the next top-level thread otherwise."""
        if self.search_text is not None:
            self.action_hit(1)
        else:
            self.action_move("next_top")

    def action_end_search(self) -> None:
        if self.search_text is not None:
            self.search("", None)

    def hit_position(self) -> int | None:
        """1-based number of the hit under the cursor, None when the cursor is not on one."""
        position = bisect_left(self.hits, self.cursor)
        return position + 1 if position < len(self.hits) and self.hits[position] == self.cursor else None

    # ------------------------------------------------------------ mouse

    def on_click(self, event: Click) -> None:
        """Select the clicked node; a click on its fold marker (▸/▾) also folds or unfolds it."""
        line = round(self.scroll_offset.y) + event.y
        if line >= self._starts[-1]:
            return
        position = bisect_right(self._starts, line) - 1
        index = self.outline.visible[position]
        header = line == self._starts[position]
        marker_x = GUTTER + indent_levels(self.outline.nodes[index].level, self.look.width) * len(GUIDE)
        self.look.cursor = index
        if header and marker_x <= event.x < marker_x + 2 and self.outline.toggle(index):
            self.fold_changed()
        else:
            self._changed()

