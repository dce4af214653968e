"""No snapshot ends the app.

Hypothesis builds snapshots an extraction could hand the dashboard, and some
it should not (repeated ids, empty and very long fields, links to records
that are not there, many rows); the app shows each, opens every row of every
pane, toggles past engagements, follows links and goes back, and is still
running at the end. Anything it cannot show is one line in the status bar.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.extract.models import Actor, Document, Engagement, Evidence, Issue, Quote, Snapshot
from tui.ui.app import DashboardApp
from tui.ui.screens.detail import DetailScreen

SIZES = [(80, 24), (120, 36), (200, 50)]
DOC = "a.txt"

text = st.one_of(
    st.just(""),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30),
    st.just("[bold]x[/] [@click=app.quit]q[/]"),
    st.builds(lambda n: "Very long name " * n, st.integers(20, 60)),
)
ids = st.sampled_from(["a", "b", "a", "", "x" * 300])
names = st.sampled_from(["Ana Ruiz", "Otto Brandt", "", "Ruiz", "Freedonia", "[b]"])
dates = st.sampled_from([None, "2024", "2024-03", "2024-03-05", "2024-13-40", "bogus"])


def evidence() -> st.SearchStrategy[Evidence]:
    return st.builds(
        Evidence,
        doc=st.sampled_from([DOC, "missing.txt", ""]),
        start=st.integers(-5, 50),
        end=st.integers(-5, 80),
        sentence=text,
        sent_start=st.integers(-5, 20),
    )


actors = st.builds(
    Actor,
    id=ids,
    name=names,
    kind=st.sampled_from(["person", "organization", "country", ""]),
    role=st.none() | text,
    side=st.sampled_from([None, "Freedonia", "Sylvania", "nowhere"]),
    aliases=st.lists(text, max_size=3).map(tuple),
    mentions=st.integers(0, 10**6),
    docs=st.lists(st.sampled_from([DOC, "missing.txt"]), max_size=2).map(tuple),
    evidence=st.lists(evidence(), max_size=3).map(tuple),
)
engagements = st.builds(
    Engagement,
    id=ids,
    participants=st.lists(names, max_size=4).map(tuple),
    what=text,
    where=st.none() | text,
    when=dates,
    when_text=st.none() | text,
    granularity=st.sampled_from([None, "day", "week", "month", "year", "odd"]),
    status=st.sampled_from(["planned", "tentative", "postponed", "cancelled", "past", "odd"]),
    upcoming=st.booleans(),
    evidence=st.lists(evidence(), max_size=3).map(tuple),
    days_until=st.none() | st.integers(-10**4, 10**4),
    when_end=dates,
    reported=st.lists(st.sampled_from(["2024-03-04", ""]), max_size=2).map(tuple),
    reasons=st.lists(st.tuples(st.sampled_from(["when", "status", "participants"]), text), max_size=3).map(tuple),
)
issues = st.builds(
    Issue,
    id=ids,
    label=text,
    mentions=st.integers(0, 10**6),
    docs=st.lists(st.sampled_from([DOC, "missing.txt"]), max_size=2).map(tuple),
    actors=st.lists(names, max_size=3).map(tuple),
    evidence=st.lists(evidence(), max_size=3).map(tuple),
)
quotes = st.builds(
    Quote,
    id=ids,
    text=text,
    speaker=st.none() | names,
    side=st.sampled_from([None, "Freedonia", "nowhere"]),
    doc=st.sampled_from([DOC, "missing.txt"]),
    published=dates,
    start=st.integers(-5, 50),
    end=st.integers(-5, 80),
    sentence=text,
    sent_start=st.integers(-5, 20),
    speaker_how=text,
    speaker_reason=text,
    speaker_description=st.none() | text,
)
snapshots = st.builds(
    Snapshot,
    as_of=dates,
    relation=text,
    documents=st.just((Document(id=DOC, title="[b]t", published="2024-03-04", status="ok", reason=None),)),
    actors=st.lists(actors, max_size=8).map(tuple),
    engagements=st.lists(engagements, max_size=8).map(tuple),
    issues=st.lists(issues, max_size=5).map(tuple),
    quotes=st.lists(quotes, max_size=8).map(tuple),
    pipeline=text,
    warnings=st.lists(text, max_size=2).map(tuple),
    parties=st.just(("Freedonia", "Sylvania")),
)


@dataclass
class FakeEngine:
    """Hands the app a given snapshot, as the real engine would."""

    snapshot: Snapshot
    seeds_dir: Path
    loaded: Any = field(default=None)
    last_stats: Any = field(default_factory=lambda: SimpleNamespace(extracted=1, cached=0))

    def __post_init__(self) -> None:
        parties = [SimpleNamespace(name=n, aliases=[], code=None) for n in ("Freedonia", "Sylvania")]
        config = SimpleNamespace(
            parties=parties, party_color=lambda name: "#2a7fd4", dashboard=SimpleNamespace(undated_days=30)
        )
        self.loaded = SimpleNamespace(config=config)

    def refresh(self, progress=None, cancelled=None) -> Snapshot:
        return self.snapshot


async def drive(snapshot: Snapshot, size: tuple[int, int], root: Path) -> None:
    app = DashboardApp(root / "config.yaml", root, watch=False, use_cache=False,
                       engine=FakeEngine(snapshot, root))
    async with app.run_test(size=size) as pilot:
        await app.wait_for(lambda: app.update_count > 0)
        assert app.snapshot is snapshot, app.error  # the picture was taken, not refused
        await pilot.pause()
        for key in ("p", "1", "j", "enter", "escape", "2", "G", "enter", "tab", "enter", "escape",
                    "escape", "3", "enter", "escape", "4", "g", "enter", "j", "escape", "p", "slash", "x",
                    "escape", "s", "s", "S", "l", "n", "h", "n", "m", "end", "home",
                    "f", "a", "n", "a", "down", "enter", "escape", "escape",
                    "d", "j", "enter", "enter", "escape", "escape", "escape",
                    "question_mark", "escape", "1", "s", "s", "s", "s"):
            await pilot.press(key)
        markdown, table = app.action_export_markdown(root / "x.md"), app.action_export_csv(root / "x.csv")
        assert markdown is not None and table is not None
        for kind, records in (("actor", snapshot.actors), ("engagement", snapshot.engagements),
                              ("issue", snapshot.issues), ("quote", snapshot.quotes)):
            for record in records:
                app.open_record(kind, record.id)
                await pilot.pause()
                if isinstance(app.screen, DetailScreen):
                    await pilot.press("enter", "j", "G")
                    while isinstance(app.screen, DetailScreen):
                        await pilot.press("escape")
        await pilot.pause()
        assert app.is_running
        assert app.error is None or "\n" not in app.error


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(snapshot=snapshots, size=st.sampled_from(SIZES))
def test_no_snapshot_ends_the_app(tmp_path, snapshot, size):
    (tmp_path / "config.yaml").write_text("relation: {name: x}\n", encoding="utf-8")
    (tmp_path / DOC).write_text("Ana Ruiz met Otto Brandt.", encoding="utf-8")
    # a crash inside the app would leave the pilot waiting: fail instead of hanging
    asyncio.run(asyncio.wait_for(drive(snapshot, size, tmp_path), 300))
