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

import pytest

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


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_golden(name):
    check_golden(name, stdout_of(*GOLDEN[name]))


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
    forced = stdout_of("show", SEED_ARG, "--color", "always", "--width", "80")
    assert stdout_of("show", SEED_ARG, "--color", "always", "--width", "80",
                     env={"NO_COLOR": "1", "TERM": "dumb"}) == forced
    assert "\x1b[1;35mLuis" in forced


def test_forced_colour_is_the_same_whatever_the_terminal_type():
    # The palette is the 16 standard colours, so the bytes do not depend on TERM or COLORTERM.
    plain_term = stdout_of("show", SEED_ARG, "-f", "rich", "--color", "always", "--width", "80",
                           env={"TERM": "xterm", "COLORTERM": ""})
    truecolor = stdout_of("show", SEED_ARG, "-f", "rich", "--color", "always", "--width", "80",
                          env={"TERM": "xterm-256color", "COLORTERM": "truecolor"})
    assert plain_term == truecolor


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


@pytest.mark.parametrize("fmt, delimiter", [("csv", ","), ("tsv", "\t")])
def test_delimited_exports_parse_into_thirty_rows(fmt, delimiter):
    text = stdout_of("export", SEED_ARG, "--format", fmt)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    assert rows[0] == ["id", "parent", "depth", "number", "author", "avatar", "line", "text"]
    assert len(rows) == 31
    assert all(len(row) == 8 for row in rows)
    by_id = {row[0]: row for row in rows[1:]}
    assert by_id["3.1.1.1.3"][:7] == ["3.1.1.1.3", "3.1.1.1", "5", "", "josephwouk", "Joseph Wouk", "100"]
    assert by_id["1"][:7] == ["1", "", "1", "1", "", "", "60"]
    # Paragraphs are joined by a blank line, and a multi-line field survives the round trip.
    assert by_id["3.1.1.1.2"][7].startswith("Obama is not ”doing what he thinks is in America’s best interest”.\n\nObama is")


# ---------------------------------------------------------------- html

HOSTILE = """\
  1. Mallory's avatar <b>Mallory</b> Says:

    <script>alert(1)</script>
    <img src=x onerror=alert(2)> and a link: https://example.com/page

    • Bob Says:

      Thanks &amp; bye
"""


def test_html_escapes_user_text(tmp_path):
    page = stdout_of("export", write_dump(tmp_path, HOSTILE, title="Title <i>x</i>"), "--format", "html")
    assert "<script>" not in page and "<b>" not in page and "<img" not in page and "<i>" not in page
    assert "<p>&lt;script&gt;alert(1)&lt;/script&gt;<br>\n" in page
    assert "&lt;img src=x onerror=alert(2)&gt; and a link: https://example.com/page</p>" in page
    assert "&lt;b&gt;Mallory&lt;/b&gt;</span>" in page
    assert "<h1>Title &lt;i&gt;x&lt;/i&gt;</h1>" in page
    assert "<title>Title &lt;i&gt;x&lt;/i&gt;</title>" in page
    assert "Thanks &amp;amp; bye" in page


@pytest.mark.parametrize("which", ["seed", "hostile"])
def test_html_has_no_external_assets(tmp_path, which):
    source = SEED_ARG if which == "seed" else write_dump(tmp_path, HOSTILE)
    page = stdout_of("export", source, "--format", "html")
    assert re.search(r"""(?i)\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page) is None
    assert re.search(r"(?i)<(?:script|link|img|iframe|object|embed)\b|@import|url\(", page) is None
    if which == "seed":  # the URL in comment 9 is there, as text
        assert "<p>http://www.ncr-iran.org/fr/actualites/terrorisme-a-integrisme/46-list-of-terrorist-attacks-abroad</p>" in page


def test_html_nests_replies_inside_their_parent(tmp_path):
    page = stdout_of("export", write_dump(tmp_path, HOSTILE), "--format", "html")
    outer = page.index('<details open id="c-1">')
    inner = page.index('<details open id="c-1.1">')
    assert outer < inner < page.index("</div></details>\n</div></details>\n</section>")


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
        "  \\[x\\]\\(javascript:alert\\(1\\)\\) and \\<img src=x\\>\n"
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


def test_markdown_renders_without_headings_links_or_html(tmp_path):
    markdown_it = pytest.importorskip("markdown_it")
    text = stdout_of("export", write_dump(tmp_path, MARKDOWN_DUMP), "--format", "markdown")
    page = markdown_it.MarkdownIt("commonmark").render(text)
    assert page.count("<h1>") == 1 and page.count("<h2>") == 1  # the title and "Comments"
    assert "<a " not in page and "<img" not in page and "<strong>loud" not in page and "<em>" not in page
    assert "# not a heading<br />" in page
    assert "[x](javascript:alert(1)) and &lt;img src=x&gt;" in page
    assert "<p>- not a list item<br />\n1. nor this</p>" in page
    # Nesting: Cy's list sits inside Bob's item, which sits inside Ann's.
    assert re.search(r"<li>\s*<p><code>1</code>.*?<ul>\s*<li>\s*<p><code>1\.1</code>.*?<ul>\s*<li>\s*<p><code>1\.1\.1</code>",
                     page, re.S)


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
    assert "- `2` *Pingback:* **Weekly links \\| Some Blog**\n" in markdown
    assert "  - `3.1` *Trackback:* **Hosting roundup**\n" in markdown
    page = stdout_of("export", MIXED_ARG, "--format", "html")
    assert '<time class="date" datetime="2013-09-06T15:24:00">September 6, 2013 at 3:24 pm</time>' in page
    assert '<time class="date" datetime="2013-09-10">September 10, 2013</time>' in page
    assert '<span class="kind">Pingback:</span> <span class="author a' in page
