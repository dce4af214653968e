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
from tui.ui.messages import OpenArticle, OpenRecord
from tui.ui.view import PANE_TITLES, clean
from tui.ui.widgets.bars import Status, StatusLine


class DetailScreen(Screen[None]):
    """Shows one record; re-renders in place when a newer snapshot arrives.

    `tab` moves between the links and the page; the page scrolls by line,
    half page and page; `q` and `esc` go back."""

    HELP_TOPIC = "detail"
    BINDINGS = [
        Binding("escape,q", "close", "Back", id="back"),
        Binding("enter", "follow", "Open", key_display="⏎", id="follow", priority=True),
        Binding("o", "article", "Article", id="article"),
        Binding("j", "line(1)", "Down", show=False),
        Binding("k", "line(-1)", "Up", show=False),
        Binding("space,pagedown", "page(1)", "Page down", show=False),
        Binding("b,pageup", "page(-1)", "Page up", show=False),
        Binding("ctrl+d", "half(1)", "Half page down", show=False),
        Binding("ctrl+u", "half(-1)", "Half page up", show=False),
        Binding("g,home", "home", "Top", show=False),
        Binding("G,end", "end", "Bottom", show=False),
        Binding("tab", "switch", "Links/page", show=False, priority=True),
        Binding("shift+tab", "switch", "Links/page", show=False, priority=True),
    ]

    DEFAULT_CSS = """
    DetailScreen { layout: vertical; }
    DetailScreen #detail-title { dock: top; height: 1; background: $panel; padding: 0 1; }
    DetailScreen #detail-body { height: 1fr; padding: 0 1; }
    DetailScreen #detail-body:focus { background-tint: $accent 4%; }
    DetailScreen .section { margin-top: 1; color: $accent; text-style: bold; }
    DetailScreen #fields { height: auto; }
    DetailScreen #evidence { height: auto; }
    DetailScreen #links { height: auto; max-height: 12; border: round $foreground 30%; }
    DetailScreen #links:focus { border: round $accent; }
    """

    def __init__(
        self,
        kind: str,
        record_id: str,
        snapshot: Any = None,
        ctx: view.ViewContext | None = None,
        seeds_dir: Path | None = None,
        status: Status | None = None,
    ) -> None:
        super().__init__()
        self.kind = kind
        self.record_id = record_id
        self.snapshot = snapshot
        self.ctx = ctx or view.ViewContext()
        self.seeds_dir = seeds_dir
        self._status = status
        self.gone = False
        self.evidence_text = Text()

    def compose(self) -> ComposeResult:
        yield Static("", id="detail-title", markup=False)
        with VerticalScroll(id="detail-body"):
            yield Static("", id="fields", markup=False)
            yield Static("Links", classes="section", markup=False)
            yield OptionList(id="links")
            yield Static("Evidence", classes="section", id="evidence-title", markup=False)
            yield Static("", id="evidence", markup=False)
        yield StatusLine(self._status or getattr(self.app, "status", None), id="detail-status")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_record()
        self.query_one("#links", OptionList).focus()

    def show_snapshot(self, snapshot: Any, ctx: view.ViewContext, seeds_dir: Path | None) -> None:
        """A newer picture: show the record as it is now (or say it went)."""
        self.snapshot, self.ctx, self.seeds_dir = snapshot, ctx, seeds_dir
        self.refresh_record()

    def refresh_record(self) -> None:
        """Render the record from the snapshot this screen holds; a record that
        cannot be shown is a one-line error, not the end of the app."""
        try:
            self._refresh_record()
        except Exception as exc:
            app: Any = self.app
            app.display_failed("this record", exc)

    def _refresh_record(self) -> None:
        snapshot, ctx = self.snapshot, self.ctx
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
            value.no_wrap, value.overflow = False, "fold"
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

        evidence = view.evidence_of(self.kind, record)
        total = view.evidence_total(self.kind, record)
        heading = "Evidence"
        if total is not None and total > len(evidence):
            heading += f" ({len(evidence)} of {total} shown)"
        self.query_one("#evidence-title", Static).update(Text(heading))
        self.evidence_text = self._evidence(evidence, snapshot, self.seeds_dir)
        self.query_one("#evidence", Static).update(self.evidence_text)

    def _evidence(self, evidence: list[Any], snapshot: Any, seeds_dir: Path | None) -> Text:
        """Every piece of evidence, grouped by article (title, date, path), each
        sentence once with all its matched words highlighted."""
        out = Text()
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
            for first, more in view.sentences_of(items):
                out.append("  • ")
                out.append_text(view.highlight(first, more))
                out.append("\n")
            out.append("\n")
        return out

    def action_close(self) -> None:
        self.dismiss()

    def action_follow(self) -> None:
        links = self.query_one("#links", OptionList)
        if not links.has_focus or links.highlighted is None:
            return
        option = links.get_option_at_index(links.highlighted)
        if option.id and ":" in option.id:
            kind, record_id = option.id.split(":", 1)
            self.post_message(OpenRecord(kind, record_id))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        option_id = event.option.id
        if option_id and ":" in option_id:
            kind, record_id = option_id.split(":", 1)
            self.post_message(OpenRecord(kind, record_id))

    def action_article(self) -> None:
        self.post_message(OpenArticle(self.kind, self.record_id))

    def action_switch(self) -> None:
        """`tab`: from the links to the page and back."""
        links = self.query_one("#links", OptionList)
        body = self.query_one("#detail-body", VerticalScroll)
        if links.has_focus:
            body.focus()
        else:
            links.focus()

    def _body(self) -> VerticalScroll:
        return self.query_one("#detail-body", VerticalScroll)

    def action_line(self, step: int) -> None:
        links = self.query_one("#links", OptionList)
        if links.has_focus:
            links.action_cursor_down() if step > 0 else links.action_cursor_up()
        else:
            self._body().scroll_relative(y=step, animate=False)

    def action_page(self, step: int) -> None:
        body = self._body()
        body.scroll_relative(y=step * max(1, body.scrollable_content_region.height - 1), animate=False)

    def action_half(self, step: int) -> None:
        body = self._body()
        body.scroll_relative(y=step * max(1, body.scrollable_content_region.height // 2), animate=False)

    def action_home(self) -> None:
        self._body().scroll_home(animate=False)

    def action_end(self) -> None:
        self._body().scroll_end(animate=False)
