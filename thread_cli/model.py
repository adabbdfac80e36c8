"""The typed model of a dump: a thread, its article and its comment tree.

The model is lossless: every line of the input lives somewhere in it, blank
lines included (as the ``blank_before`` runs of the element they precede, and
the thread's ``trailing_blanks``), so the text writer can put the dump back
together byte for byte.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

from .words import plural


@dataclass(slots=True, eq=False)
class Paragraph:
    """Consecutive non-blank lines, with the body indentation removed."""

    lines: list[str]
    line: int  # source line number of the first line
    blank_before: list[str] | tuple = ()

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@dataclass(slots=True, eq=False)
class Line:
    """One significant line outside the comment list (title, footer line…)."""

    text: str
    line: int
    blank_before: list[str] | tuple = ()


@dataclass(slots=True, eq=False)
class Categories(Line):
    names: list[str] = field(default_factory=list)


@dataclass(slots=True, eq=False)
class CommentHeader(Line):
    declared: int = 0
    title: str | None = None


@dataclass(slots=True, eq=False)
class Comment:
    """One comment; ``replies`` hold its children in page order.

    ``marker`` and ``byline`` are the raw pieces of the marker line ("3. ",
    "Norm's avatar Norm Says:") so the text writer can reproduce them exactly.
    When a comment has no author line, its first paragraph starts on the
    marker line itself.
    """

    line: int  # source line number of the marker
    marker: str
    number: int | None = None
    byline: str | None = None
    kind: str = "comment"  # or "pingback", "trackback"
    author: str | None = None
    avatar: str | None = None
    date: str | None = None  # as written, from the author line or the date line
    datetime: str | None = None  # ISO 8601, no time zone, when the date can be read
    blank_before: list[str] | tuple = ()
    date_line: "Line | None" = None
    paragraphs: list[Paragraph] = field(default_factory=list)
    action_lines: list[Line] = field(default_factory=list)
    replies: list["Comment"] = field(default_factory=list)
    id: str = ""
    depth: int = 1
    parent: "Comment | None" = field(default=None, repr=False)
    # A comment of a flat list at column 1 (Blogger): no marker, no indentation.
    flat: bool = False
    # Blogger's threaded lists put a comment's replies inside its body, one
    # level deeper than a WordPress list would.
    replies_in_body: bool = False
    # Where the marker stands, in levels of two columns, for the text writer:
    # the depth, plus one for each ancestor whose replies sit in its body.
    level: int = 1

    @property
    def text(self) -> str:
        """The body: paragraphs separated by one blank line."""
        return "\n\n".join(p.text for p in self.paragraphs)

    @property
    def actions(self) -> list[str]:
        if not self.action_lines:  # most comments: no import, no pattern
            return []
        from .patterns import parse_actions  # here: the model loads without the line patterns

        return [action for line in self.action_lines for action in parse_actions(line.text)]

    @property
    def first_paragraph_on_marker_line(self) -> bool:
        return self.byline is None and bool(self.paragraphs) and self.paragraphs[0].line == self.line

    def walk(self) -> Iterator["Comment"]:
        """This comment and all its descendants, in document order."""
        stack = [self]
        while stack:
            comment = stack.pop()
            yield comment
            stack.extend(reversed(comment.replies))

    def matches_author(self, wanted: set[str]) -> bool:
        """True when the display or avatar name is in ``wanted`` (casefolded)."""
        return (self.author is not None and self.author.casefold() in wanted) or (
            self.avatar is not None and self.avatar.casefold() in wanted
        )


@dataclass(slots=True, eq=False)
class Article:
    paragraphs: list[Paragraph] = field(default_factory=list)


@dataclass(slots=True)
class Layout:
    """How the bytes around the lines looked, so the text writer can restore them."""

    newline: str = "\n"
    final_newline: bool = True
    bom: bool = False
    # line number -> line ending, for the lines whose ending is not ``newline``
    other_endings: dict[int, str] = field(default_factory=dict)
    line_count: int = 0
    # What the bytes were: "utf-8", or "utf-16-le" and the like after their byte order mark.
    encoding: str = "utf-8"


@dataclass(slots=True, eq=False)
class Thread:
    source: str
    title: Line
    article: Article = field(default_factory=Article)
    categories: Categories | None = None
    header: CommentHeader | None = None
    comments: list[Comment] = field(default_factory=list)
    footer: list[Line] = field(default_factory=list)
    trailing_blanks: list[str] | tuple = ()
    # Lines --lenient could place nowhere in the tree (kept, in source order).
    unplaced: list[Line] = field(default_factory=list)
    layout: Layout = field(default_factory=Layout)
    # The whole thread, when this one is a filtered copy of it.
    original: "Thread | None" = field(default=None, repr=False)
    # The comment section's family: "wordpress", "blogger", or "none" (no comments).
    family: str = "none"
    # A date header above the title (Blogger's "Wednesday, April 9, 2014"),
    # and its date in ISO 8601 ("2014-04-09") when it can be read.
    date_line: Line | None = None
    datetime: str | None = None

    @property
    def declared_count(self) -> int | None:
        return self.header.declared if self.header else None

    def walk(self) -> Iterator[Comment]:
        """Every comment in document order (iterative: threads can be very deep)."""
        for top in self.comments:
            yield from top.walk()

    def walk_levels(self) -> Iterator[tuple[Comment, int]]:
        """(comment, nesting level in this thread, 0 for its roots), in document order.

        In a filtered copy the level can be less than ``depth - 1``: it counts
        only the ancestors that were kept.
        """
        stack = [(top, 0) for top in reversed(self.comments)]
        while stack:
            comment, level = stack.pop()
            yield comment, level
            stack.extend((reply, level + 1) for reply in reversed(comment.replies))

    @property
    def comment_count(self) -> int:
        return sum(1 for _ in self.walk())

    def find(self, comment_id: str) -> Comment | None:
        for comment in self.walk():
            if comment.id == comment_id:
                return comment
        return None

    @property
    def parsed_count(self) -> int:
        """How many comments the dump holds, even when this is a filtered copy."""
        return (self.original or self).comment_count

    def any_dated(self) -> bool:
        """True when some comment has a readable date."""
        return any(comment.datetime is not None for comment in self.walk())

    def count_warning(self, parsed: int | None = None) -> str | None:
        """The warning to show when the header's count and the dump disagree.

        ``parsed`` is for a streamed export, whose thread keeps no comments.
        """
        declared = self.declared_count
        if parsed is None:
            parsed = self.parsed_count
        if declared is None or declared == parsed:
            return None
        return f"header declares {plural(declared, 'comment')}, {parsed} found"
