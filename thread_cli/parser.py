"""Parsing a dump into the model.

The LALR parser (lalr.py) calls :class:`ModelBuilder` as it reduces each
rule, so the model is built directly, with no parse tree in between. Its
rejections are translated here into :class:`ParseError` with words a user
understands.
"""

from __future__ import annotations

from .dates import parse_date
from .errors import ParseError
from .lalr import END, LalrParser, Rejected
from .lexer import LineToken, LineTokenizer, inside_comment_list, tokenize
from .model import Article, Categories, Comment, CommentHeader, Line, Paragraph, Thread
from .patterns import parse_byline, parse_categories, parse_header
from .source import SourceText, read_source, split_lines


class ModelBuilder:
    """Builds model objects bottom-up; ids and parents are set afterwards.

    Each method is named after a rule of the grammar and receives its
    children. ``sink``, when given, receives each finished top-level comment
    instead of the thread keeping it: that is how an export streams a huge
    dump. ``functional`` is for the recovering parser, which tries each line
    on copies of the parser that share their values: lists are then copied,
    never appended to.
    """

    def __init__(self, *, sink=None, functional: bool = False) -> None:
        self.sink = sink
        self.functional = functional

    def paragraphs(self, children: list) -> list[Paragraph]:
        # A token's lines are the paragraph's own: the lexer never touches a
        # token again once it has handed it over, but the recovering parser
        # may offer the same token to several copies of the parser.
        if len(children) == 1:
            token = children[0]
            return [Paragraph(list(token.value) if self.functional else token.value, token.line, token.blanks)]
        result, token = children
        if token.blanks:
            if self.functional:
                return result + [Paragraph(list(token.value), token.line, token.blanks)]
            result.append(Paragraph(token.value, token.line, token.blanks))
            return result
        # No blank line before it: the same paragraph (the lexer splits one
        # only when it judges lines one by one, to recover).
        last = result[-1]
        if self.functional:
            return result[:-1] + [Paragraph(last.lines + token.value, last.line, last.blank_before)]
        last.lines.extend(token.value)
        return result

    def categories(self, children: list) -> Categories:
        (token,) = children
        return Categories(token.value, token.line, token.blanks, parse_categories(token.value) or [])

    def header(self, children: list) -> CommentHeader:
        (token,) = children
        declared, title = parse_header(token.value) or (0, None)
        return CommentHeader(token.value, token.line, token.blanks, declared, title)

    def comment(self, children: list) -> Comment | None:
        marker, body = children
        comment = self._comment(marker, body)
        comment.number = int(comment.marker.split(".", 1)[0])
        if self.sink is not None:
            self.sink(comment)
            return None
        return comment

    def reply(self, children: list) -> Comment:
        marker, body = children
        return self._comment(marker, body)

    @staticmethod
    def _comment(token, body) -> Comment:
        marker, byline = token.value
        comment = Comment(line=token.line, marker=marker, blank_before=token.blanks)
        if byline is not None:
            comment.byline = byline
            comment.author, comment.avatar, comment.date, comment.kind = parse_byline(byline)
        if body is not None:
            date, paragraphs, actions, comment.replies = body
            if paragraphs:
                comment.paragraphs = paragraphs
            if date is not None:
                comment.date_line = Line(date.value, date.line, date.blanks)
                if comment.date is None:
                    comment.date = date.value
            if actions is not None:
                comment.actions_line = Line(actions.value, actions.line, actions.blanks)
        if comment.date is not None:
            comment.datetime = parse_date(comment.date)
        return comment

    def body(self, children: list) -> list:
        date, paragraphs, actions, replies = children
        return date, paragraphs, actions, replies or []

    def comments(self, children: list) -> list[Comment]:
        return children[0]

    def footer(self, children: list) -> list[Line]:
        token = children[-1]
        line = Line(token.value, token.line, token.blanks)
        if len(children) == 1:
            return [line]
        return self._append([children[0], line])

    def _append(self, children: list) -> list:
        """The list rules (``items: item | items item``): one item more."""
        if len(children) == 1:
            return children
        items, item = children
        if self.functional:
            return items + [item]
        items.append(item)
        return items

    comment_list = replies = _append

    def start(self, children: list) -> Thread:
        title, paragraphs, categories, header, comments, footer = children
        return Thread(
            source="-",
            title=Line(title.value, title.line, title.blanks),
            article=Article(paragraphs or []),
            categories=categories,
            header=header,
            comments=[comment for comment in comments or () if comment is not None],
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
        thread = _parse_strict(source)
        finish_thread(thread, source)
    close_thread(thread, source)
    return thread


def new_parser(builder: ModelBuilder) -> LalrParser:
    """An LALR parser for the grammar that builds the model with ``builder``."""
    from .grammar import get_tables

    return LalrParser(get_tables(), builder)


def _parse_strict(source, sink=None, tokens=None) -> Thread:
    """The LALR parse, with rejections in words; ``sink`` takes top-level comments."""
    try:
        return new_parser(ModelBuilder(sink=sink)).parse(tokenize(source) if tokens is None else tokens)
    except Rejected as error:
        raise explain(error, source) from None


def close_thread(thread: Thread, source) -> None:
    """What the thread learns from its source once all of it has been read."""
    thread.source = source.name
    thread.layout = source.layout
    thread.layout.line_count = source.line_count
    thread.trailing_blanks = source.trailing_blanks


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
    the later comment gets the id "N~2" (then "N~3"…).
    """
    linker = _Linker(source, lenient)
    for top in thread.comments:
        linker.link(top)
    return linker.problems


class _Linker:
    """Sets ids, depths and parents, one top-level comment at a time."""

    def __init__(self, source: SourceText, lenient: bool) -> None:
        self.source = source
        self.lenient = lenient
        self.first_seen: dict[int, int] = {}  # number -> line of its first comment
        self.used: set[str] = set()
        self.problems: list[ParseError] = []

    def link(self, top: Comment) -> None:
        top_id = str(top.number)
        if top.number in self.first_seen:
            top_id = self._duplicate(top)
        else:
            self.first_seen[top.number] = top.line
        self.used.add(top_id)
        top.id, top.depth, top.parent = top_id, 1, None
        # Iterative on purpose: a dump may nest thousands of levels deep.
        stack = [top]
        while stack:
            parent = stack.pop()
            parent_id, depth = parent.id, parent.depth + 1
            for position, reply in enumerate(parent.replies, start=1):
                reply.id = f"{parent_id}.{position}"
                reply.depth = depth
                reply.parent = parent
                if reply.replies:
                    stack.append(reply)

    def _duplicate(self, top: Comment) -> str:
        problem = ParseError(
            f"comment number {top.number} appears twice (first on line {self.first_seen[top.number]})",
            source=self.source.name,
            line=top.line,
            column=_marker_column(self.source, top.line),
            line_text=self.source.line_text(top.line),
            expected=("a comment number not used before",),
            hint="ids are built from the numbers, so each top-level number must be unique",
        )
        if not self.lenient:
            raise problem
        copy = 2
        while f"{top.number}~{copy}" in self.used:
            copy += 1
        top_id = f"{top.number}~{copy}"
        problem.repair = f"given the id {top_id}"
        self.problems.append(problem)
        return top_id


def parse_streaming(source, on_comment, *, second_half=None) -> Thread:
    """Parse ``source``, handing each finished top-level comment to ``on_comment``.

    The comment arrives with its ids set; the thread returned holds
    everything but the comments. This keeps memory flat however big the dump.
    With ``second_half`` (a parallel.SecondHalf), parsing may stop where a
    child process took over; ``second_half.taken`` then tells.
    """
    linker = _Linker(source, lenient=False)
    linked = _linking(linker, on_comment)

    def finished(top: Comment) -> None:
        if second_half is None or not second_half.taken:
            linked(top)
        # else it is the comment at the split: the child's first one

    tokens = tokenize(source)
    if second_half is not None:
        tokens = second_half.until_split(tokens, linker.first_seen)
    thread = _parse_strict(source, sink=finished, tokens=tokens)
    if second_half is not None and second_half.taken:
        source.close()
    close_thread(thread, source)
    return thread


def _linking(linker: _Linker, on_comment):
    """``on_comment``, given each top-level comment once its ids are set."""

    def linked(top: Comment) -> None:
        linker.link(top)
        on_comment(top)

    return linked


def parse_tail(source, on_comment) -> None:
    """Parse a stream that starts at a top-level comment marker inside a dump's
    comment list (the second half of a split, see parallel.py), handing each
    finished top-level comment to ``on_comment`` with its ids set."""
    parser = new_parser(ModelBuilder(sink=_linking(_Linker(source, lenient=False), on_comment)))
    # What the stream lacks to be a dump: its title (the article, categories
    # and header are optional).
    parser.feed(LineToken("TITLE", "", 0, 1))
    try:
        parser.parse(LineTokenizer(source, state=inside_comment_list()).tokens())
    except Rejected as error:
        raise explain(error, source) from None


def _marker_column(source: SourceText, line: int) -> int:
    text = source.line_text(line)
    return len(text) - len(text.lstrip(" ")) + 1


# What each terminal is, in words, for error messages. Blank lines are always
# allowed, and date and action lines are optional extras the lexer only emits
# where they fit, so none of those are listed as expected.
_WORDS = {
    "TITLE": "a title line",
    "PARA": "text",
    "CATEGORIES": "the categories line",
    "HEADER": "the comment header",
    "NUMBER": "a top-level comment marker ('N. ') at column 3",
    "BULLET": "a reply marker ('• NAME Says:')",
    "FOOTER": "a footer line at column 1",
    "_INDENT": "a more indented line",
    "_DEDENT": "a less indented line",
    END: "the end of the input",
}
_FOUND = {
    "_INDENT": "indentation (deeper than the tree allows here)",
    "_DEDENT": "decrease of indentation",
    "NUMBER": "numbered comment marker",
    "BULLET": "reply marker",
    "PARA": "text",
    "FOOTER": "line at column 1",
    END: "end of input",
}


def explain(error: Rejected, source: SourceText) -> ParseError:
    """A ParseError in words for a token the parser rejected."""
    token = error.token
    kind = token.type
    # LALR merges the look-aheads of similar states, so the parser's state
    # may list terminals that would fail a step later: keep those that fit.
    parser = error.parser
    acceptable = {name for name in parser.choices() if parser.accepts(name)}
    before_comments = bool(acceptable & {"CATEGORIES", "HEADER"})
    if before_comments:
        # The grammar would take a footer here, but the lexer only makes
        # footer lines after the comment list: don't suggest one.
        acceptable.discard("FOOTER")
    expected_terms = sorted(acceptable, key=_order)
    words = {**_WORDS, "_INDENT": "the comment list (markers at column 3)"} if before_comments else _WORDS
    expected = tuple(words[name] for name in expected_terms if name in words)
    if kind == END or token.line is None:
        line = max(source.line_count, 1)
        column = 1
    else:
        line, column = token.line, token.column
    line_text = source.line_text(line)
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
        hint=_hint(kind, set(expected_terms) | ({"HEADER"} if before_comments else set()), column, source),
    )


def _order(name: str) -> int:
    return list(_WORDS).index(name) if name in _WORDS else len(_WORDS)


def _or_list(items: tuple[str, ...]) -> str:
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " or " + items[-1]


def _hint(kind: str, expected: set[str], column: int, source: SourceText) -> str | None:
    if not source.line_count:
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
    if kind == "PARA" and "NUMBER" in expected:
        return (
            f"text at column {column} belongs to no comment: a comment's text is indented "
            "two columns more than its marker"
        )
    if kind == "PARA" and expected & {"CATEGORIES", "HEADER"}:
        return (
            "text after the categories line or comment header has no place: the article's "
            "paragraphs come before them, and the comments after them are indented"
        )
    if kind == "PARA" and "FOOTER" in expected:
        return "only lines at column 1 may follow the footer"
    if kind == "PARA" and "BULLET" in expected:
        return "a comment's text comes before its replies; is this line indented too little?"
    return None
