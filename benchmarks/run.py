#!/usr/bin/env python3
"""Time `thread` as whole processes against its targets and print one table.

Each row compares two commands (or, for memory, one command and the size of
its input; for first-screen, two moments of the same runs) and checks the
ratio against a target:

  help         thread --help                          vs python -c "import click"   ≤ 1.3×
  export-json  thread export --format json SEED       vs python -c "import click"   ≤ 1.8×
  show-seed    thread show SEED (stdout to a pipe)    vs python -c "import click"   ≤ 2.5×
  jsonl        thread export --format jsonl 10MB      vs reference_scanner.py 10MB  ≤ 1.4×
  memory       peak RSS of thread export --format jsonl 50MB  vs the file's size    ≤ 4×
  show-big     thread show 10MB (to a pipe)           vs thread export --format jsonl 10MB  ≤ 2×
  first-screen thread show 10MB (to a terminal): first comment  vs its end, in the same runs  ≤ 0.5×
  check        thread check 10MB                      vs thread export --format jsonl 10MB  ≤ 2×

    python benchmarks/run.py [--runs N] [--quick] [--only NAME[,NAME]] [--markdown]
                             [--installed | --repo PATH] [--regenerate]

Missing dumps are generated into benchmarks/data/ by generate.py. Exit status:
0 when every row passes, 1 when one fails, 2 when a command itself fails.
"""

from __future__ import annotations

import argparse
import errno
import fcntl
import os
import platform
import re
import shlex
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from common import REFERENCE, REPO, SEED, ensure_dump, process_tree, shown, thread_command

BASELINE = [sys.executable, "-c", "import click"]
MEMORY_RUNS = 3  # peak RSS hardly varies between runs, and each run of the 50 MB dump is long
# The terminal the first-screen row pretends to be; NO_COLOR and FORCE_COLOR are removed.
TERMINAL = {"COLUMNS": "100", "LINES": "40", "TERM": "xterm-256color"}


# ---------------------------------------------------------------- measuring one process


@dataclass
class Sample:
    seconds: float
    peak_rss: int  # bytes
    output: int  # bytes written to stdout
    first: float | None = None  # seconds until the first comment showed (on a terminal only)


class CommandFailed(Exception):
    pass


def measure(argv: list[str], env: dict[str, str], cwd: Path) -> Sample:
    """Run ``argv`` once with stdout to a pipe we drain; wall time and peak memory.

    Peak memory is the sum of the peaks of the process and of the processes
    it starts (thread forks a second one for a big dump): each one's VmHWM,
    its high-water mark, read from /proc every few milliseconds while it
    runs (see TreePeaks). Where there is no /proc, or the samples saw less,
    it is the ru_maxrss that os.wait4() returns, the largest single peak in
    the tree, with no helper process in between. The alternatives are worse:
    getrusage (RUSAGE_CHILDREN) in this process is the maximum over *all*
    children reaped so far, so a small run after a big one reports the big
    one's peak; /usr/bin/time -f %M adds a process to every timed run and is
    GNU-only; a `python -c` wrapper would add an interpreter start to every
    measurement.
    """
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        try:
            process = subprocess.Popen(argv, env=env, cwd=cwd, stdin=subprocess.DEVNULL,
                                       stdout=subprocess.PIPE, stderr=errors)
        except OSError as error:
            raise CommandFailed(f"cannot start {shlex.join(argv)}: {error}") from None
        peaks = TreePeaks(process.pid)
        # Read and discard, as a consumer at the end of a pipe would: the
        # command pays for writing into a real pipe, and we hold no copy.
        output = 0
        fd = process.stdout.fileno()
        while chunk := os.read(fd, 1 << 16):
            output += len(chunk)
        process.stdout.close()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        tree_peak = peaks.stop()
        process.returncode = os.waitstatus_to_exitcode(status)  # so Popen won't wait again
        if process.returncode != 0:
            errors.seek(0)
            tail = errors.read().decode("utf-8", "replace").strip().splitlines()[-3:]
            raise CommandFailed(f"exit {process.returncode}: {shlex.join(argv)}\n    " + "\n    ".join(tail))
    # ru_maxrss is in kilobytes on Linux and the BSDs, in bytes on macOS.
    scale = 1 if sys.platform == "darwin" else 1024
    return Sample(seconds, max(tree_peak, usage.ru_maxrss * scale), output)


class TreePeaks:
    """Samples, in a thread, the VmHWM of a process and its descendants.

    VmHWM only grows, so the last sample of each process before it ends is
    close to its peak; the sum of those is what the tree held at most.
    """

    INTERVAL = 0.005

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peaks: dict[int, int] = {}
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        if Path("/proc/self/status").exists():
            self.thread.start()

    def _run(self) -> None:
        while not self.done.is_set():
            for pid in process_tree(self.pid):
                peak = _vm_hwm(pid)
                if peak > self.peaks.get(pid, 0):
                    self.peaks[pid] = peak
            self.done.wait(self.INTERVAL)

    def stop(self) -> int:
        """The sum of the peaks seen, in bytes (0 without /proc)."""
        self.done.set()
        if self.thread.is_alive():
            self.thread.join()
        return sum(self.peaks.values())


def _vm_hwm(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


# The first comment's header row as the view draws it: its number, 1, at the
# start of a line and two spaces after it, with or without colour codes (SGR)
# around the number, as in "\x1b[36m1\x1b[0m  Name". The codes are bounded so
# that a match is never longer than OVERLAP.
_SGR = rb"(?:\x1b\[[0-9;]{0,16}m){0,4}"
FIRST_COMMENT = re.compile(rb"(?<=\n)" + _SGR + rb"1" + _SGR + rb"  ")
OVERLAP = 256  # bytes of what was read before that are searched again with each new read
KEEP = 4096  # bytes of the end of the output kept, to show if the command fails
_ESCAPE = re.compile(rb"\x1b(?:\[[0-9;?]*[A-Za-z]|\][^\x07\x1b]*(?:\x07|\x1b\\))")


def measure_terminal(argv: list[str], env: dict[str, str], cwd: Path) -> Sample:
    """Run ``argv`` once on a pseudo-terminal; when its first comment shows, and when it ends.

    The command's stdin, stdout and stderr are the terminal, so it takes the
    path a user at a terminal gets: colour, and the view written out one
    comment at a time, flushed as it goes (``--no-pager`` in the command
    keeps the pager out). The runner reads the terminal as fast as it can
    and looks for the first comment's header row in each read, together
    with the end of the read before it, so a row split between two reads is
    found and megabytes are not searched again. ``first`` is when the read
    that completed that row returned; ``seconds``, as in measure(), is when
    the process was reaped. The terminal turns each line feed into CR LF,
    as a real one does, and ``output`` counts those bytes.
    """
    env = {key: value for key, value in env.items() if key not in ("NO_COLOR", "FORCE_COLOR")}
    env.update(TERMINAL)
    master, child_side = os.openpty()
    try:
        # Shutil and Rich read COLUMNS and LINES; the size is set on the terminal too
        # so that anything asking the terminal itself sees the same.
        size = struct.pack("HHHH", int(TERMINAL["LINES"]), int(TERMINAL["COLUMNS"]), 0, 0)
        fcntl.ioctl(child_side, termios.TIOCSWINSZ, size)
        start = time.perf_counter()
        try:
            process = subprocess.Popen(argv, env=env, cwd=cwd, stdin=child_side,
                                       stdout=child_side, stderr=child_side)
        except OSError as error:
            raise CommandFailed(f"cannot start {shlex.join(argv)}: {error}") from None
        os.close(child_side)  # or reading would never see the end
        child_side = -1
        first, output, tail = None, 0, b"\n"  # the output starts at the start of a line
        while True:
            try:
                chunk = os.read(master, 1 << 16)
            except OSError as error:  # EIO on Linux: every process has closed its side
                if error.errno == errno.EIO:
                    break
                raise
            if not chunk:  # the end, on the BSDs and macOS
                break
            output += len(chunk)
            window = tail + chunk
            if first is None and FIRST_COMMENT.search(window, max(0, len(tail) - OVERLAP)):
                first = time.perf_counter() - start
            tail = window[-KEEP:]
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)  # so Popen won't wait again
    finally:
        os.close(master)
        if child_side >= 0:
            os.close(child_side)
    shown_tail = _ESCAPE.sub(b"", tail).decode("utf-8", "replace").replace("\r", "").strip().splitlines()[-3:]
    if process.returncode != 0:
        raise CommandFailed(f"exit {process.returncode}: {shlex.join(argv)}\n    " + "\n    ".join(shown_tail))
    if first is None:
        raise CommandFailed(f"no first comment's header in the output of {shlex.join(argv)}; it ended with\n    "
                            + "\n    ".join(shown_tail))
    scale = 1 if sys.platform == "darwin" else 1024
    return Sample(seconds, usage.ru_maxrss * scale, output, first)


# ---------------------------------------------------------------- rows


TIME, MEMORY, FIRST_SCREEN = "time", "memory", "first screen"  # the kinds of row


@dataclass
class Row:
    """One line of the table; ``kind`` says what its ratio compares.

    TIME: the wall time of ``command`` with that of ``baseline``. MEMORY: the
    peak RSS of ``command`` with ``size``, its input's size. FIRST_SCREEN: how
    long ``command``, on a terminal, takes to show its first comment, with how
    long it takes in all, from the same runs (the part of the wait a reader
    spends looking at nothing).
    """

    name: str
    label: str
    target: float
    command: list[str]
    baseline: list[str] | None = None  # TIME rows only
    baseline_label: str = ""
    size: int = 0  # MEMORY rows only
    kind: str = TIME
    samples: list[Sample] = field(default_factory=list)
    baseline_samples: list[Sample] = field(default_factory=list)
    error: str | None = None

    def value(self) -> float:
        if self.kind == MEMORY:
            return statistics.median(s.peak_rss for s in self.samples)
        if self.kind == FIRST_SCREEN:
            return statistics.median(s.first for s in self.samples)
        return statistics.median(s.seconds for s in self.samples)

    def reference(self) -> float:
        if self.kind == MEMORY:
            return float(self.size)
        if self.kind == FIRST_SCREEN:
            return statistics.median(s.seconds for s in self.samples)
        return statistics.median(s.seconds for s in self.baseline_samples)

    def ratio(self) -> float:
        return self.value() / self.reference()

    def passed(self) -> bool:
        return self.error is None and self.ratio() <= self.target


ROW_NAMES = ("help", "export-json", "show-seed", "jsonl", "memory", "show-big", "first-screen", "check")


def build_rows(thread: list[str], cwd: Path, wanted: set[str], *, quick: bool, regenerate: bool) -> list[Row]:
    """The rows named in ``wanted``; a dump is generated only if one of them needs it."""

    def arg(path: Path) -> str:
        # Short paths in the printed commands; absolute ones when timing another checkout.
        return shown(path) if cwd == REPO else str(path)

    seed = arg(SEED)
    jsonl = [*thread, "export", "--format", "jsonl"]
    rows = []
    if "help" in wanted:
        rows.append(Row("help", "thread --help", 1.3, [*thread, "--help"], BASELINE, "import click"))
    if "export-json" in wanted:
        rows.append(Row("export-json", "thread export --format json SEED", 1.8,
                        [*thread, "export", "--format", "json", seed], BASELINE, "import click"))
    if "show-seed" in wanted:
        rows.append(Row("show-seed", "thread show SEED | pipe", 2.5, [*thread, "show", seed],
                        BASELINE, "import click"))
    if wanted & {"jsonl", "show-big", "first-screen", "check"}:
        big = ensure_dump("2MB" if quick else "10MB", regenerate=regenerate)
        name, size = arg(big), _mb(big.stat().st_size)
        if "jsonl" in wanted:
            rows.append(Row("jsonl", f"thread export --format jsonl {size}", 1.4, [*jsonl, name],
                            [sys.executable, arg(REFERENCE), name], "reference scanner"))
        if "show-big" in wanted:
            rows.append(Row("show-big", f"thread show {size} | pipe", 2.0, [*thread, "show", name],
                            [*jsonl, name], "export jsonl"))
        if "first-screen" in wanted:
            rows.append(Row("first-screen", f"thread show {size} in a terminal: first comment", 0.5,
                            [*thread, "show", "--no-pager", name], baseline_label="whole view",
                            kind=FIRST_SCREEN))
        if "check" in wanted:  # issue 14: checking costs the same order as parsing
            rows.append(Row("check", f"thread check {size}", 2.0, [*thread, "check", name],
                            [*jsonl, name], "export jsonl"))
    if "memory" in wanted:
        huge = ensure_dump("10MB" if quick else "50MB", regenerate=regenerate)
        rows.append(Row("memory", f"peak RSS of thread export --format jsonl {_mb(huge.stat().st_size)}",
                        4.0, [*jsonl, arg(huge)], size=huge.stat().st_size, baseline_label="file size",
                        kind=MEMORY))
    # The table keeps the order of ROW_NAMES whatever order --only gave.
    return sorted(rows, key=lambda row: ROW_NAMES.index(row.name))


def _mb(size: int) -> str:
    return f"{size / 2**20:.0f} MB"


def run_row(row: Row, runs: int, env: dict[str, str], cwd: Path) -> None:
    """Measure a row; its two commands alternate, and which goes first alternates too.

    Interleaving spreads slow drifts (thermal throttling, a background job)
    over both commands instead of charging them to whichever ran second. One
    untimed run of each first warms the page cache, the .pyc files and the
    compiled-grammar cache, which a user's machine has warm too. A
    first-screen row has one command, whose runs give both of its figures.
    """
    try:
        if row.kind == MEMORY:
            for _ in range(min(runs, MEMORY_RUNS)):
                row.samples.append(measure(row.command, env, cwd))
            return
        if row.kind == FIRST_SCREEN:
            measure_terminal(row.command, env, cwd)
            for _ in range(runs):
                row.samples.append(measure_terminal(row.command, env, cwd))
            return
        measure(row.command, env, cwd)
        measure(row.baseline, env, cwd)
        for run in range(runs):
            pair = [(row.command, row.samples), (row.baseline, row.baseline_samples)]
            for argv, samples in pair if run % 2 == 0 else reversed(pair):
                samples.append(measure(argv, env, cwd))
    except CommandFailed as error:
        row.error = str(error)


# ---------------------------------------------------------------- table


def cells(row: Row) -> list[str]:
    if row.error is not None:
        return [row.label, "—", row.baseline_label, "—", f"≤ {row.target:g}×", "ERROR"]
    if row.kind == MEMORY:
        measured = f"{row.value() / 2**20:.0f} MB"
        reference = f"{row.baseline_label} {row.reference() / 2**20:.0f} MB"
    else:
        measured = _ms(row.value())
        reference = f"{row.baseline_label} {_ms(row.reference())}"
    return [row.label, measured, reference, f"{row.ratio():.2f}×", f"≤ {row.target:g}×",
            "PASS" if row.passed() else "FAIL"]


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 10 else f"{seconds:.1f} s"


HEADINGS = ["benchmark", "thread (median)", "compared with (median)", "ratio", "target", "result"]


def plain_table(rows: list[Row]) -> str:
    table = [HEADINGS] + [cells(row) for row in rows]
    widths = [max(len(line[i]) for line in table) for i in range(len(HEADINGS))]
    right = {1, 3}  # numbers line up on the right

    def line(values: list[str]) -> str:
        return "  ".join(v.rjust(w) if i in right else v.ljust(w)
                         for i, (v, w) in enumerate(zip(values, widths))).rstrip()

    return "\n".join([line(table[0]), line(["-" * w for w in widths])] + [line(c) for c in table[1:]])


def markdown_table(rows: list[Row]) -> str:
    def line(values: list[str]) -> str:
        return "| " + " | ".join(v.replace("|", "\\|") for v in values) + " |"

    align = ["---", "---:", "---", "---:", "---", "---"]
    return "\n".join([line(HEADINGS), "|" + "|".join(align) + "|"] + [line(cells(row)) for row in rows])


def describe(rows: list[Row], runs: int, thread: list[str], markdown: bool, load: tuple[float, float]) -> str:
    """The conditions and the exact commands, for under the table."""
    memory_runs = f" ({min(runs, MEMORY_RUNS)} for memory)" if any(row.kind == MEMORY for row in rows) else ""
    # The load average tells whether other work shared the CPUs with the runs.
    out = [
        f"Python {platform.python_version()} on {platform.system()} {platform.machine()}, {os.cpu_count()} CPUs, "
        f"load average {load[0]:.2f} before and {load[1]:.2f} after; medians of {runs} runs each{memory_runs}, "
        f"after one untimed warm-up run of each timed command; thread = {shlex.join(thread)}"
    ]
    for row in rows:
        commands = shlex.join(row.command)
        if row.kind == TIME:
            commands += "   vs   " + shlex.join(row.baseline)
        elif row.kind == FIRST_SCREEN:
            terminal = " ".join(f"{key}={value}" for key, value in TERMINAL.items())
            commands += f"   on a pseudo-terminal ({terminal}): first comment vs exit"
        out.append(f"{row.name}: {commands}")
    if markdown:
        return "\n".join([f"- {out[0]}"] + [f"- `{line}`" for line in out[1:]])
    return "\n".join(out)


# ---------------------------------------------------------------- main


def _load() -> float:
    try:
        return os.getloadavg()[0]
    except OSError:  # not available on this platform
        return float("nan")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=None, help="timed runs per command (default 7; 3 with --quick)")
    parser.add_argument("--quick", action="store_true", help="smaller dumps (2 and 10 MB) and 3 runs")
    parser.add_argument("--only", metavar="NAME[,NAME]", help="run only these rows: "
                        "help, export-json, show-seed, jsonl, memory, show-big, first-screen, check")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    parser.add_argument("--installed", action="store_true", help="time the `thread` script on PATH")
    parser.add_argument("--repo", type=Path, default=REPO, help="checkout to time (default: this one)")
    parser.add_argument("--regenerate", action="store_true", help="write the dumps in benchmarks/data again")
    args = parser.parse_args(argv)
    runs = args.runs if args.runs is not None else (3 if args.quick else 7)
    if runs < 1:
        parser.error("--runs must be at least 1")

    if not (args.repo / "thread_cli").is_dir():
        parser.error(f"--repo: {args.repo} is not a checkout of thread (no thread_cli/ in it)")
    thread, env, cwd = thread_command(args.installed, args.repo.resolve())
    wanted = set(ROW_NAMES)
    if args.only:
        wanted = {name.strip() for name in args.only.split(",") if name.strip()}
        unknown = wanted - set(ROW_NAMES)
        if unknown:
            parser.error(f"--only: no row named {', '.join(sorted(unknown))} (rows: {', '.join(ROW_NAMES)})")
    rows = build_rows(thread, cwd, wanted, quick=args.quick, regenerate=args.regenerate)

    load_before = _load()
    for row in rows:
        print(f"running {row.name}…", file=sys.stderr, flush=True)
        run_row(row, runs, env, cwd)
    load = (load_before, _load())

    print(markdown_table(rows) if args.markdown else plain_table(rows))
    print()
    print(describe(rows, runs, thread, args.markdown, load))
    for row in rows:
        if row.error:
            print(f"\n{row.name} failed: {row.error}", file=sys.stderr)
    if any(row.error for row in rows):
        return 2
    return 0 if all(row.passed() for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
