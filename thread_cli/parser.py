"""Parsing a dump into the model.

The LALR parser calls :class:`ModelBuilder` as it reduces each rule, so the
model is built directly, with no parse tree in between. Lark's errors are
translated here into :class:`ParseError` with words a user understands.
"""

from __future__ import annotations

from lark import Token, Transformer
from lark.exceptions import UnexpectedInput, UnexpectedToken

from .dates import parse_date
from .errors import ParseError
from .model import Article, Categories, Comment, CommentHeader, Line, Paragraph, Thread
from .patterns import parse_byline, parse_categories, parse_header
from .source import SourceText, read_source, split_lines


class ModelBuilder(Transformer):
    """Builds model objects bottom-up; ids and parents are set afterwards."""

    def blanks(self, tokens: list[Token]) -> list[str]:
        return [token.value for token in tokens]

    def paragraph(self, tokens: list[Token]) -> Paragraph:
        return Paragraph([token.value for token in tokens], tokens[0].line)

    def paragraphs(self, children: list) -> list[Paragraph]:
        # children alternate paragraph, blanks, paragraph, …, [blanks or None]
        result: list[Paragraph] = []
        for child in children:
            if isinstance(child, Paragraph):
                result.append(child)
            elif child is not None:
                result[-1].blank_after = child
        return result

    def categories(self, children: list) -> Categories:
        token, blanks = children
        names = parse_categories(token.value) or []
        return Categories(token.value, token.line, blanks or [], names)

    def header(self, children: list) -> CommentHeader:
        token, blanks = children
        declared, title = parse_header(token.value) or (0, None)
        return CommentHeader(token.value, token.line, blanks or [], declared, title)

    def comment(self, children: list) -> Comment:
        marker, byline, blanks, body = children
        comment = self._comment(marker, byline, blanks, body)
        comment.number = int(marker.value.split(".", 1)[0])
        return comment

    def reply(self, children: list) -> Comment:
        return self._comment(*children)

    @staticmethod
    def _comment(marker: Token, byline: Token | None, blanks, body) -> Comment:
        comment = Comment(line=marker.line, marker=marker.value)
        if byline is not None:
            comment.byline = byline.value
            comment.author, comment.avatar, comment.date, comment.kind = parse_byline(byline.value)
        comment.blank_after_marker = blanks or []
        if body is not None:
            comment.date_line, paragraphs, comment.actions_line, comment.replies = body
            comment.paragraphs = paragraphs or []
            if comment.date is None and comment.date_line is not None:
                comment.date = comment.date_line.text
        if comment.date is not None:
            comment.datetime = parse_date(comment.date)
        return comment

    def body(self, children: list) -> tuple:
        date_line, paragraphs, actions, *replies = children
        return date_line, paragraphs, actions, replies

    def dateline(self, children: list) -> Line:
        return self._line(children)

    def actions(self, children: list) -> Line:
        return self._line(children)

    @staticmethod
    def _line(children: list) -> Line:
        token, blanks = children
        return Line(token.value, token.line, blanks or [])

    def comments(self, children: list[Comment]) -> list[Comment]:
        return children

    def footer_line(self, children: list) -> Line:
        return self._line(children)

    def footer(self, children: list[Line]) -> list[Line]:
        return children

    def start(self, children: list) -> Thread:
        leading, title, after_title, paragraphs, categories, header, comments, footer = children
        return Thread(
            source="-",
            title=Line(title.value, title.line, after_title or []),
            blank_before_title=leading or [],
            article=Article(paragraphs or []),
            categories=categories,
            header=header,
            comments=comments or [],
            footer=footer or [],
        )


def parse(source: SourceText, *, lenient: bool = False) -> Thread:
    """Parse the lines of one dump; raises ParseError when they don't fit the format.

    With ``lenient``, structural problems are repaired instead (see
    recovery.py) and each repair is added to ``source.warnings``.
    """
    if lenient:
        from .recovery import parse_recovering

        thread, problems = parse_recovering(source)
        source.warnings.extend(f"{problem}; {problem.repair}" for problem in problems)
    else:
        from .grammar import get_parser

        try:
            thread = get_parser().parse(source)
        except UnexpectedInput as error:
            raise explain(error, source) from None
        finish_thread(thread, source)
    thread.source = source.name
    thread.layout = source.layout
    return thread


def check(source: SourceText) -> list[ParseError]:
    """Every problem of a dump, in one run (an empty list when it is clean)."""
    from .recovery import parse_recovering

    try:
        _, problems = parse_recovering(source)
    except ParseError as fatal:
        return [fatal]
    return problems


def parse_text(text: str, name: str = "-", *, lenient: bool = False) -> Thread:
    return parse(split_lines(text, name), lenient=lenient)


def parse_file(path: str, *, strict: bool = False, lenient: bool = False) -> tuple[Thread, list[str]]:
    """Read and parse a file (``-`` for stdin); returns the thread and any warnings."""
    source = read_source(path, strict=strict)
    return parse(source, lenient=lenient), source.warnings


def finish_thread(thread: Thread, source: SourceText, *, lenient: bool = False) -> list[ParseError]:
    """Give every comment its id, depth and parent; check top-level numbers are unique.

    A repeated number is an error, or with ``lenient`` a repaired problem:
    the later comment gets the id "N~2" (then "N~3"…). Iterative on purpose:
    a dump may nest thousands of levels deep.
    """
    problems: list[ParseError] = []
    first_seen: dict[int, Comment] = {}
    used: set[str] = set()
    for top in thread.comments:
        top_id = str(top.number)
        if top.number in first_seen:
            problem = ParseError(
                f"comment number {top.number} appears twice (first on line {first_seen[top.number].line})",
                source=source.name,
                line=top.line,
                column=_marker_column(source, top.line),
                line_text=source.lines[top.line - 1],
                expected=("a comment number not used before",),
                hint="ids are built from the numbers, so each top-level number must be unique",
            )
            if not lenient:
                raise problem
            copy = 2
            while f"{top.number}~{copy}" in used:
                copy += 1
            top_id = f"{top.number}~{copy}"
            problem.repair = f"given the id {top_id}"
            problems.append(problem)
        else:
            first_seen[top.number] = top
        used.add(top_id)
        top.id, top.depth, top.parent = top_id, 1, None
        stack = [top]
        while stack:
            parent = stack.pop()
            for position, reply in enumerate(parent.replies, start=1):
                reply.id = f"{parent.id}.{position}"
                reply.depth = parent.depth + 1
                reply.parent = parent
                stack.append(reply)
    return problems


def _marker_column(source: SourceText, line: int) -> int:
    text = source.lines[line - 1]
    return len(text) - len(text.lstrip(" ")) + 1


# What each terminal is, in words, for error messages. Blank lines are always
# allowed, and date and action lines are optional extras the lexer only emits
# where they fit, so none of those are listed as expected.
_WORDS = {
    "TITLE": "a title line",
    "TEXT": "text",
    "CATEGORIES": "the categories line",
    "HEADER": "the comment header",
    "NUMBER": "a top-level comment marker ('N. ') at column 3",
    "BULLET": "a reply marker ('• NAME Says:')",
    "AUTHOR": "an author line",
    "PINGBACK": "a pingback line",
    "FOOTER": "a footer line at column 1",
    "_INDENT": "a more indented line",
    "_DEDENT": "a less indented line",
    "$END": "the end of the input",
}
_FOUND = {
    "_INDENT": "indentation (deeper than the tree allows here)",
    "_DEDENT": "decrease of indentation",
    "NUMBER": "numbered comment marker",
    "BULLET": "reply marker",
    "TEXT": "text",
    "FOOTER": "line at column 1",
    "$END": "end of input",
}


def explain(error: UnexpectedInput, source: SourceText) -> ParseError:
    """A ParseError in words for one of Lark's errors."""
    token = getattr(error, "token", None)
    kind = token.type if isinstance(token, Token) else "$END"
    expected_terms = sorted(_acceptable(error), key=_order)
    expected = tuple(_WORDS[name] for name in expected_terms if name in _WORDS)
    if kind == "$END" or not isinstance(token, Token) or token.line is None:
        line = len(source.lines) if source.lines else 1
        column = 1
    else:
        line, column = token.line, token.column
    line_text = source.lines[line - 1] if 0 < line <= len(source.lines) else ""
    found = _FOUND.get(kind, kind.lower())
    message = f"unexpected {found}"
    if expected:
        message += "; expected " + _or_list(expected)
    return ParseError(
        message,
        source=source.name,
        line=line,
        column=column,
        line_text=line_text,
        expected=expected,
        hint=_hint(kind, set(expected_terms), column, source),
    )


def _acceptable(error: UnexpectedInput) -> set[str]:
    """The terminals that could really come next.

    LALR merges the lookaheads of similar states, so ``error.expected`` can
    list terminals that would fail a step later; the interactive parser tries
    each one and keeps those that truly fit.
    """
    expected = set(getattr(error, "expected", ()) or ())
    interactive = getattr(error, "interactive_parser", None)
    if interactive is None:
        return expected
    accepted = set()
    for name in interactive.choices():
        if name.isupper() or name == "$END":
            attempt = interactive.copy(deepcopy_values=False)
            try:
                attempt.feed_token(Token(name, ""))
            except UnexpectedInput:
                continue
            except Exception:  # noqa: BLE001 - a fake token may upset a callback; then it does not fit
                continue
            accepted.add(name)
    return accepted or expected


def _order(name: str) -> int:
    return list(_WORDS).index(name) if name in _WORDS else len(_WORDS)


def _or_list(items: tuple[str, ...]) -> str:
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " or " + items[-1]


def _hint(kind: str, expected: set[str], column: int, source: SourceText) -> str | None:
    if not source.lines:
        return "the input is empty; a dump starts with the article's title"
    if kind == "_INDENT":
        return (
            "a reply's marker sits two columns right of its parent's marker, and a "
            "comment's text two columns right of its own marker; this line jumps further"
        )
    if kind == "NUMBER" and "NUMBER" not in expected:
        return "numbered markers start top-level comments at column 3; a reply is marked '• '"
    if kind == "BULLET" and "NUMBER" in expected:
        return "a reply at column 3 has no parent: replies start at column 5 or deeper"
    if kind == "TEXT" and "NUMBER" in expected:
        return (
            f"text at column {column} belongs to no comment: a comment's text is indented "
            "two columns more than its marker"
        )
    if kind == "TEXT" and "FOOTER" in expected:
        return "only lines at column 1 may follow the footer"
    if kind == "TEXT" and "BULLET" in expected:
        return "a comment's text comes before its replies; is this line indented too little?"
    return None
