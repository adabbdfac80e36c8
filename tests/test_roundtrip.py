"""Nothing lost: the text export reproduces the input, and re-parsing it changes nothing."""

from __future__ import annotations

import json

import pytest

from thread_cli.formats.dump import numbered_lines, render_text
from thread_cli.formats.json_tree import render_json
from thread_cli.formats.records import thread_record
from thread_cli import api
from thread_cli.source import decode

from conftest import ROOT, SEED, invoke


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


# Blogger's threaded layout: a comment's closing "Reply" line is its action but
# stands under its replies, the one place where source order is not the
# tree's. Here it closes a reply that has replies of its own, then the top
# comment, and another top comment follows.
BLOGGER_NESTED = """\
Fixing a squeaky hinge

Two drops of oil did the job.

4 comments:

  1. Ines Duarte April 9, 2014 at 7:12 PM

    Does olive oil work too?

    ReplyDelete

    Replies

      1. Theo Brandt April 9, 2014 at 8:30 PM

        Machine oil lasts longer.

        ReplyDelete

        Replies

          1. Ines Duarte April 9, 2014 at 9:02 PM

            Thanks!

          Reply

      2. Mo April 10, 2014 at 6:05 AM

        Graphite is cleaner.

    Reply

  2. Anonymous April 12, 2014 at 11:48 AM

    Or soap.

    ReplyDelete

Add comment
"""


def _threaded_dumps() -> dict[str, str]:
    fixture = (ROOT / "tests" / "layouts" / "blogger-threaded.txt").read_text(encoding="utf-8")
    return {
        "reply-at-texts-column": fixture,
        "reply-at-replies-column": fixture.replace("\n    Reply\n", "\n      Reply\n"),
        "both-columns": fixture.replace("\n    Reply\n", "\n      Reply\n\n    Reply\n"),
        "no-replies-line": fixture.replace("    Replies\n\n", ""),
        "no-closing-reply": fixture.replace("\n    Reply\n", ""),
        "nested": BLOGGER_NESTED,
        "nested-no-blank-lines": "\n".join(line for line in BLOGGER_NESTED.split("\n") if line.strip()) + "\n",
    }


THREADED = _threaded_dumps()


@pytest.mark.parametrize("name", THREADED)
def test_a_closing_reply_line_is_written_under_the_replies(name):
    text = THREADED[name]
    result = api.loads(text, name, recover=False)
    thread = result.thread
    assert (thread.family, result.problems) == ("blogger", [])
    closing = [(c.id, line.text) for c in thread.walk() if c.replies
               for line in c.action_lines if line.line > c.replies[0].line]
    assert bool(closing) == (name != "no-closing-reply"), closing
    assert "".join(render_text(thread)) == text


@pytest.mark.parametrize("name", [*THREADED, "blogger-flat", "wp-numbered-replies", "wp-name-date-slash"])
def test_numbered_lines_are_the_source_lines_in_order_for_any_selection(name):
    # Whole, cut down to each comment's subtree, to a depth (a comment whose
    # replies are all left out keeps its closing line), and to each author in
    # every context: the writer never sorts, so the lines must come out in
    # source order by construction.
    text = THREADED.get(name) or (ROOT / "tests" / "layouts" / f"{name}.txt").read_text(encoding="utf-8")
    source = text.split("\n")
    thread = api.loads(text, name, recover=False).thread
    authors = {c.author for c in thread.walk() if c.author is not None}
    criteria = [api.criteria(at=c.id) for c in thread.walk()] + [api.criteria(max_depth=d) for d in (1, 2)] + [
        api.criteria(authors=[author], context=context) for author in authors for context in api.CONTEXTS]
    selections = [thread] + [api.select(thread, each).thread for each in criteria]
    for selected in selections:
        lines = list(numbered_lines(selected))
        numbers = [number for number, _ in lines]
        assert all(a < b for a, b in zip(numbers, numbers[1:])), numbers
        assert [(number, source[number - 1]) for number in numbers] == lines


def test_the_nested_closing_lines_belong_to_their_comments():
    thread = api.loads(BLOGGER_NESTED, recover=False).thread
    assert [(c.id, c.actions) for c in thread.walk()] == [
        ("1", ["Reply", "Delete", "Replies", "Reply"]), ("1.1", ["Reply", "Delete", "Replies", "Reply"]),
        ("1.1.1", []), ("1.2", []), ("2", ["Reply", "Delete"])]
    # Without the reply 1.1, the top comment's closing line still comes last.
    kept = api.select(thread, api.criteria(authors=["Mo"])).thread
    assert "".join(render_text(kept)).split("\n")[6:] == [
        "  1. Ines Duarte April 9, 2014 at 7:12 PM", "", "    Does olive oil work too?", "", "    ReplyDelete", "",
        "    Replies", "", "      2. Mo April 10, 2014 at 6:05 AM", "", "        Graphite is cleaner.", "",
        "    Reply", "", "Add comment", ""]


def test_lenient_unplaced_lines_merge_around_a_closing_reply_line():
    fixture = THREADED["reply-at-texts-column"]
    text = fixture.replace("      1. Theo", "     odd\n\n      1. Theo").replace(
        "    Reply\n\n  2.", "    Reply\n\n   odd too\n\n  2.")
    result = api.loads(text, "lenient.txt", recover=True)
    unplaced = [(line.line, line.text) for line in result.thread.unplaced]
    assert unplaced == [(17, "     odd"), (31, "   odd too")]
    # Line 29, the closing "Reply", stands between the replies and line 31.
    assert [line.line for line in result.thread.find("1").action_lines][-1] == 29
    assert "".join(render_text(result.thread)) == text


def _parse_bytes(data: bytes):
    from thread_cli.parse import parse

    return parse(decode(data, str(SEED))).thread
