"""A pane: a titled border around a filter input and a table of records."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.coordinate import Coordinate
from textual.message import Message
from textual.widgets import DataTable, Input, Static

from tui.ui import view
from tui.ui.messages import OpenRecord
from tui.ui.seen import SeenState
from tui.ui.view import FRESH_MARK, PANE_TITLES, Row


def cursor_key(table: DataTable) -> str | None:
    """The key of the row under a table's cursor, or None (no rows, a stale cursor)."""
    if not table.row_count:
        return None
    try:
        row_key, _ = table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0))
    except Exception:
        return None
    return row_key.value


class RecordTable(DataTable):
    """Rows with stable keys; an update keeps the cursor on the same key.

    The columns shown, and their widths, follow the table's width and the
    rows' content (`view.column_widths`): a narrow pane drops its least
    important columns rather than scroll sideways."""

    BINDINGS = [
        Binding("enter", "select_cursor", "Open", key_display="⏎", id="detail"),
        Binding("j", "cursor_down", "Down", show=False, id="down"),
        Binding("k", "cursor_up", "Up", show=False, id="up"),
        Binding("g,home", "scroll_top", "Top", show=False, id="top"),
        Binding("G,end", "scroll_bottom", "Bottom", show=False, id="bottom"),
    ]

    def __init__(self, kind: str, **kwargs: Any) -> None:
        super().__init__(
            cursor_type="row", zebra_stripes=True, cursor_foreground_priority="css", **kwargs
        )
        self.kind = kind
        self.fresh: set[str] = set()  # keys of new or changed rows not yet seen
        self.rows_shown: list[Row] = []
        self.shown_columns: tuple[str, ...] = ()
        self.sticky_top = False  # a newest-first list: a cursor on the top row stays there
        self.on_seen: Callable[[str], None] | None = None
        self._rebuilding = False

    def on_resize(self) -> None:
        self.fit_columns()

    def _width(self) -> int:
        region = self.scrollable_content_region.width or self.size.width or 80
        return region - 2 * self.cell_padding - 1  # less the mark column

    def fit_columns(self) -> None:
        """Columns sized by the table's width and the rows' content; when the
        set of columns that fit changes, the table is rebuilt with it."""
        width = self._width()
        if width <= 0:
            return
        widths = view.column_widths(self.kind, width, self.rows_shown, self.cell_padding)
        keys = tuple(c.key for c in view.COLUMNS[self.kind] if c.key in widths)
        if keys != self.shown_columns:
            self.show_rows(self.rows_shown)
            return
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
        return cursor_key(self)

    def _mark(self, key: str) -> Text:
        return Text(FRESH_MARK, style="bold dark_orange") if key in self.fresh else Text("")

    def show_rows(self, rows: Sequence[Row]) -> None:
        """Replace the rows, keeping cursor (by key) and scroll position."""
        keep_key = self.current_key
        keep_row = self.cursor_row
        at_top = self.sticky_top and keep_row == 0
        scroll_x, scroll_y = self.scroll_x, self.scroll_y
        # A key seen twice would end the app with DuplicateKey: the first row stays.
        rows = list({r.key: r for r in reversed(rows)}.values())[::-1]
        self.rows_shown = rows
        widths = view.column_widths(self.kind, max(self._width(), 20), rows, self.cell_padding)
        spec = view.COLUMNS[self.kind]
        picked = [i for i, c in enumerate(spec) if c.key in widths]
        keys = tuple(spec[i].key for i in picked)
        self._rebuilding = True
        try:
            with self.app.batch_update():
                self.clear(columns=keys != self.shown_columns)
                if keys != self.shown_columns:
                    self.add_column(" ", key="mark", width=1)
                    for i in picked:
                        self.add_column(spec[i].label, key=spec[i].key, width=widths[spec[i].key])
                    self.shown_columns = keys
                else:
                    for column in self.columns.values():
                        if column.key.value in widths:
                            column.width = widths[column.key.value]
                            column.auto_width = False
                for row in rows:
                    cells = [row.cells[i] for i in picked if i < len(row.cells)]
                    self.add_row(self._mark(row.key), *cells, key=row.key)
                if rows:
                    keys_in_order = [r.key for r in rows]
                    if at_top:
                        index = 0
                    elif keep_key in keys_in_order:
                        index = keys_in_order.index(keep_key)
                    else:  # the row went: stay at the same height
                        index = min(keep_row, len(rows) - 1)
                    self.move_cursor(row=index, scroll=False)
                self.scroll_to(scroll_x, scroll_y, animate=False, immediate=True)
        finally:
            self._rebuilding = False

    def forget_fresh(self, keys: Iterable[str]) -> None:
        for key in list(keys):
            if key in self.fresh:
                self.fresh.discard(key)
                try:
                    self.update_cell(key, "mark", Text(""))
                except Exception:  # the row went meanwhile
                    pass

    def watch_cursor_coordinate(self, old: Coordinate, new: Coordinate) -> None:
        super().watch_cursor_coordinate(old, new)
        if self._rebuilding:
            return
        key = self.current_key
        if key is None:
            return
        if self.on_seen is not None:
            self.on_seen(key)
        if key in self.fresh:
            self.forget_fresh([key])


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

    class Highlighted(Message):
        """The cursor rests on a row (or the pane has none): the preview follows."""

        def __init__(self, kind: str, record_id: str | None) -> None:
            super().__init__()
            self.kind = kind
            self.record_id = record_id

    def __init__(self, kind: str, number: int, **kwargs: Any) -> None:
        super().__init__(id=f"pane-{kind}", **kwargs)
        self.kind = kind
        self.number = number
        self.filter_text = ""
        self.all_rows: list[Row] = []
        self.empty_message = "Waiting for the first extraction…"
        self.title: str | None = None  # instead of the default title, e.g. when past rows are shown
        self.sort_label: str | None = None  # shown in the title when not the default order
        self.sticky_top = False
        self.seen = SeenState()  # the app hands every pane its shared, persisted state
        self._signatures: dict[str, tuple[Any, ...]] = {}
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

    @property
    def height_needed(self) -> int:
        """Lines to show every row: the border, the column header, the rows."""
        rows = self._table.row_count if self._table is not None else 0
        return max(1, rows) + 3 + (1 if self.has_class("filtering") else 0)

    def focus_table(self) -> None:
        if self._table is not None:
            self._table.focus()

    def _retitle(self) -> None:
        shown = self._table.row_count if self._table is not None else 0
        total = len(self.all_rows)
        count = f"{shown}/{total}" if self.filter_text else f"{total}" if self._loaded else "…"
        self.border_title = Text(f"{self.number} {self.title or PANE_TITLES[self.kind]} ({count})")
        subtitle = [f"filter: {self.filter_text}"] if self.filter_text else []
        if self.sort_label:
            subtitle.append(f"by {self.sort_label}")
        self.border_subtitle = Text(" · ".join(subtitle)) if subtitle else None

    def set_rows(self, rows: list[Row], empty_message: str, *, mark: bool = True) -> None:
        """New rows from a snapshot; rows new or changed in meaning since they
        were last seen are marked until the cursor rests on them.

        `mark=False` when only the view changed (a toggle, a sort), not the data."""
        table = self.table
        signatures = {r.key: r.signature for r in rows}
        self._signatures = signatures
        if self.seen.known and mark:
            table.fresh = {r.key for r in rows if self.seen.is_new(self.kind, r.key, r.signature)}
        table.fresh &= set(signatures)
        table.on_seen = self._seen
        table.sticky_top = self.sticky_top
        self._loaded = True
        self.all_rows = rows
        self.empty_message = empty_message
        self._refilter()

    def _seen(self, key: str) -> None:
        signature = self._signatures.get(key)
        if signature is not None:
            self.seen.mark(self.kind, key, signature)

    @property
    def fresh_keys(self) -> list[str]:
        """Keys of the new rows, in the order shown."""
        if self._table is None:
            return []
        return [r.key for r in self._table.rows_shown if r.key in self._table.fresh]

    def mark_all_seen(self) -> int:
        """Every row of the pane seen (filtered out ones too); how many were new."""
        if self._table is None:
            return 0
        count = len(self._table.fresh)
        for row in self.all_rows:
            self.seen.mark(self.kind, row.key, row.signature)
        self._table.forget_fresh(list(self._table.fresh))
        return count

    def goto_fresh(self, after: int = -1) -> bool:
        """Move the cursor to the first new row below row `after`; False if none."""
        if self._table is None:
            return False
        for index, row in enumerate(self._table.rows_shown):
            if index > after and row.key in self._table.fresh:
                self._table.move_cursor(row=index)
                return True
        return False

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

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        key = event.row_key.value if event.row_key is not None else None
        self.post_message(self.Highlighted(self.kind, key))

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key is not None and event.row_key.value is not None:
            self.post_message(OpenRecord(self.kind, event.row_key.value))
