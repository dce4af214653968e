"""The main screen: header, four panes, status line, footer."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid
from textual.screen import Screen
from textual.widgets import Footer, Input

from tui.ui.view import KINDS
from tui.ui.widgets.bars import AppHeader, StatusLine
from tui.ui.widgets.pane import Pane

NARROW_WIDTH = 100


class DashboardScreen(Screen):
    BINDINGS = [
        Binding("tab", "cycle(1)", "Next pane", show=False, priority=True, id="next-pane"),
        Binding(
            "shift+tab", "cycle(-1)", "Previous pane", show=False, priority=True, id="prev-pane"
        ),
        Binding("1", "jump(0)", "Actors", show=False, id="pane-1"),
        Binding("2", "jump(1)", "Engagements", show=False, id="pane-2"),
        Binding("3", "jump(2)", "Issues", show=False, id="pane-3"),
        Binding("4", "jump(3)", "Quotes", show=False, id="pane-4"),
        Binding("enter", "open", "Detail", id="detail"),
        Binding("slash", "filter", "Filter", id="filter"),
        Binding("escape", "escape", "Clear", show=False, id="escape"),
        Binding("p", "app.toggle_past", "Past", id="past"),
    ]

    def compose(self) -> ComposeResult:
        yield AppHeader(id="header")
        with Grid(id="panes"):
            for number, kind in enumerate(KINDS, start=1):
                yield Pane(kind, number)
        yield StatusLine(id="status")
        yield Footer()

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < NARROW_WIDTH, "narrow")

    @property
    def panes(self) -> list[Pane]:
        return list(self.query(Pane))

    def pane(self, kind: str) -> Pane:
        return self.query_one(f"#pane-{kind}", Pane)

    @property
    def focused_pane(self) -> Pane | None:
        node = self.focused
        while node is not None and not isinstance(node, Pane):
            node = node.parent
        return node

    def _focused_index(self) -> int:
        pane = self.focused_pane
        return self.panes.index(pane) if pane is not None else 0

    def action_cycle(self, step: int) -> None:
        if isinstance(self.focused, Input):  # tab leaves the filter box, keeping the filter
            pane = self.focused_pane
            if pane is not None:
                pane.focus_table()
                return
        panes = self.panes
        panes[(self._focused_index() + step) % len(panes)].focus_table()

    def action_jump(self, index: int) -> None:
        self.panes[index].focus_table()

    def action_filter(self) -> None:
        pane = self.focused_pane or self.panes[0]
        if pane.has_table:
            pane.start_filter()

    def action_escape(self) -> None:
        pane = self.focused_pane
        if pane is not None:
            pane.clear_filter()

    def action_open(self) -> None:
        pane = self.focused_pane
        if pane is None or isinstance(self.focused, Input):
            return
        key = pane.table.current_key if pane.has_table else None
        if key is not None:
            self.app.open_record(pane.kind, key)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("open",) and isinstance(self.focused, Input):
            return False
        if action in ("jump", "filter") and isinstance(self.focused, Input):
            return False
        return True

    def on_pane_open_record(self, message: Pane.OpenRecord) -> None:
        self.app.open_record(message.kind, message.record_id)
