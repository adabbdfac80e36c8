"""How fast `thread browse` paints and moves; prints figures against the issue's targets.

    python benchmarks/browse.py            # seed vs a minimal app, then a 10 MB dump
    python benchmarks/browse.py --runs 3   # fewer runs

Each figure comes from a fresh interpreter (a child process of this script),
so imports count, as they do for a user. "First paint" runs from the
child's first line to the moment Textual's test pilot reports the first
frame done (the app mounted, laid out and idle); it includes reading and
parsing the dump. The `j` figure is the median, over 60 presses on the
10 MB dump, of sending the key and repainting the whole screen
(see _press_and_paint). Headless at 120x40; a real
terminal adds only the time to write the changed cells.
"""

from __future__ import annotations

import time

_STARTED = time.perf_counter()  # first line: the child's clock starts before any import

import argparse  # noqa: E402
import asyncio  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "jpost-us-iran-talks.txt"
DATA = Path(__file__).resolve().parent / "data"
BIG = DATA / "10mb.txt"
SIZE = (120, 40)


async def _paint_minimal() -> dict:
    from textual.app import App
    from textual.widgets import Static

    class Minimal(App):
        def compose(self):
            yield Static("one static line")

    async with Minimal().run_test(size=SIZE) as pilot:
        await pilot.pause()
        return {"first_paint": time.perf_counter() - _STARTED}


async def _paint_browse(path: str, presses: int) -> dict:
    from thread_cli.browse.app import BrowseApp
    from thread_cli.browse.loading import load_thread

    thread, warnings = load_thread(path)
    app = BrowseApp(path, thread, warnings)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        result = {"first_paint": time.perf_counter() - _STARTED, "comments": thread.comment_count}
        timings = []
        for _ in range(presses):
            start = time.perf_counter()
            await _press_and_paint(app, pilot)
            timings.append(time.perf_counter() - start)
        await pilot.pause()  # let the last key settle before the app closes
        if timings:
            result["j_median"] = statistics.median(timings)
            result["j_max"] = max(timings)
        return result


async def _press_and_paint(app, pilot) -> None:
    """``j``, as the terminal would send it, until every row of the screen is painted again.

    Pilot.press itself waits for the CPU to go idle (about 100 ms of sleeps
    even for an empty app), and a headless app never paints; so the key goes
    through the driver like a real one, the wait is for the app's message
    queues to drain, and the paint is the compositor rendering every row.
    """
    from textual import events

    key = events.Key("j", "j")
    key.set_sender(app)
    app._driver.send_message(key)
    await pilot._wait_for_screen()
    app.screen._compositor.render_strips()


def _child(kind: str, path: str, presses: int) -> None:
    task = _paint_minimal() if kind == "minimal" else _paint_browse(path, presses)
    print(json.dumps(asyncio.run(task)))


def _run(kind: str, path: Path | None = None, presses: int = 0) -> dict:
    command = [sys.executable, __file__, "--child", kind, "--path", str(path or ""), "--presses", str(presses)]
    output = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT).stdout
    return json.loads(output.strip().splitlines()[-1])


def _median(kind: str, runs: int, path: Path | None = None, presses: int = 0) -> dict:
    results = [_run(kind, path, presses) for _ in range(runs)]
    return {key: statistics.median(r[key] for r in results) for key in results[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="fresh processes per figure (median; default 5)")
    parser.add_argument("--child", choices=["minimal", "browse"], help=argparse.SUPPRESS)
    parser.add_argument("--path", help=argparse.SUPPRESS)
    parser.add_argument("--presses", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child, args.path, args.presses)
        return
    if not BIG.exists():
        DATA.mkdir(exist_ok=True)
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), "--size", "10MB", "-o", str(BIG)],
                       check=True)
    _run("browse", SEED)  # warm the parser's table cache and the bytecode, as a second start would be

    minimal = _median("minimal", args.runs)
    seed = _median("browse", args.runs, SEED)
    big = _median("browse", args.runs, BIG, presses=60)
    ratio = seed["first_paint"] / minimal["first_paint"]
    rows = [
        ("first paint, minimal Textual app", f"{minimal['first_paint'] * 1000:.0f} ms", "(baseline)"),
        ("first paint, seed (30 comments)", f"{seed['first_paint'] * 1000:.0f} ms",
         f"{ratio:.2f}x baseline, target <= 1.5x: {'ok' if ratio <= 1.5 else 'MISSED'}"),
        (f"first paint, 10 MB ({big['comments']:.0f} comments)", f"{big['first_paint'] * 1000:.0f} ms",
         f"target <= 2000 ms: {'ok' if big['first_paint'] <= 2 else 'MISSED'}"),
        ("j to repaint, 10 MB, median of 60", f"{big['j_median'] * 1000:.1f} ms",
         f"target <= 50 ms: {'ok' if big['j_median'] <= 0.05 else 'MISSED'} (max {big['j_max'] * 1000:.1f} ms)"),
    ]
    print(f"thread browse, headless {SIZE[0]}x{SIZE[1]}, median of {args.runs} fresh processes")
    for name, value, verdict in rows:
        print(f"  {name:<40} {value:>9}  {verdict}")


if __name__ == "__main__":
    main()
