"""Nothing lost: the text export reproduces the input, and re-parsing it changes nothing."""

from __future__ import annotations

import json

import pytest

from thread_cli.formats.dump import render_text
from thread_cli.formats.json_tree import render_json
from thread_cli.formats.records import thread_record
from thread_cli import api
from thread_cli.source import decode

from conftest import SEED, invoke


def parse_text(text: str, name: str = "-"):
    return api.loads(text, name).thread


def test_text_export_of_the_seed_is_byte_for_byte(seed_path):
    result = invoke("export", seed_path, "--format", "text")
    assert result.exit_code == 0
    assert result.stdout_bytes == SEED.read_bytes()


def test_every_line_is_somewhere_in_the_model():
    data = SEED.read_bytes()
    thread = _parse_bytes(data)
    assert "".join(render_text(thread)).encode() == data


VARIANTS = {
    "crlf": lambda b: b.replace(b"\n", b"\r\n"),
    "cr": lambda b: b.replace(b"\n", b"\r"),
    "bom": lambda b: b"\xef\xbb\xbf" + b,
    "no final newline": lambda b: b.rstrip(b"\n"),
    "extra trailing blanks": lambda b: b + b"\n\n  \n",
    "whitespace-only blank lines": lambda b: b.replace(b"\n\n  3.", b"\n   \n  3."),
}


@pytest.mark.parametrize("variant", VARIANTS)
def test_layout_variants_round_trip_and_keep_the_model(variant):
    original = SEED.read_bytes()
    changed = VARIANTS[variant](original)
    thread = _parse_bytes(changed)
    assert "".join(render_text(thread)).encode("utf-8") == changed
    plain = thread_record(_parse_bytes(original))
    assert thread_record(thread)["comments"] == plain["comments"]


def test_mixed_line_endings_are_restored_line_by_line():
    data = b"Title\r\n\nBody\r\n\r\n  1. Ann Says:\n\r\n    hi\r"
    thread = _parse_bytes(data)
    assert "".join(render_text(thread)).encode() == data
    assert thread.find("1").paragraphs[0].lines == ["hi"]


def test_text_export_then_parse_gives_the_same_json():
    thread = _parse_bytes(SEED.read_bytes())
    again = parse_text("".join(render_text(thread)), thread.source)
    assert thread_record(again) == thread_record(thread)


def test_json_writer_matches_the_standard_encoder():
    thread = _parse_bytes(SEED.read_bytes())
    text = "".join(render_json(thread))
    assert text == json.dumps(thread_record(thread), indent=2, ensure_ascii=False) + "\n"


def test_control_characters_survive_into_json():
    text = "Title\n\n  1. Ann Says:\n\n    a\x1b[31mred\x00nul\x0cff\u2028sep\n"
    thread = parse_text(text)
    assert thread_record(thread)["comments"][0]["paragraphs"] == ["a\x1b[31mred\x00nul\x0cff\u2028sep"]


def _parse_bytes(data: bytes):
    from thread_cli.parse import parse

    return parse(decode(data, str(SEED))).thread
