"""A bare alias that several people carry is ambiguous: say so, in the
snapshot's warnings (status line, `tui extract --json`) and in `tui doctor`."""

from __future__ import annotations

import io
import json
import textwrap
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from tui.cli import main
from tui.config import Config
from tui.engine import Engine
from tui.extract.models import Actor
from tui.extract.shared_aliases import shared_aliases

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
  - name: Lena Varga
    aliases: [{varga_alias}]
    role: Foreign Minister
    side: Freedonia
  - name: Otto Brandt
    aliases: [Brandt]
    role: Trade Minister
    side: Sylvania
{more_actors}"""

TWO_VARGAS = """\
---
date: 2024-05-06
---
Freedonian Foreign Minister Lena Varga met Sylvanian Trade Minister Otto Brandt in Vale on Monday.

Tomas Varga, a Freedonian opposition lawmaker, criticised the meeting with Sylvania.

"It was a mistake," Varga said on Tuesday.
"""

ONE_VARGA = """\
---
date: 2024-05-07
---
Freedonian Foreign Minister Lena Varga met Sylvanian Trade Minister Otto Brandt in Vale on Tuesday.

"We made progress," Varga told reporters.
"""

WARNING = 'alias "Varga" (Lena Varga) is shared by 2 people in the articles: Lena Varga, Tomas Varga'


def project(
    tmp_path: Path, article: str, varga_alias: str = "Varga", more_actors: str = "", owner: str = "Lena Varga"
) -> Path:
    text = CONFIG.format(varga_alias=varga_alias, more_actors=textwrap.indent(more_actors, "  "))
    (tmp_path / "config.yaml").write_text(text.replace("Lena Varga", owner), encoding="utf-8")
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "article.md").write_text(article, encoding="utf-8")
    return tmp_path / "config.yaml"


def extract_json(config: Path) -> dict:
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["extract", "--json", "--quiet", "--config", str(config)]) == 0
    return json.loads(out.getvalue())


def doctor(config: Path) -> tuple[int, str]:
    out = io.StringIO()
    with redirect_stdout(out):
        rc = main(["doctor", "--config", str(config)])
    return rc, out.getvalue()


@pytest.fixture(autouse=True)
def _one_pipeline(shared_pipelines):
    """Every test here builds engines over nearly the same config."""


def test_two_people_with_the_word_in_the_articles_give_one_warning(tmp_path: Path) -> None:
    config = project(tmp_path, TWO_VARGAS)
    snap = Engine(config).refresh()
    assert [w for w in snap.warnings if "Varga" in w] == [WARNING]
    # The other Varga is his own actor, not a mention of the minister.
    actors = {a.name: a for a in snap.actors}
    assert actors["Tomas Varga"].role == "Freedonian opposition lawmaker"
    assert not actors["Tomas Varga"].watchlisted
    assert actors["Lena Varga"].mentions == 2  # her full name and the bare "Varga"
    assert extract_json(config)["warnings"] == [WARNING]


def test_one_person_with_the_word_gives_no_warning(tmp_path: Path) -> None:
    config = project(tmp_path, ONE_VARGA)
    assert extract_json(config)["warnings"] == []


def test_the_surname_added_for_a_watchlisted_person_is_checked_too(tmp_path: Path) -> None:
    config = project(tmp_path, TWO_VARGAS, varga_alias="Foreign Minister Varga")
    assert extract_json(config)["warnings"] == [WARNING]


def test_another_watchlisted_person_with_the_word_is_a_warning_without_articles_naming_both(tmp_path: Path) -> None:
    more = "- name: Tomas Varga\n  side: Freedonia\n"
    config = project(tmp_path, ONE_VARGA, more_actors=more)
    assert extract_json(config)["warnings"] == [
        'alias "Varga" (Lena Varga) is shared by 2 people in the watchlist: Lena Varga, Tomas Varga'
    ]


def test_doctor_notes_the_shared_alias_with_a_fix(tmp_path: Path) -> None:
    config = project(tmp_path, TWO_VARGAS)
    rc, report = doctor(config)
    assert rc == 0, report  # a note: the dashboard still works
    row = next(r for r in report.splitlines() if r.startswith("aliases"))
    assert row.split()[1] == "note"
    assert WARNING in report
    assert 'fix: drop "Varga" from the aliases of Lena Varga' in report


def test_doctor_says_all_is_well_when_no_alias_is_shared(tmp_path: Path) -> None:
    config = project(tmp_path, ONE_VARGA)
    rc, report = doctor(config)
    assert rc == 0
    row = next(r for r in report.splitlines() if r.startswith("aliases"))
    assert row.split()[1] == "ok" and "no bare alias is shared" in row and "1 article read" in row


def _person(name: str, watchlisted: bool = False) -> Actor:
    return Actor(id=name, name=name, kind="person", role=None, side=None, aliases=(), mentions=1, docs=("a",),
                 watchlisted=watchlisted)


def test_many_people_are_read_once_and_only_the_shared_word_is_reported() -> None:
    config = Config.model_validate({
        "relation": {"name": "Freedonia - Sylvania"},
        "parties": [{"name": "Freedonia"}, {"name": "Sylvania"}],
        "actors": [
            {"name": "Lena Varga", "aliases": ["Varga"]},
            {"name": "Otto Brandt", "aliases": ["Brandt"]},
            {"name": "Mira Holt"},  # the surname "Holt" is added for her
        ],
    })
    crowd = [_person(f"Person{i} Surname{i}") for i in range(20_000)]
    people = [_person("Lena Varga", True), _person("Otto Brandt", True), *crowd,
              _person("Kai Holt"), _person("Mira Holt", True), _person("Ivo Holt-Berg")]
    found = shared_aliases(config, people)
    assert [s.message for s in found] == [
        'alias "Holt" (Mira Holt) is shared by 3 people in the articles: Mira Holt, Ivo Holt-Berg, Kai Holt'
    ]
    assert found[0].listed is False


def test_a_short_form_of_the_listed_first_name_is_the_same_person(tmp_path: Path) -> None:
    article = ONE_VARGA.replace("Lena Varga", "Alexandra Varga") + "\nAlex Varga later flew home from Sylvania.\n"
    config = project(tmp_path, article, owner="Alexandra Varga")
    snap = Engine(config).refresh()
    actors = {a.name: a for a in snap.actors}
    assert "Alex Varga" not in actors and actors["Alexandra Varga"].mentions == 3
    assert snap.warnings == ()
