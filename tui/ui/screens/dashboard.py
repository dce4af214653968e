"""The main screen: header, four panes, status line, footer."""

from __future__ import annotations

from typing import Any

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid
from textual.screen import Screen
from textual.widgets import Footer, Input

from tui.ui import view
from tui.ui.messages import OpenArticle, OpenRecord, SortPane
from tui.ui.view import KINDS
from tui.ui.widgets.bars import AppHeader, Preview, StatusLine
from tui.ui.widgets.pane import Pane

NARROW_WIDTH = 100


class DashboardScreen(Screen):
    BINDINGS = [
        Binding("tab", "cycle(1)", "Next pane", show=False, priority=True, id="next-pane"),
        Binding(
            "shift+tab", "cycle(-1)", "Previous pane", show=False, priority=True, id="prev-pane"
        ),
        Binding("l", "cycle(1)", "Next pane", show=False, id="next-pane-l"),
        Binding("h", "cycle(-1)", "Previous pane", show=False, id="prev-pane-h"),
        Binding("1", "jump(0)", "Actors", show=False, id="pane-1"),
        Binding("2", "jump(1)", "Engagements", show=False, id="pane-2"),
        Binding("3", "jump(2)", "Issues", show=False, id="pane-3"),
        Binding("4", "jump(3)", "Quotes", show=False, id="pane-4"),
        Binding("enter", "open", "Open", key_display="⏎", id="detail"),
        Binding("slash", "filter", "Filter", id="filter"),
        Binding("f", "app.find", "Find", id="find"),
        Binding("n", "next_new", "Next new", id="next-new"),
        Binding("m", "app.mark_all_seen", "Mark seen", show=False, id="mark-seen"),
        Binding("s", "sort(1)", "Sort", show=False, id="sort"),
        Binding("S", "sort(-1)", "Sort back", show=False, id="sort-back"),
        Binding("o", "open_article", "Article", show=False, id="article"),
        Binding("escape", "escape", "Clear", show=False, id="escape"),
        Binding("p", "app.toggle_past", "Past", id="past"),
        Binding("d", "app.documents", "Documents", id="documents"),
        Binding("w", "app.inbox", "Inbox", show=False, id="inbox"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.snapshot: Any = None  # the picture on screen, handed over by the app
        self.ctx = view.ViewContext()

    def compose(self) -> ComposeResult:
        yield AppHeader(id="header")
        with Grid(id="panes"):
            for number, kind in enumerate(KINDS, start=1):
                yield Pane(kind, number)
        yield Preview(id="preview")
        yield StatusLine(id="status")
        yield Footer()

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < NARROW_WIDTH, "narrow")
        self.fit_heights()

    def fit_heights(self) -> None:
        """Pane heights follow their content: in two rows of two, the top row
        gets what its longer pane needs when both rows fit, else a share by need."""
        grid = self.query_one("#panes", Grid)
        if self.has_class("narrow"):
            grid.styles.grid_rows = None
            return
        panes = self.panes
        available = grid.size.height or max(4, self.size.height - 6)
        need = [max(p.height_needed for p in panes[:2]), max(p.height_needed for p in panes[2:])]
        if sum(need) <= available:
            top = need[0]
        else:
            top = round(available * need[0] / max(1, sum(need)))
        top = max(5, min(top, available - 5))
        grid.styles.grid_rows = f"{top} 1fr"

    def on_pane_highlighted(self, message: Pane.Highlighted) -> None:
        pane = self.focused_pane
        if pane is None or pane.kind == message.kind:
            self.show_preview(message.kind, message.record_id)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self.refresh_preview()

    def refresh_preview(self) -> None:
        pane = self.focused_pane
        if pane is not None and pane.has_table:
            self.show_preview(pane.kind, pane.table.current_key)

    def show_preview(self, kind: str, record_id: str | None) -> None:
        preview = self.query_one("#preview", Preview)
        try:
            record = view.find_record(kind, record_id, self.snapshot) if record_id else None
            text = view.preview(kind, record, self.snapshot, self.ctx) if record else None
        except Exception as exc:  # no data may end the app
            app: Any = self.app
            app.display_failed("the preview", exc)
            return
        preview.show(text)

    @property
    def panes(self) -> list[Pane]:
        return list(self.query(Pane))

    def pane(self, kind: str) -> Pane:
        return self.query_one(f"#pane-{kind}", Pane)

    @property
    def focused_pane(self) -> Pane | None:
        node: Any = self.focused
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

    def action_next_new(self) -> None:
        """The next new row: below the cursor in the focused pane, then in the
        panes after it, then from the top of the focused pane."""
        panes = self.panes
        start = self._focused_index()
        here = panes[start]
        cursor = here.table.cursor_row if here.has_table else -1
        if here.goto_fresh(cursor):
            return
        for offset in range(1, len(panes)):
            pane = panes[(start + offset) % len(panes)]
            if pane.fresh_keys:
                pane.focus_table()
                pane.goto_fresh()
                return
        if here.fresh_keys and here.goto_fresh():
            return
        self.app.notify("No new rows.", timeout=2, markup=False)

    def action_sort(self, step: int) -> None:
        pane = self.focused_pane
        if pane is not None:
            self.post_message(SortPane(pane.kind, step))

    def action_open_article(self) -> None:
        pane = self.focused_pane
        if pane is None or not pane.has_table or pane.table.current_key is None:
            return
        self.post_message(OpenArticle(pane.kind, pane.table.current_key))

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
            self.post_message(OpenRecord(pane.kind, key))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("open",) and isinstance(self.focused, Input):
            return False
        if action in ("jump", "filter", "next_new", "sort", "open_article") and isinstance(
            self.focused, Input
        ):
            return False
        return True
