"""Hostile sizes for the parser: huge numbers, huge lines, many lines.

Time is never measured here (the machines are shared and noisy): a pattern
that is not linear in a line's length would take minutes on the inputs
below and hit the subprocess time-out, and the parser's work is counted in
calls, which must grow in proportion to the input.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from thread_cli import api
from thread_cli.lalr import LalrParser

from conftest import ROOT, invoke


@pytest.mark.parametrize("args", [("show",), ("export", "--format", "json"), ("check",), ("stats",)])
def test_a_five_thousand_digit_comment_number_is_an_id_not_a_crash(tmp_path, args):
    path = tmp_path / "n.txt"
    path.write_text("T\n\n  " + "9" * 5000 + ". Ann Says:\n\n    hi\n")
    result = invoke(*args, str(path))
    assert result.exit_code == 0, result.stderr
    thread = api.load(str(path)).thread
    (comment,) = thread.comments
    assert (comment.id, comment.number, comment.author) == ("9" * 5000, None, "Ann")


def test_a_five_thousand_digit_header_count_is_article_text(tmp_path):
    path = tmp_path / "h.txt"
    path.write_text("T\n\n" + "9" * 5000 + " Comments\n\n  1. Ann Says:\n\n    hi\n")
    result = invoke("check", str(path))
    assert (result.exit_code, result.stdout) == (0, f"{path}: ok\n")
    thread = api.load(str(path)).thread
    assert (thread.header, thread.article.paragraphs[0].text[:3], thread.comment_count) == (None, "999", 1)


@pytest.mark.parametrize("line", [
    "  1. " + "a's avatar " * 40_000 + "Xsays:",  # 440 KB: the old pattern took 11 s at 44 KB, growing as the square
    "  1. " + "x " * 200_000 + "March 13, 2018 / 10:28 am",
    "  1. " + "a said" * 70_000 + "...",
    "9" * 400_000 + " comments on “" + "x" * 1000,
])
def test_every_line_pattern_is_linear_in_the_line(tmp_path, line):
    path = tmp_path / "long.txt"
    path.write_text(f"Title\n\n{line}\n\n    body\n")
    code = ("import sys; from thread_cli import api; "
            "r = api.load(sys.argv[1], recover=True); print(r.thread.comment_count)")
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=60,
                          cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout in ("0\n", "1\n")


def _work(text: str) -> int:
    """The parser's steps for one recovering parse (what check does): tokens fed
    and readings tried."""
    counts = {"feed": 0, "accepts": 0}
    feed, accepts = LalrParser.feed, LalrParser.accepts

    def counting_feed(self, token):
        counts["feed"] += 1
        return feed(self, token)

    def counting_accepts(self, kinds):
        counts["accepts"] += len(kinds)
        return accepts(self, kinds)

    LalrParser.feed, LalrParser.accepts = counting_feed, counting_accepts
    try:
        api.loads(text, recover=True)
    finally:
        LalrParser.feed, LalrParser.accepts = feed, accepts
    return counts["feed"] + counts["accepts"]


SHAPES = {
    "blank lines inside one comment": lambda n: "T\n\n  1. Ann Says:\n\n    a\n" + "\n" * n + "    b\n",
    "one long paragraph": lambda n: "T\n\n  1. Ann Says:\n\n" + "    word\n" * n,
    "many top-level comments": lambda n: "T\n\n" + "".join(f"  {i}. Ann Says:\n\n    hi\n\n" for i in range(1, n)),
    "many replies that jump levels": lambda n: "T\n\n  1. Ann Says:\n\n    hi\n\n" + "        • Bob Says:\n\n" * n,
    "many stray lines after the footer": lambda n: "T\n\n  1. Ann Says:\n\n    hi\n\nFooter\n" + "    stray\n" * n,
}


@pytest.mark.parametrize("shape", SHAPES)
def test_check_does_work_in_proportion_to_the_input(shape):
    make = SHAPES[shape]
    small, large = _work(make(2_000)), _work(make(8_000))
    assert large <= 4.4 * small, (small, large)
