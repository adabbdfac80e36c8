from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "jpost-us-iran-talks.txt"
GOLDEN = Path(__file__).resolve().parent / "golden"


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch, tmp_path_factory):
    # Tests must not depend on the developer's terminal or colour settings,
    # and the parser cache goes to a throwaway folder.
    for name in ("NO_COLOR", "FORCE_COLOR", "PAGER", "COLUMNS", "LINES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "cache"))


@pytest.fixture
def seed_path() -> str:
    return str(SEED)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def invoke(*args: str, input: bytes | str | None = None, env: dict | None = None):
    """Run the CLI in-process and return Click's Result (stdout and stderr kept apart)."""
    from thread_cli.cli import main

    return CliRunner().invoke(main, list(args), input=input, env=env, catch_exceptions=False)


def check_golden(name: str, actual: str) -> None:
    """Compare with tests/golden/NAME; UPDATE_GOLDEN=1 rewrites the file instead."""
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_bytes(actual.encode("utf-8"))
    expected = path.read_bytes().decode("utf-8")
    assert actual == expected, f"{name} differs from its golden file (UPDATE_GOLDEN=1 to accept)"
