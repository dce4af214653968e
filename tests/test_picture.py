"""The last run's picture shown at start when the seeds folder is unchanged.

`tui` and `tui extract` keep the picture they end on (tui/picture.py); the
next start over the same files shows it without reading an article or a
cached result. Anything else (a file added, edited or gone, the config
changed) and the picture is built as before.
"""

from __future__ import annotations

import json
import os
import pickle
import time
from pathlib import Path

import pytest

import tui.corpus
from tui.engine import Engine
from tui.picture import Picture, picture_path
from tui.store import cache_dir, open_store

HOUR_AGO = time.time() - 3600


def _settle(folder: Path) -> None:
    """Files written by the test are an hour old: past the clock's resolution,
    as any file is by the next start."""
    for path in folder.rglob("*"):
        os.utime(path, (HOUR_AGO, HOUR_AGO))


def _engine(relation) -> Engine:
    return Engine(relation.config, cache=open_store(relation.config), workers=1)


def _run(relation) -> tuple[Engine, dict]:
    engine = _engine(relation)
    try:
        return engine, engine.refresh().to_json()
    finally:
        engine.close()


@pytest.fixture
def counted_reads(monkeypatch):
    reads: list[str] = []
    real = tui.corpus.read_seed

    def read_seed(path, doc_id):
        reads.append(doc_id)
        return real(path, doc_id)

    monkeypatch.setattr(tui.corpus, "read_seed", read_seed)
    return reads


def test_an_unchanged_folder_shows_the_last_picture_without_reading_an_article(small_relation, counted_reads):
    _settle(small_relation.seeds)
    _, first = _run(small_relation)
    assert counted_reads == ["2024-03-04-lisbon.md"]
    counted_reads.clear()
    engine, again = _run(small_relation)
    assert again == first
    assert engine.served_picture and counted_reads == []
    # Priming reads the folder behind the picture: the next change costs only itself.
    engine = _engine(small_relation)
    engine.refresh()
    assert engine.prime() == engine.refresh(use_picture=False)
    engine.close()


def test_tui_extract_keeps_the_picture_the_next_start_shows(small_relation, counted_reads, capsys):
    from tui.cli import main

    _settle(small_relation.seeds)
    assert main(["extract", "--config", str(small_relation.config), "--json"]) == 0
    first = json.loads(capsys.readouterr().out)
    counted_reads.clear()
    engine, again = _run(small_relation)
    assert engine.served_picture and counted_reads == []
    assert again == first


def test_a_new_article_is_read_and_shown_rather_than_the_kept_picture(small_relation):
    _settle(small_relation.seeds)
    _run(small_relation)
    said = '"Our door stays open," Sylvanian Prime Minister Mira Holt said.'
    small_relation.write_article("2024-03-06-holt.md", f"---\ndate: 2024-03-06\n---\n{said}\n")
    _settle(small_relation.seeds)
    engine, after = _run(small_relation)
    assert not engine.served_picture
    assert any("door stays open" in q["text"] for q in after["quotes"])


def test_an_edit_that_keeps_size_and_time_is_still_seen_when_it_came_within_the_clock_resolution(small_relation):
    _run(small_relation)  # the article was written just now: too recent to trust its stamp
    path = small_relation.seeds / "2024-03-04-lisbon.md"
    st = path.stat()
    text = path.read_text(encoding="utf-8").replace("steel", "STEEL")
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    engine, after = _run(small_relation)
    assert not engine.served_picture
    assert any("STEEL" in q["text"] for q in after["quotes"])


def test_a_config_change_builds_the_picture_anew(small_relation):
    _settle(small_relation.seeds)
    _run(small_relation)
    config = small_relation.config.read_text(encoding="utf-8")
    small_relation.config.write_text(config.replace("name: Freedonia - Sylvania", "name: Sylvania watch"), "utf-8")
    engine, after = _run(small_relation)
    assert not engine.served_picture
    assert after["relation"] == "Sylvania watch"


class _Planted:
    def __reduce__(self):
        return (os.system, ("touch planted-by-picture",))


@pytest.mark.parametrize("content", ["code", "damaged", "foreign"])
def test_a_picture_file_that_is_not_ours_runs_nothing_and_is_replaced(small_relation, tmp_path, monkeypatch, content):
    monkeypatch.chdir(tmp_path)
    _settle(small_relation.seeds)
    _, first = _run(small_relation)
    path = picture_path(cache_dir(), small_relation.seeds)
    kept = pickle.loads(path.read_bytes())
    assert isinstance(kept, Picture)
    if content == "code":
        path.write_bytes(pickle.dumps(Picture(kept.key, kept.listing, kept.read_at, _Planted())))  # type: ignore[arg-type]
    elif content == "damaged":
        path.write_bytes(path.read_bytes()[:100])
    else:
        path.write_bytes(pickle.dumps({"key": kept.key}))
    engine, again = _run(small_relation)
    assert not (tmp_path / "planted-by-picture").exists()
    assert not engine.served_picture
    assert json.dumps(again, sort_keys=True) == json.dumps(first, sort_keys=True)
    assert isinstance(pickle.loads(path.read_bytes()), Picture)  # written anew at close


def test_without_a_cache_no_picture_is_kept_or_used(small_relation):
    _settle(small_relation.seeds)
    engine = Engine(small_relation.config, cache=None, workers=1)
    engine.refresh()
    engine.close()
    assert not picture_path(cache_dir(), small_relation.seeds).exists()


def test_an_article_written_just_before_the_last_run_ended_still_lets_the_picture_show(small_relation):
    # Live monitoring: the last refresh of a session follows a new file by moments.
    _run(small_relation)
    engine, _ = _run(small_relation)
    assert engine.served_picture
