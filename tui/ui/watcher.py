"""Watch the seeds folder (recursive) and the config file for changes.

watchfiles runs in plain daemon threads, not Textual workers, so
`app.workers.wait_for_complete()` still returns (see DESIGN.md pitfalls).
Folders are watched rather than single files: editors save by writing a
temporary file and renaming it over the original. Events are debounced
(about 300 ms) by watchfiles, so a save-by-rename or a file written in
several chunks arrives as one batch, and 500 files dropped at once as a few.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

DEBOUNCE_MS = 300
STEP_MS = 50
RUST_TIMEOUT_MS = 250  # how often an idle watch wakes up (readiness, stop)

OnChange = Callable[[list[str], bool], None]  # (changed paths, config changed)


class Watcher:
    def __init__(self, seeds_dir: Path, config_path: Path, on_change: OnChange) -> None:
        self.seeds_dir = Path(seeds_dir).resolve()
        self.config_path = Path(config_path).resolve()
        self.on_change = on_change
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._ready_parts: set[str] = set()
        self.ready = threading.Event()  # set once both watches are in place
        self.changed = threading.Event()  # set after each reported batch (for tests)

    def start(self) -> None:
        self._spawn(self._watch_seeds, "tui-watch-seeds")
        self._spawn(self._watch_config, "tui-watch-config")

    def stop(self) -> None:
        self._stop.set()

    def join(self, timeout: float | None = None) -> None:
        for thread in self._threads:
            thread.join(timeout)

    def _spawn(self, target: Callable[[], None], name: str) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)
        self._threads.append(thread)
        thread.start()

    def _watch_seeds(self) -> None:
        from watchfiles import watch

        # A missing seeds folder may be created later: wait for it.
        while not self.seeds_dir.is_dir():
            self._mark_ready("seeds")
            if self._stop.wait(0.5):
                return
            if self.seeds_dir.is_dir():
                self._report([str(self.seeds_dir)], False)
        try:
            for changes in watch(
                self.seeds_dir,
                recursive=True,
                debounce=DEBOUNCE_MS,
                step=STEP_MS,
                stop_event=self._stop,
                rust_timeout=RUST_TIMEOUT_MS,
                yield_on_timeout=True,  # the first (empty) yield says the watch is in place
                raise_interrupt=False,
            ):
                self._mark_ready("seeds")
                if changes:
                    self._report(sorted({path for _, path in changes}), False)
        except (FileNotFoundError, OSError):
            # The folder went away: report it and go back to waiting for it.
            if not self._stop.is_set():
                self._report([str(self.seeds_dir)], False)
                self._watch_seeds()

    def _watch_config(self) -> None:
        from watchfiles import watch

        folder = self.config_path.parent
        target = str(self.config_path)

        def is_config(_change: object, path: str) -> bool:
            return path == target

        if not folder.is_dir():
            self._mark_ready("config")
            return
        for changes in watch(
            folder,
            recursive=False,
            watch_filter=is_config,
            debounce=DEBOUNCE_MS,
            step=STEP_MS,
            stop_event=self._stop,
            rust_timeout=RUST_TIMEOUT_MS,
            yield_on_timeout=True,
            raise_interrupt=False,
        ):
            self._mark_ready("config")
            if changes:
                self._report([target], True)

    def _report(self, paths: list[str], config: bool) -> None:
        self.on_change(paths, config)
        self.changed.set()

    def _mark_ready(self, part: str) -> None:
        self._ready_parts.add(part)
        if len(self._ready_parts) == 2:
            self.ready.set()
