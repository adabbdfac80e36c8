"""The front end: the lines of a dump to the parser's tokens.

Four small stages, in the manner of lark's own contextual lexer and
``Indenter``:

* ``classify`` (classify.py) lists the readings a line's shape allows (none
  for a blank line);
* the grammar picks the first reading it accepts where the line stands
  (``LalrParser.accepts``), so the order of things is decided in one place,
  grammar/thread.lark; an action line ("Reply") is read as one only when the
  grammar can go on with the line after it, so this stage looks one line ahead;
* the indentation stage (``level_moves``) turns a change of level into
  _INDENT/_DEDENT tokens;
* the paragraph grouper holds the last PARA token back and adds to it the
  text that follows at its level: a PARA token is a run of paragraphs (the
  blank lines between them kept in each paragraph), so a comment's text is
  one token however many paragraphs it has.

Blank lines are not tokens: each token carries the blank lines before it.

With ``recover``, a line that fits nowhere is read another way, nearest to
what it says first (at another depth, as body text, as a footer line), or
kept outside the tree; each such line is a Problem with its repair. Without
it, the first problem is raised as a ParseError. Either way every line is
kept and nothing is invented.
"""

from __future__ import annotations

from typing import Any, Iterator, NamedTuple

from .classify import INDENT_WIDTH, Reading, Shape, classify, looks_like_comment
from .diagnostics import explain
from .errors import ParseError
from .lalr import END, LalrParser
from .model import Line, Paragraph
from .patterns import parse_header
from .problems import Problem


class LineToken(NamedTuple):
    """A token: a line (or, for PARA, a run of paragraphs) and the blank lines before it.

    Lighter than lark.Token (which is a str with a dozen fields): parsing
    creates one per line, and only these fields are ever read.
    """

    type: str
    value: Any
    line: int | None
    column: int | None
    blanks: list[str] | tuple = ()
    # What Lark reads when it borrows a token's position for the end of input.
    start_pos = end_line = end_column = end_pos = None


# Tokens, and the lines waiting for the next one, are made for most lines:
# built with tuple.__new__, all fields given, as in classify.py.
_new = tuple.__new__


# Readings chosen only where the grammar can go on with the next line: an
# action line ends a comment's text, a footer line ends the page, a bare
# name is a byline only when the comment's text follows it, and a date
# header stands only above a title.
_LOOK_AHEAD = frozenset({"ACTIONS", "FOOTER", "NUMBER_NAME", "BULLET_NAME", "DATELINE"})
_MOVES = frozenset({"_INDENT", "_DEDENT"})
_NAMES = frozenset({"NUMBER_NAME", "BULLET_NAME"})
_HELD_PARA = ("PARA",)
_NOTHING = "<nothing>"  # a token type no state accepts: asks what would have fitted
_MARKERS = frozenset({"NUMBER", "NUMBER_NAME", "NUMBER_TEXT", "BULLET", "BULLET_NAME", "BULLET_TEXT"})


class FrontEndResult(NamedTuple):
    trailing_blanks: list[str]
    unplaced: list[Line]  # lines no reading could place (only with ``recover``)
    problems: list[Problem]
    # Lines shaped like comments that were not read as such: (line, "strong" or "weak").
    doubtful: list[tuple[int, str]]


# The indentation tokens: no text, and no position of their own (the token
# after them has it), so the same two serve every move.
_MOVE_TOKENS = {kind: LineToken(kind, "", None, None) for kind in _MOVES}


def level_moves(level: int, target: int) -> tuple[str, ...]:
    """The indentation stage: the tokens that take the tree from ``level`` to ``target``."""
    if target > level:
        return ("_INDENT",) * (target - level)
    return ("_DEDENT",) * (level - target)


def _kinds(reading: Reading, level: int) -> tuple[str, ...]:
    """The token types a reading makes, from the tree at ``level``."""
    kinds = level_moves(level, reading.level) + (reading.kind,)
    if reading.rest is not None:
        kinds += ("_INDENT", "PARA")
    return kinds


def _could_be_a_title(shape: Shape | None) -> bool:
    """A line at column 1 that is text first of all, or shaped like a comment
    header naming a title ("10 thoughts on moving house"): not a bare count
    ("3 comments:"), a byline, a comment…"""
    first = shape.readings[0] if shape is not None else None
    if first is None or first.level != 0:
        return False
    if first.kind == "HEADER":
        header = parse_header(first.value)
        return header is not None and header.title is not None
    return first.kind == "PARA"


def _level_after(reading: Reading) -> int:
    return reading.level + 1 if reading.rest is not None else reading.level


class _Pending(NamedTuple):
    """A line whose reading waits for the line after it."""

    number: int
    raw: str
    shape: Shape
    blanks: list[str] | tuple


class FrontEnd:
    """Feeds the lines of ``source`` to ``parser``; see the module's docstring."""

    def __init__(self, source, parser: LalrParser, *, recover: bool = False) -> None:
        self.source = source
        self.parser = parser
        self.recover = recover
        self.level = 0
        self.blanks: list[str] = []
        self.paragraph: LineToken | None = None  # the PARA token still growing, not yet fed
        self.held: tuple[str, ...] = ()  # its type, which the parser will see first; () when none
        self.paragraph_level = -1
        self.paragraph_lines: list[str] = []  # the lines of its last paragraph
        self.pending: _Pending | None = None
        self.unplaced: list[Line] = []
        self.problems: list[Problem] = []
        self.doubtful: list[tuple[int, str]] = []

    def run(self) -> FrontEndResult:
        """Feed every line, then the end of the input (the parser is then finished)."""
        for number, raw in self.source.numbered():
            shape = classify(raw)
            if shape is None:
                self.blanks.append(raw)
                continue
            if self.paragraph is not None and self.pending is None and shape.text_level == self.paragraph_level:
                self._next_paragraph_line(number, shape)
                continue
            self._line(number, raw, shape)
        if self.pending is not None:
            self._settle(self.pending, None)
        self._end()
        trailing, self.blanks = self.blanks, []
        return FrontEndResult(trailing, self.unplaced, self.problems, self.doubtful)

    def _next_paragraph_line(self, number: int, shape: Shape) -> None:
        """Text at the level of the paragraphs held back: the same paragraph, or
        after blank lines the next one. Wherever the grammar has paragraphs it
        takes any number of them, so the parser need not be asked."""
        reading = shape.readings[0]
        if not self.blanks:
            self.paragraph_lines.append(reading.value)
            return
        if reading.level == 0:
            self._note_if_comment_like(_Pending(number, reading.value, shape, ()))
        self._add_paragraph([reading.value], number, self._take_blanks())

    def _take_blanks(self) -> list[str] | tuple:
        if not self.blanks:
            return ()
        blanks, self.blanks = self.blanks, []
        return blanks

    def _line(self, number: int, raw: str, shape: Shape) -> None:
        if self.pending is not None:
            pending, self.pending = self.pending, None
            self._settle(pending, shape)
            if self.paragraph is not None and shape.text_level == self.paragraph_level:
                self._next_paragraph_line(number, shape)
                return
        line = _new(_Pending, (number, raw, shape, self._take_blanks()))
        for reading in shape.readings:
            if reading.kind in _LOOK_AHEAD:
                self.pending = line  # the next line tells which reading fits
                return
        self._place(line, self._choose(line.shape))

    def _settle(self, line: _Pending, following: Shape | None) -> None:
        """Read a pending line as the first reading the next line (None: the
        end of the input) can follow. When none can, the line is read as text
        if that fits; else, when blank lines part it from a next line that
        would fit in its place, it is this line that does not fit; else the
        next line is the one that does not fit, and this one keeps its reading.

        First the reading after which the next line fits as written: a dump
        the strict parse reads is read the same way when recovering. Only
        when there is none, and when recovering, do the readings a repair may
        give the next line count, so that this line is read as it will be in
        the text export of the repaired dump."""
        every = (*line.shape.readings, *line.shape.fallbacks())
        reading = (self._first_fitting(every, following, every_reading=True)
                   or (self.recover and self._first_fitting(every, following, repairs=True))
                   or self._first_accepted([r for r in every if r.kind not in _LOOK_AHEAD]))
        if reading is None and not (following is not None and self.blanks and self._choose(following)):
            reading = self._first_accepted(every)
        self._place(line, reading, following, look_ahead=True)

    def _choose(self, shape: Shape) -> Reading | None:
        """The first of a line's readings, then of its fallbacks, that fits here."""
        return self._first_accepted(shape.readings) or self._first_accepted(shape.fallbacks())

    def _first_accepted(self, readings) -> Reading | None:
        """The first reading the grammar accepts here, whatever comes next."""
        accepts, level, held = self.parser.accepts, self.level, self.held
        for reading in readings:
            if accepts(held + _kinds(reading, level)):
                return reading
        return None

    def _first_fitting(self, readings, following: Shape | None, *, repairs: bool = False,
                       every_reading: bool = False) -> Reading | None:
        """The first reading the grammar accepts here, where a reading that
        needs the next line (an action line, a footer line, a bare name; with
        ``every_reading``, any) counts only when a reading of ``following``
        (with ``repairs``, or a repaired one) can come after it."""
        accepts, level, held = self.parser.accepts, self.level, self.held
        for reading in readings:
            kinds = held + _kinds(reading, level)
            if reading.kind not in _LOOK_AHEAD and not every_reading:
                if accepts(kinds):
                    return reading
                continue
            if reading.kind in _NAMES and not self._parted_or_dated(following):
                continue
            if reading.kind == "DATELINE" and not _could_be_a_title(following):
                continue  # a date header stands above a title, never alone or above a header
            after = _level_after(reading)
            if following is None:
                if accepts(kinds + level_moves(after, 0) + (END,)):
                    return reading
                continue
            for next_reading in self._next_readings(following, after, repairs=repairs):
                if accepts(kinds + _kinds(next_reading, after)):
                    # A bare name is a byline only when the next line would
                    # be the comment's text (or its date), not a reply.
                    if reading.kind not in _NAMES or next_reading.kind in ("PARA", "DATE"):
                        return reading
                    break
        return None

    def _parted_or_dated(self, following: Shape | None) -> bool:
        """A bare name is a byline when its comment's text comes after a blank
        line or a date line; text right under it is the same paragraph."""
        return following is not None and (bool(self.blanks) or following.readings[0].kind == "DATE")

    def _next_readings(self, following: Shape, level: int, *, repairs: bool) -> list[Reading]:
        """The readings the next line may take, in its order; with ``repairs``,
        then also those a repair may give it, so that a line is read here as
        it will be in the text export of the repaired dump, where the
        repaired line stands as repaired."""
        readings = [*following.readings, *following.fallbacks()]
        if self.recover and repairs:
            readings += [reading for reading, _ in _repairs(_Pending(0, following.raw, following, ()), level)]
        return readings

    def _place(self, line: _Pending, reading: Reading | None, following: Shape | None = None,
               *, look_ahead: bool = False) -> None:
        if reading is None:
            self._misfit(line, following, look_ahead)
            return
        if reading.flaw is not None:
            self._problem(self._flaw_problem(line, reading))
        self._emit(line, reading)

    def _emit(self, line: _Pending, reading: Reading) -> None:
        if reading.level == 0 and reading.kind in ("PARA", "FOOTER"):
            self._note_if_comment_like(line)
        number, column = line.number, reading.column
        if self.paragraph is not None:
            if reading.kind == "PARA" and reading.level == self.paragraph_level:
                if line.blanks:
                    self._add_paragraph([reading.value], number, line.blanks)
                else:
                    self.paragraph_lines.append(reading.value)
                return
            self._flush()
        feed = self.parser.feed
        for kind in level_moves(self.level, reading.level):
            feed(_MOVE_TOKENS[kind])
        self.level = reading.level
        if reading.kind == "PARA":
            self._open_paragraph([reading.value], number, column, line.blanks, reading.level)
            return
        feed(_new(LineToken, (reading.kind, reading.value, number, column, line.blanks)))
        if reading.rest is not None:
            # The comment's text starts on its marker line, one level in.
            rest_column = column + len(reading.value[0])
            feed(_MOVE_TOKENS["_INDENT"])
            self.level += 1
            self._open_paragraph([reading.rest], number, rest_column, (), self.level)

    def _open_paragraph(self, lines: list[str], number: int, column: int, blanks, level: int) -> None:
        """Hold back a PARA token, a run of paragraphs at ``level`` that starts with ``lines``."""
        self.paragraph = _new(LineToken, ("PARA", [Paragraph(lines, number, blanks)], number, column, blanks))
        self.held, self.paragraph_level, self.paragraph_lines = _HELD_PARA, level, lines

    def _add_paragraph(self, lines: list[str], number: int, blanks) -> None:
        """The next paragraph of the run held back (blank lines part it from the last)."""
        self.paragraph.value.append(Paragraph(lines, number, blanks))
        self.paragraph_lines = lines

    def _note_if_comment_like(self, line: _Pending) -> None:
        # Read as article text, a footer or an unplaced line, a line shaped
        # like a comment may be a comment section the grammar did not see.
        strength = looks_like_comment(line.shape)
        if strength is not None:
            self.doubtful.append((line.number, strength))

    def _flush(self) -> None:
        paragraph = self.paragraph
        if paragraph is not None:
            self.paragraph, self.held = None, ()
            self.parser.feed(paragraph)

    def _end(self) -> None:
        self._flush()
        closing = level_moves(self.level, 0)
        if not self.parser.accepts(closing + (END,)):
            line = self.source.line_count + 1
            raise ParseError(self._explain(closing + (END,), line, 1))
        for kind in closing:
            self.parser.feed(_MOVE_TOKENS[kind])
        self.level = 0

    # ------------------------------------------------------------ problems

    def _explain(self, kinds: list[str], line: int, column: int) -> Problem:
        rejected, choices = self.parser.expected_after(self.held + kinds)
        if rejected in _MOVES:
            # A line that jumps levels is wrong as a whole: say what fitted
            # before its indentation, not what fits halfway through it.
            _, choices = self.parser.expected_after(self.held + (_NOTHING,))
        if rejected in _MOVES and not _MOVES & set(choices) and not self.parser.accepts(self.held + kinds[:1]):
            # No level at all is open to move to (after the footer, say):
            # what does not fit is the line itself, not its indentation.
            rejected = kinds[-1] if kinds[-1] not in _MOVES else rejected
        return explain(rejected, choices, self.source, line, column)

    def _problem(self, problem: Problem) -> None:
        if not self.recover:
            raise ParseError(problem.repaired(None))
        self.problems.append(problem)

    def _flaw_problem(self, line: _Pending, reading: Reading) -> Problem:
        flaw = reading.flaw
        return Problem(
            flaw.message, source=self.source.name, line=line.number, column=flaw.column,
            line_text=line.raw, expected=flaw.expected, hint=flaw.hint, repair=flaw.repair,
        )

    def _misfit(self, line: _Pending, following: Shape | None, look_ahead: bool) -> None:
        """A line no reading fits: an error, or with ``recover`` the nearest repair."""
        first = line.shape.readings[0]
        problem = self._explain(_kinds(first, self.level), line.number, first.column)
        if not self.recover:
            raise ParseError(problem)
        for reading, repair in _repairs(line, self.level):
            # A repaired action line too must be where the comment's text ends.
            fits = (self._first_fitting((reading,), following, repairs=True) if look_ahead
                    else self._first_accepted((reading,)))
            if fits is not None:
                if reading.flaw is not None and reading.level == first.level:
                    # A reading at another level already says where the line
                    # went; its indentation repair would only contradict it.
                    self.problems.append(self._flaw_problem(line, reading))
                self.problems.append(problem.repaired(repair))
                self._emit(line, reading)
                return
        # Nothing fits here (before the first comment, say): keep the line,
        # and the blank lines before it, outside the tree.
        self._note_if_comment_like(line)
        self.unplaced.append(Line(line.raw, line.number, line.blanks))
        self.problems.append(problem.repaired("kept as an unplaced line"))


def _repairs(line: _Pending, level: int) -> Iterator[tuple[Reading, str]]:
    """Other ways to read a line that fits nowhere, nearest to what it says first."""
    shape = line.shape
    if shape.column == 0 and line.raw[0] != "\t":
        yield Reading("FOOTER", 0, line.raw, 1), "kept as a footer line"
        return
    first = shape.readings[0]
    if first.level == 0:
        return
    natural = first.level
    levels = sorted(range(1, level + 2), key=lambda candidate: (abs(candidate - natural), -candidate))
    # Each of the line's readings at each level, as the line would offer
    # them where a repair moves it (and where the text export writes it).
    for candidate in levels:
        for reading in shape.readings:
            where = (f"a comment at depth {candidate}" if reading.kind in _MARKERS
                     else f"text at column {candidate * INDENT_WIDTH + 1}")
            yield reading._replace(level=candidate), "read as " + where
    text = shape.content
    for candidate in levels:
        where = "" if candidate == natural else f" at column {candidate * INDENT_WIDTH + 1}"
        yield Reading("PARA", candidate, text, first.column, None, first.flaw), f"read as body text{where}"
    if level == 0:  # past the comment list: never close an open one for a stray line
        yield Reading("FOOTER", 0, line.raw, 1), "kept as a footer line"


def fed_tokens(source, *, recover: bool = False) -> list[LineToken]:
    """Every token the front end feeds the parser for ``source``, in order
    (the last one rejected, if the parse fails): for tests and debugging."""
    from .builder import ModelBuilder
    from .parse import new_parser

    fed: list[LineToken] = []
    parser = new_parser(ModelBuilder())
    feed = parser.feed

    class Recording:
        """The parser, with each token it is fed noted first."""

        def __getattr__(self, name):
            return getattr(parser, name)

        @staticmethod
        def feed(token) -> None:
            # A copy: the model builder adds the paragraphs of a later PARA token to this one's list.
            value = list(token.value) if isinstance(token.value, list) else token.value
            fed.append(LineToken(token.type, value, token.line, token.column, token.blanks))
            feed(token)

    try:
        FrontEnd(source, Recording(), recover=recover).run()
    except ParseError:
        pass
    return fed
