"""Live reload: the watcher sees seeds and config change; the panes update in place.

Each test waits on the app's own update signal (`app.wait_for`) or the
watcher's readiness event, never on a sleep.
"""

from __future__ import annotations

import asyncio
import threading

import pytest

from tui.ui.app import DashboardApp
from tui.ui.screens.detail import DetailScreen
from tui.ui.watcher import Watcher

SIZE = (120, 36)
pytestmark = pytest.mark.usefixtures("shared_pipelines")

HOLT_ARTICLE = """\
---
title: Sylvania's leader speaks
date: 2024-03-06
---
Sylvanian Prime Minister Mira Holt spoke in Vale on Wednesday.

"Our fishing fleet will stay where it is," Holt told parliament.
"""


def keys(app: DashboardApp, kind: str) -> list[str]:
    return [row.key.value for row in app.dashboard.pane(kind).table.ordered_rows]


def names(app: DashboardApp) -> set[str]:
    return {a.name for a in app.snapshot.actors}


def quote_texts(app: DashboardApp) -> list[str]:
    return [q.text for q in app.snapshot.quotes]


async def started(app: DashboardApp) -> None:
    """First picture applied and the watcher in place."""
    await app.wait_for(lambda: app.snapshot is not None and app.watcher is not None)
    assert await asyncio.to_thread(app.watcher.ready.wait, 30)


def live_app(relation, **kwargs) -> DashboardApp:
    kwargs.setdefault("use_cache", False)
    return DashboardApp(relation.config, relation.seeds, watch=True, **kwargs)


async def test_a_new_article_adds_its_quote_and_actor(small_relation, screen_text):
    app = live_app(small_relation)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await started(app)
        assert "Mira Holt" not in names(app)
        small_relation.write_article("2024-03-06-holt.md", HOLT_ARTICLE)
        await app.wait_for(lambda: len(app.snapshot.documents) == 2)
        assert "Mira Holt" in names(app)
        holt_quote = next(q for q in app.snapshot.quotes if q.speaker == "Mira Holt")
        assert holt_quote.id in keys(app, "quote")
        assert keys(app, "quote")[0] == holt_quote.id  # newest first
        await pilot.pause()
        text = screen_text(app)
        assert "1 article added" in text  # the notification
        assert "●" in text  # new rows are marked
        assert "2 articles" in text  # the header


async def test_an_edited_article_changes_its_rows(small_relation):
    app = live_app(small_relation)
    async with app.run_test(size=SIZE):
        await started(app)
        assert any("tariffs on our steel" in t for t in quote_texts(app))
        path = small_relation.seeds / "2024-03-04-lisbon.md"
        path.write_text(
            path.read_text(encoding="utf-8").replace(
                "We will not accept new tariffs on our steel,",
                "We welcome lower tariffs on our steel,",
            ),
            encoding="utf-8",
        )
        await app.wait_for(lambda: any("We welcome lower tariffs" in t for t in quote_texts(app)))
        assert not any("We will not accept" in t for t in quote_texts(app))
        assert app.last_extracted == 1


async def test_a_deleted_article_takes_its_rows_with_it(small_relation):
    small_relation.write_article("2024-03-06-holt.md", HOLT_ARTICLE)
    app = live_app(small_relation)
    async with app.run_test(size=SIZE):
        await started(app)
        holt = next(a.id for a in app.snapshot.actors if a.name == "Mira Holt")
        assert holt in keys(app, "actor")
        (small_relation.seeds / "2024-03-06-holt.md").unlink()
        await app.wait_for(lambda: len(app.snapshot.documents) == 1)
        assert holt not in keys(app, "actor")
        assert not any(q.speaker == "Mira Holt" for q in app.snapshot.quotes)


async def test_a_broken_config_keeps_the_rows_and_fixing_it_recovers(small_relation, screen_text):
    app = live_app(small_relation)
    async with app.run_test(size=SIZE) as pilot:
        await started(app)
        rows_before = keys(app, "actor")
        good = small_relation.config.read_text(encoding="utf-8")
        small_relation.config.write_text(
            good.replace("side: Sylvania\n", "side: Sylvnia\n", 1), encoding="utf-8"
        )
        await app.wait_for(lambda: app.error is not None)
        assert "config.yaml:" in app.error and "Sylvnia" in app.error
        assert keys(app, "actor") == rows_before  # the last good picture stays
        await pilot.pause()
        assert "Sylvnia" in screen_text(app)
        small_relation.config.write_text(
            good.replace("Otto Brandt", "Otto Brand"), encoding="utf-8"
        )
        await app.wait_for(lambda: app.error is None and "Otto Brand" in names(app))
        assert "Otto Brandt" not in names(app)
        await pilot.pause()
        assert "Sylvnia" not in screen_text(app)


async def test_the_cursor_stays_on_the_same_row_across_an_update(small_relation):
    app = live_app(small_relation)
    async with app.run_test(size=SIZE) as pilot:
        await started(app)
        ruiz = next(a.id for a in app.snapshot.actors if a.name == "Ana Ruiz")
        await pilot.press("1", *["j"] * keys(app, "actor").index(ruiz))
        table = app.dashboard.pane("actor").table
        assert table.current_key == ruiz
        small_relation.write_article("2024-03-06-holt.md", HOLT_ARTICLE)
        await app.wait_for(lambda: "Mira Holt" in names(app))
        assert table.current_key == ruiz
        assert app.dashboard.focused_pane.kind == "actor"


async def test_filter_and_open_detail_survive_an_update(small_relation):
    app = live_app(small_relation)
    async with app.run_test(size=SIZE) as pilot:
        await started(app)
        await pilot.press("1", "slash", *"ruiz", "enter", "enter")
        assert isinstance(app.screen, DetailScreen)
        record_id = app.screen.record_id
        small_relation.write_article("2024-03-06-holt.md", HOLT_ARTICLE)
        await app.wait_for(lambda: "Mira Holt" in names(app))
        assert isinstance(app.screen, DetailScreen) and app.screen.record_id == record_id
        assert not app.screen.gone
        await pilot.press("escape")
        assert app.dashboard.pane("actor").filter_text == "ruiz"
        assert len(keys(app, "actor")) == 1


async def test_a_restart_over_the_same_corpus_runs_no_extraction(
    small_relation, tmp_path, monkeypatch
):
    monkeypatch.setenv("TUI_CACHE_DIR", str(tmp_path / "cache"))
    first = DashboardApp(small_relation.config, small_relation.seeds, watch=False, use_cache=True)
    async with first.run_test(size=SIZE):
        await first.wait_for(lambda: first.snapshot is not None)
        assert first.engine.extract_calls == 1
        rows = keys(first, "quote")
    second = DashboardApp(small_relation.config, small_relation.seeds, watch=False, use_cache=True)
    async with second.run_test(size=SIZE):
        await second.wait_for(lambda: second.snapshot is not None)
        assert second.engine.extract_calls == 0
        assert keys(second, "quote") == rows


async def test_only_the_changed_article_is_extracted_again(small_relation):
    small_relation.write_article("2024-03-06-holt.md", HOLT_ARTICLE)
    app = live_app(small_relation)
    async with app.run_test(size=SIZE):
        await started(app)
        assert app.engine.extract_calls == 2
        small_relation.write_article("2024-03-07-third.md", "Otto Brandt flew home on Thursday.\n")
        await app.wait_for(lambda: len(app.snapshot.documents) == 3)
        assert app.engine.extract_calls == 3


async def test_no_watch_means_no_watcher(small_relation):
    app = DashboardApp(small_relation.config, small_relation.seeds, watch=False, use_cache=False)
    async with app.run_test(size=SIZE) as pilot:
        await app.wait_for(lambda: app.snapshot is not None)
        assert app.watcher is None
        small_relation.write_article("2024-03-06-holt.md", HOLT_ARTICLE)
        await pilot.press("r")  # but r still reloads
        await app.wait_for(lambda: len(app.snapshot.documents) == 2)


def test_a_burst_of_files_settles_into_few_batches(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    config = tmp_path / "config.yaml"
    config.write_text("x: 1\n")
    batches: list[list[str]] = []
    seen: set[str] = set()
    done = threading.Event()

    def on_change(paths: list[str], is_config: bool) -> None:
        batches.append(paths)
        seen.update(p for p in paths if p.endswith(".txt"))
        if len(seen) == 500:
            done.set()

    watcher = Watcher(seeds, config, on_change)
    watcher.start()
    try:
        assert watcher.ready.wait(30)
        for n in range(500):
            (seeds / f"{n:03d}.txt").write_text(f"article {n}\n")
        assert done.wait(30)
    finally:
        watcher.stop()
        watcher.join(5)
    assert len(batches) <= 5


def test_save_by_rename_and_chunked_writes_are_one_batch(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    config = tmp_path / "config.yaml"
    config.write_text("x: 1\n")
    batches: list[tuple[list[str], bool]] = []
    sentinel = str(seeds / "sentinel.txt")
    arrived = threading.Event()

    def on_change(paths: list[str], is_config: bool) -> None:
        batches.append((paths, is_config))
        if sentinel in paths:
            arrived.set()

    watcher = Watcher(seeds, config, on_change)
    watcher.start()
    try:
        assert watcher.ready.wait(30)
        # an editor's save: write a temporary file, rename it over the config
        tmp = tmp_path / ".config.yaml.swp~"
        tmp.write_text("x: 2\n")
        tmp.replace(config)
        # a file written in several chunks
        with open(seeds / "a.txt", "w") as handle:
            for chunk in ("one ", "two ", "three\n"):
                handle.write(chunk)
                handle.flush()
        # once both batches are in, a later file marks the end of what they caused
        while not (any(b[1] for b in batches) and any(not b[1] for b in batches)):
            assert watcher.changed.wait(30)
            watcher.changed.clear()
        (seeds / "sentinel.txt").write_text("end\n")
        assert arrived.wait(30)
    finally:
        watcher.stop()
        watcher.join(5)
    config_batches = [b for b in batches if b[1]]
    seed_batches = [b for b in batches if not b[1] and sentinel not in b[0]]
    assert len(config_batches) == 1
    assert len(seed_batches) == 1
    assert seed_batches[0][0] == [str(seeds / "a.txt")]


async def test_a_newer_refresh_supersedes_an_older_one(small_relation):
    app = DashboardApp(small_relation.config, small_relation.seeds, watch=False, use_cache=False)
    async with app.run_test(size=SIZE) as pilot:
        await app.wait_for(lambda: app.snapshot is not None)
        before = app.update_count
        small_relation.write_article("2024-03-06-holt.md", HOLT_ARTICLE)
        app.request_refresh("first")
        app.request_refresh("second")  # supersedes the first before it can land
        await app.wait_for(lambda: app.update_count > before)
        assert app.applied_generation == app.generation
        assert "Mira Holt" in names(app)
        await pilot.press("r")
        await app.wait_for(lambda: app.update_count > before + 1)
        assert app.update_count == before + 2  # the superseded refresh never showed
