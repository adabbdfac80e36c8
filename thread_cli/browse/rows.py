"""The browser's model of a thread: a flat outline with folding, moves and search hits.

Nothing here knows about Textual or the screen, so every key's effect on
the cursor can be tested on plain data. The outline is one list of nodes in
document order: node 0 is the article, then every comment. Each node knows
its parent and where its sub-thread ends, so a fold is a jump over a slice
and the visible list is rebuilt in one pass, even for 60,000 comments.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass
from typing import Iterable

from ..model import Comment, Thread
from ..select import comment_matches
from ..styles import URL

ARTICLE = 0  # the index of the article node
NO_PARENT = -1


@dataclass(slots=True, eq=False)
class Node:
    comment: Comment | None  # None for the article
    level: int  # nesting in this outline: 0 for the article and top-level comments
    parent: int  # index of the parent node, NO_PARENT at the top
    end: int  # index just past the last node of this node's sub-thread
    previous_sibling: int  # NO_PARENT when this is the first child


class Outline:
    """A thread (often a filtered copy of one) as navigable, foldable nodes.

    ``dimmed`` are comments shown only as the context of a match (select.py's
    Selection.dimmed); ``fold_depth`` folds every comment at that depth, as
    ``--max-depth`` asks, so its deeper replies are one key away.
    """

    def __init__(self, thread: Thread, *, dimmed: Iterable[Comment] = (), fold_depth: int | None = None) -> None:
        self.thread = thread
        self.dimmed = set(dimmed)
        self.nodes: list[Node] = [Node(None, 0, NO_PARENT, 1, NO_PARENT)]
        self._index_of_id: dict[str, int] = {}
        last_child: dict[int, int] = {}  # parent index -> its latest child so far
        # (comment, level) in document order; a stack of open ancestors gives each node its parent.
        open_nodes: list[int] = []
        for comment, level in thread.walk_levels():
            index = len(self.nodes)
            del open_nodes[level:]
            parent = open_nodes[-1] if open_nodes else NO_PARENT
            self.nodes.append(Node(comment, level, parent, index + 1, last_child.get(parent, NO_PARENT)))
            last_child[parent] = index
            open_nodes.append(index)
            self._index_of_id.setdefault(comment.id, index)
        # A node's sub-thread ends where the next node at its level or above starts.
        pending: list[int] = []
        for index in range(1, len(self.nodes)):
            level = self.nodes[index].level
            while pending and self.nodes[pending[-1]].level >= level:
                self.nodes[pending.pop()].end = index
            pending.append(index)
        for index in pending:
            self.nodes[index].end = len(self.nodes)
        self.tops = [index for index, node in enumerate(self.nodes) if node.level == 0]
        # The article starts folded: its title and first lines, the comments right below.
        self.folded: set[int] = {ARTICLE}
        if fold_depth is not None:
            self.folded.update(
                index for index, node in enumerate(self.nodes)
                if node.comment is not None and node.comment.depth == fold_depth and node.end > index + 1
            )
        self.visible: list[int] = []
        self.refresh_visible()

    # ------------------------------------------------------------ structure

    def __len__(self) -> int:
        return len(self.nodes)

    @property
    def comment_count(self) -> int:
        return len(self.nodes) - 1

    def index_of(self, comment_id: str) -> int | None:
        return self._index_of_id.get(comment_id)

    def reply_count(self, index: int) -> int:
        """How many comments the sub-thread under ``index`` holds (the article has none)."""
        return self.nodes[index].end - index - 1

    def is_foldable(self, index: int) -> bool:
        return index == ARTICLE or self.reply_count(index) > 0

    def ancestors(self, index: int) -> list[int]:
        chain = []
        parent = self.nodes[index].parent
        while parent != NO_PARENT:
            chain.append(parent)
            parent = self.nodes[parent].parent
        return chain

    # ------------------------------------------------------------ folding

    def refresh_visible(self) -> None:
        """Rebuild the list of shown nodes: everything but the inside of folded sub-threads."""
        visible = []
        nodes, folded = self.nodes, self.folded
        index, count = 0, len(nodes)
        while index < count:
            visible.append(index)
            index = nodes[index].end if index in folded else index + 1
        self.visible = visible

    def is_visible(self, index: int) -> bool:
        position = bisect_left(self.visible, index)
        return position < len(self.visible) and self.visible[position] == index

    def toggle(self, index: int) -> bool:
        """Fold or unfold ``index``; False when it has nothing to fold."""
        if not self.is_foldable(index):
            return False
        self.folded.symmetric_difference_update({index})
        self.refresh_visible()
        return True

    def fold_tops(self) -> None:
        """Fold every top-level thread that has replies (the article too)."""
        self.folded.update(index for index in self.tops if self.is_foldable(index))
        self.refresh_visible()

    def unfold_all(self) -> None:
        """Unfold every comment; the article keeps its state (it is not a thread)."""
        self.folded &= {ARTICLE}
        self.refresh_visible()

    def reveal(self, index: int) -> None:
        """Unfold the ancestors of ``index`` so that it is shown."""
        hidden = [ancestor for ancestor in self.ancestors(index) if ancestor in self.folded]
        if hidden:
            self.folded.difference_update(hidden)
            self.refresh_visible()

    def folded_ids(self) -> set[str]:
        """The folds as comment ids ("" for the article), to carry them across a reload or filter."""
        return {self.nodes[index].comment.id if index != ARTICLE else "" for index in self.folded}

    def restore_folds(self, ids: set[str]) -> None:
        self.folded = {ARTICLE} if "" in ids else set()
        for comment_id in ids - {""}:
            index = self.index_of(comment_id)
            if index is not None and self.is_foldable(index):
                self.folded.add(index)
        self.refresh_visible()

    # ------------------------------------------------------------ moves
    # Each returns the node to move the cursor to (``index`` itself when there is nowhere to go).

    def position(self, index: int) -> int:
        """The place of a visible ``index`` in the visible list."""
        return bisect_left(self.visible, index)

    def next(self, index: int) -> int:
        return _after(self.visible, index)

    def previous(self, index: int) -> int:
        return _before(self.visible, index)

    def next_sibling(self, index: int) -> int:
        node = self.nodes[index]
        after = node.end
        if after < len(self.nodes) and self.nodes[after].parent == node.parent and index != ARTICLE:
            return after
        return index

    def previous_sibling(self, index: int) -> int:
        before = self.nodes[index].previous_sibling
        return index if before == NO_PARENT or index == ARTICLE else before

    def next_top(self, index: int) -> int:
        return _after(self.tops, index)

    def previous_top(self, index: int) -> int:
        """The top of the thread ``index`` is in; from a top, the previous top (as ``[[`` in vim)."""
        return _before(self.tops, index)

    def parent(self, index: int) -> int:
        parent = self.nodes[index].parent
        return index if parent == NO_PARENT else parent

    def first(self, index: int = ARTICLE) -> int:
        return self.visible[0]

    def last(self, index: int = ARTICLE) -> int:
        return self.visible[-1]

    # ------------------------------------------------------------ search and labels

    def search(self, pattern: re.Pattern[str]) -> list[int]:
        """The comments ``pattern`` matches (author or text, as `thread search`), in document order."""
        return [
            index for index in range(1, len(self.nodes))
            if comment_matches(self.nodes[index].comment, pattern)
        ]

    def reply_target(self, index: int) -> str | None:
        """The parent's author, for a reply that is not shown right under its parent.

        ``None`` when the parent is the node above (the guides say it all) or
        has no author. The parent is the original one even in a filtered copy.
        """
        comment = self.nodes[index].comment
        if comment is None or comment.parent is None or comment.parent.author is None:
            return None
        above = self.previous(index)
        if above != index and self.nodes[above].comment is not None and self.nodes[above].comment.id == comment.parent.id:
            return None
        return comment.parent.author

    def urls(self, index: int) -> list[str]:
        """Every distinct URL in the node's text, in order of appearance."""
        node = self.nodes[index]
        paragraphs = self.thread.article.paragraphs if node.comment is None else node.comment.paragraphs
        found: dict[str, None] = {}
        for paragraph in paragraphs:
            for line in paragraph.lines:
                if "://" in line:
                    found.update((match.group(), None) for match in URL.finditer(line))
        return list(found)


def author_counts(thread: Thread) -> list[tuple[str, int]]:
    """(display name, number of comments), most prolific first, then by name."""
    counts = Counter(comment.author for comment in thread.walk() if comment.author is not None)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0].casefold()))


def comment_text(comment: Comment) -> str:
    """What ``Y`` copies: the author line and the body, as written."""
    head = f"{comment.author or '(no author)'}" + (f", {comment.date}" if comment.date else "")
    return f"{head}\n\n{comment.text}"


def _after(ordered: list[int], index: int) -> int:
    """The first of ``ordered`` after ``index`` (``index`` itself when there is none)."""
    position = bisect_right(ordered, index)
    return ordered[position] if position < len(ordered) else index


def _before(ordered: list[int], index: int) -> int:
    """The last of ``ordered`` before ``index`` (``index`` itself when there is none)."""
    position = bisect_left(ordered, index)
    return ordered[position - 1] if position > 0 else index
