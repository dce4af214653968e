"""Start-up time of the dashboard against a bare Textual app, measured in one run.

    python bench/startup.py [--config config.yaml] [--runs 5]

Each app starts in a fresh interpreter (imports included), headless. Reported:
time from process start to first paint, and for the dashboard to the panes
filled (spaCy loaded and articles extracted, or read from a warm cache), as
medians over the runs, with the ratio of first paint to the bare app's.
The bare app is one Label; runs alternate between the apps so both see the
same machine load.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def child(kind: str, config: str) -> None:
    """Runs in the measured process; prints one JSON line of timestamps."""
    marks: dict[str, float] = {}
    if kind == "bare":
        from textual.app import App
        from textual.widgets import Label

        class Bare(App):
            def compose(self):
                yield Label("hello")

            def on_mount(self) -> None:
                self.call_after_refresh(self._painted)

            def _painted(self) -> None:
                marks["paint"] = time.time()
                self.exit()

        Bare().run(headless=True)
    else:
        from tui.ui.app import DashboardApp

        class Timed(DashboardApp):
            def on_mount(self) -> None:
                # registered before the app's own after-refresh start of the worker
                self.call_after_refresh(lambda: marks.setdefault("paint", time.time()))
                super().on_mount()

            def on_snapshot_ready(self, message) -> None:
                super().on_snapshot_ready(message)
                if self.snapshot is not None:
                    self.call_after_refresh(self._filled)

            def on_refresh_failed(self, message) -> None:
                super().on_refresh_failed(message)
                marks["error"] = self.error
                self.exit()

            def _filled(self) -> None:
                marks["filled"] = time.time()
                marks["extracted"] = self.engine.extract_calls
                self.exit()

        Timed(Path(config), watch=False, use_cache=(kind == "warm")).run(headless=True)
    print(json.dumps(marks))


def run_once(kind: str, config: str, env: dict[str, str]) -> dict[str, float]:
    start = time.time()
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, "--config", config],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=True,
    ).stdout
    marks = json.loads(out.strip().splitlines()[-1])
    if "error" in marks:
        raise SystemExit(f"startup bench: the dashboard reported: {marks['error']}")
    result = {
        key: (value - start) * 1000 for key, value in marks.items() if key in ("paint", "filled")
    }
    if "extracted" in marks:
        result["extracted"] = marks["extracted"]
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", default=str(ROOT / "config.yaml"))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--child", choices=["bare", "cold", "warm"])
    args = parser.parse_args()
    if args.child:
        child(args.child, args.config)
        return
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "TUI_CACHE_DIR": cache}
        run_once("warm", args.config, env)  # fill the cache once
        results: dict[str, list[dict[str, float]]] = {"bare": [], "cold": [], "warm": []}
        for _ in range(args.runs):
            for kind in results:
                results[kind].append(run_once(kind, args.config, env))

    def median(kind: str, key: str) -> float:
        return statistics.median(r[key] for r in results[kind])

    bare = median("bare", "paint")
    print(f"runs per app: {args.runs} (medians, ms from process start)")
    print(f"bare Textual app, first paint:      {bare:7.0f}")
    for kind, label in (("cold", "no cache"), ("warm", "warm cache")):
        paint, filled = median(kind, "paint"), median(kind, "filled")
        extracted = [int(r["extracted"]) for r in results[kind]]
        print(
            f"dashboard ({label:10}) first paint: {paint:7.0f}  ratio to bare {paint / bare:4.2f}x"
        )
        print(
            f"dashboard ({label:10}) panes filled:{filled:7.0f}"
            f"  ratio to bare {filled / bare:4.2f}x"
            f"  (articles extracted per run: {extracted})"
        )


if __name__ == "__main__":
    main()
