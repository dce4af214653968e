"""Reloads read only the files that changed (size or time), and never trust
a file touched within the clock's resolution."""

from __future__ import annotations

import os
import time

import tui.corpus as corpus


def _write(path, text, age_s):
    path.write_text(text, encoding="utf-8")
    stamp = time.time() - age_s
    os.utime(path, (stamp, stamp))


def test_unchanged_files_are_not_read_again(tmp_path, monkeypatch):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    _write(seeds / "a.txt", "First article.\n", age_s=60)
    _write(seeds / "b.txt", "Second article.\n", age_s=60)
    memo: corpus.ReadMemo = {}
    corpus.load_corpus(seeds, memo)

    reads: list[str] = []
    real = corpus.read_article
    monkeypatch.setattr(corpus, "read_article", lambda path, doc_id: reads.append(doc_id) or real(path, doc_id))

    again = corpus.load_corpus(seeds, memo)
    assert reads == [] and [a.body for a in again.articles] == ["First article.\n", "Second article.\n"]

    _write(seeds / "b.txt", "Second article, edited.\n", age_s=30)
    (seeds / "a.txt").unlink()
    after = corpus.load_corpus(seeds, memo)
    assert reads == ["b.txt"]
    assert [a.body for a in after.articles] == ["Second article, edited.\n"]
    assert list(memo) == [str(seeds / "b.txt")]


def test_a_file_written_just_now_is_always_read(tmp_path, monkeypatch):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    _write(seeds / "a.txt", "Same size one.\n", age_s=0)
    memo: corpus.ReadMemo = {}
    corpus.load_corpus(seeds, memo)
    # Same size, same time stamp, other words: only a fresh read can tell.
    path = seeds / "a.txt"
    st = path.stat()
    path.write_text("Same size two.\n", encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert [a.body for a in corpus.load_corpus(seeds, memo).articles] == ["Same size two.\n"]


def test_articles_held_without_their_text_are_read_again_when_a_config_change_needs_it(small_relation):
    """Once an article's results are known the engine keeps its record, not its
    text; a config change that re-extracts it reads the file again, and the
    picture is the one a fresh engine makes."""
    import json

    from tui.cache import SessionCache
    from tui.engine import Engine

    for path in small_relation.seeds.iterdir():
        stamp = time.time() - 60
        os.utime(path, (stamp, stamp))
    engine = Engine(small_relation.config, cache=SessionCache(), workers=1)
    engine.refresh()
    assert all(a.body == "" for _, _, _, read in engine._read_memo.values() for a in read)
    config = small_relation.config.read_text(encoding="utf-8")
    small_relation.config.write_text(config.replace("steel tariffs", "new tariffs"), encoding="utf-8")
    after = engine.refresh()
    assert engine.last_stats.extracted == 1
    fresh = Engine(small_relation.config, workers=1).refresh()
    assert json.dumps(after.to_json(), sort_keys=True) == json.dumps(fresh.to_json(), sort_keys=True)
    assert after.issues  # the article's text was there to extract from


def test_a_refresh_told_which_files_changed_gives_the_full_refresh_picture(small_relation):
    import json

    from tui.cache import SessionCache
    from tui.engine import Engine

    engine = Engine(small_relation.config, cache=SessionCache(), workers=1)
    engine.refresh()
    said = '"Our door stays open," Sylvanian Prime Minister Mira Holt said.'
    added = small_relation.write_article("2024-03-06-holt.md", f"---\ndate: 2024-03-06\n---\n{said}\n")
    told = engine.refresh(changed=[str(added)])
    fresh = Engine(small_relation.config, workers=1).refresh()
    assert json.dumps(told.to_json(), sort_keys=True) == json.dumps(fresh.to_json(), sort_keys=True)
    assert any("door stays open" in q.text for q in told.quotes)
    (small_relation.seeds / "2024-03-04-lisbon.md").unlink()
    gone = engine.refresh(changed=[str(small_relation.seeds / "2024-03-04-lisbon.md")])
    assert [d.id for d in gone.documents] == ["2024-03-06-holt.md"]
