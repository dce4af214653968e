"""The key map, on `?` or F1."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KEYMAP = [
    ("tab / shift+tab", "next / previous pane"),
    ("1 2 3 4", "jump to Actors, Engagements, Issues, Quotes"),
    ("j k  ↓ ↑", "move down / up"),
    ("g G", "first / last row"),
    ("enter", "open the detail (evidence and links); on a link, follow it"),
    ("esc", "close the detail or help; clear the filter"),
    ("/", "filter the focused pane (enter keeps it, esc clears)"),
    ("p", "show or hide past engagements"),
    ("r", "reload now"),
    ("? F1", "this help"),
    ("ctrl+p", "command palette: reload, past engagements, export JSON, theme"),
    ("q ctrl+q", "quit"),
]


def keymap_table() -> Table:
    table = Table(box=None, show_header=False, padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for key, what in KEYMAP:
        table.add_row(key, what)
    return table


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape", "dismiss", "Close"),
        Binding("question_mark", "dismiss", "Close", show=False),
        Binding("f1", "dismiss", "Close", show=False),
        Binding("q", "dismiss", "Close", show=False),
    ]

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 80; max-width: 100%; height: auto; max-height: 90%;
        border: round $accent; background: $surface; padding: 0 1; }
    """

    def compose(self) -> ComposeResult:
        with VerticalScroll() as box:
            box.border_title = "Keys"
            box.border_subtitle = "esc to close"
            yield Static(keymap_table())
            yield Static(
                Text(
                    "\nRows marked ● are new or changed since the last update. "
                    "The dashboard reloads by itself when an article or the config is saved "
                    "(unless started with --no-watch).",
                    style="dim",
                )
            )

    def action_dismiss(self) -> None:
        self.dismiss(None)
