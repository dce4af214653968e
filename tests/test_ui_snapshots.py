"""SVG snapshots of the dashboard (120x36 and 80x24) and of a detail screen.

Run `pytest tests/test_ui_snapshots.py --snapshot-update` after a deliberate
change to the look, and review the new SVGs before committing them.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from tui.ui.app import DashboardApp


@pytest.fixture
def app(small_relation, monkeypatch) -> DashboardApp:
    # Relative paths and a fixed clock, so the pictures do not depend on the run.
    monkeypatch.chdir(small_relation.root)
    return DashboardApp(
        Path("config.yaml"), Path("seeds"), watch=False, use_cache=False,
        clock=lambda: datetime(2024, 3, 4, 9, 30, 0),
    )


async def _filled(pilot) -> None:
    app = pilot.app
    await app.wait_for(lambda: app.snapshot is not None)
    await pilot.pause()


def test_dashboard_120x36(app, snap_compare):
    assert snap_compare(app, terminal_size=(120, 36), run_before=_filled)


def test_dashboard_80x24(app, snap_compare):
    assert snap_compare(app, terminal_size=(80, 24), run_before=_filled)


def test_detail_of_an_actor(app, snap_compare):
    async def open_detail(pilot) -> None:
        await _filled(pilot)
        actors = [row.key.value for row in app.dashboard.pane("actor").table.ordered_rows]
        ruiz = next(a.id for a in app.snapshot.actors if a.name == "Ana Ruiz")
        await pilot.press(*["j"] * actors.index(ruiz), "enter")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(120, 36), run_before=open_detail)
