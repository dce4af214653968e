"""`tui init`: a commented config for a new relation that loads, validates and runs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui.cli import main
from tui.config import load_config
from tui.extract.lexicon import english_defaults


def init(tmp_path: Path, *args: str) -> int:
    return main(["init", *args, "--config", str(tmp_path / "config.yaml")])


def test_init_writes_a_commented_config_that_loads_with_the_parties_and_the_default_words(tmp_path, capsys):
    assert init(tmp_path, "India", "Pakistan") == 0
    assert "config.yaml" in capsys.readouterr().out
    text = (tmp_path / "config.yaml").read_text(encoding="utf-8")
    config = load_config(tmp_path / "config.yaml").config
    assert config.relation.name == "India - Pakistan"
    india, pakistan = config.parties
    assert india.name == "India" and {"Indian", "Indians", "New Delhi"} <= set(india.aliases)
    assert pakistan.name == "Pakistan" and {"Pakistani", "Pakistanis", "Islamabad"} <= set(pakistan.aliases)
    assert config.actors == [] and config.issues == []
    assert config.engagements.cues == english_defaults()["engagement_cues"]
    assert config.quotes.verbs == english_defaults()["quote_verbs"]
    # examples of a watchlist entry and an issue, in comments
    assert "#  - name: Ana Ruiz" in text and "#    patterns:" in text
    assert (tmp_path / "seeds").is_dir()


def test_an_existing_config_is_never_overwritten(tmp_path, capsys):
    target = tmp_path / "config.yaml"
    target.write_text("# mine\n", encoding="utf-8")
    assert init(tmp_path, "India", "Pakistan") == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "already exists" in err
    assert target.read_text(encoding="utf-8") == "# mine\n"


@pytest.mark.parametrize(
    "typed, name, alias",
    [("US", "United States", "Washington"), ("Britain", "United Kingdom", "British"),
     ("South Korea", "South Korea", "Seoul"), ("viet nam", "Vietnam", "Hanoi"), ("EU", "European Union", "Brussels")],
)
def test_common_names_are_accepted(tmp_path, typed, name, alias):
    assert init(tmp_path, typed, "Japan") == 0
    party = load_config(tmp_path / "config.yaml").config.parties[0]
    assert party.name == name and alias in party.aliases


def test_an_unknown_country_is_one_clear_line_and_nothing_is_written(tmp_path, capsys):
    assert init(tmp_path, "India", "Narnia") == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "'Narnia' is not a country" in err
    assert not (tmp_path / "config.yaml").exists()


def test_a_country_missing_from_our_table_still_gets_a_valid_config_and_a_note(tmp_path):
    assert init(tmp_path, "Bhutan", "Nepal") == 0
    text = (tmp_path / "config.yaml").read_text(encoding="utf-8")
    parties = load_config(tmp_path / "config.yaml").config.parties
    assert [p.name for p in parties] == ["Bhutan", "Nepal"]
    assert "Kingdom of Bhutan" in parties[0].aliases  # pycountry's official name
    assert "tui/countries.yaml has nothing on Bhutan" in text


def test_the_same_country_twice_is_refused(tmp_path, capsys):
    assert init(tmp_path, "UK", "Britain") == 2
    assert "both United Kingdom" in capsys.readouterr().err


def test_seeds_folder_given_is_made_and_written_relative_to_the_config(tmp_path):
    assert init(tmp_path, "India", "Pakistan", "--seeds", str(tmp_path / "articles")) == 0
    loaded = load_config(tmp_path / "config.yaml")
    assert loaded.config.seeds == "articles"
    assert loaded.seeds_dir == (tmp_path / "articles").resolve() and loaded.seeds_dir.is_dir()


def test_init_help(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["init", "--help"])
    assert stop.value.code == 0
    assert "never overwritten" in capsys.readouterr().out


def test_a_new_relation_runs_at_once(tmp_path, capsys, shared_pipelines):
    assert init(tmp_path, "India", "Pakistan") == 0
    (tmp_path / "seeds" / "2024-03-01-talks.txt").write_text(
        "Indian Foreign Secretary Vikram Rao met Pakistani envoy Sana Mir in New Delhi on Friday.\n",
        encoding="utf-8",
    )
    capsys.readouterr()
    assert main(["extract", "--json", "-q", "--no-cache", "--config", str(tmp_path / "config.yaml")]) == 0
    data = json.loads(capsys.readouterr().out)
    sides = {a["name"]: a["side"] for a in data["actors"]}
    assert sides.get("Vikram Rao") == "India" and sides.get("Sana Mir") == "Pakistan"
