"""Help on `?` or F1: the keys of the screen it was opened from, and a legend."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.ui.view import FRESH_MARK, STATUS_MEANING, STATUS_STYLE

COMMON = [
    ("? F1", "this help"),
    ("ctrl+p", "command palette: documents, find, exports (Markdown, CSV, JSON), mark seen, theme"),
    ("q ctrl+q ctrl+c", "quit (q goes back from a detail)"),
]

KEYMAPS: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "dashboard": (
        "Dashboard",
        [
            ("tab shift+tab  h l", "next / previous pane"),
            ("1 2 3 4", "jump to Actors, Engagements, Issues, Quotes"),
            ("j k  ↓ ↑", "move down / up"),
            ("g G  Home End", "first / last row"),
            ("enter", "open the row: its fields, links and evidence"),
            ("o", "open the row's article in $PAGER (or its web page)"),
            ("/", "filter the focused pane (enter keeps it, esc clears)"),
            ("f", "find in every pane at once"),
            ("s S", "next / previous order of the focused pane"),
            ("n", f"next new row ({FRESH_MARK})"),
            ("m", "mark every row seen"),
            ("p", "show or hide past engagements"),
            ("d", "documents: every file, its status and what came from it"),
            ("w", "watchlist inbox: people, organisations and issues to add to config.yaml"),
            ("r", "reload now, and poll the feeds"),
            ("esc", "clear the filter"),
        ],
    ),
    "detail": (
        "Detail",
        [
            ("tab", "between the links and the page"),
            ("enter", "follow the highlighted link"),
            ("j k  ↓ ↑", "next / previous link, or scroll the page by a line"),
            ("space b  PgDn PgUp", "scroll a page down / up"),
            ("ctrl+d ctrl+u", "scroll half a page down / up"),
            ("g G  Home End", "top / bottom of the page"),
            ("o", "open the article in $PAGER (or its web page)"),
            ("esc q", "back"),
        ],
    ),
    "documents": (
        "Documents",
        [
            ("j k  ↓ ↑", "move down / up"),
            ("enter", "everything that came from the article"),
            ("r", "reload now, and poll the feeds (their health is listed above the articles)"),
            ("o", "open the article in $PAGER (or its web page)"),
            ("esc q", "back"),
        ],
    ),
    "inbox": (
        "Watchlist inbox",
        [
            ("tab i", "switch between the actor and the issue suggestions"),
            ("j k  ↓ ↑", "move down / up (the suggestion's forms and evidence show below)"),
            ("enter", "every sentence the suggestion comes from"),
            ("a", "add to the watchlist: a form with name, aliases, role and side filled in "
             "(an issue: id, label and patterns)"),
            ("x", "dismiss: never suggested again for this config"),
            ("esc q", "back"),
        ],
    ),
    "issue-entry": (
        "Add to the issues",
        [
            ("tab shift+tab", "next / previous field"),
            ("ctrl+s enter", "save: the issue is added to config.yaml, nothing else in it changes"),
            ("esc", "cancel: nothing is written"),
        ],
    ),
    "evidence": (
        "Evidence",
        [
            ("j k  ↓ ↑", "scroll"),
            ("esc q enter", "back"),
        ],
    ),
    "entry": (
        "Add to the watchlist",
        [
            ("tab shift+tab", "next / previous field"),
            ("ctrl+s enter", "save: the entry is added to config.yaml, nothing else in it changes"),
            ("esc", "cancel: nothing is written"),
        ],
    ),
    "search": (
        "Find",
        [
            ("type", "words that must all appear in a row, in any pane"),
            ("↓ ↑", "move through the matches"),
            ("enter", "open the match"),
            ("esc", "close"),
        ],
    ),
}


def keymap_table(topic: str = "dashboard") -> Table:
    table = Table(box=None, show_header=False, padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    _title, keys = KEYMAPS.get(topic, KEYMAPS["dashboard"])
    for key, what in [*keys, *COMMON]:
        table.add_row(key, what)
    return table


def legend() -> Table:
    """What the marks and the colours of the statuses mean."""
    table = Table(box=None, show_header=False, padding=(0, 2))
    table.add_column(no_wrap=True)
    table.add_column(style="dim")
    table.add_row(Text(FRESH_MARK, style="bold dark_orange"), "new or changed in meaning since you last saw it")
    for status, style in STATUS_STYLE.items():
        table.add_row(Text(status, style=style), STATUS_MEANING.get(status, ""))
    table.add_row(Text("dim row", style="dim"), "undated (with the day it was reported) or past")
    table.add_row(Text("(italic)", style="italic dim"), "a speaker the article does not name")
    table.add_row(Text("US, CN…"), "the side, in its colour (set `code:` on a party to choose)")
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
    HelpScreen > VerticalScroll { width: 90; max-width: 100%; height: auto; max-height: 90%;
        border: round $accent; background: $surface; padding: 0 1; }
    HelpScreen .heading { color: $accent; text-style: bold; margin-top: 1; }
    """

    def __init__(self, topic: str = "dashboard") -> None:
        super().__init__()
        self.topic = topic if topic in KEYMAPS else "dashboard"

    def compose(self) -> ComposeResult:
        title, _keys = KEYMAPS[self.topic]
        with VerticalScroll() as box:
            box.border_title = f"Keys: {title}"
            box.border_subtitle = "esc to close"
            yield Static(keymap_table(self.topic))
            yield Static("Legend", classes="heading", markup=False)
            yield Static(legend())
            yield Static(
                Text(
                    "\nThe dashboard reloads by itself when an article or the config is saved "
                    "(unless started with --no-watch). What you have seen is remembered "
                    "between sessions. The feeds in the config are polled at their interval "
                    "(unless started with --no-feeds); what they bring is written into the seeds folder.",
                    style="dim",
                )
            )

    def action_dismiss(self) -> None:  # type: ignore[override]
        self.dismiss(None)
