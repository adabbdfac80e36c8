"""Hostile and broken input (issue 4): one table, exact output and exit codes.

Each row writes a dump to a file, runs the CLI through Click's CliRunner and
compares stdout, stderr and the exit code exactly. In the expected texts
``{f}`` stands for the file's path and ``{d}`` for its folder.

Terminal rows use ``show FILE --format plain --width 80 --no-article`` (the
``SHOW`` arguments below). Every ``show`` row is run a second time with
``--color always`` (see ``test_colour_output_has_no_escape_from_user_text``),
where the rule is:

* every ESC in the output starts either an SGR sequence ``ESC [ digits/; m``
  or an OSC 8 hyperlink ``ESC ] 8 ; params ; URI ESC \\`` that Rich writes for
  the URLs the view itself detects (layout.py); the URI of such a link
  contains only printable characters (no controls, no format characters);
* with those sequences removed, the output is exactly the plain output, so
  nothing else (no byte of user text) differs between the two.

Rows that document a bug are ``pytest.param(..., marks=xfail(strict=True))``
and state the expected (specified) behaviour.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import pytest

from conftest import SEED, invoke

SHOW = ("show", "{f}", "--format", "plain", "--width", "80", "--no-article")
STRICT = SHOW + ("--strict",)  # the first problem stops the command (the default repairs it)


def one_comment(body: str, author: str = "Ann") -> str:
    """A minimal dump: a title and one comment by ``author`` whose body is ``body``."""
    return f"Title\n\n  1. {author} Says:\n\n    {body}\n"


def shown(body: str, author: str = "Ann") -> str:
    """What SHOW prints for ``one_comment(body, author)`` (both already sanitised)."""
    return f"1 comment\n\n1  {author}\n   {body}\n\n"


# A small well-formed thread, written with different line endings and encodings.
THREAD = "Title\n\n  1. Ann Says:\n\n    hi\n    there\n\n    • Bob Says:\n\n      yo\n"
THREAD_SHOWN = "2 comments\n\n1  Ann\n│  hi\n│  there\n│\n└─ 1.1  Bob\n      yo\n\n"

JUMP = "Title\n\n  1. Ann Says:\n\n    hi\n\n        • Bob Says:\n\n          yo\n"
JUMP_ERROR_7 = (
    "error: {f}:7:9: unexpected indentation (deeper than the tree allows here); "
    "expected text, a reply marker ('• NAME Says:') or a less indented line\n"
    "     7 |         • Bob Says:\n"
    "       |         ^\n"
    "  hint: a reply's marker sits two columns right of its parent's marker, and a comment's text "
    "two columns right of its own marker; this line jumps further\n"
)
JUMP_ERROR_9 = (
    "error: {f}:9:11: unexpected indentation (deeper than the tree allows here); "
    "expected a reply marker ('• NAME Says:'), a more indented line or a less indented line\n"
    "     9 |           yo\n"
    "       |           ^\n"
    "  hint: a reply's marker sits two columns right of its parent's marker, and a comment's text "
    "two columns right of its own marker; this line jumps further\n"
)
REPLY_SHOWN = "2 comments\n\n1  Ann\n│  hi\n│\n└─ 1.1  Bob\n      yo\n\n"

ODD = "Title\n\n  1. Ann Says:\n\n   hi\n"
ODD_ERROR = (
    "error: {f}:5:4: indentation of 3 spaces is not a multiple of 2\n"
    "     5 |    hi\n"
    "       |    ^\n"
    "  hint: each level of the comment tree is indented two spaces\n"
)

TAB = "Title\n\n  1. Ann Says:\n\n    hi\n\n\t\t• Bob Says:\n\n      yo\n"
TAB_ERROR = (
    "error: {f}:7:1: tab in indentation\n"
    "     7 |   • Bob Says:\n"
    "       | ^\n"
    "  hint: indentation is made of spaces, two per level; expand tabs first (expand -t 2)\n"
)

DUPLICATE = "Title\n\n  1. Ann Says:\n\n    hi\n\n  1. Bob Says:\n\n    yo\n"
DUPLICATE_ERROR = (
    "error: {f}:7:3: comment number 1 appears twice (first on line 3)\n"
    "     7 |   1. Bob Says:\n"
    "       |   ^\n"
    "  hint: ids are built from the numbers, so each top-level number must be unique\n"
)

AFTER_FOOTER = "Title\n\n  1. Ann Says:\n\n    hi\n\nLeave a Reply\n    stray\n"
AFTER_FOOTER_ERROR = (
    "error: {f}:8:5: unexpected text; expected a footer line at column 1 or the end of the input\n"
    "     8 |     stray\n"
    "       |     ^\n"
    "  hint: only lines at column 1 may follow the footer\n"
)

EMPTY_ERROR = (
    "error: {f}:1:1: unexpected end of input; expected a title line\n"
    "  hint: the input is empty; a dump starts with the article's title\n"
)

INVALID_UTF8 = THREAD.encode().replace(b"hi", b"h\xffi")
INVALID_UTF8_SHOWN = THREAD_SHOWN.replace("hi", "h\ufffdi")

FLAG = "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f"  # Scotland
FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"
SCRIPTS = "مرحبا بالعالم שלום עולם 你好，世界 こんにちは 안녕하세요"


@dataclass
class Row:
    data: bytes | str | None  # None: no file is written
    args: tuple[str, ...]
    exit_code: int
    stdout: str = ""
    stderr: str = ""
    name: str = "in.txt"
    env: dict = field(default_factory=dict)


def _as_warnings(errors: str) -> str:
    """The same problems as --lenient reports them: as warnings, with their repairs."""
    return errors.replace("error: {f}", "warning: {f}")


ROWS = [
    # ---- escape sequences and control characters in user text: shown, never emitted
    pytest.param(Row(one_comment("a\x1b[31mred\x1b[0m b\x1b[2J\x1b[H"), SHOW, 0,
                     shown("a^[[31mred^[[0m b^[[2J^[[H")), id="esc-csi-colour-and-clear-screen"),
    pytest.param(Row(one_comment("x\x1b]0;pwned\x07y"), SHOW, 0, shown("x^[]0;pwned^Gy")), id="osc-0-window-title"),
    pytest.param(Row(one_comment("\x1b]8;;http://evil.example/\x1b\\click me\x1b]8;;\x1b\\"), SHOW, 0,
                     shown("^[]8;;http://evil.example/^[\\click me^[]8;;^[\\")), id="osc-8-hyperlink"),
    pytest.param(Row(one_comment("copy\x1b]52;c;cm0gLXJmIH4K\x07"), SHOW, 0, shown("copy^[]52;c;cm0gLXJmIH4K^G")),
                 id="osc-52-clipboard-write"),
    pytest.param(Row(one_comment("\x1bP1$r0m\x1b\\dcs"), SHOW, 0, shown("^[P1$r0m^[\\dcs")), id="dcs"),
    pytest.param(Row(one_comment("\x1b_payload\x1b\\apc"), SHOW, 0, shown("^[_payload^[\\apc")), id="apc"),
    pytest.param(Row(one_comment("a\u009b31mb\u009d0;t\u009cc"), SHOW, 0, shown("a\\x9b31mb\\x9d0;t\\x9cc")),
                 id="c1-csi-osc-st"),
    pytest.param(Row(one_comment("a\x7fb"), SHOW, 0, shown("a^?b")), id="del"),
    pytest.param(Row(one_comment("a\x00b"), SHOW, 0, shown("a^@b")), id="nul"),
    pytest.param(Row(one_comment("ding\x07"), SHOW, 0, shown("ding^G")), id="bel"),
    pytest.param(Row(one_comment("secret\x08\x08\x08\x08\x08\x08public"), SHOW, 0,
                     shown("secret^H^H^H^H^H^Hpublic")), id="backspace"),
    pytest.param(Row(one_comment("vt\x0bff\x0cend"), SHOW, 0, shown("vt^Kff^Lend")), id="vt-and-form-feed"),
    # ---- line endings, BOM, encoding: the same model as LF
    pytest.param(Row(THREAD, SHOW, 0, THREAD_SHOWN), id="lf-reference"),
    pytest.param(Row(THREAD.replace("\n", "\r"), SHOW, 0, THREAD_SHOWN), id="cr-only-endings"),
    pytest.param(Row(THREAD.replace("\n", "\r\n"), SHOW, 0, THREAD_SHOWN), id="crlf-endings"),
    pytest.param(Row("Title\r\n\n  1. Ann Says:\r\r\n    hi\n    there\r\n\n    • Bob Says:\r\n\r      yo", SHOW, 0,
                     THREAD_SHOWN), id="mixed-endings-no-final-newline"),
    pytest.param(Row(b"\xef\xbb\xbf" + THREAD.encode(), SHOW, 0, THREAD_SHOWN), id="utf8-bom"),
    pytest.param(Row(b"\xef\xbb\xbf" + THREAD.replace("\n", "\r\n").encode(), SHOW, 0, THREAD_SHOWN),
                 id="utf8-bom-and-crlf"),
    pytest.param(Row(INVALID_UTF8, SHOW, 0, INVALID_UTF8_SHOWN,
                     "warning: {f}:5:6: invalid UTF-8 at byte offset 28\n     5 |     h\ufffdi\n       |      ^\n"
                     "  repaired: replaced with U+FFFD\n"),
                 id="invalid-utf8-warns-with-byte-offset"),
    pytest.param(Row(INVALID_UTF8.replace(b"yo", b"y\xc3o"), SHOW, 0,
                     INVALID_UTF8_SHOWN.replace("yo", "y\ufffdo"),
                     "warning: {f}:5:6: invalid UTF-8 at byte offset 28 and 1 more place(s)\n     5 |     h\ufffdi\n"
                     "       |      ^\n  repaired: replaced with U+FFFD\n"),
                 id="invalid-utf8-twice"),
    pytest.param(Row(INVALID_UTF8, SHOW + ("--strict",), 65, "",
                     "error: {f}:5:6: invalid UTF-8 at byte offset 28\n     5 |     h\ufffdi\n       |      ^\n"
                     "  hint: the file is not UTF-8; convert it (iconv -f LATIN1 -t UTF-8) or drop --strict\n"),
                 id="invalid-utf8-strict-exits-65"),
    pytest.param(Row(INVALID_UTF8, ("check", "--strict", "{f}"), 65,
                     "error: {f}:5:6: invalid UTF-8 at byte offset 28\n     5 |     h\ufffdi\n       |      ^\n"
                     "  hint: the file is not UTF-8; convert it (iconv -f LATIN1 -t UTF-8) or drop --strict\n"
                     "{f}: 1 problem\n"),
                 id="invalid-utf8-check-strict"),
    pytest.param(Row(one_comment("a\x00b\x0cc\x1b[1m"), ("export", "{f}", "--format", "jsonl"), 0,
                     '{"id":"1","parent":null,"depth":1,"number":1,"author":"Ann","avatar":null,'
                     '"paragraphs":["a\\u0000b\\fc\\u001b[1m"],"line":3,"kind":"comment","date":null,'
                     '"datetime":null,"actions":[],"source":"{f}"}\n'),
                 id="nul-ff-esc-survive-into-json"),
    pytest.param(Row(one_comment("a\x00b\x1b[1m\u202e", "E\x1b[5mve"), ("export", "{f}", "--format", "csv"), 0,
                     "id,parent,depth,number,author,avatar,line,text,kind,date,datetime,actions\r\n"
                     "1,,1,1,E\x1b[5mve,,3,a\x00b\x1b[1m\u202e,comment,,,\r\n"),
                 id="csv-keeps-exact-characters"),
    # ---- bidi, invisible characters: visible markers
    pytest.param(Row(one_comment("hi", "Ann\u202eevil\u202c"), SHOW, 0, shown("hi", "Ann<U+202E>evil<U+202C>")),
                 id="bidi-override-in-author-name"),
    pytest.param(Row(one_comment("a\u2066b\u2067c\u2068d\u2069e\u202a\u202b\u202d"), SHOW, 0,
                     shown("a<U+2066>b<U+2067>c<U+2068>d<U+2069>e<U+202A><U+202B><U+202D>")),
                 id="bidi-isolates-and-embeddings"),
    pytest.param(Row(one_comment("pay\u200bpal"), SHOW, 0, shown("pay<U+200B>pal")), id="zero-width-space"),
    pytest.param(Row(one_comment("hi\U000e0069\U000e0067\U000e006e"), SHOW, 0,
                     shown("hi<U+E0069><U+E0067><U+E006E>")), id="tag-characters"),
    # Found by this table: a tag right after a black flag that was not a valid flag sequence was let through raw
    # (sanitize._UNSAFE's look-behind); fixed upstream in de2aa84.
    pytest.param(Row(one_comment(f"\U0001f3f4\U000e0069\U000e0067\U000e006e x {FLAG}\U000e0041"), SHOW, 0,
                     shown(f"\U0001f3f4<U+E0069><U+E0067><U+E006E> x {FLAG}<U+E0041>")),
                 id="tag-characters-after-black-flag"),
    # ---- emoji, scripts, markup: untouched / literal
    pytest.param(Row(one_comment(f"{FAMILY} {FLAG} 👍🏽 🇺🇸"), SHOW, 0, shown(f"{FAMILY} {FLAG} 👍🏽 🇺🇸")),
                 id="emoji-zwj-family-and-flags-untouched"),
    pytest.param(Row(one_comment(SCRIPTS, "محمد"), SHOW, 0, shown(SCRIPTS, "محمد")),
                 id="arabic-hebrew-cjk-untouched"),
    pytest.param(Row(one_comment("[bold red]x[/] [link=http://evil]y[/link] :smile: [/]", "[b]Eve[/b]"), SHOW, 0,
                     shown("[bold red]x[/] [link=http://evil]y[/link] :smile: [/]", "[b]Eve[/b]")),
                 id="rich-markup-printed-literally"),
    pytest.param(Row("T\x1b]0;title\x07\n\nArticle \x1b[2J text.\n\n  1. Ann Says:\n\n    hi\n",
                     ("show", "{f}", "--format", "plain", "--width", "80"), 0,
                     "T^[]0;title^G\n═════════════\n\nArticle ^[[2J text.\n\n1 comment\n\n1  Ann\n   hi\n\n"),
                 id="title-and-article-sanitised"),
    # ---- hostile names and echoed patterns
    pytest.param(Row(ODD, ("show", "{f}", "--strict"), 65, "", ODD_ERROR, name="evil\x1b]0;pwn\x07\u202e.txt"),
                 id="hostile-file-name-in-error"),
    pytest.param(Row(None, ("show", "{f}"), 66, "", "error: {f}: no such file\n", name="gone\x1b[31m.txt"),
                 id="hostile-missing-file-name"),
    pytest.param(Row(THREAD, ("search", "-l", "yo", "{f}", "{f}"), 0, "{f}\n{f}\n", name="l\x1b[2Js\u202e.txt"),
                 id="hostile-file-name-in-search-listing"),
    # Found by this table: the pattern was echoed with repr() (ESC as \x1b, backslashes doubled), not through
    # sanitize(); fixed upstream in 89d12ca.
    pytest.param(Row(THREAD, ("search", "--regex", "(\x1b]0;x\x07\\d", "{f}"), 2, "",
                     "error: invalid regular expression '(^[]0;x^G\\d': missing ), unterminated subpattern at "
                     "position 0\n"),
                 id="search-regex-error-echoes-pattern-sanitised"),
    pytest.param(Row(THREAD, ("search", "zz\x1b]0;x\x07", "{f}"), 1, "", ""), id="search-no-match-exits-1"),
    # ---- structural errors: strict, --lenient, check
    pytest.param(Row(JUMP, STRICT, 65, "", JUMP_ERROR_7), id="reply-jumps-levels"),
    pytest.param(Row(JUMP, SHOW + ("--lenient",), 0, REPLY_SHOWN,
                     _as_warnings(JUMP_ERROR_7 + "  repaired: read as a comment at depth 2\n"
                                  + JUMP_ERROR_9 + "  repaired: read as text at column 7\n")),
                 id="reply-jumps-levels-lenient"),
    pytest.param(Row(JUMP, ("check", "{f}"), 65,
                     JUMP_ERROR_7 + "  repaired: read as a comment at depth 2\n"
                     + JUMP_ERROR_9 + "  repaired: read as text at column 7\n{f}: 2 problems\n"),
                 id="reply-jumps-levels-check"),
    pytest.param(Row(ODD, STRICT, 65, "", ODD_ERROR), id="odd-indentation"),
    pytest.param(Row(ODD, SHOW + ("--lenient",), 0, shown("hi"),
                     _as_warnings(ODD_ERROR + "  repaired: read as 4 spaces\n")),
                 id="odd-indentation-lenient"),
    pytest.param(Row(ODD, ("check", "{f}"), 65,
                     ODD_ERROR + "  repaired: read as 4 spaces\n{f}: 1 problem\n"), id="odd-indentation-check"),
    pytest.param(Row(TAB, STRICT, 65, "", TAB_ERROR), id="tab-in-indentation"),
    pytest.param(Row(TAB, SHOW + ("--lenient",), 0, REPLY_SHOWN,
                     _as_warnings(TAB_ERROR + "  repaired: each tab read as one level (two spaces)\n")),
                 id="tab-in-indentation-lenient"),
    pytest.param(Row(TAB, ("check", "{f}"), 65,
                     TAB_ERROR + "  repaired: each tab read as one level (two spaces)\n{f}: 1 problem\n"),
                 id="tab-in-indentation-check"),
    pytest.param(Row(DUPLICATE, STRICT, 65, "", DUPLICATE_ERROR), id="duplicate-top-level-number"),
    pytest.param(Row(DUPLICATE, SHOW + ("--lenient",), 0, "2 comments\n\n1  Ann\n   hi\n\n1~2  Bob\n   yo\n\n",
                     _as_warnings(DUPLICATE_ERROR + "  repaired: given the id 1~2\n")),
                 id="duplicate-top-level-number-lenient"),
    pytest.param(Row(DUPLICATE, ("check", "{f}"), 65,
                     DUPLICATE_ERROR + "  repaired: given the id 1~2\n{f}: 1 problem\n"),
                 id="duplicate-top-level-number-check"),
    pytest.param(Row(AFTER_FOOTER, STRICT, 65, "", AFTER_FOOTER_ERROR), id="text-after-footer"),
    pytest.param(Row(AFTER_FOOTER, SHOW + ("--lenient",), 0, shown("hi"),
                     _as_warnings(AFTER_FOOTER_ERROR + "  repaired: kept as a footer line\n")),
                 id="text-after-footer-lenient"),
    pytest.param(Row(AFTER_FOOTER, ("check", "{f}"), 65,
                     AFTER_FOOTER_ERROR + "  repaired: kept as a footer line\n{f}: 1 problem\n"),
                 id="text-after-footer-check"),
    pytest.param(Row(JUMP.replace("Bob", "B\x1b[8mob"), SHOW + ("--lenient",), 0,
                     REPLY_SHOWN.replace("Bob", "B^[[8mob"),
                     _as_warnings(JUMP_ERROR_7.replace("Bob", "B^[[8mob") + "  repaired: read as a comment at depth 2\n"
                                  + JUMP_ERROR_9 + "  repaired: read as text at column 7\n")),
                 id="hostile-text-in-lenient-repair"),
    pytest.param(Row(JUMP.replace("Bob", "B\x1b[8mob"), STRICT, 65, "",
                     JUMP_ERROR_7.replace("• Bob Says:", "• B^[[8mob Says:")),
                 id="hostile-offending-line-is-sanitised"),
    pytest.param(Row("Title\n\n  1. 你好 Says:\n\n    hi\n\n        • Bob Says:\n", STRICT, 65, "",
                     JUMP_ERROR_7),
                 id="wide-characters-before-error-line"),
    pytest.param(Row("Title\n\n  1. Ann Says:\n\n    hi\n\n    • 你好 Says:\n\n        \x1b[1m 你 Says:\n", STRICT, 65, "",
                     "error: {f}:9:9: unexpected indentation (deeper than the tree allows here); expected a reply "
                     "marker ('• NAME Says:'), a more indented line or a less indented line\n"
                     "     9 |         ^[[1m 你 Says:\n"
                     "       |         ^\n"
                     "  hint: a reply's marker sits two columns right of its parent's marker, and a comment's text "
                     "two columns right of its own marker; this line jumps further\n"),
                 id="error-line-with-escape-keeps-marker-aligned"),
    # ---- empty, missing, directory
    pytest.param(Row("", SHOW, 65, "", EMPTY_ERROR), id="empty-file"),
    pytest.param(Row("", SHOW + ("--lenient",), 65, "", EMPTY_ERROR), id="empty-file-lenient"),
    pytest.param(Row("", ("check", "{f}"), 65, EMPTY_ERROR + "{f}: 1 problem\n"), id="empty-file-check"),
    pytest.param(Row(None, SHOW, 66, "", "error: {f}: no such file\n", name="missing.txt"), id="missing-file"),
    pytest.param(Row(None, ("check", "{f}"), 66, "", "error: {f}: no such file\n", name="missing.txt"),
                 id="missing-file-check"),
    pytest.param(Row(None, ("show", "{d}"), 66, "", "error: {d}: is a directory\n"), id="directory"),
    # export walks a directory for a corpus (issue 13): one without dumps is a usage error
    pytest.param(Row(None, ("export", "{d}", "--format", "json"), 2, "",
                     "error: no input files: nothing matches *.txt in {d}\n"), id="directory-export"),
]


def _format(template: str, path: str, folder: str) -> str:
    return template.replace("{f}", path).replace("{d}", folder)


def _run(row: Row, tmp_path, args: tuple[str, ...] | None = None):
    path = tmp_path / row.name
    if row.data is not None:
        path.write_bytes(row.data if isinstance(row.data, bytes) else row.data.encode("utf-8"))
    argv = [_format(arg, str(path), str(tmp_path)) for arg in (args or row.args)]
    return invoke(*argv, env=row.env or None), path


@pytest.mark.parametrize("row", ROWS)
def test_hostile_input(row: Row, tmp_path):
    result, path = _run(row, tmp_path)
    # The sanitised path is what the messages show.
    from thread_cli.sanitize import sanitize

    shown_path, shown_folder = sanitize(str(path)), sanitize(str(tmp_path))
    if "--format" in row.args and row.args[row.args.index("--format") + 1] in ("jsonl", "csv"):
        shown_path = str(path)  # exports keep the exact characters
    # stdout_bytes: Result.stdout turns CRLF into LF.
    stdout, stderr = result.stdout_bytes.decode("utf-8"), result.stderr_bytes.decode("utf-8")
    assert (result.exit_code, stdout, stderr) == (
        row.exit_code,
        _format(row.stdout, shown_path, shown_folder),
        _format(row.stderr, shown_path, shown_folder),
    )


def test_table_is_big_enough():
    assert len(ROWS) >= 25


# ---------------------------------------------------------------- every row: nothing unsafe reaches a terminal

_UNSAFE_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200b\U000e0000-\U000e007f]")
_VALID_FLAG = re.compile("\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f")
_SGR = r"\x1b\[[0-9;]*m"
_OSC8 = r"\x1b\]8;([^;\x1b\x07]*);([^\x1b\x07]*)\x1b\\"
_OURS = re.compile(f"{_SGR}|{_OSC8}")

# Rows whose bug also breaks the invariants below (the others' bugs are about exact wording).
_BREAKS_INVARIANTS: set[str] = set()


def _derived(rows, keep=lambda row: True):
    """The rows again, for another test: xfail marks kept only where the bug shows in that test too."""
    return [
        pytest.param(param.values[0], id=param.id, marks=param.marks if param.id in _BREAKS_INVARIANTS else ())
        for param in rows
        if keep(param.values[0])
    ]


def _terminal_outputs(result, row: Row) -> list[str]:
    """stderr always goes to a terminal; stdout too, except for exports (which keep exact characters)."""
    outputs = [result.stderr_bytes.decode("utf-8")]
    if row.args[0] != "export":
        outputs.append(result.stdout_bytes.decode("utf-8"))
    return outputs


@pytest.mark.parametrize("row", _derived(ROWS))
def test_no_raw_control_or_invisible_character_reaches_the_terminal(row: Row, tmp_path):
    """Whatever the exact text: no raw control, bidi, zero-width or stray tag character in terminal output."""
    result, _ = _run(row, tmp_path)
    for text in _terminal_outputs(result, row):
        assert _UNSAFE_CHARS.search(_VALID_FLAG.sub("", text)) is None, ascii(text)


@pytest.mark.parametrize("row", _derived(ROWS, lambda row: row.args[0] == "show" and row.exit_code == 0))
def test_colour_output_has_no_escape_from_user_text(row: Row, tmp_path):
    plain, _ = _run(row, tmp_path)
    args = tuple(arg for arg in row.args if arg not in ("--format", "plain")) + ("--color", "always")
    coloured, _ = _run(row, tmp_path, args)
    assert coloured.exit_code == 0
    assert coloured.stderr == plain.stderr
    text = coloured.stdout_bytes.decode("utf-8")
    assert "\x1b[" in text  # colour really is on
    # Every ESC starts one of our own sequences: none is left once they are removed.
    visible = _OURS.sub("", text)
    assert "\x1b" not in visible, ascii(text)
    # Link targets are URLs the view found in (sanitised) text: printable only.
    for match in re.finditer(_OSC8, text):
        uri = match.group(2)
        assert all(unicodedata.category(ch)[0] not in "CZ" for ch in uri), ascii(uri)
        assert uri == "" or uri.startswith(("http://", "https://"))
    # Apart from our sequences, the coloured view is the plain view, character for character.
    assert visible == plain.stdout_bytes.decode("utf-8")
    assert _UNSAFE_CHARS.search(_VALID_FLAG.sub("", visible)) is None


def test_rich_markup_in_a_link_like_text_becomes_our_link_only(tmp_path):
    """`[link=http://evil]y[/link]` is text; the view links the URL it contains, nothing else."""
    path = tmp_path / "in.txt"
    path.write_text(one_comment("[link=http://evil]y[/link]"))
    result = invoke("show", str(path), "--no-article", "--width", "80", "--color", "always")
    links = re.findall(_OSC8, result.stdout)
    assert {uri for _, uri in links} == {"http://evil", ""}
    assert _OURS.sub("", result.stdout) == shown("[link=http://evil]y[/link]")


def test_html_export_escapes_and_shows_controls(tmp_path):
    path = tmp_path / "in.txt"
    path.write_text(one_comment("<script>alert(1)</script> a\x1b[31mb \u202eevil & \"q\"", "<b>Eve</b>"))
    result = invoke("export", str(path), "--format", "html")
    assert result.exit_code == 0
    page = result.stdout
    assert "<script>alert" not in page and "<b>Eve" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; a^[[31mb &lt;U+202E&gt;evil &amp; &quot;q&quot;" in page
    assert "&lt;b&gt;Eve&lt;/b&gt;" in page
    assert _UNSAFE_CHARS.search(page) is None


def test_text_export_keeps_every_hostile_byte(tmp_path):
    data = (one_comment("a\x1b]52;c;eA==\x07\x00\x7f\u009b\u202e\u200b\U000e0041" + FLAG, "E\x1b[5mve")
            .replace("\n", "\r\n").encode())
    path = tmp_path / "in.txt"
    path.write_bytes(b"\xef\xbb\xbf" + data)
    result = invoke("export", str(path), "--format", "text")
    assert result.exit_code == 0
    assert result.stdout_bytes == b"\xef\xbb\xbf" + data


def test_markdown_export_escapes_markup(tmp_path):
    path = tmp_path / "in.txt"
    path.write_text(one_comment("[click](http://evil) <img src=x> # not a heading"))
    result = invoke("export", str(path), "--format", "markdown")
    assert result.exit_code == 0
    # A "#" in mid-line starts no heading: it is left as it is.
    assert "\\[click](http://evil) \\<img src=x> # not a heading" in result.stdout


# ---------------------------------------------------------------- bugs found while writing the table


# Found by this suite: after a tab in the indentation, columns were counted with each tab as 2 while the
# line was shown with each tab as 1 ('\t\t\t• Bob Says:' at 7:7, caret under 'o'); fixed upstream in de2aa84.
def test_error_column_after_tab_points_at_the_offending_text(tmp_path):
    path = tmp_path / "in.txt"
    path.write_text("Title\n\n  1. Ann Says:\n\n    hi\n\n\t\t\t• Bob Says:\n\n\t\t\t  yo\n")
    result = invoke("check", str(path))
    lines = result.stdout.splitlines()
    jump = next(index for index, line in enumerate(lines) if "unexpected indentation" in line)
    assert lines[jump].startswith(f"error: {path}:7:4: ")
    shown_line, caret = lines[jump + 1], lines[jump + 2]
    assert shown_line[caret.index("^")] == "•"


# Found by this suite: check stopped at the first unreadable FILE (InputError escaped its loop), so the files
# after it were never checked; fixed upstream in de2aa84.
def test_check_goes_on_after_a_missing_file(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(THREAD)
    result = invoke("check", str(tmp_path / "missing.txt"), str(good))
    assert (result.exit_code, result.stdout, result.stderr) == (
        66, f"{good}: ok\n", f"error: {tmp_path / 'missing.txt'}: no such file\n")


HOSTILE_THREAD = (
    "T\x1b]0;title\x07\n\n  1. E\x1b]0;x\x07ve\u202e Says:\n\n"
    "    a\x1b[31m red \x1b]52;c;eA==\x07 http://x.example/\x1b[1m \u009b2J\n\n"
    "    • B\x1b[5mob's avatar B\u2066ob Says:\n\n      red \x1bP1$r\x1b\\ \x1b_apc\x1b\\\n"
)


@pytest.mark.parametrize("args", [
    ("search", "red", "{f}"),
    ("search", "red", "{f}", "{f}", "--color", "always"),
    ("search", "--regex", "e", "{f}", "--color", "always"),
    ("search", "-l", "red", "{f}"),
    ("search", "-c", "red", "{f}", "{f}"),
    ("authors", "{f}"),
    ("authors", "{f}", "{f}", "--color", "always"),
    ("stats", "{f}"),
    ("stats", "{f}", "--color", "always"),
    ("show", "{f}", "--color", "always", "--width", "40", "--grep", "red"),
    ("show", "{f}", "--color", "always", "--guides", "ascii", "--max-depth", "1"),
    ("show", "{f}", "--at", "1.1", "--color", "always"),
], ids=lambda args: " ".join(args))
def test_other_commands_sanitise_user_text(args, tmp_path):
    """search, authors, stats and the view's options: user text (and the file name) is shown, never run."""
    path = tmp_path / "e\x1b[2Jvil\u202e.txt"
    path.write_text(HOSTILE_THREAD, encoding="utf-8")
    result = invoke(*(str(path) if arg == "{f}" else arg for arg in args))
    assert result.exit_code == 0, result.stderr
    for text in (result.stdout_bytes.decode("utf-8"), result.stderr_bytes.decode("utf-8")):
        visible = _OURS.sub("", text)
        assert _UNSAFE_CHARS.search(visible) is None, ascii(text)
    assert "^[" in result.stdout or "E^[" in result.stdout or "e^[[2Jvil" in result.stdout


# Found by this suite: text after the categories line was told "expected … a footer line at column 1" and
# "only lines at column 1 may follow the footer" (it is at column 1, and there is no footer); fixed upstream
# in de2aa84.
def test_text_after_categories_gets_advice_that_fits(tmp_path):
    path = tmp_path / "in.txt"
    path.write_text("Title\n\nExplore posts in the same categories: A\n\nMore text\n\n  1. Ann Says:\n\n    hi\n")
    result = invoke("show", str(path), "--strict")
    assert result.exit_code == 65
    assert result.stderr.startswith(f"error: {path}:5:1: unexpected text")
    assert "hint: text after the categories line or comment header has no place" in result.stderr


def test_one_odd_line_one_warning(tmp_path):
    path = tmp_path / "in.txt"
    path.write_text("Title\n\n  1. Ann Says:\n\n     hi\n")
    result = invoke(*(arg.replace("{f}", str(path)) for arg in SHOW), "--lenient")
    assert (result.exit_code, result.stdout) == (0, shown("hi"))
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and warnings[0].startswith(f"warning: {path}:5:6: ")
    assert "6 spaces" not in warnings[0]
    assert invoke("check", str(path)).stdout.endswith(f"{path}: 1 problem\n")


def test_every_unsafe_character_is_non_printable_to_python():
    """sanitize() lets text that str.isprintable() accepts through unchecked."""
    from thread_cli.sanitize import _UNSAFE

    printable = [hex(code) for code in range(0x110000) if _UNSAFE.fullmatch(chr(code)) and chr(code).isprintable()]
    assert printable == []


def test_a_file_name_with_a_line_break_cannot_forge_a_line_of_output(tmp_path):
    """Issue 14, item 7: names go through the sanitising path, line breaks included."""
    name = tmp_path / "bad\nx.txt: ok\x1b[31m\u009b.txt"
    name.write_bytes(SEED.read_bytes())
    shown = str(tmp_path) + "/bad^Jx.txt: ok^[[31m\\x9b.txt"
    listing = invoke("search", "-l", "obama", str(name))
    assert (listing.exit_code, listing.stdout) == (0, shown + "\n")
    counted = invoke("search", "-c", "obama", str(name), str(name))
    assert counted.stdout == f"{shown}:9\n{shown}:9\n"
    checked = invoke("check", str(name))
    assert checked.stdout == f"note: {shown}: header declares 31 comments, 30 found\n{shown}: ok\n"
    missing = invoke("show", str(name) + "\nzz")
    assert missing.stderr == f"error: {shown}^Jzz: no such file\n"
