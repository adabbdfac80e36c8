"""The grammar file, the lexer's tokens and the installed package."""

from __future__ import annotations

import os
import site
import subprocess
import sys
import zipfile
from pathlib import Path


from thread_cli.classify import classify
from thread_cli.frontend import fed_tokens
from thread_cli.grammar import grammar_text, lark_parser
from thread_cli.source import split_lines

from conftest import ROOT


def test_grammar_compiles_as_strict_lalr_without_conflicts():
    # strict=True turns any shift/reduce conflict into an error
    lark_parser(grammar_text())


def tokenize(source):
    return fed_tokens(source)


def _kinds(text: str) -> list[str]:
    return [token.type for token in tokenize(split_lines(text))]


def test_marker_with_body_text_is_one_level_in():
    assert _kinds("T\n1 Comment\n  1. Hello\n    world\n") == [
        "TITLE", "HEADER", "_INDENT", "NUMBER_TEXT", "_INDENT", "PARA", "_DEDENT", "_DEDENT",
    ]


def test_the_paragraphs_at_one_level_are_one_token_and_blanks_ride_along():
    tokens = list(tokenize(split_lines("T\n1 Comment\n\n  1. Ann Says:\n\n    one\n    two\n\n\n    three\n")))
    (run,) = [t for t in tokens if t.type == "PARA"]
    assert (run.line, list(run.blanks)) == (6, [""])
    assert [(p.lines, p.line, list(p.blank_before)) for p in run.value] == [
        (["one", "two"], 6, [""]),
        (["three"], 10, ["", ""]),
    ]


def test_article_lists_are_article_text():
    assert _kinds("T\n\n  1. item\n  • item\n\n3 Comments on “T”\n") == ["TITLE", "PARA", "HEADER"]


def test_body_lists_and_says_lines_are_body_text():
    tokens = list(tokenize(split_lines("T\n1 Comment\n  1. Ann Says:\n\n    • not a reply\n    1. a list\n    She Says:\n")))
    assert [t.type for t in tokens].count("BULLET") == 0
    (run,) = [t for t in tokens if t.type == "PARA"]
    assert [p.lines for p in run.value] == [["• not a reply", "1. a list", "She Says:"]]


def test_reply_marker_with_author_line():
    tokens = list(tokenize(split_lines("T\n1 Comment\n\n  1. Ann Says:\n\n    • Bob's avatar bobby Says:\n")))
    (bullet,) = [t for t in tokens if t.type == "BULLET"]
    assert (bullet.line, bullet.column) == (6, 5)
    assert bullet.value == ("• ", "Bob's avatar bobby Says:")


def test_installed_wheel_finds_its_grammar_and_never_writes_into_the_package(tmp_path):
    """Build a wheel, install it (not editable) into a fresh venv, run it elsewhere.

    The venv gets its dependencies from the environment running the tests,
    whatever that is: a venv (the README's quick start), a system Python (CI)
    or a user install. ``--system-site-packages`` would not do: from inside a
    venv it inherits the base interpreter's packages, not the venv's.
    """
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(wheels), str(ROOT)],
        check=True,
    )
    (wheel,) = wheels.glob("thread_cli-*.whl")
    assert "thread_cli/_grammar/thread.lark" in zipfile.ZipFile(wheel).namelist()

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()
    # This environment's packages, after the venv's own: the venv's copy of thread_cli comes first.
    outer = [*site.getsitepackages(), *([site.getusersitepackages()] if site.ENABLE_USER_SITE else [])]
    Path(purelib, "outer-environment.pth").write_text("".join(f"{folder}\n" for folder in outer))
    # --ignore-installed: a copy of the project installed in this environment
    # (as CI does) must not count as "already satisfied".
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--ignore-installed",
                    "--no-warn-script-location", "-q", str(wheel)], check=True)
    package = subprocess.run(
        [str(python), "-c", "import thread_cli, os; print(os.path.dirname(thread_cli.__file__))"],
        check=True, capture_output=True, text=True, cwd=tmp_path,
    ).stdout.strip()
    assert Path(package).resolve().is_relative_to(venv.resolve())
    before = sorted(str(p) for p in Path(package).rglob("*") if "__pycache__" not in p.parts)

    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("PYTHONPATH", None)
    seed = ROOT / "seeds" / "jpost-us-iran-talks.txt"
    for _ in range(2):  # the second run loads the cached tables
        result = subprocess.run(
            [str(venv / "bin" / "thread"), "export", str(seed), "--format", "text"],
            capture_output=True, cwd=tmp_path, env=env,
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout == seed.read_bytes()
    after = sorted(str(p) for p in Path(package).rglob("*") if "__pycache__" not in p.parts)
    assert after == before
    assert list((tmp_path / "cache" / "thread-cli").glob("tables-*.marshal"))


def test_the_grammar_picks_the_reading_that_fits_where_the_line_stands():
    # The same line: article text before the header, a comment after it.
    assert _kinds("T\n\n  1. item\n\n1 Comment\n\n  1. item\n") == [
        "TITLE", "PARA", "HEADER", "_INDENT", "NUMBER_TEXT", "_INDENT", "PARA", "_DEDENT", "_DEDENT",
    ]
    # A line at column 1 after the header is a footer line; in the article, text.
    assert _kinds("T\n\nLeave a Reply\n\n0 Comments\n\nLeave a Reply\n") == ["TITLE", "PARA", "HEADER", "FOOTER"]


def test_without_a_header_the_comment_list_opens_with_a_signed_comment():
    assert _kinds("T\n\n  1. item\n\n  2. Ann says:\n\n    hi\n") == [
        "TITLE", "PARA", "_INDENT", "NUMBER", "_INDENT", "PARA", "_DEDENT", "_DEDENT",
    ]


def test_an_action_line_is_one_only_where_the_comments_text_ends():
    tokens = tokenize(split_lines("T\n1 Comment\n  1. Ann Says:\n\n    Reply\n    is a word.\n\n    Reply\n"))
    assert [t.type for t in tokens] == ["TITLE", "HEADER", "_INDENT", "NUMBER", "_INDENT", "PARA", "ACTIONS",
                                        "_DEDENT", "_DEDENT"]
    assert [p.lines for p in tokens[5].value] == [["Reply", "is a word."]]


def test_the_classifier_lists_readings_most_specific_first():
    assert [r.kind for r in classify("  1. Ann Says:").readings] == ["NUMBER"]
    assert [(r.kind, r.level) for r in classify("    September 6, 2013").readings] == [("DATE", 2), ("PARA", 2)]
    # An indented line that fits nowhere in the comments is article text, or the title.
    assert [(r.kind, r.level, r.value) for r in classify("  1. Ann Says:").fallbacks()] == [
        ("PARA", 0, "  1. Ann Says:"), ("TITLE", 0, "  1. Ann Says:")]
    assert [r.kind for r in classify("14 thoughts on “T”").readings] == ["HEADER", "PARA", "FOOTER", "TITLE"]
