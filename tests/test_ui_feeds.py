"""Feeds in the dashboard: items published on a local server reach the panes
without a restart; the status line and the articles screen show each feed's
health. Every wait is on the app's own signal (`app.wait_for`), never a sleep."""

from __future__ import annotations

import asyncio

import pytest

from tests.conftest import SMALL_CONFIG
from tests.feed_server import closed_port
from tests.test_feeds import article_page, other_paragraphs, rss
from tui.feeds import PoliteClient
from tui.ui.app import DashboardApp
from tui.ui.screens.documents import DocumentsScreen

SIZES = [(80, 24), (120, 36), (200, 50)]
pytestmark = pytest.mark.usefixtures("shared_pipelines")


class Clock:
    def __init__(self) -> None:
        self.t = 1_700_000_000.0

    def __call__(self) -> float:
        return self.t


def names(app: DashboardApp) -> set[str]:
    return {a.name for a in app.snapshot.actors} if app.snapshot else set()


def with_feeds(relation, *entries: str) -> None:
    relation.config.write_text(SMALL_CONFIG + "feeds:\n" + "".join(f"  - {e}\n" for e in entries), encoding="utf-8")


def feed_app(relation, **kwargs) -> DashboardApp:
    kwargs.setdefault("watch", True)
    return DashboardApp(
        relation.config,
        relation.seeds,
        use_cache=False,
        feed_client=PoliteClient(min_gap=0.0, timeout=1.0, deadline=5.0),
        **kwargs,
    )


def publish_holt(server, items: list[dict], n: int = 1) -> list[dict]:
    """A new article about Mira Holt on the server, at the top of the feed."""
    path = f"/holt-{n}.html"
    server.static(path, article_page(f"Holt speaks, part {n}", "2024-03-06", other_paragraphs(n)))
    when = "Wed, 06 Mar 2024 09:00:00 GMT"
    items.insert(0, {"title": f"Holt speaks, part {n}", "link": server.url(path), "date": when})
    server.feed("/rss.xml", rss(items))
    return items


@pytest.fixture
def wire(feed_server, small_relation):
    """The config follows one feed on the local server; it lists nothing yet."""
    feed_server.feed("/rss.xml", rss([]))
    with_feeds(small_relation, f"{{url: {feed_server.url('/rss.xml')}, every: 10m}}")
    return feed_server


async def test_an_item_published_on_the_server_reaches_the_panes(small_relation, wire, screen_text):
    app = feed_app(small_relation)
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await app.wait_for(lambda: app.feed_polls >= 1 and app.snapshot is not None and app.watcher is not None)
        assert await asyncio.to_thread(app.watcher.ready.wait, 30)
        assert "Mira Holt" not in names(app)
        publish_holt(wire, [])
        await pilot.press("r")  # poll now, rather than in ten minutes
        await app.wait_for(lambda: "Mira Holt" in names(app))
        assert any(d.id.startswith("feeds/127.0.0.1/") for d in app.snapshot.documents)
        await pilot.pause()
        text = screen_text(app)
        assert "feeds 1 ok · 1 new · polled" in text
        assert "1 article added" in text


async def test_a_feed_that_is_due_is_polled_without_a_key(small_relation, wire):
    clock = Clock()
    app = feed_app(small_relation, feed_clock=clock)
    async with app.run_test(size=(120, 36)):
        await app.wait_for(lambda: app.feed_polls >= 1 and app.watcher is not None)
        assert await asyncio.to_thread(app.watcher.ready.wait, 30)
        publish_holt(wire, [])
        clock.t += 599
        polls = app.feed_polls
        clock.t += 1  # ten minutes on: the next tick polls
        await app.wait_for(lambda: "Mira Holt" in names(app))
        assert app.feed_polls == polls + 1
        assert len(wire.hits("/rss.xml")) == 2


async def test_without_a_watcher_new_articles_still_reach_the_panes(small_relation, wire):
    app = feed_app(small_relation, watch=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await app.wait_for(lambda: app.feed_polls >= 1 and app.snapshot is not None)
        publish_holt(wire, [])
        await pilot.press("r")
        await app.wait_for(lambda: "Mira Holt" in names(app))


async def test_a_failing_feed_is_named_on_the_status_line_and_the_rest_goes_on(
    small_relation, feed_server, screen_text
):
    items = publish_holt(feed_server, [])
    bad = f"http://127.0.0.1:{closed_port()}/rss.xml"
    with_feeds(small_relation, bad, feed_server.url("/rss.xml"))
    app = feed_app(small_relation)
    async with app.run_test(size=(200, 50)) as pilot:
        await app.wait_for(lambda: "Mira Holt" in names(app) and app.feed_polls >= 1)
        await pilot.pause()
        text = screen_text(app)
        assert "feeds 1 ok, 1 failing (127.0.0.1:" in text
        assert "unreachable: connection refused" in text
        assert "Ana Ruiz" in text  # the seeds already there are untouched
        assert items


@pytest.mark.parametrize("size", SIZES)
async def test_the_articles_screen_lists_each_feeds_health(small_relation, feed_server, screen_text, size):
    publish_holt(feed_server, [])
    bad = f"http://127.0.0.1:{closed_port()}/rss.xml"
    with_feeds(small_relation, feed_server.url("/rss.xml"), bad)
    app = feed_app(small_relation)
    async with app.run_test(size=size) as pilot:
        await app.wait_for(lambda: "Mira Holt" in names(app) and app.feed_polls >= 1)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, DocumentsScreen)
        lines = screen_text(app).splitlines()
        good = next(line for line in lines if "✓" in line)
        failing = next(line for line in lines if "✖" in line)
        assert f"127.0.0.1:{feed_server.port}/rss.xml" in good
        if size[0] >= 120:
            assert "1 new" in good and "polled" in good
            assert "FAILED (1 failure): unreachable" in failing
        feed_row = next(line for line in lines if "Holt speaks, part 1" in line)
        assert "feed" in feed_row  # its form column


async def test_markup_in_a_feed_stays_text(small_relation, feed_server, screen_text):
    hostile = "[@click=app.quit]Quit[/] [/bold] [red]Holt[/red]"
    feed_server.static("/h.html", article_page(hostile, "2024-03-06", other_paragraphs(7)))
    feed_server.feed("/rss.xml", rss([{"title": hostile, "link": feed_server.url("/h.html")}], title=hostile))
    with_feeds(small_relation, feed_server.url("/rss.xml"))
    app = feed_app(small_relation)
    async with app.run_test(size=(200, 50)) as pilot:
        await app.wait_for(lambda: "Mira Holt" in names(app) and app.feed_polls >= 1)
        await pilot.press("d")
        await pilot.pause()
        text = screen_text(app)
        assert "[@click=app.quit]Quit[/]" in text
        await pilot.click("#documents-feeds")
        await pilot.pause()
        assert app.is_running
