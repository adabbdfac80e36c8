"""authors, stats and search over a corpus (issue 13): the same run as a corpus export.

Bad files fail alone and are reported as export reports them (the same
stderr, byte for byte), --errors-to gets the same lines, the run ends with
the summary and exit 65, or with --on-error fail stops at the first; --jobs
changes nothing in the output.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import invoke
from test_corpus import broken, clean  # noqa: F401 (the generated corpora, as fixtures)
from thread_cli import api

# broken: broken-1-link.txt (cannot be read), broken-2-bytes.txt (invalid
# UTF-8), broken-3-structure.txt (a reply out of place), then 7 good files;
# clean: 12 good files.


def _good(directory: Path) -> list[str]:
    return [path for path in api.corpus_files([str(directory)]) if "broken-" not in path]


def _threads(paths: list[str]) -> list:
    return [api.load(path).thread for path in paths]


COMMANDS = {
    "authors": ("authors", "--format", "json"),
    "stats": ("stats", "--format", "json"),
    "search -c": ("search", "-c", "the"),
    "search -l": ("search", "-l", "the"),
}


def _expected_stdout(name: str, paths: list[str]) -> str:
    if name == "authors":
        return json.dumps(api.author_records(_threads(paths)), indent=2, ensure_ascii=False) + "\n"
    if name == "stats":
        return json.dumps(api.stats(_threads(paths)), indent=2, ensure_ascii=False) + "\n"
    matched = [(path, len(api.select(thread, api.criteria(grep="the", context="none")).matched))
               for path, thread in zip(paths, _threads(paths))]
    if name == "search -c":
        return "".join(f"{path}:{count}\n" for path, count in matched)
    return "".join(f"{path}\n" for path, count in matched if count)


@pytest.mark.parametrize("name", list(COMMANDS))
def test_bad_files_are_skipped_reported_and_listed_as_export_does(name, broken, tmp_path):
    exported_errors, errors = tmp_path / "export-errors.jsonl", tmp_path / "errors.jsonl"
    # -q: stats warns about headers whose count is off, an export does not
    export = invoke("-q", "export", str(broken), "--strict", "-f", "jsonl", "-o", str(tmp_path / "out.jsonl"),
                    "--errors-to", str(exported_errors))
    result = invoke("-q", *COMMANDS[name], str(broken), "--strict", "--errors-to", str(errors), "-j", "2")
    assert result.exit_code == 65
    assert result.stderr == export.stderr
    link = f"{broken}/broken-1-link.txt"
    assert result.stderr.startswith(f"error: {link}: no such file\nerror: {broken}/broken-2-bytes.txt:")
    assert result.stderr.endswith("\n10 files, 7 read, 3 skipped (see above)\n")
    assert errors.read_text() == exported_errors.read_text()
    assert [record["path"] for record in map(json.loads, errors.read_text().splitlines())] == [
        link, f"{broken}/broken-2-bytes.txt", f"{broken}/broken-3-structure.txt"]
    # What was read is counted as if only the good files had been given.
    assert result.stdout == _expected_stdout(name, _good(broken))


@pytest.mark.parametrize("name", list(COMMANDS))
def test_on_error_fail_stops_at_the_first_bad_file(name, broken):
    good = _good(broken)
    link = f"{broken}/broken-1-link.txt"
    result = invoke("-q", *COMMANDS[name], good[0], link, good[1], "--on-error", "fail", "-j", "2")
    assert (result.exit_code, result.stdout, result.stderr) == (66, "", f"error: {link}: no such file\n")
    structure = f"{broken}/broken-3-structure.txt"
    result = invoke("-q", *COMMANDS[name], good[0], structure, "--strict", "--on-error", "fail")
    assert result.exit_code == 65 and result.stdout == ""
    assert result.stderr.startswith(f"error: {structure}:28:9: unexpected indentation")
    assert "skipped" not in result.stderr


def test_without_strict_only_the_unreadable_file_is_left_out(broken):
    result = invoke("stats", str(broken), "--format", "json", "-j", "1")
    assert result.exit_code == 65
    lines = result.stderr.splitlines()
    assert lines[0] == f"error: {broken}/broken-1-link.txt: no such file"
    assert lines[1].startswith(f"warning: {broken}/broken-2-bytes.txt:30:61: invalid UTF-8")
    assert f"warning: {broken}/broken-3-structure.txt: header declares 8 comments, 5 found" in lines
    assert lines[-1] == "10 files, 9 read, 1 skipped (see above)"
    readable = [path for path in api.corpus_files([str(broken)]) if "link" not in path]
    assert json.loads(result.stdout) == api.stats(_threads(readable))


@pytest.mark.parametrize("name", [*COMMANDS, "authors table", "stats table"])
def test_jobs_1_and_2_give_the_same_output(name, clean):
    args = {"authors table": ("authors", "--format", "plain"), "stats table": ("stats", "--format", "plain")}
    command = args.get(name) or COMMANDS[name]
    one = invoke(*command, str(clean), "--jobs", "1")
    two = invoke(*command, str(clean), "--jobs", "2")
    assert (one.exit_code, one.stdout, one.stderr) == (two.exit_code, two.stdout, two.stderr)
    assert one.exit_code == 0 and one.stdout
    if name in COMMANDS:
        assert one.stdout == _expected_stdout(name, api.corpus_files([str(clean)]))


def test_one_file_fails_as_before(broken, tmp_path):
    missing = str(tmp_path / "missing.txt")
    for command in (("authors",), ("stats",), ("search", "-c", "x"), ("search", "x")):
        result = invoke(*command, missing)
        assert (result.exit_code, result.stdout, result.stderr) == (66, "", f"error: {missing}: no such file\n")
    structure = f"{broken}/broken-3-structure.txt"
    result = invoke("authors", structure, "--strict")
    assert result.exit_code == 65 and result.stderr.startswith(f"error: {structure}:28:9: unexpected indentation")
    assert result.stderr.count("\n") == 4  # the error, its line, the marker, the hint: no summary


def test_an_id_a_file_lacks_is_a_usage_error_not_an_internal_one(tmp_path):
    """search --at: one file without the id stops with exit 2, as before the
    corpus run; among several, that file is skipped and named."""
    from conftest import SEED

    other = tmp_path / "other.txt"
    other.write_text("Title\n\n1 Comment\n\n  1. Ann says:\n\n    Iran\n", encoding="utf-8")
    alone = invoke("search", "Iran", str(SEED), "--at", "99.9")
    assert (alone.exit_code, alone.stdout) == (2, "")
    assert alone.stderr == f"error: {SEED}: no comment with id '99.9' in {SEED}\n"
    several = invoke("search", "-c", "Iran", str(SEED), str(other), "--at", "6.1")
    assert (several.exit_code, several.stdout) == (65, f"{SEED}:1\n")
    assert several.stderr == (f"error: {other}: no comment with id '6.1' in {other}\n"
                              "2 files, 1 read, 1 skipped (see above)\n")


def test_the_view_of_search_skips_bad_files_too(broken):
    good = [path for path in api.corpus_files([str(broken)]) if "link" not in path]
    alone = invoke("search", "the", *good, "-q")
    result = invoke("search", "the", str(broken), "-q")
    assert result.exit_code == 65
    assert result.stdout == alone.stdout and alone.stdout.startswith(f"{broken}/broken-2-bytes.txt:")
    # -q silences the warnings, not the errors
    assert result.stderr == f"error: {broken}/broken-1-link.txt: no such file\n10 files, 9 read, 1 skipped (see above)\n"


def test_a_failed_run_with_matches_still_exits_65_and_no_match_is_1(broken, clean):
    assert invoke("search", "-c", "zzzz-nowhere", str(clean)).exit_code == 1
    assert invoke("search", "-l", "the", str(broken)).exit_code == 65


@pytest.mark.parametrize("command", ["export", "authors", "stats", "search"])
def test_every_corpus_command_takes_the_run_options_and_shows_an_example(command):
    text = invoke(command, "--help").stdout
    for option in ("--files-from LIST", "--glob PATTERN", "-j, --jobs N", "--on-error [skip|fail]",
                   "--errors-to FILE"):
        assert option in text, (command, option)
    assert "Example" in text


def test_tasks_take_consecutive_small_files_a_big_one_alone_and_stdin_alone(tmp_path):
    from thread_cli.corpus import tasks

    paths = []
    for name, size in (("a", 100), ("b", 100), ("big", 1000), ("c", 100), ("d", 100), ("e", 100), ("f", 100)):
        (tmp_path / name).write_bytes(b"x" * size)
        paths.append(str(tmp_path / name))
    a, b, big, c, d, e, f = paths
    missing = str(tmp_path / "missing")  # counts as empty: reading it says why it fails
    assert list(tasks([a, b, big, c, "-", d, missing, e, f], size_limit=250, count_limit=3)) == [
        [a, b], [big], [c], ["-"], [d, missing, e], [f]]


def test_standard_input_among_files_keeps_its_place_with_jobs(clean):
    paths = api.corpus_files([str(clean)])
    data = Path(paths[1]).read_text(encoding="utf-8")
    result = invoke("search", "-c", "the", paths[0], "-", paths[2], "-j", "2", input=data)
    expected = _expected_stdout("search -c", paths[:3]).splitlines()
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [expected[0], "-:" + expected[1].rsplit(":", 1)[1], expected[2]]
