"""Atheris fuzz target for the dump parser (issue 4). Run by hand; see fuzz/README.md.

Each input is a dump as bytes. It is decoded with thread_cli.source.decode,
parsed strictly and recovering (what check and --lenient do) and exported in
every format; the properties are those of
tests/test_properties.py (``check_properties``), the single place they are
written down:

* nothing but ThreadError subclasses is raised (anything else is a crash);
* a strict parse exports (text) to the input byte for byte, and the export
  parses to the same JSON; check() is empty exactly when the strict parse works;
* a lenient parse keeps every line and its text export parses to the same JSON.

Only thread_cli is instrumented.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import atheris

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

os.environ.setdefault("XDG_CACHE_HOME", str(Path.home() / ".cache"))

with atheris.instrument_imports(include=["thread_cli"]):
    import thread_cli.cli  # noqa: F401 - instruments the whole package, CLI included
    from thread_cli.errors import ThreadError  # noqa: F401 - documented: only these may escape
    from thread_cli.formats import render  # noqa: F401
    from thread_cli.parse import parse  # noqa: F401
    from thread_cli.source import decode  # noqa: F401

import test_properties  # noqa: E402 - the properties, written once



def TestOneInput(data: bytes) -> None:  # noqa: N802 - atheris' name
    test_properties.check_properties(data)


if __name__ == "__main__":
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()
