"""The dashboard driven as a user drives it: keys, detail screens, filter, help, quit."""

from __future__ import annotations

import json

import pytest

from tui.ui.app import DashboardApp
from tui.ui.screens.detail import DetailScreen
from tui.ui.screens.help import HelpScreen

SIZE = (120, 36)
pytestmark = pytest.mark.usefixtures("shared_pipelines")


def make_app(relation, **kwargs) -> DashboardApp:
    kwargs.setdefault("watch", False)
    kwargs.setdefault("use_cache", False)
    return DashboardApp(relation.config, relation.seeds, **kwargs)


async def filled(app: DashboardApp) -> None:
    await app.wait_for(lambda: app.snapshot is not None or app.error is not None)


def focused_kind(app: DashboardApp) -> str | None:
    pane = app.dashboard.focused_pane
    return pane.kind if pane is not None else None


def keys(app: DashboardApp, kind: str) -> list[str]:
    table = app.dashboard.pane(kind).table
    return [row.key.value for row in table.ordered_rows]


def actor_key(app: DashboardApp, name: str) -> str:
    return next(a.id for a in app.snapshot.actors if a.name == name)


async def test_panes_fill_and_keys_move_between_them(small_relation, screen_text):
    app = make_app(small_relation)
    async with app.run_test(size=SIZE) as pilot:
        await filled(app)
        await pilot.pause()
        text = screen_text(app)
        for title in ("1 Actors", "2 Upcoming engagements", "3 Disputed issues", "4 Recent quotes"):
            assert title in text
        assert "Freedonia - Sylvania" in text and "1 article" in text
        assert "Ana Ruiz" in text and "Steel tariffs" in text
        assert "We will not" in text

        assert focused_kind(app) == "actor"
        visited = []
        for _ in range(4):
            await pilot.press("tab")
            visited.append(focused_kind(app))
        assert visited == ["engagement", "issue", "quote", "actor"]
        await pilot.press("shift+tab")
        assert focused_kind(app) == "quote"
        for key, kind in (("1", "actor"), ("2", "engagement"), ("3", "issue"), ("4", "quote")):
            await pilot.press(key)
            assert focused_kind(app) == kind


async def test_j_k_g_G_move_the_cursor(small_relation):
    app = make_app(small_relation)
    async with app.run_test(size=SIZE) as pilot:
        await filled(app)
        table = app.dashboard.pane("actor").table
        assert table.row_count >= 3
        await pilot.press("j", "j")
        assert table.cursor_row == 2
        await pilot.press("k")
        assert table.cursor_row == 1
        await pilot.press("G")
        assert table.cursor_row == table.row_count - 1
        await pilot.press("g")
        assert table.cursor_row == 0


async def test_enter_opens_the_detail_and_esc_closes_it(small_relation, screen_text):
    app = make_app(small_relation)
    async with app.run_test(size=SIZE) as pilot:
        await filled(app)
        await pilot.press("4", "enter")
        assert isinstance(app.screen, DetailScreen)
        await pilot.pause()
        text = screen_text(app)
        assert "Ana Ruiz" in text
        assert "Ministers meet in Lisbon" in text  # the article title
        assert "2024-03-04" in text
        assert "2024-03-04-lisbon.md" in text  # the article path
        assert "Ruiz told reporters" in text  # the evidence sentence
        await pilot.press("escape")
        assert not isinstance(app.screen, DetailScreen)
        assert focused_kind(app) == "quote"


async def test_evidence_highlights_the_matched_words(small_relation):
    app = make_app(small_relation)
    async with app.run_test(size=SIZE) as pilot:
        await filled(app)
        await pilot.press("4", "enter")
        await pilot.pause()
        quote = next(q for q in app.snapshot.quotes if q.id == app.screen.record_id)
        body = (small_relation.seeds / quote.doc).read_text(encoding="utf-8").split("---\n", 2)[2]
        evidence = app.screen.evidence_text
        styled = [
            evidence.plain[s.start : s.end] for s in evidence.spans if "reverse" in str(s.style)
        ]
        assert styled == [body[quote.start : quote.end]]
        assert "We will not accept new tariffs" in styled[0]


async def test_follow_a_link_from_an_actor_to_one_of_its_quotes(small_relation):
    app = make_app(small_relation)
    async with app.run_test(size=SIZE) as pilot:
        await filled(app)
        ruiz_row = keys(app, "actor").index(actor_key(app, "Ana Ruiz"))
        await pilot.press("1", *["j"] * ruiz_row, "enter")
        assert isinstance(app.screen, DetailScreen) and app.screen.kind == "actor"
        links = app.screen.query_one("#links")
        ids = [links.get_option_at_index(i).id for i in range(links.option_count)]
        quote_ids = [i for i in ids if i.startswith("quote:")]
        assert quote_ids, ids
        await pilot.press(*["down"] * ids.index(quote_ids[0]), "enter")
        assert isinstance(app.screen, DetailScreen) and app.screen.kind == "quote"
        quote = next(q for q in app.snapshot.quotes if q.id == app.screen.record_id)
        assert quote.speaker == "Ana Ruiz"
        await pilot.press("escape")
        assert app.screen.kind == "actor"  # back where the link was followed from
        await pilot.press("escape")
        assert focused_kind(app) == "actor"


async def test_filter_narrows_the_focused_pane_and_esc_clears_it(small_relation):
    app = make_app(small_relation)
    async with app.run_test(size=SIZE) as pilot:
        await filled(app)
        all_actors = keys(app, "actor")
        assert len(all_actors) > 1
        await pilot.press("1", "slash", *"brandt")
        assert keys(app, "actor") == [actor_key(app, "Otto Brandt")]
        assert "1/" in str(app.dashboard.pane("actor").border_title)
        await pilot.press("enter")  # keeps the filter, back to the table
        assert keys(app, "actor") == [actor_key(app, "Otto Brandt")]
        assert focused_kind(app) == "actor"
        await pilot.press("tab")  # other panes are not filtered
        assert len(keys(app, "quote")) == len(app.snapshot.quotes)
        await pilot.press("1", "escape")
        assert keys(app, "actor") == all_actors


async def test_filter_with_no_match_says_so(small_relation, screen_text):
    app = make_app(small_relation)
    async with app.run_test(size=SIZE) as pilot:
        await filled(app)
        await pilot.press("3", "slash", *"zzz")
        await pilot.pause()
        assert keys(app, "issue") == []
        assert "No rows match “zzz”" in screen_text(app)


async def test_help_opens_on_question_mark_and_f1(small_relation, screen_text):
    app = make_app(small_relation)
    async with app.run_test(size=SIZE) as pilot:
        await filled(app)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.pause()
        assert "command palette" in screen_text(app)
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")


@pytest.mark.parametrize("key", ["q", "ctrl+q"])
async def test_quit(small_relation, key):
    app = make_app(small_relation)
    async with app.run_test(size=SIZE) as pilot:
        await filled(app)
        await pilot.press(key)
        await pilot.pause()
        assert app.return_code == 0
        assert not app.is_running


async def test_q_in_the_filter_box_is_typed_not_quit(small_relation):
    app = make_app(small_relation)
    async with app.run_test(size=SIZE) as pilot:
        await filled(app)
        await pilot.press("slash", "q")
        assert app.is_running
        assert app.dashboard.pane("actor").filter_text == "q"


async def test_mouse_click_on_a_row_opens_its_detail(small_relation):
    app = make_app(small_relation)
    async with app.run_test(size=SIZE) as pilot:
        await filled(app)
        await pilot.pause()
        table = app.dashboard.pane("issue").table
        await pilot.click(table, offset=(4, 1))  # first row, under the header
        await pilot.click(table, offset=(4, 1))
        assert isinstance(app.screen, DetailScreen) and app.screen.kind == "issue"


async def test_command_palette_exports_json(small_relation, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = make_app(small_relation)
    async with app.run_test(size=SIZE) as pilot:
        await filled(app)
        await pilot.press("ctrl+p")
        await pilot.press(*"export json")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        exported = list(tmp_path.glob("tui-export-*.json"))
        assert len(exported) == 1
        data = json.loads(exported[0].read_text(encoding="utf-8"))
        assert {a["name"] for a in data["actors"]} >= {"Ana Ruiz", "Otto Brandt"}


async def test_past_engagements_are_on_a_toggle(small_relation):
    small_relation.write_article(
        "2024-03-20-later.md",
        """\
        ---
        title: A later report
        date: 2024-03-20
        ---
        Prime Minister Mira Holt will visit Freedonia in May, her office said.
        """,
    )
    app = make_app(small_relation)
    async with app.run_test(size=SIZE) as pilot:
        await filled(app)
        past = [e for e in app.snapshot.engagements if not e.upcoming]
        upcoming = [e for e in app.snapshot.engagements if e.upcoming]
        assert past, app.snapshot.engagements  # the Lisbon meeting is before the as-of date
        assert set(keys(app, "engagement")) == {e.id for e in upcoming}
        await pilot.press("p")
        shown = keys(app, "engagement")
        assert set(shown) == {e.id for e in upcoming + past}
        assert shown[: len(upcoming)] == [e.id for e in upcoming]  # upcoming first


async def test_injected_markup_and_escape_codes_show_as_text(small_relation, screen_text):
    nasty = "[@click=app.quit]x[/] [/bold] [link=x]y[/link] \x1b[31mred\x1b[0m \x1b]0;pwned\x07"
    small_relation.write_article(
        "2024-03-05-nasty.md",
        f"""\
        ---
        title: "Title {nasty.replace(chr(27), "").replace(chr(7), "")}"
        date: 2024-03-05
        ---
        "Ruiz said {nasty} today," Otto Brandt told reporters in Lisbon.

        Steel tariffs [/bold] [link=x] were discussed.
        """,
    )
    app = make_app(small_relation)
    async with app.run_test(size=SIZE) as pilot:
        await filled(app)
        await pilot.pause()
        assert app.is_running and app.error is None
        text = screen_text(app)
        assert "\x1b" not in text
        quote = next(q for q in app.snapshot.quotes if "[@click" in q.text)
        await pilot.press("4")
        row = keys(app, "quote").index(quote.id)
        await pilot.press(*["j"] * row, "enter")
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen)
        detail = screen_text(app)
        assert "[@click=app.quit]x[/]" in detail
        assert "[/bold]" in detail and "[link=x]y[/link]" in detail
        assert "\x1b" not in detail and "pwned" in detail
        # clicking on the detail's lines runs no action
        for y in range(0, SIZE[1] - 1, 3):
            await pilot.click(offset=(10, y))
        assert app.is_running


async def test_empty_seeds_folder_says_what_to_do(small_relation, screen_text):
    for path in small_relation.seeds.iterdir():
        path.unlink()
    app = make_app(small_relation)
    async with app.run_test(size=SIZE) as pilot:
        await filled(app)
        await pilot.pause()
        text = screen_text(app)
        assert "No articles in" in text and "Drop .txt, .md, .html or .jsonl files there" in text
        assert "0 read, 0 skipped" in text


async def test_missing_seeds_folder_is_a_message_not_a_crash(small_relation, screen_text):
    app = DashboardApp(
        small_relation.config, small_relation.root / "nowhere", watch=False, use_cache=False
    )
    async with app.run_test(size=SIZE) as pilot:
        await filled(app)
        await pilot.pause()
        assert app.is_running
        text = screen_text(app)
        assert "seeds folder not found" in text
        message = app.dashboard.pane("actor").empty_message
        assert "nowhere: seeds folder not found" in message and "--seeds DIR" in message


async def test_bad_config_is_a_message_not_a_crash(small_relation, screen_text):
    text = small_relation.config.read_text(encoding="utf-8")
    small_relation.config.write_text(
        text.replace("side: Sylvania\n", "side: Sylvnia\n", 1), encoding="utf-8"
    )
    app = make_app(small_relation)
    async with app.run_test(size=SIZE) as pilot:
        await filled(app)
        await pilot.pause()
        assert app.is_running and app.snapshot is None
        shown = screen_text(app)
        assert "config.yaml:" in app.error and "Sylvnia" in app.error
        status = [line for line in shown.splitlines() if "✖" in line]
        assert status and "Sylvnia" in status[0]  # the status line names the error
        assert (
            "Nothing to show until this is fixed" in shown
        )  # and the panes say why they are empty


async def test_status_line_names_the_pipeline_and_counts(small_relation, screen_text):
    (small_relation.seeds / "notes.pdf").write_bytes(b"%PDF-1.4")
    app = make_app(small_relation)
    async with app.run_test(size=SIZE) as pilot:
        await filled(app)
        await pilot.pause()
        status = [line for line in screen_text(app).splitlines() if "read," in line][0]
        assert app.snapshot.pipeline.split()[0] in status
        assert "1 read, 1 skipped" in status
        assert "updated" in status


PLAN = """\
---
date: 2024-03-01
---
Freedonian Foreign Minister Ana Ruiz will meet Sylvanian Trade Minister Otto Brandt in Lisbon on March 4.
"""
HELD = """\
---
date: 2024-03-04
---
Ana Ruiz met Otto Brandt in Lisbon on Monday.
"""


async def test_a_plan_and_its_outcome_are_one_row_and_nothing_ends_the_app(small_relation):
    """Two articles report one meeting, once planned and once held: one record,
    showing the outcome; `p` (past engagements) and the main actor's detail open."""
    small_relation.write_article("2024-03-01-plan.txt", PLAN)
    small_relation.write_article("2024-03-04-held.txt", HELD)
    app = make_app(small_relation)
    async with app.run_test(size=SIZE) as pilot:
        await filled(app)
        meetings = [
            e for e in app.snapshot.engagements
            if set(e.participants) == {"Ana Ruiz", "Otto Brandt"} and e.when == "2024-03-04"
        ]
        assert len(meetings) == 1 and meetings[0].status == "past"
        ids = [e.id for e in app.snapshot.engagements]
        assert len(ids) == len(set(ids))
        await pilot.press("p")
        await pilot.pause()
        assert meetings[0].id in keys(app, "engagement")
        await pilot.press("1", "g", "enter")
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen)
        await pilot.press("escape")
        assert app.is_running


async def test_the_russia_ukraine_fixture_opens_every_actor(shared_pipelines):
    from pathlib import Path

    fixture = Path(__file__).parent / "fixtures" / "heldout_russia_ukraine"
    app = DashboardApp(fixture / "config.yaml", fixture / "seeds", watch=False, use_cache=False)
    async with app.run_test(size=SIZE) as pilot:
        await filled(app)
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("1", "g")
        for _ in range(min(6, len(app.snapshot.actors))):
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, DetailScreen)
            await pilot.press("escape", "j")
        assert app.is_running
