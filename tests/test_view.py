"""The reading view: exact text at fixed widths, what each filter keeps, styles.

The layout (thread_cli.layout) is checked through plain_chunks, which prints
exactly the text Rich would, and through the CLI's plain format; styles are
checked on the layout's spans and, where it matters, on Rich's output.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from thread_cli.api import load
from thread_cli.layout import (
    STANDARD_COLOURS,
    ViewOptions,
    article_rows,
    author_style,
    comment_blocks,
    search_result_rows,
    view_author_colours,
)
from thread_cli.render import plain_chunks, rich_chunks
from thread_cli.select import Criteria, compile_pattern, select
from thread_cli.styles import URL as URL_PATTERN, WIDE_COLOURS, author_colours

from conftest import ROOT, SEED, invoke

# A short thread with every kind of joint: a reply with a reply, a last reply.
SMALL = """\
Small

The article.

4 Comments on “Small”

  1. Ann Says:

    Hello.

    • Bob Says:

      Hi Ann.

      • Cy Says:

        Hey.

    • Dee Says:

      Last.
"""


@pytest.fixture
def small(tmp_path) -> str:
    path = tmp_path / "small.txt"
    path.write_text(SMALL, encoding="utf-8")
    return str(path)


def deep_dump(levels: int = 60) -> str:
    """One comment, then replies each one level deeper, down to depth ``levels``.

    A reply at depth d has its marker at column 2·d+1 and its body at 2·d+2
    spaces, as the format says.
    """
    lines = ["Deep", "", "The article.", "", f"{levels} Comments on “Deep”", "", "  1. User1 Says:", "", "    top", ""]
    for depth in range(2, levels + 1):
        lines += [" " * (2 * depth) + f"• User{depth} Says:", ""]
        lines += [" " * (2 * depth + 2) + f"reply at depth {depth}, long enough to need wrapping in a narrow column", ""]
    return "\n".join(lines) + "\n"


@pytest.fixture
def deep(tmp_path) -> str:
    path = tmp_path / "deep.txt"
    path.write_text(deep_dump(), encoding="utf-8")
    return str(path)


def show(*args: str) -> str:
    result = invoke("show", *args, "--format", "plain", "--no-article")
    assert result.exit_code == 0, result.stderr
    return result.stdout


def parse(path):
    """The thread of the dump at ``path`` (the one place these tests parse)."""
    return load(str(path)).thread


def layout(path, *, criteria: Criteria | None = None, **options) -> list[list[list[tuple[str, str]]]]:
    """The view's blocks (one per comment), as the show command builds them."""
    thread = parse(path)
    selection = select(thread, criteria or Criteria(), prune_depth=False)
    view = ViewOptions(dimmed=selection.dimmed, **options)
    return list(comment_blocks(selection.thread.comments, view))


def text_of(blocks) -> str:
    return "".join(plain_chunks(blocks))


# ---------------------------------------------------------------- guides and indentation

GUIDES = {
    "unicode": """\
1  Ann
│  Hello.
│
├─ 1.1  Bob
│  │  Hi Ann.
│  │
│  └─ 1.1.1  Cy
│        Hey.
│
└─ 1.2  Dee
      Last.

""",
    "ascii": """\
1  Ann
|  Hello.
|
|- 1.1  Bob
|  |  Hi Ann.
|  |
|  `- 1.1.1  Cy
|        Hey.
|
`- 1.2  Dee
      Last.

""",
    "none": """\
1  Ann
   Hello.

   1.1  Bob
      Hi Ann.

      1.1.1  Cy
         Hey.

   1.2  Dee
      Last.

""",
}


@pytest.mark.parametrize("guides", sorted(GUIDES))
def test_guides(small, guides):
    assert show(small, "--guides", guides, "--width", "80") == "4 comments\n\n" + GUIDES[guides]


def test_indent_two(small):
    assert show(small, "--indent", "2", "--width", "80") == """\
4 comments

1  Ann
│ Hello.
│
├ 1.1  Bob
│ │ Hi Ann.
│ │
│ └ 1.1.1  Cy
│     Hey.
│
└ 1.2  Dee
    Last.

"""


def test_indent_four(small):
    assert show(small, "--indent", "4", "--width", "80") == """\
4 comments

1  Ann
│   Hello.
│
├── 1.1  Bob
│   │   Hi Ann.
│   │
│   └── 1.1.1  Cy
│           Hey.
│
└── 1.2  Dee
        Last.

"""


def test_seed_wraps_bodies_under_their_guides():
    lines = show(str(SEED), "--width", "80").splitlines()
    start = lines.index("└─ 3.1  Luis")
    assert lines[start:start + 6] == [
        "└─ 3.1  Luis",
        "   │  Obama is no other than Mister Fantastic. His elasticity is famous; being",
        "   │  so fu@king intelligent, he is very in love with himself and being so",
        "   │  flexible, he can kiss his own a$$ whenever he wants to.",
        "   │",
        "   └─ 3.1.1  John Prophet",
    ]
    assert "         ├─ 3.1.1.1.3  josephwouk (avatar: Joseph Wouk)" in lines


# ---------------------------------------------------------------- --max-depth, --at


def hidden_notes(text: str) -> list[tuple[str, str]]:
    """(id of the comment, its "[+N … hidden]" note), in order."""
    notes, current = [], None
    for line in text.splitlines():
        header = re.match(r"^[│├└─ ]*(?:\[depth \d+\] )?([\d.]+)  ", line)
        if header:
            current = header.group(1)
        note = re.search(r"\[\+\d+ repl(?:y|ies) hidden\]", line)
        if note:
            notes.append((current, note.group()))
    return notes


def test_max_depth_two_counts_the_hidden_replies():
    text = show(str(SEED), "--width", "80", "--max-depth", "2")
    # Under 3.1: 3.1.1, 3.1.1.1 and its seven replies; under 4.1: 4.1.1, 4.1.1.1 and two.
    assert hidden_notes(text) == [("3.1", "[+9 replies hidden]"), ("4.1", "[+4 replies hidden]")]
    lines = text.splitlines()
    start = lines.index("└─ 3.1  Luis")
    assert lines[start:start + 6] == [
        "└─ 3.1  Luis",
        "      Obama is no other than Mister Fantastic. His elasticity is famous; being",
        "      so fu@king intelligent, he is very in love with himself and being so",
        "      flexible, he can kiss his own a$$ whenever he wants to.",
        "      [+9 replies hidden]",
        "",
    ]
    assert "3.1.1  John Prophet" not in text
    assert text.startswith("17 of 30 comments shown (down to depth 2)\n")


def test_max_depth_one_and_four():
    assert hidden_notes(show(str(SEED), "--max-depth", "1")) == [
        ("1", "[+1 reply hidden]"),
        ("3", "[+10 replies hidden]"),
        ("4", "[+5 replies hidden]"),
        ("6", "[+1 reply hidden]"),
        ("8", "[+1 reply hidden]"),
        ("10", "[+1 reply hidden]"),
    ]
    assert hidden_notes(show(str(SEED), "--max-depth", "4")) == [
        ("3.1.1.1", "[+7 replies hidden]"),
        ("4.1.1.1", "[+2 replies hidden]"),
    ]
    assert hidden_notes(show(str(SEED), "--max-depth", "5")) == []


def test_max_depth_hides_what_the_export_drops():
    ids = [json.loads(line)["id"] for line in
           invoke("show", str(SEED), "--max-depth", "2", "--format", "jsonl").stdout.splitlines()]
    assert ids == ["1", "1.1", "2", "3", "3.1", "4", "4.1", "5", "6", "6.1", "7", "8", "8.1", "9", "10", "10.1", "11"]


def test_at_shows_one_comment_and_its_seven_replies():
    text = show(str(SEED), "--width", "80", "--at", "3.1.1.1")
    headers = [line for line in text.splitlines() if re.match(r"^(?:[├└]─ )?3\.1\.1\.1", line)]
    assert headers == [
        "3.1.1.1  Luis",
        "├─ 3.1.1.1.1  John Prophet",
        "├─ 3.1.1.1.2  Luis",
        "├─ 3.1.1.1.3  josephwouk (avatar: Joseph Wouk)",
        "├─ 3.1.1.1.4  John Prophet",
        "├─ 3.1.1.1.5  Luis",
        "├─ 3.1.1.1.6  John Prophet",
        "└─ 3.1.1.1.7  Luis",
    ]
    assert text.startswith("8 of 30 comments shown\n\n3.1.1.1  Luis\n│  I agree with you 100 percent.")
    assert "[depth" not in text  # indentation shows every depth here


def test_at_an_unknown_id_is_a_usage_error():
    result = invoke("show", str(SEED), "--at", "3.9")
    assert result.exit_code == 2


# ---------------------------------------------------------------- --context


def kept_ids(*args: str) -> list[str]:
    result = invoke("show", str(SEED), *args, "--format", "jsonl")
    assert result.exit_code == 0
    return [json.loads(line)["id"] for line in result.stdout.splitlines()]


THREAD_3 = ["3", "3.1", "3.1.1", "3.1.1.1"] + [f"3.1.1.1.{n}" for n in range(1, 8)]
THREAD_4 = ["4", "4.1", "4.1.1", "4.1.1.1", "4.1.1.1.1", "4.1.1.1.2"]
REPLIES_TO_LUIS = ["3.1.1"] + [f"3.1.1.1.{n}" for n in range(1, 8)] + ["4.1.1", "4.1.1.1.1", "4.1.1.1.2"]


@pytest.mark.parametrize(
    "filters, context, expected",
    [
        (("--author", "artaxes"), "none", ["6.1"]),
        (("--author", "artaxes"), "ancestors", ["6", "6.1"]),
        (("--author", "artaxes"), "thread", ["6", "6.1"]),
        (("--replies-to", "luis"), "none", REPLIES_TO_LUIS),
        (("--replies-to", "luis"), "ancestors", THREAD_3 + THREAD_4),
        (("--replies-to", "luis"), "thread", THREAD_3 + THREAD_4),
        # Where the three modes differ:
        (("--author", "John Prophet"), "none", ["3.1.1", "3.1.1.1.1", "3.1.1.1.4", "3.1.1.1.6"]),
        (("--author", "John Prophet"), "ancestors",
         ["3", "3.1", "3.1.1", "3.1.1.1", "3.1.1.1.1", "3.1.1.1.4", "3.1.1.1.6"]),
        (("--author", "John Prophet"), "thread", THREAD_3),
        (("--author", "louisiana steve", "--replies-to", "IAmSpartacus"), "ancestors", ["10", "10.1"]),
    ],
)
def test_context_keeps(filters, context, expected):
    assert kept_ids(*filters, "--context", context) == expected


def test_context_ancestors_is_the_default_for_show():
    assert kept_ids("--author", "John Prophet") == kept_ids("--author", "John Prophet", "--context", "ancestors")


def test_context_none_marks_the_levels_left_out():
    text = show(str(SEED), "--width", "80", "--author", "Luis", "--context", "none")
    headers = [line for line in text.splitlines() if "  Luis" in line and re.search(r"\d  Luis$", line)]
    assert headers == [
        "3.1  Luis",
        "└─ [depth 4] 3.1.1.1  Luis",  # 3.1.1 is left out, so this is not a child of 3.1
        "   ├─ 3.1.1.1.2  Luis",
        "   ├─ 3.1.1.1.5  Luis",
        "   └─ 3.1.1.1.7  Luis",
        "4.1  Luis",
        "└─ [depth 4] 4.1.1.1  Luis",
        "   └─ 4.1.1.1.2  Luis",
    ]


def test_ancestors_are_dimmed_and_matches_are_not():
    blocks = layout(SEED, criteria=Criteria.build(authors=["artaxes"]), width=80)
    context, match = blocks
    assert context[0] == [("", "dim"), ("6", "dim cyan"), ("  ", ""), ("IAmSpartacus", "dim bold magenta")]
    assert context[1][1] == ("Well, I’d have to say that it’s about time that the US got over being", "dim")
    assert match[0] == [("└─ ", "dim"), ("6.1", "cyan"), ("  ", ""), ("artaxes", "bold magenta")]
    assert match[1][1] == ("Why is it always America that is expected to act as a mature?", "")


def test_dimmed_ancestors_are_faint_in_rich_output():
    blocks = layout(SEED, criteria=Criteria.build(authors=["artaxes"]), width=80)
    rich = "".join(rich_chunks(blocks, width=80))
    lines = rich.splitlines()
    assert lines[0] == "\x1b[2;36m6\x1b[0m  \x1b[1;2;35mIAmSpartacus\x1b[0m"
    assert lines[1].startswith("\x1b[2m│  \x1b[0m\x1b[2mWell, I’d have")
    assert "\x1b[36m6.1\x1b[0m  \x1b[1;35martaxes\x1b[0m" in rich
    assert "\x1b[2m      \x1b[0mWhy is it always America" in rich


def test_rich_chunks_without_a_colour_system_is_the_plain_text():
    blocks = layout(SEED, width=80)
    assert "".join(rich_chunks(blocks, width=80, color_system=None)) == text_of(blocks)


# ---------------------------------------------------------------- deep threads and narrow widths


def test_deep_thread_at_width_80_caps_indentation_and_marks_depths(deep):
    text = show(deep, "--width", "80", "--indent", "2")
    lines = text.splitlines()
    assert max(cell_len(line) for line in lines) <= 80
    # Bodies keep 24 columns: indentation grows to level 27 (depth 28); deeper
    # replies line up there, each marked with its real depth, once.
    markers = re.findall(r"\[depth (\d+)\]", text)
    assert markers == [str(depth) for depth in range(29, 61)]
    for depth in range(1, 61):
        assert len(re.findall(rf"\bUser{depth}$", text, re.M)) == 1
    first_marked = next(i for i, line in enumerate(lines) if "[depth 29]" in line)
    assert lines[first_marked].startswith(" " * 52 + "├ [depth 29] 1.1.1.1")
    deepest = next(i for i, line in enumerate(lines) if "[depth 60]" in line)
    assert lines[deepest].startswith(" " * 52 + "└ [depth 60] 1.1.1.1")
    assert lines[deepest + 1:deepest + 5] == [
        " " * 52 + "    1.1.1.1.1.1.1.1.1.1.1.1.",
        " " * 52 + "    1.1.1.1.1.1.1.1.1.1.1.1.",
        " " * 52 + "    1.1.1.1.1.1.1.1.1.1.1.1.",
        " " * 52 + "    1.1.1.1.1.1.1.1.1.1.1.1.",
    ]
    assert lines[-4:] == [
        " " * 52 + "    reply at depth 60, long",
        " " * 52 + "    enough to need wrapping",
        " " * 52 + "    in a narrow column",
        "",
    ]


def test_deep_thread_with_the_default_indent(deep):
    text = show(deep, "--width", "80")
    assert max(cell_len(line) for line in text.splitlines()) <= 80
    assert re.findall(r"\[depth (\d+)\]", text) == [str(depth) for depth in range(19, 61)]


def test_deep_thread_in_rich_mode_fits_too(deep):
    result = invoke("show", deep, "--format", "rich", "--color", "always", "--width", "80")
    plain = re.sub("\x1b\\]8;[^\x1b]*\x1b\\\\|\x1b\\[[0-9;]*m", "", result.stdout)
    assert max(cell_len(line) for line in plain.splitlines()) <= 80
    assert plain == show(deep, "--width", "80").replace("60 comments\n\n", "Deep\n════\n\nThe article.\n\n60 comments\n\n", 1)


@pytest.mark.parametrize("width", [20, 24, 33, 50, 80, 120])
@pytest.mark.parametrize("indent", [2, 3, 8])
@pytest.mark.parametrize("which", ["seed", "deep"])
def test_no_row_is_wider_than_the_width_but_for_a_url(tmp_path, width, indent, which):
    path = SEED
    if which == "deep":
        path = tmp_path / "deep.txt"
        path.write_text(deep_dump(), encoding="utf-8")
    thread = parse(path)
    options = ViewOptions(width=width, indent=indent)
    rows = list(article_rows(thread, options)) + [row for block in comment_blocks(thread.comments, options)
                                                   for row in block]
    too_wide = [row for row in rows if cell_len("".join(text for text, _ in row)) > width]
    # Only a URL may overflow, and then it is whole, after its guides alone.
    assert all(len(row) == 2 and row[1] == (URL, f"link {URL}") for row in too_wide), too_wide
    body_width = width - max(2, indent)  # comment 9, the one with the URL, is a top-level leaf
    assert bool(too_wide) == (which == "seed" and body_width < len(URL))


def test_long_author_names_wrap_under_the_guide(tmp_path):
    path = tmp_path / "names.txt"
    path.write_text(
        "T\n\nA.\n\n2 Comments on “T”\n\n  1. Ann Says:\n\n    Hi.\n\n"
        "    • A Person With A Remarkably Long Display Name Indeed Says:\n\n      Hello.\n",
        encoding="utf-8",
    )
    assert show(str(path), "--width", "30") == """\
2 comments

1  Ann
│  Hi.
│
└─ 1.1  A Person With A
      Remarkably Long Display
      Name Indeed
      Hello.

"""


def test_tabs_in_a_body_are_expanded_before_wrapping(tmp_path):
    path = tmp_path / "tabs.txt"
    path.write_text("T\n\nA.\n\n1 Comment on “T”\n\n  1. Ann Says:\n\n    a\tb\t" + "x " * 40 + "\n",
                    encoding="utf-8")
    text = show(str(path), "--width", "40")
    assert "\t" not in text
    assert text.splitlines()[3] == "   a       b       x x x x x x x x x x x"
    assert max(cell_len(line) for line in text.splitlines()) <= 40


# ---------------------------------------------------------------- styles: authors, links, hits


def test_author_style_is_stable_across_processes():
    script = "from thread_cli.layout import author_style; print(author_style('Luis'), author_style('tom'))"
    seen = {
        subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True,
                       env={"PYTHONHASHSEED": seed, "PATH": ""}).stdout
        for seed in ("0", "1", "12345")
    }
    assert seen == {f"{author_style('Luis')} {author_style('tom')}\n"}
    assert author_style("Luis") == "bold magenta"
    assert author_style("LUIS") == author_style("luis")  # names compare case-insensitively


SEED_AUTHORS = ["Norm", "Luis", "John Prophet", "josephwouk", "Louisiana Steve", "IAmSpartacus", "artaxes", "tom",
                "renbe", "CARLOS LIZARRAGA IN MIAMI"]


def test_sixteen_colours_give_the_seed_seven_colours():
    """The fallback, kept: what the issue reported, so that the test below means something."""
    styles = {name: author_style(name) for name in SEED_AUTHORS}
    assert len(set(styles.values())) == 7
    assert styles["Luis"] == styles["IAmSpartacus"] == styles["artaxes"] == "bold magenta"
    assert styles["josephwouk"] == "bold cyan"  # the ids' colour
    assert set(styles.values()) <= {f"bold {colour}" for colour in STANDARD_COLOURS}


@pytest.mark.parametrize("system", ["256", "truecolor"])
def test_from_256_colours_every_seed_author_has_a_colour_of_their_own(system):
    thread = parse(SEED)
    colours = view_author_colours(thread, system)
    assert sorted(colours) == sorted(name.casefold() for name in SEED_AUTHORS)
    styles = {name: author_style(name, colours) for name in SEED_AUTHORS}
    assert len(set(styles.values())) == len(SEED_AUTHORS)
    assert all(re.fullmatch(r"bold color\((\d+)\)", style) for style in styles.values())
    # None is the ids' colour, and Rich writes none as cyan (36) either.
    blocks = layout(SEED, width=80, author_colours=colours)
    rich = "".join(rich_chunks(blocks, width=80, color_system=system))
    assert "\x1b[36m3.1\x1b[0m  \x1b[1;38;5;" in rich
    assert "\x1b[1;36m" not in rich and "\x1b[1;96m" not in rich
    assert {int(style[11:-1]) for style in styles.values()} <= set(WIDE_COLOURS)


def test_a_terminal_with_sixteen_colours_gets_no_author_colour_map():
    assert view_author_colours(parse(SEED), "standard") is None
    assert view_author_colours(parse(SEED), None) is None


def test_author_colours_are_spread_evenly_and_do_not_depend_on_order():
    names = [f"user{n}" for n in range(6)]
    slots = author_colours(names)
    assert sorted(slots.values()) == [0, 2, 4, 6, 8, 10]  # 13 colours, 6 authors: every other one
    assert author_colours(reversed(names)) == slots
    assert author_colours(name.upper() for name in names) == slots  # by casefolded name
    crowd = author_colours(f"user{n}" for n in range(40))
    assert sorted(set(crowd.values())) == list(range(len(WIDE_COLOURS)))  # more authors than colours: all used


def test_a_name_missing_from_the_colour_map_still_gets_a_wide_colour():
    # e.g. an author of the half of a big dump that another process laid out
    assert re.fullmatch(r"bold color\(\d+\)", author_style("Nobody Here", {"luis": 0}))
    assert author_style("LUIS", {"luis": 0}) == f"bold color({WIDE_COLOURS[0]})"


def test_the_html_export_colours_authors_from_the_same_palette():
    from html.parser import HTMLParser

    thread = parse(SEED)
    slots = author_colours(c.author for c in thread.walk() if c.author)
    page = invoke("export", str(SEED), "--format", "html").stdout
    seen: dict[str, set[str]] = {}

    class Authors(HTMLParser):
        current: str | None = None

        def handle_starttag(self, tag, attrs):
            classes = dict(attrs).get("class", "").split()
            if "author" in classes:
                self.current = next(c for c in classes if c != "author")

        def handle_data(self, data):
            if self.current:
                seen.setdefault(data, set()).add(self.current)
                self.current = None

    Authors().feed(page)
    assert seen == {name: {f"a{slots[name.casefold()]}"} for name in SEED_AUTHORS}


URL = "http://www.ncr-iran.org/fr/actualites/terrorisme-a-integrisme/46-list-of-terrorist-attacks-abroad"


def test_a_url_wider_than_the_row_is_not_cut():
    comment = parse(SEED).find("9")
    block = next(comment_blocks([comment], ViewOptions(width=60)))
    assert [row for row in block if any("link" in style for _, style in row)] == [[("   ", "dim"), (URL, f"link {URL}")]]
    rich = "".join(rich_chunks([block], width=60))
    assert re.findall("\x1b\\]8;id=[0-9a-f]+;([^\x1b]*)\x1b\\\\", rich) == [URL]


@pytest.mark.parametrize("line, width, rows", [
    # The URL gets a row of its own; the words around it wrap as usual.
    ("see http://example.com/a/long/path here", 12, ["see", "http://example.com/a/long/path", "here"]),
    # Text glued to a URL is cut only outside it.
    ("xx(http://example.com/a/long/path)yy zz", 12, ["xx(", "http://example.com/a/long/path", ")yy zz"]),
    ("abcdefghijklmnhttp://e.com/x", 10, ["abcdefghij", "klmn", "http://e.com/x"]),
    ("ab http://e.co x", 12, ["ab", "http://e.co", "x"]),  # a URL that fits a row wraps as a word
    ("短い http://example.com/長いパス", 10, ["短い", "http://example.com/長いパス"]),  # wide characters too
    ("no url but a verylongwordindeed", 10, ["no url but", "a", "verylongwo", "rdindeed"]),
])
def test_wrap_never_cuts_inside_a_url(line, width, rows):
    from thread_cli.layout import wrap

    assert wrap(line, width) == rows


@settings(max_examples=400, deadline=None, derandomize=True)
@given(
    pieces=st.lists(st.sampled_from(["a", "bc", " ", "  ", "http://", "https://x.y/z", ")", "://"]), max_size=14),
    width=st.integers(min_value=1, max_value=15),
)
def test_both_wrappers_keep_urls_whole_alike(pieces, width):
    import thread_cli.layout as layout

    line = "".join(pieces)
    fast = layout._wrap_ranges(line, width)
    assert fast == layout._wrap_general(line, width)
    urls = [match.span() for match in URL_PATTERN.finditer(line)]
    for start, end in fast:
        assert not any(url_start < start < url_end or url_start < end < url_end for url_start, url_end in urls)


def test_search_hits_are_highlighted_across_a_wrap(tmp_path):
    path = tmp_path / "hits.txt"
    path.write_text("T\n\nA.\n\n1 Comment on “T”\n\n  1. Ann Says:\n\n    about those red lines again\n",
                    encoding="utf-8")
    thread = parse(path)
    options = ViewOptions(width=20, highlight=compile_pattern("red lines"))
    rows = next(comment_blocks(thread.comments, options))
    assert rows[1:3] == [
        [("   ", "dim"), ("about those ", ""), ("red", "bold reverse")],
        [("   ", "dim"), ("lines", "bold reverse"), (" again", "")],
    ]


def test_a_hit_inside_a_url_keeps_the_link():
    thread = parse(SEED)
    options = ViewOptions(width=200, highlight=compile_pattern("terrorist"))
    block = next(comment_blocks([thread.find("9")], options))
    url_row = next(row for row in block if any("link" in style for _, style in row))
    assert url_row[1:] == [
        ("http://www.ncr-iran.org/fr/actualites/terrorisme-a-integrisme/46-list-of-", f"link {URL}"),
        ("terrorist", f"link {URL} bold reverse"),
        ("-attacks-abroad", f"link {URL}"),
    ]


def test_dates_and_pingbacks_are_shown_in_the_header():
    text = show(str(ROOT / "seeds" / "wordpress-mixed-layouts.txt"), "--width", "80")
    headers = [line for line in text.splitlines() if re.match(r"^(?:[│ ]*[├└]─ )?\d[\d.]*  ", line)]
    assert headers == [
        "1  Ana  September 6, 2013 at 3:24 pm",
        "└─ 1.1  Bruno  September 7, 2013 at 9:02 am",
        "   └─ 1.1.1  Carla  Sep 8, 2013 at 15:24",
        "2  Pingback: Weekly links | Some Blog",
        "3  Dmitri  6 September 2013 at 15:24",
        "├─ 3.1  Trackback: Hosting roundup",
        "└─ 3.2  Ana  2013-09-09 at 08:05",
        "4  zoe (avatar: Zoë)  September 10, 2013",
        "5  Eve",
    ]
    thread = parse(ROOT / "seeds" / "wordpress-mixed-layouts.txt")
    pingback = next(comment_blocks([thread.find("2")], ViewOptions(width=80)))
    assert pingback[0][1:] == [("2", "cyan"), ("  ", ""), ("Pingback: ", "italic"),
                               ("Weekly links | Some Blog", author_style("Weekly links | Some Blog"))]
    dated = next(comment_blocks([thread.find("4")], ViewOptions(width=80)))
    assert dated[0][-1] == ("  September 10, 2013", "dim")


def test_deep_thread_with_max_depth_hides_below_the_flattened_level(deep):
    text = show(deep, "--width", "80", "--indent", "2", "--max-depth", "40")
    assert re.findall(r"\[depth (\d+)\]", text) == [str(depth) for depth in range(29, 41)]
    assert text.endswith("    in a narrow column\n" + " " * 56 + "[+20 replies hidden]\n\n")


def test_the_one_cell_fast_path_agrees_with_rich():
    """layout._ONE_CELL lists characters Rich measures as one cell; wrapping trusts it."""
    from rich.cells import get_character_cell_size

    from thread_cli.layout import _ONE_CELL

    wrong = [hex(code) for code in range(0x20, 0x2580) if _ONE_CELL.fullmatch(chr(code)) and get_character_cell_size(chr(code)) != 1]
    assert wrong == []


@settings(max_examples=400, deadline=None, derandomize=True)
@given(line=st.text(alphabet="ab c", max_size=60), width=st.integers(min_value=1, max_value=15))
def test_the_one_cell_wrapper_cuts_where_the_general_one_does(line, width):
    import thread_cli.layout as layout

    fast = layout._wrap_ranges(line, width)
    general = layout._wrap_general(line, width)
    assert fast == general


# ---------------------------------------------------------------- the article: full, lead, none


def article_text(thread, **options) -> str:
    return text_of([list(article_rows(thread, ViewOptions(**options)))])


TITLE = "Report: US and Iran laying framework for first direct talks in over 30\u00a0years"


def test_article_lead_is_the_title_the_first_paragraph_and_a_count():
    assert article_text(parse(SEED), width=80, article="lead") == (
        f"{TITLE}\n"
        + "═" * 76 + "\n"
        "\n"
        "Report: US and Iran laying framework for first direct talks in over 30 years |\n"
        "JPost | Israel News.\n"
        "\n"
        "[article: 25 more paragraphs]\n"
        "\n"
    )
    rows = list(article_rows(parse(SEED), ViewOptions(width=80, article="lead")))
    assert rows[-2] == [("[article: 25 more paragraphs]", "dim italic")]


def two_paragraph_dump(tmp_path, paragraphs: list[str]) -> str:
    path = tmp_path / "article.txt"
    path.write_text("T\n\n" + "\n\n".join(paragraphs) + "\n\n1 Comment on “T”\n\n  1. Ann Says:\n\n    Hi.\n",
                    encoding="utf-8")
    return str(path)


def test_article_lead_says_paragraph_for_one_and_nothing_for_none_left(tmp_path):
    two = parse(two_paragraph_dump(tmp_path, ["First.", "Second."]))
    assert article_text(two, article="lead") == "T\n═\n\nFirst.\n\n[article: 1 more paragraph]\n\n"
    one = parse(two_paragraph_dump(tmp_path, ["Only."]))
    assert article_text(one, article="lead") == article_text(one, article="full") == "T\n═\n\nOnly.\n\n"


def test_article_none_full_and_an_unknown_mode(tmp_path):
    thread = parse(SEED)
    assert article_text(thread, article="none") == ""
    assert article_text(thread, article="full").count("\n\n") == 27  # after the rule, between 26 paragraphs, at the end
    with pytest.raises(ValueError, match="article must be one of"):
        ViewOptions(article="some")


# ---------------------------------------------------------------- search results


def test_a_search_result_wraps_each_matching_line_under_its_number():
    comment = parse(SEED).find("3.1")
    rows = search_result_rows(comment, "dir/seed\x1b[31m.txt", compile_pattern("obama"), 50)
    assert text_of([rows]) == (
        "dir/seed^[[31m.txt:3.1  Luis\n"  # the file name sanitised
        "  75: Obama is no other than Mister Fantastic. His\n"
        "      elasticity is famous; being so fu@king\n"
        "      intelligent, he is very in love with himself\n"
        "      and being so flexible, he can kiss his own\n"
        "      a$$ whenever he wants to.\n"
    )
    assert rows[0] == [("dir/seed^[[31m.txt:", "magenta"), ("3.1", "cyan"), ("  ", ""), ("Luis", "bold magenta")]
    assert rows[1][:2] == [("  75: ", "green"), ("Obama", "bold reverse")]
    assert rows[2][0] == ("      ", "")


def test_a_search_result_highlights_the_author_and_keeps_only_matching_lines():
    thread = parse(SEED)
    rows = search_result_rows(thread.find("3.1.1.1.2"), None, compile_pattern("Luis|America\\.", regex=True), 1000)
    assert rows[0] == [("3.1.1.1.2", "cyan"), ("  ", ""), ("Luis", "bold magenta bold reverse")]
    assert [row[0] for row in rows[1:]] == [("  94: ", "green"), ("  98: ", "green")]
    colours = view_author_colours(thread, "256")
    coloured = search_result_rows(thread.find("3.1.1.1.2"), None, None, 80, author_colours=colours)
    assert coloured == [[("3.1.1.1.2", "cyan"), ("  ", ""), ("Luis", author_style("Luis", colours))]]


def test_a_search_result_gutter_widens_with_the_line_number(tmp_path):
    path = tmp_path / "long.txt"
    path.write_text("T\n\nA.\n\n1 Comment on “T”\n\n  1. Ann Says:\n\n" + "    filler\n" * 995 + "    a hit, a hit\n",
                    encoding="utf-8")
    rows = search_result_rows(parse(path).comments[0], None, compile_pattern("hit"), 14)
    assert text_of([rows]) == "1  Ann\n  1004: a hit,\n        a hit\n"
