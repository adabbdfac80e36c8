"""The overlays of `thread browse`: the key help, and a picker (authors, links).

Their text is built as ``rich.text.Text`` (names and URLs sanitised), never
as markup, like the tree itself.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ..sanitize import sanitize
from .keys import KEY_HELP


class HelpScreen(ModalScreen[None]):
    """Every key, from keys.KEY_HELP; any of ?, q or escape closes it."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 90%; max-width: 96; height: auto; max-height: 100%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    """
    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "close", show=False)]

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for keys, meaning in KEY_HELP:
            table.add_row(Text(keys), Text(meaning))
        with VerticalScroll():
            yield Static(Text.assemble(("thread browse keys", "bold"), ("   ? q esc: close", "dim")))
            yield Static(table, id="keys")


class PickScreen(ModalScreen["str | None"]):
    """A list to choose one value from; dismisses with the value, or None on escape."""

    DEFAULT_CSS = """
    PickScreen { align: center middle; }
    PickScreen > Vertical {
        width: 70%; height: auto; max-height: 80%;
        border: round $accent; background: $surface;
    }
    PickScreen OptionList { height: auto; max-height: 20; border: none; }
    """
    BINDINGS = [Binding("escape,q", "cancel", "cancel", show=False)]

    def __init__(self, title: str, choices: list[tuple[str, Text]]) -> None:
        """``choices``: (value returned, label shown); labels must already be sanitised."""
        super().__init__()
        self.title_text = title
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.title_text, style="bold"))
            yield OptionList(*(Option(label, id=str(number)) for number, (_, label) in enumerate(self.choices)))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.choices[int(event.option.id)][0])

    def action_cancel(self) -> None:
        self.dismiss(None)


def author_choices(counts: list[tuple[str, int]]) -> list[tuple[str, Text]]:
    return [(name, Text.assemble(sanitize(name), (f"  {count}", "dim"))) for name, count in counts]


def url_choices(urls: list[str]) -> list[tuple[str, Text]]:
    return [(url, Text(sanitize(url))) for url in urls]
