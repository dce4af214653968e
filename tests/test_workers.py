"""Cold extraction in worker processes gives exactly what one process gives."""

from __future__ import annotations

import json

import pytest

from tui.engine import Engine

SENTENCES = [
    "Freedonian Foreign Minister Ana Ruiz will meet Sylvanian Trade Minister Otto Brandt in {place} on {day}.",
    '"We will not accept new tariffs on our steel," Ruiz told reporters in {place}.',
    "Sylvanian Prime Minister Mira Holt said the fishing dispute would be raised in {place} on {day}.",
    '"Our fishing fleet will stay where it is," Holt told parliament.',
]
PLACES = ["Vienna", "Geneva", "Oslo", "Paris", "Rome", "Madrid", "Lisbon", "Prague"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def corpus(relation, n: int) -> None:
    for i in range(n):
        place, day = PLACES[i % len(PLACES)], DAYS[i % len(DAYS)]
        body = "\n\n".join(s.format(place=place, day=day) for s in SENTENCES[: 2 + i % 3])
        day_of_month = f"2024-03-{i % 28 + 1:02d}"
        relation.write_article(
            f"{day_of_month}-a{i:03d}.md", f"---\ntitle: Article {i}\ndate: {day_of_month}\n---\n{body}\n"
        )


def test_two_workers_give_the_json_of_one_process(small_relation):
    corpus(small_relation, 40)
    one = Engine(small_relation.config, workers=1)
    two = Engine(small_relation.config, workers=2)
    progress: list[tuple[int, int]] = []
    try:
        alone = one.refresh().to_json()
        shared = two.refresh(progress=lambda done, total, what: progress.append((done, total)))
    finally:
        two.close()
    assert two.last_stats.extracted == 41 and two.workers_used == 2
    assert json.dumps(shared.to_json(), sort_keys=True) == json.dumps(alone, sort_keys=True)
    assert progress[-1] == (41, 41) and len(progress) > 2  # progress while the workers run
    assert two.worker_memory_kb > 0


def test_few_articles_need_no_pool(small_relation):
    engine = Engine(small_relation.config, workers=2)
    engine.refresh()
    assert engine.workers_used == 1 and engine.last_stats.extracted == 1


def test_a_cancelled_refresh_in_workers_stops(small_relation):
    from tui.engine import Cancelled

    corpus(small_relation, 40)
    engine = Engine(small_relation.config, workers=2)
    calls = []

    def cancelled() -> bool:
        calls.append(1)
        return len(calls) > 1

    try:
        with pytest.raises(Cancelled):
            engine.refresh(cancelled=cancelled)
        assert engine.refresh().to_json()["documents"]  # and the next refresh works
    finally:
        engine.close()


def test_workers_from_config_and_command_line(small_relation):
    from tui.config import ConfigError, load_config

    text = small_relation.config.read_text(encoding="utf-8")
    small_relation.config.write_text(text + "workers: 3\n", encoding="utf-8")
    assert load_config(small_relation.config).config.workers == 3
    small_relation.config.write_text(text + "workers: 0\n", encoding="utf-8")
    with pytest.raises(ConfigError):
        load_config(small_relation.config)


async def test_the_dashboard_extracts_in_workers(small_relation):
    """Inside the app stderr is Textual's capture: spawning must still work,
    and the panes fill with what one process would give."""
    from tui.ui.app import DashboardApp

    corpus(small_relation, 40)
    app = DashboardApp(small_relation.config, small_relation.seeds, watch=False, use_cache=False, workers=2)
    async with app.run_test(size=(120, 36)):
        await app.wait_for(lambda: app.snapshot is not None or app.error is not None, 120)
        assert app.error is None and app.engine.workers_used == 2
        shown = app.snapshot.to_json()
    alone = Engine(small_relation.config, workers=1).refresh().to_json()
    assert json.dumps(shown, sort_keys=True) == json.dumps(alone, sort_keys=True)


def test_doctor_says_how_many_workers_and_what_each_holds(small_relation):
    import io

    from tui.doctor import doctor

    out = io.StringIO()
    doctor(small_relation.config, None, use_cache=False, out=out, workers=3)
    line = next(line for line in out.getvalue().splitlines() if line.startswith("workers"))
    assert "3 worker processes" in line and "--workers" in line
    assert " MB resident" in out.getvalue()


def test_a_worker_killed_mid_run_loses_no_article(small_relation):
    import os
    import signal

    corpus(small_relation, 40)
    engine = Engine(small_relation.config, workers=2)
    killed: list[int] = []

    def kill_one_worker() -> bool:  # called while the batches run
        processes = engine._pool._pool._processes if engine._pool is not None else None
        if processes and not killed:
            pid = next(iter(processes))
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)
        return False

    try:
        picture = engine.refresh(cancelled=kill_one_worker).to_json()
    finally:
        engine.close()
    assert killed
    assert engine.last_stats.extracted == 41
    assert all(d["status"] == "ok" for d in picture["documents"])
    alone = Engine(small_relation.config, workers=1).refresh().to_json()
    assert json.dumps(picture, sort_keys=True) == json.dumps(alone, sort_keys=True)


def test_once_workers_run_a_single_new_article_goes_to_them(small_relation):
    from tui.cache import SessionCache

    corpus(small_relation, 40)
    engine = Engine(small_relation.config, workers=2, cache=SessionCache(None))
    try:
        engine.refresh()
        late = "---\ndate: 2024-04-01\n---\n" + SENTENCES[1].format(place="Oslo") + "\n"
        small_relation.write_article("2024-04-01-late.md", late)
        picture = engine.refresh()
        assert (engine.last_stats.extracted, engine.workers_used) == (1, 2)
        assert engine.pipeline is None  # this process never loaded spaCy
        assert any(q.doc == "2024-04-01-late.md" for q in picture.quotes)
    finally:
        engine.close()
