"""Splitting a big dump between two processes (thread_cli/parallel.py).

The split may only change how long a run takes. So for each input, and for
every place it could be split (each top-level marker line), `export --format
jsonl` and `show` (plain, to a pipe) must print the same bytes, the same
warnings and errors, and exit with the same status as without a split.
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import given, settings

from thread_cli import parallel
from thread_cli.parallel import SecondHalf, split_after

from conftest import ROOT, SEED, invoke
from test_properties import FAST, damaged_seed_bytes, generated_bytes

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="splitting needs os.fork")

COMMANDS = (("export", "--format", "jsonl"), ("show", "--format", "plain"))


@contextlib.contextmanager
def split_at(offset: int | None, taken: list[bool]):
    """Runs in which the dump is split at ``offset`` (None: never split);
    ``taken`` records, for each split, whether this process used the child's work."""
    def find(path, **_):
        if offset is None:
            return None
        return split_after(Path(path).read_bytes()[:offset])

    exit_second_half = SecondHalf.__exit__

    def recording_exit(self, *exc):
        taken.append(self.taken)
        return exit_second_half(self, *exc)

    with mock.patch("thread_cli.parallel.find_split", find), mock.patch("thread_cli.streaming.find_split", find), \
            mock.patch.object(SecondHalf, "__exit__", recording_exit):
        yield


def outcome(path: Path, command: tuple[str, ...], offset: int | None) -> tuple:
    taken: list[bool] = []
    with split_at(offset, taken):
        result = invoke(*command[:1], str(path), *command[1:])
    return (result.exit_code, result.stdout_bytes, result.stderr), taken


def split_points(data: bytes) -> list[int]:
    return [match.start() + 1 for match in parallel._TOP_MARKER.finditer(data)]


def assert_split_changes_nothing(data: bytes, path: Path, *, limit: int | None = None) -> int:
    """Compare every split with none; returns how many splits were taken."""
    path.write_bytes(data)
    taken_count = 0
    points = split_points(data)
    if limit is not None and len(points) > limit:
        points = points[:: max(1, len(points) // limit)]
    for command in COMMANDS:
        expected, _ = outcome(path, command, None)
        for offset in points:
            got, taken = outcome(path, command, offset)
            assert got == expected, (command, offset)
            taken_count += sum(taken)
    return taken_count


def test_every_split_of_the_seed_prints_the_same(tmp_path):
    taken = assert_split_changes_nothing(SEED.read_bytes(), tmp_path / "seed.txt")
    assert taken == 2 * 11  # each of the 11 top-level comments, in both commands


def test_every_split_of_the_mixed_layouts_seed_prints_the_same(tmp_path):
    data = (ROOT / "seeds" / "wordpress-mixed-layouts.txt").read_bytes()
    assert assert_split_changes_nothing(data, tmp_path / "mixed.txt") > 0


@pytest.mark.parametrize("newline", [b"\r\n", b"\r"])
def test_other_line_endings(tmp_path, newline):
    data = SEED.read_bytes().replace(b"\n", newline)
    taken = assert_split_changes_nothing(data, tmp_path / "seed.txt")
    # Old Mac line ends have no "\n" to find a marker after: never split.
    assert taken == (0 if newline == b"\r" else 2 * 11)


def _seed_with(replace: bytes, by: bytes) -> bytes:
    data = SEED.read_bytes()
    assert replace in data
    return data.replace(replace, by, 1)


@pytest.mark.parametrize(
    "case, data",
    [
        ("a number of the first half again in the second",
         _seed_with(b"  9. Louisiana Steve's", b"  2. Louisiana Steve's")),
        ("a syntax error in the second half",
         _seed_with(b"    \xe2\x80\xa2 Louisiana Steve's avatar Louisiana Steve Says:\n\n      1953",
                    b"        \xe2\x80\xa2 Louisiana Steve's avatar Louisiana Steve Says:\n\n          1953")),
        ("invalid UTF-8 in the second half", _seed_with(b"pretty pissed off", b"pretty \xff pissed off")),
        ("invalid UTF-8 in both halves",
         _seed_with(b"pretty pissed off", b"pretty \xff pissed off").replace(b"Unbecoming", b"Un\xc3becoming")),
    ],
)
def test_what_the_child_cannot_vouch_for_is_done_again_here(tmp_path, case, data):
    assert_split_changes_nothing(data, tmp_path / "dump.txt")


def test_a_split_inside_the_article_is_not_taken(tmp_path):
    # The article holds a list at column 3, like top-level markers.
    article_list = b"".join(b"  %d. item number %d of the article\n" % (n, n) for n in range(1, 40))
    data = _seed_with(b"Explore posts in the same categories", article_list + b"\nExplore posts in the same categories")
    path = tmp_path / "dump.txt"
    path.write_bytes(data)
    first_list_item = data.index(b"  20. item")
    for command in COMMANDS:
        expected, _ = outcome(path, command, None)
        got, taken = outcome(path, command, first_list_item)
        assert got == expected
        assert taken == [False]


def test_strict_and_the_count_warning(tmp_path):
    path = tmp_path / "seed.txt"
    path.write_bytes(SEED.read_bytes())
    offset = split_points(SEED.read_bytes())[5]
    for command in COMMANDS:
        expected, _ = outcome(path, (*command, "--strict"), None)
        got, taken = outcome(path, (*command, "--strict"), offset)
        assert got == expected and taken == [True]
        assert got[2] == "warning: header declares 31 comments, 30 found\n"


def test_find_split_looks_for_a_top_level_marker_past_the_middle(tmp_path, monkeypatch):
    monkeypatch.setattr(parallel, "_usable_cpus", lambda: 2)
    data = SEED.read_bytes()
    path = tmp_path / "seed.txt"
    path.write_bytes(data)
    split = parallel.find_split(str(path), min_bytes=0)
    assert split.offset >= len(data) // 2
    assert data[split.offset:].startswith(b"  ") and data[split.offset - 1:split.offset] == b"\n"
    assert split.line == data[:split.offset].count(b"\n") + 1
    assert parallel.find_split(str(path)) is None  # smaller than MIN_SPLIT_BYTES
    assert parallel.find_split("-", min_bytes=0) is None
    monkeypatch.setattr(parallel, "_usable_cpus", lambda: 1)
    assert parallel.find_split(str(path), min_bytes=0) is None
    monkeypatch.setattr(parallel, "_usable_cpus", lambda: 2)
    monkeypatch.setenv("THREAD_NO_SPLIT", "1")
    assert parallel.find_split(str(path), min_bytes=0) is None


@settings(FAST, max_examples=30)
@given(damaged_seed_bytes())
def test_splits_of_damaged_seeds_print_the_same(data):
    with tempfile.TemporaryDirectory() as folder:
        assert_split_changes_nothing(data, Path(folder) / "dump.txt", limit=3)


@settings(FAST, max_examples=30)
@given(generated_bytes())
def test_splits_of_generated_threads_print_the_same(case):
    with tempfile.TemporaryDirectory() as folder:
        assert_split_changes_nothing(case[1], Path(folder) / "dump.txt", limit=3)


@pytest.mark.parametrize("newline", [b"\n", b"\r\n", b"\r"])
def test_line_breaks_are_counted_across_pieces(newline):
    data = SEED.read_bytes().replace(b"\n", newline)
    expected = data.count(newline)
    for piece_size in (1, 2, 7, 1 << 20):  # small odd pieces cut \r\n in two
        assert parallel._count_breaks(io.BytesIO(data), len(data), piece_size) == (expected, data[-1:])


def test_without_a_second_process_the_first_does_it_all(tmp_path):
    path = tmp_path / "seed.txt"
    path.write_bytes(SEED.read_bytes())
    offset = split_points(SEED.read_bytes())[5]

    def no_fork():
        raise OSError("Resource temporarily unavailable")

    for command in COMMANDS:
        expected, _ = outcome(path, command, None)
        with mock.patch("os.fork", no_fork):
            got, taken = outcome(path, command, offset)
        assert got == expected and taken == [False]
