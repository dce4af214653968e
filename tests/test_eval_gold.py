"""The gold files and the scorers that read them.

These tests do not run the extraction: they check that every gold file agrees
with its articles (a quote's offsets hold its text, speakers and participants
are gold actors, issue counts are what the config's phrases match) and that
the scorer reports what it should for a known snapshot.
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "eval"))

import goldlib  # noqa: E402
import polnear  # noqa: E402
import score  # noqa: E402

GOLD_FILES = [
    ROOT / "tests/gold/sample.json",
    ROOT / "tests/fixtures/india_pakistan/gold.json",
    ROOT / "tests/fixtures/us_japan_1987/gold.json",
]


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.parent.name)
def test_gold_file_agrees_with_its_articles(path: Path) -> None:
    gold = goldlib.load_gold(path)
    assert gold.bodies, f"{path}: no seeds read"
    assert goldlib.check_gold(gold) == []
    for q in gold.data["quotes"]:
        assert gold.bodies[q["doc"]][q["start"] : q["end"]] == q["text"]


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.parent.name)
def test_every_seed_has_gold_and_every_gold_doc_is_a_seed(path: Path) -> None:
    gold = goldlib.load_gold(path)
    listed = {d["id"] for d in gold.data["documents"]}
    assert listed == set(gold.bodies)
    for d in gold.data["documents"]:
        assert d["published"] == d["id"][:10]


def test_a_shifted_offset_is_reported() -> None:
    gold = goldlib.load_gold(GOLD_FILES[1])
    broken = copy.deepcopy(gold.data)
    broken["quotes"][0]["start"] += 1
    problems = goldlib.check_gold(
        goldlib.GoldSet(gold.path, broken, gold.config_path, gold.seeds_dir, gold.bodies)
    )
    assert len(problems) == 1 and "quotes[0]" in problems[0]


def _snapshot_from_gold(data: dict) -> dict:
    """What a perfect extraction would print, built from a gold file."""
    return {
        "actors": [a for a in data["actors"] if not a.get("optional")],
        "quotes": [dict(q) for q in data["quotes"]],
        "engagements": [
            {**e, "evidence": [{"doc": e["doc"], "start": 0, "end": 0, "sentence": ""}]}
            for e in data["engagements"]
            if not e.get("optional")
        ],
        "issues": [dict(i) for i in data["issues"]],
    }


def test_scorer_gives_full_marks_to_the_gold_itself() -> None:
    data = goldlib.load_gold(GOLD_FILES[1]).data
    for rep in score.score(_snapshot_from_gold(data), data):
        assert rep.prf.precision == 1.0 and rep.prf.recall == 1.0, rep.name
        assert rep.misses == rep.false_positives == rep.wrong == []


def test_scorer_lists_what_is_missed_wrong_or_invented() -> None:
    data = goldlib.load_gold(GOLD_FILES[1]).data
    snap = _snapshot_from_gold(data)
    dropped = snap["quotes"].pop(0)
    snap["quotes"][0]["speaker"] = (
        "Narendra Modi" if snap["quotes"][0]["speaker"] != "Narendra Modi" else "Ishaq Dar"
    )
    snap["engagements"][0]["status"] = "cancelled"
    snap["actors"].append({"name": "Astana", "kind": "person", "role": None, "side": None})
    actors, quotes, engagements, _ = score.score(snap, data)
    assert quotes.prf.recall < 1.0 and any(dropped["text"][:30] in m for m in quotes.misses)
    assert len(quotes.wrong) == 1 and "speaker" in quotes.wrong[0]
    assert engagements.extra["status accuracy (matched)"].right == engagements.prf.tp_gold - 1
    assert actors.prf.precision < 1.0 and actors.false_positives[0].startswith("Astana")


def test_optional_gold_rows_are_neither_missed_nor_false_positives() -> None:
    data = goldlib.load_gold(GOLD_FILES[0]).data
    snap = _snapshot_from_gold(data)
    snap["actors"].append({"name": "Japan", "kind": "country", "role": None, "side": "other"})
    actors = score.score(snap, data)[0]
    assert actors.prf.precision == 1.0 and actors.false_positives == []


def test_polnear_reads_brat_spans_and_finds_direct_quotes() -> None:
    text = 'Title line\n\nThe mayor said "we will rebuild the bridge this year," and left.\n'
    start = text.index("we will")
    ann = (
        f"T1\tSource 12 21\tThe mayor\nT2\tCue 22 26\tsaid\n"
        f'T3\tContent {start - 1} {start + 41}\t"we will rebuild the bridge this year,"\n'
        "E1\tAttribution:T2 Content:T3 Cue:T2 Source:T1\n"
    )
    attributions = polnear.parse_ann(ann)
    gold, unattributed = polnear.gold_quotes("d", text, attributions)
    assert [text[g.start : g.end] for g in gold] == ["we will rebuild the bridge this year"]
    assert gold[0].source == "The mayor" and unattributed == []
    assert polnear.source_kind("he") == "pronoun" and polnear.source_kind("The mayor") == "nominal"
    assert polnear.speaker_matches("Hillary Clinton", "Mrs. Clinton")


def test_polnear_refuses_the_reserved_test_split(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert polnear.main([str(tmp_path), "--split", "test"]) == 2
    assert "reserved" in capsys.readouterr().err
