"""The `thread browse` application: the tree pane, a search line and a status bar.

The app owns what the tree pane is built from (the whole thread, the
command line's filters, the author chosen with ``a``) and the commands that
leave the pane: search input, pickers, opening links, the clipboard,
reloading. The pane (view.py) owns the cursor, folds and hits.
"""

from __future__ import annotations

import dataclasses
import os

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Input, Static

from ..errors import ThreadError
from ..model import Thread
from ..sanitize import sanitize
from ..select import Criteria, compile_pattern, select
from ..words import plural
from .loading import load_thread
from .rows import Outline, author_counts, comment_text
from .screens import HelpScreen, PickScreen, author_choices, url_choices
from .view import ThreadView


@dataclasses.dataclass
class StartView:
    """What the command line asks the first screen to show."""

    criteria: Criteria = dataclasses.field(default_factory=Criteria)
    label: str = ""  # the filters in words, for the status bar ("" when none)
    op: str | None = None


class BrowseApp(App[None]):
    CSS = """
    #search { dock: bottom; height: 1; border: none; padding: 0 1; display: none; }
    #search.active { display: block; }
    #status { dock: bottom; height: 1; background: $panel; color: $text; }
    """
    # The reading commands are bound in the tree pane (view.py), so that they
    # do not fire while the search line or an overlay has the keyboard.
    BINDINGS = [Binding("q", "quit", "quit", show=False)]
    ENABLE_COMMAND_PALETTE = False

    def __init__(self, path: str, thread: Thread, warnings: list[str], start: StartView | None = None) -> None:
        super().__init__()
        self.path = path
        self.thread = thread
        self.warnings = warnings
        self.start = start or StartView()
        self.author: str | None = None  # the author chosen with ``a``
        self.message: str | None = None  # the outcome of the last command, until the next key
        self._tree = ThreadView(self._outline(), op=self.start.op, id="tree")

    def _outline(self) -> Outline:
        criteria = self.start.criteria
        if self.author is not None:
            criteria = criteria._replace(authors=frozenset({self.author.casefold()}))
        # An --at id that is not in the thread (after a reload) shows an empty tree, not an error.
        selection = select(self.thread, criteria, prune_depth=False, missing_ok=True)
        return Outline(selection.thread, dimmed=selection.dimmed, fold_depth=criteria.max_depth)

    def compose(self) -> ComposeResult:
        yield self._tree
        yield Input(placeholder="search: text, smart case (Enter: find, Esc: cancel)", id="search")
        yield Static(id="status")

    def on_mount(self) -> None:
        self._tree.focus()
        self.update_status()

    @property
    def tree(self) -> ThreadView:
        return self._tree

    # ------------------------------------------------------------ status bar

    def status_text(self) -> Text:
        tree = self._tree
        outline = tree.outline
        parts: list[Text] = [Text(sanitize(os.path.basename(self.path) or self.path), style="bold")]
        if tree.cursor_id is None:
            parts.append(Text(f"article · {outline.comment_count} comments"))
        else:
            parts.append(Text(f"{tree.cursor}/{outline.comment_count}"))
        filters = [label for label in (self.start.label, f"author {self.author}" if self.author else "") if label]
        if filters:
            parts.append(Text(sanitize("filter: " + ", ".join(filters)), style="yellow"))
        if tree.search_text is not None:
            hit = tree.hit_position()
            count = len(tree.hits)
            where = f"{hit}/{count}" if hit is not None else f"{count} hit{'' if count == 1 else 's'}"
            parts.append(Text(sanitize(f"/{tree.search_text}: {where}"), style="bold"))
        parts.append(Text("? help", style="dim"))
        # Last, as it is the part an ellipsis may cut: the last command's outcome, or the parse warnings.
        if self.message:
            parts.append(Text(sanitize(self.message), style="italic"))
        elif self.warnings:
            count = len(self.warnings)
            notice = f"⚠ {plural(count, 'warning')}: {self.warnings[0]}"
            parts.append(Text(sanitize(notice), style="yellow"))
        status = Text(" ", no_wrap=True, overflow="ellipsis").join(parts)
        return Text(" ").append_text(status)

    def update_status(self) -> None:
        self.query_one("#status", Static).update(self.status_text())

    def on_thread_view_changed(self, event: ThreadView.Changed) -> None:
        self.update_status()

    def say(self, message: str) -> None:
        self.message = message
        self.update_status()

    def on_key(self) -> None:
        # A command's message stays until the next key.
        if self.message is not None:
            self.message = None
            self.call_after_refresh(self.update_status)

    # ------------------------------------------------------------ search

    def action_open_search(self) -> None:
        search = self.query_one("#search", Input)
        search.value = self._tree.search_text or ""
        search.add_class("active")
        search.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._close_search()
        text = event.value
        if not text:
            self._tree.search("", None)
            return
        try:
            pattern = compile_pattern(text, regex=False, case="smart")
        except ThreadError as error:  # only a regex can be invalid; kept for when searches take one
            self.say(str(error))
            return
        self._tree.search(text, pattern)
        if not self._tree.hits:
            self.say(f"no comment matches {text!r}")

    def _close_search(self) -> None:
        search = self.query_one("#search", Input)
        search.remove_class("active")
        self._tree.focus()

    def key_escape(self) -> None:
        if self.query_one("#search", Input).has_focus:
            self._close_search()

    # ------------------------------------------------------------ filters

    def action_pick_author(self) -> None:
        choices = author_choices(author_counts(self.thread))
        if not choices:
            self.say("no comment has an author")
            return
        self.push_screen(PickScreen("Show only the comments of:", choices), self._set_author)

    def _set_author(self, name: str | None) -> None:
        if name is not None:
            self._show_filtered(name)

    def action_clear_author(self) -> None:
        if self.author is not None:
            self._show_filtered(None)

    def _show_filtered(self, author: str | None) -> None:
        tree = self._tree
        keep, folds = tree.cursor_trail, tree.outline.folded_ids()
        self.author = author
        tree.replace_outline(self._outline(), keep=keep, folds=folds)
        self.update_status()

    # ------------------------------------------------------------ commands

    def action_help(self) -> None:
        self.push_screen(HelpScreen())

    def action_open_link(self) -> None:
        urls = self._tree.outline.urls(self._tree.cursor)
        if not urls:
            self.say("no link here")
        elif len(urls) == 1:
            self._launch(urls[0])
        else:
            self.push_screen(PickScreen("Open which link?", url_choices(urls)), self._launch)

    def _launch(self, url: str | None) -> None:
        if url is None:
            return
        if sanitize(url) != url:
            # A control character in a URL is an attack on the opener, not a link.
            self.say("not opened: the link holds control characters")
            return
        import click

        click.launch(url)
        self.say(f"opened {url}")

    def action_copy(self, what: str) -> None:
        tree = self._tree
        comment = tree.outline.nodes[tree.cursor].comment
        if comment is None:
            text = "\n\n".join(p.text for p in self.thread.article.paragraphs) if what == "text" else None
            label = "the article"
        else:
            text = comment.id if what == "id" else comment_text(comment)
            label = f"id {comment.id}" if what == "id" else f"the text of {comment.id}"
        if text is None:
            self.say("the article has no id")
            return
        # OSC 52: the terminal may ignore it (tmux needs set-clipboard on); nothing says whether it did.
        self.copy_to_clipboard(text)
        self.say(f"copied {label} (if the terminal allows it)")

    def action_reload(self) -> None:
        tree = self._tree
        keep, folds = tree.cursor_trail, tree.outline.folded_ids()
        try:
            self.thread, self.warnings = load_thread(self.path)
        except ThreadError as error:
            self.say(f"reload failed: {error}")
            return
        tree.replace_outline(self._outline(), keep=keep, folds=folds)
        self.say(f"reloaded: {self.thread.comment_count} comments")
