"""The dashboard an analyst keeps open, at 80x24, 120x36 and 200x50: what is
next comes first, names are readable, details read to the end by keyboard,
new rows are marked (and remembered between sessions), find, sort, export,
documents and help."""

from __future__ import annotations

import csv
import io

import pytest

from tui.ui.app import DashboardApp
from tui.ui.screens.detail import DetailScreen
from tui.ui.screens.help import HelpScreen
from tui.ui.screens.search import SearchScreen
from tui.ui.seen import SeenState

SIZES = [(80, 24), (120, 36), (200, 50)]
pytestmark = pytest.mark.usefixtures("shared_pipelines")

LONG_NAMES_CONFIG_EXTRA = """\
  - name: Konstantin Vasilievich Brandtner
    aliases: [Brandtner]
    role: Deputy Foreign Minister
    side: Sylvania
"""

MEETING_ARTICLE = """\
---
title: Envoys to meet
date: 2024-03-05
---
Freedonian Foreign Minister Ana Ruiz will meet Sylvanian Deputy Foreign Minister
Konstantin Vasilievich Brandtner in Vale on Friday.

Ruiz and Brandtner will hold talks at some point, officials said.
"""

LATER_ARTICLE = """\
---
title: Ruiz speaks again
date: 2024-03-06
---
"We will keep talking about the fishing dispute," Foreign Minister Ana Ruiz said in Lisbon.
"""


def relation_with_long_names(small_relation):
    text = small_relation.config.read_text(encoding="utf-8")
    text = text.replace("issues:\n", LONG_NAMES_CONFIG_EXTRA + "issues:\n", 1)
    small_relation.config.write_text(text, encoding="utf-8")
    small_relation.write_article("2024-03-05-envoys.md", MEETING_ARTICLE)
    return small_relation


def make_app(relation, **kwargs) -> DashboardApp:
    kwargs.setdefault("watch", False)
    kwargs.setdefault("use_cache", False)
    return DashboardApp(relation.config, relation.seeds, **kwargs)


async def filled(app: DashboardApp) -> None:
    await app.wait_for(lambda: app.snapshot is not None or app.error is not None)
    assert app.snapshot is not None, app.error


def lines_of(text: str, needle: str) -> list[str]:
    return [line for line in text.splitlines() if needle in line]


@pytest.mark.parametrize("size", SIZES)
async def test_who_meets_whom_in_short_names_and_the_row_in_full_below(small_relation, screen_text, size):
    relation = relation_with_long_names(small_relation)
    app = make_app(relation)
    async with app.run_test(size=size) as pilot:
        await filled(app)
        await pilot.press("2")
        await pilot.pause()
        text = screen_text(app)
        # the person known by one word is shown by it, whole, with the other side
        assert lines_of(text, "Ana Ruiz – Brandtner"), text
        # the cursor row in full under the panes: every participant's whole name
        assert "Konstantin Vasilievich Brandtner" in text.splitlines()[-3] + text.splitlines()[-4]
        # sides are short codes, not a wide column
        await pilot.press("1")
        await pilot.pause()
        text = screen_text(app)
        ruiz = lines_of(text, "Ana Ruiz")[0]
        assert " FRE " in ruiz and "Freedonia" not in ruiz.split("Ana Ruiz", 1)[1].split("│")[0]


@pytest.mark.parametrize("size", SIZES)
async def test_undated_plans_come_last_dimmed_with_the_day_reported_and_age_out(
    small_relation, screen_text, size
):
    relation = relation_with_long_names(small_relation)
    app = make_app(relation)
    async with app.run_test(size=size) as pilot:
        await filled(app)
        await pilot.press("2")
        await pilot.pause()
        order = [r.key for r in app.dashboard.pane("engagement").table.rows_shown]
        engagements = {e.id: e for e in app.snapshot.engagements}
        undated = [e for e in app.snapshot.engagements if e.upcoming and e.when is None]
        assert undated, [(e.what, e.when) for e in app.snapshot.engagements]
        dated = [k for k in order if engagements[k].when]
        assert order[: len(dated)] == dated  # every dated plan before any undated one
        table = app.dashboard.pane("engagement").table
        last = table.get_row_at(table.row_count - 1)
        assert last[1].plain == "undated" and "dim" in str(last[1].style)
        if size == (200, 50):  # room for the column; narrower, the preview line says it
            assert any("undated" in line and "5 Mar" in line for line in screen_text(app).splitlines())

    # as of a month after it was reported, the undated plan waits among the past ones
    config = relation.config.read_text(encoding="utf-8").replace("as_of: latest", "as_of: 2024-04-20")
    relation.config.write_text(config + "dashboard:\n  undated_days: 30\n", encoding="utf-8")
    app = make_app(relation)
    async with app.run_test(size=size) as pilot:
        await filled(app)
        shown = [r.key for r in app.dashboard.pane("engagement").table.rows_shown]
        assert not any(k == e.id for e in undated for k in shown)
        await pilot.press("p")
        shown = [r.key for r in app.dashboard.pane("engagement").table.rows_shown]
        assert any(k == e.id for e in undated for k in shown)


@pytest.mark.parametrize("size", SIZES)
async def test_a_detail_reads_to_the_end_by_keyboard(small_relation, screen_text, size):
    for n in range(12):  # enough evidence to scroll at any size
        small_relation.write_article(
            f"2024-03-{n + 5:02d}-ruiz.md",
            f"---\ntitle: Day {n}\ndate: 2024-03-{n + 5:02d}\n---\n"
            f"Foreign Minister Ana Ruiz spoke about tariffs on day {n} in Lisbon.\n\n"
            f'"We stand by our steel, day {n}," Ruiz said.\n',
        )
    app = make_app(small_relation)
    async with app.run_test(size=size) as pilot:
        await filled(app)
        ruiz = next(a for a in app.snapshot.actors if a.name == "Ana Ruiz")
        rows = [r.key for r in app.dashboard.pane("actor").table.rows_shown]
        await pilot.press("1", *["j"] * rows.index(ruiz.id), "enter")
        screen = app.screen
        assert isinstance(screen, DetailScreen) and screen.record_id == ruiz.id
        await pilot.pause()
        text = screen_text(app)
        # links say with whom, when and in what state
        assert any("engagement  meet Otto Brandt · Mon 4 Mar · " in line for line in text.splitlines()), text
        assert "⏎ Open" in text
        body = screen.query_one("#detail-body")
        assert body.max_scroll_y > 0
        await pilot.press("tab")
        assert body.has_focus
        await pilot.press("space")
        first = body.scroll_y
        assert first > 0
        await pilot.press("ctrl+d")
        assert body.scroll_y > first or body.scroll_y == body.max_scroll_y
        await pilot.press("ctrl+u", "ctrl+u", "pageup", "pageup", "home")
        assert body.scroll_y == 0
        await pilot.press("j")
        assert body.scroll_y == 1
        await pilot.press("end")
        assert body.scroll_y == body.max_scroll_y
        text = screen_text(app)
        # cut evidence says so; the status line is on the detail screen too
        evidence_title = screen.query_one("#evidence-title").render()
        assert f"of {ruiz.mentions} shown" in str(evidence_title) or len(ruiz.evidence) == ruiz.mentions
        assert "read, 0 skipped" in text
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen) and app.screen.topic == "detail"
        await pilot.press("escape")
        await pilot.press("q")  # back, as in less
        assert not isinstance(app.screen, DetailScreen) and app.is_running


async def test_evidence_shows_each_sentence_once_with_all_its_matches(small_relation):
    small_relation.write_article(
        "2024-03-05-twice.md",
        "---\ntitle: Twice\ndate: 2024-03-05\n---\n"
        "Ana Ruiz said tariffs on steel and tariffs on fish would stay.\n",
    )
    app = make_app(small_relation)
    async with app.run_test(size=(120, 36)) as pilot:
        await filled(app)
        issue = next(i for i in app.snapshot.issues if i.label == "Steel tariffs")
        twice = [ev for ev in issue.evidence if ev.doc == "2024-03-05-twice.md"]
        app.open_record("issue", issue.id)
        await pilot.pause()
        evidence = app.screen.evidence_text
        sentence = "Ana Ruiz said tariffs on steel and tariffs on fish would stay."
        assert evidence.plain.count(sentence) == 1
        marked = [evidence.plain[s.start : s.end] for s in evidence.spans if "reverse" in str(s.style)]
        assert len([m for m in marked if "tariffs" in m]) >= min(2, len(twice))


@pytest.mark.parametrize("size", SIZES)
async def test_new_rows_are_marked_remembered_and_cleared(small_relation, screen_text, size, tmp_path):
    state = tmp_path / "seen.json"
    app = make_app(small_relation, seen=SeenState(state))
    async with app.run_test(size=size) as pilot:
        await filled(app)
        await pilot.pause()
        assert "●" not in screen_text(app)  # the first look marks nothing
    assert state.exists()

    # overnight: one article arrives; Ruiz's count moves (not new), a quote is new
    small_relation.write_article("2024-03-06-later.md", LATER_ARTICLE)
    app = make_app(small_relation, seen=SeenState(state))
    async with app.run_test(size=size, notifications=True) as pilot:
        await filled(app)
        await pilot.pause()
        quotes = app.dashboard.pane("quote")
        new_quote = next(q for q in app.snapshot.quotes if "keep talking" in q.text)
        assert quotes.fresh_keys == [new_quote.id]
        ruiz = next(a for a in app.snapshot.actors if a.name == "Ana Ruiz")
        assert ruiz.id not in app.dashboard.pane("actor").fresh_keys  # only its count moved
        assert "●" in screen_text(app)
        fresh = {p.kind: set(p.fresh_keys) for p in app.dashboard.panes}
        assert not fresh["actor"]
        await pilot.press("1", "n")  # the next new row, in the next pane that has one
        pane = app.dashboard.focused_pane
        assert pane.kind != "actor" and pane.table.current_key in fresh[pane.kind]
        await pilot.press("m")
        assert all(not p.fresh_keys for p in app.dashboard.panes)
        await pilot.pause()
        assert "●" not in screen_text(app)

    app = make_app(small_relation, seen=SeenState(state))
    async with app.run_test(size=size) as pilot:
        await filled(app)
        assert all(not p.fresh_keys for p in app.dashboard.panes)  # seen stays seen


@pytest.mark.parametrize("size", SIZES)
async def test_a_newest_first_list_keeps_a_cursor_on_its_top_row_at_the_top(small_relation, size):
    app = make_app(small_relation, watch=True)
    async with app.run_test(size=size) as pilot:
        await filled(app)
        await pilot.press("4")
        quotes = app.dashboard.pane("quote").table
        assert quotes.cursor_row == 0
        small_relation.write_article("2024-03-06-later.md", LATER_ARTICLE)
        await app.wait_for(lambda: len(app.snapshot.documents) == 2)
        newest = next(q for q in app.snapshot.quotes if "keep talking" in q.text)
        assert quotes.cursor_row == 0 and quotes.current_key == newest.id


@pytest.mark.parametrize("size", SIZES)
async def test_find_across_panes_opens_what_it_found(small_relation, size):
    app = make_app(small_relation)
    async with app.run_test(size=size) as pilot:
        await filled(app)
        await pilot.press("f")
        assert isinstance(app.screen, SearchScreen)
        await pilot.press(*"brandt")
        kinds = {kind for kind, _ in app.screen.matches}
        assert {"actor", "engagement"} <= kinds  # Brandt is in several panes
        await pilot.press(*" lisbon")
        assert app.screen.matches and all(k == "engagement" for k, _ in app.screen.matches)
        await pilot.press("enter")
        assert isinstance(app.screen, DetailScreen) and app.screen.kind == "engagement"


@pytest.mark.parametrize("size", SIZES)
async def test_sort_keys_change_a_panes_order_and_say_so(small_relation, size):
    small_relation.write_article("2024-03-06-later.md", LATER_ARTICLE)
    app = make_app(small_relation)
    async with app.run_test(size=size) as pilot:
        await filled(app)
        pane = app.dashboard.pane("actor")
        await pilot.press("1", "s")  # by recent activity
        assert pane.sort_label == "recent" and "by recent" in str(pane.border_subtitle)
        first = next(a for a in app.snapshot.actors if a.id == pane.table.rows_shown[0].key)
        assert "2024-03-06-later.md" in first.docs
        await pilot.press("s")  # by name
        names = [next(a.name for a in app.snapshot.actors if a.id == r.key) for r in pane.table.rows_shown]
        assert names == sorted(names, key=str.lower)
        await pilot.press("S", "S")  # back to the default
        assert pane.sort_label is None


async def test_export_what_is_on_screen_as_markdown_and_csv(small_relation, tmp_path):
    app = make_app(small_relation)
    async with app.run_test(size=(120, 36)) as pilot:
        await filled(app)
        await pilot.press("1", "slash", *"ruiz", "enter")
        md = app.action_export_markdown(tmp_path / "brief.md")
        table = app.action_export_csv(tmp_path / "brief.csv")
    text = md.read_text(encoding="utf-8")
    assert text.startswith("# Freedonia - Sylvania")
    actors = text.split("## Actors")[1].split("##")[0]
    assert "Ana Ruiz" in actors and "Otto Brandt" not in actors  # the filter applied
    assert "We will not accept new tariffs on our steel" in text  # quotes in full
    rows = list(csv.DictReader(io.StringIO(table.read_text(encoding="utf-8"))))
    assert [r["actor_name"] for r in rows if r["pane"] == "actor"] == ["Ana Ruiz"]
    assert any(r["pane"] == "quote" and "tariffs" in r["quote_text"] for r in rows)


@pytest.mark.parametrize("size", SIZES)
async def test_keys_an_analyst_expects(small_relation, size):
    app = make_app(small_relation)
    async with app.run_test(size=size) as pilot:
        await filled(app)
        await pilot.press("1", "l")
        assert app.dashboard.focused_pane.kind == "engagement"
        await pilot.press("h", "h")
        assert app.dashboard.focused_pane.kind == "quote"
        await pilot.press("1", "end")
        table = app.dashboard.pane("actor").table
        assert table.cursor_row == table.row_count - 1
        await pilot.press("home")
        assert table.cursor_row == 0
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen) and app.screen.topic == "dashboard"
        await pilot.press("escape", "d")
        assert type(app.screen).__name__ == "DocumentsScreen"
        await pilot.press("question_mark")
        assert app.screen.topic == "documents"
        await pilot.press("escape", "escape", "ctrl+c")
    assert app.return_code == 0


async def test_toasts_count_articles_and_ignored_files_apart(small_relation, screen_text):
    app = make_app(small_relation, watch=True)
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await filled(app)
        small_relation.write_article("2024-03-06-later.md", LATER_ARTICLE)
        (small_relation.seeds / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
        await app.wait_for(lambda: len(app.snapshot.documents) == 3)
        await pilot.pause()
        text = screen_text(app)
        assert "1 article added; 1 non-article file ignored" in text


STATUS_SENTENCES = {
    "planned": "Foreign Minister Ana Ruiz will meet Trade Minister Otto Brandt in {place} on April {day}.",
    "postponed": (
        "The meeting between Foreign Minister Ana Ruiz and Trade Minister Otto Brandt"
        " in {place} on April {day} has been postponed."
    ),
    "cancelled": (
        "Foreign Minister Ana Ruiz has cancelled her meeting with Trade Minister Otto Brandt"
        " in {place} on April {day}."
    ),
}
PLACES = ["Vienna", "Geneva", "Oslo", "Paris", "Rome", "Madrid"]


def every_status_order(relation) -> dict[str, str]:
    """Six meetings, each reported in one order of planned, postponed and
    cancelled by three articles a day apart; place -> the newest status."""
    import itertools

    newest = {}
    for k, order in enumerate(itertools.permutations(STATUS_SENTENCES)):
        place, day = PLACES[k], 10 + k
        for i, status in enumerate(order):
            sentence = STATUS_SENTENCES[status].format(place=place, day=day)
            relation.write_article(
                f"2024-03-{i + 1:02d}-{place.lower()}-{status}.md",
                f"---\ntitle: {place} {status}\ndate: 2024-03-{i + 1:02d}\n---\n{sentence}\n",
            )
        newest[place] = order[-1]
    return newest


@pytest.mark.parametrize("size", SIZES)
async def test_a_meeting_reported_in_every_status_order_is_one_row_with_the_latest_outcome(
    small_relation, size
):
    newest = every_status_order(small_relation)
    app = make_app(small_relation)
    async with app.run_test(size=size) as pilot:
        await filled(app)
        by_place = {}
        for e in app.snapshot.engagements:
            if e.where in newest:
                by_place.setdefault(e.where, []).append(e)
        assert {place: [e.status for e in found] for place, found in by_place.items()} == {
            place: [status] for place, status in newest.items()
        }
        await pilot.press("p", "2")
        shown = [r.key for r in app.dashboard.pane("engagement").table.rows_shown]
        assert all(found[0].id in shown for found in by_place.values())
        for _ in range(len(shown)):  # every row opens, and its main actor too
            await pilot.press("enter")
            assert isinstance(app.screen, DetailScreen)
            await pilot.press("enter", "escape", "escape", "j")
        assert app.is_running


async def test_a_bare_alias_two_people_share_is_a_warning_on_the_status_line(small_relation, screen_text):
    small_relation.write_article(
        "2024-03-05-pedro.md",
        "---\ntitle: Another Ruiz\ndate: 2024-03-05\n---\n"
        "Pedro Ruiz, a Freedonian opposition lawmaker, criticised the meeting with Sylvania.\n",
    )
    app = make_app(small_relation)
    async with app.run_test(size=(200, 50)) as pilot:
        await filled(app)
        await pilot.pause()
        status = screen_text(app).splitlines()[-2]
        assert '⚠ alias "Ruiz"' in status and "Pedro Ruiz" in status


@pytest.mark.parametrize("size", SIZES)
async def test_the_shipped_seed_with_the_held_meeting_opens_past_and_every_actor(tmp_path, size):
    """The report that ended the app: the shipped article plus one saying the
    planned meeting was held; `p`, and `enter` on the main actors."""
    import shutil
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    shutil.copy(root / "config.yaml", tmp_path / "config.yaml")
    shutil.copytree(root / "seeds", tmp_path / "seeds")
    (tmp_path / "seeds" / "2023-06-19-xi-meets-blinken.txt").write_text(
        "---\ndate: 2023-06-19\n---\n"
        "Chinese President Xi Jinping met U.S. Secretary of State Antony Blinken in Beijing on Monday.\n",
        encoding="utf-8",
    )
    app = DashboardApp(tmp_path / "config.yaml", tmp_path / "seeds", watch=False, use_cache=False)
    async with app.run_test(size=size) as pilot:
        await filled(app)
        xi_blinken = [
            e for e in app.snapshot.engagements
            if set(e.participants) == {"Xi Jinping", "Antony Blinken"} and e.when == "2023-06-19"
        ]
        assert len(xi_blinken) == 1 and xi_blinken[0].status == "past"
        await pilot.press("p")
        assert xi_blinken[0].id in [r.key for r in app.dashboard.pane("engagement").table.rows_shown]
        for down in range(4):
            await pilot.press("1", "g", *["j"] * down, "enter")
            assert isinstance(app.screen, DetailScreen)
            await pilot.press("tab", "G", "tab", "enter")  # the first link, whatever it is
            while isinstance(app.screen, DetailScreen):
                await pilot.press("escape")
        assert app.is_running and app.error is None
