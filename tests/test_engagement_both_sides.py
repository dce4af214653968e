"""Engagements of "officials of both countries": the people of every side,
unnamed, meet; the record's participants are the config's parties."""

from __future__ import annotations

import pytest

from tests.conftest import SMALL_CONFIG
from tui.config import load_config
from tui.engine import Engine
from tui.extract import extract_text
from tui.extract.pipeline import build_pipeline

PUB = "2024-06-04"  # a Tuesday
SIDES = {"Freedonia", "Sylvania"}


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    root = tmp_path_factory.mktemp("both_sides")
    (root / "seeds").mkdir()
    (root / "config.yaml").write_text(SMALL_CONFIG, encoding="utf-8")
    loaded = load_config(root / "config.yaml").config
    return loaded, build_pipeline(loaded)


# An article about the relation names its sides somewhere before.
CONTEXT = "Freedonia and Sylvania have quarrelled over steel tariffs for a year. "


def found(setup, text: str) -> list[tuple]:
    config, pipeline = setup
    result = extract_text(CONTEXT + text, "t.txt", PUB, config, pipeline)
    return [(set(e.participants), e.when, e.status, e.where) for e in result.engagements]


@pytest.mark.parametrize(
    "text, when, status, where",
    [
        ("Officials of both countries will meet in Geneva next week.", "2024-06-10", "planned", "Geneva"),
        ("Delegations from the two countries are to hold talks on Thursday.", "2024-06-06", "planned", None),
        ("Representatives of both sides met on Friday.", "2024-05-31", "past", None),
        ("Negotiators from the two governments will meet in Vale on June 13.", "2024-06-13", "planned", "Vale"),
        ("Diplomats of the two nations held talks in Vale on Monday.", "2024-06-03", "past", "Vale"),
        ("Ministers from both countries will hold a summit in July.", "2024-07", "planned", None),
    ],
)
def test_the_people_of_both_sides_are_the_two_parties(setup, text, when, status, where):
    assert found(setup, text) == [(SIDES, when, status, where)]


def test_the_sides_may_be_named_by_their_people(setup):
    config, pipeline = setup
    text = "Ruiz and Brandt spoke by phone on Monday. Officials of both countries will meet in Geneva next week."
    rows = [(set(e.participants), e.when) for e in extract_text(text, "t.txt", PUB, config, pipeline).engagements]
    assert (SIDES, "2024-06-10") in rows


def test_both_countries_of_a_story_about_two_others_are_not_the_relation(setup):
    config, pipeline = setup
    for second in (
        "Foreign ministers of both countries met in Vale on Wednesday.",
        "It was announced after a meeting of foreign ministers of both countries in Vale on Wednesday.",
    ):
        text = "Freedonian envoy Tom Reyes praised a deal between Ostria and Norland on Thursday. " + second
        result = extract_text(text, "t.txt", PUB, config, pipeline)
        assert not [e for e in result.engagements if "Sylvania" in e.participants], second


def test_in_a_reported_clause_too(setup):
    text = "Sylvanian officials said on Monday that representatives of both sides would meet in Vale on June 20."
    assert found(setup, text) == [(SIDES, "2024-06-20", "planned", "Vale")]


def test_the_record_says_who_the_sides_are(setup):
    config, pipeline = setup
    (e,) = extract_text(CONTEXT + "Officials of both countries will meet in Geneva next week.", "t.txt", PUB,
                        config, pipeline).engagements
    assert "'Officials of both countries' stands for every side of the relation" in e.participants_reason


def test_both_of_something_else_is_not_the_relation(setup):
    assert found(setup, "Officials of both companies will meet in Geneva next week.") == []


def test_two_of_three_sides_are_not_every_side(tmp_path):
    config_text = SMALL_CONFIG.replace(
        "  - name: Sylvania\n", "  - name: Osterlich\n    aliases: [Osterlichian]\n  - name: Sylvania\n"
    )
    (tmp_path / "config.yaml").write_text(config_text, encoding="utf-8")
    config = load_config(tmp_path / "config.yaml").config
    text = "Freedonia, Osterlich and Sylvania are at odds. Officials of both countries will meet in Geneva next week."
    result = extract_text(text, "t.txt", PUB, config, build_pipeline(config))
    assert result.engagements == ()


def test_the_dashboard_lists_it_as_upcoming_between_the_parties(small_relation):
    small_relation.write_article("2024-03-05-sides.md", """\
        ---
        title: Talks set
        date: 2024-03-05
        ---
        Freedonia and Sylvania have argued over steel tariffs for a year.

        Officials of both countries will meet in Geneva next week, the Freedonian ministry said.
        """)
    snap = Engine(small_relation.config).refresh()
    rows = [e for e in snap.engagements if e.where == "Geneva"]
    assert [(set(e.participants), e.when, e.upcoming) for e in rows] == [(SIDES, "2024-03-11", True)]
    # The Lisbon article's "the two sides would meet again next week" is the same meeting.
    assert {ev.doc for ev in rows[0].evidence} == {"2024-03-04-lisbon.md", "2024-03-05-sides.md"}
