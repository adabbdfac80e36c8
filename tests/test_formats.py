"""Every output format on the seed, pinned by golden files; colour only where it
is wanted; exports that a comment cannot abuse.

The golden files are in tests/golden/; after an intended change, regenerate
them with ``UPDATE_GOLDEN=1 python -m pytest tests/test_formats.py`` and read
the diff before committing it.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from conftest import ROOT, check_golden, invoke

# Relative, as a user would type it: the exports name their source as given,
# and the golden files must not depend on where the repository lives.
SEED_ARG = "seeds/jpost-us-iran-talks.txt"
WARNING = "warning: header declares 31 comments, 30 found\n"


@pytest.fixture(autouse=True)
def _from_the_repository_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def stdout_of(*args: str, env: dict | None = None, exit_code: int = 0) -> str:
    """Standard output exactly as written (Click's ``Result.stdout`` turns CRLF into LF)."""
    result = invoke(*args, env=env)
    assert result.exit_code == exit_code, result.stderr
    return result.stdout_bytes.decode("utf-8")


def write_dump(tmp_path, comments: str, title: str = "A title") -> str:
    """A small dump in the seed's layout: title, article, header, comment list."""
    count = comments.count(" Says:")
    path = tmp_path / "dump.txt"
    path.write_text(f"{title}\n\nThe article.\n\n{count} Comments on “{title}”\n\n{comments}", encoding="utf-8")
    return str(path)


# ---------------------------------------------------------------- golden files

GOLDEN = {
    "export.json": ("export", SEED_ARG, "--format", "json"),
    "export.jsonl": ("export", SEED_ARG, "--format", "jsonl"),
    "export.csv": ("export", SEED_ARG, "--format", "csv"),
    "export.tsv": ("export", SEED_ARG, "--format", "tsv"),
    "export.md": ("export", SEED_ARG, "--format", "markdown"),
    "export.html": ("export", SEED_ARG, "--format", "html"),
    "export.txt": ("export", SEED_ARG, "--format", "text"),
    "show-plain-80.txt": ("show", SEED_ARG, "--format", "plain", "--width", "80"),
    "show-plain-120-no-article.txt": ("show", SEED_ARG, "--format", "plain", "--width", "120", "--no-article"),
    # Rich's output, escape codes and all: this pins colours, bold, dim and links.
    "show-rich-80.ansi": ("show", SEED_ARG, "--format", "rich", "--color", "always", "--width", "80"),
    "search-obama.txt": ("search", "obama", SEED_ARG, "--format", "plain"),
    "authors.txt": ("authors", SEED_ARG, "--format", "plain"),
    "stats.txt": ("stats", SEED_ARG, "--format", "plain", "--width", "80"),
}


# The rich golden file is the 16-colour view: a terminal that claims no more.
SIXTEEN_COLOURS = {"TERM": "xterm", "COLORTERM": ""}


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_golden(name):
    check_golden(name, stdout_of(*GOLDEN[name], env=SIXTEEN_COLOURS))


def test_text_golden_is_the_seed_itself():
    assert (ROOT / "tests" / "golden" / "export.txt").read_bytes() == (ROOT / SEED_ARG).read_bytes()


def test_rich_golden_has_colour_bold_dim_and_a_link():
    text = (ROOT / "tests" / "golden" / "show-rich-80.ansi").read_text(encoding="utf-8")
    assert "\x1b[1;35mLuis\x1b[0m" in text  # bold magenta, on every machine
    assert "\x1b[36m3.1\x1b[0m" in text  # ids in cyan
    assert "\x1b[2m│  \x1b[0m" in text  # guides dimmed
    url = "http://www.ncr-iran.org/fr/actualites/terrorisme-a-integrisme/46-list-of-terrorist-attacks-abroad"
    assert f"\x1b]8;id=3e024269;{url}\x1b\\" in text


# ---------------------------------------------------------------- colour decisions


@pytest.mark.parametrize(
    "args",
    [
        ("show", SEED_ARG),
        ("search", "obama", SEED_ARG),
        ("authors", SEED_ARG),
        ("stats", SEED_ARG),
    ],
    ids=["show", "search", "authors", "stats"],
)
def test_piped_output_has_no_escape_codes(args):
    result = invoke(*args)
    assert result.exit_code == 0
    assert result.stdout  # something was printed…
    assert "\x1b" not in result.stdout  # …as plain text


@pytest.fixture
def terminal(monkeypatch):
    """Make the CLI believe its standard output is a terminal (stdin stays a pipe: no pager)."""
    import thread_cli.cli

    monkeypatch.setattr(thread_cli.cli, "_stdout_is_terminal", lambda: True)


COLOUR_COMMANDS = [
    ("show", SEED_ARG, "--no-pager", "--width", "80"),
    ("search", "obama", SEED_ARG),
    ("authors", SEED_ARG),
    ("stats", SEED_ARG, "--width", "80"),
]
COLOUR_IDS = ["show", "search", "authors", "stats"]


@pytest.mark.parametrize("args", COLOUR_COMMANDS, ids=COLOUR_IDS)
def test_a_terminal_gets_colour(terminal, args):
    assert "\x1b[" in invoke(*args).stdout


@pytest.mark.parametrize("args", COLOUR_COMMANDS, ids=COLOUR_IDS)
def test_no_color_turns_colour_off_on_a_terminal(terminal, args):
    result = invoke(*args, "--color", "auto", env={"NO_COLOR": "1"})
    assert result.exit_code == 0
    assert "\x1b" not in result.stdout


@pytest.mark.parametrize("args", COLOUR_COMMANDS, ids=COLOUR_IDS)
def test_term_dumb_turns_colour_off_on_a_terminal(terminal, args):
    result = invoke(*args, env={"TERM": "dumb"})
    assert result.exit_code == 0
    assert "\x1b" not in result.stdout


@pytest.mark.parametrize("args", COLOUR_COMMANDS, ids=COLOUR_IDS)
def test_color_never_wins_over_a_terminal_and_force_color(terminal, args):
    result = invoke(*args, "--color", "never", env={"FORCE_COLOR": "1"})
    assert result.exit_code == 0
    assert "\x1b" not in result.stdout


@pytest.mark.parametrize("args", COLOUR_COMMANDS, ids=COLOUR_IDS)
def test_force_color_colours_a_pipe(args):
    result = invoke(*args, env={"FORCE_COLOR": "1"})
    assert result.exit_code == 0
    assert "\x1b[" in result.stdout


def test_no_color_wins_over_force_color(terminal):
    result = invoke("show", SEED_ARG, "--no-pager", env={"NO_COLOR": "1", "FORCE_COLOR": "1"})
    assert "\x1b" not in result.stdout


def test_color_always_ignores_no_color_and_term_dumb():
    forced = stdout_of("show", SEED_ARG, "--color", "always", "--width", "80", env=SIXTEEN_COLOURS)
    assert stdout_of("show", SEED_ARG, "--color", "always", "--width", "80",
                     env={"NO_COLOR": "1", "TERM": "dumb", "COLORTERM": ""}) == forced
    assert "\x1b[1;35mLuis" in forced


@pytest.mark.parametrize("environ, system", [
    ({"TERM": "xterm", "COLORTERM": ""}, "standard"),
    ({"TERM": "dumb"}, "standard"),  # asked only once colour is wanted (--color always)
    ({}, "standard"),
    ({"TERM": "xterm-256color"}, "256"),
    ({"TERM": "screen-256color", "COLORTERM": ""}, "256"),
    ({"TERM": "xterm", "COLORTERM": "truecolor"}, "truecolor"),
    ({"TERM": "xterm-256color", "COLORTERM": "24bit"}, "truecolor"),
])
def test_the_terminal_says_how_many_colours_it_has(environ, system):
    from thread_cli.render import terminal_color_system

    assert terminal_color_system(environ) == system


def test_rich_and_plain_show_the_same_text():
    rich = stdout_of("show", SEED_ARG, "--format", "rich", "--color", "always", "--width", "80")
    plain = stdout_of("show", SEED_ARG, "--format", "plain", "--width", "80")
    without_codes = re.sub("\x1b\\]8;[^\x1b]*\x1b\\\\|\x1b\\[[0-9;]*m", "", rich)
    assert without_codes == plain


# ---------------------------------------------------------------- data formats


def test_every_jsonl_line_is_a_comment():
    lines = stdout_of("export", SEED_ARG, "--format", "jsonl").splitlines()
    assert len(lines) == 30
    records = [json.loads(line) for line in lines]
    assert [r["id"] for r in records[:4]] == ["1", "1.1", "2", "3"]
    assert all(r["source"] == SEED_ARG and "replies" not in r for r in records)
    # The contract's keys first, in order; later versions only add keys.
    assert list(records[0])[:8] == ["id", "parent", "depth", "number", "author", "avatar", "paragraphs", "line"]


COLUMNS = ["id", "parent", "depth", "number", "author", "avatar", "line", "text", "kind", "date", "datetime", "actions"]


def csv_rows(*args: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(stdout_of("export", *args, "--format", "csv"), newline="")))


def test_csv_parses_into_thirty_rows_of_twelve_columns():
    rows = csv_rows(SEED_ARG)
    assert rows[0] == COLUMNS
    assert len(rows) == 31
    assert all(len(row) == 12 for row in rows)
    by_id = {row[0]: row for row in rows[1:]}
    assert by_id["3.1.1.1.3"][:7] == ["3.1.1.1.3", "3.1.1.1", "5", "", "josephwouk", "Joseph Wouk", "100"]
    assert by_id["1"][:7] == ["1", "", "1", "1", "", "", "60"]
    assert by_id["1"][8:] == ["comment", "", "", ""]
    # Paragraphs are joined by a blank line, and a multi-line field survives the round trip.
    assert by_id["3.1.1.1.2"][7].startswith("Obama is not ”doing what he thinks is in America’s best interest”.\n\nObama is")


def test_csv_keeps_kinds_dates_and_actions():
    by_id = {row[0]: dict(zip(COLUMNS, row)) for row in csv_rows(MIXED_ARG)[1:]}
    assert {key: by_id["1"][key] for key in COLUMNS[8:]} == {
        "kind": "comment", "date": "September 6, 2013 at 3:24 pm", "datetime": "2013-09-06T15:24:00",
        "actions": "Reply",
    }
    assert by_id["1.1"]["actions"] == "Like|Reply"
    assert by_id["1.1.1"]["actions"] == "Liked by 3 people"
    assert (by_id["2"]["kind"], by_id["2"]["author"]) == ("pingback", "Weekly links | Some Blog")
    assert by_id["3.1"]["kind"] == "trackback"


def unescape_tsv(field: str) -> str:
    """PostgreSQL's text COPY format, read back."""
    return re.sub(r"\\(.)", lambda m: {"t": "\t", "r": "\r", "n": "\n", "\\": "\\"}[m.group(1)], field)


def test_tsv_is_one_record_per_line_and_holds_what_csv_holds():
    text = stdout_of("export", SEED_ARG, "--format", "tsv")
    assert "\r" not in text
    lines = text.split("\n")
    assert lines[-1] == "" and len(lines) == 32  # a header, 30 records, the final newline
    rows = [[unescape_tsv(field) for field in line.split("\t")] for line in lines[:-1]]
    assert rows == csv_rows(SEED_ARG)
    by_id = {line.split("\t")[0]: line.split("\t") for line in lines[1:-1]}
    assert by_id["3.1.1.1.2"][7].startswith("Obama is not ”doing what he thinks is in America’s best interest”.\\n\\nObama is")


def test_tsv_escapes_backslash_tab_cr_and_lf(tmp_path):
    dump = write_dump(tmp_path, "  1. A\\B Says:\n\n    tab\there, back\\slash \\n not a newline\r\n    next line\n")
    record = stdout_of("export", dump, "--format", "tsv").split("\n")[1].split("\t")
    assert record[4] == "A\\\\B"
    assert record[7] == "tab\\there, back\\\\slash \\\\n not a newline\\nnext line"
    assert unescape_tsv(record[7]) == "tab\there, back\\slash \\n not a newline\nnext line"


def test_duckdb_reads_the_csv_with_ids_as_text(tmp_path):
    duckdb = pytest.importorskip("duckdb", reason="duckdb is not installed (pip install duckdb): the README's recipe is untested")
    path = tmp_path / "thread.csv"
    # Two levels only: every id then looks like a number ("3.1"), which is what misleads type guessing.
    path.write_text(stdout_of("export", SEED_ARG, "--format", "csv", "--max-depth", "2"), encoding="utf-8", newline="")
    guessed = duckdb.read_csv(str(path))
    assert dict(zip(guessed.columns, guessed.types))["id"] == "DOUBLE"  # what the README warns of
    # The README's query, as written there:
    relation = duckdb.sql(f"SELECT * FROM read_csv('{path}', types={{'id': 'VARCHAR', 'parent': 'VARCHAR'}})")
    assert relation.columns == COLUMNS
    by_id = {row[0]: dict(zip(relation.columns, row)) for row in relation.fetchall()}
    assert list(by_id) == ["1", "1.1", "2", "3", "3.1", "4", "4.1", "5", "6", "6.1", "7", "8", "8.1", "9", "10",
                           "10.1", "11"]
    assert by_id["10.1"]["parent"] == "10"
    assert by_id["1"]["parent"] is None  # an empty field
    assert by_id["3"]["text"] == "Direct talks will allow Obama to show just how much more “flexible” he is now that he won a second term."


# ---------------------------------------------------------------- html

HOSTILE = """\
  1. Mallory's avatar <b>Mallory</b> Says:

    <script>alert(1)</script>
    <img src=x onerror=alert(2)> and a link: https://example.com/page?a=1&b="2"

    • Bob Says:

      Thanks &amp; bye javascript:alert(3) http://x.y/"onmouseover="alert(4)
"""


class Element:
    def __init__(self, tag: str, attrs: dict[str, str | None]):
        self.tag, self.attrs, self.children = tag, attrs, []

    @property
    def classes(self) -> list[str]:
        return (self.attrs.get("class") or "").split()

    def text(self) -> str:
        return "".join(child if isinstance(child, str) else child.text() for child in self.children)

    def iter(self):
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter()

    def find_all(self, tag: str | None = None, cls: str | None = None) -> list["Element"]:
        return [e for e in self.iter() if (tag is None or e.tag == tag) and (cls is None or cls in e.classes)]

    def child(self, cls: str) -> "Element":
        (found,) = [c for c in self.children if isinstance(c, Element) and cls in c.classes]
        return found


def parse_html(page: str) -> Element:
    """The page as a tree of Elements (html.parser: what a browser would see, without its repairs)."""
    from html.parser import HTMLParser

    void = {"meta", "br", "input", "img", "link"}
    root = Element("#document", {})
    stack = [root]

    class Builder(HTMLParser):
        def handle_starttag(self, tag, attrs):
            element = Element(tag, dict(attrs))
            stack[-1].children.append(element)
            if tag not in void:
                stack.append(element)

        def handle_endtag(self, tag):
            assert stack[-1].tag == tag, f"</{tag}> closes <{stack[-1].tag}>"
            stack.pop()

        def handle_data(self, data):
            stack[-1].children.append(data)

    Builder(convert_charrefs=True).feed(page)
    assert stack == [root], "unclosed elements"
    return root


def comment_tree(container: Element) -> list[tuple]:
    """(id, author, replies) of each comment element directly in ``container``."""
    result = []
    for element in container.children:
        if not isinstance(element, Element) or "comment" not in element.classes:
            continue
        head = element.children[0]
        author = head.find_all(cls="author") or head.find_all(cls="none")
        replies = comment_tree(element.child("replies")) if element.tag == "details" else []
        result.append((element.attrs["id"], author[0].text(), replies))
    return result


def model_tree(comments) -> list[tuple]:
    return [("c-" + c.id, c.author or "(no author)", model_tree(c.replies)) for c in comments]


def seed_thread():
    """The seed's thread (the one place these tests parse)."""
    from thread_cli.api import load

    return load(str(ROOT / SEED_ARG)).thread


def test_html_nests_the_seed_as_the_thread_does():
    document = parse_html(stdout_of("export", SEED_ARG, "--format", "html"))
    (section,) = document.find_all("section", "comments")
    assert comment_tree(section) == model_tree(seed_thread().comments)
    assert section.find_all("h2")[0].text() == "30 comments (the header declares 31)"


def test_html_folds_only_comments_with_replies_and_says_how_many_they_hide():
    document = parse_html(stdout_of("export", SEED_ARG, "--format", "html"))
    thread = seed_thread()
    folding = {e.attrs["id"]: e for e in document.find_all("details")}
    leaves = {e.attrs["id"]: e for e in document.find_all("div", "leaf")}
    assert set(folding) == {"c-" + c.id for c in thread.walk() if c.replies}
    assert set(leaves) == {"c-" + c.id for c in thread.walk() if not c.replies}
    assert all("open" in e.attrs and e.children[0].tag == "summary" for e in folding.values())
    assert not any(e.find_all("summary") for e in leaves.values())
    hidden = {key: e.children[0].find_all(cls="folded")[0].text() for key, e in folding.items()}
    assert hidden["c-3"] == "(10 replies hidden)"
    assert hidden["c-3.1.1.1"] == "(7 replies hidden)"
    assert hidden["c-1"] == "(1 reply hidden)"
    assert all(e.find_all("a", "id")[0].attrs["href"] == "#" + key for key, e in {**folding, **leaves}.items())


def test_html_fold_controls_and_the_script_the_page_allows():
    import base64
    import hashlib

    document = parse_html(stdout_of("export", SEED_ARG, "--format", "html"))
    (controls,) = document.find_all("p", "controls")
    assert "hidden" in controls.attrs  # shown by the script: without it they could do nothing
    assert [(b.attrs["value"], b.text()) for b in controls.find_all("button")] == [("fold", "Fold all"),
                                                                                   ("unfold", "Unfold all")]
    (script,) = document.find_all("script")
    (policy,) = [m.attrs["content"] for m in document.find_all("meta") if m.attrs.get("http-equiv")]
    digest = base64.b64encode(hashlib.sha256(script.text().encode()).digest()).decode()
    assert policy == f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{digest}'"


def test_html_has_no_controls_when_nothing_folds(tmp_path):
    page = stdout_of("export", write_dump(tmp_path, "  1. Ann Says:\n\n    Alone.\n"), "--format", "html")
    assert parse_html(page).find_all(cls="controls") == []


def test_html_escapes_user_text(tmp_path):
    page = stdout_of("export", write_dump(tmp_path, HOSTILE, title="Title <i>x</i>"), "--format", "html")
    document = parse_html(page)
    # Only the page's own elements: none from the comments.
    assert not document.find_all("b") and not document.find_all("i") and not document.find_all("img")
    assert len(document.find_all("script")) == 1
    assert document.find_all("h1")[0].text() == document.find_all("title")[0].text() == "Title <i>x</i>"
    first, reply = document.find_all(cls="body")
    assert first.text() == (
        "\n<script>alert(1)</script>\n"
        "<img src=x onerror=alert(2)> and a link: https://example.com/page?a=1&b=\"2\"\n"
    )
    assert reply.text() == "\nThanks &amp; bye javascript:alert(3) http://x.y/\"onmouseover=\"alert(4)\n"
    assert document.find_all(cls="author")[0].text() == "<b>Mallory</b>"
    # The links: http(s) only, ending where the URL does, and marked as the reader's own.
    links = [(a.attrs, a.text()) for a in document.find_all("a") if "id" not in a.classes]
    assert links == [
        ({"href": "https://example.com/page?a=1&b=", "rel": "nofollow noopener"}, "https://example.com/page?a=1&b="),
        ({"href": "http://x.y/", "rel": "nofollow noopener"}, "http://x.y/"),
    ]
    assert '<a href="https://example.com/page?a=1&amp;b=" rel="nofollow noopener">' in page


@pytest.mark.parametrize("which", ["seed", "hostile"])
def test_html_has_no_external_assets(tmp_path, which):
    source = SEED_ARG if which == "seed" else write_dump(tmp_path, HOSTILE)
    page = stdout_of("export", source, "--format", "html")
    document = parse_html(page)
    elements = list(document.iter())
    assert not [e.tag for e in elements if e.tag in ("img", "link", "iframe", "object", "embed", "base", "form")]
    assert not [e.attrs for e in elements if "src" in e.attrs or "style" in e.attrs or "srcset" in e.attrs]
    assert not [name for e in elements for name in e.attrs if name.startswith("on")]
    (style,) = document.find_all("style")
    assert "url(" not in style.text() and "@import" not in style.text()
    # Links are the reader's to follow, not assets: each names its URL and is nofollow.
    for link in document.find_all("a"):
        if "id" not in link.classes:
            assert re.fullmatch(r"https?://\S+", link.attrs["href"]) and link.text() == link.attrs["href"]
            assert link.attrs["rel"] == "nofollow noopener"
    if which == "seed":  # the URL in comment 9
        url = "http://www.ncr-iran.org/fr/actualites/terrorisme-a-integrisme/46-list-of-terrorist-attacks-abroad"
        assert f'<p><a href="{url}" rel="nofollow noopener">{url}</a></p>' in page


def test_the_html_export_loads_neither_the_terminal_view_nor_rich():
    # The author colours and the link pattern it shares with the view live in styles.py.
    code = "import sys, thread_cli.formats.html; print('thread_cli.layout' in sys.modules, 'rich' in sys.modules)"
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            cwd=ROOT).stdout
    assert output == "False False\n"


def test_html_shows_the_avatar_only_when_it_differs(tmp_path):
    dump = write_dump(tmp_path, "  1. ann's avatar Ann Says:\n\n    Hi.\n\n  2. Zed's avatar Bob Says:\n\n    Yo.\n")
    document = parse_html(stdout_of("export", dump, "--format", "html"))
    assert [e.text() for e in document.find_all(cls="avatar")] == ["(avatar: Zed)"]
    assert [e.text() for e in document.find_all(cls="head")] == ["1 Ann", "2 Bob (avatar: Zed)"]


# ---------------------------------------------------------------- markdown

MARKDOWN_DUMP = """\
  1. Ann Says:

    # not a heading
    [x](javascript:alert(1)) and <img src=x>

    • Bob Says:

      - not a list item
      1. nor this

      • Cy Says:

        **loud** _quiet_ `code`

  2. Dee Says:

    Last.
"""


def test_markdown_nests_replies_and_escapes_user_text(tmp_path):
    text = stdout_of("export", write_dump(tmp_path, MARKDOWN_DUMP), "--format", "markdown")
    assert text.split("## Comments (4)\n\n", 1)[1] == (
        "- `1` **Ann**\n"
        "\n"
        "  \\# not a heading\\\n"
        "  \\[x](javascript:alert(1)) and \\<img src=x>\n"
        "\n"
        "  - `1.1` **Bob**\n"
        "\n"
        "    \\- not a list item\\\n"
        "    1\\. nor this\n"
        "\n"
        "    - `1.1.1` **Cy**\n"
        "\n"
        "      \\*\\*loud\\*\\* \\_quiet\\_ \\`code\\`\n"
        "\n"
        "- `2` **Dee**\n"
        "\n"
        "  Last.\n"
        "\n"
    )


def markdown_parser():
    markdown_it = pytest.importorskip("markdown_it")
    # CommonMark plus GitHub's tables and strikethrough: what a reader of the file on GitHub sees.
    return markdown_it.MarkdownIt("commonmark").enable(["table", "strikethrough"])


def test_markdown_renders_without_headings_links_or_html(tmp_path):
    text = stdout_of("export", write_dump(tmp_path, MARKDOWN_DUMP), "--format", "markdown")
    tokens = markdown_parser().parse(text)
    kinds = {token.type for token in tokens} | {child.type for token in tokens for child in token.children or []}
    assert kinds & {"link_open", "image", "html_inline", "html_block", "em_open", "s_open", "fence", "code_block",
                    "blockquote_open", "table_open", "ordered_list_open", "hr"} == set()
    headings = [tokens[i + 1].content for i, token in enumerate(tokens) if token.type == "heading_open"]
    assert headings == ["A title", "Comments (4)"]
    # Each comment's text comes out as written: every escape is undone by the reader.
    paragraphs = [tokens[i + 1] for i, token in enumerate(tokens) if token.type == "paragraph_open"]
    shown = ["".join(child.content if child.type != "hardbreak" else "\n" for child in p.children) for p in paragraphs]
    assert shown == [
        "The article.",
        "1 Ann", "# not a heading\n[x](javascript:alert(1)) and <img src=x>",
        "1.1 Bob", "- not a list item\n1. nor this",
        "1.1.1 Cy", "**loud** _quiet_ `code`",
        "2 Dee", "Last.",
    ]


def test_markdown_nesting_is_the_thread_nesting():
    """The items of the parsed seed: each reply a list item inside its parent's item."""
    tokens = markdown_parser().parse(stdout_of("export", SEED_ARG, "--format", "markdown"))
    depth, ids = 0, []
    for token in tokens:
        depth += {"bullet_list_open": 1, "bullet_list_close": -1}.get(token.type, 0)
        if token.type == "inline" and token.children and token.children[0].type == "code_inline":
            ids.append((token.children[0].content, depth))
    assert ids == [(c.id, c.depth) for c in seed_thread().walk()]
    heads = [token.children for token in tokens
             if token.type == "inline" and token.children and token.children[0].type == "code_inline"]
    authors = [children[3].content for children in heads if children[2].type == "strong_open"]
    assert authors == [c.author for c in seed_thread().walk() if c.author]


MARKUP = ["\\", "`", "*", "_", "~", "[", "]", "(", ")", "<", ">", "&", "#", "+", "-", "=", "|", "!", ":", ".", "1",
          "a", "b", " ", "é", "amp;", "http://x.y", "<b>", "&#65;", "```", "---", "1. ", "- ", "> ", "# "]


@settings(max_examples=600, deadline=None, derandomize=True)
@given(line=st.lists(st.sampled_from(MARKUP), max_size=12).map("".join))
def test_escaped_markdown_reads_back_as_the_same_text(line):
    """Whatever a line holds, the reader sees that text in one plain paragraph: no markup."""
    from thread_cli.formats.markdown import escape

    text = line.strip(" ")
    assume(text)
    tokens = markdown_parser().parse(escape(text) + "\n")
    assert [token.type for token in tokens] == ["paragraph_open", "inline", "paragraph_close"], escape(text)
    children = tokens[1].children
    assert [child.type for child in children] == ["text"] * len(children), escape(text)
    assert "".join(child.content for child in children) == text


@pytest.mark.parametrize("text, escaped", [
    ("(IAEA) reports on P5+1 talks. Thanks!", "(IAEA) reports on P5+1 talks. Thanks!"),
    ("a snake_case name, 3 > 2, <3, a & b, 50% off, C# and F#", "a snake_case name, 3 > 2, <3, a & b, 50% off, C# and F#"),
    ("_emphasis_ *strong* `code` ~~gone~~", "\\_emphasis\\_ \\*strong\\* \\`code\\` \\~\\~gone\\~\\~"),
    ("[a link](http://x.y) ![an image](x.png)", "\\[a link](http://x.y) !\\[an image](x.png)"),
    ("<b>bold</b> <!-- c --> &amp;", "\\<b>bold\\</b> \\<!-- c --> \\&amp;"),
    ("# heading", "\\# heading"), ("#hashtag", "#hashtag"),
    ("- item", "\\- item"), ("-5 degrees", "-5 degrees"), ("+ item", "\\+ item"), ("+1", "+1"),
    ("1. item", "1\\. item"), ("2013) was", "2013\\) was"), ("1.5 times", "1.5 times"),
    ("> quote", "\\> quote"), ("---", "\\---"), ("===", "\\==="),
    ("| a | b |", "| a | b |"), ("|---|---|", "\\|---\\|---\\|"),
    ("a \\ b", "a \\ b"), ("a \\* b", "a \\\\\\* b"), ("ends \\", "ends \\\\"),
])
def test_markdown_escapes_only_where_markdown_would_act(text, escaped):
    from thread_cli.formats.markdown import escape

    assert escape(text) == escaped


def test_markdown_of_the_seed_indents_each_reply_under_its_parent():
    text = stdout_of("export", SEED_ARG, "--format", "markdown")
    items = re.findall(r"^( *)- `([\d.]+)`", text, re.M)
    assert len(items) == 30
    assert all(len(pad) == 2 * (ident.count(".")) for pad, ident in items)


# ---------------------------------------------------------------- dates and pingbacks

MIXED_ARG = "seeds/wordpress-mixed-layouts.txt"


def test_markdown_and_html_show_dates_and_pingbacks():
    markdown = stdout_of("export", MIXED_ARG, "--format", "markdown")
    assert "- `1` **Ana** · September 6, 2013 at 3:24 pm\n" in markdown
    assert "- `2` *Pingback:* **Weekly links | Some Blog**\n" in markdown
    assert "  - `3.1` *Trackback:* **Hosting roundup**\n" in markdown
    page = stdout_of("export", MIXED_ARG, "--format", "html")
    assert '<time class="date" datetime="2013-09-06T15:24:00">September 6, 2013 at 3:24 pm</time>' in page
    assert '<time class="date" datetime="2013-09-10">September 10, 2013</time>' in page
    assert '<span class="kind">Pingback:</span> <span class="author a' in page


@pytest.mark.parametrize(("command", "fmt"), [("authors", "csv"), ("authors", "json"), ("stats", "json")])
def test_data_formats_of_the_tables_are_sanitised_on_a_terminal_only(terminal, tmp_path, command, fmt):
    dump = tmp_path / "evil.txt"
    # ESC … BEL sets a terminal's title; U+009B (CSI) starts a sequence, and JSON leaves it as it is
    dump.write_text("T\n\n1 Comment\n\n  1. An\x1b]0;PWN\x07a\u009b says:\n\n    Hi.\n", encoding="utf-8")
    shown = invoke(command, str(dump), "--format", fmt).stdout
    assert "\x1b" not in shown and "\x07" not in shown and "\u009b" not in shown
    # csv shows the characters; json has escaped them already
    assert ("An^[]0;PWN^Ga" if fmt == "csv" else "An\\u001b]0;PWN\\u0007a") in shown


def test_a_file_name_with_a_line_break_stays_on_its_line_in_tables(tmp_path):
    for name in ("a\nFAKE.txt", "b.txt"):
        (tmp_path / name).write_text("T\n\n1 Comment\n\n  1. Ann says:\n\n    Hi.\n", encoding="utf-8")
    lines = invoke("authors", str(tmp_path / "a\nFAKE.txt"), str(tmp_path / "b.txt"), "--jobs", "1").stdout.splitlines()
    assert len(lines) == 2 and "a^JFAKE.txt" in lines[1]


def test_a_corpus_csv_on_a_terminal_ends_its_lines_plainly(terminal, tmp_path):
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text("T\n\n1 Comment\n\n  1. Ann says:\n\n    Hi.\n", encoding="utf-8")
    shown = invoke("export", str(tmp_path), "--format", "csv", "--jobs", "1").stdout
    assert "^M" not in shown and "\r" not in shown
    assert shown.splitlines()[0].startswith("source,id,parent") and len(shown.splitlines()) == 3
