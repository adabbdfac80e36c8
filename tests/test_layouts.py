"""Other blog themes' layouts: headers, author lines, dates, actions, pingbacks."""

from __future__ import annotations

import json

import pytest

from thread_cli.formats.dump import render_text
from thread_cli.formats.records import thread_record
from thread_cli import api

from conftest import ROOT, SEED, invoke

MIXED = ROOT / "seeds" / "wordpress-mixed-layouts.txt"


def parse_text(text: str, name: str = "-"):
    return api.loads(text, name).thread


def _one_comment(header: str, marker_line: str, body: str = "    Hello.\n") -> str:
    return f"Title\n\nText.\n\n{header}\n\n{marker_line}\n\n{body}"


@pytest.mark.parametrize(
    ("header", "declared", "title"),
    [
        ("31 Comments on “T”", 31, "T"),
        ("31 comments on “T”", 31, "T"),
        ("14 thoughts on “T”", 14, "T"),
        ("2 Responses to “T”", 2, "T"),
        ("5 Replies to “T”", 5, "T"),
        ("One thought on “T”", 1, "T"),
        ("One Response to “T”", 1, "T"),
        ("One Comment on “T”", 1, "T"),
        ("1,204 Comments on “T”", 1204, "T"),
        ("12 Comments", 12, None),
        ("3 Responses", 3, None),
    ],
)
def test_comment_headers(header, declared, title):
    thread = parse_text(_one_comment(header, "  1. Ana says:"))
    assert thread.header.declared == declared
    assert thread.header.title == title
    assert thread.comment_count == 1


@pytest.mark.parametrize(
    ("line", "author", "avatar", "date"),
    [
        ("Zoë's avatar zoe Says:", "zoe", "Zoë", None),
        ("Ana Says:", "Ana", None, None),
        ("Ana says:", "Ana", None, None),
        ("Ana said:", "Ana", None, None),
        ("Bruno on September 7, 2013 said:", "Bruno", None, "September 7, 2013"),
        ("Bruno on September 7, 2013 at 9:02 am said:", "Bruno", None, "September 7, 2013 at 9:02 am"),
        ("Dr. J. O'Neil-李 says:", "Dr. J. O'Neil-李", None, None),
        # Blogger's threaded comments: the name, then the date and time, glued or not
        ("Ines Duarte April 9, 2014 at 7:12 PM", "Ines Duarte", None, "April 9, 2014 at 7:12 PM"),
        ("Ines DuarteApril 9, 2014 at 7:12 PM", "Ines Duarte", None, "April 9, 2014 at 7:12 PM"),
        ("Pavel S.June 2, 2025 at 8:20 PM", "Pavel S.", None, "June 2, 2025 at 8:20 PM"),
        # A sentence that ends in a date is the comment's text
        ("We met on April 9, 2014 at 7:12 PM", None, None, None),
        ("Route 66March 5, 2014 at 1:00 PM", None, None, None),
        ("Ines Duarte April 9, 2014", None, None, None),
        ("The vote is set for March 13, 2018 / 10:28 am", None, None, None),
    ],
)
def test_author_lines(line, author, avatar, date):
    comment = parse_text(_one_comment("1 Comment", "  1. " + line)).comments[0]
    assert (comment.author, comment.avatar, comment.date) == (author, avatar, date)


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("September 6, 2013 at 3:24 pm", "2013-09-06T15:24:00"),
        ("Sep 6, 2013 at 15:24", "2013-09-06T15:24:00"),
        ("6 September 2013 at 15:24", "2013-09-06T15:24:00"),
        ("2013-09-06 at 15:24", "2013-09-06T15:24:00"),
        ("September 6, 2013", "2013-09-06"),
    ],
)
def test_date_line_is_not_a_paragraph(text, iso):
    comment = parse_text(_one_comment("1 Comment", "  1. Ana says:", f"    {text}\n\n    Hello.\n")).comments[0]
    assert (comment.date, comment.datetime) == (text, iso)
    assert [p.text for p in comment.paragraphs] == ["Hello."]


def test_a_date_later_in_the_body_is_text():
    comment = parse_text(_one_comment("1 Comment", "  1. Ana says:", "    Hello.\n\n    September 6, 2013\n\n    Bye.\n")).comments[0]
    assert comment.date is None
    assert [p.text for p in comment.paragraphs] == ["Hello.", "September 6, 2013", "Bye."]


@pytest.mark.parametrize(
    ("line", "actions"),
    [
        ("Reply", ["Reply"]),
        ("Reply ↓", ["Reply ↓"]),
        ("Like", ["Like"]),
        ("Liked by 3 people", ["Liked by 3 people"]),
        ("Loading...", ["Loading..."]),
        ("Report comment", ["Report comment"]),
        ("Like Reply", ["Like", "Reply"]),
        # WordPress.com's Like button glued to its count by some extractors.
        ("LikeLike", ["Like", "Like"]),
        ("LikeLiked by 2 people", ["Like", "Liked by 2 people"]),
    ],
)
def test_action_lines_are_not_paragraphs(line, actions):
    comment = parse_text(_one_comment("1 Comment", "  1. Ana says:", f"    Hello.\n\n    {line}\n")).comments[0]
    assert comment.actions == actions
    assert [p.text for p in comment.paragraphs] == ["Hello."]


def test_an_action_word_that_is_not_the_last_line_is_text():
    comment = parse_text(_one_comment("1 Comment", "  1. Ana says:", "    Reply\n    is a word.\n")).comments[0]
    assert comment.actions == []
    assert comment.paragraphs[0].lines == ["Reply", "is a word."]


def test_the_mixed_fixture():
    result = invoke("export", str(MIXED), "--format", "jsonl")
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    summary = [(r["id"], r["kind"], r["author"], r["datetime"], r["actions"]) for r in rows]
    assert summary == [
        ("1", "comment", "Ana", "2013-09-06T15:24:00", ["Reply"]),
        ("1.1", "comment", "Bruno", "2013-09-07T09:02:00", ["Like", "Reply"]),
        ("1.1.1", "comment", "Carla", "2013-09-08T15:24:00", ["Liked by 3 people"]),
        ("2", "pingback", "Weekly links | Some Blog", None, []),
        ("3", "comment", "Dmitri", "2013-09-06T15:24:00", ["Reply ↓"]),
        ("3.1", "trackback", "Hosting roundup", None, []),
        ("3.2", "comment", "Ana", "2013-09-09T08:05:00", ["Loading..."]),
        ("4", "comment", "zoe", "2013-09-10", ["Like"]),
        ("5", "comment", "Eve", None, ["Like", "Reply"]),
    ]
    assert rows[5]["paragraphs"] == ["[…] they moved the blog […]"]
    assert rows[0]["date"] == "September 6, 2013 at 3:24 pm"


def test_the_mixed_fixture_round_trips_byte_for_byte():
    result = invoke("export", str(MIXED), "--format", "text")
    assert result.stdout_bytes == MIXED.read_bytes()


def test_since_and_until_filter_by_date():
    result = invoke("export", str(MIXED), "-f", "jsonl", "--context", "none", "--since", "2013-09-07", "--until", "Sep 8, 2013")
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["1.1", "1.1.1"]
    bad = invoke("export", str(MIXED), "--since", "soon")
    assert bad.exit_code == 2
    assert "cannot read 'soon' as a date" in bad.stderr


def test_the_seed_only_gains_the_new_keys():
    data = json.loads(invoke("export", str(SEED)).stdout)
    for comment in _walk(data["comments"]):
        assert (comment["kind"], comment["date"], comment["datetime"], comment["actions"]) == ("comment", None, None, [])


def test_layout_variants_in_any_mix_round_trip():
    text = MIXED.read_text(encoding="utf-8")
    thread = parse_text(text)
    again = parse_text("".join(render_text(thread)))
    assert thread_record(again) == thread_record(thread)


def _walk(comments):
    stack = list(comments)
    while stack:
        comment = stack.pop()
        yield comment
        stack.extend(comment["replies"])


def test_stats_counts_comments_per_day_when_dates_exist(seed_path):
    result = invoke("stats", str(MIXED), "--format", "json")
    assert json.loads(result.stdout)["per_day"] == {
        "2013-09-06": 2, "2013-09-07": 1, "2013-09-08": 1, "2013-09-09": 1, "2013-09-10": 1,
    }
    plain = invoke("stats", str(MIXED), "--format", "plain", "--width", "60").stdout
    assert "Comments per day\n  2013-09-06  " in plain
    assert "Comments per day" not in invoke("stats", seed_path, "--format", "plain").stdout
