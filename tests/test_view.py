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

from thread_cli.layout import ViewOptions, article_rows, author_colour, author_style, comment_blocks
from thread_cli.api import load
from thread_cli.render import plain_chunks, rich_chunks
from thread_cli.select import Criteria, compile_pattern, select

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


def layout(path, *, criteria: Criteria | None = None, **options) -> list[list[list[tuple[str, str]]]]:
    """The view's blocks (one per comment), as the show command builds them."""
    thread = load(str(path)).thread
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
    assert text.startswith("30 comments (the header declares 31)\n")


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
def test_no_row_is_wider_than_the_width(tmp_path, width, indent, which):
    path = SEED
    if which == "deep":
        path = tmp_path / "deep.txt"
        path.write_text(deep_dump(), encoding="utf-8")
    thread = load(str(path)).thread
    options = ViewOptions(width=width, indent=indent)
    rows = list(article_rows(thread, options)) + [row for block in comment_blocks(thread.comments, options)
                                                   for row in block]
    widest = max(rows, key=lambda row: cell_len("".join(text for text, _ in row)))
    assert cell_len("".join(text for text, _ in widest)) <= width, widest


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


def test_the_html_export_uses_the_terminal_colour_of_each_author():
    from thread_cli.formats import html

    names = ["Luis", "tom", "Zoë", "Joseph Wouk", "(no author)", "名前", ""] + [f"user{n}" for n in range(200)]
    assert [html.author_colour(name) for name in names] == [author_colour(name) for name in names]
    assert author_colour("Luis") == 4  # magenta in both
    page = invoke("export", str(SEED), "--format", "html").stdout
    assert '<span class="author a4">Luis</span>' in page


URL = "http://www.ncr-iran.org/fr/actualites/terrorisme-a-integrisme/46-list-of-terrorist-attacks-abroad"


def test_urls_are_links_even_when_wrapped():
    thread = load(str(SEED)).thread
    comment = thread.find("9")
    block = next(comment_blocks([comment], ViewOptions(width=60)))
    pieces = [(text, style) for row in block for text, style in row if "link" in style]
    assert pieces == [
        ("http://www.ncr-iran.org/fr/actualites/terrorisme-a-integr", f"link {URL}"),
        ("isme/46-list-of-terrorist-attacks-abroad", f"link {URL}"),
    ]
    rich = "".join(rich_chunks([block], width=60))
    opening = re.findall("\x1b\\]8;id=([0-9a-f]+);([^\x1b]*)\x1b\\\\", rich)
    assert opening == [(opening[0][0], URL)] * 2  # both halves: one link, to the whole URL


def test_search_hits_are_highlighted_across_a_wrap(tmp_path):
    path = tmp_path / "hits.txt"
    path.write_text("T\n\nA.\n\n1 Comment on “T”\n\n  1. Ann Says:\n\n    about those red lines again\n",
                    encoding="utf-8")
    thread = load(str(path)).thread
    options = ViewOptions(width=20, highlight=compile_pattern("red lines"))
    rows = next(comment_blocks(thread.comments, options))
    assert rows[1:3] == [
        [("   ", "dim"), ("about those ", ""), ("red", "bold reverse")],
        [("   ", "dim"), ("lines", "bold reverse"), (" again", "")],
    ]


def test_a_hit_inside_a_url_keeps_the_link():
    thread = load(str(SEED)).thread
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
    thread = load(str(ROOT / "seeds" / "wordpress-mixed-layouts.txt")).thread
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
