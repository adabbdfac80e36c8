"""The comment-section families, one fixture per variant (tests/layouts/, written for these tests).

Every fixture: the facts (family, declared count, ids, depths, authors), the
text export byte for byte, no problem for `thread check`. Every fixture with
comments, its comment section broken on purpose (header gone, list moved to
column 1): the parse says it doubts itself, never silently.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from thread_cli import api
from thread_cli.errors import ThreadError
from thread_cli.formats.dump import render_text

from conftest import ROOT, invoke
from test_properties import FAST

LAYOUTS = ROOT / "tests" / "layouts"

# name: (family, declared count, [(id, depth, author)])
FACTS = {
    "blogger-ellipsis": ("blogger", 2, [("1", 1, "Mo"), ("2", 1, "Jun")]),
    "blogger-flat": ("blogger", 3, [("1", 1, "Ann Lee"), ("2", 1, "Anonymous"), ("3", 1, "Pat Morales")]),
    "blogger-no-comments": ("none", 0, []),
    "blogger-threaded": ("blogger", 4, [("1", 1, "Ines Duarte"), ("1.1", 2, "Theo Brandt"), ("1.2", 2, "Ines Duarte"),
                                        ("2", 1, "Anonymous")]),
    "blogger-threaded-glued": ("blogger", 3, [("1", 1, "Mina"), ("1.1", 2, "Karl Oyelaran"), ("2", 1, "Pavel S.")]),
    "footer-after-categories": ("none", None, []),
    "header-add-yours": ("none", 0, []),
    "header-this-post-has": ("wordpress", 2, [("1", 1, "Sam"), ("2", 1, "Nell")]),
    "tab-after-indent": ("wordpress", 1, [("1", 1, "Vera")]),
    "truncated": ("wordpress", 2, [("1", 1, "Kai"), ("2", 1, "Noor")]),
    "wp-badge": ("wordpress", 1, [("1", 1, "Ann"), ("1.1", 2, "Pete")]),
    "wp-bare-name": ("wordpress", 5, [("1", 1, "MarthaK"), ("2", 1, "Tom Reyes"), ("3", 1, None), ("4", 1, None),
                                      ("5", 1, "Dev Okafor")]),
    "wp-bulleted-top": ("wordpress", 3, [("1", 1, "Marco"), ("1.1", 2, "Lena"), ("2", 1, "Ruth")]),
    "wp-name-date-slash": ("wordpress", 2, [("1", 1, "Ann Lee"), ("1.1", 2, "Joe Park"), ("2", 1, "Ravi")]),
    "wp-numbered-replies": ("wordpress", 4, [("1", 1, "Omar"), ("1.1", 2, "Hana"), ("1.1.1", 3, "Omar"),
                                             ("2", 1, "Bea")]),
    "wp-numbered-says": ("wordpress", 3, [("1", 1, "Priya"), ("1.1", 2, "Dan Whitford"), ("2", 1, "Gus")]),
    "wp-says-no-colon": ("wordpress", 2, [("1", 1, "Ivo"), ("2", 1, "Tess")]),
    "wpcom-no-bylines": ("wordpress", 4, [("1", 1, None), ("2", 1, None), ("2.1", 2, None), ("3", 1, None)]),
}
WITH_COMMENTS = sorted(name for name, (_, _, comments) in FACTS.items() if comments)


def _path(name: str):
    return LAYOUTS / f"{name}.txt"


def test_every_fixture_has_its_facts():
    assert sorted(path.stem for path in LAYOUTS.glob("*.txt")) == sorted(FACTS)


@pytest.mark.parametrize("name", sorted(FACTS))
def test_fixture_facts_round_trip_and_check_clean(name):
    family, declared, comments = FACTS[name]
    result = api.load(str(_path(name)))  # strict: any problem would raise
    thread = result.thread
    assert (thread.family, thread.declared_count) == (family, declared)
    assert [(c.id, c.depth, c.author) for c in thread.walk()] == comments
    assert "".join(render_text(thread)).encode("utf-8") == _path(name).read_bytes()
    (checked,) = api.check_files([str(_path(name))])
    assert (checked.problems, checked.decoding, checked.error, result.doubts) == ([], (), None, ())


def test_dates_and_actions_of_the_families():
    says = api.load(str(_path("wp-numbered-says"))).thread
    assert [(c.date, c.datetime, c.actions) for c in says.walk()] == [
        ("June 2, 2019 at 8:15 am", "2019-06-02T08:15:00", ["Reply"]),
        ("June 2, 2019 at 9:40 am", "2019-06-02T09:40:00", ["Reply"]),
        ("June 3, 2019 at 11:02 pm", "2019-06-03T23:02:00", ["Reply"]),
    ]
    slash = api.load(str(_path("wp-name-date-slash"))).thread
    assert slash.find("1").datetime == "2018-03-13T10:28:00"
    blogger = api.load(str(_path("blogger-flat"))).thread
    assert [(c.date, [p.text for p in c.paragraphs]) for c in blogger.walk()] == [
        ("10:50 AM", ["Those tomatoes look amazing."]),
        ("11:02 AM", ["How much were the onions?"]),
        ("March 5, 2012 at 1:15 PM", ["Three for a dollar at the far stall.", "And the basil was free."]),
    ]
    assert [line.text for line in blogger.footer] == [
        "Post a Comment", "Newer Post Older Post Home", "Subscribe to: Post Comments (Atom)"]
    wpcom = api.load(str(_path("wpcom-no-bylines"))).thread
    assert wpcom.find("1").actions == ["Like", "Liked by 1 person", "Reply"]
    assert api.load(str(_path("tab-after-indent"))).thread.find("1").paragraphs[1].text == (
        '\tfind . -name "*.log" -delete')


def test_blogger_threaded_replies_sit_inside_the_body():
    thread = api.load(str(_path("blogger-threaded"))).thread
    first = thread.find("1")
    # "ReplyDelete" is two links run together; "Replies" opens the replies; the
    # "Reply" link under them is the thread's own.
    assert (first.replies_in_body, first.actions, [line.line for line in first.action_lines]) == (
        True, ["Reply", "Delete", "Replies", "Reply"], [13, 15, 27])
    assert [(c.id, c.level, c.datetime, c.actions) for c in first.replies] == [
        ("1.1", 3, "2014-04-09T20:30:00", ["Delete"]), ("1.2", 3, "2014-04-10T06:05:00", [])]
    assert [line.text for line in thread.footer] == [
        "Add comment", "Load more...", "Newer Post Older Post Home", "Subscribe to: Post Comments (Atom)"]
    # The text of a filtered thread keeps the replies' columns.
    filtered = "".join(render_text(api.select(thread, api.criteria(authors=["Theo Brandt"])).thread)).split("\n")
    assert filtered[16:21] == ["      1. Theo Brandt April 9, 2014 at 8:30 PM", "",
                               "        Machine oil lasts longer; olive oil turns sticky.", "", "        Delete"]
    assert "      2. Ines Duarte April 10, 2014 at 6:05 AM" not in filtered


def test_a_date_header_above_the_title_is_the_threads_date():
    thread = api.load(str(_path("blogger-threaded"))).thread
    assert (thread.date_line.text, thread.date_line.line, thread.datetime, thread.title.text) == (
        "Wednesday, April 9, 2014", 1, "2014-04-09", "Fixing a squeaky hinge")
    assert api.load(str(_path("blogger-threaded-glued"))).thread.datetime == "2025-06-01"


def test_the_date_header_wraps_to_the_views_width_as_the_title_does():
    from thread_cli.layout import ViewOptions

    thread = api.load(str(_path("blogger-threaded"))).thread
    options = ViewOptions(width=12)
    view = "".join(api.view(thread, api.select(thread), options))
    assert view.startswith("Wednesday,\nApril 9,\n2014\nFixing a\nsqueaky\nhinge\n")


@pytest.mark.parametrize(("text", "title"), [
    ("April 9, 2014\n\nText.\n", "April 9, 2014"),  # no weekday: a title that is a date
    ("Wednesday, April 9, 2014\n", "Wednesday, April 9, 2014"),  # alone: the title
    ("Wednesday, April 9, 2014\n\n1 Comment\n\n  1. Ann says:\n\n    Hi.\n", "Wednesday, April 9, 2014"),
    ("Wednesday, April 9, 2014\n\n  1. Ann says:\n\n    Hi.\n", "Wednesday, April 9, 2014"),
    ("Wed, 9 April 2014\nA title\n", "A title"),
    # a title shaped like a comment header, under a date header, is the title
    ("Wed, 9 April 2014\n10 thoughts on moving house\n\nText.\n\n3 comments:\n\n  1. Ann says:\n\n    Hi.\n",
     "10 thoughts on moving house"),
])
def test_a_date_header_needs_a_title_after_it(text, title):
    thread = api.loads(text).thread
    assert thread.title.text == title
    assert (thread.date_line is None) == title.startswith(("April", "Wednesday"))
    assert "".join(render_text(thread)) == text


@pytest.mark.parametrize("variant", [
    lambda text: text.replace("\n    Reply\n", "\n      Reply\n"),  # the closing link at the replies' column
    lambda text: text.replace("    Replies\n\n", ""),  # no "Replies" line
    lambda text: re.sub(r"\n(?:[ ]*\n)+", "\n", text),  # no blank lines at all
], ids=["reply-at-replies-column", "no-replies-line", "no-blank-lines"])
def test_blogger_threaded_variants(variant):
    text = variant(_path("blogger-threaded").read_text(encoding="utf-8"))
    result = api.loads(text, "variant.txt")  # strict: any problem would raise
    thread = result.thread
    assert [(c.id, c.author, c.actions) for c in thread.walk()][:2] == [
        ("1", "Ines Duarte", ["Reply", "Delete", *(["Replies"] if "Replies" in text else []), "Reply"]),
        ("1.1", "Theo Brandt", ["Delete"])]
    assert (thread.family, thread.comment_count, result.doubts) == ("blogger", 4, ())
    assert "".join(render_text(thread)) == text


def test_a_bare_name_is_a_byline_only_with_its_text_under_it():
    # The same words: an author when the comment's text follows after a blank
    # line or a date line; a one-line comment when the next comment follows.
    named = api.loads("T\n\n1 Comment\n\n  1. Ann Lee\n\n    Hello.\n").thread
    assert (named.find("1").author, named.find("1").text) == ("Ann Lee", "Hello.")
    dated = api.loads("T\n\n1 Comment\n\n  1. Ann Lee\n    May 2, 2020\n\n    Hello.\n").thread
    assert (dated.find("1").author, dated.find("1").date) == ("Ann Lee", "May 2, 2020")
    wrapped = api.loads("T\n\n1 Comment\n\n  1. Ann Lee\n    is right.\n").thread
    assert (wrapped.find("1").author, wrapped.find("1").text) == (None, "Ann Lee\nis right.")
    one_line = api.loads("T\n\n2 Comments\n\n  1. Ann Lee\n\n  2. Bob says:\n\n    Hi.\n").thread
    assert [(c.id, c.author, c.text) for c in one_line.walk()] == [("1", None, "Ann Lee"), ("2", "Bob", "Hi.")]


def _broken(text: str) -> str:
    """The dump with its comment section broken: the header line gone and
    everything after it moved to column 1."""
    lines = text.split("\n")
    header = next((index for index, line in enumerate(lines) if api.is_header_line(line)), None)
    start = header if header is not None else 2
    rest = [re.sub(r"^ {1,2}", "", line) if header is None or index > 0 else None
            for index, line in enumerate(lines[start:])]
    return "\n".join(lines[:start] + [line for line in rest if line is not None])


@pytest.mark.parametrize("name", WITH_COMMENTS)
def test_a_broken_comment_section_is_never_read_silently(name):
    result = api.loads(_broken(_path(name).read_text(encoding="utf-8")), name, recover=True)
    assert result.problems or result.doubts, name
    if not result.problems:
        assert result.doubts[0].message.startswith(("no comment section recognised:", "comments may be missing:"))


def test_the_doubt_names_the_lines():
    text = "Title\n\nSome text.\n\n1. Ann says:\n\nHello.\n\n2. Bob says:\n\nHi.\n"
    (doubt,) = api.loads(text, "x.txt").doubts
    assert str(doubt) == ("x.txt:5:1: no comment section recognised: lines 5, 9 look like parts of a comment "
                          "section but were read as text")


# A comment section in a shape thread does not know, right under its header:
# its lines end up in the footer, and the header's count is all that is left.
HEADED_BUT_UNKNOWN = "Title\n\nSome text.\n\n2 Comments\nKim Ray April 6, 2018\nA comment in a shape of its own.\n"


def test_a_header_over_no_comment_at_all_is_a_doubt(tmp_path):
    result = api.loads(HEADED_BUT_UNKNOWN, "x.txt")
    assert (result.thread.comment_count, [line.text for line in result.thread.footer]) == (
        0, ["Kim Ray April 6, 2018", "A comment in a shape of its own."])
    (doubt,) = result.doubts
    assert str(doubt) == ("x.txt:5:1: no comment section recognised: the header says there are comments, "
                          "but no line after it was read as one")
    dump = tmp_path / "x.txt"
    dump.write_text(HEADED_BUT_UNKNOWN, encoding="utf-8")
    checked = invoke("check", str(dump))
    assert checked.exit_code == 65 and f"error: {dump}:5:1: no comment section recognised" in checked.stdout
    # The streamed export, which keeps no comments, says so too.
    exported = invoke("export", str(dump), "--format", "jsonl")
    assert (exported.exit_code, exported.stdout) == (0, "")
    assert f"warning: {dump}:5:1: no comment section recognised" in exported.stderr


def test_bylines_of_a_name_and_a_date_read_as_text_are_a_doubt():
    # A flat list with no marker and no header: each comment a "NAME DATE" line, then its text.
    text = ("Which flour?\n\nI need a swap for almond meal.\n\nMira July 12, 2013\nTry rice flour.\n\n"
            "Jon Bell July 13, 2013\nOr skip it.\n")
    (doubt,) = api.loads(text, "x.txt").doubts
    assert str(doubt) == ("x.txt:5:1: no comment section recognised: lines 5, 8 look like parts of a comment "
                          "section but were read as text")


def test_a_header_ending_in_a_full_stop_stays_text_and_is_a_doubt():
    # A sentence may start like a header, so the line is not one; but it says
    # that what follows may be a comment section.
    text = "Our news\n\nSome text.\n\n2 responses to this post.\n\n  1. Well done!\n\n  2. Congratulations.\n"
    result = api.loads(text, "x.txt")
    assert (result.thread.comment_count, result.thread.header) == (0, None)
    (doubt,) = result.doubts
    assert str(doubt) == ("x.txt:5:1: no comment section recognised: line 5 looks like part of a comment section "
                          "but was read as text")


def test_datelines_and_sentences_ending_in_a_date_are_no_doubt():
    text = ("A post\n\nPublished July 10, 2013\n\nSome text.\n\nUpdated July 12, 2013\n\n"
            "We met on July 12, 2013\n\nThe end.\n")
    assert api.loads(text, "x.txt").doubts == ()


@pytest.mark.parametrize("text", [
    "Title\n\nSome text.\n\nNo comments:\n\nPost a Comment\n",  # declares none
    "Title\n\nSome text.\n\n3 Comments\n\n  1. Ann says:\n\n    Hi.\n",  # one left of three: only a count note
])
def test_a_header_is_no_doubt_when_it_declares_none_or_some_comment_was_read(text):
    assert api.loads(text, "x.txt").doubts == ()


@FAST
@given(st.lists(st.sampled_from(sorted(FACTS)), min_size=1, max_size=3), st.data())
def test_mixed_and_damaged_fixtures_raise_only_our_errors(names, data):
    lines = [line for name in names for line in _path(name).read_text(encoding="utf-8").split("\n")]
    for _ in range(data.draw(st.integers(0, 4))):
        index = data.draw(st.integers(0, len(lines) - 1))
        lines[index] = data.draw(st.sampled_from(["", "  ", "    ", " ", "\t"])) + lines[index].lstrip(" ")
    text = "\n".join(lines)
    try:
        result = api.loads(text, recover=True)
    except ThreadError:
        assert not text.strip(" \t\n")
        return
    assert "".join(render_text(result.thread)).split("\n") == [
        line for line in text.split("\n")] or result.problems
