"""The streaming reader and export give what the whole-file path gives."""

from __future__ import annotations

import io
import json

import pytest

from thread_cli import source as source_module
from thread_cli.formats.flat import render_jsonl
from thread_cli.parse import parse
from thread_cli.source import StreamSource, decode

from conftest import ROOT, SEED, invoke

MIXED = ROOT / "seeds" / "wordpress-mixed-layouts.txt"

VARIANTS = {
    "lf": lambda b: b,
    "crlf": lambda b: b.replace(b"\n", b"\r\n"),
    "cr": lambda b: b.replace(b"\n", b"\r"),
    "mixed": lambda b: b.replace(b"\n\n", b"\r\n\r").replace(b"  3.", b"\r  3."),
    "bom, no final newline": lambda b: b"\xef\xbb\xbf" + b.rstrip(b"\n"),
    "invalid utf-8": lambda b: b.replace(b"Norm", b"N\xffrm", 1),
}


def _stream_lines(data: bytes, chunk: int) -> tuple[list[str], StreamSource]:
    stream = StreamSource("x", io.BytesIO(data))
    return [line for _, line in stream.numbered()], stream


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("chunk", [1, 2, 3, 7, 4096])
def test_stream_reader_splits_like_the_whole_file_reader(monkeypatch, variant, chunk):
    monkeypatch.setattr(source_module, "_CHUNK", chunk)
    data = VARIANTS[variant](SEED.read_bytes())
    whole = decode(data, "x")
    lines, stream = _stream_lines(data, chunk)
    assert lines == whole.lines
    assert stream.layout == whole.layout
    assert [p.message for p in stream.problems] == [p.message for p in whole.problems]
    # The place of the first invalid byte is found by both readers.
    assert [(p.line, p.column) for p in stream.problems] == [(p.line, p.column) for p in whole.problems]


@pytest.mark.parametrize("path", [SEED, MIXED])
def test_streaming_jsonl_export_equals_the_whole_thread(path):
    streamed = invoke("export", str(path), "--format", "jsonl")
    thread = parse(decode(path.read_bytes(), str(path))).thread
    assert streamed.stdout == "".join(render_jsonl([thread]))


def test_streaming_export_applies_filters_per_thread(seed_path):
    result = invoke("export", seed_path, "-f", "jsonl", "--author", "artaxes", "--context", "ancestors")
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["6", "6.1"]
    result = invoke("export", seed_path, "-f", "jsonl", "--at", "3.1.1.1", "--max-depth", "4")
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["3.1.1.1"]
    missing = invoke("export", seed_path, "-f", "jsonl", "--at", "99.1")
    assert missing.exit_code == 2
    assert "no comment with id '99.1'" in missing.stderr


def test_streaming_export_reports_errors_with_the_offending_line(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_text("Title\n\n1 Comment\n\n  1. Bob Says:\n\n    hello\n\n        • Ann Says:\n")
    result = invoke("export", str(path), "-f", "jsonl", "--strict")
    assert result.exit_code == 65
    assert "     9 |         • Ann Says:\n" in result.stderr
    repaired = invoke("export", str(path), "-f", "jsonl")
    assert repaired.exit_code == 0
    assert [json.loads(line)["id"] for line in repaired.stdout.splitlines()] == ["1", "1.1"]
    assert "  repaired: read as a comment at depth 2\n" in repaired.stderr


def test_streaming_at_with_a_filter_that_keeps_nothing_is_not_a_usage_error(seed_path):
    result = invoke("export", seed_path, "-f", "jsonl", "--at", "6", "--author", "nobody")
    assert (result.exit_code, result.stdout) == (0, "")


def test_an_export_says_nothing_of_the_headers_count(seed_path):
    # The data holds both counts; only show and stats warn.
    result = invoke("export", seed_path, str(MIXED), "-f", "jsonl")
    assert (result.exit_code, result.stderr) == (0, "")
