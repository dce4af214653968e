"""The SQLite result cache: what a user notices is speed and never stale rows.

Every test points TUI_CACHE_DIR at its own tmp_path, writes a small config
and short articles of an invented relation, and compares what the engine
shows with and without the cache.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path

import pytest

from tui import store as store_module
from tui.engine import Engine
from tui.extract.models import (
    ActorMention,
    DocResult,
    EngagementMention,
    Evidence,
    IssueMention,
    QuoteMention,
)
from tui.store import DB_NAME, SCHEMA_VERSION, ResultStore, cache_dir, open_store

CONFIG = """\
relation:
  name: Freedonia - Sylvania
model: en_core_web_sm
seeds: seeds
parties:
  - name: Freedonia
    aliases: [Freedonian]
  - name: Sylvania
    aliases: [Sylvanian]
actors:
  - name: Rufus Firefly
    aliases: [Firefly]
    role: Prime Minister
    side: Freedonia
  - name: Vera Trentino
    aliases: [Trentino]
    role: Ambassador
    side: Sylvania
issues:
  - id: border
    label: Border
    patterns: [border, frontier]
"""

ARTICLES = {
    "a.txt": """\
---
title: Talks planned
date: 2024-03-01
---
Prime Minister Rufus Firefly will visit Sylvania next week for talks on the border.

"We are ready to listen to our neighbours," Firefly told reporters on Friday.
""",
    "b.txt": """\
---
title: Envoy speaks
date: 2024-03-02
---
Ambassador Vera Trentino said the frontier must stay open.

"Sylvania will not close the door on Freedonia," Trentino said in a statement.
""",
    "c.txt": """\
---
title: Quiet week
date: 2024-03-03
---
Officials in Freedonia described a quiet week along the border.
""",
}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TUI_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "config.yaml").write_text(CONFIG, encoding="utf-8")
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for name, text in ARTICLES.items():
        (seeds / name).write_text(text, encoding="utf-8")
    return tmp_path


def run(project: Path, store: ResultStore | None) -> tuple[Engine, dict]:
    engine = Engine(project / "config.yaml", cache=store)
    snapshot = engine.refresh()
    return engine, snapshot.to_json()


def quotes(picture: dict) -> set[tuple[str, str | None, str]]:
    return {(q["text"], q["speaker"], q["doc"]) for q in picture["quotes"]}


@pytest.fixture
def reference(project: Path) -> dict:
    """What the panes show with no cache at all."""
    return run(project, None)[1]


def sample_result(doc: str = "x.txt", quote: str = "Words spoken aloud") -> DocResult:
    ev = Evidence(doc=doc, start=4, end=9, sentence="The Freedonia envoy said ...", sent_start=0)
    return DocResult(
        doc=doc,
        actors=(
            ActorMention(
                key="actor:Vera Trentino",
                name="Vera Trentino",
                kind="person",
                role="Ambassador",
                side="Sylvania",
                watchlisted=True,
                aliases=("Trentino",),
                mentions=2,
                evidence=(ev,),
            ),
        ),
        engagements=(
            EngagementMention(
                participants=("Rufus Firefly", "Vera Trentino"),
                what="talks",
                where="Sylvania",
                when="2024-03",
                when_text="next month",
                granularity="month",
                status="planned",
                evidence=ev,
                reason="relative to the publication date",
            ),
        ),
        issues=(
            IssueMention(
                issue_id="border", label="Border", matched="border", actors=(), evidence=ev
            ),
        ),
        quotes=(
            QuoteMention(
                text=quote,
                speaker="Vera Trentino",
                speaker_key="actor:Vera Trentino",
                side="Sylvania",
                doc=doc,
                start=10,
                end=28,
                sentence="\u201cWords spoken aloud,\u201d she said. [bold]not markup[/bold] \u6f22",
                sent_start=9,
            ),
        ),
    )


# --- the store on its own ---------------------------------------------------


def test_cache_lives_where_the_environment_says(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("TUI_CACHE_DIR", str(tmp_path / "mine"))
    assert cache_dir() == tmp_path / "mine"
    monkeypatch.delenv("TUI_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "tui"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_dir() == tmp_path / "home" / ".cache" / "tui"


def test_a_result_round_trips_and_other_keys_miss(tmp_path: Path) -> None:
    result = sample_result()
    with ResultStore(tmp_path / DB_NAME) as store:
        store.put("c1", "cfg1", "en_core_web_sm@3.8.0", result)
    with ResultStore(tmp_path / DB_NAME) as store:
        assert store.get("c1", "cfg1", "en_core_web_sm@3.8.0") == result
        assert store.get("c2", "cfg1", "en_core_web_sm@3.8.0") is None
        assert store.get("c1", "cfg2", "en_core_web_sm@3.8.0") is None
        assert store.get("c1", "cfg1", "en_core_web_sm@3.9.0") is None
        stats = store.stats()
        assert stats.entries == 1
        assert stats.schema_version == SCHEMA_VERSION
        assert stats.path == tmp_path / DB_NAME
        assert stats.bytes > 0
        assert store.warnings == []


def test_results_of_other_extraction_code_are_not_served(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with ResultStore(tmp_path / DB_NAME) as store:
        store.put("c1", "cfg", "p@1", sample_result())
    monkeypatch.setattr(store_module, "EXTRACTION_VERSION", store_module.EXTRACTION_VERSION + 1)
    with ResultStore(tmp_path / DB_NAME) as store:
        assert store.get("c1", "cfg", "p@1") is None


def test_clear_forgets_everything(tmp_path: Path) -> None:
    with ResultStore(tmp_path / DB_NAME) as store:
        for i in range(5):
            store.put(f"c{i}", "cfg", "p@1", sample_result())
        store.clear()
        assert store.stats().entries == 0
        assert store.get("c0", "cfg", "p@1") is None


def test_pruning_drops_the_least_recently_used(tmp_path: Path) -> None:
    now = [1_000_000.0]
    store = ResultStore(tmp_path / DB_NAME, max_entries=10, clock=lambda: now[0])
    for i in range(10):
        now[0] += 3 * 24 * 3600
        store.put(f"c{i}", "cfg", "p@1", sample_result())
    now[0] += 3 * 24 * 3600
    assert store.get("c0", "cfg", "p@1") is not None  # the oldest, read again today
    for i in range(10, 15):
        now[0] += 1
        store.put(f"c{i}", "cfg", "p@1", sample_result())
    dropped = store.prune()
    assert dropped > 0
    assert store.stats().entries <= 10
    assert store.get("c0", "cfg", "p@1") is not None
    assert store.get("c14", "cfg", "p@1") is not None
    assert store.get("c1", "cfg", "p@1") is None
    store.close()


def test_puts_keep_the_size_bound_without_being_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_module, "PRUNE_EVERY", 4)
    one = len(sample_result().to_dict().__repr__())
    with ResultStore(tmp_path / DB_NAME, max_bytes=one * 6) as store:
        for i in range(40):
            store.put(f"c{i}", "cfg", "p@1", sample_result())
        assert store.stats().entries < 12
        assert store.get("c39", "cfg", "p@1") is not None


def test_threads_share_one_store(tmp_path: Path) -> None:
    store = ResultStore(tmp_path / DB_NAME)
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(30):
                result = sample_result(doc=f"{n}-{i}.txt")
                store.put(f"{n}-{i}", "cfg", "p@1", result)
                assert store.get(f"{n}-{i}", "cfg", "p@1") == result
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert store.stats().entries == 120
    assert store.warnings == []
    store.close()


# --- the store under the engine ---------------------------------------------


def test_a_restart_over_the_same_corpus_runs_no_extraction(project: Path, reference: dict) -> None:
    first, picture = run(project, open_store(project / "config.yaml"))
    assert first.extract_calls == len(ARTICLES)
    assert picture == reference
    first.cache.close()  # type: ignore[union-attr]

    store = open_store(project / "config.yaml")
    second, picture = run(project, store)
    assert second.extract_calls == 0
    assert second.last_stats.cached == len(ARTICLES)
    assert picture == reference
    assert store.warnings == []  # type: ignore[union-attr]


def test_an_edited_article_is_the_only_one_extracted_again(project: Path) -> None:
    run(project, open_store(project / "config.yaml"))
    path = project / "seeds" / "b.txt"
    path.write_text(
        path.read_text(encoding="utf-8").replace("will not close the door", "keeps the door open"),
        encoding="utf-8",
    )
    engine, picture = run(project, open_store(project / "config.yaml"))
    assert engine.extract_calls == 1
    texts = {q["text"] for q in picture["quotes"] if q["doc"] == "b.txt"}
    assert any("keeps the door open" in t for t in texts)
    assert not any("will not close" in t for t in texts)


def test_a_config_change_re_extracts_and_changing_it_back_does_not(project: Path) -> None:
    run(project, open_store(project / "config.yaml"))
    config = project / "config.yaml"
    config.write_text(CONFIG.replace("patterns: [border, frontier]", "patterns: [frontier]"))
    engine, picture = run(project, open_store(config))
    assert engine.extract_calls == len(ARTICLES)
    assert picture == run(project, None)[1]
    config.write_text(CONFIG)
    engine, _ = run(project, open_store(config))
    assert engine.extract_calls == 0


def test_a_copied_article_gets_its_own_records(project: Path) -> None:
    store = open_store(project / "config.yaml")
    run(project, store)
    seeds = project / "seeds"
    (seeds / "copy-of-b.txt").write_bytes((seeds / "b.txt").read_bytes())
    engine, picture = run(project, store)
    assert engine.extract_calls == 1
    trentino = next(a for a in picture["actors"] if a["name"] == "Vera Trentino")
    assert {"b.txt", "copy-of-b.txt"} <= set(trentino["docs"])
    assert picture == run(project, None)[1]


def test_a_deleted_article_leaves_no_rows(project: Path) -> None:
    store = open_store(project / "config.yaml")
    run(project, store)
    (project / "seeds" / "b.txt").unlink()
    engine, picture = run(project, store)
    assert engine.extract_calls == 0
    assert all(q["doc"] != "b.txt" for q in picture["quotes"])
    assert "Vera Trentino" not in {q["speaker"] for q in picture["quotes"]}


# --- damaged, foreign, locked and unwritable caches ------------------------


def db_path(project: Path) -> Path:
    return project / "cache" / DB_NAME


def test_a_corrupt_cache_file_is_rebuilt_with_a_warning(project: Path, reference: dict) -> None:
    db = db_path(project)
    db.parent.mkdir()
    db.write_bytes(os.urandom(64) + b"not a database" * 500)
    store = open_store(project / "config.yaml")
    engine, picture = run(project, store)
    assert picture == reference
    assert engine.extract_calls == len(ARTICLES)
    assert len(store.warnings) == 1  # type: ignore[union-attr]
    assert str(db) in store.warnings[0] and "rebuilt" in store.warnings[0]  # type: ignore[union-attr]
    store.close()  # type: ignore[union-attr]

    store = open_store(project / "config.yaml")
    engine, picture = run(project, store)
    assert (engine.extract_calls, store.warnings) == (0, [])  # type: ignore[union-attr]
    assert picture == reference


def test_a_cache_damaged_after_its_header_is_rebuilt(project: Path, reference: dict) -> None:
    store = open_store(project / "config.yaml")
    run(project, store)
    store.close()  # type: ignore[union-attr]
    db = db_path(project)
    data = bytearray(db.read_bytes())
    page = 4096
    data[page:] = b"\xa5" * (len(data) - page)  # keep the header, wreck every page after it
    db.write_bytes(bytes(data))
    store = open_store(project / "config.yaml")
    engine, picture = run(project, store)
    assert picture == reference
    assert store.warnings  # type: ignore[union-attr]
    assert engine.extract_calls == len(ARTICLES)


def poison(db: Path, project: Path) -> None:
    """Fill the cache, then make every cached quote say something the articles do not."""
    store = open_store(project / "config.yaml")
    run(project, store)
    store.close()  # type: ignore[union-attr]
    conn = sqlite3.connect(db)
    conn.execute("UPDATE results SET result = replace(result, 'Sylvania will not', 'STALE STALE')")
    conn.commit()
    conn.close()


@pytest.mark.parametrize(
    "make_old",
    [
        pytest.param(f"PRAGMA user_version = {SCHEMA_VERSION + 1}", id="other-version"),
        pytest.param("PRAGMA user_version = 0", id="no-version"),
        pytest.param("ALTER TABLE results RENAME TO old_results", id="old-tables"),
    ],
)
def test_a_cache_of_another_schema_is_rebuilt_never_served(
    project: Path, reference: dict, make_old: str
) -> None:
    db = db_path(project)
    poison(db, project)
    conn = sqlite3.connect(db)
    conn.execute(make_old)
    conn.commit()
    conn.close()
    store = open_store(project / "config.yaml")
    engine, picture = run(project, store)
    assert picture == reference
    assert "STALE" not in str(picture)
    assert engine.extract_calls == len(ARTICLES)
    assert len(store.warnings) == 1 and "schema" in store.warnings[0]  # type: ignore[union-attr]
    assert store.stats().schema_version == SCHEMA_VERSION  # type: ignore[union-attr]


def test_the_poisoned_cache_is_what_would_be_served(project: Path) -> None:
    """Guards the test above: its poisoned rows really are hits when the schema is current."""
    poison(db_path(project), project)
    _, picture = run(project, open_store(project / "config.yaml"))
    assert "STALE STALE" in str(picture)


def test_a_cache_locked_by_another_program_is_bypassed(project: Path, reference: dict) -> None:
    store = open_store(project / "config.yaml")
    run(project, store)
    store.close()  # type: ignore[union-attr]
    other = sqlite3.connect(db_path(project), isolation_level=None)
    other.execute("PRAGMA locking_mode = EXCLUSIVE")
    other.execute("BEGIN EXCLUSIVE")
    try:
        store = open_store(project / "config.yaml")
        engine, picture = run(project, store)
        assert picture == reference
        assert len(store.warnings) == 1 and "locked" in store.warnings[0]  # type: ignore[union-attr]
        # Results are kept in memory: the next refresh in this session is incremental.
        engine.refresh()
        assert engine.extract_calls == len(ARTICLES)
    finally:
        other.execute("ROLLBACK")
        other.close()
    # The other program's file is left alone, and usable once it lets go.
    store = open_store(project / "config.yaml")
    engine, _ = run(project, store)
    assert (engine.extract_calls, store.warnings) == (0, [])  # type: ignore[union-attr]


def test_a_write_lock_taken_after_opening_costs_only_the_writes(
    project: Path, reference: dict
) -> None:
    store = open_store(project / "config.yaml")
    other = sqlite3.connect(db_path(project), isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        engine, picture = run(project, store)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert picture == reference
    assert any("locked" in w for w in store.warnings)  # type: ignore[union-attr]
    engine.refresh()
    assert engine.extract_calls == len(ARTICLES)


@pytest.mark.parametrize("where", ["folder-is-a-file", "database-is-a-folder"])
def test_an_unusable_cache_location_falls_back_to_memory(
    project: Path, reference: dict, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    if where == "folder-is-a-file":
        (project / "blocker").write_text("a file where the cache folder should be")
        monkeypatch.setenv("TUI_CACHE_DIR", str(project / "blocker" / "cache"))
    else:
        (project / "cache" / DB_NAME).mkdir(parents=True)
    store = open_store(project / "config.yaml")
    engine, picture = run(project, store)
    assert picture == reference
    assert len(store.warnings) == 1 and "memory" in store.warnings[0]  # type: ignore[union-attr]
    assert store.stats().path is None  # type: ignore[union-attr]
    engine.refresh()
    assert engine.extract_calls == len(ARTICLES)


@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0, reason="root writes to read-only folders anyway"
)
def test_a_read_only_cache_folder_falls_back_to_memory(project: Path, reference: dict) -> None:
    store = open_store(project / "config.yaml")
    run(project, store)
    store.close()  # type: ignore[union-attr]
    folder = db_path(project).parent
    folder.chmod(0o555)
    db_path(project).chmod(0o444)
    try:
        store = open_store(project / "config.yaml")
        _, picture = run(project, store)
    finally:
        folder.chmod(0o755)
    assert picture == reference
    assert store.warnings  # type: ignore[union-attr]


def test_extract_prints_cache_warnings(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tui.cli import main

    db = db_path(project)
    db.parent.mkdir()
    db.write_bytes(b"\x00garbage" * 100)
    assert main(["extract", "--quiet", "--json", "--config", str(project / "config.yaml")]) == 0
    err = capsys.readouterr().err
    assert f"tui: warning: {db}:" in err
    assert "Traceback" not in err


def test_an_entry_that_does_not_read_back_is_extracted_again(
    project: Path, reference: dict
) -> None:
    store = open_store(project / "config.yaml")
    run(project, store)
    store.close()  # type: ignore[union-attr]
    conn = sqlite3.connect(db_path(project))
    conn.execute("UPDATE results SET result = '{\"doc\": \"a.txt\", \"actors\": [{\"oops\"'")
    conn.commit()
    conn.close()
    store = open_store(project / "config.yaml")
    engine, picture = run(project, store)
    assert picture == reference
    assert engine.extract_calls == len(ARTICLES)
    assert len(store.warnings) == 1  # type: ignore[union-attr]
    _, again = run(project, store)
    assert again == reference


def test_two_programs_share_one_cache_file(tmp_path: Path) -> None:
    """The dashboard and `tui extract` may run at once over the same file."""
    first = ResultStore(tmp_path / DB_NAME)
    second = ResultStore(tmp_path / DB_NAME)
    errors: list[BaseException] = []

    def work(store: ResultStore, name: str) -> None:
        try:
            for i in range(40):
                store.put(f"{name}{i}", "cfg", "p@1", sample_result(doc=f"{name}{i}.txt"))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [
        threading.Thread(target=work, args=(first, "a")),
        threading.Thread(target=work, args=(second, "b")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert first.warnings == [] and second.warnings == []
    assert first.get("b39", "cfg", "p@1") == sample_result(doc="b39.txt")
    assert second.get("a0", "cfg", "p@1") == sample_result(doc="a0.txt")
    first.close()
    second.close()


def test_a_closed_store_opens_its_file_again_when_used(tmp_path: Path) -> None:
    store = ResultStore(tmp_path / DB_NAME)
    store.put("c1", "cfg", "p@1", sample_result())
    store.close()
    assert store.get("c1", "cfg", "p@1") == sample_result()
    store.put("c2", "cfg", "p@1", sample_result())
    store.close()
    with ResultStore(tmp_path / DB_NAME) as again:
        assert again.stats().entries == 2
