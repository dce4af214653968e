"""Sides of people the watchlist lacks, read from how a sentence places them:
the group they belong to, whom they go with, whose aide or counterpart they
are. A side read wrong is worse than none: the inbox would offer it."""

from __future__ import annotations

import pytest

from tests.conftest import SMALL_CONFIG
from tui.config import load_config
from tui.extract import extract_text
from tui.extract.pipeline import build_pipeline


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    root = tmp_path_factory.mktemp("sides")
    (root / "seeds").mkdir()
    (root / "config.yaml").write_text(SMALL_CONFIG, encoding="utf-8")
    loaded = load_config(root / "config.yaml").config
    return loaded, build_pipeline(loaded)


def sides(setup, text: str) -> dict[str, str | None]:
    config, pipeline = setup
    result = extract_text(text, "t.txt", "2024-06-04", config, pipeline)
    return {a.name: a.side for a in result.actors if a.kind == "person" and not a.watchlisted}


def test_the_members_of_a_sides_delegation_are_on_that_side(setup):
    got = sides(setup, "The Sylvanian delegation includes Deputy Minister Jan Berg and Trade Adviser Lena Ortiz.")
    assert got == {"Jan Berg": "Sylvania", "Lena Ortiz": "Sylvania"}


def test_who_leads_a_sides_team_is_on_it(setup):
    got = sides(setup, "Deputy Minister Jan Berg will lead the Freedonian team at the talks.")
    assert got == {"Jan Berg": "Freedonia"}
    got = sides(setup, "The delegations will be led by Deputy Minister Jan Berg on the Sylvanian side.")
    assert got == {"Jan Berg": "Sylvania"}


def test_who_goes_with_someone_is_on_their_side(setup):
    assert sides(setup, "Holt is accompanied by Foreign Secretary Tom Reyes.") == {"Tom Reyes": "Sylvania"}


def test_an_aide_takes_the_side_of_whoever_employs_them_once_it_is_known(setup):
    got = sides(setup, "Lena Ortiz's senior adviser, Jan Berg, spoke first. Ortiz is Sylvania's trade envoy.")
    assert got == {"Lena Ortiz": "Sylvania", "Jan Berg": "Sylvania"}


def test_a_counterpart_sits_across_the_table(setup):
    got = sides(setup, "Prime Minister Dara Velez hopes to meet his Sylvanian counterpart, Ivo Lind, in June.")
    assert got == {"Dara Velez": "Freedonia", "Ivo Lind": "Sylvania"}
    assert sides(setup, "Brandt's counterpart, Tom Reyes, said the talks were useful.") == {"Tom Reyes": "Freedonia"}


def test_a_rival_is_not_on_the_side_of_whoever_they_rival(setup):
    assert sides(setup, "Brandt's rival Tom Reyes said the talks were useful.") == {"Tom Reyes": None}


def test_a_third_countrys_minister_is_no_ones_counterpart_across(setup):
    got = sides(setup, "Norwegian Foreign Minister Lars Dahl will meet his Sylvanian counterpart Ivo Lind on Friday.")
    assert got == {"Lars Dahl": None, "Ivo Lind": "Sylvania"}


def test_a_party_a_role_is_about_is_not_its_holders_side(setup):
    assert sides(setup, "Special Envoy for Sylvania Tom Reyes said the talks were useful.") == {"Tom Reyes": None}
    assert sides(setup, "Tom Reyes, the Sylvanian envoy to Freedonia, said so.") == {"Tom Reyes": "Sylvania"}


def test_a_name_runs_on_over_its_particles(setup):
    got = sides(setup, "Sylvanian Deputy Minister Ursel von der Heide said the talks were useful.")
    assert got == {"Ursel von der Heide": "Sylvania"}


def test_a_bare_surname_with_an_honorific_is_a_person(setup):
    config, pipeline = setup
    text = "A visit to Sylvania by Mr. Lund, set for May, was put off."
    result = extract_text(text, "t.txt", "2024-06-04", config, pipeline)
    people = [(a.name, a.kind) for a in result.actors if not a.watchlisted and a.kind != "country"]
    assert people == [("Lund", "person")]


def test_a_family_name_written_first_is_the_same_person(setup):
    config, pipeline = setup
    text = "Sylvanian Premier Xu Tielin met Ruiz on Monday. Xu said the talks were useful."
    result = extract_text(text, "t.txt", "2024-06-04", config, pipeline)
    people = [a.name for a in result.actors if a.kind == "person" and not a.watchlisted]
    assert people == ["Xu Tielin"]


OFFICES_CONFIG = SMALL_CONFIG.replace(
    "    aliases: [Sylvanian]\n", "    aliases: [Sylvanian]\n    offices: [Harbour Secretary, Velvet Party, SVP]\n"
)


@pytest.fixture(scope="module")
def with_offices(tmp_path_factory):
    root = tmp_path_factory.mktemp("offices")
    (root / "seeds").mkdir()
    (root / "config.yaml").write_text(OFFICES_CONFIG, encoding="utf-8")
    loaded = load_config(root / "config.yaml").config
    return loaded, build_pipeline(loaded)


def test_an_office_only_one_side_has_gives_its_side(with_offices):
    assert sides(with_offices, "Harbour Secretary Jan Berg said the talks were useful.") == {"Jan Berg": "Sylvania"}
    got = sides(with_offices, "Lena Ortiz, an SVP lawmaker, said the talks were useful.")
    assert got == {"Lena Ortiz": "Sylvania"}
    assert sides(with_offices, "Lena Ortiz, an svp lawmaker, said so.").get("Lena Ortiz") is None  # acronyms as written


def test_a_party_gets_its_countrys_offices_unless_it_sets_its_own(tmp_path):
    from tui.config import load_config

    text = SMALL_CONFIG.replace(
        "  - name: Freedonia\n    aliases: [Freedonian]", "  - name: United Kingdom\n    aliases: [UK]"
    )
    text = text.replace("side: Freedonia", "side: United Kingdom")
    (tmp_path / "config.yaml").write_text(text, encoding="utf-8")
    parties = {p.name: p.offices for p in load_config(tmp_path / "config.yaml").config.parties}
    assert "Foreign Secretary" in parties["United Kingdom"] and parties["Sylvania"] == []
    none = text.replace("aliases: [UK]", "aliases: [UK]\n    offices: []")
    (tmp_path / "config.yaml").write_text(none, encoding="utf-8")
    assert load_config(tmp_path / "config.yaml").config.parties[0].offices == []
