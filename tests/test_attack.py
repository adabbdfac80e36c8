"""Issue 14, "hold under attack and faults": writing, reading, signals and
hostile names, outside the parser and the command line's own options.

Each test reproduces one defect the attack found. Those that need a real
process (signals, /dev/full, closed descriptors, another user) run
``python -m thread_cli`` with a timeout.
"""

from __future__ import annotations

import codecs
import io
import json
import os
import re
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

from thread_cli import api, output, sanitize, source
from thread_cli.errors import InputError, ParseError, UsageError
from thread_cli.formats import flat

from conftest import invoke

SEED = Path(__file__).resolve().parent.parent / "seeds" / "jpost-us-iran-talks.txt"
DUMP = "Title\n\n2 Comments\n\n  1. =cmd|' /C calc'!A0 says:\n\n    +1 agreed\n\n  2. Bob says:\n\n    -- fine\n"
TIMEOUT = 20


def run_thread(*args: str, **options) -> subprocess.CompletedProcess:
    options.setdefault("stdout", subprocess.PIPE)
    return subprocess.run([sys.executable, "-m", "thread_cli", *args], stderr=subprocess.PIPE,
                          timeout=TIMEOUT, **options)


def feed_fifo(path: str, data: bytes) -> threading.Thread:
    """Write ``data`` into the FIFO ``path`` from a thread (opening blocks until a reader comes)."""
    def write() -> None:
        with open(path, "wb") as fifo:
            fifo.write(data)

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    return writer


# ------------------------------------------------------------ 1: -o on devices, FIFOs, symlinks


@pytest.mark.skipif(os.geteuid() != 0, reason="creating a device node needs root")
def test_output_to_a_character_device_writes_through_it(tmp_path):
    null = tmp_path / "null"
    os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # what /dev/null is
    output.write_chunks(["hello\n"], str(null))
    assert stat.S_ISCHR(os.stat(null).st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["null"]  # no temporary file left


def test_output_to_a_fifo_writes_through_it(tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    output.write_chunks(["hello\n"], str(fifo))
    reader.join(TIMEOUT)
    assert received == [b"hello\n"]
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_output_through_a_symlink_replaces_its_target_and_keeps_the_link(tmp_path):
    target = tmp_path / "target.json"
    target.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to("target.json")
    output.write_chunks(["new"], str(link))
    assert link.is_symlink() and os.readlink(link) == "target.json"
    assert target.read_text() == "new"


def test_output_through_a_dangling_symlink_creates_its_target(tmp_path):
    link = tmp_path / "link.json"
    link.symlink_to("made.json")
    output.write_chunks(["new"], str(link))
    assert link.is_symlink() and (tmp_path / "made.json").read_text() == "new"


def test_output_keeps_the_mode_of_the_file_it_replaces(tmp_path):
    target = tmp_path / "secret.json"
    target.write_text("old")
    target.chmod(0o600)
    output.write_chunks(["new"], str(target))
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    assert target.read_text() == "new"


def test_output_naming_an_input_is_refused(tmp_path):
    dump = tmp_path / "dump.txt"
    dump.write_text(DUMP)
    alias = tmp_path / "alias.txt"
    alias.symlink_to(dump)
    with pytest.raises(UsageError) as refused:
        output.check_not_an_input(str(alias), ["other.txt", str(dump)])
    assert str(refused.value) == f"-o {alias} would overwrite the input {dump}"
    output.check_not_an_input(str(tmp_path / "new.json"), [str(dump)])  # a new file: fine
    output.check_not_an_input("-", [str(dump), "-"])  # stdout is never an input


# ------------------------------------------------------------ 5: a FIFO as input is read once


def test_a_fifo_is_read_once_by_the_whole_file_reader(tmp_path):
    fifo = tmp_path / "in"
    os.mkfifo(fifo)
    feed_fifo(str(fifo), DUMP.encode())
    assert source.read_source(str(fifo)).lines == DUMP.rstrip("\n").split("\n")


def test_a_fifo_is_read_once_by_the_streaming_reader(tmp_path):
    fifo = tmp_path / "in"
    os.mkfifo(fifo)
    feed_fifo(str(fifo), DUMP.encode())
    lines = [text for _, text in source.stream_source(str(fifo)).numbered()]
    assert lines == DUMP.rstrip("\n").split("\n")


@pytest.mark.parametrize("command", [["show"], ["export", "--format", "jsonl"], ["export"], ["check"]])
def test_a_fifo_as_input_does_not_hang_the_command(tmp_path, command):
    fifo = tmp_path / "in"
    os.mkfifo(fifo)
    feed_fifo(str(fifo), SEED.read_bytes())
    done = run_thread(*command, str(fifo))
    assert done.returncode == 0, done.stderr
    assert done.stdout


# ------------------------------------------------------------ 6: file names that are not UTF-8

BAD_NAME = os.fsdecode(b"bad\xff.txt")  # "bad\udcff.txt": how Python passes such a name on


def _written(chunks) -> bytes:
    buffer = io.BytesIO()
    output.write_chunks(chunks, stream=buffer)
    return buffer.getvalue()


def _bad_named_thread():
    thread = api.loads(DUMP, BAD_NAME).thread
    assert thread.source == BAD_NAME
    return thread


def test_jsonl_of_a_file_named_in_bytes_is_utf8_and_gives_the_name_back():
    data = _written(api.export([_bad_named_thread()], "jsonl"))
    records = [json.loads(line) for line in data.decode("utf-8").splitlines()]
    assert data.count(b'"source":"bad\\udcff.txt"') == 2
    assert [os.fsencode(record["source"]) for record in records] == [b"bad\xff.txt"] * 2


def test_jsonl_with_orjson_takes_a_file_named_in_bytes(monkeypatch):
    class StrictUtf8Json:  # orjson refuses surrogates: "str is not valid UTF-8"
        @staticmethod
        def dumps(record):
            text = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
            return text.encode("utf-8")  # raises UnicodeEncodeError on a surrogate, as orjson raises

    monkeypatch.setattr(flat, "_import_orjson", lambda: StrictUtf8Json)
    data = _written(api.export([_bad_named_thread()], "jsonl"))
    assert [json.loads(line)["source"] for line in data.decode("utf-8").splitlines()] == [BAD_NAME] * 2


def test_json_of_a_file_named_in_bytes_is_utf8():
    data = _written(api.export([_bad_named_thread()], "json"))
    assert json.loads(data.decode("utf-8"))["source"] == BAD_NAME


def _unescaped(value: str) -> bytes:
    """The name's bytes from a CSV or Parquet value, as output.py's docstring says."""
    return os.fsencode(re.sub(r"\\udc[89a-f][0-9a-f]", lambda m: chr(int(m[0][2:], 16)), value))


def test_parquet_of_a_file_named_in_bytes_escapes_it_as_every_format_does():
    pq = pytest.importorskip("pyarrow.parquet")
    from thread_cli.formats.parquet import ParquetSink, batch_bytes

    names = {BAD_NAME: b"bad\xff.txt", os.fsdecode(b"caf\xc3\xa9 \xfe.txt"): b"caf\xc3\xa9 \xfe.txt"}
    rows = [row for name in names for row in api.records(DUMP.encode("utf-8"), name)]
    buffer = io.BytesIO()
    sink = ParquetSink(buffer)
    sink.add(batch_bytes(rows))  # as a worker sends it
    sink.close()
    sources = pq.read_table(io.BytesIO(buffer.getvalue())).column("source").to_pylist()
    assert sources == ["bad\\udcff.txt"] * 2 + ["café \\udcfe.txt"] * 2
    assert [_unescaped(value) for value in sources] == [b"bad\xff.txt"] * 2 + [b"caf\xc3\xa9 \xfe.txt"] * 2
    # The one rule: the same text as the CSV of a corpus and as the writer's bytes.
    csv_text = _written([flat.corpus_delimited(rows)]).decode("utf-8")
    assert [line.split(",", 1)[0] for line in csv_text.splitlines()] == sources
    assert [output.escape_surrogates(name).encode("utf-8") for name in names] == [
        _written([name]) for name in names] == [b"bad\\udcff.txt", b"caf\xc3\xa9 \\udcfe.txt"]


# ------------------------------------------------------------ 8: SIGTERM and SIGHUP during -o


@pytest.mark.parametrize("signum, status", [(signal.SIGTERM, 143), (signal.SIGHUP, 129)])
def test_a_signal_during_output_leaves_no_temporary_and_the_old_file(tmp_path, signum, status):
    fifo = tmp_path / "in"
    os.mkfifo(fifo)
    target = tmp_path / "out.jsonl"
    target.write_text("old")
    process = subprocess.Popen([sys.executable, "-m", "thread_cli", "export", str(fifo), "--format", "jsonl",
                                "-o", str(target)], stderr=subprocess.PIPE)
    try:
        with open(fifo, "wb") as feed:
            feed.write(SEED.read_bytes()[:2000])  # half a dump: the export waits for the rest
            feed.flush()
            deadline = time.monotonic() + TIMEOUT
            while not list(tmp_path.glob(".thread-*.tmp")) and time.monotonic() < deadline:
                time.sleep(0.02)
            assert list(tmp_path.glob(".thread-*.tmp")), "the export never started writing"
            process.send_signal(signum)
        # The input is closed only now. A signal that lands just before the
        # export blocks on its next read is handled by CPython once that read
        # returns (the handler runs between bytecodes), so an input that
        # stayed open could hold the exit back for ever; at the end of the
        # input the handler runs before the export can finish.
        assert process.wait(TIMEOUT) == status
    finally:
        process.kill()
        process.wait()
    assert b"Traceback" not in process.stderr.read()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "out.jsonl"]
    assert target.read_text() == "old"


# ------------------------------------------------------------ 9: an unreadable input


def test_an_unreadable_input_raises_input_error(tmp_path, monkeypatch):
    def refuse(path, mode="r", *args, **kwargs):
        raise PermissionError(13, "Permission denied", path)

    monkeypatch.setattr("builtins.open", refuse)
    for read in (source.read_source, source.stream_source):
        with pytest.raises(InputError) as failed:
            read(str(tmp_path / "secret.txt"))
        assert str(failed.value) == f"{tmp_path / 'secret.txt'}: cannot read: Permission denied"
        assert failed.value.exit_status == 66


@pytest.mark.skipif(os.geteuid() != 0, reason="switching to user nobody needs root")
def test_check_goes_on_past_an_unreadable_input_and_exits_66():
    with tempfile.TemporaryDirectory() as folder:
        os.chmod(folder, 0o755)
        good, secret = os.path.join(folder, "good.txt"), os.path.join(folder, "secret.txt")
        for path in (good, secret):
            Path(path).write_text(DUMP)
            os.chmod(path, 0o644)
        os.chmod(secret, 0o000)
        done = subprocess.run(["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                               sys.executable, "-m", "thread_cli", "check", secret, good],
                              capture_output=True, timeout=TIMEOUT, cwd=folder)
    assert done.returncode == 66, done.stderr
    assert done.stdout.decode().splitlines() == [f"{good}: ok"]
    assert f"error: {secret}: cannot read: Permission denied" in done.stderr.decode()


def test_check_goes_on_past_a_directory_and_exits_66(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(DUMP)
    done = run_thread("check", str(tmp_path), str(good))
    assert done.returncode == 66
    assert done.stdout.decode().splitlines() == [f"{good}: ok"]
    assert f"error: {tmp_path}: is a directory" in done.stderr.decode()


# ------------------------------------------------------------ 10: line and column of invalid UTF-8


def _stream_problem(data: bytes, chunk: int, monkeypatch, strict: bool):
    monkeypatch.setattr(source, "_CHUNK", chunk)
    streamed = source.StreamSource("f", io.BytesIO(data), strict=strict)
    try:
        for _ in streamed.numbered():
            pass
    except ParseError as error:
        return error.problem
    return streamed.problems[0]


def _whole_problem(data: bytes, strict: bool):
    try:
        return source.decode(data, "f", strict=strict).problems[0]
    except ParseError as error:
        return error.problem


@pytest.mark.parametrize("newline", [b"\n", b"\r", b"\r\n"])
@pytest.mark.parametrize("strict", [True, False])
def test_streaming_places_invalid_utf8_as_the_whole_file_reader_does(monkeypatch, newline, strict):
    # Every chunk size puts a chunk boundary at every byte, a held-back CR included.
    data = newline.join([b"Title", b"", b"  1. Ann says:", b"", b"    caf\xc3\xa9 \xff bad", b""])
    whole = _whole_problem(data, strict)
    assert (whole.line, whole.column, whole.line_text) == (5, 10, "    café \ufffd bad" if not strict else
                                                           "    café \ufffd bad")
    for chunk in range(1, len(data) + 1):
        streamed = _stream_problem(data, chunk, monkeypatch, strict)
        assert (streamed.line, streamed.column, streamed.line_text, streamed.message) == \
            (whole.line, whole.column, whole.line_text, whole.message), chunk


def test_streaming_places_invalid_utf8_far_past_the_first_chunk_in_a_cr_only_file():
    lines = [b"Title", b"", b"  1. Ann says:", b""] + [b"    filler %d" % i for i in range(200_000)]
    data = b"\r".join(lines + [b"    bad \xff here", b""])
    streamed = source.StreamSource("f", io.BytesIO(data), strict=True)
    with pytest.raises(ParseError) as failed:
        for _ in streamed.numbered():
            pass
    assert len(data) > 2 * source._CHUNK
    assert (failed.value.line, failed.value.column, failed.value.line_text) == (200_005, 9, "    bad \ufffd here")


# ------------------------------------------------------------ 11: no traceback on any stream


def _no_traceback(done: subprocess.CompletedProcess) -> str:
    stderr = done.stderr.decode()
    assert "Traceback" not in stderr and "Exception ignored" not in stderr, stderr
    return stderr


@pytest.mark.parametrize("args", [["check", str(SEED)], ["--help"], ["show", str(SEED)],
                                  ["export", str(SEED), "--format", "jsonl"]])
def test_a_full_stdout_exits_74(args):
    with open("/dev/full", "wb") as full:
        done = run_thread(*args, stdout=full)
    assert done.returncode == 74
    assert "No space left on device" in _no_traceback(done)


@pytest.mark.parametrize("args", [["export", str(SEED)], ["check", str(SEED)], ["--help"]])
def test_a_closed_stdout_exits_74(args):
    done = subprocess.run([sys.executable, "-m", "thread_cli", *args], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, timeout=TIMEOUT, preexec_fn=lambda: os.close(1))
    assert done.returncode == 74
    assert "Bad file descriptor" in _no_traceback(done)


@pytest.mark.parametrize("args", [["show"], ["export", "--format", "jsonl"], ["check"]])
def test_a_closed_stdin_exits_66(args):
    done = subprocess.run([sys.executable, "-m", "thread_cli", *args], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, timeout=TIMEOUT, preexec_fn=lambda: os.close(0))
    assert done.returncode == 66
    assert _no_traceback(done) == "error: -: cannot read standard input: Bad file descriptor\n"


# ------------------------------------------------------------ judgement calls


def test_exports_to_a_terminal_are_sanitised_but_keep_their_line_ends():
    chunks = ["id,text\r", "\n1,\x1b]52;c;aGk=\x07 \x9b2J\r", "\n2,over\rwrite\u202e\n"]
    assert "".join(sanitize.terminal_chunks(chunks)) == \
        "id,text\n1,^[]52;c;aGk=^G \\x9b2J\n2,over^Mwrite<U+202E>\n"


@pytest.mark.parametrize("char", ["\u200e", "\u200f", "\u061c", "\u3164", "\u115f", "\uffa0"])
def test_bidi_marks_and_fillers_are_visible(char):
    assert sanitize.sanitize(f"a{char}b") == f"a<U+{ord(char):04X}>b"


def test_csv_safe_prefixes_formula_cells_and_the_default_stays_exact():
    thread = api.loads(DUMP).thread
    exact = "".join(flat.render_delimited(thread, ","))
    safe = "".join(flat.render_delimited(thread, ",", csv_safe=True))
    assert ",=cmd|' /C calc'!A0," in exact and ",+1 agreed," in exact
    assert ",'=cmd|' /C calc'!A0," in safe and ",'+1 agreed," in safe and ",'-- fine," in safe
    assert safe.replace("'=", "=").replace("'+", "+").replace("'-", "-") == exact
    tsv = "".join(flat.render_delimited(thread, "\t", csv_safe=True))
    assert "\t'=cmd|' /C calc'!A0\t" in tsv


@pytest.mark.parametrize("codec, bom", [("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE),
                                        ("utf-32-le", codecs.BOM_UTF32_LE), ("utf-32-be", codecs.BOM_UTF32_BE)])
def test_utf16_and_utf32_with_a_bom_are_read_and_written_back_byte_for_byte(codec, bom):
    text = DUMP.replace("Bob", "Zoë 🎉")
    data = bom + text.encode(codec)
    decoded = source.decode(data, "f", strict=True)
    assert decoded.lines == text.rstrip("\n").split("\n")
    assert decoded.layout.encoding == codec and decoded.layout.bom and decoded.problems == ()
    streamed = source.StreamSource("f", io.BytesIO(data), strict=True)
    assert [line for _, line in streamed.numbered()] == decoded.lines and streamed.layout.encoding == codec
    written = io.BytesIO()
    output.write_chunks(["\ufeff", "\n".join(decoded.lines), "\n"], stream=written, encoding=codec)
    assert written.getvalue() == data


def test_bomless_utf16_is_reported_with_its_likely_encoding():
    data = DUMP.replace("Bob", "Zoë").encode("utf-16-le")
    problem = source.decode(data, "f").problems[0]
    assert problem.message.startswith("invalid UTF-8 at byte offset")
    assert problem.hint == "the bytes look like UTF-16-LE without a BOM; convert it (iconv -f UTF-16LE -t UTF-8)"
    with pytest.raises(ParseError) as failed:
        source.decode(DUMP.replace("Bob", "Zoë").encode("utf-16-be"), "f", strict=True)
    assert failed.value.hint == "the bytes look like UTF-16-BE without a BOM; convert it (iconv -f UTF-16BE -t UTF-8)"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le"])
def test_the_text_export_of_a_utf16_or_utf32_dump_is_the_input_byte_for_byte(tmp_path, codec):
    path = tmp_path / "wide.txt"
    path.write_bytes(("\ufeff" + DUMP.replace("Bob", "Zoë")).encode(codec))
    piped = invoke("export", str(path), "--format", "text")
    assert (piped.exit_code, piped.stdout_bytes) == (0, path.read_bytes())
    written = invoke("export", str(path), "-o", str(tmp_path / "again.txt"))
    assert written.exit_code == 0 and (tmp_path / "again.txt").read_bytes() == path.read_bytes()
    data = invoke("export", str(path), "--format", "jsonl")
    assert [json.loads(line)["author"] for line in data.stdout.splitlines()] == ["=cmd|' /C calc'!A0", "Zoë"]
