"""The header (relation, as-of date, article count) and the status line."""

from __future__ import annotations

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


class StatusLine(Static):
    """Pipeline, articles read and skipped, last update, the latest error."""

    DEFAULT_CSS = """
    StatusLine { height: 1; background: $panel; color: $text-muted; padding: 0 1; }
    StatusLine.error { background: $error 30%; color: $foreground; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__("", markup=False, **kwargs)
        self.pipeline = ""
        self.read = 0
        self.skipped = 0
        self.updated: str | None = None
        self.activity = "starting…"
        self.error: str | None = None
        self.warnings: tuple[str, ...] = ()

    def on_mount(self) -> None:
        self.render_status()

    def render_status(self) -> None:
        parts: list[Text] = []
        if self.error:
            parts.append(Text.assemble(("✖ ", "bold"), (clean(self.error), "bold")))
        if self.activity:
            parts.append(Text(clean(self.activity), style="bold"))
        if self.pipeline:
            pipeline = Text(clean(self.pipeline))
            for warning in self.warnings:
                pipeline.append(f" ⚠ {clean(warning)}", style="bold")
            parts.append(pipeline)
        if self.updated:
            parts.append(Text(f"{self.read} read, {self.skipped} skipped"))
            parts.append(Text(f"updated {self.updated}"))
        text = Text("  ·  ", style="dim", no_wrap=True, overflow="ellipsis").join(parts)
        text.no_wrap, text.overflow = True, "ellipsis"
        self.set_class(bool(self.error), "error")
        self.update(text)
