"""Extraction as a user of `tui extract --json` sees it.

The sample article is checked against its gold file (tests/gold/sample.json,
written by hand for it); the two invented relations in tests/fixtures/ are
scored pane by pane with eval/score.py, so the same code is shown to work on
other relations, decades and newswires.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tui.engine import Engine

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "eval"))

from goldlib import load_gold  # noqa: E402
from score import score  # noqa: E402

SAMPLE_DOC = "2023-06-18-blinken-beijing.txt"


@pytest.fixture(scope="module")
def sample() -> dict:
    return Engine(ROOT / "config.yaml", seeds_dir=ROOT / "seeds").refresh().to_json()


@pytest.fixture(scope="module")
def sample_gold() -> dict:
    return json.loads((ROOT / "tests/gold/sample.json").read_text(encoding="utf-8"))


def test_sample_is_read_with_its_publication_date(sample):
    doc = next(d for d in sample["documents"] if d["id"] == SAMPLE_DOC)
    assert doc["status"] == "ok"
    assert doc["published"] == "2023-06-18"
    assert sample["as_of"] == "2023-06-18"


def test_every_quote_of_the_sample_has_its_speaker(sample, sample_gold):
    body = load_gold(ROOT / "tests/gold/sample.json").bodies[SAMPLE_DOC]
    found = {(q["start"], q["end"]): q for q in sample["quotes"]}
    for gold in sample_gold["quotes"]:
        q = found.get((gold["start"], gold["end"]))
        assert q is not None, f"quote not found: {gold['text'][:50]!r}"
        assert body[q["start"] : q["end"]] == q["text"] == gold["text"]
        assert q["speaker"] == gold["speaker"], gold["text"][:50]
    assert len(sample["quotes"]) == len(sample_gold["quotes"])


def test_every_named_official_appears_once_with_role_and_side(sample, sample_gold):
    by_name = {a["name"]: a for a in sample["actors"]}
    for gold in sample_gold["actors"]:
        if gold.get("optional") or gold["kind"] != "person":
            continue
        actor = by_name.get(gold["name"])
        assert actor is not None, f"missing {gold['name']}"
        assert actor["role"] in [gold["role"], *gold.get("roles", [])], gold["name"]
        assert actor["side"] == gold["side"], gold["name"]
    # One row per person: no bare surname beside the full name.
    people = [a["name"] for a in sample["actors"] if a["kind"] == "person"]
    surnames = {name.split()[-1] for name in people if " " in name}
    assert not [name for name in people if " " not in name and name in surnames]
    assert len(people) == len(set(people))


def _engagement(sample: dict, *people: str, when: str) -> dict:
    rows = [e for e in sample["engagements"] if set(e["participants"]) == set(people) and e["when"] == when]
    assert len(rows) == 1, f"{people} {when}: {rows}"
    return rows[0]


@pytest.mark.parametrize(
    ("people", "when", "status"),
    [
        (("Antony Blinken", "Qin Gang"), "2023-06-18", "planned"),
        (("Antony Blinken", "Wang Yi"), "2023-06-19", "planned"),
        (("Antony Blinken", "Xi Jinping"), "2023-06-19", "tentative"),
        (("Joe Biden", "Xi Jinping"), "2023-09", "tentative"),
        (("Joe Biden", "Xi Jinping"), "2023-11", "tentative"),
    ],
)
def test_upcoming_meetings_of_the_sample(sample, people, when, status):
    e = _engagement(sample, *people, when=when)
    assert e["status"] == status
    assert e["upcoming"] is True
    assert e["evidence"] and e["evidence"][0]["doc"] == SAMPLE_DOC


def test_summits_keep_their_place(sample):
    assert _engagement(sample, "Joe Biden", "Xi Jinping", when="2023-09")["where"] == "New Delhi"
    assert _engagement(sample, "Joe Biden", "Xi Jinping", when="2023-11")["where"] == "San Francisco"


def test_past_meetings_are_not_upcoming(sample):
    bali = _engagement(sample, "Joe Biden", "Xi Jinping", when="2022")
    assert bali["status"] == "past" and bali["upcoming"] is False
    upcoming = [e for e in sample["engagements"] if e["upcoming"]]
    assert all(e["when"] is None or e["when"] >= "2023-06" for e in upcoming)


def test_disputed_issues_of_the_sample(sample, sample_gold):
    got = {i["id"]: i for i in sample["issues"]}
    for gold in sample_gold["issues"]:
        assert gold["id"] in got
        assert got[gold["id"]]["mentions"] == gold["mentions"], gold["id"]
    taiwan = got["taiwan"]
    assert all(ev["sentence"] for ev in taiwan["evidence"])
    assert "Qin Gang" in taiwan["actors"]


# --- other relations, articles written for them -----------------------------


@pytest.mark.parametrize(
    ("gold_path", "floors"),
    [
        # Floors sit a little under what the extraction scores today (see the
        # README's measurement table), so a regression fails the run.
        (
            "tests/fixtures/india_pakistan/gold.json",
            {"actors": 0.8, "quotes": 0.95, "engagements": 0.85, "issues": 0.95, "speaker": 0.95},
        ),
        (
            "tests/fixtures/us_japan_1987/gold.json",
            {"actors": 0.9, "quotes": 0.95, "engagements": 0.9, "issues": 0.95, "speaker": 0.95},
        ),
        # Written by someone who never read tui/extract; scored before any tuning.
        (
            "tests/fixtures/heldout_eu_uk/gold.json",
            {"actors": 0.85, "quotes": 0.9, "engagements": 0.8, "issues": 0.95, "speaker": 0.8},
        ),
        (
            "tests/fixtures/heldout_russia_ukraine/gold.json",
            {"actors": 0.8, "quotes": 0.9, "engagements": 0.8, "issues": 0.95, "speaker": 0.9},
        ),
        (
            "tests/fixtures/heldout_egypt_israel_1978/gold.json",
            {"actors": 0.85, "quotes": 0.95, "engagements": 0.75, "issues": 0.95, "speaker": 0.8},
        ),
    ],
)
def test_other_relations_score_above_their_floor(gold_path, floors):
    gold = load_gold(ROOT / gold_path)
    snapshot = Engine(gold.config_path, seeds_dir=gold.seeds_dir).refresh().to_json()
    reports = {r.name: r for r in score(snapshot, gold.data)}
    floors = dict(floors)
    speaker_floor = floors.pop("speaker")
    for pane, floor in floors.items():
        f1 = reports[pane].prf.f1
        assert f1 is not None and f1 >= floor, f"{pane}: F1 {f1} < {floor}; misses {reports[pane].misses}"
    quotes = reports["quotes"].extra["quote + speaker"]
    assert quotes.f1 is not None and quotes.f1 >= speaker_floor, reports["quotes"].wrong


# --- the command line contract ----------------------------------------------


def test_extract_json_contract_from_the_command_line(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "tui", "extract", "--json", "--no-cache", "--config", str(ROOT / "config.yaml")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) >= {"as_of", "documents", "actors", "engagements", "issues", "quotes"}
    q = data["quotes"][0]
    assert set(q) >= {"text", "speaker", "side", "doc", "published", "start", "end"}
    e = data["engagements"][0]
    assert set(e) >= {"participants", "what", "where", "when", "when_text", "status", "upcoming", "evidence"}
    assert set(e["evidence"][0]) >= {"doc", "start", "end", "sentence"}
    a = data["actors"][0]
    assert set(a) >= {"id", "name", "kind", "role", "side", "aliases", "mentions", "docs"}


def test_extract_without_json_prints_a_readable_summary():
    result = subprocess.run(
        [sys.executable, "-m", "tui", "extract", "--no-cache", "-q", "--config", str(ROOT / "config.yaml")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0
    assert "UPCOMING ENGAGEMENTS" in result.stdout
    assert "Antony Blinken, Secretary of State [United States]" in result.stdout


def test_missing_seeds_folder_is_one_line_and_non_zero(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "tui",
            "extract",
            "--config",
            str(ROOT / "config.yaml"),
            "--seeds",
            str(tmp_path / "nowhere"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert result.stderr.strip().count("\n") == 0
    assert "seeds folder not found" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_article_that_breaks_extraction_is_skipped_and_the_others_stay(tmp_path, monkeypatch):
    import shutil

    import tui.extract.quotes as quotes

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(ROOT / "seeds" / SAMPLE_DOC, seeds / SAMPLE_DOC)
    (seeds / "2023-06-19-other.txt").write_text('"We will keep talking," Blinken said on Monday.\n', encoding="utf-8")
    real = quotes.find_quotes

    def breaks_on_one(doc, doc_id, *args, **kwargs):
        if doc_id == "2023-06-19-other.txt":
            raise RuntimeError("a bug in a rule")
        return real(doc, doc_id, *args, **kwargs)

    monkeypatch.setattr(quotes, "find_quotes", breaks_on_one)
    snapshot = Engine(ROOT / "config.yaml", seeds_dir=seeds).refresh()
    other = snapshot.document("2023-06-19-other.txt")
    assert other.status == "skipped" and "extraction failed" in other.reason
    assert len(snapshot.quotes) == 12  # the sample's quotes are all still there
