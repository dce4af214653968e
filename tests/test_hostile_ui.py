"""Hostile input in the dashboard, driven as a user drives it.

Markup and terminal control codes in article text, titles, file names,
speaker names and config strings are shown as the characters they are, in
the panes, detail screens, notifications and the help screen; nothing they
spell runs. Bad configs (generated the same way as in test_hostile_config)
keep the last good picture on screen with the error in the status line.
Tests wait on the app's own update signal (`app.wait_for`), never on time.
"""

from __future__ import annotations

import copy
import textwrap
from pathlib import Path

import pytest
import yaml

from tui.config import ConfigError, load_config
from tui.engine import Engine
from tui.ui.app import DashboardApp
from tui.ui.screens.detail import DetailScreen
from tui.ui.screens.help import HelpScreen
from tui.ui.view import clean

SIZE = (200, 50)
CLICK = "[@click=app.quit]"

CONFIG = textwrap.dedent("""\
    relation:
      name: "Freedonia [@click=app.quit]vs[/] Sylvania \\e[2J"
    model: en_core_web_sm
    seeds: seeds
    parties:
      - name: Freedonia
        aliases: [Freedonian]
      - name: "Sylvania [/bold]"
        aliases: [Sylvanian, Sylvania]
    actors:
      - name: "Ana [i]Ruiz[/i]"
        aliases: [Ruiz, Ana Ruiz]
        role: "Envoy [@click=app.quit]x[/]"
        side: Freedonia
      - name: Otto Brandt
        aliases: [Brandt]
        role: "Trade \\e]0;pwned\\a Minister"
        side: "Sylvania [/bold]"
    issues:
      - id: tariffs
        label: "[link=file:///etc]Steel[/link] tariffs \\e[31m"
        patterns: [tariffs, steel tariffs]
    engagements:
      cues: [meet, visit, talks]
    quotes:
      verbs: [say, tell]
    """)

ARTICLE_NAME = "2024-03-04-[@click=app.quit]lisbon[b].md"
ARTICLE = (
    "---\n"
    'title: "Ministers meet [@click=app.quit]in[/] Lisbon \\e[2J[/bold]"\n'
    "date: 2024-03-04\n"
    "---\n"
    "Freedonian Foreign Minister Ana Ruiz met Sylvanian Trade Minister Otto Brandt"
    " in Lisbon on Monday.\n\n"
    '"We will not accept [bold]new tariffs[/bold] on our steel \x1b[31m[@click=app.quit]today[/],"'
    " Ruiz told reporters after the meeting.\n\n"
    "Brandt said the two sides would meet again next week to discuss the steel tariffs [/].\n"
)


def write_relation(root: Path) -> Path:
    (root / "config.yaml").write_text(CONFIG, encoding="utf-8")
    (root / "seeds").mkdir()
    (root / "seeds" / ARTICLE_NAME).write_text(ARTICLE, encoding="utf-8")
    return root


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    """A relation of our own, for tests that change its files."""
    return write_relation(tmp_path)


@pytest.fixture(scope="module")
def shared(tmp_path_factory) -> tuple[Path, Engine]:
    """One relation and engine (spaCy loaded once) for tests that only look."""
    root = write_relation(tmp_path_factory.mktemp("hostile"))
    return root, Engine(root / "config.yaml", seeds_dir=root / "seeds")


def make_app(root: Path | tuple[Path, Engine]) -> DashboardApp:
    root, engine = root if isinstance(root, tuple) else (root, None)
    return DashboardApp(root / "config.yaml", root / "seeds", watch=False, use_cache=False,
                        engine=engine)


async def next_update(app: DashboardApp, pilot, *keys: str) -> None:
    """Press keys and wait for the refresh they start to be applied."""
    before = app.update_count
    await pilot.press(*keys)
    await app.wait_for(lambda: app.update_count > before)
    await pilot.pause()


async def filled(app: DashboardApp, pilot) -> None:
    await app.wait_for(lambda: app.snapshot is not None or app.error is not None)
    await pilot.pause()
    assert app.error is None, app.error


def cells(app: DashboardApp, kind: str) -> list[str]:
    table = app.dashboard.pane(kind).table
    return [str(getattr(cell, "plain", cell)) for row in table.ordered_rows
            for cell in table.get_row(row.key)]


async def open_detail(app: DashboardApp, pilot, kind: str, record_id: str) -> str:
    app.open_record(kind, record_id)
    await pilot.pause()
    assert isinstance(app.screen, DetailScreen)
    return record_id


async def click_the_markup(app: DashboardApp, pilot, screen_text) -> None:
    """Click wherever the screen shows '[@click=...]': the words must stay
    words (an active link there would quit the app)."""
    spots = [(line.index("@click"), y) for y, line in enumerate(screen_text(app).splitlines())
             if "@click" in line]
    assert spots, "no markup on screen to click"
    for x, y in spots[:6]:
        await pilot.click(offset=(x + 3, y))
        assert app.is_running


# --- untrusted text ---------------------------------------------------------


async def test_panes_show_config_and_article_text_literally(shared, screen_text):
    app = make_app(shared)
    async with app.run_test(size=SIZE) as pilot:
        await filled(app, pilot)
        snap = app.snapshot
        text = screen_text(app)
        assert "\x1b" not in text and "\x07" not in text
        # header: the relation name from the config
        assert "Freedonia [@click=app.quit]vs[/] Sylvania" in text
        # actors pane: a name, a role and a side, all with markup in them
        actor_cells = cells(app, "actor")
        assert "Ana [i]Ruiz[/i]" in actor_cells and "Envoy [@click=app.quit]x[/]" in actor_cells
        assert "Sylvania [/bold]" in actor_cells
        assert "Trade ]0;pwned Minister" in " ".join(" ".join(c.split()) for c in actor_cells)
        # (columns may cut the ends off; what is shown is the text as written)
        assert "Ana [i]Ruiz[/i]" in text and "Envoy [@click=app" in text
        # issues pane: the label
        assert "[link=file:///etc]Steel[/link]" in text
        assert "[link=file:///etc]Steel[/link] tariffs [31m" in cells(app, "issue")
        # quotes pane: the quote and its speaker
        quote = next(q for q in snap.quotes if "[bold]new tariffs[/bold]" in q.text)
        assert quote.speaker == "Ana [i]Ruiz[/i]"
        assert any("We will not accept [bold]new tariffs[/bold]" in c for c in cells(app, "quote"))
        assert "We will not accept [bold]new tariffs[/" in text  # cut to the column
        await click_the_markup(app, pilot, screen_text)
        await pilot.press("tab", "tab", "tab", "j", "k", "G", "g")
        assert app.is_running


async def test_detail_screens_show_text_literally(shared, screen_text):
    app = make_app(shared)
    async with app.run_test(size=SIZE) as pilot:
        await filled(app, pilot)
        snap = app.snapshot
        ana = next(a for a in snap.actors if a.name == "Ana [i]Ruiz[/i]")
        await open_detail(app, pilot, "actor", ana.id)
        text = screen_text(app)
        assert "\x1b" not in text
        assert "Ana [i]Ruiz[/i]" in text and "Envoy [@click=app.quit]x[/]" in text
        assert "[@click=app.quit]lisbon[b].md" in text  # the article's file name
        await click_the_markup(app, pilot, screen_text)
        await pilot.press("escape")
        await pilot.pause()

        quote = next(q for q in snap.quotes if "[bold]new tariffs[/bold]" in q.text)
        await open_detail(app, pilot, "quote", quote.id)
        text = screen_text(app)
        assert "\x1b" not in text
        assert "[bold]new tariffs[/bold] on our steel" in text
        assert "[@click=app.quit]today[/]" in text
        assert "Ana [i]Ruiz[/i]" in text
        await click_the_markup(app, pilot, screen_text)
        await pilot.press("escape")
        await pilot.pause()

        issue = next(i for i in snap.issues if i.id == "tariffs")
        await open_detail(app, pilot, "issue", issue.id)
        text = screen_text(app)
        assert "[link=file:///etc]Steel[/link] tariffs" in text
        assert "steel tariffs [/]" in text  # the evidence sentence, stray closing tag kept
        await click_the_markup(app, pilot, screen_text)


async def test_notifications_show_paths_literally(shared, screen_text, monkeypatch, tmp_path):
    app = make_app(shared)
    monkeypatch.chdir(tmp_path)
    folder = Path(f"{CLICK}x[b]")  # short, so the toast shows it on one line
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await filled(app, pilot)
        assert app.action_export_json(folder / "export.json") is None  # folder missing
        await pilot.pause()
        folder.mkdir()
        assert app.action_export_json(folder / "export.json") == folder / "export.json"
        await pilot.pause()
        shown = [n.message for n in app._notifications]
        assert any(m.startswith(f"{folder / 'export.json'}: cannot write") for m in shown)
        assert f"Exported to {folder / 'export.json'}" in shown
        text = screen_text(app)
        assert f"Exported to {CLICK}x[b]/export.json" in text  # the toast, as written
        assert f"{CLICK}x[b]/export.json: cannot write" in text
        await click_the_markup(app, pilot, screen_text)


async def test_help_screen_over_a_hostile_picture(shared, screen_text):
    app = make_app(shared)
    async with app.run_test(size=SIZE) as pilot:
        await filled(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        assert "reload now" in text and "\x1b" not in text
        # the dashboard behind the help keeps its text literal
        assert "Freedonia [@click=app.quit]vs[/] Sylvania" in text
        await click_the_markup(app, pilot, screen_text)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)


async def test_filter_text_is_shown_literally(shared, screen_text):
    app = make_app(shared)
    async with app.run_test(size=SIZE) as pilot:
        await filled(app, pilot)
        await pilot.press("1", "slash", *"[i]", "enter")
        await pilot.pause()
        assert app.dashboard.pane("actor").table.row_count == 1
        assert "Ana [i]Ruiz[/i]" in cells(app, "actor")
        assert "filter: [i]" in screen_text(app)
        assert app.is_running


# --- bad configs keep the last good picture ---------------------------------


def bad_configs(good: str) -> list[tuple[str, str]]:
    """One generated config per kind of damage (same kinds as test_hostile_config)."""
    base = yaml.safe_load(good)
    out: list[tuple[str, str]] = []

    def dumped(kind: str, change) -> None:
        data = copy.deepcopy(base)
        change(data)
        out.append((kind, yaml.safe_dump(data, sort_keys=False, allow_unicode=True)))

    dumped("wrong type", lambda d: d["actors"][0].__setitem__("aliases", {"a": 1}))
    dumped("missing key", lambda d: d["relation"].pop("name"))
    dumped("unknown key with markup", lambda d: d.__setitem__(f"{CLICK}k[/] \x1b[2J", 1))
    dumped("duplicate actor", lambda d: d["actors"][1].__setitem__("name", "Ana [i]Ruiz[/i]"))
    dumped("shared alias", lambda d: d["actors"][1]["aliases"].append("Ruiz"))
    dumped("side not a party", lambda d: d["actors"][1].__setitem__("side", "[/]Sylvnia"))
    dumped("empty list", lambda d: d.__setitem__("parties", []))
    lines = good.splitlines(keepends=True)
    out.append(("invalid YAML", "".join(lines[:3]) + "  as_of: [unclosed\n" + "".join(lines[3:])))
    out.append(("tab", good.replace("    aliases: [Ruiz", "\taliases: [Ruiz", 1)))
    tag = "!!python/object/apply:os.system ['true']"
    out.append(("YAML tag", good.replace("seeds: seeds", f"seeds: {tag}")))
    out.append(("10 MB", good + ("# padding\n" * 1_100_000)))
    out.append(("half-written in a list", good[: good.index("aliases: [Ruiz") + 12]))
    out.append(("half-written at a key", good[: good.index("issues:") + 4]))
    return out


async def test_bad_configs_keep_the_picture_and_show_the_error(hostile, screen_text):
    config = hostile / "config.yaml"
    good = config.read_text(encoding="utf-8")
    app = make_app(hostile)
    async with app.run_test(size=SIZE) as pilot:
        await filled(app, pilot)
        picture = {kind: cells(app, kind) for kind in ("actor", "engagement", "issue", "quote")}
        snapshot = app.snapshot
        tried = 0
        for kind, text in bad_configs(good):
            config.write_text(text, encoding="utf-8")
            with pytest.raises(ConfigError) as expected:
                load_config(config)
            await next_update(app, pilot, "r")
            assert app.is_running, kind
            assert app.error == str(expected.value), kind
            assert "\n" not in app.error
            assert app.snapshot is snapshot, kind  # the last good picture stays
            assert {k: cells(app, k) for k in picture} == picture, kind
            status = [line for line in screen_text(app).splitlines() if "✖" in line]
            assert status and clean(app.error)[:50] in status[0], (kind, status)
            assert "\x1b" not in status[0]
            tried += 1
        assert tried == 13
        config.write_text(good, encoding="utf-8")
        await next_update(app, pilot, "r")
        assert app.error is None
        assert {k: cells(app, k) for k in picture} == picture


async def test_article_deleted_while_the_app_reads_it(hostile, monkeypatch):
    """An article that vanishes mid-read is listed as skipped; the others stay."""
    seeds = hostile / "seeds"
    (seeds / "2024-03-05-second.md").write_text(
        "Otto Brandt said the talks would continue in Lisbon next week.\n", encoding="utf-8")
    app = make_app(hostile)
    async with app.run_test(size=SIZE) as pilot:
        await filled(app, pilot)
        quotes_before = cells(app, "quote")
        victim = seeds / "2024-03-05-second.md"
        real_open = Path.open

        def vanish(self, *args, **kwargs):
            if self == victim and victim.exists():
                victim.unlink()
            return real_open(self, *args, **kwargs)

        monkeypatch.setattr(Path, "open", vanish)
        await next_update(app, pilot, "r")
        docs = {d.id: d for d in app.snapshot.documents}
        assert docs["2024-03-05-second.md"].reason == "file vanished while being read"
        assert docs[ARTICLE_NAME].status == "ok"
        assert cells(app, "quote") == quotes_before
        assert app.is_running and app.error is None
