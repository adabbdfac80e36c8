"""The line lexer: each line of a dump becomes one token, each paragraph one.

Lark's own lexers work on characters; this one works on whole lines, which is
what the format is made of, and it is where indentation becomes structure:
inside the comment list every two columns of indentation is one level, and a
change of level is emitted as one _INDENT or _DEDENT token per level. The
grammar (grammar/thread.lark) then decides what may follow what.

Blank lines are not tokens: each token carries the blank lines before it
(``blanks``), which is where the model keeps them, and consecutive text lines
at one level become one PARA token. Fewer tokens make parsing faster, and the
grammar still sees every paragraph.

The lexer is a small state machine because the same line means different
things in different places: "  1. item" is article text before the comment
list and a comment marker inside it. Its state is a handful of fields, so the
recovering parser (recovery.py) can save it, try a line several ways, and
restore it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Callable, Iterator

from .dates import is_date
from .errors import ParseError
from .patterns import ACTIONS_LINE, BULLET_MARKER, CATEGORIES, HEADER, NUMBER_MARKER, is_byline

ARTICLE, COMMENTS, FOOTER = range(3)
INDENT_WIDTH = 2
# An action line (Reply, Like, Loading…, Report comment) starts with one of these.
_ACTION_INITIALS = frozenset("RL")

# Called with a ParseError for a problem the lexer can repair (odd
# indentation, tabs); without one, such problems are raised.
ProblemHandler = Callable[[ParseError], None]


class LineToken:
    """A token: a line (or a paragraph of lines) and the blank lines before it.

    Lighter than lark.Token (which is a str with a dozen fields): parsing
    creates one per line, and only these fields are ever read.
    """

    __slots__ = ("type", "value", "line", "column", "blanks")
    # What Lark reads when it borrows a token's position for the end of input.
    start_pos = end_line = end_column = end_pos = None

    def __init__(self, type: str, value, line: int, column: int, blanks: list[str] | tuple = ()) -> None:
        self.type = type
        self.value = value
        self.line = line
        self.column = column
        self.blanks = blanks

    def __repr__(self) -> str:
        return f"LineToken({self.type}, {self.value!r}, line={self.line}, column={self.column})"


@dataclass
class LexerState:
    mode: int = ARTICLE
    level: int = 0
    have_title: bool = False
    have_categories: bool = False
    have_header: bool = False
    have_comment: bool = False
    # The body level of the comment whose author line came last, until its
    # first body line has been seen: that line may be a date line.
    date_level: int | None = None
    blanks: list[str] = field(default_factory=list)  # blank lines waiting for the next token
    paragraph: LineToken | None = None  # the PARA token still growing
    paragraph_level: int = -1


class LineTokenizer:
    """Turns the lines of one source into tokens, line by line.

    ``group_paragraphs`` joins consecutive text lines into one PARA token
    (the fast path); the recovering parser turns it off to judge each line
    on its own.
    """

    def __init__(
        self,
        source,
        on_problem: ProblemHandler | None = None,
        *,
        group_paragraphs: bool = True,
        state: LexerState | None = None,
    ) -> None:
        self.source = source
        self.on_problem = on_problem
        self.group = group_paragraphs
        self.state = state or LexerState()

    def snapshot(self) -> LexerState:
        return _copy(self.state)

    def restore(self, state: LexerState) -> None:
        self.state = _copy(state)

    def tokens(self) -> Iterator[LineToken]:
        state = self.state
        line_tokens = self.line_tokens
        for number, raw in self.source.numbered():
            # Nearly every line of a comment list is blank, plain body text
            # or a marker with an author line. Those are handled here, with
            # no call per line; everything else takes line_tokens. Both make
            # the very same tokens (tests/test_grammar.py compares them).
            if not raw.strip(" \t"):
                if state.have_title:
                    state.blanks.append(raw)
                    continue
            elif state.mode == COMMENTS and state.have_title and self.group:
                content = raw.lstrip(" ")
                column = len(raw) - len(content)
                first = content[0]
                if column and not column & 1 and first != "\t":
                    level = column >> 1
                    if first == "•" or first.isdigit():
                        marker = _marker(content, level)
                        if marker is not None and marker[3]:
                            state.have_comment = True
                            yield from self._marker_tokens(marker, number, column, level)
                            continue
                    elif not (
                        (state.date_level == level and is_date(content))
                        or (first in _ACTION_INITIALS and ACTIONS_LINE.fullmatch(content))
                    ):
                        state.date_level = None
                        state.have_comment = True
                        paragraph = state.paragraph
                        if state.blanks or paragraph is None or state.paragraph_level != level or state.level != level:
                            yield from self._text(content, number, column + 1, level)
                        else:
                            paragraph.value.append(content)
                        continue
            tokens = line_tokens(number, raw)
            if tokens:
                yield from tokens
        yield from self.finish()

    def finish(self) -> list[LineToken]:
        """Close the last paragraph and every open level; keep trailing blank lines."""
        state = self.state
        tokens = self._flush()
        tokens.extend(_dedents(0, state.level, self.source.line_count + 1, 1))
        state.level = 0
        self.source.trailing_blanks = state.blanks
        state.blanks = []
        return tokens

    def _flush(self) -> list[LineToken]:
        paragraph = self.state.paragraph
        if paragraph is None:
            return []
        self.state.paragraph = None
        return [paragraph]

    def take_blanks(self) -> list[str] | tuple:
        state = self.state
        if not state.blanks:
            return ()
        blanks, state.blanks = state.blanks, []
        return blanks

    def line_tokens(self, number: int, raw: str, *, level: int | None = None, as_text: bool = False) -> list[LineToken]:
        """The tokens that line ``number`` completes (often none: a blank, or text joining a paragraph).

        ``level`` forces the line's level in the comment tree and ``as_text``
        reads it as plain text: the recovering parser uses them to repair a
        line the grammar rejects.
        """
        state = self.state
        if not raw.strip(" \t"):
            state.blanks.append(raw)
            return []
        if not state.have_title:
            state.have_title = True
            return [LineToken("TITLE", raw, number, 1, self.take_blanks())]

        content = raw.lstrip(" ")
        column = len(raw) - len(content)

        if state.mode == ARTICLE:
            if column == 0 and not state.have_header and HEADER.fullmatch(raw):
                state.have_header = True
                state.mode = COMMENTS
                return self._flush() + [LineToken("HEADER", raw, number, 1, self.take_blanks())]
            if column == 0 and not state.have_categories and CATEGORIES.fullmatch(raw):
                state.have_categories = True
                return self._flush() + [LineToken("CATEGORIES", raw, number, 1, self.take_blanks())]
            # Without a header, the list starts at the first numbered marker
            # that carries an author line (article lists have none), or at
            # any numbered marker once the categories line has been seen.
            marker = NUMBER_MARKER.match(content) if column == INDENT_WIDTH else None
            if not (marker and (state.have_categories or is_byline(content[marker.end():]))):
                return self._text(raw, number, 1, 0)
            state.mode = COMMENTS

        at_margin = column == 0 and not content.startswith("\t")
        if state.mode == COMMENTS and at_margin:
            if not state.have_comment and not state.have_header and HEADER.fullmatch(raw):
                state.have_header = True
                return self._flush() + [LineToken("HEADER", raw, number, 1, self.take_blanks())]
            state.mode = FOOTER
        if state.mode == FOOTER:
            if at_margin or as_text:
                tokens = self._flush() + _dedents(0, state.level, number, 1)
                state.level = 0
                tokens.append(LineToken("FOOTER", raw, number, 1, self.take_blanks()))
                return tokens
            # The grammar rejects this: nothing indented may follow the footer.
            return self._flush() + [LineToken("PARA", [content], number, column + 1, self.take_blanks())]

        content, column, position = self._indentation(number, raw, content, column)
        target = column // INDENT_WIDTH if level is None else level
        first_body_line, state.date_level = state.date_level == target, None
        state.have_comment = True

        marker = None if as_text else _marker(content, target)
        if marker is None:
            if first_body_line and is_date(content):
                return self._line_token("DATE", content, number, position, target)
            # A repair that moves the line judges it where it lands, as the
            # text export (which writes it there) will be judged.
            landing = column if level is None else target * INDENT_WIDTH
            if not as_text and ACTIONS_LINE.fullmatch(content) and _ends_body(self.source, number, landing):
                return self._line_token("ACTIONS", content, number, position, target)
            return self._text(content, number, position + 1, target)

        kind, marker_text, rest, has_byline = marker
        tokens = self._marker_tokens(marker, number, position, target)
        if not has_byline:
            if rest:
                # The body starts on the marker line: it sits one level in.
                rest_column = position + len(marker_text) + 1
                tokens.append(LineToken("_INDENT", "", number, rest_column))
                state.level = target + 1
                state.paragraph = LineToken("PARA", [rest], number, rest_column)
                state.paragraph_level = target + 1
                if not self.group:
                    tokens.extend(self._flush())
        return tokens

    def _marker_tokens(self, marker: tuple, number: int, position: int, level: int) -> list[LineToken]:
        """The tokens of a comment's marker line, at ``level`` (its author line rides along)."""
        kind, marker_text, rest, has_byline = marker
        tokens = self._flush() + self._move_to(level, number, position)
        tokens.append(LineToken(kind, (marker_text, rest if has_byline else None), number, position + 1, self.take_blanks()))
        # The first line of the body may be a date line.
        self.state.date_level = level + 1 if has_byline else None
        return tokens

    def _text(self, text: str, number: int, column: int, level: int) -> list[LineToken]:
        """A text line: it joins the paragraph in progress, or starts one."""
        state = self.state
        paragraph = state.paragraph
        if paragraph is not None and not state.blanks and state.paragraph_level == level and state.level == level:
            paragraph.value.append(text)
            return []
        tokens = self._flush()
        tokens.extend(self._move_to(level, number, column - 1))
        state.paragraph = LineToken("PARA", [text], number, column, self.take_blanks())
        state.paragraph_level = level
        if not self.group:
            tokens.extend(self._flush())
        return tokens

    def _line_token(self, kind: str, text: str, number: int, column: int, level: int) -> list[LineToken]:
        tokens = self._flush() + self._move_to(level, number, column)
        tokens.append(LineToken(kind, text, number, column + 1, self.take_blanks()))
        return tokens

    def _move_to(self, target: int, number: int, column: int) -> list[LineToken]:
        """The _INDENT or _DEDENT tokens that take the tree from its level to ``target``."""
        state = self.state
        level = state.level
        if target == level or state.mode == ARTICLE:
            return []
        state.level = target
        if target > level:
            return [LineToken("_INDENT", "", number, column + 1) for _ in range(target - level)]
        return _dedents(target, level, number, column + 1)

    def _indentation(self, number: int, raw: str, content: str, column: int) -> tuple[str, int, int]:
        """Check the indentation; with a problem handler, repair it and go on.

        Returns the text, the column that sets its level (tabs and odd
        indentation repaired) and its real position in the line (for messages).
        """
        if content.startswith("\t"):
            problem = ParseError(
                "tab in indentation",
                source=self.source.name, line=number, column=column + 1, line_text=raw,
                expected=("spaces",),
                hint="indentation is made of spaces, two per level; expand tabs first (expand -t 2)",
            )
            if self.on_problem is None:
                raise problem
            problem.repair = "each tab read as one level (two spaces)"
            self.on_problem(problem)
            stripped = content.lstrip(" \t")
            prefix = raw[: len(raw) - len(stripped)]
            column = prefix.count(" ") + INDENT_WIDTH * prefix.count("\t")
            content = stripped
        if column % INDENT_WIDTH:
            problem = ParseError(
                f"indentation of {column} spaces is not a multiple of {INDENT_WIDTH}",
                source=self.source.name, line=number, column=len(raw) - len(content) + 1, line_text=raw,
                expected=(f"{column - 1} or {column + 1} spaces of indentation",),
                hint="each level of the comment tree is indented two spaces",
            )
            if self.on_problem is None:
                raise problem
            # Rounded up: a missing space is likelier than an extra one, and
            # a line at column 2 would otherwise land on the margin.
            problem.repair = f"read as {column + 1} spaces"
            self.on_problem(problem)
            column += 1
        return content, column, len(raw) - len(content)


def inside_comment_list() -> LexerState:
    """The state for a source that starts at a top-level comment marker, past
    the article and the header (see parallel.py)."""
    return LexerState(mode=COMMENTS, have_title=True, have_header=True, have_comment=True)


def _copy(state: LexerState) -> LexerState:
    # The growing paragraph is shared, not copied: only the recovering
    # parser takes snapshots, and it does not group paragraphs.
    return dataclasses.replace(state, blanks=list(state.blanks))


def tokenize(source) -> Iterator[LineToken]:
    """Yield the tokens of ``source`` for the LALR parser (strict: problems raise)."""
    return LineTokenizer(source).tokens()


def _marker(content: str, level: int) -> tuple[str, str, str, bool] | None:
    """(token kind, marker, rest of line, whether the rest is an author line)
    when ``content`` starts a comment here.

    A numbered marker starts a top-level comment at level 1. Deeper, "1. item"
    is a list item (body text), but "1. NAME Says:" is a misplaced comment:
    it is returned so that the grammar rejects it with a precise message.
    A bullet starts a reply only when an author line follows it.
    """
    first = content[:1]
    if first.isdigit():
        number = NUMBER_MARKER.match(content)
        if number is not None:
            rest = content[number.end():]
            has_byline = is_byline(rest)
            if level == 1 or has_byline:
                return "NUMBER", number.group(), rest, has_byline
        return None
    if first == "•" and content.startswith(BULLET_MARKER):
        rest = content[len(BULLET_MARKER):]
        if is_byline(rest):
            return "BULLET", BULLET_MARKER, rest, True
    return None


def _ends_body(source, number: int, column: int) -> bool:
    """True when line ``number`` is the last line of its comment's own text.

    That is when the next non-blank line is less indented, starts a reply,
    or does not exist.
    """
    for following in source.following(number):
        content = following.lstrip(" ")
        if not content.strip(" \t"):
            continue
        next_column = len(following) - len(content)
        if next_column < column:
            return True
        # A reply marker ends the text, at this column or deeper (a reply
        # that jumps levels is an error, or for --lenient a reply of this
        # comment: either way this comment's text is over).
        return _marker(content, max(2, next_column // INDENT_WIDTH)) is not None
    return True


def _dedents(target: int, level: int, line: int, column: int) -> list[LineToken]:
    return [LineToken("_DEDENT", "", line, column) for _ in range(level - target)]
