"""An engagement whose participants or date come from another sentence keeps
that sentence as support, with the words that gave them marked, so the detail
screen can show why "She will meet Brandt" is a meeting of Ana Ruiz."""

from __future__ import annotations

import json

import pytest

from tests.conftest import SMALL_CONFIG, Relation
from tui.config import load_config
from tui.engine import Engine
from tui.extract import extract_text
from tui.extract.models import DocResult, EngagementMention
from tui.extract.pipeline import build_pipeline

PUB = "2024-06-04"  # a Tuesday


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    root = tmp_path_factory.mktemp("support")
    (root / "seeds").mkdir()
    (root / "config.yaml").write_text(SMALL_CONFIG, encoding="utf-8")
    loaded = load_config(root / "config.yaml").config
    return loaded, build_pipeline(loaded)


def engagements(setup, text: str) -> list[EngagementMention]:
    config, pipeline = setup
    return list(extract_text(text, "t.txt", PUB, config, pipeline).engagements)


def marked(text: str, e: EngagementMention) -> list[tuple[str, str]]:
    """Each support as (the words it marks, its sentence), checked against the text."""
    out = []
    for s in e.support:
        assert text[s.sent_start : s.sent_start + len(s.sentence)] == s.sentence
        assert s.sent_start <= s.start < s.end <= s.sent_start + len(s.sentence)
        assert s.sentence != e.evidence.sentence
        out.append((text[s.start : s.end], s.sentence))
    return out


def test_a_participant_named_in_the_sentence_before_is_supported_by_it(setup):
    text = "Ruiz flew to Vale on Monday. She will meet Brandt there on Friday."
    (e,) = engagements(setup, text)
    assert set(e.participants) == {"Ana Ruiz", "Otto Brandt"} and e.when == "2024-06-07"
    assert marked(text, e) == [("Ruiz", "Ruiz flew to Vale on Monday.")]


def test_the_two_leaders_are_supported_by_where_each_is_named(setup):
    text = (
        "Freedonian President Lena Ortiz and Sylvanian Prime Minister Mira Holt spoke on Monday. "
        "The two leaders will meet in Geneva on June 9."
    )
    (e,) = [e for e in engagements(setup, text) if e.when == "2024-06-09"]
    first = text.split(". ")[0] + "."
    assert marked(text, e) == [("Lena Ortiz", first), ("Mira Holt", first)]


def test_a_day_counted_from_another_sentence_is_supported_by_that_day(setup):
    text = "Ruiz arrived in Vale on Tuesday. Ruiz will meet Brandt the following day."
    (e,) = engagements(setup, text)
    assert e.when == "2024-06-05"
    assert marked(text, e) == [("Tuesday", "Ruiz arrived in Vale on Tuesday.")]


def test_the_dateline_a_relative_day_counts_from_is_support(setup):
    text = "VALE, June 3 - Ruiz arrived in Vale this afternoon and will meet Brandt tomorrow morning."
    (e,) = engagements(setup, text)
    assert e.when == "2024-06-04"
    assert [words for words, _ in marked(text, e)] == ["June 3"]


def test_an_engagement_told_in_one_sentence_has_no_support(setup):
    text = "Freedonia and Sylvania are at odds. Ruiz will meet Brandt in Lisbon on June 12."
    (e,) = engagements(setup, text)
    assert e.support == ()


def test_a_chained_day_of_the_same_sentence_needs_no_support(setup):
    text = "Ruiz will meet Brandt on Monday in Lisbon and again in Vale the following day."
    assert all(e.support == () for e in engagements(setup, text))


def test_support_survives_the_cache_round_trip(setup):
    config, pipeline = setup
    text = "Ruiz flew to Vale on Monday. She will meet Brandt there on Friday."
    result = extract_text(text, "t.txt", PUB, config, pipeline)
    assert result.engagements[0].support
    again = DocResult.from_dict(json.loads(json.dumps(result.to_dict())))
    assert again == result


def test_a_cached_result_without_support_still_reads(setup):
    config, pipeline = setup
    result = extract_text("Ruiz will meet Brandt in Lisbon on June 12.", "t.txt", PUB, config, pipeline)
    data = result.to_dict()
    for e in data["engagements"]:
        del e["support"]
    assert DocResult.from_dict(data) == result


ARTICLE = """\
---
date: 2024-06-04
---
{lead} flew to Vale on Monday. She will meet Brandt there on Friday.

Ruiz will meet Holt in Lisbon on June 12.
"""


def test_the_json_output_carries_support_merged_across_articles(tmp_path):
    relation = Relation(tmp_path)
    relation.config.write_text(SMALL_CONFIG, encoding="utf-8")
    relation.write_article("a.md", ARTICLE.format(lead="Ruiz"))
    relation.write_article("b.md", ARTICLE.format(lead="Foreign Minister Ana Ruiz"))
    out = json.loads(json.dumps(Engine(relation.config).refresh().to_json()))
    by_who = {tuple(e["participants"]): e for e in out["engagements"]}
    friday = by_who[("Ana Ruiz", "Otto Brandt")]
    assert friday["when"] == "2024-06-07" and len(friday["evidence"]) == 2
    assert [(s["doc"], s["sentence"]) for s in friday["support"]] == [
        ("a.md", "Ruiz flew to Vale on Monday."),
        ("b.md", "Foreign Minister Ana Ruiz flew to Vale on Monday."),
    ]
    assert set(friday["support"][0]) == {"doc", "start", "end", "sentence"}
    body = ARTICLE.format(lead="Foreign Minister Ana Ruiz").split("---\n", 2)[2]
    assert body[friday["support"][1]["start"] : friday["support"][1]["end"]] == "Ana Ruiz"
    assert by_who[("Ana Ruiz", "Mira Holt")]["support"] == []
