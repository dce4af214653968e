"""The articles screens: every file of the seeds folder, what came from each,
and the article itself opened from there. Pilot tests on a real engine over a
tmp seeds folder at 80x24, 120x36 and 200x50, then the pure functions."""

from __future__ import annotations

import shlex
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest
from rich.text import Text

from tui.extract.models import Actor, Document, Engagement, Evidence, Issue, Quote, Snapshot
from tui.ui import docs
from tui.ui.app import DashboardApp
from tui.ui.screens import documents
from tui.ui.screens.detail import DetailScreen
from tui.ui.screens.documents import DocumentScreen, DocumentsScreen

SIZES = [(80, 24), (120, 36), (200, 50)]
pytestmark = pytest.mark.usefixtures("shared_pipelines")

LISBON = "2024-03-04-lisbon.md"
WEATHER = "2024-03-06-weather.md"
WEATHER_URL = "https://example.org/weather/mild-week"
WEATHER_TITLE = "Mild weather expected across the coast this week, with long sunny spells and light winds"
WEATHER_ARTICLE = f"""\
---
title: {WEATHER_TITLE}
date: 2024-03-06
url: {WEATHER_URL}
---
The weather in Lisbon was mild on Tuesday, the city council said.
"""


@pytest.fixture
def relation(small_relation):
    """The Lisbon article (about the relation), an off-topic one with a URL,
    an empty text file and a PDF (both skipped)."""
    small_relation.write_article(WEATHER, WEATHER_ARTICLE)
    (small_relation.seeds / "empty.txt").write_text("", encoding="utf-8")
    (small_relation.seeds / "notes.pdf").write_bytes(b"%PDF-1.4\n\x00\x01\x02")
    return small_relation


@pytest.fixture
def opened(monkeypatch):
    """Replaces the article opener; the list of (kind, target) it was asked for."""
    calls: list[tuple[str, str]] = []
    monkeypatch.setattr(documents, "open_article", lambda app, kind, target: calls.append((kind, target)))
    return calls


def make_app(relation, **kwargs) -> DashboardApp:
    return DashboardApp(relation.config, relation.seeds, watch=False, use_cache=False, **kwargs)


async def open_documents(app: DashboardApp, pilot) -> DocumentsScreen:
    await app.wait_for(lambda: app.snapshot is not None or app.error is not None)
    screen = DocumentsScreen(app.snapshot, app.seeds_dir)
    await app.push_screen(screen)
    await pilot.pause()
    return screen


def row_keys(screen: DocumentsScreen) -> list[str]:
    return [row.key.value for row in screen.table.ordered_rows]


def cell(screen: DocumentsScreen, doc_id: str, column: str) -> str:
    value = screen.table.get_cell(doc_id, column)
    return value.plain if isinstance(value, Text) else str(value)


async def go_to(pilot, screen: DocumentsScreen, doc_id: str) -> None:
    await pilot.press("g", *["j"] * row_keys(screen).index(doc_id))
    assert screen.current_doc_id == doc_id


def errors(app: DashboardApp) -> list[str]:
    return [n.message for n in app._notifications if n.severity == "error"]


# --- the list of files ----------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
async def test_every_file_is_listed_with_its_status_and_what_came_from_it(relation, size, screen_text):
    app = make_app(relation)
    async with app.run_test(size=size) as pilot:
        screen = await open_documents(app, pilot)
        snap = app.snapshot
        # newest first, the skipped files last
        assert row_keys(screen) == [WEATHER, LISBON, "empty.txt", "notes.pdf"]
        assert [cell(screen, key, "status") for key in row_keys(screen)] == ["off topic", "ok", "skipped", "skipped"]
        # counted here by filtering each kind for the one article
        expected = {
            "actor": sum(LISBON in a.docs for a in snap.actors),
            "engagement": sum(any(ev.doc == LISBON for ev in e.evidence) for e in snap.engagements),
            "issue": sum(LISBON in i.docs for i in snap.issues),
            "quote": sum(q.doc == LISBON for q in snap.quotes),
        }
        assert expected["actor"] >= 2 and expected["quote"] >= 1 and expected["issue"] >= 1
        assert {kind: int(cell(screen, LISBON, kind)) for kind in expected} == expected
        assert cell(screen, WEATHER, "quote") == "0"
        assert cell(screen, "notes.pdf", "quote") == ""  # nothing was read from it

        text = screen_text(app)
        assert "Articles" in text and "4 files: 1 ok, 1 off topic, 2 skipped" in text
        lisbon_line = next(line for line in text.splitlines() if "Ministers meet in Lisbon" in line)
        assert "ok" in lisbon_line and "2024-03-04" in lisbon_line  # short columns shown whole
        assert any("off topic" in line and "2024-03-06" in line for line in text.splitlines())
        # the cursor's row: its full title and why it is off topic, under the table
        preview = text.splitlines()[-3]
        assert "off topic: mentions no side of the relation" in preview
        assert preview.strip().startswith(WEATHER_TITLE[:25])

        # sized to the screen: no sideways scrolling, the title gets the room
        table = screen.table
        assert table.virtual_size.width <= table.scrollable_content_region.width
        widths = {str(c.key.value): c.width for c in table.columns.values()}
        assert widths["title"] == max(widths.values())
        assert widths["status"] == len("off topic") and widths["date"] == len("2024-03-04")


@pytest.mark.parametrize("size", SIZES)
async def test_the_preview_follows_the_cursor_and_says_why_a_file_was_skipped(relation, size, screen_text):
    app = make_app(relation)
    async with app.run_test(size=size) as pilot:
        screen = await open_documents(app, pilot)
        await go_to(pilot, screen, "notes.pdf")
        await pilot.pause()
        preview = screen_text(app).splitlines()[-3]
        assert "notes.pdf" in preview and "skipped: not an article" in preview
        await pilot.press("k")
        await pilot.pause()
        assert "skipped: empty file" in screen_text(app).splitlines()[-3]


# --- one article ------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
async def test_enter_shows_what_came_from_an_article_and_enter_on_a_record_opens_it(relation, size, screen_text):
    app = make_app(relation)
    async with app.run_test(size=size) as pilot:
        screen = await open_documents(app, pilot)
        await go_to(pilot, screen, LISBON)
        await pilot.press("enter")
        assert isinstance(app.screen, DocumentScreen) and app.screen.doc_id == LISBON
        await pilot.pause()
        text = screen_text(app)
        assert "Ministers meet in Lisbon" in text and "2024-03-04" in text
        squeezed = "".join(text.split())  # a long path wraps at 80 columns
        assert str((relation.seeds / LISBON).absolute()) in squeezed
        assert "Actors (" in text and "Ana Ruiz" in text
        records = app.screen.records
        assert records.get_option("heading:quote").prompt.plain == "Quotes (1)"
        ids = [records.get_option_at_index(i).id for i in range(records.option_count)]
        quote_ids = [f"quote:{q.id}" for q in app.snapshot.quotes if q.doc == LISBON]
        assert quote_ids and set(quote_ids) <= set(ids)
        assert ids.index("heading:actor") < ids.index("heading:quote")  # grouped by kind

        await pilot.press("G", "enter")  # the last record: the article's last quote
        assert isinstance(app.screen, DetailScreen) and app.screen.kind == "quote"
        assert f"quote:{app.screen.record_id}" == quote_ids[-1]
        await pilot.pause()
        assert "We will not accept new tariffs" in screen_text(app)

        await pilot.press("escape")
        assert isinstance(app.screen, DocumentScreen)
        await pilot.press("g", "enter")  # the first record: an actor
        assert isinstance(app.screen, DetailScreen) and app.screen.kind == "actor"
        await pilot.press("escape", "escape")
        assert app.screen is screen and screen.current_doc_id == LISBON
        await pilot.press("q")
        assert app.screen is app.dashboard and app.is_running


async def test_a_document_that_is_gone_says_so(relation, screen_text, opened):
    app = make_app(relation)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_documents(app, pilot)
        gone = DocumentScreen("no/such/article.md", app.snapshot, app.seeds_dir)
        await app.push_screen(gone)
        await pilot.pause()
        assert "This article is no longer in the picture." in screen_text(app)
        await pilot.press("o", "enter")
        assert opened == [] and app.is_running
        assert any("no longer in the picture" in n.message for n in app._notifications)
        await pilot.press("escape")
        assert isinstance(app.screen, DocumentsScreen)


async def test_no_picture_yet_is_a_message_not_a_crash(small_relation, screen_text, opened):
    app = DashboardApp(small_relation.config, small_relation.root / "nowhere", watch=False, use_cache=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_documents(app, pilot)
        assert app.snapshot is None
        assert row_keys(screen) == []
        assert "seedsfoldernotfound" in "".join(screen_text(app).split())  # wrapped, whole
        await pilot.press("enter", "o")
        assert app.screen is screen and opened == []
        await app.push_screen(DocumentScreen(LISBON, app.snapshot, app.seeds_dir))
        await pilot.pause()
        assert "This article is no longer in the picture." in screen_text(app)
        assert app.is_running


# --- opening the article ------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
async def test_o_opens_the_file_or_the_url_from_either_screen(relation, size, opened):
    app = make_app(relation)
    async with app.run_test(size=size) as pilot:
        screen = await open_documents(app, pilot)
        await go_to(pilot, screen, LISBON)
        await pilot.press("o")
        assert opened == [("file", str((relation.seeds / LISBON).absolute()))]
        await go_to(pilot, screen, WEATHER)
        await pilot.press("o")
        assert opened[-1] == ("url", WEATHER_URL)

        await go_to(pilot, screen, LISBON)
        await pilot.press("enter", "o")
        assert isinstance(app.screen, DocumentScreen)
        assert opened[-1] == ("file", str((relation.seeds / LISBON).absolute()))
        assert errors(app) == []


@pytest.mark.parametrize("size", SIZES)
async def test_an_opener_that_fails_is_one_error_line_and_the_app_runs_on(relation, size, monkeypatch):
    def broken(app, kind, target):
        raise OSError(2, "No such file or directory")

    monkeypatch.setattr(documents, "open_article", broken)
    app = make_app(relation)
    async with app.run_test(size=size) as pilot:
        screen = await open_documents(app, pilot)
        await go_to(pilot, screen, LISBON)
        await pilot.press("o")
        assert app.is_running and app.screen is screen
        [message] = errors(app)
        assert "\n" not in message and LISBON in message and "No such file or directory" in message
        await pilot.press("enter", "o")
        assert isinstance(app.screen, DocumentScreen) and len(errors(app)) == 2
        await pilot.press("escape", "j")
        assert app.screen is screen and app.is_running


async def test_a_missing_pager_is_reported_not_run(relation, monkeypatch):
    monkeypatch.setenv("PAGER", "/nowhere/no-such-pager")
    app = make_app(relation)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_documents(app, pilot)
        await go_to(pilot, screen, LISBON)
        await pilot.press("o")
        [message] = errors(app)
        assert "no-such-pager" in message and "not found" in message
        assert app.is_running and app.screen is screen


async def test_a_file_deleted_since_the_last_picture_is_reported(relation):
    app = make_app(relation)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_documents(app, pilot)
        (relation.seeds / LISBON).unlink()
        await go_to(pilot, screen, LISBON)
        await pilot.press("o")
        [message] = errors(app)
        assert "file not found" in message and app.is_running


def test_the_pager_gets_the_path_as_one_argument_while_the_app_is_suspended(tmp_path, monkeypatch):
    article = tmp_path / "a b; echo $(id) [bold].txt"
    article.write_text("text", encoding="utf-8")
    record = tmp_path / "argv.txt"
    script = tmp_path / "pager.py"
    script.write_text(
        "import sys, pathlib\npathlib.Path(sys.argv[1]).write_text('\\n'.join(sys.argv[2:]))\n", encoding="utf-8"
    )
    monkeypatch.setenv("PAGER", shlex.join([sys.executable, str(script), str(record)]))
    events: list[str] = []

    class App:
        @contextmanager
        def suspend(self):
            events.append("suspended")
            yield
            events.append("resumed")

    documents.open_article(App(), "file", str(article))
    assert events == ["suspended", "resumed"]
    assert record.read_text(encoding="utf-8").split("\n") == [str(article)]


def test_a_url_with_no_browser_raises_a_one_line_error(monkeypatch):
    monkeypatch.setattr(documents.webbrowser, "open", lambda url: False)
    with pytest.raises(documents.ArticleError, match="no web browser"):
        documents.open_article(object(), "url", WEATHER_URL)
    seen = []
    monkeypatch.setattr(documents.webbrowser, "open", lambda url: seen.append(url) or True)
    documents.open_article(object(), "url", WEATHER_URL)
    assert seen == [WEATHER_URL]


# --- a new picture -----------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
async def test_refresh_keeps_the_cursor_on_the_same_document(relation, size, screen_text):
    app = make_app(relation)
    async with app.run_test(size=size) as pilot:
        screen = await open_documents(app, pilot)
        await go_to(pilot, screen, LISBON)
        await pilot.press("enter")
        article = app.screen
        relation.write_article(
            "2024-03-08-newer.md",
            "---\ntitle: A newer report\ndate: 2024-03-08\n---\nAna Ruiz will visit Sylvania in May.\n",
        )
        (relation.seeds / LISBON).unlink()
        app.request_refresh("test")
        generation = app.generation
        await app.wait_for(lambda: app.applied_generation == generation)
        article.refresh_snapshot()
        screen.refresh_snapshot()
        await pilot.pause()
        assert "This article is no longer in the picture." in screen_text(app)
        await pilot.press("escape")
        assert row_keys(screen)[0] == "2024-03-08-newer.md" and LISBON not in row_keys(screen)
        assert screen.current_doc_id == WEATHER  # the row went: the cursor stays at its height

        await go_to(pilot, screen, "empty.txt")
        (relation.seeds / "empty.txt").write_text(
            "---\ndate: 2024-03-09\n---\nAna Ruiz met Otto Brandt.\n", encoding="utf-8"
        )
        app.request_refresh("test")
        generation = app.generation
        await app.wait_for(lambda: app.applied_generation == generation)
        screen.refresh_snapshot()
        assert row_keys(screen)[0] == "empty.txt"  # read now, and the newest
        assert screen.current_doc_id == "empty.txt"  # the cursor went with it
        assert cell(screen, "empty.txt", "status") == "ok"


# --- hostile text and rendering errors ---------------------------------------------------


async def test_titles_and_reasons_show_as_text_not_markup(relation, screen_text):
    nasty = "[@click=app.quit]x[/] [/bold] [link=x]y[/link]"
    relation.write_article(
        "2024-03-07-nasty.md", f'---\ntitle: "{nasty}"\ndate: 2024-03-07\n---\nAna Ruiz met Otto Brandt.\n'
    )
    app = make_app(relation)
    async with app.run_test(size=(200, 50)) as pilot:
        screen = await open_documents(app, pilot)
        text = screen_text(app)
        assert nasty in text and app.is_running
        await go_to(pilot, screen, "2024-03-07-nasty.md")
        await pilot.press("enter")
        await pilot.pause()
        assert nasty in screen_text(app)
        for y in range(0, 49, 3):
            await pilot.click(offset=(10, y))
        assert app.is_running


async def test_a_rendering_error_is_a_status_line_not_a_crash(relation, monkeypatch):
    app = make_app(relation)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_documents(app, pilot)
        shown = row_keys(screen)

        def broken(snapshot):
            raise ValueError("bad record")

        monkeypatch.setattr(docs, "document_rows", broken)
        screen.refresh_snapshot()
        await pilot.pause()
        assert app.is_running and "could not show the articles" in (app.error or "")
        assert row_keys(screen) == shown  # what was on screen stays


# --- the pure functions ------------------------------------------------------------------


def doc(doc_id: str, published: str | None = None, **kwargs) -> Document:
    kwargs.setdefault("status", "ok")
    kwargs.setdefault("reason", None)
    kwargs.setdefault("title", None)
    return Document(id=doc_id, published=published, **kwargs)


def ev(doc_id: str, start: int = 0) -> Evidence:
    return Evidence(doc_id, start, start + 3, "Ana met Otto.")


SNAPSHOT = Snapshot(
    as_of="2024-03-10",
    relation="Freedonia - Sylvania",
    documents=(
        doc("old.md", "2024-01-01", title="Old news", on_topic=True),
        doc("undated.txt", None, on_topic=True),
        doc("new.md", "2024-03-09", title="New news", on_topic=True, flags=("invalid UTF-8 replaced",)),
        doc("weather.md", "2024-03-05", on_topic=False, on_topic_reason="mentions no side of the relation"),
        doc("broken.pdf", status="skipped", reason="not an article"),
        doc("feed.jsonl#7", "2024-02-01", form="jsonl", title="From a feed", on_topic=True),
        doc("old.md", "2024-01-01", title="A repeated id"),
    ),
    actors=(
        Actor("ana", "Ana Ruiz", "person", "Foreign Minister", "Freedonia", (), 3, ("new.md", "old.md", "new.md")),
        Actor("otto", "Otto Brandt", "person", None, "Sylvania", (), 1, ("new.md",)),
    ),
    engagements=(
        Engagement("e1", ("Ana Ruiz", "Otto Brandt"), "meet", "Lisbon", "2024-03-12", None, "day", "planned",
                   True, (ev("new.md"), ev("new.md", 40), ev("feed.jsonl#7"))),
    ),
    issues=(Issue("tariffs", "Steel tariffs", 2, ("new.md",), ("Ana Ruiz",), (ev("new.md"),)),),
    quotes=(
        Quote("new.md#50", "We will not", "Ana Ruiz", "Freedonia", "new.md", "2024-03-09", 50, 61),
        Quote("new.md#10", "Never", "Ana Ruiz", "Freedonia", "new.md", "2024-03-09", 10, 15),
        Quote("old.md#5", "Perhaps", None, None, "old.md", "2024-01-01", 5, 12),
    ),
)


def test_rows_newest_first_undated_after_dated_skipped_last_one_row_an_id():
    rows = docs.document_rows(SNAPSHOT)
    assert [r.key for r in rows] == ["new.md", "weather.md", "feed.jsonl#7", "old.md", "undated.txt", "broken.pdf"]
    by_key = {r.key: [c.plain for c in r.cells] for r in rows}
    columns = docs.DOC_COLUMN_KEYS
    new = dict(zip(columns, by_key["new.md"], strict=True))
    assert (new["status"], new["date"], new["title"], new["form"]) == ("ok", "2024-03-09", "New news", "text")
    # an actor listing the article twice, an engagement with two sentences from it: once each
    assert (new["actor"], new["engagement"], new["issue"], new["quote"]) == ("2", "1", "1", "2")
    assert new["reason"] == "invalid UTF-8 replaced"
    weather = dict(zip(columns, by_key["weather.md"], strict=True))
    assert (weather["status"], weather["title"], weather["reason"]) == (
        "off topic", "weather.md", "mentions no side of the relation"
    )
    broken = dict(zip(columns, by_key["broken.pdf"], strict=True))
    assert (broken["status"], broken["date"], broken["reason"], broken["quote"]) == (
        "skipped", "undated", "not an article", ""
    )
    assert dict(zip(columns, by_key["feed.jsonl#7"], strict=True))["engagement"] == "1"
    assert docs.document_rows(None) == []


def test_counts_for_ten_thousand_documents():
    n = 10_000
    many = Snapshot(
        as_of=None,
        relation="r",
        documents=tuple(doc(f"{i:05d}.txt", f"2024-01-{i % 28 + 1:02d}") for i in range(n)),
        actors=tuple(Actor(f"a{i}", f"A {i}", "person", None, None, (), 1, (f"{i:05d}.txt",)) for i in range(n)),
        quotes=tuple(Quote(f"q{i}", "x", None, None, f"{i:05d}.txt", None, 0, 1) for i in range(n)),
    )
    rows = docs.document_rows(many)
    assert len(rows) == n and all(r.cells[4].plain == "1" and r.cells[7].plain == "1" for r in rows)


def test_contents_of_one_article_by_kind():
    contents = docs.document_contents(SNAPSHOT, "new.md")
    assert [(kind, r.id) for kind, r in contents] == [
        ("actor", "ana"), ("actor", "otto"), ("engagement", "e1"), ("issue", "tariffs"),
        ("quote", "new.md#10"), ("quote", "new.md#50"),  # quotes in reading order
    ]
    old = docs.document_contents(SNAPSHOT, "old.md")
    assert [(k, r.id) for k, r in old] == [("actor", "ana"), ("quote", "old.md#5")]
    assert docs.document_contents(SNAPSHOT, "weather.md") == []
    assert docs.document_contents(None, "new.md") == []


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        (doc("a/story.md", url="https://example.org/s?id=1"), ("url", "https://example.org/s?id=1")),
        (doc("a/story.md", url="HTTP://example.org/"), ("url", "HTTP://example.org/")),
        (doc("a/story.md", url="javascript:alert(1)"), ("file", "/seeds/a/story.md")),
        (doc("a/story.md", url="file:///etc/passwd"), ("file", "/seeds/a/story.md")),
        (doc("a/story.md", url="https://"), ("file", "/seeds/a/story.md")),
        (doc("feeds/x.jsonl#12", form="jsonl"), ("file", "/seeds/feeds/x.jsonl")),
        (doc("x.ndjson#own-id", form="jsonl"), ("file", "/seeds/x.ndjson")),
        (doc("x.jsonl#3", status="skipped", reason="line 3: not valid JSON"), ("file", "/seeds/x.jsonl")),
        (doc("notes#1.txt"), ("file", "/seeds/notes#1.txt")),
    ],
)
def test_article_target(document, expected):
    assert docs.article_target(document, Path("/seeds")) == expected


def test_article_target_without_a_seeds_folder_is_still_absolute():
    kind, target = docs.article_target(doc("story.md"), None)
    assert kind == "file" and Path(target).is_absolute() and target.endswith("story.md")


@pytest.mark.parametrize("width", [78, 118, 198])
def test_columns_fit_the_width_and_the_title_gets_the_room(width):
    snap = Snapshot(
        as_of=None,
        relation="r",
        documents=(
            doc("a.md", "2024-01-02", title="A long title " * 12),
            doc("b.md", "2024-01-01", on_topic=False, on_topic_reason="mentions only one side of the relation"),
        ),
    )
    columns = docs.document_columns(width, docs.natural_widths(docs.document_rows(snap)))
    widths = {c.key: c.width for c in columns}
    assert sum(widths.values()) + 2 * len(columns) == width  # filled, never wider
    assert widths["status"] == 9 and widths["date"] == 10
    assert all(widths[k] == 3 for k in ("actor", "engagement", "issue", "quote"))
    assert widths["title"] == max(widths.values()) and widths["title"] >= 30
    assert ("reason" in widths) == (width > 80)


def test_columns_as_wide_as_what_they_hold():
    rows = docs.document_rows(SNAPSHOT)
    natural = docs.natural_widths(rows)
    assert natural == {"title": len("undated.txt"), "reason": len("mentions no side of the relation")}
    widths = {c.key: c.width for c in docs.document_columns(198, natural)}
    assert widths["title"] == 12  # its minimum: no title is longer
    assert widths["reason"] >= len("mentions no side of the relation")


def test_narrow_tables_give_up_the_reason_then_the_form():
    long_titles = {"title": 120, "reason": 80}
    assert [c.key for c in docs.document_columns(198, long_titles)][-1] == "reason"
    keys = [c.key for c in docs.document_columns(98, long_titles)]
    assert "reason" not in keys and "form" in keys
    keys = [c.key for c in docs.document_columns(78, long_titles)]
    assert "reason" not in keys and "form" not in keys
    # no reason in any row: no reason column, whatever the width
    assert "reason" not in [c.key for c in docs.document_columns(198, {"title": 120, "reason": 0})]


def test_short_reasons_leave_their_room_to_the_title():
    widths = {c.key: c.width for c in docs.document_columns(198, {"title": 150, "reason": 12})}
    assert widths["reason"] == 12
    assert widths["title"] == 198 - 2 * 9 - (9 + 10 + 5 + 4 * 3) - 12


def test_the_preview_keeps_the_reason_when_the_title_is_long():
    snap = Snapshot(
        as_of=None,
        relation="r",
        documents=(
            doc("x.md", title="A very long title " * 10, on_topic=False, on_topic_reason="mentions only Freedonia"),
        ),
    )
    line = docs.preview(snap, "x.md", width=60)
    assert line.plain.endswith("off topic: mentions only Freedonia")
    assert line.cell_len <= 60 and line.plain.startswith("A very long title")
    assert docs.preview(snap, "gone.md", 60).plain == ""


def test_untrusted_text_stays_text():
    nasty = "[bold]x[/] \x1b[31mred\x1b]0;pwned\x07"
    snap = Snapshot(as_of=None, relation="r", documents=(doc("n.md", title=nasty, status="skipped", reason=nasty),))
    [row] = docs.document_rows(snap)
    assert all(isinstance(c, Text) for c in row.cells)
    title = row.cells[docs.DOC_COLUMN_KEYS.index("title")].plain
    assert "[bold]x[/]" in title and "\x1b" not in title and "\x07" not in title
    fields = dict(docs.document_fields(snap.documents[0], Path("/seeds")))
    assert "[bold]x[/]" in fields["title"].plain and "\x1b" not in fields["status"].plain
    assert fields["path"].plain == "/seeds/n.md"


def test_summary_counts_each_status():
    assert docs.summary(SNAPSHOT) == "6 files: 4 ok, 1 off topic, 1 skipped"
    assert docs.summary(None) == "no picture yet"
