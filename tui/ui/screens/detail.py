"""A record in full: its fields, every piece of evidence, links to related records."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from tui.ui import view
from tui.ui.view import PANE_TITLES, clean


class DetailScreen(Screen):
    """Shows one record; re-renders in place when a newer snapshot arrives."""

    BINDINGS = [
        Binding("escape", "close", "Back", id="back"),
        Binding("enter", "follow", "Open link", id="follow", show=True),
        Binding("j", "scroll(1)", "Down", show=False),
        Binding("k", "scroll(-1)", "Up", show=False),
        Binding("g", "home", "Top", show=False),
        Binding("G", "end", "Bottom", show=False),
        Binding("tab", "focus_next", "Next", show=False),
    ]

    DEFAULT_CSS = """
    DetailScreen { layout: vertical; }
    DetailScreen #detail-title { dock: top; height: 1; background: $panel; padding: 0 1; }
    DetailScreen #detail-body { height: 1fr; padding: 0 1; }
    DetailScreen .section { margin-top: 1; color: $accent; text-style: bold; }
    DetailScreen #fields { height: auto; }
    DetailScreen #evidence { height: auto; }
    DetailScreen #links { height: auto; max-height: 12; border: round $foreground 30%; }
    DetailScreen #links:focus { border: round $accent; }
    """

    def __init__(self, kind: str, record_id: str) -> None:
        super().__init__()
        self.kind = kind
        self.record_id = record_id
        self.gone = False
        self.evidence_text = Text()

    def compose(self) -> ComposeResult:
        yield Static("", id="detail-title", markup=False)
        with VerticalScroll(id="detail-body"):
            yield Static("", id="fields", markup=False)
            yield Static("Links", classes="section", markup=False)
            yield OptionList(id="links")
            yield Static("Evidence", classes="section", markup=False)
            yield Static("", id="evidence", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_record()
        self.query_one("#links", OptionList).focus()

    def refresh_record(self) -> None:
        """Render from the app's current snapshot (called again after each update);
        a record that cannot be shown is a one-line error, not the end of the app."""
        try:
            self._refresh_record()
        except Exception as exc:
            app: Any = self.app
            app.display_failed("this record", exc)

    def _refresh_record(self) -> None:
        app: Any = self.app
        snapshot, ctx = app.snapshot, app.view_context
        record = view.find_record(self.kind, self.record_id, snapshot)
        title = Text()
        title.append(PANE_TITLES[self.kind].split()[-1].rstrip("s").capitalize(), style="bold")
        title.append("  ")
        links = self.query_one("#links", OptionList)
        if record is None:
            self.gone = True
            title.append("(gone)", style="dim")
            self.query_one("#detail-title", Static).update(title)
            self.query_one("#fields", Static).update(
                Text(
                    "This record is no longer in the picture after the last update. "
                    "Press esc to go back."
                )
            )
            links.clear_options()
            self.query_one("#evidence", Static).update(Text(""))
            return
        self.gone = False
        title.append(view.record_title(self.kind, record))
        self.query_one("#detail-title", Static).update(title)

        fields = Text()
        for label, value in view.record_fields(self.kind, record, snapshot, ctx):
            fields.append(f"{label:>11}  ", style="dim")
            fields.append_text(value)
            fields.append("\n")
        self.query_one("#fields", Static).update(fields)

        highlighted = links.highlighted
        links.clear_options()
        # One option a record: two links to one record would be a DuplicateID.
        found = view.links_of(self.kind, record, snapshot, ctx)
        items = list({f"{link.kind}:{link.id}": link for link in found}.values())
        links.add_options([Option(link.label, id=f"{link.kind}:{link.id}") for link in items])
        if not items:
            links.add_option(
                Option(Text("no related records", style="dim"), id="none", disabled=True)
            )
        else:
            links.highlighted = min(highlighted or 0, len(items) - 1)

        self.evidence_text = self._evidence(record, snapshot, app.seeds_dir)
        self.query_one("#evidence", Static).update(self.evidence_text)

    def _evidence(self, record: Any, snapshot: Any, seeds_dir: Path | None) -> Text:
        """Every piece of evidence, grouped by article: title, date, path, then the sentences."""
        out = Text()
        evidence = view.evidence_of(self.kind, record)
        if not evidence:
            out.append("no evidence recorded", style="dim")
        by_doc: dict[str, list[Any]] = {}
        for ev in evidence:
            by_doc.setdefault(ev.doc, []).append(ev)
        for doc_id, items in by_doc.items():
            doc = snapshot.document(doc_id)
            title = doc.title if doc is not None and doc.title else doc_id
            date = doc.published if doc is not None and doc.published else "undated"
            path = (seeds_dir / doc_id) if seeds_dir is not None else Path(doc_id)
            out.append(clean(title), style="bold")
            out.append(f"  {date}\n", style="dim")
            out.append(f"{clean(str(path))}\n", style="dim italic")
            for ev in items:
                out.append("  • ")
                out.append_text(view.highlight(ev))
                out.append("\n")
            out.append("\n")
        return out

    def action_close(self) -> None:
        self.dismiss()

    def action_follow(self) -> None:
        links = self.query_one("#links", OptionList)
        if links.highlighted is None:
            return
        option = links.get_option_at_index(links.highlighted)
        if option.id and ":" in option.id:
            kind, record_id = option.id.split(":", 1)
            self.app.open_record(kind, record_id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        option_id = event.option.id
        if option_id and ":" in option_id:
            kind, record_id = option_id.split(":", 1)
            self.app.open_record(kind, record_id)

    def action_scroll(self, step: int) -> None:
        links = self.query_one("#links", OptionList)
        if links.has_focus:
            links.action_cursor_down() if step > 0 else links.action_cursor_up()
        else:
            body = self.query_one("#detail-body", VerticalScroll)
            body.scroll_relative(y=step, animate=False)

    def action_home(self) -> None:
        self.query_one("#detail-body", VerticalScroll).scroll_home(animate=False)

    def action_end(self) -> None:
        self.query_one("#detail-body", VerticalScroll).scroll_end(animate=False)
