"""Shell completion: --author and --replies-to complete the names in the FILE on the command line.

The shell runs ``_THREAD_COMPLETE=bash_complete thread`` with the words typed
so far in COMP_WORDS and the position of the word to complete in COMP_CWORD;
Click answers one ``type,value`` line per candidate.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from thread_cli.cli import main

from conftest import ROOT

SEED_ARG = "seeds/jpost-us-iran-talks.txt"

@pytest.fixture(autouse=True)
def _from_the_repository_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def complete(line: str, shell: str = "bash") -> list[str]:
    """The candidates the shell would offer for the last word of ``line``."""
    words = line.split(" ")
    env = {
        "_THREAD_COMPLETE": f"{shell}_complete",
        "COMP_WORDS": line,
        "COMP_CWORD": str(len(words) - 1),
    }
    result = CliRunner().invoke(main, [], env=env, prog_name="thread")
    assert result.exit_code == 0, result.output
    if shell == "bash":
        return [entry.split(",", 1)[1] for entry in result.stdout.splitlines() if entry]
    lines = result.stdout.splitlines()  # zsh: type, value, help, one line each
    return [lines[i + 1] for i in range(0, len(lines) - 2, 3)]


def test_author_completes_names_from_the_file():
    assert complete(f"thread show {SEED_ARG} --author L") == ["Luis", "Louisiana Steve"]


def test_author_completion_ignores_case_and_offers_avatar_names():
    assert complete(f"thread show {SEED_ARG} --author lu") == ["Luis"]
    assert complete(f"thread show {SEED_ARG} --author jo") == ["John Prophet", "josephwouk", "Joseph Wouk"]


@pytest.mark.parametrize(
    "line",
    [
        f"thread export {SEED_ARG} --author Lo",
        f"thread search obama {SEED_ARG} --author Lo",
        f"thread show {SEED_ARG} --replies-to Lo",
        f"thread show {SEED_ARG} --author Luis --author Lo",
    ],
)
def test_completion_works_for_every_command_and_option(line):
    assert complete(line) == ["Louisiana Steve"]


def test_zsh_gets_the_same_names():
    assert complete(f"thread show {SEED_ARG} --author L", shell="zsh") == ["Luis", "Louisiana Steve"]


def test_no_file_no_names():
    assert complete("thread show --author L") == []
    assert complete("thread show no-such-file.txt --author L") == []


def test_options_still_complete():
    assert "--author" in complete(f"thread show {SEED_ARG} --aut")
