"""The watchlist inbox (`w`): actors the articles mention often but the watchlist
lacks, and issues they raise that no issue pattern matches.

`InboxScreen` lists the suggestions (tui/inbox.py), actors or issues (`tab`
switches), with the evidence of the highlighted one; `enter` shows every
sentence it comes from; `a` opens `EntryForm`, pre-filled with the name,
aliases, role and side read from the text (`IssueForm` for an issue: id,
label and patterns), and saving adds the entry to config.yaml
(tui/config_edit.py) without touching the rest of the file; `x` dismisses a
suggestion for good. When the config changed on disk since the form opened,
`ConfirmScreen` asks before anything is written. Live reload does the rest.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, DataTable, Footer, Input, Label, Select, Static

from tui.inbox import (
    Dismissed,
    IssueSuggestion,
    Suggestion,
    actor_suggestions,
    dismissed_path,
    issue_suggestions,
    slug_id,
)
from tui.ui.messages import AddToWatchlist, DismissSuggestion
from tui.ui.view import clean
from tui.ui.widgets.bars import StatusLine
from tui.ui.widgets.pane import cursor_key

NO_SIDE = "(not known)"
COLUMNS = (("name", "Name"), ("kind", "Kind"), ("role", "Role"), ("side", "Side"), ("mentions", "#"), ("docs", "Art"))
ISSUE_COLUMNS = (("label", "Issue"), ("raised", "Raised with"), ("mentions", "#"), ("docs", "Art"))
MODES = ("actors", "issues")


def column_widths(width: int, mode: str = "actors") -> dict[str, int]:
    """Name and role (an issue's label and who raises it) share what the fixed
    columns leave (each column pads one cell a side)."""
    if mode == "issues":
        fixed = {"mentions": 4, "docs": 3}
        room = max(20, width - sum(fixed.values()) - 2 * len(ISSUE_COLUMNS) - 2)
        label = max(12, min(40, room * 2 // 5))
        return {"label": label, "raised": max(8, min(100, room - label)), **fixed}
    fixed = {"kind": 4, "side": 14, "mentions": 4, "docs": 3}
    room = max(20, width - sum(fixed.values()) - 2 * len(COLUMNS) - 2)
    name = max(12, min(40, room * 2 // 5))
    return {"name": name, "role": max(8, min(72, room - name)), **fixed}


def dismissed_of(app: Any) -> Dismissed:
    """The app's dismissed suggestions, read from the state folder on first use."""
    state = getattr(app, "dismissed", None)
    if state is None:
        state = Dismissed.load(dismissed_path(app.config_path))
        app.dismissed = state
    return state


def config_of(app: Any) -> Any:
    engine = getattr(app, "engine", None)
    loaded = getattr(engine, "loaded", None)
    return loaded.config if loaded is not None else None


class InboxTable(DataTable):
    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="inbox-down"),
        Binding("k", "cursor_up", "Up", show=False, id="inbox-up"),
        Binding("g", "scroll_top", "Top", show=False, id="inbox-top"),
        Binding("G", "scroll_bottom", "Bottom", show=False, id="inbox-bottom"),
    ]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, cursor_foreground_priority="css", **kwargs)


class InboxScreen(Screen[None]):
    """Suggestions best first, actors or issues; the highlighted one's forms and evidence below."""

    HELP_TOPIC = "inbox"
    BINDINGS = [
        Binding("tab,i", "switch", "Actors/Issues", key_display="tab", id="inbox-switch"),
        Binding("shift+tab", "switch", "Actors/Issues", show=False, id="inbox-switch-back"),
        Binding("a", "add", "Add to config", id="inbox-add"),
        Binding("x", "dismiss_suggestion", "Dismiss", id="inbox-dismiss"),
        Binding("escape", "back", "Back", id="inbox-back"),
        Binding("q", "back", "Back", show=False, id="inbox-back-q"),
    ]

    DEFAULT_CSS = """
    InboxScreen { layout: vertical; }
    InboxScreen #inbox-title { height: 1; background: $panel; padding: 0 1; }
    InboxScreen InboxTable { height: 1fr; background: transparent; scrollbar-gutter: stable; }
    InboxScreen #inbox-evidence { height: auto; max-height: 45%; padding: 0 1; background: $boost; }
    """

    def __init__(self, snapshot: Any = None) -> None:
        super().__init__()
        self.snapshot = snapshot
        self.suggestions: list[Suggestion] = []
        self.issues: list[IssueSuggestion] = []
        self.mode = "actors"  # which list the table shows
        self.hidden: set[str] = set()  # added this session, until the reload drops them

    def compose(self) -> ComposeResult:
        yield Static("", id="inbox-title", markup=False)
        yield InboxTable(id="inbox-table")
        yield Static("", id="inbox-evidence", markup=False)
        yield StatusLine(getattr(self.app, "status", None), id="inbox-status")
        yield Footer()

    @property
    def table(self) -> InboxTable:
        return self.query_one("#inbox-table", InboxTable)

    @property
    def shown(self) -> list[Any]:
        return self.issues if self.mode == "issues" else self.suggestions

    @property
    def current(self) -> Any:
        """The highlighted Suggestion (or IssueSuggestion), or None."""
        key = cursor_key(self.table)
        return next((s for s in self.shown if s.key == key), None)

    def on_mount(self) -> None:
        self._columns()
        self.redraw()
        self.table.focus()

    def _columns(self) -> None:
        table = self.table
        table.clear(columns=True)
        widths = column_widths(self.size.width or self.app.size.width, self.mode)
        for key, label in ISSUE_COLUMNS if self.mode == "issues" else COLUMNS:
            table.add_column(Text(label, style="bold"), key=key, width=widths[key])

    def action_switch(self) -> None:
        self.mode = MODES[(MODES.index(self.mode) + 1) % len(MODES)]
        try:
            self._columns()
        except Exception as exc:
            self.app.display_failed("the watchlist inbox", exc)  # type: ignore[attr-defined]
        self.redraw()

    def on_resize(self) -> None:
        widths = column_widths(self.size.width or self.app.size.width, self.mode)
        for column in self.table.columns.values():
            column.width = widths.get(str(column.key.value), column.width)
            column.auto_width = False
        self.table.refresh(layout=True)

    def show_snapshot(self, snapshot: Any, ctx: Any, seeds_dir: Any) -> None:
        """The app hands every screen each new picture."""
        self.snapshot = snapshot
        self.redraw()

    def hide(self, key: str) -> None:
        self.hidden.add(key)
        self.redraw()

    def redraw(self) -> None:
        try:
            self._draw()
        except Exception as exc:  # no data may end the app
            self.app.display_failed("the watchlist inbox", exc)  # type: ignore[attr-defined]

    def _draw(self) -> None:
        app: Any = self.app
        dismissed = dismissed_of(app)
        gone = dismissed.keys | self.hidden
        self.suggestions = actor_suggestions(self.snapshot, config_of(app), gone)
        self.issues = issue_suggestions(self.snapshot, config_of(app), gone)
        found = self.shown
        table = self.table
        keep_key, keep_row = cursor_key(table), table.cursor_row
        with app.batch_update():
            table.clear()
            for s in found:
                table.add_row(*self._cells(s), key=s.key)
            if found:
                order = [s.key for s in found]
                index = order.index(keep_key) if keep_key in order else min(keep_row, len(order) - 1)
                table.move_cursor(row=index, animate=False)
        title = Text(no_wrap=True, overflow="ellipsis")
        title.append("Watchlist inbox", style="bold")
        for mode, label, many in (("actors", "Actors", self.suggestions), ("issues", "Issues", self.issues)):
            title.append("  ")
            title.append(f" {label} {len(many)} ", style="reverse bold" if mode == self.mode else "dim")
        title.append("  tab switches", style="dim")
        if dismissed.keys:
            title.append(f", {len(dismissed.keys)} dismissed", style="dim")
        self.query_one("#inbox-title", Static).update(title)
        self._show_evidence()

    def _cells(self, s: Any) -> tuple[Text, ...]:
        if isinstance(s, IssueSuggestion):
            return (
                Text(clean(s.label), overflow="ellipsis", no_wrap=True),
                Text(clean(", ".join(s.actors)), overflow="ellipsis", no_wrap=True),
                Text(str(s.mentions), justify="right"),
                Text(str(len(s.docs)), justify="right"),
            )
        return (
            Text(clean(s.name), overflow="ellipsis", no_wrap=True),
            Text(s.kind[:3] + ("." if s.kind != "person" else ""), style="dim"),
            Text(clean(s.role or ""), overflow="ellipsis", no_wrap=True),
            Text(clean(s.side or "?"), style="" if s.side else "dim", overflow="ellipsis", no_wrap=True),
            Text(str(s.mentions), justify="right"),
            Text(str(len(s.docs)), justify="right"),
        )

    def _show_evidence(self) -> None:
        s = self.current
        box = self.query_one("#inbox-evidence", Static)
        if s is None:
            if self.snapshot is None:
                box.update(Text("Waiting for the first extraction…", style="dim"))
            elif self.mode == "issues":
                box.update(
                    Text(
                        "No issue to suggest: no phrase raised in conflictual sentences of two articles "
                        "is left outside the issues (or it was dismissed).",
                        style="dim",
                    )
                )
            else:
                box.update(Text("Nothing to suggest: every actor found is on the watchlist or dismissed.", style="dim"))
            return
        if isinstance(s, IssueSuggestion):
            box.update(issue_summary(s))
            return
        text = Text()
        text.append(clean(s.name), style="bold")
        facts = ", ".join(x for x in (s.role, s.side) if x)
        if facts:
            text.append(f"  {clean(facts)}")
        text.append(f"  {s.mentions} mention(s) in {len(s.docs)} article(s)", style="dim")
        if s.aliases:
            text.append("\nseen as: ", style="dim")
            text.append(clean(", ".join(s.aliases)))
        for e in s.evidence[:3]:
            text.append(f"\n{clean(e.doc)}: ", style="dim")
            text.append(clean(" ".join(e.sentence.split())))
        box.update(text)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        try:
            self._show_evidence()
        except Exception as exc:
            self.app.display_failed("the suggestion's evidence", exc)  # type: ignore[attr-defined]

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        s = self.current
        if s is not None:
            self.app.push_screen(EvidenceScreen(s))

    def action_back(self) -> None:
        if self.is_current:
            self.dismiss()

    def action_add(self) -> None:
        s = self.current
        if s is None:
            self.app.notify("Nothing to add.", severity="warning", markup=False)
            return
        from tui.config_edit import ConfigVersion, EditError

        app: Any = self.app
        try:
            base = ConfigVersion.read(app.config_path)
        except EditError as exc:
            app.notify(str(exc), severity="error", markup=False)
            return
        config = config_of(app)
        if isinstance(s, IssueSuggestion):
            ids = {i.id for i in config.issues} if config is not None else set()
            app.push_screen(IssueForm(s, ids, base))
            return
        if config is not None:
            parties = [p.name for p in config.parties]
        else:
            parties = list(getattr(self.snapshot, "parties", ()))
        app.push_screen(EntryForm(s, parties, base))

    def action_dismiss_suggestion(self) -> None:
        s = self.current
        if s is not None:
            self.post_message(DismissSuggestion(s.key, s.name))


class _Form(ModalScreen[None]):
    """What the entry forms share: keys, layout, the error line, the buttons."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="entry-save"),
        Binding("escape", "cancel", "Cancel", id="entry-cancel"),
    ]

    DEFAULT_CSS = """
    _Form { align: center middle; }
    _Form > Vertical { width: 84; max-width: 100%; height: auto; max-height: 100%;
        border: round $accent; background: $surface; padding: 0 1; }
    _Form Grid { grid-size: 2; grid-columns: 9 1fr; grid-rows: 1; grid-gutter: 0 1; height: auto;
        margin-top: 1; }
    _Form Label { color: $text-muted; }
    _Form Input, _Form Select { width: 100%; }
    _Form #entry-hint { color: $text-muted; height: auto; margin-top: 1; }
    _Form #entry-error { color: $error; height: auto; }
    _Form #entry-buttons { height: 1; margin-top: 1; align-horizontal: right; }
    _Form Button { margin-left: 2; }
    """

    def footer(self, hint: str) -> ComposeResult:
        """Under the fields: the hint, the line for what went wrong, Save and Cancel."""
        yield Static(Text(hint), id="entry-hint")
        yield Static("", id="entry-error", markup=False)
        with Horizontal(id="entry-buttons"):
            yield Button("Save", variant="primary", id="entry-save-button", compact=True)
            yield Button("Cancel", id="entry-cancel-button", compact=True)

    def show_error(self, message: str) -> None:
        self.query_one("#entry-error", Static).update(Text(message))

    def action_save(self) -> None:
        raise NotImplementedError

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "entry-save-button":
            self.action_save()
        else:
            self.action_cancel()


class EntryForm(_Form):
    """The watchlist entry a suggestion makes, editable before it is saved."""

    HELP_TOPIC = "entry"

    def __init__(self, suggestion: Suggestion, parties: list[str], base: Any) -> None:
        super().__init__()
        self.suggestion = suggestion
        self.parties = parties
        self.base = base

    def compose(self) -> ComposeResult:
        s = self.suggestion
        sides = [(p, p) for p in self.parties] + [("other", "other"), (NO_SIDE, NO_SIDE)]
        side = s.side if s.side in {*self.parties, "other"} else NO_SIDE
        kind = s.kind if s.kind in ("person", "organization") else "person"
        with Vertical() as box:
            box.border_title = "Add to the watchlist (config.yaml)"
            box.border_subtitle = "ctrl+s save · esc cancel"
            with Grid():
                yield Label("Name")
                yield Input(s.name, id="entry-name", compact=True)
                yield Label("Aliases")
                yield Input(", ".join(s.aliases), id="entry-aliases", compact=True)
                yield Label("Role")
                yield Input(s.role or "", id="entry-role", compact=True)
                yield Label("Side")
                yield Select(sides, value=side, allow_blank=False, id="entry-side", compact=True)
                yield Label("Kind")
                yield Select(
                    [("person", "person"), ("organization", "organization")],
                    value=kind,
                    allow_blank=False,
                    id="entry-kind",
                    compact=True,
                )
            yield from self.footer(
                "Aliases: the other forms the text uses, separated by commas. "
                "Only this entry is added to the file; its comments and layout stay as they are."
            )

    def on_mount(self) -> None:
        self.query_one("#entry-name", Input).focus()

    def entry(self) -> dict[str, Any]:
        """The entry as the form holds it, with config.yaml's keys."""
        name = " ".join(self.query_one("#entry-name", Input).value.split())
        aliases = [" ".join(a.split()) for a in self.query_one("#entry-aliases", Input).value.split(",")]
        aliases = [a for a in dict.fromkeys(aliases) if a and a.casefold() != name.casefold()]
        role = " ".join(self.query_one("#entry-role", Input).value.split())
        side = self.query_one("#entry-side", Select).value
        kind = self.query_one("#entry-kind", Select).value
        out: dict[str, Any] = {"name": name}
        if aliases:
            out["aliases"] = aliases
        if role:
            out["role"] = role
        if isinstance(side, str) and side != NO_SIDE:
            out["side"] = side
        if kind != "person":
            out["kind"] = kind
        return out

    def action_save(self) -> None:
        entry = self.entry()
        if not entry["name"]:
            self.show_error("A name is needed.")
            return
        self.show_error("")
        self.post_message(AddToWatchlist(entry, self.base, self.suggestion.key))


def issue_summary(s: IssueSuggestion, sentences: int = 3) -> Text:
    """An issue suggestion's facts, forms and first sentences (untrusted text stays text)."""
    text = Text()
    text.append(clean(s.label), style="bold")
    text.append(f"  {s.mentions} mention(s) in {len(s.docs)} article(s)", style="dim")
    if len(s.patterns) > 1:
        text.append("\nseen as: ", style="dim")
        text.append(clean(", ".join(s.patterns)))
    if s.actors:
        text.append("\nraised with: ", style="dim")
        text.append(clean(", ".join(s.actors[:8])))
    seen: set[tuple[str, int]] = set()
    for e in s.evidence:
        if (e.doc, e.sent_start) in seen:
            continue  # the phrase twice in one sentence
        seen.add((e.doc, e.sent_start))
        if len(seen) > sentences:
            break
        text.append(f"\n{clean(e.doc)}: ", style="dim")
        text.append(clean(" ".join(e.sentence.split())))
    return text


def evidence_text(s: Any) -> Text:
    """Every sentence a suggestion comes from, its words highlighted."""
    text = Text()
    title = s.label if isinstance(s, IssueSuggestion) else s.name
    text.append(clean(title), style="bold")
    text.append(f"  {s.mentions} mention(s) in {len(s.docs)} article(s)", style="dim")
    sentences: dict[tuple[str, int], list[Any]] = {}
    for e in s.evidence:  # each sentence once, with every mention in it marked
        sentences.setdefault((e.doc, e.sent_start), []).append(e)
    for (doc, _), found in sentences.items():
        sentence = clean(found[0].sentence)
        text.append(f"\n\n{clean(doc)}\n", style="dim")
        line = Text(sentence)
        for e in found:
            at, to = e.start - e.sent_start, e.end - e.sent_start
            if 0 <= at < to <= len(sentence):
                line.stylize("bold reverse", at, to)
        text.append_text(line)
    if not s.evidence:
        text.append("\n\nNo sentence kept.", style="dim")
    return text


class EvidenceScreen(ModalScreen[None]):
    """`enter` on a suggestion: every sentence it comes from."""

    HELP_TOPIC = "evidence"
    BINDINGS = [
        Binding("escape,q,enter", "close", "Back", id="evidence-back"),
        Binding("j", "scroll(1)", "Down", show=False, id="evidence-down"),
        Binding("k", "scroll(-1)", "Up", show=False, id="evidence-up"),
    ]

    DEFAULT_CSS = """
    EvidenceScreen { align: center middle; }
    EvidenceScreen > VerticalScroll { width: 100; max-width: 100%; height: auto; max-height: 100%;
        border: round $accent; background: $surface; padding: 0 1; }
    """

    def __init__(self, suggestion: Any) -> None:
        super().__init__()
        self.suggestion = suggestion

    def compose(self) -> ComposeResult:
        with VerticalScroll() as box:
            box.border_title = "Evidence"
            box.border_subtitle = "esc back"
            yield Static(evidence_text(self.suggestion), id="evidence-text")

    def action_close(self) -> None:
        self.dismiss(None)

    def action_scroll(self, step: int) -> None:
        self.query_one(VerticalScroll).scroll_relative(y=step, animate=False)


class IssueForm(_Form):
    """The `issues:` entry an issue suggestion makes, editable before it is saved."""

    HELP_TOPIC = "issue-entry"

    def __init__(self, suggestion: IssueSuggestion, taken_ids: set[str], base: Any) -> None:
        super().__init__()
        self.issue = suggestion
        self.base = base
        self.taken_ids = taken_ids

    def compose(self) -> ComposeResult:
        s = self.issue
        with Vertical() as box:
            box.border_title = "Add to the issues (config.yaml)"
            box.border_subtitle = "ctrl+s save · esc cancel"
            with Grid():
                yield Label("Id")
                yield Input(slug_id(s.label, self.taken_ids), id="entry-id", compact=True)
                yield Label("Label")
                yield Input(s.label, id="entry-label", compact=True)
                yield Label("Patterns")
                yield Input(", ".join(s.patterns), id="entry-patterns", compact=True)
            yield from self.footer(
                "Patterns: the words that raise this issue in an article, separated by commas "
                "(case does not matter). Only this entry is added to the file; its comments and "
                "layout stay as they are."
            )

    def on_mount(self) -> None:
        self.query_one("#entry-label", Input).focus()

    def entry(self) -> dict[str, Any]:
        issue_id = "".join(self.query_one("#entry-id", Input).value.split())
        label = " ".join(self.query_one("#entry-label", Input).value.split())
        patterns = [" ".join(p.split()) for p in self.query_one("#entry-patterns", Input).value.split(",")]
        kept: list[str] = []
        for p in patterns:
            if p and p.casefold() not in {k.casefold() for k in kept}:
                kept.append(p)
        return {"id": issue_id, "label": label, "patterns": kept}

    def action_save(self) -> None:
        entry = self.entry()
        missing = [name for name in ("id", "label", "patterns") if not entry[name]]
        if missing:
            self.show_error(f"Needed: {', '.join(missing)}.")
            return
        self.show_error("")
        self.post_message(AddToWatchlist(entry, self.base, self.issue.key, section="issues"))


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question; the answer goes to the callback of push_screen."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm-yes"),
        Binding("n", "answer(False)", "No", id="confirm-no"),
        Binding("escape", "answer(False)", "No", show=False, id="confirm-escape"),
    ]

    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; }
    ConfirmScreen > Vertical { width: 72; max-width: 100%; height: auto;
        border: round $warning; background: $surface; padding: 1 2; }
    ConfirmScreen #confirm-buttons { height: 1; margin-top: 1; align-horizontal: right; }
    ConfirmScreen Button { margin-left: 2; }
    """

    def __init__(self, question: str, yes: str, no: str) -> None:
        super().__init__()
        self.question, self.yes, self.no = question, yes, no

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "The config changed"
            yield Static(Text(self.question))
            with Horizontal(id="confirm-buttons"):
                yield Button(f"{self.yes} (y)", variant="warning", id="confirm-yes-button", compact=True)
                yield Button(f"{self.no} (n)", id="confirm-no-button", compact=True)

    def on_mount(self) -> None:
        self.query_one("#confirm-no-button", Button).focus()

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "confirm-yes-button")


# --- what the app does with the messages above ---------------------------------------


def save_entry(app: Any, message: AddToWatchlist, force: bool = False) -> None:
    """Add the form's entry to config.yaml; ask first when the file changed meanwhile."""
    from tui.config_edit import ChangedOnDisk, EditError, add_to_config

    form = next((s for s in reversed(app.screen_stack) if isinstance(s, _Form)), None)
    name = message.entry.get("name") or message.entry.get("label") or message.entry.get("id", "")
    try:
        saved = add_to_config(app.config_path, message.base, message.section, message.entry, force=force)
    except ChangedOnDisk:

        def answered(yes: bool | None) -> None:
            if yes:
                save_entry(app, message, force=True)
            elif form is not None:
                form.show_error("Not saved: the config changed outside tui; nothing was written.")

        app.push_screen(
            ConfirmScreen(
                f"{app.config_path} was changed outside tui since this form opened (in an editor?). "
                f"Add {name} to the file as it is now? Nothing else in it is changed.",
                "Add to it",
                "Cancel",
            ),
            answered,
        )
        return
    except EditError as exc:
        if form is not None:
            form.show_error(str(exc))
        else:
            app.notify(str(exc), severity="error", markup=False)
        return
    if form is not None and form.is_current:
        form.dismiss(None)
    for screen in app.screen_stack:
        if isinstance(screen, InboxScreen):
            screen.hide(message.key)
    app.notify(
        clean(f"Added {name} to {saved.path} (the previous version is {saved.backup.name})"),
        timeout=4,
        markup=False,
    )
    app.config_edited()


def dismiss_suggestion(app: Any, message: DismissSuggestion) -> None:
    state = dismissed_of(app)
    problem = state.add(message.key)
    for screen in app.screen_stack:
        if isinstance(screen, InboxScreen):
            screen.redraw()
    if problem:
        app.notify(problem, severity="warning", markup=False)
    else:
        app.notify(clean(f"Dismissed {message.name}: it will not be suggested again"), timeout=3, markup=False)
