"""The dashboard app: owns the snapshot, runs refreshes in a thread, reacts to the watcher.

First paint never waits for spaCy: `tui.engine` (and with it spaCy and the
config models) is imported inside the refresh worker. Each refresh carries a
generation number; a newer request supersedes an older one (the older thread
stops at its next document) and results from stale generations are dropped.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.worker import get_current_worker

from tui.ui import view
from tui.ui.messages import FilesChanged, RefreshFailed, RefreshProgress, SnapshotReady
from tui.ui.screens.dashboard import DashboardScreen
from tui.ui.screens.detail import DetailScreen
from tui.ui.screens.help import HelpScreen

PROGRESS_INTERVAL = 0.1  # seconds between progress messages from the worker


class SessionCache:
    """Per-document results kept in memory for this session, in front of the
    on-disk store when there is one, so a change re-extracts only what changed."""

    def __init__(self, backing: Any | None = None) -> None:
        self.backing = backing
        self._results: dict[tuple[str, str, str], Any] = {}

    def get(self, content_hash: str, config_hash: str, pipeline_key: str) -> Any | None:
        key = (content_hash, config_hash, pipeline_key)
        result = self._results.get(key)
        if result is None and self.backing is not None:
            result = self.backing.get(content_hash, config_hash, pipeline_key)
            if result is not None:
                self._results[key] = result
        return result

    def put(self, content_hash: str, config_hash: str, pipeline_key: str, result: Any) -> None:
        self._results[(content_hash, config_hash, pipeline_key)] = result
        if self.backing is not None:
            self.backing.put(content_hash, config_hash, pipeline_key, result)


class DashboardApp(App[int]):
    CSS_PATH = Path(__file__).with_name("app.tcss")  # absolute, so subclasses elsewhere find it
    TITLE = "tui"
    ENABLE_COMMAND_PALETTE = True

    BINDINGS = [
        Binding("r", "reload", "Reload", id="reload"),
        Binding("question_mark", "help", "Help", id="help"),
        Binding("f1", "help", "Help", show=False, id="help-f1"),
        Binding("q", "quit", "Quit", id="quit"),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True, id="quit-ctrl"),
    ]

    def __init__(
        self,
        config_path: Path,
        seeds: Path | None = None,
        *,
        watch: bool = True,
        use_cache: bool = True,
        engine: Any | None = None,
        cache: Any | None = None,
        clock: Callable[[], datetime] = datetime.now,
    ) -> None:
        super().__init__()
        self.config_path = Path(config_path)
        self.seeds_override = Path(seeds) if seeds is not None else None
        self.watch_files = watch
        self.use_cache = use_cache
        self.engine = engine
        self._cache_given = cache
        self._store: Any | None = None
        self.clock = clock
        self.snapshot: Any | None = None
        self.view_context = view.ViewContext()
        self.seeds_dir: Path | None = self.seeds_override
        self.show_past = False
        self.error: str | None = None
        self.generation = 0
        self.update_count = 0  # snapshots applied (and failures shown), for tests and benches
        self.applied_generation = 0  # the refresh whose snapshot is on screen
        self.last_extracted = 0
        self._changed = asyncio.Event()
        self._watcher: Any | None = None
        self._pending_config_change = False
        self._cache_warning: str | None = None
        self.dashboard = DashboardScreen()

    # --- lifecycle -------------------------------------------------------

    def get_default_screen(self) -> Screen:
        return self.dashboard

    def on_mount(self) -> None:
        self.call_after_refresh(self.request_refresh, "start")

    def on_unmount(self) -> None:
        if self._watcher is not None:
            self._watcher.stop()

    # --- refresh -----------------------------------------------------------

    def request_refresh(self, reason: str = "reload") -> None:
        """Start a refresh; any running one is superseded."""
        self.generation += 1
        generation = self.generation
        self.run_worker(
            lambda: self._refresh_in_thread(generation),
            thread=True,
            exclusive=True,
            group="refresh",
            exit_on_error=False,
            description=f"refresh #{generation} ({reason})",
        )

    def _make_engine(self) -> Any:
        from tui.engine import Engine

        backing = self._cache_given
        if backing is None and self.use_cache:
            try:
                from tui.store import open_store
            except ImportError:
                backing = None
            else:
                try:
                    backing = open_store(self.config_path)
                except Exception as exc:  # the store says what went wrong; the app runs without it
                    self._cache_warning = f"cache unavailable: {exc}"
                    backing = None
        self._store = backing
        return Engine(self.config_path, seeds_dir=self.seeds_override, cache=SessionCache(backing))

    def _refresh_in_thread(self, generation: int) -> None:
        worker = get_current_worker()

        def cancelled() -> bool:
            return worker.is_cancelled or generation != self.generation

        last = [0.0]

        def progress(done: int, total: int, what: str) -> None:
            now = time.monotonic()
            if total and done not in (0, total) and now - last[0] < PROGRESS_INTERVAL:
                return
            last[0] = now
            self.post_message(RefreshProgress(generation, done, total, what))

        try:
            self.post_message(
                RefreshProgress(generation, 0, 0, "loading spaCy and reading the config")
            )
            if self.engine is None:
                self.engine = self._make_engine()
            from tui.config import ConfigError
            from tui.engine import Cancelled

            engine = self.engine
            try:
                snapshot = engine.refresh(progress=progress, cancelled=cancelled)
            except Cancelled:
                return
            except ConfigError as exc:
                self.post_message(RefreshFailed(generation, str(exc), "config"))
                return
            except FileNotFoundError:
                seeds = engine.seeds_dir if engine.loaded is not None else self.seeds_override
                self.post_message(
                    RefreshFailed(generation, f"{seeds}: seeds folder not found", "seeds")
                )
                return
            config = engine.loaded.config
            colors = {party.name: config.party_color(party.name) for party in config.parties}
            stats = engine.last_stats
            self.post_message(
                SnapshotReady(
                    generation, snapshot, colors, engine.seeds_dir, stats.extracted, stats.cached
                )
            )
        except Exception as exc:  # keep the last good picture; say what broke in one line
            self.post_message(
                RefreshFailed(generation, f"refresh failed: {type(exc).__name__}: {exc}")
            )

    def on_refresh_progress(self, message: RefreshProgress) -> None:
        if message.generation != self.generation:
            return
        if message.total:
            activity = f"extracting {message.done}/{message.total}"
        else:
            activity = f"{message.what}…"
        self._status(activity=activity)

    def on_snapshot_ready(self, message: SnapshotReady) -> None:
        if message.generation != self.generation:
            return  # a newer refresh is on its way
        old = self.snapshot
        self.snapshot = message.snapshot
        self.applied_generation = message.generation
        self.seeds_dir = Path(message.seeds_dir)
        self.last_extracted = message.extracted
        self.view_context = view.ViewContext(colors=message.colors, show_past=self.show_past)
        self.error = None
        self._render_snapshot()
        summary = view.change_summary(old, self.snapshot)
        if self._pending_config_change and old is not None:
            summary = "config reloaded" + (f"; {summary}" if summary else "")
        self._pending_config_change = False
        if summary:
            self.notify(summary, timeout=4, markup=False)
        self._ensure_watcher()
        self._signal()

    def on_refresh_failed(self, message: RefreshFailed) -> None:
        if message.generation != self.generation:
            return
        self.error = message.error
        self._status(activity="")
        if self.snapshot is None:
            self.dashboard.query_one("#header").show_problem()
            for pane in self.dashboard.panes:
                if message.kind == "seeds":
                    pane.set_message(
                        f"{message.error}. Create it and drop articles (.txt, .md) in it, "
                        "or start with --seeds DIR."
                    )
                else:
                    pane.set_message(f"Nothing to show until this is fixed: {message.error}")
            self._focus_first_pane()
        self._ensure_watcher()
        self._signal()

    def on_files_changed(self, message: FilesChanged) -> None:
        if message.config:
            self._pending_config_change = True
        self.request_refresh("config changed" if message.config else "seeds changed")

    # --- rendering ---------------------------------------------------------

    def display_failed(self, what: str, exc: BaseException) -> None:
        """No data may end the app: a display error is one line in the status
        bar, and what was on screen stays."""
        self.error = f"could not show {what}: {type(exc).__name__}: {str(exc)[:120]}"
        try:
            self._status()
        except Exception:  # the status line itself failed: nothing more to show
            pass

    def _render_snapshot(self) -> None:
        try:
            self._render_snapshot_unguarded()
        except Exception as exc:
            self.display_failed("the new picture", exc)

    def _render_snapshot_unguarded(self) -> None:
        snap = self.snapshot
        if snap is None:
            return
        read = sum(1 for d in snap.documents if d.status == "ok")
        with self.batch_update():
            self.dashboard.query_one("#header").show(snap.relation, snap.as_of, read)
            for pane in self.dashboard.panes:
                if not read:
                    empty = (
                        f"No articles in {self.seeds_dir}. "
                        "Drop .txt, .md, .html or .jsonl files there; they show up here."
                    )
                elif pane.kind == "engagement" and not self.show_past and snap.engagements:
                    empty = "No upcoming engagements (press p to show past ones)."
                else:
                    empty = f"No {view.PANE_TITLES[pane.kind].lower()} found in {read} article(s)."
                pane.set_rows(view.rows_for(pane.kind, snap, self.view_context), empty)
            self._status(activity="")
            self._focus_first_pane()
            for screen in self.screen_stack:
                if isinstance(screen, DetailScreen):
                    screen.refresh_record()

    def _focus_first_pane(self) -> None:
        """The tables arrive with the first picture; give the first one focus then."""
        if self.dashboard.focused is None:
            self.dashboard.panes[0].focus_table()

    def _status(self, activity: str | None = None) -> None:
        status = self.dashboard.query_one("#status")
        snap = self.snapshot
        if snap is not None:
            status.pipeline = snap.pipeline
            warnings = tuple(snap.warnings)
            if self._cache_warning:
                warnings += (self._cache_warning,)
            warnings += tuple(getattr(self._store, "warnings", ()) or ())
            status.warnings = warnings
            status.read = sum(1 for d in snap.documents if d.status == "ok")
            status.skipped = sum(1 for d in snap.documents if d.status != "ok")
        if activity is not None:
            status.activity = activity
            if not activity and snap is not None:
                status.updated = self.clock().strftime("%H:%M:%S")
        status.error = self.error
        status.render_status()

    def _signal(self) -> None:
        self.update_count += 1
        self._changed.set()
        self._changed = asyncio.Event()

    async def wait_for(self, predicate: Callable[[], bool], timeout: float = 60.0) -> None:
        """Wait until an applied update (or failure) makes `predicate` true."""

        async def _loop() -> None:
            while not predicate():
                await self._changed.wait()

        await asyncio.wait_for(_loop(), timeout)

    # --- watcher -----------------------------------------------------------

    def _ensure_watcher(self) -> None:
        if not self.watch_files:
            return
        seeds = self.seeds_dir or self.seeds_override or (self.config_path.parent / "seeds")
        if self._watcher is not None and self._watcher.seeds_dir == Path(seeds).resolve():
            return
        if self._watcher is not None:
            self._watcher.stop()
        from tui.ui.watcher import Watcher

        def on_change(paths: list[str], config: bool) -> None:
            self.post_message(FilesChanged(paths, config))

        self._watcher = Watcher(Path(seeds), self.config_path, on_change)
        self._watcher.start()

    @property
    def watcher(self) -> Any | None:
        return self._watcher

    # --- records and screens -----------------------------------------------

    def open_record(self, kind: str, record_id: str) -> None:
        try:
            found = view.find_record(kind, record_id, self.snapshot)
        except Exception as exc:
            self.display_failed("that record", exc)
            return
        if found is None:
            self.notify(
                "That record is no longer in the picture.", severity="warning", markup=False
            )
            return
        self.push_screen(DetailScreen(kind, record_id))

    # --- actions -------------------------------------------------------------

    def action_reload(self) -> None:
        self._status(activity="reloading…")
        self.request_refresh("reload")

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_toggle_past(self) -> None:
        try:
            self._toggle_past()
        except Exception as exc:
            self.display_failed("past engagements", exc)

    def _toggle_past(self) -> None:
        self.show_past = not self.show_past
        self.view_context = view.ViewContext(
            colors=self.view_context.colors, show_past=self.show_past
        )
        pane = self.dashboard.pane("engagement")
        pane.title = "Upcoming and past engagements" if self.show_past else None
        pane.set_rows(
            view.rows_for("engagement", self.snapshot, self.view_context),
            pane.empty_message,
            mark=False,
        )

    def action_export_json(self, path: Path | None = None) -> Path | None:
        if self.snapshot is None:
            self.notify("Nothing to export yet.", severity="warning", markup=False)
            return None
        target = path or Path.cwd() / f"tui-export-{self.clock():%Y%m%d-%H%M%S}.json"
        try:
            target.write_text(
                json.dumps(self.snapshot.to_json(), ensure_ascii=False, indent=2) + "\n",
                encoding="utf-8",
            )
        except OSError as exc:
            self.notify(
                f"{target}: cannot write: {exc.strerror or exc}", severity="error", markup=False
            )
            return None
        self.notify(f"Exported to {target}", markup=False)
        return target

    def action_quit(self) -> None:  # type: ignore[override]
        self.exit(0)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield SystemCommand("Reload", "Re-read the config and the seeds now", self.action_reload)
        yield SystemCommand(
            "Toggle past engagements",
            "Show or hide engagements before the as-of date",
            self.action_toggle_past,
        )
        yield SystemCommand(
            "Export JSON",
            "Write what the panes show to tui-export-<time>.json in the current folder",
            self.action_export_json,
        )
        yield from super().get_system_commands(screen)


def run_app(
    config_path: Path, seeds: Path | None = None, watch: bool = True, use_cache: bool = True
) -> int:
    """Run the dashboard until the user quits; returns the exit status."""
    app = DashboardApp(config_path, seeds, watch=watch, use_cache=use_cache)
    result = app.run()
    return result if isinstance(result, int) else (app.return_code or 0)
