#!/usr/bin/env python3
"""Corpus benchmarks (issue 13): one run, one printed table.

    python benchmarks/corpus.py [--quick] [--regenerate] [--installed]

Rows (each the best of --repeat runs, output to -o in benchmarks/data/):

  jobs-2       2,000 files (~40 MB) to JSON Lines, --jobs 2 vs --jobs 1         speed-up ≥ 1.7×
  per-file     --jobs 1: 2,000 tiny files minus one file of their total size, /2,000   < 2 ms
  memory-2k    peak memory of the whole run (all processes, summed PSS), 2,000 files   < 200 MB
  memory-20k   the same at 20,000 files                                                < 200 MB
  parquet      --format parquet vs JSON Lines, 2,000 files, --jobs 2                    ≤ 1.3×

The two commands of a ratio alternate (A B, B A, A B…), so drift and other
work on the machine hit both alike; each row is the best of its runs. Timed
runs sample only the parent's /proc/PID/stat: its own CPU time (utime +
stime of the `thread` process, its workers not included), what it costs to
write what the workers made. Peak memory has runs of its own, since reading
every process's smaps_rollup each 10 ms takes a good part of a core: the
process and all its descendants, their proportional set sizes summed (shared
pages counted once), and also their resident sizes summed (shared pages
counted in each), for reference. --quick uses a tenth of the files.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from common import DATA, REPO, process_tree, thread_command

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate  # noqa: E402


def corpus(name: str, files: int, file_size: int, *, regenerate: bool) -> Path:
    directory = DATA / name
    if regenerate and directory.exists():
        shutil.rmtree(directory)
    if not directory.exists():
        print(f"generating {directory.relative_to(REPO)} ({files:,} files of ~{file_size:,} bytes)…",
              file=sys.stderr, flush=True)
        generate.generate_corpus(directory, files, file_size=file_size, broken=0, seed=7)
    return directory


def one_file_like(directory: Path, *, regenerate: bool) -> Path:
    """One dump as big as all of ``directory``'s files together."""
    total = sum(path.stat().st_size for path in directory.rglob("*.txt"))
    path = DATA / f"{directory.name}-as-one.txt"
    if regenerate or not path.exists():
        path.write_bytes(generate.generate(total, 7))
    return path


def _memory(pids: list[int]) -> tuple[int, int]:
    pss = rss = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as stream:
                for line in stream:
                    if line.startswith("Pss:"):
                        pss += int(line.split()[1]) * 1024
                    elif line.startswith("Rss:"):
                        rss += int(line.split()[1]) * 1024
        except OSError:
            pass
    return pss, rss


TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _cpu(pid: int) -> float:
    """The process's own CPU seconds so far (not its children's)."""
    try:
        with open(f"/proc/{pid}/stat") as stream:
            fields = stream.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime


def measure(argv: list[str], env, cwd, *, memory: bool = False) -> tuple[float, int, int, float]:
    """(seconds, peak summed PSS, peak summed RSS, the parent's CPU seconds) of one run.

    Without ``memory`` the peaks are 0: reading every process's smaps_rollup
    each 10 ms takes a good part of a core, which a run on two cores would
    lose; the parent's /proc/PID/stat costs next to nothing."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak_pss = peak_rss = 0
    cpu = 0.0
    while process.poll() is None:
        if memory:
            pss, rss = _memory(process_tree(process.pid))
            peak_pss, peak_rss = max(peak_pss, pss), max(peak_rss, rss)
        cpu = max(cpu, _cpu(process.pid))
        time.sleep(0.01)
    elapsed = time.perf_counter() - start
    stderr = process.stderr.read()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({process.returncode}): {stderr.decode()[-2000:]}")
    return elapsed, peak_pss, peak_rss, cpu


def _best_of(runs: list) -> tuple[float, int, int, float]:
    """The shortest time, the highest memory peaks and the least CPU of ``runs``."""
    return (min(run[0] for run in runs), max(run[1] for run in runs), max(run[2] for run in runs),
            min(run[3] for run in runs))


def best(argv, env, cwd, repeat: int, *, memory: bool = False) -> tuple[float, int, int, float]:
    return _best_of([measure(argv, env, cwd, memory=memory) for _ in range(repeat)])


def side_by_side(first, second, env, cwd, repeat: int):
    """best() of two commands whose runs alternate (A B, B A…): a ratio of the two
    is fair on a machine whose load changes."""
    runs: tuple[list, list] = ([], [])
    for turn in range(repeat):
        order = (0, 1) if turn % 2 == 0 else (1, 0)
        for which in order:
            runs[which].append(measure((first, second)[which], env, cwd))
    return tuple(_best_of(done) for done in runs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the files")
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--installed", action="store_true", help="run the `thread` on PATH")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    scale = 10 if args.quick else 1
    thread, env, cwd = thread_command(args.installed)
    DATA.mkdir(parents=True, exist_ok=True)
    big = corpus(f"corpus-{2000 // scale}", 2000 // scale, 20_000, regenerate=args.regenerate)
    tiny = corpus(f"corpus-tiny-{2000 // scale}", 2000 // scale, 1_000, regenerate=args.regenerate)
    many = corpus(f"corpus-many-{20000 // scale}", 20000 // scale, 2_000, regenerate=args.regenerate)
    one = one_file_like(tiny, regenerate=args.regenerate)
    out = DATA / "corpus-out"
    files = 2000 // scale

    def command(source: Path, *options: str, fmt: str = "jsonl") -> list[str]:
        suffix = "parquet" if fmt == "parquet" else "jsonl"
        return [*thread, "export", str(source), "-f", fmt, "-o", f"{out}.{suffix}", *options]

    def peak_memory(source: Path, *options: str):
        return best(command(source, *options), env, cwd, args.repeat, memory=True)

    def pair(first: list[str], second: list[str]):
        return side_by_side(first, second, env, cwd, args.repeat)

    load_before = os.getloadavg() if hasattr(os, "getloadavg") else None
    rows = []
    one_job, two_jobs = pair(command(big, "--jobs", "1"), command(big, "--jobs", "2"))
    size = sum(path.stat().st_size for path in big.rglob("*.txt")) / 1e6
    rows.append(("jobs-2", f"{files:,} files ({size:.0f} MB) jsonl: --jobs 1 {one_job[0]:.2f} s, --jobs 2 "
                 f"{two_jobs[0]:.2f} s (parent CPU {two_jobs[3]:.2f} s)", f"{one_job[0] / two_jobs[0]:.2f}× faster",
                 "≥ 1.7×", one_job[0] / two_jobs[0] >= 1.7))
    tiny, one_file = pair(command(tiny, "--jobs", "1"), command(one, "--jobs", "1"))
    tiny_time, one_time = tiny[0], one_file[0]
    overhead = (tiny_time - one_time) / files * 1000
    rows.append(("per-file", f"--jobs 1: {files:,} tiny files {tiny_time:.2f} s, one file {one_time:.2f} s",
                 f"{overhead:.2f} ms", "< 2 ms", overhead < 2))
    for name, source, count in (("memory-2k", big, files), ("memory-20k", many, 20000 // scale)):
        _, pss, rss, _ = peak_memory(source, "--jobs", "2")
        rows.append((name, f"{count:,} files, --jobs 2: peak PSS (RSS summed {rss / 1e6:.0f} MB)",
                     f"{pss / 1e6:.0f} MB", "< 200 MB", pss < 200e6))
    jsonl, parquet = pair(command(big, "--jobs", "2"), command(big, "--jobs", "2", fmt="parquet"))
    rows.append(("parquet", f"{files:,} files parquet {parquet[0]:.2f} s vs jsonl {jsonl[0]:.2f} s (--jobs 2; "
                 f"parent CPU {parquet[3]:.2f} s vs {jsonl[3]:.2f} s)",
                 f"{parquet[0] / jsonl[0]:.2f}×", "≤ 1.3×", parquet[0] / jsonl[0] <= 1.3))
    load_after = os.getloadavg() if hasattr(os, "getloadavg") else None

    def shown(load) -> str:
        return "n/a" if load is None else " ".join(f"{value:.2f}" for value in load)

    print(f"cores: {os.cpu_count()}, load average (1, 5, 15 min) before: {shown(load_before)}, "
          f"after: {shown(load_after)}; best of {args.repeat}, alternating")
    width = max(len(row[1]) for row in rows)
    for name, what, value, target, ok in rows:
        print(f"{name:<11} {what:<{width}}  {value:>12}  {target:<9} {'ok' if ok else 'MISSED'}")
    return 0 if all(row[4] for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
