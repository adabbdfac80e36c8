"""The authors table and the stats report: what they count, how they read, how wide they are."""

from __future__ import annotations

import csv
import io
import pickle

import pytest
from rich.cells import cell_len

from thread_cli.formats.records import AUTHOR_COLUMNS, AUTHOR_TITLES
from thread_cli.stats import AuthorTally, author_records, render_stats, thread_stats
from thread_cli.tables import fitted_widths, render_table, shorten

from conftest import ROOT, SEED

MIXED = ROOT / "seeds" / "wordpress-mixed-layouts.txt"


def parse(path):
    """The thread of the dump at ``path`` (the one place these tests parse)."""
    from thread_cli.api import load

    return load(str(path)).thread


def dump(tmp_path, comments: str) -> str:
    count = comments.count(" Says:")
    path = tmp_path / "dump.txt"
    path.write_text(f"T\n\nThe article.\n\n{count} Comments on “T”\n\n{comments}", encoding="utf-8")
    return str(path)


def table(records, fmt: str, width: int | None = 80, columns: int = 5) -> str:
    return "".join(render_table(records, AUTHOR_COLUMNS[:columns], AUTHOR_TITLES[:columns], fmt, width=width))


# ---------------------------------------------------------------- authors


SEED_TABLE = """\
AUTHOR                     AVATAR       COMMENTS  REPLIES RECEIVED  FIRST
Luis                                           8                11  3.1
Louisiana Steve                                5                 2  4
John Prophet                                   4                 1  3.1.1
IAmSpartacus                                   3                 2  6
(no author)                                    2                 0  1
CARLOS LIZARRAGA IN MIAMI                      2                 0  1.1
josephwouk                 Joseph Wouk         2                 0  3.1.1.1.3
Norm                                           1                 1  3
artaxes                                        1                 0  6.1
tom                                            1                 0  7
renbe                                          1                 1  8
"""


def test_the_seed_author_table_fits_80_columns_and_names_only_the_avatar_that_differs():
    text = table(author_records([parse(SEED)]), "plain")
    assert text == SEED_TABLE
    assert max(cell_len(line) for line in text.splitlines()) == 77


def test_the_rich_table_has_the_same_columns_at_the_same_width():
    rich = table(author_records([parse(SEED)]), "rich")
    plain_lines = [line.rstrip() for line in
                   rich.replace("\x1b[1m", "").replace("\x1b[0m", "").splitlines()]
    assert plain_lines == SEED_TABLE.splitlines()
    assert "\x1b[1mAUTHOR" in rich  # titles in bold


def test_author_records_are_ready_for_every_format():
    records = author_records([parse(SEED)])
    assert list(records[0]) == list(AUTHOR_COLUMNS)
    assert records[0] == {"author": "Luis", "avatar": None, "comments": 8, "replies_received": 11, "first": "3.1",
                          "sources": [str(SEED)]}
    assert [r["avatar"] for r in records if r["avatar"]] == ["Joseph Wouk"]


def test_an_avatar_differing_only_in_case_is_not_shown(tmp_path):
    path = dump(tmp_path, "  1. ann's avatar Ann Says:\n\n    Hi.\n\n  2. Zed's avatar Bob Says:\n\n    Yo.\n")
    assert [(r["author"], r["avatar"]) for r in author_records([parse(path)])] == [("Ann", None), ("Bob", "Zed")]


def test_a_narrow_table_cuts_the_widest_text_column_first():
    text = table(author_records([parse(SEED)]), "plain", width=60)
    lines = text.splitlines()
    assert max(cell_len(line) for line in lines) == 60
    assert lines[0] == "AUTHOR     AVATAR      COMMENTS  REPLIES RECEIVED  FIRST"
    assert lines[6] == "CARLOS L…                     2                 0  1.1"
    assert lines[7] == "josephwo…  Joseph Wo…         2                 0  3.1.1.1.3"


def test_fitted_widths_never_cut_numbers_titles_or_below_six():
    assert fitted_widths([30, 5, 20], [False, True, False], ["NAME", "N", "PLACE"], 20) == [6, 5, 6]
    assert fitted_widths([10, 5], [False, True], ["NAME", "N"], 80) == [10, 5]
    assert shorten("abcdef", 4) == "abc…" and shorten("abc", 4) == "abc"


def test_pingbacks_and_trackbacks_are_not_authors():
    records = author_records([parse(MIXED)])
    assert [r["author"] for r in records] == ["Ana", "Bruno", "Carla", "Dmitri", "zoe", "Eve"]
    # Dmitri's replies: Ana's counts, the trackback under it does not.
    assert {r["author"]: r["replies_received"] for r in records}["Dmitri"] == 1


def test_author_tsv_is_one_record_per_line_and_csv_is_rfc_4180():
    records = author_records([parse(SEED)])
    tsv = table(records, "tsv", columns=6)
    assert tsv.splitlines()[:2] == ["author\tavatar\tcomments\treplies_received\tfirst\tsources",
                                    f"Luis\t\t8\t11\t3.1\t{SEED}"]
    assert "\r" not in tsv
    rows = list(csv.reader(io.StringIO(table(records, "csv", columns=6), newline="")))
    assert rows[7] == ["josephwouk", "Joseph Wouk", "2", "0", "3.1.1.1.3", str(SEED)]


def test_tallies_merged_across_processes_equal_one_tally_over_both_files(tmp_path):
    # A corpus run counts each file in a worker and merges the pickled tallies in input order.
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = parse(dump(tmp_path / "a", "  1. Ann Says:\n\n    Hello.\n\n    • Bob Says:\n\n      Hi.\n\n"
                                        "  2. Bob Says:\n\n    Me.\n"))
    second = parse(dump(tmp_path / "b", "  1. Cy's avatar Cyrus Says:\n\n    Yo.\n\n    • ANN Says:\n\n      Again.\n\n"
                                         "      • bob Says:\n\n        Bye.\n"))
    one, two = (pickle.loads(pickle.dumps(AuthorTally.of([thread]))) for thread in (first, second))
    merged = AuthorTally()
    merged.merge(one)
    merged.merge(two)
    a, b = f"{tmp_path}/a/dump.txt", f"{tmp_path}/b/dump.txt"
    expected = [
        {"author": "Bob", "avatar": None, "comments": 3, "replies_received": 0, "first": f"{a}:1.1",
         "sources": [a, b]},
        {"author": "Ann", "avatar": None, "comments": 2, "replies_received": 2, "first": f"{a}:1",
         "sources": [a, b]},
        {"author": "Cyrus", "avatar": "Cy", "comments": 1, "replies_received": 1, "first": f"{b}:1",
         "sources": [b]},
    ]
    assert author_records(merged) == author_records([first, second]) == expected
    # Merging copies: a tally merged in is left as it was (its rows are not the total's).
    assert author_records(one) == [
        {"author": "Bob", "avatar": None, "comments": 2, "replies_received": 0, "first": "1.1", "sources": [a]},
        {"author": "Ann", "avatar": None, "comments": 1, "replies_received": 1, "first": "1", "sources": [a]},
    ]


# ---------------------------------------------------------------- stats


def stats_text(threads, width: int = 80) -> str:
    return "".join(render_stats(thread_stats(threads), "plain", width))


def test_one_of_everything_is_singular_and_no_part_says_plus_zero(tmp_path):
    path = dump(tmp_path, "  1. Ann Says:\n\n    Hello.\n\n    • Ann Says:\n\n      Me again.\n")
    text = stats_text([parse(path)])
    assert "  authors      1\n" in text  # no "(+0 comments without one)"
    assert "  1      Ann: 2 comments, depth 2, 1 person\n" in text
    assert "pingbacks" not in text
    assert "  Not counted: 1 reply under the author's own comment (Ann 1)." in text


def test_a_single_comment_without_an_author_is_one_comment(tmp_path):
    path = dump(tmp_path, "  1. Ann Says:\n\n    Hello.\n\n  2. Says:\n\n    Who am I?\n")
    thread = parse(path)
    assert [c.author for c in thread.walk()] == ["Ann", None]
    text = stats_text([thread])
    assert "  authors      1 (+1 comment without one)\n" in text
    assert text.endswith("Largest sub-threads (with replies)\n  (none)\n")


def test_self_replies_are_counted_apart_and_explained():
    data = thread_stats([parse(SEED)])
    assert data["self_replies"] == [{"author": "Luis", "replies": 4}]
    assert all(pair["from"] != pair["to"] for pair in data["reply_pairs"])
    assert {"from": "John Prophet", "to": "Luis", "replies": 4} in data["reply_pairs"]
    text = stats_text([parse(SEED)])
    assert "Luis → Luis" not in text
    assert (
        "  Not counted: 4 replies under the author's own comment (Luis 4). Where a page\n"
        "  stops nesting, it hangs every deeper reply under one comment, so these may\n"
        "  answer someone else.\n"
    ) in text


def test_largest_sub_threads_have_replies():
    data = thread_stats([parse(SEED)])
    assert [(item["id"], item["comments"], item["participants"]) for item in data["largest_subthreads"]] == [
        ("3", 11, 4), ("4", 6, 2), ("1", 2, 2), ("6", 2, 2), ("8", 2, 2),
    ]
    assert all(item["comments"] > 1 for item in data["largest_subthreads"])


def test_stats_count_pingbacks_apart():
    data = thread_stats([parse(MIXED)])
    assert (data["authors"], data["pingbacks"], data["without_author"]) == (6, 2, 0)
    assert [a["author"] for a in data["top_authors"]] == ["Ana", "Bruno", "Carla", "Dmitri", "zoe", "Eve"]
    assert [(p["from"], p["to"]) for p in data["reply_pairs"]] == [("Bruno", "Ana"), ("Carla", "Bruno"),
                                                                     ("Ana", "Dmitri")]
    assert [(s["id"], s["participants"]) for s in data["largest_subthreads"]] == [("1", 3), ("3", 2)]
    assert "  pingbacks    2 (with trackbacks; not counted as authors)\n" in stats_text([parse(MIXED)])


@pytest.mark.parametrize("width", [30, 60, 80])
def test_the_self_reply_note_wraps_to_the_width(width):
    lines = stats_text([parse(SEED)], width).splitlines()
    start = next(index for index, line in enumerate(lines) if "Not counted" in line)
    note = lines[start:lines.index("", start)]
    assert len(note) >= 3 and max(cell_len(line) for line in note) <= width
    assert " ".join(line.strip() for line in note).endswith("so these may answer someone else.")
