"""The header (relation, as-of date, article count) and the status line."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.widgets import Static

from tui.ui.view import clean


class AppHeader(Static):
    DEFAULT_CSS = """
    AppHeader { dock: top; height: 1; background: $panel; color: $foreground; padding: 0 1; }
    """

    def on_mount(self) -> None:
        self.update(Text.assemble(("tui", "bold"), ("  ·  reading the config…", "dim")))

    def show_problem(self) -> None:
        self.update(
            Text.assemble(("tui", "bold"), ("  ·  nothing loaded yet: see the status line", "dim"))
        )

    def show(self, relation: str | None, as_of: str | None, documents: int | None) -> None:
        text = Text()
        text.append(clean(relation) if relation else "tui", style="bold")
        if as_of is not None or documents is not None:
            text.append("  ·  as of ", style="dim")
            text.append(as_of or "unknown")
            text.append("  ·  ", style="dim")
            n = documents or 0
            text.append(f"{n} article{'s' if n != 1 else ''}")
        self.update(text)


@dataclass(frozen=True)
class Status:
    """Everything the status line says, as one value the app replaces."""

    activity: str = "starting…"
    error: str | None = None
    pipeline: str = ""
    warnings: tuple[str, ...] = ()
    read: int = 0
    skipped: int = 0
    updated: str | None = None  # time of the last picture, HH:MM:SS
    feeds: str = ""  # the feeds' health, when there are feeds
    feeds_failing: bool = False


class StatusLine(Static):
    """Pipeline, articles read and skipped, last update, the latest error.

    Every screen has one; the app hands each the same `Status`."""

    DEFAULT_CSS = """
    StatusLine { height: 1; background: $panel; color: $text-muted; padding: 0 1; }
    StatusLine.error { background: $error 30%; color: $foreground; }
    """

    def __init__(self, status: Status | None = None, **kwargs: Any) -> None:
        super().__init__("", markup=False, **kwargs)
        self.status = status or Status()

    def on_mount(self) -> None:
        self.show(self.status)

    def show(self, status: Status) -> None:
        self.status = status
        parts: list[Text] = []
        if status.error:
            parts.append(Text.assemble(("✖ ", "bold"), (clean(status.error), "bold")))
        if status.activity:
            parts.append(Text(clean(status.activity), style="bold"))
        if status.feeds:
            parts.append(Text(clean(status.feeds), style="bold yellow" if status.feeds_failing else ""))
        if status.pipeline:
            if status.warnings:  # one line: the first warning, and how many more `tui doctor` lists
                warning = Text(f"⚠ {clean(status.warnings[0])}", style="bold")
                if len(status.warnings) > 1:
                    warning.append(f" (+{len(status.warnings) - 1} more: tui doctor)")
                parts.append(warning)
            parts.append(Text(clean(status.pipeline)))
        if status.updated:
            parts.append(Text(f"{status.read} read, {status.skipped} skipped"))
            parts.append(Text(f"updated {status.updated}"))
        text = Text("  ·  ", style="dim", no_wrap=True, overflow="ellipsis").join(parts)
        text.no_wrap, text.overflow = True, "ellipsis"
        self.set_class(bool(status.error), "error")
        self.update(text)


class Preview(Static):
    """The cursor row in full, under the panes (as lazygit and harlequin do)."""

    DEFAULT_CSS = """
    Preview { height: auto; max-height: 3; padding: 0 1; background: $boost; }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__("", markup=False, **kwargs)

    def show(self, text: Text | None) -> None:
        shown = text or Text("")
        shown.no_wrap, shown.overflow = False, "ellipsis"
        self.update(shown)
