#!/usr/bin/env python3
"""Check that reference_scanner.py writes what `thread export --format jsonl` writes.

The yardstick is only fair if it does the same work, so this runs both on the
seed dumps and on a generated 1 MB dump (and on any FILE given) and compares
their output record by record, as parsed JSON. It reports:

  * records present in one output only (different counts),
  * keys that differ (a key thread writes that the scanner doesn't, or
    the other way round, or the same keys in another order),
  * the first records whose values differ, field by field,
  * whether the two outputs are also identical byte for byte.

    python benchmarks/check_reference.py [--installed | --repo PATH] [FILE...]

Exit status 0 when every file matches, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from common import REFERENCE, REPO, SEED, ensure_dump, shown, thread_command

MAX_SHOWN = 5  # differing records printed per file


def run(argv: list[str], env: dict[str, str], cwd: Path) -> bytes:
    result = subprocess.run(argv, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RuntimeError(f"exit {result.returncode}: {' '.join(argv)}\n  " + "\n  ".join(message[-5:]))
    return result.stdout


def compare(name: str, ours: bytes, theirs: bytes) -> bool:
    """Print how the scanner's output (theirs) differs from thread's (ours); True when it doesn't."""
    mine = ours.decode("utf-8").splitlines()
    ref = theirs.decode("utf-8").splitlines()
    ok = True
    print(f"{name}: thread {len(mine)} records, reference {len(ref)} records", end="")
    if ours == theirs:
        print(" — identical byte for byte")
        return True
    print()
    if len(mine) != len(ref):
        ok = False
        print(f"  ✗ record counts differ ({len(mine)} vs {len(ref)})")

    key_report_done = False
    shown_count = mismatched = 0
    for index, (a_text, b_text) in enumerate(zip(mine, ref), start=1):
        a, b = json.loads(a_text), json.loads(b_text)
        if list(a) != list(b) and not key_report_done:
            # Reported once: a new key in the product shows up in every record.
            key_report_done = True
            ok = False
            only_thread = [k for k in a if k not in b]
            only_ref = [k for k in b if k not in a]
            print(f"  ✗ keys differ (from record {index}):")
            print(f"      thread:    {list(a)}")
            print(f"      reference: {list(b)}")
            if only_thread:
                print(f"      only in thread:    {only_thread}")
            if only_ref:
                print(f"      only in reference: {only_ref}")
            if not only_thread and not only_ref:
                print("      same keys, different order")
        fields = [k for k in a if k in b and a[k] != b[k]]
        if fields:
            ok = False
            mismatched += 1
            if shown_count < MAX_SHOWN:
                shown_count += 1
                print(f"  ✗ record {index} (id {a.get('id')!r}, line {a.get('line')}) differs in {fields}:")
                for key in fields:
                    print(f"      {key}: thread {a[key]!r}")
                    print(f"      {' ' * len(key)}  ref    {b[key]!r}")
    if mismatched:
        print(f"  ✗ {mismatched} record(s) with different values")
    elif ok:
        # Same records and values; only the bytes differ (spacing, escapes).
        print("  ✓ same records and values, though not the same bytes")
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", type=Path, help="more dumps to compare on")
    parser.add_argument("--installed", action="store_true", help="use the `thread` script on PATH")
    parser.add_argument("--repo", type=Path, default=REPO, help="checkout whose thread to check (default: this one)")
    args = parser.parse_args(argv)

    if not (args.repo / "thread_cli").is_dir():
        parser.error(f"--repo: {args.repo} is not a checkout of thread (no thread_cli/ in it)")
    thread, env, cwd = thread_command(args.installed, args.repo.resolve())
    # Every seed (each exercises other layouts: dates, pingbacks, action lines),
    # then a generated dump big enough to hit the rare cases of the generator.
    seeds = sorted(SEED.parent.glob("*.txt"))
    files = [*seeds, ensure_dump("1MB"), *[path.resolve() for path in args.files]]
    all_ok = True
    for path in files:
        # The same path string for both, since it is echoed in every record's "source".
        target = shown(path) if cwd == REPO else str(path)
        try:
            ours = run([*thread, "export", "--format", "jsonl", target], env, cwd)
            theirs = run([sys.executable, str(REFERENCE), target], env, cwd)
        except RuntimeError as error:
            print(f"{shown(path)}: ✗ {error}")
            all_ok = False
            continue
        all_ok &= compare(shown(path), ours, theirs)
    print("OK: the reference scanner matches thread" if all_ok else "MISMATCH (see above)")
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main())
