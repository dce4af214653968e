"""A pane: a titled border around a filter input and a table of records."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.coordinate import Coordinate
from textual.message import Message
from textual.widgets import DataTable, Input, Static

from tui.ui.view import COLUMNS, FRESH_MARK, PANE_TITLES, Row, column_widths


class RecordTable(DataTable):
    """Rows with stable keys; an update keeps the cursor on the same key."""

    BINDINGS = [
        Binding("enter", "select_cursor", "Detail", id="detail"),
        Binding("j", "cursor_down", "Down", show=False, id="down"),
        Binding("k", "cursor_up", "Up", show=False, id="up"),
        Binding("g", "scroll_top", "Top", show=False, id="top"),
        Binding("G", "scroll_bottom", "Bottom", show=False, id="bottom"),
    ]

    def __init__(self, kind: str, **kwargs) -> None:
        super().__init__(
            cursor_type="row", zebra_stripes=True, cursor_foreground_priority="css", **kwargs
        )
        self.kind = kind
        self.fresh: set[str] = set()  # keys of new or changed rows not yet seen
        self._rebuilding = False

    def ensure_columns(self) -> None:
        if self.columns:
            return
        self.add_column(" ", key="mark", width=1)
        widths = column_widths(self.kind, 80)
        for key, label, *_ in COLUMNS[self.kind]:
            self.add_column(label, key=key, width=widths[key])

    def on_mount(self) -> None:
        self.ensure_columns()

    def on_resize(self) -> None:
        self.fit_columns()

    def fit_columns(self) -> None:
        """Flexible columns share the table's width, so no pane scrolls sideways."""
        width = (
            self.scrollable_content_region.width - 2 * self.cell_padding - 1
        )  # less the mark column
        if width <= 0:
            return
        widths = column_widths(self.kind, width, self.cell_padding)
        for column in self.columns.values():
            key = column.key.value
            if key in widths:
                column.width = widths[key]
                column.auto_width = False
        self._clear_caches()
        self._require_update_dimensions = True
        self.refresh()

    @property
    def current_key(self) -> str | None:
        if not self.row_count:
            return None
        try:
            row_key, _ = self.coordinate_to_cell_key(Coordinate(self.cursor_row, 0))
        except Exception:
            return None
        return row_key.value

    def show_rows(self, rows: Sequence[Row]) -> None:
        """Replace the rows, keeping cursor (by key) and scroll position."""
        self.ensure_columns()
        keep_key = self.current_key
        keep_row = self.cursor_row
        scroll_x, scroll_y = self.scroll_x, self.scroll_y
        self._rebuilding = True
        try:
            with self.app.batch_update():
                self.clear()
                # A key seen twice would end the app with DuplicateKey: the first row stays.
                rows = list({r.key: r for r in reversed(rows)}.values())[::-1]
                for row in rows:
                    mark = (
                        Text(FRESH_MARK, style="bold dark_orange")
                        if row.key in self.fresh
                        else Text("")
                    )
                    self.add_row(mark, *row.cells, key=row.key)
                if rows:
                    keys = [r.key for r in rows]
                    if keep_key in keys:
                        index = keys.index(keep_key)
                    else:  # the row went: stay at the same height
                        index = min(keep_row, len(rows) - 1)
                    self.move_cursor(row=index, scroll=False)
                self.scroll_to(scroll_x, scroll_y, animate=False, immediate=True)
        finally:
            self._rebuilding = False

    def watch_cursor_coordinate(self, old: Coordinate, new: Coordinate) -> None:
        super().watch_cursor_coordinate(old, new)
        if self._rebuilding or not self.fresh:
            return
        key = self.current_key
        if key in self.fresh:
            self.fresh.discard(key)
            try:
                self.update_cell(key, "mark", Text(""))
            except Exception:
                pass


class Pane(Vertical, can_focus=False):
    """One of the four panes. Filters its rows by a typed substring."""

    DEFAULT_CSS = """
    Pane { border: round $foreground 30%; border-title-color: $foreground 70%; height: 1fr; }
    Pane:focus-within {
        border: round $accent; border-title-color: $accent; border-title-style: bold;
    }
    Pane > Input { display: none; height: 1; border: none; padding: 0 1; margin: 0; }
    Pane.filtering > Input { display: block; }
    Pane > .empty { display: none; color: $text-muted; padding: 0 1; }
    Pane.is-empty > .empty { display: block; }
    Pane > RecordTable { height: 1fr; background: transparent; overflow-x: hidden; scrollbar-gutter: stable; }
    """

    class OpenRecord(Message):
        def __init__(self, kind: str, record_id: str) -> None:
            super().__init__()
            self.kind = kind
            self.record_id = record_id

    def __init__(self, kind: str, number: int, **kwargs) -> None:
        super().__init__(id=f"pane-{kind}", **kwargs)
        self.kind = kind
        self.number = number
        self.filter_text = ""
        self.all_rows: list[Row] = []
        self.empty_message = "Waiting for the first extraction…"
        self.title: str | None = None  # instead of the default title, e.g. when past rows are shown
        self._signatures: dict[str, tuple] = {}
        self._loaded = False
        self._table: RecordTable | None = None

    def compose(self) -> ComposeResult:
        # The table is mounted with the first rows and the filter box on first use:
        # fewer widgets to lay out before the first paint.
        yield Static(self.empty_message, classes="empty", markup=False)

    def on_mount(self) -> None:
        self.add_class("is-empty")
        self._retitle()

    @property
    def has_table(self) -> bool:
        return self._table is not None

    @property
    def table(self) -> RecordTable:
        """The pane's table, mounted on first use."""
        if self._table is None:
            self._table = RecordTable(self.kind, id=f"table-{self.kind}")
            self.mount(self._table)
        return self._table

    def focus_table(self) -> None:
        if self._table is not None:
            self._table.focus()

    def _retitle(self) -> None:
        shown = self._table.row_count if self._table is not None else 0
        total = len(self.all_rows)
        count = f"{shown}/{total}" if self.filter_text else f"{total}" if self._loaded else "…"
        self.border_title = Text(f"{self.number} {self.title or PANE_TITLES[self.kind]} ({count})")
        self.border_subtitle = Text(f"filter: {self.filter_text}") if self.filter_text else None

    def set_rows(self, rows: list[Row], empty_message: str, *, mark: bool = True) -> None:
        """New rows from a snapshot; new or changed rows are marked until seen.

        `mark=False` when only the view changed (a toggle), not the data."""
        table = self.table
        signatures = {r.key: r.signature for r in rows}
        if self._loaded and mark:
            for key, sig in signatures.items():
                if self._signatures.get(key) != sig:
                    table.fresh.add(key)
        table.fresh &= set(signatures)
        self._signatures = signatures
        self._loaded = True
        self.all_rows = rows
        self.empty_message = empty_message
        self._refilter()

    def set_message(self, message: str) -> None:
        """No data yet: say why in the pane."""
        self.empty_message = message
        if not self.all_rows:
            self._refilter()

    def _refilter(self) -> None:
        needle = self.filter_text.lower()
        rows = [r for r in self.all_rows if needle in r.haystack] if needle else self.all_rows
        self.table.show_rows(rows)
        if not rows:
            msg = f"No rows match “{self.filter_text}”." if self.all_rows else self.empty_message
            self.query_one(".empty", Static).update(Text(msg))
        self.set_class(not rows, "is-empty")
        self._retitle()

    # filtering
    def start_filter(self) -> None:
        self.add_class("filtering")
        boxes = self.query(Input)
        if boxes:
            box = boxes.first()
        else:
            box = Input(
                placeholder="filter… (enter keeps it, esc clears)", id=f"filter-{self.kind}"
            )
            self.mount(box, before=0)
        box.value = self.filter_text
        box.focus()

    def clear_filter(self) -> bool:
        """Clear the filter; False when there was none."""
        had = bool(self.filter_text) or self.has_class("filtering")
        self.filter_text = ""
        for box in self.query(Input):
            box.value = ""
        self.remove_class("filtering")
        self._refilter()
        self.focus_table()
        return had

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        self.filter_text = event.value
        self._refilter()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not self.filter_text:
            self.remove_class("filtering")
        self.focus_table()

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.post_message(self.OpenRecord(self.kind, event.row_key.value))
