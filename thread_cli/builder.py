"""The model, built as the parser reduces each rule of the grammar.

The LALR parser (lalr.py) calls :class:`ModelBuilder`'s method named after
each rule with the rule's children, so the model is built directly, with no
parse tree in between. Ids, depths and parents are set afterwards by
:class:`Linker`, one top-level comment at a time (a streamed export links
each as it is finished).
"""

from __future__ import annotations

from typing import NamedTuple

from .classify import INDENT_WIDTH
from .dates import parse_date
from .model import Article, Categories, Comment, CommentHeader, Line, Paragraph, Thread
from .patterns import (
    Header, parse_blogger_said, parse_byline, parse_categories, parse_date_header, parse_header,
)
from .problems import Problem


_INDENT = " " * INDENT_WIDTH  # one level of the comment tree


class ModelBuilder:
    """Builds model objects bottom-up.

    ``sink``, when given, receives each finished top-level comment instead
    of the thread keeping it: that is how an export streams a huge dump.
    """

    def __init__(self, *, sink=None) -> None:
        self.sink = sink
        self.family = "none"  # the comment section's family, once a comment is seen
        # Blogger's header ("12 comments:") or threaded replies make a list of
        # numbered comments Blogger's rather than WordPress's.
        self._blogger_header = False

    def paragraphs(self, children: list) -> list[Paragraph]:
        """A PARA token is all the paragraphs in a row at one level (see
        frontend.py); its list becomes the model's own: the front end never
        touches a token again once it has handed it over.

        The front end never hands over two PARA tokens in a row (text right
        after text goes into the token it holds back); the grammar takes any
        number so that asking it whether text fits after text needs no
        special case. Were two to come, their paragraphs are joined."""
        if len(children) == 1:
            return children[0].value
        result, token = children
        result.extend(token.value)
        return result

    def categories(self, children: list) -> Categories:
        (token,) = children
        return Categories(token.value, token.line, token.blanks, parse_categories(token.value) or [])

    def header(self, children: list) -> CommentHeader:
        (token,) = children
        header = parse_header(token.value) or Header(0, None, False)
        self._blogger_header = header.blogger
        return CommentHeader(token.value, token.line, token.blanks, header.declared, header.title)

    def section(self, children: list) -> tuple:
        """(categories, header, comments), from whichever form the section took."""
        categories = header = None
        comments: list = []
        for child in children:
            if isinstance(child, Categories):
                categories = child
            elif isinstance(child, CommentHeader):
                header = child
            elif child is not None:
                comments = child
        return categories, header, comments

    def signed_comment(self, children: list) -> Comment | None:
        return self._top(*children)

    def unsigned_comment(self, children: list) -> Comment | None:
        return self._top(*children)

    def _top(self, marker, body) -> Comment | None:
        comment = _comment(marker, body)
        comment.number = _marker_number(comment.marker)
        if self.family != "blogger":
            self.family = "blogger" if self._blogger_header or comment.replies_in_body else "wordpress"
        return self._finished(comment)

    def flat_comment(self, children: list) -> Comment | None:
        said, paragraphs, stamp, actions = children
        comment = Comment(line=said.line, marker="", blank_before=said.blanks, byline=said.value, flat=True)
        comment.author = parse_blogger_said(said.value)
        if paragraphs:
            comment.paragraphs = paragraphs
        if stamp is not None:
            comment.date_line = Line(stamp.value, stamp.line, stamp.blanks)
            comment.date = stamp.value
            comment.datetime = parse_date(stamp.value)
        if actions is not None:
            comment.action_lines = actions
        self.family = "blogger"
        return self._finished(comment)

    def _finished(self, comment: Comment) -> Comment | None:
        if self.sink is not None:
            self.sink(comment)
            return None
        return comment

    def reply(self, children: list) -> Comment:
        marker, body = children
        return _comment(marker, body)

    def threaded(self, children: list) -> "Threaded":
        replies, inner, outer = children
        # A "Reply" link at the replies' column stands one level deeper than
        # the comment's other action lines: the line keeps those two columns.
        deeper = [Line(_INDENT + line.text, line.line, line.blank_before) for line in inner or ()]
        return Threaded(replies, [*deeper, *(outer or ())])

    def body(self, children: list) -> tuple:
        """(date, paragraphs, actions, replies), whichever of them the body has."""
        if len(children) == 4:
            date, paragraphs, actions, replies = children
        elif len(children) == 3:
            date, (paragraphs, actions, replies) = None, children
        elif len(children) == 2:
            date, paragraphs, (actions, replies) = None, None, children
        else:
            date, paragraphs, actions, replies = None, None, None, children[0]
        return date, paragraphs, actions, replies or []

    signed_body = body

    def comments(self, children: list) -> list:
        return children[0]

    signed_comments = comments

    def footer(self, children: list) -> list[Line]:
        """Lines of one kind (``footer: FOOTER | footer FOOTER``, and ``actions``): one more."""
        token = children[-1]
        line = Line(token.value, token.line, token.blanks)
        if len(children) == 1:
            return [line]
        children[0].append(line)
        return children[0]

    actions = footer

    def _append(self, children: list) -> list:
        """The list rules (``items: item | items item``): one item more."""
        if len(children) == 1:
            return children
        items, item = children
        items.append(item)
        return items

    comment_list = signed_list = replies = flat_comments = _append

    def start(self, children: list) -> Thread:
        date, title, paragraphs, section, footer = children
        categories, header, comments = section or (None, None, [])
        day = parse_date_header(date.value) if date is not None else None
        return Thread(
            source="-",
            date_line=Line(date.value, date.line, date.blanks) if date is not None else None,
            datetime=parse_date(day) if day is not None else None,
            title=Line(title.value, title.line, title.blanks),
            article=Article(paragraphs or []),
            categories=categories,
            header=header,
            comments=[comment for comment in comments if comment is not None],
            footer=footer or [],
            family=self.family,
        )


class Threaded(NamedTuple):
    """Blogger's replies inside a comment's body, and the action lines under them."""

    replies: list[Comment]
    closing_actions: list[Line]


def _comment(token, body) -> Comment:
    marker, byline = token.value
    comment = Comment(line=token.line, marker=marker, blank_before=token.blanks)
    if byline is not None:
        comment.byline = byline
        # A bare name ("  1. MarthaK") is the author and nothing more.
        comment.author, comment.avatar, comment.date, comment.kind = parse_byline(byline) or (byline, None, None,
                                                                                              "comment")
    if body is not None:
        date, paragraphs, actions, replies = body
        if paragraphs:
            comment.paragraphs = paragraphs
        if date is not None:
            comment.date_line = Line(date.value, date.line, date.blanks)
            if comment.date is None:
                comment.date = date.value
        if actions is not None:
            comment.action_lines = actions
        if isinstance(replies, Threaded):
            comment.replies_in_body = True
            # The "Reply" link under the replies answers this comment: its action.
            comment.action_lines.extend(replies.closing_actions)
            replies = replies.replies
        comment.replies = replies
    if comment.date is not None:
        comment.datetime = parse_date(comment.date)
    return comment


def _marker_number(marker: str) -> int | None:
    """A numbered marker's number; None for a bullet, and for a number longer
    than any page numbers its comments (the id keeps its digits as text)."""
    digits = marker_digits(marker)
    return int(digits) if digits is not None and len(digits) <= 18 else None


def marker_digits(marker: str) -> str | None:
    """The digits of a numbered marker ("12. " -> "12"), None for a bullet."""
    digits = marker.split(".", 1)[0]
    return digits if digits.isdigit() else None


class Linker:
    """Gives every comment its id, depth and parent; top-level numbers must be unique.

    A repeated number is a problem: the later comment gets the id "N~2"
    (then "N~3"…) and the problem is kept in ``problems``.
    """

    def __init__(self, source) -> None:
        self.source = source
        self.first_seen: dict = {}  # number -> line of its first comment
        self.used: set[str] = set()
        self.problems: list[Problem] = []
        self.position = 0  # top-level comments linked so far

    def link(self, top: Comment) -> None:
        self.position += 1
        # A numbered comment's id is its number as written; a bulleted one's, its place.
        top_id = marker_digits(top.marker) or str(self.position)
        if top_id in self.first_seen:
            top_id = self._duplicate(top, top_id)
        else:
            self.first_seen[top_id] = top.line
        self.used.add(top_id)
        top.id, top.depth, top.parent = top_id, 1, None
        # Iterative on purpose: a dump may nest thousands of levels deep.
        stack = [top]
        while stack:
            parent = stack.pop()
            parent_id, depth = parent.id, parent.depth + 1
            level = parent.level + (2 if parent.replies_in_body else 1)
            for position, reply in enumerate(parent.replies, start=1):
                reply.id = f"{parent_id}.{position}"
                reply.depth = depth
                reply.level = level
                reply.parent = parent
                if reply.replies:
                    stack.append(reply)

    def _duplicate(self, top: Comment, number: str) -> str:
        copy = 2
        while f"{number}~{copy}" in self.used:
            copy += 1
        top_id = f"{number}~{copy}"
        text = self.source.line_text(top.line)
        self.problems.append(Problem(
            f"comment number {number} appears twice (first on line {self.first_seen[number]})",
            source=self.source.name,
            line=top.line,
            column=len(text) - len(text.lstrip(" ")) + 1,
            line_text=text,
            expected=("a comment number not used before",),
            hint="ids are built from the numbers, so each top-level number must be unique",
            repair=f"given the id {top_id}",
        ))
        return top_id
