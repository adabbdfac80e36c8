"""The command line: exact output and exit codes, through Click's CliRunner."""

from __future__ import annotations

import json

from conftest import SEED, invoke



def test_help_lists_commands_with_examples():
    result = invoke("--help")
    assert result.exit_code == 0
    for command in ("show", "search", "authors", "export", "stats"):
        assert f"  {command} " in result.stdout
    for command in ("show", "search", "authors", "export", "stats"):
        help_text = invoke(command, "--help").stdout
        assert "Example" in help_text, command


def test_version():
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.stdout.startswith("thread, version ")


def test_python_dash_m_works():
    import subprocess
    import sys

    from conftest import ROOT

    result = subprocess.run(
        [sys.executable, "-m", "thread_cli", "export", str(SEED), "--format", "jsonl"],
        capture_output=True, cwd=ROOT, check=False,
    )
    assert result.returncode == 0
    assert len(result.stdout.splitlines()) == 30
    assert result.stderr.decode() == ""  # an export says nothing of the header's count: the data has it


def test_show_reads_stdin_and_warns_once(seed_path):
    result = invoke("show", "--no-article", "--width", "80", input=SEED.read_bytes())
    assert result.exit_code == 0
    assert result.stderr == "warning: <stdin>: header declares 31 comments, 30 found\n"
    assert result.stdout.startswith("30 comments (the header declares 31)\n\n1  (no author)\n")
    assert "\x1b" not in result.stdout


def test_show_author_filter_is_case_insensitive_and_matches_avatars(seed_path):
    by_display = invoke("show", seed_path, "--author", "JOSEPHWOUK", "--context", "none", "--format", "jsonl")
    by_avatar = invoke("show", seed_path, "--author", "joseph wouk", "--context", "none", "--format", "jsonl")
    ids = [json.loads(line)["id"] for line in by_display.stdout.splitlines()]
    assert ids == ["3.1.1.1.3", "8.1"]
    assert by_avatar.stdout == by_display.stdout


def test_show_author_is_repeatable(seed_path):
    result = invoke("show", seed_path, "--author", "norm", "--author", "tom", "--context", "none", "-f", "jsonl")
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["3", "7"]


def test_show_author_keeps_ancestors_dimmed_by_default(seed_path):
    result = invoke("show", seed_path, "--author", "artaxes", "--no-article", "--width", "60")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[:4] == [
        "1 match (+1 ancestor for context)",
        "",
        "6  IAmSpartacus",
        "│  Well, I’d have to say that it’s about time that the US",
    ]


def test_search_output_and_exit_codes(seed_path):
    result = invoke("search", "red lines", seed_path)  # in a pipe: 80 columns
    assert result.exit_code == 0
    assert result.stdout == (
        "3.1.1.1.2  Luis\n"
        "  94: Obama is destroying America. Don’t bring Israel in, this time. We didn’t\n"
        "      advice him to set his idiotic red lines and putting himself into a corner.\n"
        "      We didn’t advice him to go to war for face saving. Israel didn’t whispered\n"
        "      in his ear, in that fateful Friday night, to take it to the congress and\n"
        "      showing a weak, hesitating president.\n"
        "3.1.1.1.7  Luis\n"
        "  140: And the reason he may want that it was because of ”saving his own face”\n"
        "       after those stupid red lines. Not because of Israel, not despite Israel\n"
        "       and not for the sake of Israel.\n"
    )
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
    missing = invoke("search", "no such phrase anywhere", seed_path)
    assert (missing.exit_code, missing.stdout) == (1, "")


def test_search_matches_author_names(seed_path):
    result = invoke("search", "artaxes", seed_path)
    assert result.stdout == "6.1  artaxes\n"


def test_search_regex_and_smart_case(seed_path):
    assert invoke("search", "-c", "obama", seed_path).stdout == "9\n"
    assert invoke("search", "-c", "OBAMA", seed_path).stdout == "0\n"
    assert invoke("search", "-c", "-i", "OBAMA", seed_path).stdout == "9\n"
    assert invoke("search", "-c", "--regex", r"\bnukes?\b", seed_path).stdout == "1\n"


def test_search_several_files_names_them(seed_path):
    result = invoke("search", "-l", "Spart", seed_path, seed_path)
    assert result.stdout == f"{seed_path}\n{seed_path}\n"
    result = invoke("search", "Masada", seed_path, seed_path)
    assert result.stdout.splitlines()[0] == f"{seed_path}:3.1.1.1.4  John Prophet"


def test_search_bad_regex_is_a_usage_error(seed_path):
    result = invoke("search", "--regex", "(", seed_path)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: invalid regular expression '('")


def test_authors_table(seed_path):
    result = invoke("authors", seed_path)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["AUTHOR", "AVATAR", "COMMENTS", "REPLIES", "RECEIVED", "FIRST"]
    assert lines[1].split() == ["Luis", "8", "11", "3.1"]  # the avatar only where it differs from the name
    assert lines[5].split() == ["(no", "author)", "2", "0", "1"]
    assert lines[7].split() == ["josephwouk", "Joseph", "Wouk", "2", "0", "3.1.1.1.3"]
    assert max(len(line) for line in lines) <= 80
    assert result.stderr == ""


def test_authors_in_a_pipe_cut_no_cell(tmp_path):
    # Long file names in FIRST and FILES: a pipe gets them whole, whatever the terminal's width.
    folder = tmp_path / ("a-rather-long-folder-name-for-the-scraped-pages" * 2)
    folder.mkdir()
    for name in ("first-page-with-a-long-name.txt", "second-page-with-a-long-name.txt"):
        (folder / name).write_text("T\n\n1 Comment\n\n  1. Ann says:\n\n    Hi.\n", encoding="utf-8")
    result = invoke("authors", str(folder), "--jobs", "1", env={"COLUMNS": "60"})
    first, files = f"{folder}/first-page-with-a-long-name.txt", f"{folder}/second-page-with-a-long-name.txt"
    assert result.exit_code == 0
    assert result.stdout.splitlines()[1].split() == ["Ann", "2", "0", f"{first}:1", f"{first},", files]


def test_export_json_contract(seed_path):
    result = invoke("export", seed_path)
    assert result.exit_code == 0
    assert result.stderr == ""
    data = json.loads(result.stdout)
    assert list(data) == ["format", "source", "title", "article", "categories", "comment_count", "comments", "footer",
                          "layout", "date", "datetime"]
    assert (data["date"], data["datetime"]) == (None, None)
    assert data["layout"] == "wordpress"
    assert data["format"] == "thread/1"
    assert data["source"] == seed_path
    assert data["comment_count"] == {"declared": 31, "parsed": 30}
    assert data["categories"] == ["Uncategorized"]
    assert data["footer"] == ["Leave a reply to IAmSpartacus Cancel reply"]
    first = data["comments"][0]
    assert list(first) == [
        "id", "parent", "depth", "number", "author", "avatar", "paragraphs", "line",
        "kind", "date", "datetime", "actions", "replies",
    ]
    assert first["replies"][0] == {
        "id": "1.1", "parent": "1", "depth": 2, "number": None, "author": "CARLOS LIZARRAGA IN MIAMI",
        "avatar": "CARLOS LIZARRAGA IN MIAMI",
        "paragraphs": ["Not by the U.S..It is up to Israel and other countries like the Saudis etc. to eliminate the Iranian nuclear threat."],
        "line": 62, "kind": "comment", "date": None, "datetime": None, "actions": [], "replies": [],
    }


def test_export_from_stdin_names_the_source_dash():
    result = invoke("export", "-", input=SEED.read_bytes())
    assert json.loads(result.stdout)["source"] == "-"


def test_export_to_a_file(tmp_path, seed_path):
    target = tmp_path / "out.json"
    result = invoke("export", seed_path, "-o", str(target))
    assert result.exit_code == 0 and result.stdout == ""
    assert json.loads(target.read_text())["comment_count"]["parsed"] == 30


def test_missing_input_exits_66(tmp_path):
    result = invoke("show", str(tmp_path / "nope.txt"))
    assert result.exit_code == 66
    assert result.stderr == f"error: {tmp_path / 'nope.txt'}: no such file\n"


def test_unknown_option_exits_2(seed_path):
    result = invoke("show", seed_path, "--frobnicate")
    assert result.exit_code == 2
    assert result.stderr == (
        "Usage: main show [OPTIONS] [FILE]\n"
        "Try 'main show --help' for help.\n"
        "\n"
        "error: No such option '--frobnicate'. (Did you mean one of: '--format', '--strict'?)\n"
    )


def test_a_malformed_dump_is_shown_with_its_repair_and_a_warning(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_text("Title\n\n1 Comment on “Title”\n\n  1. Bob Says:\n\n    hello\n\n        • Ann Says:\n")
    result = invoke("show", str(path), "--format", "jsonl")
    assert result.exit_code == 0
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["1", "1.1"]
    assert result.stderr.startswith(f"warning: {path}:9:9: unexpected indentation")
    assert result.stderr.endswith("  repaired: read as a comment at depth 2\n"
                                  f"warning: {path}: header declares 1 comment, 2 found\n")


def test_malformed_dump_exits_65_with_location_marker_and_hint_under_strict(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_text("Title\n\n1 Comment on “Title”\n\n  1. Bob Says:\n\n    hello\n\n        • Ann Says:\n")
    result = invoke("show", str(path), "--strict")
    assert result.exit_code == 65
    assert result.stdout == ""
    assert result.stderr == (
        f"error: {path}:9:9: unexpected indentation (deeper than the tree allows here); "
        "expected text, a reply marker ('• NAME Says:') or a less indented line\n"
        "     9 |         • Ann Says:\n"
        "       |         ^\n"
        "  hint: a reply's marker sits two columns right of its parent's marker, and a comment's "
        "text two columns right of its own marker; this line jumps further\n"
    )
