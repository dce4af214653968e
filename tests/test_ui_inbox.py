"""The watchlist inbox in the dashboard: `w` lists the unlisted actors, `a`
adds one through a pre-filled form (the config's diff is that entry only),
`x` dismisses one for good, and a config changed on disk meanwhile is never
overwritten without asking."""

from __future__ import annotations

import pytest

from tui.ui.app import DashboardApp
from tui.ui.screens.help import HelpScreen
from tui.ui.screens.inbox import ConfirmScreen, EntryForm, InboxScreen

pytestmark = pytest.mark.usefixtures("shared_pipelines")

SIZES = [(80, 24), (120, 36), (200, 50)]

ENVOY_ARTICLE = """\
---
title: Envoy named
date: 2024-03-05
---
Freedonian envoy Tom Reyes met Sylvanian Trade Minister Otto Brandt in Lisbon on Tuesday.

Reyes said the talks would go on.
"""

ENTRY_LINES = ["  - name: Tom Reyes\n", "    aliases: [Reyes]\n", "    role: special envoy\n", "    side: Freedonia\n"]


def relation_with_envoy(small_relation):
    small_relation.write_article("2024-03-05-envoy.md", ENVOY_ARTICLE)
    return small_relation


def make_app(relation) -> DashboardApp:
    return DashboardApp(relation.config, relation.seeds, watch=False, use_cache=False)


async def open_inbox(app: DashboardApp, pilot) -> InboxScreen:
    await app.wait_for(lambda: app.snapshot is not None or app.error is not None)
    assert app.snapshot is not None, app.error
    await pilot.press("w")
    await pilot.pause()
    assert isinstance(app.screen, InboxScreen)
    return app.screen


async def open_form(app: DashboardApp, pilot) -> EntryForm:
    await pilot.press("a")
    await pilot.pause()
    assert isinstance(app.screen, EntryForm)
    return app.screen


def field(form: EntryForm, name: str):
    return form.query_one(f"#entry-{name}")


@pytest.mark.parametrize("size", SIZES)
async def test_the_inbox_lists_the_unlisted_envoy_with_his_role_side_and_evidence(small_relation, screen_text, size):
    app = make_app(relation_with_envoy(small_relation))
    async with app.run_test(size=size) as pilot:
        await open_inbox(app, pilot)
        text = screen_text(app)
        assert "Watchlist inbox" in text
        row = next(line for line in text.splitlines() if "Tom Reyes" in line)
        assert "envoy" in row and "Freedonia" in row
        assert "seen as: Reyes" in text
        assert "Freedonian envoy Tom Reyes met" in text  # its evidence
        assert "Ana Ruiz" not in text.split("seen as")[0]  # on the watchlist: not suggested
        assert "read" in text.splitlines()[-2]  # the status line


async def test_a_adds_the_entry_as_edited_and_the_config_diff_is_that_entry_only(small_relation):
    relation = relation_with_envoy(small_relation)
    before = relation.config.read_text(encoding="utf-8")
    app = make_app(relation)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_inbox(app, pilot)
        form = await open_form(app, pilot)
        assert field(form, "name").value == "Tom Reyes"
        assert field(form, "aliases").value == "Reyes"
        assert field(form, "side").value == "Freedonia"
        assert field(form, "role").value == "envoy"
        field(form, "role").value = "special envoy"  # editable before saving
        await pilot.press("ctrl+s")
        await app.wait_for(
            lambda: any(a.name == "Tom Reyes" and a.watchlisted for a in app.snapshot.actors)
        )  # the app reloads the config it wrote
        assert isinstance(app.screen, InboxScreen)
        assert all(s.name != "Tom Reyes" for s in app.screen.suggestions)
    after = relation.config.read_text(encoding="utf-8")
    lines = after.splitlines(keepends=True)
    at = lines.index(ENTRY_LINES[0])
    assert lines[at : at + 4] == ENTRY_LINES
    assert "".join(lines[:at] + lines[at + 4 :]) == before
    assert relation.config.with_name("config.yaml.bak").read_text(encoding="utf-8") == before


async def test_x_dismisses_for_good_and_the_config_is_untouched(small_relation):
    relation = relation_with_envoy(small_relation)
    before = relation.config.read_bytes()
    app = make_app(relation)
    async with app.run_test(size=(120, 36)) as pilot:
        inbox = await open_inbox(app, pilot)
        inbox.table.move_cursor(row=[s.name for s in inbox.suggestions].index("Tom Reyes"))
        await pilot.press("x")
        await pilot.pause()
        assert all(s.name != "Tom Reyes" for s in inbox.suggestions)
    assert relation.config.read_bytes() == before
    again = make_app(relation)  # the next session remembers
    async with again.run_test(size=(120, 36)) as pilot:
        inbox = await open_inbox(again, pilot)
        assert all(s.name != "Tom Reyes" for s in inbox.suggestions)


async def test_a_config_changed_on_disk_meanwhile_is_not_overwritten_the_app_asks(small_relation):
    relation = relation_with_envoy(small_relation)
    app = make_app(relation)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_inbox(app, pilot)
        form = await open_form(app, pilot)
        theirs = relation.config.read_text(encoding="utf-8").replace("as_of: latest", "as_of: today", 1)
        relation.config.write_text(theirs, encoding="utf-8")  # saved in an editor while the form is open
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is form and "nothing was written" in str(field(form, "error").render())
        assert relation.config.read_text(encoding="utf-8") == theirs
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)  # asked again: the file is still not what the form read
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, InboxScreen)
    now = relation.config.read_text(encoding="utf-8")
    assert "as_of: today" in now and "  - name: Tom Reyes\n" in now


async def test_help_in_the_inbox_lists_its_keys(small_relation, screen_text):
    app = make_app(relation_with_envoy(small_relation))
    async with app.run_test(size=(120, 36)) as pilot:
        await open_inbox(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen) and app.screen.topic == "inbox"
        text = screen_text(app)
        assert "add to the watchlist" in text and "dismiss" in text


# --- issue suggestions ----------------------------------------------------------------

DAM_ARTICLE = """\
---
title: Dam row
date: 2024-03-0{day}
---
Freedonia protested against Sylvania's new river dam, which it said breached an old accord.

Freedonian Foreign Minister Ana Ruiz met Sylvanian Trade Minister Otto Brandt in Lisbon.
"""

ISSUE_LINES = ["  - id: river-dam\n", "    label: River dam\n", "    patterns: [river dam, river dams]\n"]


def relation_with_dam(small_relation):
    for day in (5, 6):
        small_relation.write_article(f"2024-03-0{day}-dam.md", DAM_ARTICLE.format(day=day))
    return small_relation


async def open_issues(app: DashboardApp, pilot) -> InboxScreen:
    inbox = await open_inbox(app, pilot)
    await pilot.press("tab")
    await pilot.pause()
    assert inbox.mode == "issues"
    labels = [s.label for s in inbox.issues]
    if "River dam" in labels:
        inbox.table.move_cursor(row=labels.index("River dam"))
        await pilot.pause()
    return inbox


@pytest.mark.parametrize("size", SIZES)
async def test_tab_lists_the_issue_suggestions_with_who_raises_them_and_evidence(small_relation, screen_text, size):
    app = make_app(relation_with_dam(small_relation))
    async with app.run_test(size=size) as pilot:
        await open_issues(app, pilot)
        text = screen_text(app)
        assert "Issues" in text.splitlines()[0]
        row = next(line for line in text.splitlines() if "River dam" in line)
        assert "Freedonia" in row
        assert "Freedonia protested against" in text  # its evidence
        await pilot.press("enter")  # every sentence it comes from
        await pilot.pause()
        assert "2024-03-06-dam.md" in screen_text(app) and "2024-03-05-dam.md" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, InboxScreen)


async def test_a_adds_the_issue_as_edited_and_the_config_diff_is_that_entry_only(small_relation):
    from tui.ui.screens.inbox import IssueForm

    relation = relation_with_dam(small_relation)
    before = relation.config.read_text(encoding="utf-8")
    app = make_app(relation)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_issues(app, pilot)
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, IssueForm)
        assert field(form, "id").value == "river-dam" and field(form, "label").value == "River dam"
        assert field(form, "patterns").value == "river dam"
        field(form, "patterns").value = "river dam, river dams"  # editable before saving
        await pilot.press("ctrl+s")
        await app.wait_for(lambda: any(i.id == "river-dam" for i in app.snapshot.issues))  # reloaded, matched
        assert isinstance(app.screen, InboxScreen)
        assert all(s.label != "River dam" for s in app.screen.issues)
    after = relation.config.read_text(encoding="utf-8")
    lines = after.splitlines(keepends=True)
    at = lines.index(ISSUE_LINES[0])
    assert lines[at : at + 3] == ISSUE_LINES
    assert "".join(lines[:at] + lines[at + 3 :]) == before


async def test_x_dismisses_an_issue_for_good_and_the_config_is_untouched(small_relation):
    relation = relation_with_dam(small_relation)
    before = relation.config.read_bytes()
    app = make_app(relation)
    async with app.run_test(size=(120, 36)) as pilot:
        inbox = await open_issues(app, pilot)
        assert inbox.current.label == "River dam"
        await pilot.press("x")
        await pilot.pause()
        assert all(s.label != "River dam" for s in inbox.issues)
    assert relation.config.read_bytes() == before
    again = make_app(relation)  # the next session remembers
    async with again.run_test(size=(120, 36)) as pilot:
        inbox = await open_issues(again, pilot)
        assert all(s.label != "River dam" for s in inbox.issues)
