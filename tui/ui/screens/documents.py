"""The articles behind the picture: every file of the seeds folder, and what came from each.

`DocumentsScreen` lists every file (read, off topic or skipped) with how many
records came from it, under the health of the config's feeds (one line a
feed: last poll, new items, errors); `DocumentScreen` shows one article's fields and its
records, each of which opens the record's detail. `o` on either opens the
article itself: a web address in the browser, a file in `$PAGER`.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import webbrowser
from pathlib import Path
from typing import Any

from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, OptionList, Static
from textual.widgets.option_list import Option

from tui.ui import docs
from tui.ui.messages import OpenRecord
from tui.ui.view import KINDS, clean
from tui.ui.widgets.bars import StatusLine
from tui.ui.widgets.pane import cursor_key

DEFAULT_PAGER = "less"
GONE = "This article is no longer in the picture."


class ArticleError(Exception):
    """An article that cannot be opened, said in one line the user can act on."""


def open_article(app: App, kind: str, target: str) -> None:
    """Open an article for reading: a web address in the browser, a file in
    `$PAGER` (default `less`) with the app suspended until the pager quits.

    Tests replace this function; everything that can fail raises."""
    if kind == "url":
        if not webbrowser.open(target):
            raise ArticleError("no web browser found")
        return
    path = Path(target)
    if not path.is_file():
        raise ArticleError("file not found (moved or deleted since the last update?)")
    try:
        argv = shlex.split(os.environ.get("PAGER") or DEFAULT_PAGER)
    except ValueError as exc:
        raise ArticleError(f"$PAGER cannot be read: {exc}") from exc
    argv = argv or [DEFAULT_PAGER]
    if shutil.which(argv[0]) is None:
        raise ArticleError(f"pager {argv[0]!r} not found; set $PAGER to one that is installed")
    with app.suspend():
        result = subprocess.run([*argv, str(path)], check=False)
    if result.returncode:
        raise ArticleError(f"{argv[0]} exited with status {result.returncode}")


def _one_line(exc: BaseException) -> str:
    if isinstance(exc, ArticleError):
        return str(exc)
    if isinstance(exc, OSError):
        return f"{type(exc).__name__}: {exc.strerror or exc}"
    return f"{type(exc).__name__}: {exc}"


class _ArticleScreen(Screen[None]):
    """What both screens share: the app's picture, opening the article, going back."""

    HELP_TOPIC = "documents"
    BINDINGS = [
        Binding("o", "open_article", "Article", id="article"),
        Binding("escape", "back", "Back", id="back"),
        Binding("q", "back", "Back", show=False, id="back-q"),
    ]

    def __init__(self, snapshot: Any = None, seeds_dir: Path | None = None) -> None:
        super().__init__()
        self.snapshot = snapshot
        self.seeds_dir = seeds_dir

    @property
    def current_doc_id(self) -> str | None:
        raise NotImplementedError

    def _app(self) -> Any:
        return self.app

    def action_back(self) -> None:
        if self.is_current:
            self.dismiss()

    def action_open_article(self) -> None:
        app = self._app()
        document = docs.find_document(self.snapshot, self.current_doc_id)
        if document is None:
            app.notify(GONE, severity="warning", markup=False)
            return
        open_document(app, document, self.seeds_dir)

    def show_snapshot(self, snapshot: Any, ctx: Any, seeds_dir: Path | None) -> None:
        """The app hands every screen each new picture."""
        self.snapshot, self.seeds_dir = snapshot, seeds_dir
        self.refresh_snapshot()

    def refresh_snapshot(self) -> None:
        raise NotImplementedError


def open_document(app: Any, document: Any, seeds_dir: Path | None) -> None:
    """The article in $PAGER, or its page in the browser; a failure is one line."""
    try:
        kind, target = docs.article_target(document, seeds_dir)
    except Exception as exc:
        app.notify(clean(f"Cannot open the article: {_one_line(exc)}"), severity="error", markup=False)
        return
    try:
        open_article(app, kind, target)
    except Exception as exc:  # the screen stays; the user reads why in one line
        app.notify(clean(f"Cannot open {target}: {_one_line(exc)}"), severity="error", markup=False)
        return
    if kind == "url":
        app.notify(clean(f"Opened {target} in the web browser"), markup=False)


class DocumentTable(DataTable):
    """The files, one row each, with stable keys (document ids)."""

    BINDINGS = [
        Binding("enter", "select_cursor", "Open", id="documents-open"),
        Binding("j", "cursor_down", "Down", show=False, id="documents-down"),
        Binding("k", "cursor_up", "Up", show=False, id="documents-up"),
        Binding("g", "scroll_top", "Top", show=False, id="documents-top"),
        Binding("G", "scroll_bottom", "Bottom", show=False, id="documents-bottom"),
    ]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, cursor_foreground_priority="css", **kwargs)

    @property
    def current_key(self) -> str | None:
        return cursor_key(self)


class DocumentsScreen(_ArticleScreen):
    """Every file of the seeds folder: status, date, title, form, what came from it."""

    DEFAULT_CSS = """
    DocumentsScreen { layout: vertical; }
    DocumentsScreen #documents-title { height: 1; background: $panel; padding: 0 1; }
    DocumentsScreen #documents-feeds {
        display: none; height: auto; max-height: 8; padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis;
    }
    DocumentsScreen.has-feeds #documents-feeds { display: block; }
    DocumentsScreen DocumentTable {
        height: 1fr; background: transparent; overflow-x: hidden; scrollbar-gutter: stable;
    }
    DocumentsScreen #documents-preview { height: 1; padding: 0 1; background: $boost; }
    DocumentsScreen #documents-empty { display: none; height: auto; padding: 1 1; color: $text-muted; }
    DocumentsScreen.is-empty #documents-empty { display: block; }
    """

    def __init__(self, snapshot: Any = None, seeds_dir: Path | None = None) -> None:
        super().__init__(snapshot, seeds_dir)
        self.rows: list[Any] = []
        self._shown_columns: tuple[str, ...] = ()

    def compose(self) -> ComposeResult:
        yield Static("", id="documents-title", markup=False)
        yield Static("", id="documents-feeds", markup=False)
        yield DocumentTable(id="documents-table")
        yield Static("", id="documents-empty", markup=False)
        yield Static("", id="documents-preview", markup=False)
        yield StatusLine(getattr(self.app, "status", None), id="documents-status")
        yield Footer()

    @property
    def table(self) -> DocumentTable:
        return self.query_one("#documents-table", DocumentTable)

    @property
    def current_doc_id(self) -> str | None:
        return self.table.current_key

    def on_mount(self) -> None:
        self.refresh_snapshot()
        self.show_feeds(getattr(self.app, "feed_health", []))
        self.table.focus()

    def show_feeds(self, health: list[Any]) -> None:
        """The feeds' health, one line a feed; the app calls this after every poll."""
        self._guarded("the feeds", lambda: self._draw_feeds(health))

    def _draw_feeds(self, health: list[Any]) -> None:
        self.set_class(bool(health), "has-feeds")
        self.query_one("#documents-feeds", Static).update(docs.feed_lines(health))

    def on_resize(self) -> None:
        self._guarded("the articles", self._fit_columns)

    def refresh_snapshot(self) -> None:
        """Render from the app's current snapshot, the cursor staying on the same document."""
        self._guarded("the articles", self._draw)

    def _guarded(self, what: str, render: Any) -> None:
        try:
            render()
        except Exception as exc:  # no data may end the app
            self._app().display_failed(what, exc)

    def _table_width(self) -> int:
        """The table spans the screen, less its vertical scrollbar's gutter."""
        width = self.size.width or self.app.size.width
        return max(0, width - self.table.styles.scrollbar_size_vertical)

    def _draw(self) -> None:
        snapshot = self.snapshot
        self.rows = docs.document_rows(snapshot)
        title = Text(no_wrap=True, overflow="ellipsis")
        title.append("Articles", style="bold")
        if snapshot is not None:
            title.append(f"  {clean(snapshot.relation)}")
        title.append(f"  {docs.summary(snapshot)}", style="dim")
        self.query_one("#documents-title", Static).update(title)
        self._fill(self._columns())
        self._update_preview()

    def _columns(self) -> list[docs.Column]:
        return docs.document_columns(self._table_width(), docs.natural_widths(self.rows))

    def _fit_columns(self) -> None:
        columns = self._columns()
        if tuple(c.key for c in columns) != self._shown_columns:
            self._fill(columns)  # a column comes or goes: the rows are laid out again
            return
        table = self.table
        widths = {c.key: c.width for c in columns}
        for column in table.columns.values():
            column.width = widths.get(str(column.key.value), column.width)
            column.auto_width = False
        table.refresh(layout=True)

    def _fill(self, columns: list[docs.Column]) -> None:
        """Rebuild the table, keeping the cursor on the same document (or at the same height)."""
        table = self.table
        keep_key, keep_row = table.current_key, table.cursor_row
        keys = tuple(c.key for c in columns)
        picks = [docs.DOC_COLUMN_KEYS.index(key) for key in keys]
        with self.app.batch_update():
            table.clear(columns=keys != self._shown_columns)
            if keys != self._shown_columns:
                for column in columns:
                    table.add_column(Text(column.label, style="bold"), key=column.key, width=column.width)
                self._shown_columns = keys
            for row in self.rows:
                table.add_row(*(row.cells[i] for i in picks), key=row.key)
            if self.rows:
                order = [row.key for row in self.rows]
                index = order.index(keep_key) if keep_key in order else min(keep_row, len(order) - 1)
                table.move_cursor(row=index, animate=False)

    def _update_preview(self) -> None:
        app = self._app()
        empty = ""
        if self.snapshot is None:
            error = getattr(app, "error", None)
            empty = f"Nothing to show until this is fixed: {clean(error)}" if error else ""
            empty = empty or "Waiting for the first extraction…"
        elif not self.rows:
            empty = f"No files in {clean(self.seeds_dir)}. Drop .txt, .md, .html or .jsonl files there."
        self.set_class(bool(empty), "is-empty")
        self.query_one("#documents-empty", Static).update(Text(empty))
        line = docs.preview(self.snapshot, self.current_doc_id, max(0, self.size.width - 2))
        self.query_one("#documents-preview", Static).update(line)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self._guarded("the article's title", self._update_preview)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.app.push_screen(DocumentScreen(event.row_key.value, self.snapshot, self.seeds_dir))


class RecordList(OptionList):
    BINDINGS = [
        Binding("enter", "select", "Open record", id="document-open-record"),
        Binding("j", "cursor_down", "Down", show=False, id="document-down"),
        Binding("k", "cursor_up", "Up", show=False, id="document-up"),
        Binding("g", "first", "Top", show=False, id="document-top"),
        Binding("G", "last", "Bottom", show=False, id="document-bottom"),
    ]


class DocumentScreen(_ArticleScreen):
    """One article: its fields, then every record that came from it, by kind."""

    DEFAULT_CSS = """
    DocumentScreen { layout: vertical; }
    DocumentScreen #document-title { height: 1; background: $panel; padding: 0 1; }
    DocumentScreen #document-fields { height: auto; padding: 0 1; }
    DocumentScreen .section { margin-top: 1; padding: 0 1; color: $accent; text-style: bold; }
    DocumentScreen RecordList { height: 1fr; min-height: 5; border: round $foreground 30%; }
    DocumentScreen RecordList:focus { border: round $accent; }
    """

    def __init__(self, doc_id: str, snapshot: Any = None, seeds_dir: Path | None = None) -> None:
        super().__init__(snapshot, seeds_dir)
        self.doc_id = doc_id
        self.gone = False

    def compose(self) -> ComposeResult:
        yield Static("", id="document-title", markup=False)
        yield Static("", id="document-fields", markup=False)
        yield Static("From this article", classes="section", markup=False)
        yield RecordList(id="document-records", markup=False)
        yield StatusLine(getattr(self.app, "status", None), id="document-status")
        yield Footer()

    @property
    def current_doc_id(self) -> str | None:
        return self.doc_id

    @property
    def records(self) -> RecordList:
        return self.query_one("#document-records", RecordList)

    def on_mount(self) -> None:
        self.refresh_snapshot()
        self.records.focus()

    def refresh_snapshot(self) -> None:
        """Render from the app's current snapshot, keeping the highlighted record."""
        try:
            self._draw()
        except Exception as exc:  # no data may end the app
            self._app().display_failed("this article", exc)

    def _draw(self) -> None:
        document = docs.find_document(self.snapshot, self.doc_id)
        records = self.records
        highlighted = records.highlighted
        keep = records.get_option_at_index(highlighted).id if highlighted is not None else None
        records.clear_options()
        self.gone = document is None
        records.display = not self.gone
        self.query_one(".section", Static).display = not self.gone
        if document is None:
            self.query_one("#document-title", Static).update(Text("Article  (gone)", style="bold"))
            self.query_one("#document-fields", Static).update(Text(GONE))
            return
        self.query_one("#document-title", Static).update(docs.heading(document))

        fields = Table.grid(padding=(0, 2))
        fields.add_column(justify="right", style="dim", no_wrap=True)
        fields.add_column(ratio=1)
        for label, value in docs.document_fields(document, self.seeds_dir):
            value.no_wrap, value.overflow = False, "fold"  # a long title or path wraps under itself
            fields.add_row(Text(label), value)
        self.query_one("#document-fields", Static).update(fields)

        contents = docs.document_contents(self.snapshot, self.doc_id)
        options: list[Option] = []
        seen: set[str] = set()  # an id twice would end the list with DuplicateID
        for kind in KINDS:
            group = []
            for record_kind, record in contents:
                option_id = f"{record_kind}:{record.id}"
                if record_kind == kind and option_id not in seen:
                    seen.add(option_id)
                    prompt = Text("  ").append_text(docs.record_label(kind, record))
                    group.append(Option(prompt, id=option_id))
            if group:
                options.append(Option(docs.record_heading(kind, len(group)), id=f"heading:{kind}", disabled=True))
                options.extend(group)
        if not options:
            message = "Nothing was found in this article."
            if docs.status_of(document) == docs.SKIPPED:
                message = "This file was skipped: nothing was read from it."
            options.append(Option(Text(message, style="dim"), id="nothing", disabled=True))
        records.add_options(options)
        enabled = [i for i, option in enumerate(options) if not option.disabled]
        if enabled:  # the same record as before the update, else the first
            records.highlighted = next((i for i in enabled if options[i].id == keep), enabled[0])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        option_id = event.option.id or ""
        kind, _, record_id = option_id.partition(":")
        if kind in KINDS and record_id:
            self.post_message(OpenRecord(kind, record_id))
