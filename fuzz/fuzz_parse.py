"""Atheris fuzz target for the dump parser (issue 4). Run by hand; see fuzz/README.md.

Each input is a dump as bytes. It is decoded with thread_cli.source.decode,
parsed strictly and with --lenient, checked with thread_cli.parser.check and
exported in every format; the properties are those of
tests/test_properties.py (``check_properties``), the single place they are
written down:

* nothing but ThreadError subclasses is raised (anything else is a crash);
* a strict parse exports (text) to the input byte for byte, and the export
  parses to the same JSON; check() is empty exactly when the strict parse works;
* a lenient parse keeps every line and its text export parses to the same JSON.

Symptoms of the known --lenient bugs (xfail tests in tests/test_properties.py)
are counted, not reported, so the fuzzer keeps looking for new problems;
FUZZ_STRICT=1 reports them too. Only thread_cli is instrumented.
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
    from thread_cli.parser import check, parse  # noqa: F401
    from thread_cli.source import decode  # noqa: F401

import test_properties  # noqa: E402 - the properties, written once

STRICT = bool(os.environ.get("FUZZ_STRICT"))
_runs = 0


def TestOneInput(data: bytes) -> None:  # noqa: N802 - atheris' name
    global _runs
    _runs += 1
    seen = len(test_properties.KNOWN_BUG_HITS)
    test_properties.check_properties(data, tolerate_known_bugs=not STRICT)
    # libFuzzer ends the process without running atexit handlers: report as we go.
    if len(test_properties.KNOWN_BUG_HITS) > seen or _runs % 50_000 == 0:
        print(f"#{_runs} known-bug symptoms tolerated: {dict(test_properties.KNOWN_BUG_HITS)}",
              file=sys.stderr, flush=True)


if __name__ == "__main__":
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()
