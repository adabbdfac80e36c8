"""The reading view, as rows of styled spans: tree guides, wrapping, depth caps.

This module decides what the view looks like; it knows nothing of terminals.
``render.py`` prints the rows either through Rich (colour, links) or as plain
text, so a terminal and a pipe show the same layout. Everything is iterative
and yields one block per comment, so output starts before a big thread is
laid out and deep threads cannot exhaust the recursion limit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterator, Mapping

from rich.cells import cell_len, chop_cells

from .model import Comment, Thread
from .sanitize import sanitize, sanitize_line
from .styles import URL, WIDE_COLOURS, author_colours, name_hash
from .words import plural

Span = tuple[str, str]  # (text, Rich style string; "" for none)
Row = list[Span]

GUIDES = {
    # name: (branch, last branch, pipe, blank) — each stretched to the indent width
    "unicode": ("├", "└", "─", "│"),
    "ascii": ("|", "`", "-", "|"),
    "none": (" ", " ", " ", " "),
}
# The 16-colour palette: the terminal's own colours, which suit its theme
# (the wider one, styles.WIDE_COLOURS, is shared with the HTML export).
# Bold only; cyan (the ids' colour) is still among them, since twelve
# names is all that palette has.
STANDARD_COLOURS = (
    "red", "green", "yellow", "blue", "magenta", "cyan",
    "bright_red", "bright_green", "bright_yellow", "bright_blue", "bright_magenta", "bright_cyan",
)
ID_STYLE = "cyan"
MIN_BODY_WIDTH = 24
ARTICLE_MODES = ("full", "lead", "none")


def view_author_colours(thread: Thread, color_system: str | None) -> dict[str, int] | None:
    """``ViewOptions.author_colours`` for a terminal with ``color_system``:
    distinct colours for ``thread``'s authors from 256 colours up, else None
    (the 16-colour palette)."""
    if color_system not in ("256", "truecolor"):
        return None
    return author_colours(comment.author for comment in thread.walk() if comment.author is not None)


def author_style(name: str, colours: Mapping[str, int] | None = None) -> str:
    """Bold, in the author's colour: from ``colours`` (see author_colours) when
    given, else from the 16-colour palette by a hash of the name."""
    if colours is None:
        return _standard_style(name)
    key = name.casefold()
    slot = colours[key] if key in colours else name_hash(key) % len(WIDE_COLOURS)
    return f"bold color({WIDE_COLOURS[slot]})"


@lru_cache(maxsize=4096)
def _standard_style(name: str) -> str:
    # Cached: the view asks once per comment, and a big dump has few names.
    return f"bold {STANDARD_COLOURS[name_hash(name) % len(STANDARD_COLOURS)]}"


@dataclass
class ViewOptions:
    width: int = 80
    indent: int = 3
    guides: str = "unicode"
    # "full", "lead" (the title and first paragraph) or "none"; see article_rows.
    article: str = "full"
    max_depth: int | None = None
    highlight: re.Pattern[str] | None = None
    dimmed: set[Comment] = field(default_factory=set)  # context comments, shown dimmed
    # Indentation stops growing after this many levels; None: as the width allows.
    max_indent_levels: int | None = None
    # Slots in WIDE_COLOURS by casefolded author (view_author_colours); None: 16 colours.
    author_colours: Mapping[str, int] | None = None

    def __post_init__(self) -> None:
        if self.article not in ARTICLE_MODES:
            raise ValueError(f"article must be one of {ARTICLE_MODES}, not {self.article!r}")

    def deepest_level(self) -> int:
        """The deepest level that still indents: bodies keep MIN_BODY_WIDTH columns if they can."""
        size = max(2, self.indent)
        by_width = max(1, (self.width - MIN_BODY_WIDTH) // size - 1)
        return min(by_width, self.max_indent_levels) if self.max_indent_levels else by_width


def wrap(line: str, width: int) -> list[str]:
    """Greedy word wrap by terminal cells; words wider than ``width`` are cut,
    but never inside a URL: a URL wider than a row overflows it, so that it
    can still be copied and clicked whole."""
    return [line[start:end] for start, end in _wrap_ranges(line, width)]


_TOKEN = re.compile(r" +|[^ ]+")
# Characters that always take exactly one terminal cell (tests check this
# against Rich's own table). For text made only of these, which is most text,
# a string's width is its length, and wrapping need not measure every word.
_ONE_CELL = re.compile(
    "[\x20-\x7e\u00a0-\u02ff\u0370-\u03ff\u0400-\u0482\u048a-\u052f"
    "\u2010-\u2027\u2030-\u205e\u20a0-\u20bf\u2100-\u214f\u2190-\u21ff\u2500-\u257f]*"
)


def cells(text: str) -> int:
    """The width of ``text`` in terminal cells (its length, for most text)."""
    return len(text) if _ONE_CELL.fullmatch(text) else cell_len(text)


def _wrap_ranges(line: str, width: int) -> list[tuple[int, int]]:
    """Where ``wrap`` cuts ``line``: (start, end) of each row.

    The spaces at a break are dropped; leading spaces stay on the first row.
    """
    width = max(1, width)
    if _ONE_CELL.fullmatch(line):
        return _wrap_one_cell(line, width)
    return _wrap_general(line, width)


def _wrap_general(line: str, width: int) -> list[tuple[int, int]]:
    """``_wrap_ranges`` for any text: measures each word in terminal cells."""
    width = max(1, width)
    measure = cell_len
    if measure(line) <= width:
        return [(0, len(line))]
    rows: list[tuple[int, int]] = []
    start = end = used = 0
    empty = True

    def close() -> None:
        rows.append((start, start + len(line[start:end].rstrip(" "))))

    for match in _TOKEN.finditer(line):
        position, stop = match.span()
        token = match.group()
        size = measure(token)
        if empty:
            start = end = position
        if used + size <= width:
            end, used, empty = stop, used + size, False
            continue
        if token[0] == " ":
            close()
            used, empty = 0, True
            continue
        if line[start:end].strip():
            close()
        used, empty = 0, True
        if size > width:  # a word wider than the row: cut it, all at once (it may be megabytes long)
            *heads, token = _word_pieces(token, width)
            for head in heads:
                rows.append((position, position + len(head)))
                position += len(head)
            size = measure(token)
        if token:
            start, end, used, empty = position, stop, size, False
    if not empty and (line[start:end].strip() or not rows):
        close()
    return rows or [(0, 0)]


def _wrap_one_cell(line: str, width: int) -> list[tuple[int, int]]:
    """``_wrap_ranges`` for text whose every character is one cell wide.

    The same rows, found a row at a time (str.rfind) instead of a word at a
    time: wrapping is most of the time `thread show` spends on a big dump.
    """
    length = len(line)
    if length <= width:
        return [(0, length)]
    rows: list[tuple[int, int]] = []
    start = 0
    text_start = length - len(line.lstrip(" "))
    if text_start >= length:
        return [(0, 0)]
    first_word_end = line.find(" ", text_start)
    if first_word_end == -1:
        first_word_end = length
    if text_start > width:
        # Leading spaces wider than a row make an empty row of their own.
        rows.append((0, 0))
        start = text_start
    elif first_word_end > width:
        # The first word does not fit after the leading spaces: they are dropped.
        start = text_start
    while True:
        if length - start <= width:
            end = length
            while end > start and line[end - 1] == " ":
                end -= 1
            if end > start or not rows:
                rows.append((start, end))
            return rows
        limit = start + width
        if line[limit] == " ":
            end = limit
        else:
            cut = line.rfind(" ", start, limit)
            if cut > start and line[start:cut].strip(" "):
                end = cut
            else:  # the word at start is wider than a row
                # Cutting at limit is cutting inside a URL only if one starts
                # before it, and then its "://" is near (the scheme is short).
                if line.find("://", start, limit + len("https://")) == -1:
                    end = limit
                else:
                    word_end = line.find(" ", start)
                    word_end = length if word_end == -1 else word_end
                    *heads, tail = _word_pieces(line[start:word_end], width)
                    for head in heads:
                        rows.append((start, start + len(head)))
                        start += len(head)
                    if len(tail) <= width:
                        continue  # the tail starts a row, as a word would
                    end = word_end  # a URL too wide for any row: a row of its own
        stripped = end
        while stripped > start and line[stripped - 1] == " ":
            stripped -= 1
        rows.append((start, stripped))
        start = end
        while start < length and line[start] == " ":
            start += 1
        if start >= length:
            return rows


def _word_pieces(word: str, width: int) -> list[str]:
    """``word``, wider than ``width``, cut into rows of at most ``width`` cells,
    except that a URL is never cut: one too wide for a row gets a row of its own."""
    if "://" not in word:
        return _chop(word, width)
    pieces: list[str] = []
    position = 0
    for match in URL.finditer(word):
        _extend_cut(pieces, word[position:match.start()], width)
        url = match.group()
        if pieces and cells(pieces[-1]) + cells(url) <= width:
            pieces[-1] += url
        else:
            pieces.append(url)
        position = match.end()
    _extend_cut(pieces, word[position:], width)
    return pieces


def _extend_cut(pieces: list[str], text: str, width: int) -> None:
    """Add ``text`` to ``pieces``, cut to ``width`` cells: the last piece is filled up first."""
    if not text:
        return
    room = width - cells(pieces[-1]) if pieces else 0
    if room > 0:
        head = _chop(text[:room], room)[0]
        if cells(head) <= room:
            pieces[-1] += head
            text = text[len(head):]
    if text:
        pieces.extend(_chop(text, width))


def _chop(text: str, width: int) -> list[str]:
    """``text`` cut into pieces of at most ``width`` cells (a character wider
    than that gets a piece of its own), in one pass."""
    return [piece for piece in chop_cells(text, max(1, width)) if piece] or [text]


def _marks(text: str, highlight: re.Pattern[str] | None) -> list[tuple[int, int, str]]:
    """Styled stretches of ``text``: links for URLs, reverse for search hits."""
    marks = (
        [(match.start(), match.end(), f"link {match.group()}") for match in URL.finditer(text)]
        if "://" in text
        else []
    )
    if highlight is not None:
        marks.extend(
            (match.start(), match.end(), "bold reverse")
            for match in highlight.finditer(text)
            if match.end() > match.start()
        )
    return marks


def _spans(text: str, start: int, end: int, base: str, marks: list[tuple[int, int, str]]) -> Row:
    """``text[start:end]`` as spans; a stretch inside several marks gets all their styles."""
    cuts = {start, end}
    for mark_start, mark_end, _ in marks:
        cuts.update(point for point in (mark_start, mark_end) if start < point < end)
    points = sorted(cuts)
    row: Row = []
    for left, right in zip(points, points[1:]):
        style = " ".join([base] + [s for a, b, s in marks if a <= left and right <= b]).strip()
        if row and row[-1][1] == style:
            row[-1] = (row[-1][0] + text[left:right], style)
        else:
            row.append((text[left:right], style))
    return row or [("", base)]


def _styled(text: str, base: str, highlight: re.Pattern[str] | None) -> Row:
    """Split ``text`` into spans: links for URLs, highlight for search hits."""
    marks = _marks(text, highlight)
    return _spans(text, 0, len(text), base, marks) if marks else [(text, base)]


def styled_lines(
    text: str, width: int, base: str, highlight: re.Pattern[str] | None, lead: Span | None = None
) -> list[Row]:
    """``text`` wrapped to ``width``, styled before wrapping: a URL cut in two
    links to the whole URL from both pieces, and a hit cut in two is highlighted.
    ``lead``, when given, starts every row (a comment's tree guides)."""
    marks = _marks(text, highlight)
    if not marks:  # the common case: plain text, one span per row
        if lead is not None:
            return [[lead, (text[start:end], base)] for start, end in _wrap_ranges(text, width)]
        return [[(text[start:end], base)] for start, end in _wrap_ranges(text, width)]
    if lead is not None:
        return [[lead, *_spans(text, start, end, base, marks)] for start, end in _wrap_ranges(text, width)]
    return [_spans(text, start, end, base, marks) for start, end in _wrap_ranges(text, width)]


def article_rows(thread: Thread, options: ViewOptions) -> Iterator[Row]:
    """The title and the article as ``options.article`` asks: all of it, its
    first paragraph and how many more there are ("lead"), or nothing."""
    if options.article == "none":
        return
    if thread.date_line is not None:
        for line in wrap(sanitize(thread.date_line.text), options.width):
            yield [(line, "dim")]
    title = sanitize(thread.title.text)
    for line in wrap(title, options.width):
        yield [(line, "bold")]
    yield [("═" * min(options.width, max(cell_len(title), 1)), "bold")]
    paragraphs = thread.article.paragraphs
    shown = paragraphs[:1] if options.article == "lead" else paragraphs
    for paragraph in shown:
        yield []
        for source_line in paragraph.lines:
            yield from styled_lines(_expand_tabs(sanitize(source_line)), options.width, "", options.highlight)
    left_out = len(paragraphs) - len(shown)
    if left_out:
        yield []
        note = f"[article: {plural(left_out, 'more paragraph')}]"
        yield from ([(line, "dim italic")] for line in wrap(note, options.width))
    yield []


def summary_rows(thread: Thread, width: int, total: int | None = None, shown: int | None = None, *,
                 matched: int | None = None, context: str | None = None,
                 max_depth: int | None = None) -> list[Row]:
    """How many comments the view shows, in one line.

    All of them: ``30 comments`` (and what the header declares, if it
    differs). A filtered view (``matched`` given): ``8 matches (+4 ancestors
    for context)``. A part of the thread (--at): ``8 of 30 comments shown``.
    With ``max_depth`` the comments it hides are not counted as shown:
    ``12 of 30 comments shown (down to depth 2)``. ``shown`` is for a thread
    whose comments are not all in memory.
    """
    in_memory = shown is None
    if shown is None:
        shown = thread.comment_count
    visible = shown
    if max_depth is not None and in_memory:
        visible = sum(1 for comment in thread.walk() if comment.depth <= max_depth)
    depth_note = f"down to depth {max_depth}"
    if matched is not None:
        text = f"{matched} {'match' if matched == 1 else 'matches'}"
        extra = shown - matched
        if extra:
            if context == "thread":
                text += f" (+{extra} more of their threads for context)"
            else:
                text += f" (+{extra} {'ancestor' if extra == 1 else 'ancestors'} for context)"
        if visible != shown:
            text += f"; {visible} shown {depth_note}"
    elif total is not None and visible != total:
        text = f"{visible} of {total} comments shown"
        if visible != shown:
            text += f" ({depth_note})"
    else:
        text = plural(shown, "comment")
        declared = thread.declared_count
        if declared is not None and declared != shown:
            text += f" (the header declares {declared})"
    return [[(line, "dim")] for line in wrap(text, width)]


def comment_blocks(roots: list[Comment], options: ViewOptions) -> Iterator[list[Row]]:
    """One block of rows per comment, in document order.

    A comment's level is its nesting in the view (0 for the view's roots).
    Indentation grows up to ``options.deepest_level()``; the replies of a
    comment at the level before it are shown flattened, in document order, as
    siblings at that deepest level (as the page itself does at depth 5). A
    ``[depth N]`` marker flags every reply whose indentation does not show its
    real depth: one that hangs under a comment other than its parent, because
    indentation was capped or because a filter left out the levels between.
    """
    branch, last, dash, pipe = GUIDES[options.guides]
    size = max(2, options.indent)
    seg_branch = branch + dash * (size - 2) + " "
    seg_last = last + dash * (size - 2) + " "
    seg_pipe = pipe + " " * (size - 1)
    seg_blank = " " * size
    deepest = options.deepest_level()

    for root in roots:
        # Frames: (comment, level, guide segments of the ancestors, is last
        # sibling, depth of the comment it hangs under or None for a root)
        stack: list[tuple[Comment, int, tuple[str, ...], bool, int | None]] = [(root, 0, (), True, None)]
        while stack:
            comment, level, trail, is_last, above = stack.pop()
            if level == 0:
                inner: tuple[str, ...] = ()
                connector = ""
            else:
                inner = trail + ((seg_blank if is_last else seg_pipe),)
                connector = seg_last if is_last else seg_branch
            replies, hidden = _shown_replies(comment, options.max_depth)
            if level >= deepest:
                replies = []  # already laid out as this comment's following siblings
            elif level + 1 == deepest:
                replies = _flattened(replies, options.max_depth)
            body_trail = "".join(inner) + (seg_pipe if replies else seg_blank)
            yield _comment_rows(
                comment,
                header_trail="".join(trail) + connector,
                body_trail=body_trail,
                spacer_trail="".join(inner) + (seg_pipe if replies else ""),
                marked=above is not None and comment.depth != above + 1,
                hidden=hidden,
                options=options,
            )
            for position in range(len(replies) - 1, -1, -1):
                reply = replies[position]
                # A flattened reply hangs under this comment, whatever its depth.
                stack.append((reply, level + 1, inner, position == len(replies) - 1, comment.depth))


def _shown_replies(comment: Comment, max_depth: int | None) -> tuple[list[Comment], int]:
    """The replies the view shows under ``comment``, and how many it hides."""
    if max_depth is not None and comment.depth >= max_depth:
        return [], sum(1 for _ in comment.walk()) - 1
    return comment.replies, 0


def _flattened(replies: list[Comment], max_depth: int | None) -> list[Comment]:
    """``replies`` and all the replies below them that the view shows, in document order."""
    result: list[Comment] = []
    stack = list(reversed(replies))
    while stack:
        comment = stack.pop()
        result.append(comment)
        shown, _ = _shown_replies(comment, max_depth)
        stack.extend(reversed(shown))
    return result


def _comment_rows(
    comment: Comment,
    *,
    header_trail: str,
    body_trail: str,
    spacer_trail: str,
    marked: bool,
    hidden: int,
    options: ViewOptions,
) -> list[Row]:
    dim = "dim " if comment in options.dimmed else ""
    guide_style = "dim"
    header: Row = []
    if marked:
        header.append((f"[depth {comment.depth}] ", "dim italic"))
    header.append((comment.id, f"{dim}{ID_STYLE}"))
    header.append(("  ", ""))
    if comment.kind != "comment":  # a pingback or trackback: its "author" is the linking page
        header.append((f"{comment.kind.capitalize()}: ", f"{dim}italic"))
    if comment.author is None:
        header.append(("(no author)", f"{dim}italic"))
    else:
        style = author_style(comment.author, options.author_colours)
        header.extend(_styled(sanitize(comment.author), f"{dim}{style}", options.highlight))
        if comment.avatar and comment.avatar.casefold() != comment.author.casefold():
            header.append((f" (avatar: {sanitize(comment.avatar)})", "dim"))
    if comment.date:
        header.append((f"  {sanitize(comment.date)}", "dim"))
    rows = _fit_header(header, header_trail, body_trail, guide_style, options.width)
    body_width = max(1, options.width - cells(body_trail))
    guide = (body_trail, guide_style)
    text_style = dim.strip()
    highlight = options.highlight
    for number, paragraph in enumerate(comment.paragraphs):
        if number:
            rows.append([(body_trail.rstrip(), guide_style)])
        for source_line in paragraph.lines:
            rows.extend(styled_lines(_expand_tabs(sanitize(source_line)), body_width, text_style, highlight, guide))
    if hidden:
        noun = "reply" if hidden == 1 else "replies"
        for line in wrap(f"[+{hidden} {noun} hidden]", body_width):
            rows.append([(body_trail, guide_style), (line, "dim italic")])
    rows.append([(spacer_trail.rstrip(), guide_style)])
    return rows


def search_result_rows(
    comment: Comment,
    path: str | None,
    pattern: re.Pattern[str] | None,
    width: int,
    *,
    author_colours: Mapping[str, int] | None = None,
) -> list[Row]:
    """One search hit: a head row (the file name when given, the id, the
    author, hits highlighted), then each matching body line, wrapped to
    ``width`` as the view wraps bodies, its line number in a gutter.

    Continuation rows have an empty gutter of the same width, so the text
    lines up and the numbers stand out.
    """
    head: Row = []
    if path is not None:
        head.append((sanitize_line(path) + ":", "magenta"))
    head.append((comment.id, ID_STYLE))
    head.append(("  ", ""))
    if comment.author is None:
        head.append(("(no author)", "italic"))
    else:
        head.extend(_styled(sanitize(comment.author), author_style(comment.author, author_colours), pattern))
    rows = [[span for span in row if span[0]] for row in _fit_header(head, "", "  ", "", width)]
    if pattern is None:
        return rows
    for number, line in _matching_lines(comment, pattern):
        gutter = f"  {number}: "
        text_width = max(1, width - cells(gutter))
        for position, row in enumerate(styled_lines(_expand_tabs(sanitize(line)), text_width, "", pattern)):
            rows.append([(gutter, "green") if position == 0 else (" " * len(gutter), ""), *row])
    return rows


def _matching_lines(comment: Comment, pattern: re.Pattern[str]) -> Iterator[tuple[int, str]]:
    """(source line number, text) of each body line that ``pattern`` matches."""
    for paragraph in comment.paragraphs:
        for offset, line in enumerate(paragraph.lines):
            if pattern.search(line):
                yield paragraph.line + offset, line


_BREAK = re.compile(r"(?<=[.\s])(?=\S)")


def _fit_header(spans: Row, trail: str, continuation: str, guide_style: str, width: int) -> list[Row]:
    """The header on one row, or, when it is too wide, wrapped under ``continuation``.

    Lines break after spaces, and inside a long id after its dots.
    """
    room = width - cells(trail)
    if cells("".join([text for text, _ in spans])) <= room:
        return [[(trail, guide_style), *spans]]
    rows: list[Row] = [[(trail, guide_style)]]
    used = 0
    for text, style in spans:
        for token in _BREAK.split(text):
            size = cell_len(token)
            if used + cell_len(token.rstrip(" ")) > room and used:
                _strip_row_end(rows[-1])
                rows.append([(continuation, guide_style)])
                room, used = max(1, width - cell_len(continuation)), 0
                token = token.lstrip(" ")
                size = cell_len(token)
            word = token.rstrip(" ")
            if cell_len(word) > room:  # longer than a whole row: cut it
                head, *rest = _chop(word, room)
                if rest:
                    rows[-1].append((head, style))
                    room, used = max(1, width - cell_len(continuation)), 0
                    *middle, tail = _chop("".join(rest), room)
                    for piece in middle:
                        rows.append([(continuation, guide_style), (piece, style)])
                    rows.append([(continuation, guide_style)])
                    token = tail + token[len(word):]
                    size = cell_len(token)
            if token:
                rows[-1].append((token, style))
                used += size
    _strip_row_end(rows[-1])
    return rows


def _strip_row_end(row: Row) -> None:
    while len(row) > 1 and not row[-1][0].strip():
        row.pop()
    if len(row) > 1:
        text, style = row[-1]
        row[-1] = (text.rstrip(" "), style)


def _expand_tabs(text: str) -> str:
    """Tabs as spaces, so that wrapping counts them (a terminal would expand them anyway)."""
    return text.expandtabs(8) if "\t" in text else text
