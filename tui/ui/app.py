"""The dashboard app: owns the snapshot, runs refreshes in a thread, reacts to the watcher.

Feeds in the config are polled in a thread worker too (`tui.feeds`): a timer
looks every second for a feed that is due; what a poll writes into the seeds
folder reaches the panes through the watcher like any saved article.

First paint never waits for spaCy: `tui.engine` (and with it spaCy and the
config models) is imported inside the refresh worker. Each refresh carries a
generation number; a newer request supersedes an older one (the older thread
stops at its next document) and results from stale generations are dropped.
"""

from __future__ import annotations

import asyncio
import dataclasses
import gc
import json
import threading
import time
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.worker import get_current_worker

from tui.ui import view
from tui.ui.messages import (
    AddToWatchlist,
    DismissSuggestion,
    FeedsPolled,
    FilesChanged,
    OpenArticle,
    OpenRecord,
    RefreshFailed,
    RefreshProgress,
    SnapshotReady,
    SortPane,
)
from tui.ui.screens.dashboard import DashboardScreen
from tui.ui.seen import SeenState, state_path
from tui.ui.widgets.bars import AppHeader, Status, StatusLine

if TYPE_CHECKING:
    from tui.extract.models import Snapshot

PROGRESS_INTERVAL = 0.1  # seconds between progress messages from the worker
SEEN_SAVE_INTERVAL = 5.0  # seconds between writes of the seen rows, when they changed
FEED_TICK = 1.0  # seconds between looks for a feed that is due


PAINT_WAIT_S = 5.0  # how long priming waits for the kept picture to be painted


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
        Binding("ctrl+c", "quit", "Quit", show=False, priority=True, id="quit-ctrl-c"),
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
        seen: SeenState | None = None,
        workers: int | None = None,
        cluster: str | None = None,
        feeds: bool = True,
        feed_client: Any | None = None,
        feed_clock: Callable[[], float] = time.time,
    ) -> None:
        """`seen`: which rows were seen; by default kept in the state folder
        between sessions when the cache is used, else for this session only.
        `feeds`: poll the config's feeds; `feed_client` and `feed_clock` are
        the poller's HTTP client and clock (tests pass their own)."""
        super().__init__()
        self.painted = threading.Event()  # the last snapshot applied is on screen
        # Files the watcher saw change that no finished refresh has looked at yet.
        self._changed_paths: set[str] = set()
        self._changed_lock = threading.Lock()
        self.config_path = Path(config_path)
        self.seeds_override = Path(seeds) if seeds is not None else None
        self.watch_files = watch
        self.use_cache = use_cache
        self.engine = engine
        self.extract_workers = workers  # processes for cold extraction (App.workers is Textual's)
        self.cluster = cluster
        self._cache_given = cache
        self._store: Any | None = None
        self.clock = clock
        self.snapshot: Snapshot | None = None
        self.view_context = view.ViewContext()
        self.sorts: dict[str, str] = {}
        self.seen = seen if seen is not None else SeenState(state_path(self.config_path) if use_cache else None)
        self.status = Status()
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
        self.dismissed: Any | None = None  # suggestions set aside in the inbox, read on first use
        self.dashboard = DashboardScreen()
        self.follow_feeds = feeds
        self.feed_poller: Any | None = None
        self.feed_health: list[Any] = []
        self.feeds_new = 0  # articles the feeds brought in this session
        self.feed_polls = 0  # polls finished, for tests and benches
        self._feed_client = feed_client
        self._feed_clock = feed_clock
        self._feeds_busy = False
        self._feeds_wanted = False
        self._feeds_warning: str | None = None

    # --- lifecycle -------------------------------------------------------

    def get_default_screen(self) -> Screen:
        return self.dashboard

    def on_mount(self) -> None:
        self.call_after_refresh(self.request_refresh, "start")
        self.set_interval(SEEN_SAVE_INTERVAL, self.save_seen)
        self.set_interval(FEED_TICK, self._feeds_tick)

    def on_unmount(self) -> None:
        if self._watcher is not None:
            self._watcher.stop()
        close = getattr(self.engine, "close", None)
        if close is not None:
            close()
        if self.feed_poller is not None:
            self.feed_poller.close()
        self.save_seen()

    def save_seen(self) -> None:
        problem = self.seen.save()
        if problem and problem != self.seen.warning:
            self.seen.warning = problem
            self._status()

    # --- refresh -----------------------------------------------------------

    def request_refresh(self, reason: str = "reload", files_only: bool = False) -> None:
        """Start a refresh; any running one is superseded. `files_only`: only
        the files the watcher reported changed need looking at."""
        self.generation += 1
        generation = self.generation
        self.run_worker(
            lambda: self._refresh_in_thread(generation, files_only),
            thread=True,
            exclusive=True,
            group="refresh",
            exit_on_error=False,
            description=f"refresh #{generation} ({reason})",
        )

    def _make_engine(self) -> Any:
        from tui.cache import SessionCache
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
        return Engine(
            self.config_path,
            seeds_dir=self.seeds_override,
            cache=SessionCache(backing),
            workers=self.extract_workers,
            cluster=self.cluster,
        )

    def _refresh_in_thread(self, generation: int, files_only: bool = False) -> None:
        worker = get_current_worker()
        with self._changed_lock:
            paths = frozenset(self._changed_paths)

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
                only = {"changed": paths} if files_only else {}
                snapshot = engine.refresh(progress=progress, cancelled=cancelled, **only)
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
            with self._changed_lock:
                self._changed_paths -= paths  # seen by this picture
            self.painted.clear()
            self._post_snapshot(generation, engine, snapshot)
            if getattr(engine, "served_picture", False):
                # The last run's picture goes on screen; then the folder and the
                # cached results behind it are read, so the next change is quick.
                # Not before it is painted: the two would share one interpreter.
                self.painted.wait(timeout=PAINT_WAIT_S)
                try:
                    primed = engine.prime(cancelled=cancelled)
                except Cancelled:
                    return
                # What was just read stays for the session: the collector need not walk it again and again.
                gc.freeze()
                # Shown even when equal: the engine's own records replace the
                # picture's copies, which would otherwise stay in memory too.
                if primed is not None:
                    self._post_snapshot(generation, engine, primed)
        except Exception as exc:  # keep the last good picture; say what broke in one line
            self.post_message(
                RefreshFailed(generation, f"refresh failed: {type(exc).__name__}: {exc}")
            )

    def _post_snapshot(self, generation: int, engine: Any, snapshot: Snapshot) -> None:
        config = engine.loaded.config
        colors = {party.name: config.party_color(party.name) for party in config.parties}
        codes = {p.name: view.party_code(p.name, p.aliases, p.code) for p in config.parties}
        stats = engine.last_stats
        self.post_message(
            SnapshotReady(
                generation,
                snapshot,
                colors,
                engine.seeds_dir,
                stats.extracted,
                stats.cached,
                codes=codes,
                undated_days=config.dashboard.undated_days,
            )
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
        self.view_context = view.ViewContext(
            colors=message.colors,
            show_past=self.show_past,
            codes=message.codes,
            undated_days=message.undated_days,
            sorts=dict(self.sorts),
        )
        self.error = None
        self._render_snapshot()
        self.call_after_refresh(self.painted.set)
        summary = view.change_summary(old, self.snapshot)
        if self._pending_config_change and old is not None:
            summary = "config reloaded" + (f"; {summary}" if summary else "")
        self._pending_config_change = False
        if summary:
            self.notify(summary, timeout=4, markup=False)
        self._ensure_watcher()
        self._follow_feeds()
        self._signal()

    def on_refresh_failed(self, message: RefreshFailed) -> None:
        if message.generation != self.generation:
            return
        self.error = message.error
        self._status(activity="")
        if self.snapshot is None:
            self.dashboard.query_one("#header", AppHeader).show_problem()
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

    def on_open_record(self, message: OpenRecord) -> None:
        self.open_record(message.kind, message.record_id)

    def on_open_article(self, message: OpenArticle) -> None:
        self.open_article_of(message.kind, message.record_id)

    def on_sort_pane(self, message: SortPane) -> None:
        self.cycle_sort(message.kind, message.step)

    def on_add_to_watchlist(self, message: AddToWatchlist) -> None:
        from tui.ui.screens.inbox import save_entry

        save_entry(self, message)

    def on_dismiss_suggestion(self, message: DismissSuggestion) -> None:
        from tui.ui.screens.inbox import dismiss_suggestion

        dismiss_suggestion(self, message)

    def config_edited(self) -> None:
        """tui changed config.yaml itself: the watcher reloads it; without one, reload now."""
        self._pending_config_change = True
        if not self.watch_files:
            self.request_refresh("config edited")

    def on_files_changed(self, message: FilesChanged) -> None:
        if message.config:
            self._pending_config_change = True
        if message.config:
            self.request_refresh("config changed")
        else:
            self.request_refresh("seeds changed", files_only=True)

    # --- feeds ---------------------------------------------------------------

    def _follow_feeds(self) -> None:
        """Start (or re-aim, after a config change) the poller on the config's feeds;
        a problem is one line, and the picture stays."""
        try:
            self._follow_feeds_unguarded()
        except Exception as exc:
            self.display_failed("the feeds", exc)

    def _follow_feeds_unguarded(self) -> None:
        loaded = getattr(self.engine, "loaded", None)
        if not self.follow_feeds or loaded is None or self.seeds_dir is None:
            return
        feeds = list(getattr(loaded.config, "feeds", None) or [])
        if self.feed_poller is None:
            if not feeds:
                return
            from tui.feeds import Poller, state_path

            self.feed_poller = Poller(
                feeds, self.seeds_dir, state_path(self.config_path), client=self._feed_client, now=self._feed_clock
            )
            self._feeds_warning = self.feed_poller.warning
            self.call_later(self._feeds_tick)
        else:
            self.feed_poller.configure(feeds, self.seeds_dir)
        self.feed_health = self.feed_poller.health()
        self._status()

    def poll_feeds_now(self) -> None:
        """Poll every feed now (`r`), not only those that are due; one backing off still waits."""
        if self.feed_poller is not None:
            self._feeds_wanted = True
            self._feeds_tick()

    def _feeds_tick(self) -> None:
        poller = self.feed_poller
        if poller is None or self._feeds_busy:
            return
        due = poller.next_due()
        if not self._feeds_wanted and (due is None or due > self._feed_clock()):
            return
        every_feed, self._feeds_wanted = self._feeds_wanted, False
        self._feeds_busy = True
        self.run_worker(
            lambda: self._poll_feeds_in_thread(poller, every_feed),
            thread=True,
            group="feeds",
            exit_on_error=False,
            description="poll the feeds",
        )

    def _poll_feeds_in_thread(self, poller: Any, every_feed: bool) -> None:
        try:
            reports = poller.poll(poller.feeds if every_feed else None)
            self.post_message(FeedsPolled(reports, poller.health(), poller.warning))
        except Exception as exc:  # a broken poll is one line; the next tick tries again
            self.post_message(FeedsPolled([], [], f"feeds not polled: {type(exc).__name__}: {str(exc)[:100]}"))

    def on_feeds_polled(self, message: FeedsPolled) -> None:
        self._feeds_busy = False
        self.feed_polls += 1
        if message.health:
            self.feed_health = message.health
        written = sum(len(report.written) for report in message.reports)
        self.feeds_new += written
        self._feeds_warning = message.warning
        if written and not self.watch_files:
            self.request_refresh("feeds")  # no watcher to see the new files
        self._status()
        for screen in self.screen_stack:
            show = getattr(screen, "show_feeds", None)
            if show is not None:
                show(self.feed_health)
        self._signal()

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
        rows = {kind: view.rows_for(kind, snap, self.view_context) for kind in view.KINDS}
        if not self.seen.known:  # nothing kept from before: this first picture counts as seen
            seen_rows = dict(rows)
            if not self.view_context.show_past:  # past engagements too, so the toggle marks nothing
                everything = dataclasses.replace(self.view_context, show_past=True)
                seen_rows["engagement"] = view.rows_for("engagement", snap, everything)
            self.seen.adopt({kind: [(r.key, r.signature) for r in found] for kind, found in seen_rows.items()})
        read, _ = view.document_counts(snap)
        self.dashboard.snapshot, self.dashboard.ctx = snap, self.view_context
        with self.batch_update():
            self.dashboard.query_one("#header", AppHeader).show(snap.relation, snap.as_of, read)
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
                self._prepare(pane)
                pane.set_rows(rows[pane.kind], empty)
            self.dashboard.fit_heights()
            self._status(activity="")
            self._focus_first_pane()
            self.dashboard.refresh_preview()
            for screen in self.screen_stack:
                show = getattr(screen, "show_snapshot", None)
                if show is not None and screen is not self.dashboard:
                    show(snap, self.view_context, self.seeds_dir)

    def _prepare(self, pane: Any) -> None:
        """The pane's order: its title says a sort other than the default, and a
        newest-first list keeps a cursor on its top row at the top."""
        pane.seen = self.seen
        sort = self.view_context.sort(pane.kind)
        pane.sort_label = None if sort == view.SORTS[pane.kind][0] else sort
        pane.sticky_top = sort in ("newest", "recent", "reported")

    def _focus_first_pane(self) -> None:
        """The tables arrive with the first picture; give the first one focus then."""
        if self.dashboard.focused is None:
            self.dashboard.panes[0].focus_table()

    def _status(self, activity: str | None = None) -> None:
        """Recompute the status from the picture and hand it to every screen's line."""
        snap = self.snapshot
        changes: dict[str, Any] = {"error": self.error}
        if snap is not None:
            warnings = tuple(snap.warnings)
            for extra in (
                self._cache_warning,
                self.seen.warning,
                getattr(self.dismissed, "warning", None),
                self._feeds_warning,
            ):
                if extra:
                    warnings += (extra,)
            warnings += tuple(getattr(self._store, "warnings", ()) or ())
            read, skipped = view.document_counts(snap)
            changes.update(pipeline=snap.pipeline, warnings=warnings, read=read, skipped=skipped)
        if self.feed_poller is not None:
            from tui.feeds import health_summary

            changes["feeds"] = health_summary(self.feed_health, self.feeds_new)
            changes["feeds_failing"] = any(h.error for h in self.feed_health)
        if activity is not None:
            changes["activity"] = activity
            if not activity and snap is not None:
                changes["updated"] = self.clock().strftime("%H:%M:%S")
        self.status = dataclasses.replace(self.status, **changes)
        for screen in self.screen_stack:
            for line in screen.query(StatusLine):
                line.show(self.status)

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
            if not config:
                with self._changed_lock:
                    self._changed_paths.update(paths)
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
        from tui.ui.screens.detail import DetailScreen  # screens load on first use: a faster first paint

        self.push_screen(DetailScreen(kind, record_id, self.snapshot, self.view_context, self.seeds_dir))

    # --- actions -------------------------------------------------------------

    def action_reload(self) -> None:
        self._status(activity="reloading…")
        self.request_refresh("reload")
        self.poll_feeds_now()

    def action_help(self) -> None:
        """Help for the screen it is opened from."""
        from tui.ui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(getattr(self.screen, "HELP_TOPIC", "dashboard")))

    def action_toggle_past(self) -> None:
        try:
            self._toggle_past()
        except Exception as exc:
            self.display_failed("past engagements", exc)

    def _toggle_past(self) -> None:
        self.show_past = not self.show_past
        self.view_context = dataclasses.replace(self.view_context, show_past=self.show_past)
        self.dashboard.ctx = self.view_context
        pane = self.dashboard.pane("engagement")
        pane.title = "Upcoming and past engagements" if self.show_past else None
        pane.set_rows(
            view.rows_for("engagement", self.snapshot, self.view_context),
            pane.empty_message,
            mark=False,
        )
        self.dashboard.fit_heights()

    def cycle_sort(self, kind: str, step: int = 1) -> None:
        """The pane's next order (k9s-style): `s` forward, `S` back."""
        try:
            orders = view.SORTS[kind]
            current = orders.index(self.view_context.sort(kind))
            self.sorts[kind] = orders[(current + step) % len(orders)]
            self.view_context = dataclasses.replace(self.view_context, sorts=dict(self.sorts))
            self.dashboard.ctx = self.view_context
            pane = self.dashboard.pane(kind)
            self._prepare(pane)
            pane.set_rows(view.rows_for(kind, self.snapshot, self.view_context), pane.empty_message, mark=False)
            self.notify(f"{view.PANE_TITLES[kind]} by {self.sorts[kind]}", timeout=2, markup=False)
        except Exception as exc:
            self.display_failed("that order", exc)

    def action_mark_all_seen(self) -> None:
        count = sum(pane.mark_all_seen() for pane in self.dashboard.panes)
        self.save_seen()
        self.notify(
            f"{count} new row{'s' if count != 1 else ''} marked seen" if count else "Nothing new to mark.",
            timeout=2,
            markup=False,
        )

    def action_find(self) -> None:
        if self.snapshot is None:
            self.notify("Nothing to search yet.", severity="warning", markup=False)
            return
        from tui.ui.screens.search import SearchScreen

        if not isinstance(self.screen, SearchScreen):
            self.push_screen(SearchScreen(self.snapshot, self.view_context))

    def action_documents(self) -> None:
        from tui.ui.screens.documents import DocumentsScreen

        if not isinstance(self.screen, DocumentsScreen):
            self.push_screen(DocumentsScreen(self.snapshot, self.seeds_dir))

    def action_inbox(self) -> None:
        from tui.ui.screens.inbox import InboxScreen

        if not isinstance(self.screen, InboxScreen):
            self.push_screen(InboxScreen(self.snapshot))

    def open_article_of(self, kind: str, record_id: str) -> None:
        """`o` on a row: the article it came from, in $PAGER or the browser."""
        try:
            record = view.find_record(kind, record_id, self.snapshot)
            doc_id = view.source_document(kind, record) if record is not None else None
            document = self.snapshot.document(doc_id) if doc_id and self.snapshot else None
        except Exception as exc:
            self.display_failed("that article", exc)
            return
        if document is None:
            self.notify("No article for this row.", severity="warning", markup=False)
            return
        from tui.ui.screens.documents import open_document

        open_document(self, document, self.seeds_dir)

    def _export(self, path: Path | None, suffix: str, render: Callable[[Snapshot], str], done: str) -> Path | None:
        """Write `render(snapshot)` to `path` (default tui-export-<time><suffix>
        here); a problem is one line, and nothing is lost."""
        snapshot = self.snapshot
        if snapshot is None:
            self.notify("Nothing to export yet.", severity="warning", markup=False)
            return None
        target = path or Path.cwd() / f"tui-export-{self.clock():%Y%m%d-%H%M%S}{suffix}"
        try:
            target.write_text(render(snapshot), encoding="utf-8")
        except OSError as exc:
            self.notify(f"{target}: cannot write: {exc.strerror or exc}", severity="error", markup=False)
            return None
        self.notify(f"{done} {target}", markup=False)
        return target

    def action_export_json(self, path: Path | None = None) -> Path | None:
        """The whole picture, as `tui extract --json` gives it."""
        return self._export(
            path,
            ".json",
            lambda snap: json.dumps(snap.to_json(), ensure_ascii=False, indent=2) + "\n",
            "Exported to",
        )

    def shown_rows(self) -> dict[str, list[view.Row]]:
        """What each pane shows now: its filter, order and toggles applied."""
        return {
            pane.kind: list(pane.table.rows_shown) if pane.has_table else [] for pane in self.dashboard.panes
        }

    def action_export_markdown(self, path: Path | None = None) -> Path | None:
        """What is on screen as a Markdown briefing."""
        from tui.ui import export

        return self._export(
            path, ".md", lambda snap: export.markdown(snap, self.shown_rows(), self.clock()), "Briefing written to"
        )

    def action_export_csv(self, path: Path | None = None) -> Path | None:
        """What is on screen as CSV: one table, a `pane` column first."""
        from tui.ui import export

        return self._export(path, ".csv", lambda snap: export.csv_text(self.shown_rows()), "Exported to")

    def action_quit(self) -> None:  # type: ignore[override]
        self.exit(0)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield SystemCommand("Reload", "Re-read the config and the seeds now, and poll the feeds", self.action_reload)
        yield SystemCommand(
            "Toggle past engagements",
            "Show or hide engagements before the as-of date",
            self.action_toggle_past,
        )
        yield SystemCommand(
            "Documents", "Every file in the seeds folder, its status and records", self.action_documents
        )
        yield SystemCommand("Find", "Search every pane at once", self.action_find)
        yield SystemCommand(
            "Watchlist inbox",
            "People and organisations the articles mention often but the watchlist lacks: add or dismiss",
            self.action_inbox,
        )
        yield SystemCommand("Mark all seen", "Clear every ● mark, now and next time", self.action_mark_all_seen)
        yield SystemCommand(
            "Export Markdown briefing",
            "Write what is on screen (filters and toggles applied) to tui-export-<time>.md",
            self.action_export_markdown,
        )
        yield SystemCommand(
            "Export CSV",
            "Write what is on screen (filters and toggles applied) to tui-export-<time>.csv",
            self.action_export_csv,
        )
        yield SystemCommand(
            "Export JSON",
            "Write the whole picture, as tui extract --json gives it, to tui-export-<time>.json",
            self.action_export_json,
        )
        yield from super().get_system_commands(screen)


def run_app(
    config_path: Path,
    seeds: Path | None = None,
    watch: bool = True,
    use_cache: bool = True,
    workers: int | None = None,
    cluster: str | None = None,
    feeds: bool = True,
) -> int:
    """Run the dashboard until the user quits; returns the exit status."""
    app = DashboardApp(
        config_path, seeds, watch=watch, use_cache=use_cache, workers=workers, cluster=cluster, feeds=feeds
    )
    result = app.run()
    return result if isinstance(result, int) else (app.return_code or 0)
