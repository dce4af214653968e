"""SVG snapshots of the dashboard (120x36 and 80x24) and of a detail screen.

The picture comes from a fixed Snapshot (built here, not extracted), so these
tests change only when the dashboard's look changes, not when extraction
improves. Run `pytest tests/test_ui_snapshots.py --snapshot-update` after a
deliberate change to the look, and review the new SVGs before committing them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

import pytest

from tui.config import load_config
from tui.extract.models import Actor, Document, Engagement, Evidence, Issue, Quote, Snapshot
from tui.ui.app import DashboardApp

LISBON = "2024-03-04-lisbon.md"
VALE = "2024-03-06-vale.md"
S1 = (
    "Freedonian Foreign Minister Ana Ruiz met Sylvanian Trade Minister Otto Brandt"
    " in Lisbon on Monday."
)
S2 = '"We will not accept new tariffs on our steel," Ruiz told reporters after the meeting.'
S3 = '"Our fishing fleet will stay where it is," Holt told parliament in Vale.'
S4 = "Holt will visit Freedonia in May for talks on the fishing dispute, her office said."


def ev(doc: str, sentence: str, words: str, sent_start: int = 0) -> Evidence:
    start = sent_start + sentence.index(words)
    return Evidence(doc, start, start + len(words), sentence, sent_start)


SNAPSHOT = Snapshot(
    as_of="2024-03-06",
    relation="Freedonia - Sylvania",
    documents=(
        Document(LISBON, "Ministers meet in Lisbon", "2024-03-04", "ok", None),
        Document(VALE, "Sylvania's leader speaks", "2024-03-06", "ok", None),
    ),
    actors=(
        Actor(
            "ana-ruiz",
            "Ana Ruiz",
            "person",
            "Foreign Minister",
            "Freedonia",
            ("Ruiz",),
            3,
            (LISBON,),
            (ev(LISBON, S1, "Ana Ruiz"), ev(LISBON, S2, "Ruiz", 102)),
            True,
        ),
        Actor(
            "mira-holt",
            "Mira Holt",
            "person",
            "Prime Minister",
            "Sylvania",
            ("Holt",),
            2,
            (VALE,),
            (ev(VALE, S3, "Holt"), ev(VALE, S4, "Holt", 75)),
            True,
        ),
        Actor(
            "otto-brandt",
            "Otto Brandt",
            "person",
            "Trade Minister",
            "Sylvania",
            ("Brandt",),
            1,
            (LISBON,),
            (ev(LISBON, S1, "Otto Brandt"),),
            True,
        ),
        Actor(
            "freedonia",
            "Freedonia",
            "country",
            None,
            "Freedonia",
            ("Freedonian",),
            2,
            (LISBON, VALE),
            (ev(LISBON, S1, "Freedonian"),),
            True,
        ),
        Actor(
            "harbour-board",
            "Vale Harbour Board",
            "organization",
            None,
            None,
            (),
            1,
            (VALE,),
            (ev(VALE, S3, "Vale"),),
            False,
        ),
    ),
    engagements=(
        Engagement(
            "e-visit",
            ("Mira Holt", "Freedonia"),
            "visit",
            "Freedonia",
            "2024-05",
            "in May",
            "month",
            "planned",
            True,
            (ev(VALE, S4, "visit", 75),),
            56,
        ),
        Engagement(
            "e-talks",
            ("Ana Ruiz", "Otto Brandt"),
            "talks",
            "Geneva",
            "2024-03-08",
            "on Friday",
            "day",
            "tentative",
            True,
            (ev(LISBON, S1, "met"),),
            2,
        ),
        Engagement(
            "e-lisbon",
            ("Ana Ruiz", "Otto Brandt"),
            "meeting",
            "Lisbon",
            "2024-03-04",
            "on Monday",
            "day",
            "past",
            False,
            (ev(LISBON, S1, "met"),),
            -2,
        ),
    ),
    issues=(
        Issue(
            "fishing",
            "Fishing rights",
            2,
            (VALE,),
            ("Mira Holt",),
            (ev(VALE, S3, "fishing fleet"), ev(VALE, S4, "fishing dispute", 75)),
        ),
        Issue(
            "tariffs",
            "Steel tariffs",
            1,
            (LISBON,),
            ("Ana Ruiz",),
            (ev(LISBON, S2, "tariffs", 102),),
        ),
    ),
    quotes=(
        Quote(
            "q-holt",
            "Our fishing fleet will stay where it is,",
            "Mira Holt",
            "Sylvania",
            VALE,
            "2024-03-06",
            1,
            41,
            S3,
            0,
        ),
        Quote(
            "q-ruiz",
            "We will not accept new tariffs on our steel,",
            "Ana Ruiz",
            "Freedonia",
            LISBON,
            "2024-03-04",
            103,
            147,
            S2,
            102,
        ),
    ),
    pipeline="en_core_web_sm 3.8.0",
    parties=("Freedonia", "Sylvania"),
)


@dataclass
class FixedEngine:
    """Stands in for tui.engine.Engine: always the same picture."""

    loaded: object
    seeds_dir: Path
    extract_calls: int = 0

    def refresh(self, progress=None, cancelled=None):
        return SNAPSHOT

    @property
    def last_stats(self):
        return SimpleNamespace(extracted=0, cached=len(SNAPSHOT.documents))


@pytest.fixture
def app(small_relation) -> DashboardApp:
    engine = FixedEngine(load_config(small_relation.config), Path("seeds"))
    return DashboardApp(
        small_relation.config,
        watch=False,
        use_cache=False,
        engine=engine,
        clock=lambda: datetime(2024, 3, 6, 9, 30, 0),
    )


async def _filled(pilot) -> None:
    app = pilot.app
    await app.wait_for(lambda: app.snapshot is not None)
    await pilot.pause()


def test_dashboard_120x36(app, snap_compare):
    assert snap_compare(app, terminal_size=(120, 36), run_before=_filled)


def test_dashboard_80x24(app, snap_compare):
    assert snap_compare(app, terminal_size=(80, 24), run_before=_filled)


def test_dashboard_with_past_engagements_and_a_filter(app, snap_compare):
    async def act(pilot) -> None:
        await _filled(pilot)
        await pilot.press("p", "1", "slash", *"sylvania", "enter")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(120, 36), run_before=act)


def test_detail_of_an_actor(app, snap_compare):
    assert snap_compare(app, terminal_size=(120, 36), press=["_", "enter"], run_before=_filled)
