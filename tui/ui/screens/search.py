"""Find across every pane: type words, see matching rows of all four, open one."""

from __future__ import annotations

import dataclasses
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tui.ui import view
from tui.ui.messages import OpenRecord

LIMIT = 200  # options listed at most; the count says how many more matched
KIND_LABEL = {"actor": "actor", "engagement": "engagement", "issue": "issue", "quote": "quote"}


class SearchScreen(ModalScreen[None]):
    """Every word typed must appear in a row (any pane, past engagements too)."""

    HELP_TOPIC = "search"
    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("down", "move(1)", "Down", show=False),
        Binding("up", "move(-1)", "Up", show=False),
        Binding("enter", "open", "Open", key_display="⏎"),
    ]

    DEFAULT_CSS = """
    SearchScreen { align: center top; }
    SearchScreen > Vertical { width: 100; max-width: 100%; height: auto; max-height: 90%;
        margin-top: 2; border: round $accent; background: $surface; }
    SearchScreen Input, SearchScreen Input:focus { border: none; height: 1; padding: 0 1; background: $boost; }
    SearchScreen #search-count { height: 1; color: $text-muted; padding: 0 1; }
    SearchScreen OptionList { height: auto; max-height: 30; border: none; }
    """

    def __init__(self, snapshot: Any, ctx: view.ViewContext) -> None:
        super().__init__()
        everything = dataclasses.replace(ctx, show_past=True)
        self.rows: list[tuple[str, view.Row, Any]] = []
        for kind in view.KINDS:
            for row in view.rows_for(kind, snapshot, everything):
                self.rows.append((kind, row, view.find_record(kind, row.key, snapshot)))
        self.snapshot = snapshot
        self.ctx = ctx
        self.matches: list[tuple[str, str]] = []  # (kind, id) of the options, in order

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Find in every pane"
            box.border_subtitle = "⏎ open · esc close"
            yield Input(placeholder="words to find (names, places, issues, quoted words)…", id="search-input")
            yield Static("", id="search-count", markup=False)
            yield OptionList(id="search-results")

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        self._search("")

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        self._search(event.value)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_open()

    def _search(self, query: str) -> None:
        try:
            self._search_unguarded(query)
        except Exception as exc:  # no data may end the app
            app: Any = self.app
            app.display_failed("the matches", exc)

    def _search_unguarded(self, query: str) -> None:
        words = query.lower().split()
        results = self.query_one(OptionList)
        results.clear_options()
        self.matches = []
        if not words:
            self.query_one("#search-count", Static).update(Text(f"{len(self.rows)} rows in all"))
            return
        found = [(k, r, rec) for k, r, rec in self.rows if all(w in r.haystack for w in words)]
        options = []
        for kind, row, record in found[:LIMIT]:
            label = Text.assemble((f"{KIND_LABEL[kind]:<11}", "dim"))
            if record is not None:
                shown = view.preview(kind, record, self.snapshot, self.ctx)
                shown.no_wrap, shown.overflow = True, "ellipsis"
                shown.truncate(max(20, min(self.app.size.width, 100) - 16), overflow="ellipsis")
                label.append_text(shown)
            options.append(Option(label))  # no option ids: two records may share one
            self.matches.append((kind, row.key))
        results.add_options(options)
        if options:
            results.highlighted = 0
        more = f" (first {LIMIT} listed)" if len(found) > LIMIT else ""
        self.query_one("#search-count", Static).update(
            Text(f"{len(found)} match{'es' if len(found) != 1 else ''}{more}")
        )

    def action_move(self, step: int) -> None:
        results = self.query_one(OptionList)
        if step > 0:
            results.action_cursor_down()
        else:
            results.action_cursor_up()

    def action_open(self) -> None:
        results = self.query_one(OptionList)
        index = results.highlighted
        if index is None or index >= len(self.matches):
            return
        kind, record_id = self.matches[index]
        self.dismiss(None)
        self.app.post_message(OpenRecord(kind, record_id))

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.query_one(OptionList).highlighted = event.option_index
        self.action_open()

    def action_close(self) -> None:
        self.dismiss(None)
