"""Scale and process behaviour (issue 4): very deep and very long input, pipes, Ctrl-C, failed writes.

* A dump nested 3,000 levels deep parses, renders (indentation capped, a
  ``[depth N]`` marker) and exports in every format without RecursionError.
  The standard library's ``json.loads`` itself recurses and raises
  RecursionError on that JSON (6,000 nested containers), so the JSON export
  is checked with the small iterative decoder below instead.
* A single 10 MB line in a comment body parses, exports and shows.
* ``thread … | head -1`` ends quietly with status 0 (``check`` with its verdict); SIGINT gives 130 and no
  traceback; ``-o FILE`` leaves an existing FILE untouched when the export fails
  or is interrupted.

The subprocess tests run ``python -m thread_cli`` from the repository root.
"""

from __future__ import annotations

import csv
import io
import json
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rich.cells import cell_len

from thread_cli.formats import DATA_FORMATS, render
from thread_cli.formats.records import thread_record
from thread_cli.api import load

from conftest import ROOT, SEED, invoke

DEPTH = 3000


def deep_dump(depth: int = DEPTH) -> str:
    """One top-level comment and a chain of replies, each one level deeper:
    the marker of depth d at column 2·d+1 ('• NAME Says:'), its body at 2·d+2 spaces."""
    lines = ["Deep", "", f"{depth} Comments on “Deep”", "", "", "  1. U1 Says:", "", "    body 1"]
    for level in range(2, depth + 1):
        lines += ["", " " * (2 * level) + f"• U{level} Says:", "", " " * (2 * level + 2) + f"body {level}"]
    lines += ["", "Leave a Reply"]
    return "\n".join(lines) + "\n"


def wide_dump(target_bytes: int) -> str:
    """Many ordinary comments (three replies each), about ``target_bytes`` long, with a matching header."""
    blocks: list[str] = []
    size = number = count = 0
    while size < target_bytes:
        number += 1
        block = [f"  {number}. User{number % 97}'s avatar User{number % 97} Says:", "",
                 "    " + "lorem ipsum dolor sit amet " * 8]
        for reply in range(3):
            block += ["", f"    • Reply{reply} Says:", "", "      " + "consectetur adipiscing elit " * 6]
        text = "\n".join(block)
        blocks.append(text)
        size += len(text) + 2
        count += 4
    head = f"Big thread\n\nSome article text.\n\n{count:,} Comments on “Big thread”\n\n\n"
    return head + "\n\n".join(blocks) + "\n\nLeave a Reply\n"


def run_thread(*args: str, timeout: float = 300, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "thread_cli", *args], capture_output=True, cwd=ROOT,
                          timeout=timeout, check=False, **kwargs)


def shell(command: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run ``command`` with bash; its status is thread's (``exit ${PIPESTATUS[0]}``)."""
    return subprocess.run(["bash", "-c", command + "; exit ${PIPESTATUS[0]}"], capture_output=True, cwd=ROOT,
                          timeout=timeout, check=False)


# ---------------------------------------------------------------- an iterative JSON decoder

_JSON_TOKEN = re.compile(r'\s*(?:([\[\]{}:,])|("(?:[^"\\]|\\.)*")|(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)|(true|false|null))',
                         re.DOTALL)


def iterative_json_loads(text: str):
    """json.loads without recursion (the stdlib decoder recurses once per nested container)."""
    stack: list[list] = []  # frames: [container, pending key]
    position, result, done = 0, None, False
    while True:
        match = _JSON_TOKEN.match(text, position)
        if match is None:
            assert not text[position:].strip(), f"bad JSON at {position}"
            break
        position = match.end()
        punct, string, number, literal = match.groups()
        if punct in ("[", "{"):
            value = [] if punct == "[" else {}
            stack.append([value, None])
            continue
        if punct in (":", ","):
            continue
        if punct in ("]", "}"):
            value = stack.pop()[0]
        elif string is not None:
            value = json.loads(string)
        elif number is not None:
            value = json.loads(number)
        else:
            value = {"true": True, "false": False, "null": None}[literal]
        if not stack:
            assert not done, "two top-level values"
            result, done = value, True
            continue
        container, key = stack[-1]
        if isinstance(container, list):
            container.append(value)
        elif key is None:
            stack[-1][1] = value
        else:
            container[key] = value
            stack[-1][1] = None
    assert done
    return result


def test_iterative_decoder_agrees_with_the_stdlib():
    text = "".join(render("json", load(str(SEED)).thread))
    assert iterative_json_loads(text) == json.loads(text)


# ---------------------------------------------------------------- 3,000 levels


@pytest.fixture(scope="module")
def deep_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("deep") / "deep.txt"
    path.write_text(deep_dump(), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def deep_thread(deep_file):
    result = load(str(deep_file))
    assert result.problems == []
    return result.thread


def _chain(thread):
    """The comments of the deep thread, top first, following replies without recursion."""
    comment = thread.comments[0]
    chain = [comment]
    while comment.replies:
        assert len(comment.replies) == 1
        comment = comment.replies[0]
        chain.append(comment)
    return chain


def test_deep_dump_parses(deep_thread):
    chain = _chain(deep_thread)
    assert len(chain) == DEPTH == deep_thread.comment_count
    for depth, comment in enumerate(chain, start=1):
        assert (comment.depth, comment.author, comment.paragraphs[0].text) == (depth, f"U{depth}", f"body {depth}")
    assert chain[-1].id == "1" + ".1" * (DEPTH - 1)
    assert chain[-1].parent is chain[-2]


def test_stdlib_json_decoder_cannot_read_the_deep_export(deep_thread):
    """Why the JSON export is checked with ``iterative_json_loads``: not the exporter's fault."""
    text = "".join(render("json", deep_thread))
    with pytest.raises(RecursionError):
        json.loads(text)


@pytest.mark.parametrize("fmt", DATA_FORMATS)
def test_deep_dump_exports_every_format(deep_thread, deep_file, fmt):
    text = "".join(render(fmt, deep_thread))  # a RecursionError would fail here
    chain = _chain(deep_thread)
    if fmt == "json":
        data = iterative_json_loads(text)
        assert {key: value for key, value in data.items() if key != "comments"} == {
            key: value for key, value in thread_record(deep_thread).items() if key != "comments"
        }
        record, depth = data["comments"][0], 1
        while True:
            assert (record["id"], record["depth"], record["author"], record["paragraphs"]) == (
                chain[depth - 1].id, depth, f"U{depth}", [f"body {depth}"])
            if not record["replies"]:
                break
            (record,) = record["replies"]
            depth += 1
        assert depth == DEPTH
    elif fmt == "jsonl":
        records = [json.loads(line) for line in text.split("\n")[:-1]]
        assert [record["depth"] for record in records] == list(range(1, DEPTH + 1))
        assert records[-1]["parent"] == chain[-2].id
    elif fmt in ("csv", "tsv"):
        # TSV is one record per line with its special characters escaped: no quoting to read.
        rows = (list(csv.reader(io.StringIO(text, newline=""))) if fmt == "csv"
                else [line.split("\t") for line in text.split("\n")[:-1]])
        assert rows[0] == ["id", "parent", "depth", "number", "author", "avatar", "line", "text",
                           "kind", "date", "datetime", "actions"]
        assert [int(row[2]) for row in rows[1:]] == list(range(1, DEPTH + 1))
    elif fmt == "markdown":
        assert text.count("**U") == DEPTH
        assert f"**U{DEPTH}**" in text
    elif fmt == "html":
        # Every comment but the deepest has a reply to fold; the deepest is a leaf.
        assert text.count("<details open") == DEPTH - 1
        assert text.count("</details>") == DEPTH - 1
        assert text.count('class="comment leaf"') == 1
        assert text.rstrip().endswith("</html>")
    else:
        assert text.encode("utf-8") == deep_file.read_bytes()


def test_deep_dump_through_the_cli(deep_file, tmp_path):
    target = tmp_path / "deep.json"
    result = invoke("export", str(deep_file), "--format", "json", "-o", str(target))
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    assert iterative_json_loads(target.read_text(encoding="utf-8"))["comment_count"]["parsed"] == DEPTH
    # A filter that keeps the deepest comment keeps all its ancestors (select.py walks the chain).
    result = invoke("export", str(deep_file), "--author", f"U{DEPTH}", "--format", "jsonl")
    assert result.exit_code == 0
    assert len(result.stdout.split("\n")[:-1]) == DEPTH
    result = invoke("check", str(deep_file))
    assert (result.exit_code, result.stdout) == (0, f"{deep_file}: ok\n")
    result = invoke("show", str(deep_file), "--lenient", "--format", "jsonl", "--context", "none", "--author", "U1")
    assert result.exit_code == 0 and len(result.stdout.split("\n")[:-1]) == 1


def test_deep_dump_renders_with_capped_indentation(deep_file):
    """show --format plain --width 100: ~380,000 rows (the ids alone are up to 6,000 characters)."""
    result = invoke("show", str(deep_file), "--format", "plain", "--width", "100")
    assert result.exit_code == 0
    lines = result.stdout.split("\n")
    assert max(cell_len(line) for line in lines) <= 100
    assert "[depth 3000] " in result.stdout
    shown = [line for line in lines if line.strip(" │")]
    assert shown[-2].endswith(f"  U{DEPTH}")  # the last comment's (wrapped) header ends with its author
    assert shown[-1].strip() == f"body {DEPTH}"
    # Indentation is capped: no row starts with more than 100 - 24 columns of guides.
    assert max(len(line) - len(line.lstrip(" │├└─")) for line in lines) <= 100 - 24


# ---------------------------------------------------------------- a 10 MB line

TEN_MB = 10 * 1024 * 1024


@pytest.fixture(scope="module")
def long_line_file(tmp_path_factory) -> Path:
    words = " ".join(f"word{index % 1000}" for index in range(TEN_MB // 7))[:TEN_MB]
    path = tmp_path_factory.mktemp("long") / "long.txt"
    path.write_text(f"Long\n\n  1. Ann Says:\n\n    {words}\n\n    • Bob Says:\n\n      short\n", encoding="utf-8")
    return path


def test_ten_mb_line_parses_and_exports(long_line_file):
    result = load(str(long_line_file))
    assert result.problems == []
    thread = result.thread
    (line,) = thread.comments[0].paragraphs[0].lines
    assert len(line) == TEN_MB
    assert thread.find("1.1").paragraphs[0].text == "short"
    for fmt in DATA_FORMATS:
        text = "".join(render(fmt, thread))
        assert len(text) > TEN_MB, fmt
        if fmt == "json":
            assert json.loads(text)["comments"][0]["paragraphs"] == [line]
        if fmt == "text":
            assert text.encode("utf-8") == long_line_file.read_bytes()


def test_ten_mb_line_shows(long_line_file):
    result = run_thread("show", str(long_line_file), "--format", "plain", "--width", "100", timeout=600)
    assert (result.returncode, result.stderr) == (0, b"")
    lines = result.stdout.decode("utf-8").split("\n")
    assert max(cell_len(line) for line in lines) <= 100
    # Every character of the line is shown (wrapping drops only the spaces at the breaks).
    body = "".join(line[3:] for line in lines if line.startswith("│  word")).replace(" ", "")
    words = long_line_file.read_text(encoding="utf-8").split("\n")[4].strip(" ")
    assert body == words.replace(" ", "")


# Found while writing these tests: layout._wrap_ranges cut a word wider than the view with
# `chop_cells(token, width)[0]` in a loop, O(n²/width) for one long word (400,000 characters took
# ~12 s, 10 MB would have taken hours); fixed by commit 2cd6149 ("Wrap one-cell text a row at a time").
# The timeout only turns a hang into a failure; the show takes about a second.
def test_ten_mb_word_without_spaces_shows(tmp_path):
    path = tmp_path / "word.txt"
    path.write_text("Long\n\n  1. Ann Says:\n\n    " + "x" * TEN_MB + "\n", encoding="utf-8")
    try:
        result = run_thread("show", str(path), "--format", "plain", "--width", "100", timeout=120)
    except subprocess.TimeoutExpired:
        pytest.fail("show did not finish within 120 s")
    assert (result.returncode, result.stderr) == (0, b"")
    rows = result.stdout.decode("utf-8").split("\n")
    body = [row[3:] for row in rows if row.startswith("   x")]
    assert "".join(body) == "x" * TEN_MB
    assert all(cell_len(row) <= 100 for row in rows)


# ---------------------------------------------------------------- pipes


@pytest.fixture(scope="module")
def big_file(tmp_path_factory) -> Path:
    """About 2 MB: its output is far bigger than a pipe's buffer, so `head -1` really closes the pipe early."""
    path = tmp_path_factory.mktemp("big") / "big.txt"
    path.write_text(wide_dump(2_000_000), encoding="utf-8")
    return path


def test_show_seed_into_head_exits_quietly():
    result = shell(f"set -o pipefail; {sys.executable} -m thread_cli show {SEED} | head -1")
    assert result.returncode == 0
    assert result.stdout.decode("utf-8") == "Report: US and Iran laying framework for first direct talks in over 30\u00a0years\n"
    assert result.stderr.decode("utf-8") == f"warning: {SEED}: header declares 31 comments, 30 found\n"  # and no BrokenPipeError text


@pytest.mark.parametrize("command", [
    "show {big}",
    "show {big} --color always --width 80",
    "show {big} --format json",
    "export {big} --format jsonl",
    "export {big} --format csv",
    "export {big} --format text",
    "search lorem {big}",
    "authors {big} --format csv",
])
def test_closed_pipe_ends_quietly(big_file, command):
    result = shell(f"{sys.executable} -m thread_cli {command.format(big=big_file)} | head -c 100 >/dev/null")
    assert (result.returncode, result.stderr) == (0, b"")


def test_check_into_head_exits_quietly(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_text("T\n\n  1. A Says:\n\n    x\n" + "\n     odd\n" * 5000, encoding="utf-8")
    result = shell(f"{sys.executable} -m thread_cli check {path} | head -1")
    # README: a closed output pipe is no error, but check's status still gives its verdict.
    assert result.returncode == 65
    assert result.stderr == b""
    assert result.stdout.decode("utf-8") == (
        f"error: {path}:7:6: unexpected indentation (deeper than the tree allows here); "
        "expected text, a reply marker ('• NAME Says:') or a less indented line\n"
    )


# ---------------------------------------------------------------- Ctrl-C and atomic output


def _process_state(pid: int) -> str:
    """The kernel's one-letter state of process ``pid`` (R running, S sleeping, T stopped, ...)."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    return stat[stat.rindex(")") + 2]


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads process states from /proc")
def test_sigint_during_export_exits_130_and_keeps_the_old_file(tmp_path):
    """Ctrl-C in the middle of writing: exit 130, the old file kept, no temporary file left.

    The signal must land at a real point of the export, not after a guessed
    delay: the test waits until the temporary file has data in it, stops the
    process there (SIGSTOP), checks that the temporary file still exists (so
    the export has not finished), and only then sends SIGINT and lets the
    process go on. However loaded the machine, the export is mid-write.
    """
    big = tmp_path / "big.txt"
    big.write_text(wide_dump(10_000_000), encoding="utf-8")
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    target = out_dir / "out.jsonl"
    target.write_bytes(b"the previous export\n")
    process = subprocess.Popen(
        [sys.executable, "-m", "thread_cli", "export", str(big), "--format", "jsonl", "-o", str(target)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        # A test runner started in the background inherits SIGINT ignored, and
        # Python then keeps it ignored: the child must get the default handling.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            assert process.poll() is None, "the export ended before writing its temporary file"
            assert time.monotonic() < deadline, "no data in a temporary file after 120 s"
            written = [path for path in out_dir.glob(".thread-*.tmp") if path.stat().st_size > 0]
            if written:
                break
            time.sleep(0.005)
        process.send_signal(signal.SIGSTOP)
        while _process_state(process.pid) != "T":
            time.sleep(0.001)
        assert written[0].exists(), "the export finished before it could be stopped mid-write"
        process.send_signal(signal.SIGINT)  # pending until the process runs again
        process.send_signal(signal.SIGCONT)
        stdout, stderr = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 130
    assert b"Traceback" not in stderr
    assert stderr.decode("utf-8") == "interrupted\n"
    assert stdout == b""
    assert target.read_bytes() == b"the previous export\n"
    assert sorted(path.name for path in out_dir.iterdir()) == ["out.jsonl"]  # the temporary file is gone


def test_output_whose_parent_is_a_file_exits_74(tmp_path):
    blocker = tmp_path / "file.txt"
    blocker.write_text("not a folder")
    target = blocker / "out.json"
    result = invoke("export", str(SEED), "-o", str(target))
    assert result.exit_code == 74
    assert result.stderr == f"error: {target}: cannot write: Not a directory\n"
    assert blocker.read_text() == "not a folder"


def test_failed_write_keeps_the_old_file(deep_file, tmp_path):
    """The export fails mid-write (file size limit: EFBIG; Python ignores SIGXFSZ): exit 74, old file intact."""
    resource = pytest.importorskip("resource")
    target = tmp_path / "out.txt"
    target.write_bytes(b"the previous export\n")

    def limit_file_size():
        resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 20, 1 << 20))

    result = run_thread("export", str(deep_file), "--format", "text", "-o", str(target), preexec_fn=limit_file_size)
    assert result.returncode == 74
    assert result.stderr.decode("utf-8") == f"error: {target}: cannot write: File too large\n"
    assert target.read_bytes() == b"the previous export\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["out.txt"]


def test_failed_parse_keeps_the_old_file(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("Title\n\n  1. Ann Says:\n\n     odd\n")
    target = tmp_path / "out.json"
    target.write_bytes(b"the previous export\n")
    result = invoke("export", str(bad), "-o", str(target), "--strict")
    assert result.exit_code == 65
    assert target.read_bytes() == b"the previous export\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["bad.txt", "out.json"]


def test_ctrl_c_while_the_command_line_loads_ends_quietly_with_130():
    # Deterministic stand-in for a Ctrl-C in the first milliseconds: the
    # process interrupts itself while it imports Click.
    script = (
        "import importlib.abc, os, signal, sys\n"
        "class Interrupt(importlib.abc.MetaPathFinder):\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'click':\n"
        "            os.kill(os.getpid(), signal.SIGINT)\n"
        "        return None\n"
        "sys.meta_path.insert(0, Interrupt())\n"
        "sys.argv = ['thread', '--help']\n"
        "from thread_cli.entry import run\n"
        "run()\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, cwd=ROOT, timeout=60, check=False)
    assert (result.returncode, result.stdout, result.stderr) == (130, b"", b"interrupted\n")
