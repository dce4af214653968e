"""A refresh of only the files the watcher named gives the picture a full refresh gives.

The dashboard hands the engine the paths the watcher saw change; the engine
then reads those files alone and changes the picture where their articles
touch it, without listing, reading or aggregating the rest again. Whatever
arrives, changes or goes (articles, JSON Lines records, skipped files), the
picture must be the one a new engine makes of the folder as it is.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import time
from pathlib import Path

import pytest

import tui.engine
from tui.cache import SessionCache
from tui.corpus import scan_seeds
from tui.engine import Engine
from tui.listing import FolderIndex

FIXTURES = Path(__file__).parent / "fixtures"


def _json(snapshot) -> str:
    return json.dumps(snapshot.to_json(), sort_keys=True)


@pytest.fixture
def listings(monkeypatch):
    """How many times an engine read the whole folder (listed it and went over every file)."""
    calls = []
    real = tui.engine.load_corpus

    def counted(*args, **kwargs):
        calls.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(tui.engine, "load_corpus", counted)
    return calls


def _relation(tmp_path: Path, name: str) -> tuple[Path, Path, list[str]]:
    root = tmp_path / name
    shutil.copytree(FIXTURES / name, root)
    seeds = root / "seeds"
    texts = [p.read_text(encoding="utf-8") for p in sorted(seeds.iterdir()) if p.suffix in (".txt", ".md")]
    (seeds / "wire").mkdir(exist_ok=True)
    (seeds / "wire" / "2024-02-02-brief.txt").write_text(texts[0], encoding="utf-8")
    (seeds / "wire" / "2024-02-01-kept.txt").write_text(texts[-1], encoding="utf-8")  # the folder stays listed
    return root / "config.yaml", seeds, texts


def _jsonl(texts: list[str], rng: random.Random) -> str:
    """One to four records; some with their own ids, which may come back on another line."""
    lines = []
    own = rng.sample(["r1", "r2", "r3", "r4"], 4)
    for n in range(rng.randint(1, 4)):
        record = {"text": texts[n % len(texts)], "date": f"2024-0{1 + n}-11"}
        if rng.random() < 0.6:  # the same record on whatever line
            k = int(own[n][1:])
            record = {"id": own[n], "text": texts[k % len(texts)], "date": f"2024-0{k}-11"}
        if rng.random() < 0.2:
            record = {"title": "no text here"}  # a line listed as skipped
        lines.append(json.dumps(record))
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    "name,seed", [("india_pakistan", 0), ("heldout_eu_uk", 1), ("india_pakistan", 2), ("heldout_russia_ukraine", 3)]
)
def test_files_arriving_changing_and_going_give_the_picture_a_full_refresh_gives(
    tmp_path, shared_pipelines, listings, name, seed
):
    config, seeds, texts = _relation(tmp_path, name)
    rng = random.Random(seed)
    originals = sorted(p.name for p in seeds.iterdir() if p.is_file())
    slots = [
        *originals,
        "2023-11-30-late.txt",
        "2025-01-15-new.md",
        "wire/2024-02-02-brief.txt",
        "wire/2024-07-07-more.txt",
        "bulk.jsonl",
        ".draft.txt",
        "notes.csv",
        "empty.txt",
    ]
    cache = SessionCache()
    engine = Engine(config, cache=cache, workers=1)
    engine.keep_picture = False
    engine.refresh()
    full_listings = len(listings)
    for step in range(25):
        changed = []
        for _ in range(rng.randint(1, 3)):
            slot = rng.choice(slots)
            path = seeds / slot
            if path.exists() and rng.random() < 0.35:
                path.unlink()
            elif slot.endswith(".jsonl"):
                path.write_text(_jsonl(texts, rng), encoding="utf-8")
            elif slot == "empty.txt":
                path.write_text("" if rng.random() < 0.5 else rng.choice(texts), encoding="utf-8")
            else:
                path.write_text(rng.choice(texts), encoding="utf-8")
            changed.append(str(path))
        delta = engine.refresh(changed=changed)
        assert len(listings) == full_listings, f"step {step}: the whole folder was read again"
        fresh_engine = Engine(config, cache=cache, workers=1)
        fresh_engine.keep_picture = False
        fresh = fresh_engine.refresh()
        full_listings = len(listings)
        assert delta == fresh, f"step {step}: {changed}"
        assert _json(delta) == _json(fresh)
    assert engine.extract_calls > 0


def test_a_refresh_of_one_file_does_not_look_at_the_others(tmp_path, shared_pipelines, listings, monkeypatch):
    """The cost of a change is the change: one new article is one cache look-up,
    whatever the folder holds."""
    config, seeds, texts = _relation(tmp_path, "india_pakistan")
    engine = Engine(config, cache=SessionCache(), workers=1)
    engine.keep_picture = False
    engine.refresh()
    before = len(listings)
    looked: list[str] = []
    real_get = engine.cache.get
    monkeypatch.setattr(engine.cache, "get", lambda h, c, p: looked.append(h) or real_get(h, c, p))
    new = seeds / "2024-08-01-new.txt"
    new.write_text(texts[1], encoding="utf-8")
    after = engine.refresh(changed=[str(new)])
    assert len(listings) == before
    assert len(looked) == 1 and looked[0].split(":")[1] == new.name
    assert engine.last_stats.extracted == 1
    assert new.name in {d.id for d in after.documents}


def test_a_new_folder_or_a_new_config_reads_the_whole_folder_and_gives_the_same_picture(
    tmp_path, shared_pipelines, listings
):
    config, seeds, texts = _relation(tmp_path, "heldout_eu_uk")
    cache = SessionCache()
    engine = Engine(config, cache=cache, workers=1)
    engine.keep_picture = False
    engine.refresh()
    before = len(listings)
    (seeds / "archive").mkdir()
    path = seeds / "archive" / "2020-01-01-old.txt"
    path.write_text(texts[2], encoding="utf-8")
    after = engine.refresh(changed=[str(path)])
    assert len(listings) == before + 1  # a folder the listing never saw: listed in full
    assert "archive/2020-01-01-old.txt" in {d.id for d in after.documents}
    config.write_text(config.read_text(encoding="utf-8").replace("as_of:", "as_of: 2020-06-01 #"), encoding="utf-8")
    other = seeds / "2020-02-02-x.txt"
    other.write_text(texts[3], encoding="utf-8")
    again = engine.refresh(changed=[str(other)])
    fresh = Engine(config, cache=cache, workers=1).refresh()
    assert again.as_of == "2020-06-01"
    assert _json(again) == _json(fresh)


def test_a_listing_changed_file_by_file_is_the_listing_a_full_scan_gives(tmp_path):
    seeds = tmp_path / "seeds"
    (seeds / "wire").mkdir(parents=True)
    (seeds / ".git").mkdir()
    names = ["a.txt", "b.md", "wire/c.txt", "wire/d.html", "notes.pdf", ".hidden.txt", "e.md~", ".git/x.txt"]
    rng = random.Random(5)
    (seeds / "wire" / "keep.txt").write_text("Kept.\n", encoding="utf-8")
    index = FolderIndex(seeds, tuple(scan_seeds(seeds)))
    changed_in_place = 0
    for step in range(60):
        changed = []
        for _ in range(rng.randint(1, 3)):
            path = seeds / rng.choice(names)
            if path.exists() and rng.random() < 0.4:
                path.unlink()
            else:
                path.write_text(f"Article {step}, {'word ' * rng.randint(1, 9)}\n", encoding="utf-8")
                stamp = time.time() - rng.randint(0, 90)
                os.utime(path, (stamp, stamp))
            changed.append(str(path))
        full = tuple(scan_seeds(seeds))
        changes = index.changes(changed)
        if changes is None:
            index = FolderIndex(seeds, full)
            continue
        changed_in_place += 1
        index.apply(changes)
        assert index.listing() == full
    assert changed_in_place > 50
    (seeds / "new").mkdir()
    (seeds / "new" / "b.txt").write_text("Second.\n", encoding="utf-8")
    assert index.changes([str(seeds / "new" / "b.txt")]) is None
    assert index.changes([str(seeds / "new")]) is None
    assert index.changes([str(tmp_path / "elsewhere.txt")]) is None


def test_rows_and_summaries_kept_from_picture_to_picture_are_those_made_afresh(tmp_path, shared_pipelines):
    """The panes reuse the rows of records that did not change and count only
    the documents that did: each picture's rows, counts and change summary
    are the ones worked out from nothing."""
    from tui.ui import view

    config, seeds, texts = _relation(tmp_path, "india_pakistan")
    rng = random.Random(3)
    engine = Engine(config, cache=SessionCache(), workers=1)
    engine.keep_picture = False
    old = engine.refresh()
    contexts = [view.ViewContext(), view.ViewContext(show_past=True, sorts={"actor": "recent", "quote": "speaker"})]
    names = ["2024-09-09-a.txt", "2024-10-10-b.txt", "notes.csv", "2024-03-01-ministers-astana.txt"]
    for step in range(12):
        path = seeds / rng.choice(names)
        if path.exists() and rng.random() < 0.4:
            path.unlink()
        else:
            path.write_text(rng.choice(texts), encoding="utf-8")
        new = engine.refresh(changed=[str(path)])
        ctx = contexts[step % 2]
        warm = {kind: view.rows_for(kind, new, ctx) for kind in view.KINDS}
        summary = view.change_summary(old, new)
        counts = view.document_counts(new)
        view._ROWS.clear()
        view._DOCUMENTS = view._Documents()
        assert warm == {kind: view.rows_for(kind, new, ctx) for kind in view.KINDS}
        view._DOCUMENTS = view._Documents()
        assert summary == view.change_summary(old, new)
        assert counts == (
            sum(1 for d in new.documents if d.status == "ok"),
            sum(1 for d in new.documents if d.status != "ok"),
        )
        old = new


def test_a_kept_meeting_shows_its_participants_as_the_new_picture_names_them():
    """The same meeting record in the next picture keeps its row only while
    the row would read the same: a participant now known by a one-word alias
    is shown by it."""
    from types import SimpleNamespace

    from tui.ui import view

    meeting = SimpleNamespace(
        id="m1", participants=("Ana Maria Ruiz", "Otto Brandt"), upcoming=True, when="2024-03-09",
        days_until=3, granularity="day", status="planned", what="talks", where=None, reported=("2024-03-06",),
        when_end=None,
    )

    def picture(aliases):
        actors = (
            SimpleNamespace(name="Ana Maria Ruiz", kind="person", aliases=aliases, side=None),
            SimpleNamespace(name="Otto Brandt", kind="person", aliases=(), side=None),
        )
        return SimpleNamespace(as_of="2024-03-06", actors=actors, engagements=(meeting,), documents=(), quotes=())

    ctx = view.ViewContext()
    before = view.rows_for("engagement", picture(()), ctx)
    after = view.rows_for("engagement", picture(("Ana",)), ctx)
    assert "ruiz – brandt" in before[0].haystack
    assert "ana – brandt" in after[0].haystack
