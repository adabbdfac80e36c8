"""The seed's facts, as the foundation issue lists them."""

from __future__ import annotations

import pytest

from thread_cli.api import load
from thread_cli.stats import author_table

from conftest import SEED


@pytest.fixture(scope="module")
def thread():
    result = load(str(SEED))
    assert (result.problems, result.decoding) == ([], ())
    return result.thread


def test_counts(thread):
    assert thread.comment_count == 30
    assert thread.declared_count == 31
    assert thread.count_warning() == "header declares 31 comments, 30 found"


def test_top_level_comments_are_numbered_one_to_eleven(thread):
    assert [c.number for c in thread.comments] == list(range(1, 12))
    assert [c.id for c in thread.comments] == [str(n) for n in range(1, 12)]


def test_deepest_depth_is_five(thread):
    assert max(c.depth for c in thread.walk()) == 5


def test_comments_one_and_two_have_no_author(thread):
    first, second = thread.comments[:2]
    assert (first.author, first.avatar) == (None, None)
    assert (second.author, second.avatar) == (None, None)
    assert first.paragraphs[0].text == "There will be no strike on Iran either by the looks of things."


def test_the_chain_under_comment_three(thread):
    authors = {c.id: c.author for c in thread.walk()}
    assert authors["3"] == "Norm"
    assert authors["3.1"] == "Luis"
    assert authors["3.1.1"] == "John Prophet"
    assert authors["3.1.1.1"] == "Luis"
    busy = thread.find("3.1.1.1")
    assert [r.id for r in busy.replies] == [f"3.1.1.1.{n}" for n in range(1, 8)]
    assert all(r.parent is busy and r.depth == 5 for r in busy.replies)


def test_authors_by_count(thread):
    counts = {row.author: row.comments for row in author_table([thread])}
    assert counts == {
        "Luis": 8,
        "Louisiana Steve": 5,
        "John Prophet": 4,
        "IAmSpartacus": 3,
        "CARLOS LIZARRAGA IN MIAMI": 2,
        "josephwouk": 2,
        "(no author)": 2,
        "Norm": 1,
        "tom": 1,
        "renbe": 1,
        "artaxes": 1,
    }


def test_avatar_name_differs_from_display_name(thread):
    wouk = [c for c in thread.walk() if c.author == "josephwouk"]
    assert [c.id for c in wouk] == ["3.1.1.1.3", "8.1"]
    assert {c.avatar for c in wouk} == {"Joseph Wouk"}


def test_categories_footer_and_title(thread):
    assert thread.categories.names == ["Uncategorized"]
    assert [line.text for line in thread.footer] == ["Leave a reply to IAmSpartacus Cancel reply"]
    assert thread.title.text.endswith("30\u00a0years")


def test_marker_line_numbers(thread):
    lines = {c.id: c.line for c in thread.walk()}
    assert lines["1"] == 60
    assert lines["1.1"] == 62
    assert lines["3.1.1.1.7"] == 132
    assert lines["11"] == 231


def test_paragraph_lines_are_kept_separately(thread):
    comment = thread.find("3.1.1.1")
    assert comment.paragraphs[0].lines[-1] == "And many more."
    assert len(comment.paragraphs) == 1


def test_article_paragraphs(thread):
    paragraphs = [p.text for p in thread.article.paragraphs]
    assert paragraphs[0].startswith("Report: US and Iran laying framework")
    assert paragraphs[-1].startswith("A new meeting is set for Sept. 27 in Vienna")
    assert len(paragraphs) == 26


def test_a_selected_reply_keeps_its_ancestors_when_everything_else_is_dropped():
    """The model holds parents strongly: comments kept on their own (a
    selection's matches, with the selection and the thread gone) still know
    every ancestor, as their ids say."""
    import gc

    from thread_cli import api

    matched = api.select(api.load(str(SEED)).thread, grep="Iran").matched
    gc.collect()
    replies = [comment for comment in matched if comment.depth > 1]
    assert replies
    for reply in replies:
        chain, comment = [], reply
        while comment.parent is not None:
            comment = comment.parent
            chain.append(comment.id)
        assert chain == [reply.id.rsplit(".", n)[0] for n in range(1, reply.depth)]
