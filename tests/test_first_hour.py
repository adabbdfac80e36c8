"""Issue 11, "The first hour of a new user": each rough edge, pinned by a test.

Exact output and exit codes through Click's CliRunner (conftest.invoke),
and real processes where only a real process shows the behaviour (a
terminal on standard input, the CI script).
"""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys

import pytest

from thread_cli import api, cli
from thread_cli.layout import ARTICLE_MODES

from conftest import ROOT, SEED, invoke

SEED_ARG = "seeds/jpost-us-iran-talks.txt"
MIXED_ARG = "seeds/wordpress-mixed-layouts.txt"
COUNT_WARNING = f"warning: {SEED_ARG}: header declares 31 comments, 30 found\n"


@pytest.fixture(autouse=True)
def _from_the_repository_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def undated_dump(tmp_path) -> str:
    path = tmp_path / "undated.txt"
    path.write_text("T\n\nA.\n\n2 Comments on “T”\n\n  1. Ann Says:\n\n    hi\n\n  2. Bob Says:\n\n    yo\n",
                    encoding="utf-8")
    return str(path)


# ---------------------------------------------------------------- 1. the quick start and CI


def quick_start_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    (block,) = re.findall(r"```sh\n(.*?)```", section, re.S)
    return block.splitlines()


def test_the_quick_start_is_two_commands_that_make_and_use_a_venv():
    install, test = quick_start_commands()
    venv = "python3 -m venv .venv && . .venv/bin/activate && "
    assert install == venv + "pip install . && thread show seeds/jpost-us-iran-talks.txt"
    assert test == venv + "pip install '.[test]' && python -m pytest -m \"not slow\""


def test_ci_runs_the_readme_test_command_verbatim():
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert "set -euo pipefail" in script
    assert script[-1] == quick_start_commands()[1]


def fake_ci(tmp_path, *, pip: int, pytest_status: int) -> subprocess.CompletedProcess:
    """Run .ci/run with a python3 whose venv's pip and python exit with the given statuses."""
    repo = tmp_path / "repo"
    (repo / ".ci").mkdir(parents=True)
    (repo / ".ci" / "run").write_bytes((ROOT / ".ci" / "run").read_bytes())
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "python3"
    fake.write_text(
        "#!/bin/sh\n"
        '[ "$1 $2 $3" = "-m venv .venv" ] || exit 99\n'
        "mkdir -p .venv/bin\n"
        f"printf 'pip() {{ echo pip \"$@\"; return {pip}; }}\\n"
        f"python() {{ echo python \"$@\"; return {pytest_status}; }}\\n' > .venv/bin/activate\n"
    )
    fake.chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    return subprocess.run(["bash", str(repo / ".ci" / "run")], capture_output=True, text=True, env=env,
                          cwd=tmp_path, check=False)


def test_ci_fails_when_pytest_fails_or_collects_nothing_and_when_the_install_fails(tmp_path):
    passed = fake_ci(tmp_path / "a", pip=0, pytest_status=0)
    assert (passed.returncode, passed.stdout) == (0, "pip install .[test]\npython -m pytest -m not slow\n")
    assert fake_ci(tmp_path / "b", pip=0, pytest_status=1).returncode == 1
    assert fake_ci(tmp_path / "c", pip=0, pytest_status=5).returncode == 5  # no test collected
    failed_install = fake_ci(tmp_path / "d", pip=1, pytest_status=0)
    assert (failed_install.returncode, failed_install.stdout) == (1, "pip install .[test]\n")


def test_the_readme_says_how_to_run_the_slow_tests():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "run them with `python -m pytest -m slow`, or the whole suite with `python -m pytest`" in readme


# ---------------------------------------------------------------- 4, 5. help


SHORT_HELP = {
    "authors": "List the authors, most active first.",
    "check": "List every problem of each dump.",
    "export": "Export as JSON, CSV, TSV, Markdown, HTML or text.",
    "search": "Find comments that contain PATTERN, like grep.",
    "show": "Show the article and its comment tree.",
    "stats": "Totals, depths, authors, who replies to whom.",
}


@pytest.mark.parametrize("columns", ["80", "60"])
def test_the_command_list_shows_every_summary_whole(columns):
    text = invoke("--help", env={"COLUMNS": columns}).stdout
    listed = text.split("Commands:\n", 1)[1]
    for command, summary in SHORT_HELP.items():
        line = next(line for line in listed.splitlines() if line.startswith(f"  {command} "))
        assert line.split(None, 1)[1] == summary  # whole: no "..."


def _listed_options(help_text: str) -> set[str]:
    return set(re.findall(r"(?m)^\s+(?:-\w, )?(--[a-z-]+)", help_text))


def test_search_lists_only_options_it_takes():
    help_text = invoke("search", "--help").stdout
    assert "--grep" not in help_text
    assert "--context" not in help_text
    assert "(show, export)" not in help_text
    search = cli.main.commands["search"]
    takes = {name for param in search.params for name in param.opts if name.startswith("--")}
    listed = {option for option in _listed_options(help_text) if option not in ("--since/--until",)}
    assert listed - {"--help"} <= takes
    for option in ("--grep", "--context"):
        result = invoke("search", option, "x", "obama", SEED_ARG)
        assert result.exit_code == 2
        assert f"error: No such option '{option}'" in result.stderr


@pytest.mark.parametrize("command", ["show", "export"])
def test_show_and_export_list_grep_and_context_and_take_them(command):
    help_text = invoke(command, "--help").stdout
    assert "  --grep TEXT        comments whose text or author contains TEXT\n" in help_text
    assert "  --context MODE     ancestors: matches with their ancestors, dimmed\n" in help_text
    assert "Examples:" in help_text


def test_every_command_keeps_its_examples():
    for command in ("show", "search", "authors", "export", "stats", "check"):
        assert "Examples:\n" in invoke(command, "--help").stdout, command


def test_export_help_lists_the_flat_columns_and_the_tsv_escapes():
    help_text = invoke("export", "--help").stdout
    assert ("    csv, tsv  id, parent, depth, number, author, avatar, line, text, kind, date,\n"
            "              datetime, actions (tsv: one record per line, \\t \\n \\r \\\\ escaped)\n") in help_text


# ---------------------------------------------------------------- 6. the header's count and --quiet


def test_show_and_stats_warn_of_the_count_once_with_the_file_name():
    for args in (("show", SEED_ARG), ("stats", SEED_ARG)):
        result = invoke(*args)
        assert (result.exit_code, result.stderr) == (0, COUNT_WARNING), args
    both = invoke("stats", SEED_ARG, MIXED_ARG)
    assert both.stderr == COUNT_WARNING + f"warning: {MIXED_ARG}: header declares 14 comments, 9 found\n"


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "tsv", "markdown", "html", "text"])
def test_exports_say_nothing_of_the_count(fmt):
    result = invoke("export", SEED_ARG, "--format", fmt)
    assert (result.exit_code, result.stderr) == (0, "")


def test_search_and_authors_say_nothing_of_the_count():
    assert invoke("search", "obama", SEED_ARG).stderr == ""
    assert invoke("authors", SEED_ARG).stderr == ""


def test_check_notes_the_count_without_calling_it_a_problem():
    result = invoke("check", SEED_ARG)
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == (
        f"note: {SEED_ARG}: header declares 31 comments, 30 found\n"
        f"{SEED_ARG}: ok\n"
    )


@pytest.mark.parametrize("args", [
    ("-q", "show", SEED_ARG), ("show", "-q", SEED_ARG), ("show", SEED_ARG, "--quiet"),
    ("-q", "stats", SEED_ARG), ("stats", SEED_ARG, "-q"),
])
def test_quiet_silences_the_warnings(args):
    result = invoke(*args)
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == invoke(*[arg for arg in args if arg not in ("-q", "--quiet")]).stdout


def test_quiet_silences_repairs_and_notes_but_not_errors(tmp_path):
    path = tmp_path / "jump.txt"
    path.write_text("Title\n\n1 Comment on “Title”\n\n  1. Bob Says:\n\n    hello\n\n        • Ann Says:\n")
    loud = invoke("show", str(path), "--lenient")
    assert loud.exit_code == 0 and loud.stderr.startswith(f"warning: {path}:9:9: ")
    quiet = invoke("-q", "show", str(path), "--lenient")
    assert (quiet.exit_code, quiet.stderr, quiet.stdout) == (0, "", loud.stdout)
    assert invoke("check", "-q", SEED_ARG).stdout == f"{SEED_ARG}: ok\n"
    strict = invoke("-q", "show", str(path), "--strict")
    assert strict.exit_code == 65 and strict.stderr.startswith(f"error: {path}:9:9: ")


# ---------------------------------------------------------------- 7. no FILE, standard input a terminal


STDIN_USAGE = (
    "Usage: {prog} {command} [OPTIONS] {args}\n"
    "Try '{prog} {command} --help' for help.\n"
    "\n"
    "error: no FILE given, and standard input is a terminal: name a dump ({prog} {command} dump.txt) "
    "or pipe one in (cat dump.txt | {prog} {command})\n"
)


@pytest.mark.parametrize("command, args, usage", [
    ("show", (), "[FILE]"),
    ("export", (), "[FILES]..."),
    ("search", ("obama",), "PATTERN [FILES]..."),
    ("authors", (), "[FILES]..."),
    ("stats", (), "[FILES]..."),
    ("check", (), "[FILES]..."),
])
def test_no_file_with_a_terminal_on_stdin_is_a_usage_error(monkeypatch, command, args, usage):
    monkeypatch.setattr(cli, "_stdin_is_terminal", lambda: True)
    result = invoke(command, *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == STDIN_USAGE.format(prog="main", command=command, args=usage)


def test_a_dash_still_reads_stdin_even_from_a_terminal(monkeypatch):
    monkeypatch.setattr(cli, "_stdin_is_terminal", lambda: False)
    assert invoke("show", "-", input=SEED.read_bytes()).exit_code == 0


def test_a_real_terminal_on_stdin_gets_the_usage_at_once():
    controller, terminal = pty.openpty()
    try:
        result = subprocess.run([sys.executable, "-m", "thread_cli", "show"], stdin=terminal,
                                capture_output=True, text=True, timeout=60, cwd=ROOT, check=False)
    finally:
        os.close(terminal)
        os.close(controller)
    assert result.returncode == 2
    assert result.stderr == STDIN_USAGE.format(prog="thread", command="show", args="[FILE]")


# ---------------------------------------------------------------- 8. the format from -o's extension


@pytest.mark.parametrize("name, fmt", [
    ("t.json", "json"), ("t.jsonl", "jsonl"), ("t.ndjson", "jsonl"), ("t.csv", "csv"), ("t.tsv", "tsv"),
    ("t.md", "markdown"), ("T.HTML", "html"), ("t.txt", "text"),
])
def test_export_takes_the_format_from_the_extension(tmp_path, name, fmt):
    inferred, explicit = tmp_path / name, tmp_path / f"explicit-{name}"
    assert invoke("export", SEED_ARG, "-o", str(inferred)).exit_code == 0
    assert invoke("export", SEED_ARG, "--format", fmt, "-o", str(explicit)).exit_code == 0
    assert inferred.read_bytes() == explicit.read_bytes()


def test_format_beats_the_extension_and_json_is_the_default(tmp_path):
    target = tmp_path / "guess.html"
    assert invoke("export", SEED_ARG, "--format", "json", "-o", str(target)).exit_code == 0
    assert json.loads(target.read_text(encoding="utf-8"))["format"] == "thread/1"
    assert json.loads(invoke("export", SEED_ARG).stdout)["format"] == "thread/1"
    assert json.loads(invoke("export", SEED_ARG, "-o", "-").stdout)["format"] == "thread/1"


def test_an_unknown_extension_without_format_is_a_usage_error(tmp_path):
    target = tmp_path / "out.xml"
    result = invoke("export", SEED_ARG, "-o", str(target))
    assert result.exit_code == 2
    assert result.stderr == (
        "Usage: main export [OPTIONS] [FILES]...\n"
        "Try 'main export --help' for help.\n"
        "\n"
        f"error: cannot tell the format from '{target}' (known extensions: .json .jsonl .ndjson .csv .tsv "
        ".md .html .txt .parquet); give --format\n"
    )
    assert not target.exists()
    assert invoke("export", SEED_ARG, "--format", "text", "-o", str(target)).exit_code == 0


# ---------------------------------------------------------------- 9. dates asked of an undated dump


@pytest.mark.parametrize("args", [
    ("show", "--since", "2013-09-06"),
    ("export", "--until", "2013-09-06"),
    ("export", "--format", "jsonl", "--since", "2013-09-06"),
    ("search", "hi", "--since", "2013-09-06"),
])
def test_since_on_an_undated_dump_says_why_nothing_is_shown(tmp_path, args):
    path = undated_dump(tmp_path)
    command, *rest = args
    result = invoke(command, *([rest[0]] if command == "search" else []), path,
                    *(rest[1:] if command == "search" else rest))
    assert result.stderr == f"warning: {path}: no comment has a date, so --since/--until keep none\n"
    assert result.exit_code == (1 if command == "search" else 0)


def test_a_streamed_export_from_standard_input_says_why_nothing_is_kept(tmp_path):
    # The dump is not read twice: standard input (or a pipe) cannot be.
    text = open(undated_dump(tmp_path), encoding="utf-8").read()
    result = invoke("export", "-", "--format", "jsonl", "--since", "2013-09-06", input=text)
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == "warning: <stdin>: no comment has a date, so --since/--until keep none\n"


def test_since_on_a_dated_dump_says_nothing_about_dates():
    result = invoke("export", MIXED_ARG, "--since", "2013-09-06", "--format", "jsonl")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout  # some comments are in the range


# ---------------------------------------------------------------- 10. one error style


@pytest.mark.parametrize("args, usage", [
    (("show", SEED_ARG, "--frobnicate"), "Usage: main show [OPTIONS] [FILE]"),
    (("--frobnicate",), "Usage: main [OPTIONS] COMMAND [ARGS]..."),
    (("nosuch",), "Usage: main [OPTIONS] COMMAND [ARGS]..."),
    (("export", SEED_ARG, "--format", "nope"), "Usage: main export [OPTIONS] [FILES]..."),
    (("show", SEED_ARG, "--width", "5"), "Usage: main show [OPTIONS] [FILE]"),
    (("search",), "Usage: main search [OPTIONS] PATTERN [FILES]..."),
])
def test_click_usage_errors_read_like_ours(args, usage):
    result = invoke(*args)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0] == usage
    assert lines[-1].startswith("error: ")
    assert "Error" not in result.stderr


@pytest.mark.parametrize("args", [
    ("show", SEED_ARG, "--\x1b[31mred"),
    ("show", SEED_ARG, "--guides", "\x1b]0;title\x07"),
    ("\x1b[2Jnosuch",),
])
def test_a_usage_error_never_echoes_raw_control_characters(args):
    result = invoke(*args)
    assert result.exit_code == 2
    assert re.search("[\x00-\x09\x0b-\x1f\x7f]", result.stderr) is None


# ---------------------------------------------------------------- 11. a tab at column 1


def test_a_tab_at_column_1_is_reported_as_a_tab(tmp_path):
    path = tmp_path / "tab.txt"
    path.write_text("Title\n\n1 Comment on “Title”\n\n  1. Ann Says:\n\n    hello\n\n\t• Bob Says:\n\n      hi\n",
                    encoding="utf-8")
    result = invoke("show", str(path), "--strict")
    assert result.exit_code == 65
    assert result.stderr == (
        f"error: {path}:9:1: tab in indentation\n"
        "     9 |  • Bob Says:\n"
        "       | ^\n"
        "  hint: indentation is made of spaces, two per level; expand tabs first (expand -t 2)\n"
    )


# ---------------------------------------------------------------- 19. what the summary line counts


def summary(*args: str) -> str:
    return invoke("show", SEED_ARG, "--article", "none", "--width", "80", *args).stdout.splitlines()[0]


def test_the_summary_counts_matches_and_their_context():
    assert summary() == "30 comments (the header declares 31)"
    assert summary("--author", "Luis") == "8 matches (+4 ancestors for context)"
    assert summary("--author", "artaxes") == "1 match (+1 ancestor for context)"
    assert summary("--author", "Luis", "--context", "none") == "8 matches"
    assert summary("--author", "Norm", "--context", "thread") == "1 match (+10 more of their threads for context)"
    assert summary("--at", "3.1.1.1") == "8 of 30 comments shown"


def test_the_summary_counts_what_max_depth_leaves():
    assert summary("--max-depth", "2") == "17 of 30 comments shown (down to depth 2)"
    assert summary("--max-depth", "9") == "30 comments (the header declares 31)"
    assert summary("--at", "3.1", "--max-depth", "4") == "3 of 30 comments shown (down to depth 4)"
    assert summary("--author", "Luis", "--max-depth", "3") == "8 matches (+4 ancestors for context); 6 shown down to depth 3"


# ---------------------------------------------------------------- 12, 13. colours and the article (the CLI's side)


def on_a_terminal(monkeypatch):
    monkeypatch.setattr(cli, "_stdout_is_terminal", lambda: True)


def test_the_article_is_its_lead_on_a_terminal_and_whole_in_a_pipe_or_file(monkeypatch, tmp_path):
    piped = invoke("show", SEED_ARG, "--width", "80").stdout
    assert "[article: " not in piped
    on_a_terminal(monkeypatch)
    shown = invoke("show", SEED_ARG, "--width", "80", "--color", "never", "--no-pager").stdout
    assert shown.split("\n\n")[:3] == [
        "Report: US and Iran laying framework for first direct talks in over 30\u00a0years\n" + "═" * 76,
        "Report: US and Iran laying framework for first direct talks in over 30 years |\nJPost | Israel News.",
        "[article: 25 more paragraphs]",
    ]
    assert invoke("show", SEED_ARG, "--width", "80", "--color", "never", "--no-pager", "--article", "full").stdout == piped
    target = tmp_path / "view.txt"
    assert invoke("show", SEED_ARG, "--width", "80", "--color", "never", "-o", str(target)).exit_code == 0
    assert target.read_text(encoding="utf-8") == piped


def test_no_article_is_article_none():
    assert cli.ARTICLE_MODES == ARTICLE_MODES
    none = invoke("show", SEED_ARG, "--article", "none").stdout
    assert none == invoke("show", SEED_ARG, "--no-article").stdout
    assert none.startswith("30 comments (the header declares 31)\n")
    both = invoke("show", SEED_ARG, "--no-article", "--article", "full")
    assert both.exit_code == 2 and both.stderr.endswith("error: --no-article contradicts --article full\n")


def author_codes(text: str) -> dict[str, str]:
    """The SGR code before each author's name in the coloured view's headers."""
    heads = re.findall(r"(?m)^(?:\x1b\[[\d;]+m[^\x1b]*\x1b\[0m)?\x1b\[36m[\d.]+\x1b\[0m  \x1b\[([\d;]+)m([^\x1b]+)\x1b\[0m",
                       text)
    return {name: code for code, name in heads if code.startswith("1;")}


def test_authors_differ_in_256_colours_and_none_looks_like_an_id():
    text = invoke("show", SEED_ARG, "--article", "none", "--color", "always", "--width", "100",
                  env={"TERM": "xterm-256color", "COLORTERM": ""}).stdout
    codes = author_codes(text)
    people = {c.author for c in api.load(SEED_ARG).thread.walk() if c.author}
    assert set(codes) == people
    assert len(set(codes.values())) == len(people) == 10
    assert all(code.startswith("1;38;5;") for code in codes.values())
    assert "\x1b[36m3.1\x1b[0m" in text  # the ids stay cyan
    sixteen = author_codes(invoke("show", SEED_ARG, "--article", "none", "--color", "always", "--width", "100",
                                  env={"TERM": "xterm", "COLORTERM": ""}).stdout)
    assert sixteen["Luis"] == "1;35"  # the 16-colour fallback


def test_search_colours_authors_as_show_does():
    env = {"TERM": "xterm-256color", "COLORTERM": ""}
    shown = author_codes(invoke("show", SEED_ARG, "--article", "none", "--color", "always", env=env).stdout)
    found = invoke("search", "obama", SEED_ARG, "--color", "always", env=env).stdout
    heads = author_codes(found)
    assert len(heads) == 5  # (no author) is not coloured
    assert heads == {name: code for name, code in shown.items() if name in heads}


def test_authors_come_from_the_api():
    thread = api.load(SEED_ARG).thread
    records = api.author_records([thread])
    assert records[0] == {"author": "Luis", "avatar": None, "comments": 8, "replies_received": 11, "first": "3.1",
                          "sources": [SEED_ARG]}
    assert json.loads(invoke("authors", SEED_ARG, "--format", "json").stdout) == [
        {key: record[key] for key in api.AUTHOR_COLUMNS} for record in records]
