"""`thread browse`: the outline model, every key through Textual's pilot, screen captures.

The pilot tests run the app headless with ``App.run_test`` inside
``asyncio.run`` (no pytest plugin needed). Screen captures are the exact
text of the screen; UPDATE_SNAPSHOTS=1 rewrites tests/snapshots/browse/.
"""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest

pytest.importorskip("textual")

from thread_cli.browse.app import BrowseApp, StartView  # noqa: E402
from thread_cli.browse.keys import KEY_HELP  # noqa: E402
from thread_cli.browse.lines import Look, NodePainter  # noqa: E402
from thread_cli.browse.loading import load_thread  # noqa: E402
from thread_cli.browse.rows import ARTICLE, Outline, author_counts  # noqa: E402
from thread_cli.browse.view import ThreadView  # noqa: E402
from thread_cli.select import Criteria, compile_pattern  # noqa: E402

from conftest import ROOT, SEED  # noqa: E402

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots" / "browse"
# What must never reach the screen: C0 and C1 controls, bidi overrides and isolates.
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture(scope="module")
def seed():
    return load_thread(str(SEED))


def ids(outline: Outline, indexes) -> list[str]:
    return [outline.nodes[i].comment.id if i != ARTICLE else "article" for i in indexes]


# ---------------------------------------------------------------- the outline, without Textual


def test_outline_of_the_seed(seed):
    thread, warnings = seed
    outline = Outline(thread)
    assert warnings == ["header declares 31 comments, 30 found"]
    assert outline.comment_count == 30
    assert ids(outline, outline.tops) == ["article", *map(str, range(1, 12))]
    assert len(outline.visible) == 31  # the article is folded, but it hides no node
    assert outline.reply_count(outline.index_of("3")) == 10
    assert author_counts(thread)[0] == ("Luis", 8)


def test_moves_on_the_outline(seed):
    outline = Outline(seed[0])
    at = outline.index_of
    assert ids(outline, [outline.next(ARTICLE), outline.previous(at("2"))]) == ["1", "1.1"]
    assert ids(outline, [outline.next_sibling(at("3.1.1.1.1")), outline.previous_sibling(at("3.1.1.1.1"))]) == [
        "3.1.1.1.2", "3.1.1.1.1"]  # the first child has no previous sibling: the cursor stays
    assert ids(outline, [outline.next_top(at("3.1.1")), outline.previous_top(at("3.1.1"))]) == ["4", "3"]
    assert ids(outline, [outline.parent(at("3.1.1")), outline.parent(at("3"))]) == ["3.1", "3"]
    assert ids(outline, [outline.first(), outline.last()]) == ["article", "11"]
    assert outline.next(outline.last()) == outline.last()


def test_folding_hides_the_sub_thread_and_moves_skip_it(seed):
    outline = Outline(seed[0])
    three = outline.index_of("3")
    assert outline.toggle(three)
    assert ids(outline, outline.visible[3:6]) == ["2", "3", "4"]
    assert ids(outline, [outline.next(three)]) == ["4"]
    assert not outline.toggle(outline.index_of("2"))  # no replies: nothing to fold
    outline.reveal(outline.index_of("3.1.1.1.4"))
    assert three not in outline.folded and len(outline.visible) == 31
    outline.fold_tops()
    assert ids(outline, outline.visible) == ["article", *map(str, range(1, 12))]
    outline.unfold_all()
    assert outline.folded == {ARTICLE} and len(outline.visible) == 31


def test_max_depth_folds_at_that_depth(seed):
    outline = Outline(seed[0], fold_depth=2)
    assert ids(outline, sorted(outline.folded)) == ["article", "3.1", "4.1"]
    assert "3.1.1" not in ids(outline, outline.visible)


def test_search_labels_and_links(seed):
    outline = Outline(seed[0])
    assert ids(outline, outline.search(compile_pattern("masada"))) == ["3.1.1.1.4", "3.1.1.1.5"]
    assert ids(outline, outline.search(compile_pattern("Obama", case="smart")))[:3] == ["2", "3", "3.1"]
    assert outline.reply_target(outline.index_of("3.1.1.1.2")) == "Luis"  # under 3.1.1.1.1, not its parent
    assert outline.reply_target(outline.index_of("3.1.1.1.1")) is None  # right under its parent
    assert outline.urls(outline.index_of("9")) == [
        "http://www.ncr-iran.org/fr/actualites/terrorisme-a-integrisme/46-list-of-terrorist-attacks-abroad"]


@pytest.mark.parametrize("width", [40, 80, 121])
def test_counted_heights_match_the_drawn_lines(seed, tmp_path, width):
    # The scroll view places rows by the counted heights: one row off and every click lands wrong.
    wide = tmp_path / "wide.txt"
    wide.write_text("W\n\nA.\n\n1 Comment on “W”\n\n\n  1. Ann Says:\n\n    " + "漢字😀 " * 30 + "\n    short\ttab\n",
                    encoding="utf-8")
    for thread in (seed[0], load_thread(str(wide))[0]):
        outline = Outline(thread)
        outline.folded.clear()
        painter = NodePainter(outline)
        for index in range(len(outline)):
            assert painter.height(index, width) == len(painter.lines(index, Look(width=width))), index


# ---------------------------------------------------------------- the app, through the pilot


SCROLLBAR_THUMB = re.compile(r"\s*[▁▂▃▄▅▆▇█]$")


def screen_text(app) -> str:
    """The screen as text: every row the compositor draws, trailing spaces removed.

    The scrollbar's thumb is left out: its eighth-of-a-row glyphs follow the
    total height of the tree, which captures of the text need not pin down.
    """
    rows = (strip.text.rstrip() for strip in app.screen._compositor.render_strips())
    return "\n".join(SCROLLBAR_THUMB.sub("", row) for row in rows)


def drive(keys=(), *, path=SEED, size=(80, 24), start=None, thread=None, then=None):
    """Run the app on ``path``, press ``keys`` (``type:TEXT`` types TEXT), call ``then(app)``; its result."""

    async def scenario():
        loaded = thread or load_thread(str(path))
        app = BrowseApp(str(path), *loaded, start)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            for key in keys:
                if key.startswith("type:"):
                    await pilot.press(*key[5:])
                elif key.startswith("click:"):
                    x, y = map(int, key[6:].split(","))
                    await pilot.click(ThreadView, offset=(x, y))
                else:
                    await pilot.press(key)
            await pilot.pause()
            return then(app) if then else app

    return asyncio.run(scenario())


def state(app) -> dict:
    tree = app.tree
    return {
        "cursor": tree.cursor_id or "article",
        "folded": sorted(ids(tree.outline, tree.outline.folded)),
        "status": app.status_text().plain,
    }


def cursor_after(*keys: str) -> str:
    return drive(keys, then=lambda app: app.tree.cursor_id or "article")


@pytest.mark.parametrize(
    "keys, expected",
    [
        (("j", "j", "j"), "2"),
        (("down", "down"), "1.1"),
        (("j", "j", "k"), "1"),
        (("G", "up"), "10.1"),
        (("n", "n", "n", "J"), "4"),  # 3 -> its next sibling
        (("n", "n", "n", "right_square_bracket", "left_square_bracket"), "3"),
        (("n", "n", "n", "K"), "2"),
        (("n", "n"), "2"),
        (("G", "p"), "10"),
        (("G", "p", "p"), "9"),
        (("G", "u"), "11"),  # a top-level comment has no parent: the cursor stays
        (("n", "n", "n", "j", "j", "h"), "3.1"),
        (("n", "n", "n", "j", "j", "u"), "3.1"),
        (("G", "g"), "article"),
        (("end", "home"), "article"),
        # A page is the pane's 23 rows: from the article's first row to the node on row 23, and so on.
        (("pagedown",), "3.1"),
        (("pagedown", "pagedown"), "3.1.1.1.2"),
        (("pagedown", "pagedown", "pageup"), "3"),
    ],
)
def test_moving_keys(keys, expected):
    assert cursor_after(*keys) == expected


def test_status_shows_file_position_and_the_warning():
    result = drive(["n", "n", "n"], then=state)
    assert result["status"] == (
        " jpost-us-iran-talks.txt 4/30 ? help ⚠ 1 warning: header declares 31 comments, 30 found")


def test_space_and_enter_fold_and_the_header_says_how_many():
    result = drive(["n", "n", "n", "space"], then=lambda app: (state(app), screen_text(app)))
    assert result[0]["folded"] == ["3", "article"]
    assert "▸ 3  Norm  [+10 replies]" in result[1]
    assert "3.1  Luis" not in result[1]
    unfolded = drive(["n", "n", "n", "space", "enter"], then=state)
    assert unfolded["folded"] == ["article"]


def test_article_unfolds_to_be_read():
    folded = drive([], then=screen_text)
    assert "[+98 more lines: space to read the article]" in folded
    unfolded = drive(["space"], then=screen_text)
    assert "more lines" not in unfolded
    assert "LA Times reports that behind the scenes communications between Washington" in unfolded


def test_z_folds_every_thread_and_Z_unfolds():
    folded = drive(["n", "n", "n", "j", "j", "z"], then=state)
    assert folded["cursor"] == "3"  # the thread under the cursor folded: the cursor goes to its top
    assert folded["folded"] == sorted(["article", "1", "3", "4", "6", "8", "10"])
    assert drive(["z", "Z"], then=state)["folded"] == ["article"]


def test_search_highlights_hits_and_n_N_move_between_them():
    def check(app):
        return state(app), app.tree.hits and ids(app.tree.outline, app.tree.hits)

    result, hits = drive(["slash", "type:masada", "enter"], then=check)
    assert hits == ["3.1.1.1.4", "3.1.1.1.5"]
    assert result["cursor"] == "3.1.1.1.4"
    assert "/masada: 1/2" in result["status"]
    assert drive(["slash", "type:masada", "enter", "n"], then=state)["cursor"] == "3.1.1.1.5"
    assert drive(["slash", "type:masada", "enter", "n", "n"], then=state)["cursor"] == "3.1.1.1.4"  # wraps
    assert drive(["slash", "type:masada", "enter", "N"], then=state)["cursor"] == "3.1.1.1.5"
    # Esc ends the search: n is the next thread again.
    assert drive(["slash", "type:masada", "enter", "escape", "n"], then=state)["cursor"] == "4"


def test_search_is_smart_case_and_marks_the_hit_on_screen():
    assert drive(["slash", "type:MASADA", "enter"], then=lambda app: app.tree.hits) == []
    assert "no comment matches 'MASADA'" in drive(["slash", "type:MASADA", "enter"], then=state)["status"]

    def hit_style(app):
        strips = app.screen._compositor.render_strips()
        return {
            segment.text: str(segment.style)  # only a hit is a segment of its own
            for strip in strips for segment in strip if segment.text.lower() == "masada"
        }

    styles = drive(["slash", "type:masada", "enter"], then=hit_style)
    assert list(styles) == ["Masada"] and styles["Masada"].startswith("bold ") and " on " in styles["Masada"]


def test_search_unfolds_to_show_a_hit():
    result = drive(["n", "n", "n", "space", "slash", "type:masada", "enter"], then=state)
    assert result["cursor"] == "3.1.1.1.4" and result["folded"] == ["article"]


def test_author_filter_shows_their_comments_with_ancestors_dimmed():
    def check(app):
        outline = app.tree.outline
        shown = ids(outline, outline.visible[1:])
        dimmed = sorted(c.id for c in outline.dimmed)
        return shown, dimmed, state(app)["status"]

    shown, dimmed, status = drive(["a", "enter"], then=check)  # Luis is the first author in the list (8)
    assert shown == ["3", "3.1", "3.1.1", "3.1.1.1", "3.1.1.1.2", "3.1.1.1.5", "3.1.1.1.7",
                     "4", "4.1", "4.1.1", "4.1.1.1", "4.1.1.1.2"]
    assert dimmed == ["3", "3.1.1", "4", "4.1.1"]
    assert "filter: author Luis" in status
    everyone = drive(["a", "enter", "A"], then=check)
    assert len(everyone[0]) == 30 and everyone[1] == [] and "filter" not in everyone[2]


def test_a_filter_keeps_the_cursor_on_the_nearest_kept_comment():
    # 3.1.1.1.4 is John Prophet's; the nearest of its ancestors that Luis wrote is 3.1.1.1.
    result = drive(["slash", "type:masada", "enter", "a", "enter"], then=state)
    assert result["cursor"] == "3.1.1.1"


def test_author_list_has_counts():
    text = drive(["a"], then=screen_text)
    assert re.search(r"Luis  8\s", text) and re.search(r"Louisiana Steve  5\s", text)


def test_command_line_filters_set_the_starting_view(seed):
    def visible(app):
        return ids(app.tree.outline, app.tree.outline.visible[1:])

    luis = StartView(Criteria.build(authors=["luis"]), "author luis")
    assert len(drive(thread=seed, start=luis, then=visible)) == 12  # Luis's 8 and 4 ancestors
    grep = StartView(Criteria.build(pattern=compile_pattern("masada"), context="none"), "grep")
    assert drive(thread=seed, start=grep, then=visible) == ["3.1.1.1.4", "3.1.1.1.5"]
    at = StartView(Criteria.build(at="4.1.1"), "at 4.1.1")
    assert drive(thread=seed, start=at, then=visible) == ["4.1.1", "4.1.1.1", "4.1.1.1.1", "4.1.1.1.2"]
    depth = StartView(Criteria.build(max_depth=1), "depth")
    assert drive(thread=seed, start=depth, then=visible) == [str(n) for n in range(1, 12)]


def test_o_opens_the_only_link_and_lists_several(monkeypatch):
    opened = []
    monkeypatch.setattr(click, "launch", lambda url: opened.append(url))
    status = drive(["n"] * 9 + ["o"], then=state)["status"]
    assert opened == ["http://www.ncr-iran.org/fr/actualites/terrorisme-a-integrisme/46-list-of-terrorist-attacks-abroad"]
    assert "opened http://www.ncr-iran.org" in status
    assert "no link here" in drive(["j", "o"], then=state)["status"]


def test_o_lists_links_to_choose_from(monkeypatch, tmp_path):
    opened = []
    monkeypatch.setattr(click, "launch", lambda url: opened.append(url))
    dump = tmp_path / "links.txt"
    dump.write_text(
        "Links\n\nThe article.\n\n1 Comment on “Links”\n\n\n"
        "  1. Ann's avatar Ann Says:\n\n    See https://a.example/x and https://b.example/y today.\n",
        encoding="utf-8")
    drive(["j", "o", "down", "enter"], path=dump)
    assert opened == ["https://b.example/y"]


def test_y_copies_the_id_and_Y_the_text():
    assert drive(["n", "n", "n", "j", "y"], then=lambda app: app.clipboard) == "3.1"
    text = drive(["n", "n", "n", "Y"], then=lambda app: app.clipboard)
    assert text.startswith("Norm\n\nDirect talks will allow Obama")


def test_r_reloads_keeping_the_cursor_on_the_same_id(tmp_path):
    dump = tmp_path / "dump.txt"
    dump.write_bytes(SEED.read_bytes())

    async def scenario():
        app = BrowseApp(str(dump), *load_thread(str(dump)))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("n", "n", "n", "n")  # comment 4
            text = SEED.read_text(encoding="utf-8")
            dump.write_text(text.replace("  2. North Korea", "  2. Ann Says:\n\n    New.\n\n  3. North Korea", 1)
                            .replace("\n  3. Norm's", "\n  4. Norm's").replace("\n  4. Louisiana", "\n  5. Louisiana"),
                            encoding="utf-8")
            before = app.tree.outline.nodes[app.tree.cursor].comment.text
            await pilot.press("r")
            await pilot.pause()
            after = app.tree.outline.nodes[app.tree.cursor].comment
            return before, after.id, after.text, app.status_text().plain

    before, cursor_id, after_text, status = asyncio.run(scenario())
    assert cursor_id == "4" and after_text != before  # the same id, now another comment's text
    assert "reloaded: 31 comments" in status


def test_q_quits():
    assert drive(["q"], then=lambda app: app.is_running) is False


def test_help_lists_every_bound_key():
    text = drive(["question_mark"], then=screen_text)
    for keys, meaning in KEY_HELP:
        assert keys in text and meaning in text
    bound = {key for binding in ThreadView.BINDINGS for key in binding.key.split(",")}
    names = {"down": "↓", "up": "↑", "right_square_bracket": "]", "left_square_bracket": "[", "question_mark": "?",
             "slash": "/", "pageup": "PgUp", "pagedown": "PgDn", "escape": "esc"}
    listed = " ".join(keys for keys, _ in KEY_HELP).split()
    assert {names.get(key, key) for key in bound} <= set(listed)
    assert drive(["question_mark", "escape"], then=lambda app: len(app.screen_stack)) == 1


def test_mouse_click_selects_and_the_marker_folds():
    # Row 6 of the screen is comment 1's header; its fold marker is at column 1.
    assert drive(["click:10,6"], then=state)["cursor"] == "1"
    assert drive(["click:1,6"], then=state)["folded"] == ["1", "article"]


def test_op_label_and_reply_target_on_screen(seed):
    text = drive(["n", "n", "n", "j", "j", "j", "j", "j"], size=(120, 40), thread=seed,
                 start=StartView(op="Luis"), then=screen_text)
    assert "3.1  Luis OP" in text
    assert "3.1.1.1.2  Luis OP  ↳ to Luis" in text


# ---------------------------------------------------------------- screen captures


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
@pytest.mark.parametrize("name, keys", [("start", []), ("thread3-folded", ["n", "n", "n", "space"]),
                                        ("search-masada", ["slash", "type:masada", "enter"])])
def test_screen_capture(size, name, keys):
    check_snapshot(f"{name}-{size[0]}x{size[1]}.txt", drive(keys, size=size, then=screen_text) + "\n")


def check_snapshot(name: str, actual: str) -> None:
    path = SNAPSHOTS / name
    if os.environ.get("UPDATE_SNAPSHOTS"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8"), f"{name} differs (UPDATE_SNAPSHOTS=1 to accept)"


# ---------------------------------------------------------------- hostile input

HOSTILE = (
    "Title \x1b]0;pwned\x07 here\n\nThe article \x1b[31mred\x1b[0m [bold]not markup[/bold].\n\n"
    "3 Comments on “T”\n\n\n"
    "  1. Mallory\u202e\u2066's avatar Mallory\u202e\u2066 Says:\n\n"
    "    Text \x1b]52;c;ZXZpbA==\x07 copies; \x9b2J clears; \x1b]8;;http://evil\x07link\x1b]8;;\x07 [red]x[/red]\n\n"
    "    • Eve\x08\x08\x08Bob Says:\n\n"
    "      \u200b\ufeffhidden \x00 nul and \r return https://x.example/\x1b[2J\n\n"
    "  2. Trudy Says:\n\n    fine\n"
)


def test_hostile_dump_shows_no_raw_control_character(tmp_path):
    dump = tmp_path / "hostile.txt"
    dump.write_text(HOSTILE, encoding="utf-8")
    screens = [
        drive(keys, path=dump, size=(120, 40), then=screen_text)
        for keys in ([], ["space"], ["j", "j"], ["a"], ["slash", "type:text", "enter"], ["question_mark"])
    ]
    for text in screens:
        assert RAW_CONTROL.search(text) is None
    assert "^[]0;pwned^G" in screens[0] and "[bold]not markup[/bold]" in screens[1]
    assert "Mallory<U+202E><U+2066>" in screens[0] and "Eve^H^H^HBob" in screens[0]
    status = drive(["j", "j", "o"], path=dump, then=state)["status"]
    assert "^[" in status or "control characters" in status


# ---------------------------------------------------------------- the command


def _command():
    from thread_cli.cli import ThreadGroup
    from thread_cli.cli_browse import browse

    return ThreadGroup(commands={"browse": browse})


def test_browse_outside_a_terminal_exits_2_with_a_hint():
    from click.testing import CliRunner

    result = CliRunner().invoke(_command(), ["browse", str(SEED)])
    assert result.exit_code == 2
    assert result.stderr == (
        "error: browse needs a terminal, and standard output is not one.\n"
        f"  hint: to print the thread, use: thread show {SEED}\n")


def test_help_has_an_example_block():
    from click.testing import CliRunner

    result = CliRunner().invoke(_command(), ["browse", "--help"])
    assert result.exit_code == 0 and "Example:\n    thread browse seeds/jpost-us-iran-talks.txt\n" in result.output


def test_importing_the_command_does_not_import_textual():
    code = "import sys, thread_cli.cli_browse; print('textual' in sys.modules, 'thread_cli.browse' in sys.modules)"
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            cwd=ROOT).stdout
    assert output == "False False\n"
