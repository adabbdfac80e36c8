#!/usr/bin/env python3
"""Time this checkout against another one, side by side, and print the ratios.

    python benchmarks/compare.py --against PATH [--runs N] [--markdown]

Each command runs in both checkouts alternately (so both see the same load on
a shared machine), each time as a fresh process; the table gives the median
CPU time (user + system) of each and this checkout's ratio to the other.
CPU time rather than wall time: a process waiting for the other core does not
count. The other checkout is run with THREAD_NO_SPLIT=1, so an older version
that split big dumps between two processes is timed in one, as this one is.

Example: git worktree add /tmp/before 8748569 && python benchmarks/compare.py --against /tmp/before
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
from pathlib import Path

from common import REPO, SEED, ensure_dump, thread_command

ROWS = [
    ("thread --help", ["--help"]),
    ("export --format json, seed", ["export", "--format", "json", "{seed}"]),
    ("show, seed, to a pipe", ["show", "{seed}"]),
    ("export --format jsonl, 10 MB", ["export", "--format", "jsonl", "{big}"]),
    ("show, 10 MB, to a pipe", ["show", "{big}"]),
    ("check, 10 MB", ["check", "{big}"]),
]


def cpu_seconds(argv: list[str], env: dict[str, str], cwd: Path) -> float:
    """The CPU time of one run of ``argv`` (its output thrown away)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(argv, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--against", type=Path, required=True, help="the other checkout")
    parser.add_argument("--runs", type=int, default=5, help="runs per command and checkout (default 5)")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    args = parser.parse_args()
    if not (args.against / "thread_cli").is_dir():
        parser.error(f"--against: {args.against} is not a checkout of thread")
    big = ensure_dump("10MB")
    ours = thread_command(repo=REPO)
    theirs = thread_command(repo=args.against.resolve())
    theirs[1]["THREAD_NO_SPLIT"] = "1"
    rows = []
    for label, words in ROWS:
        argv = [word.format(seed=SEED, big=big) for word in words]
        times: dict[str, list[float]] = {"this": [], "other": []}
        for _ in range(args.runs):
            for name, (prefix, env, cwd) in (("this", ours), ("other", theirs)):
                times[name].append(cpu_seconds(prefix + argv, env, cwd))
        this, other = statistics.median(times["this"]), statistics.median(times["other"])
        rows.append((label, this, other, this / other))
        print(f"{label}: {this * 1000:.0f} ms against {other * 1000:.0f} ms", file=sys.stderr, flush=True)
    load = os.getloadavg()[0]
    if args.markdown:
        print("| command | this checkout | the other | ratio |\n|---|---:|---:|---:|")
        for label, this, other, ratio in rows:
            print(f"| {label} | {this * 1000:.0f} ms | {other * 1000:.0f} ms | {ratio:.2f}× |")
    else:
        for label, this, other, ratio in rows:
            print(f"{label:32} {this * 1000:7.0f} ms {other * 1000:7.0f} ms {ratio:6.2f}×")
    print(f"\nmedian CPU time of {args.runs} runs each, alternating; load average {load:.2f} at the end; "
          f"the other checkout: {args.against}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
