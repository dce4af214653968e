"""Feeds: how fast an item published on a local server reaches the pane, and
what polling costs while nothing changes.

    python bench/feeds.py [--items 7] [--feeds 20] [--polls 20]

Everything runs on 127.0.0.1: a server started by this script serves a feed
and article pages it writes; the dashboard runs headless (Textual's pilot)
over an invented relation in a temporary folder.

1. publish -> pane, end to end: the feed is polled every 10 s (the shortest
   interval the config allows); an item is published at a random moment and
   the time until its quote is a row of the quotes pane is measured;
2. poll -> pane: the same, with the poll started right after publishing
   (`r`), i.e. the cost of fetching the feed and page, writing the file, the
   watcher's debounce and the refresh;
3. idle polls: N feeds that have not changed, polled M times: requests and
   bytes a poll sends and receives (conditional GETs answered 304), and the
   CPU time a poll of all of them takes.

Medians are reported; run it by hand on a quiet machine.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import LISBON_ARTICLE, SMALL_CONFIG  # noqa: E402
from tests.feed_server import FeedServer, start  # noqa: E402
from tests.test_feeds import article_page, rss  # noqa: E402


def paragraphs(n: int) -> list[str]:
    return [
        f"Sylvanian Prime Minister Mira Holt spoke in Vale on the {n}th day of the session about the harbour.",
        f'"We will reopen harbour number {n} to the fleet," Holt told parliament, to applause.',
        "Freedonian Foreign Minister Ana Ruiz said talks on fishing rights would resume within weeks.",
    ]


def publish(server: FeedServer, items: list[dict], n: int) -> str:
    path = f"/news/{n}.html"
    server.static(path, article_page(f"Holt on harbour {n}", "2024-03-06", paragraphs(n)))
    items.insert(0, {"title": f"Holt on harbour {n}", "link": server.url(path)})
    server.feed("/rss.xml", rss(items))
    return f"harbour number {n}"


def in_quote_pane(app, marker: str) -> bool:
    return any(marker in row.haystack for row in app.shown_rows().get("quote", []))


async def latencies(root: Path, server: FeedServer, count: int, poll_now: bool) -> list[float]:
    from tui.feeds import PoliteClient
    from tui.ui.app import DashboardApp

    (root / "seeds").mkdir(parents=True, exist_ok=True)
    (root / "seeds" / "2024-03-04-lisbon.md").write_text(LISBON_ARTICLE, encoding="utf-8")
    (root / "config.yaml").write_text(
        SMALL_CONFIG + f"feeds:\n  - {{url: {server.url('/rss.xml')}, every: 10s}}\n", encoding="utf-8"
    )
    items: list[dict] = []
    server.feed("/rss.xml", rss(items))
    app = DashboardApp(
        root / "config.yaml", root / "seeds", watch=True, use_cache=True,
        feed_client=PoliteClient(min_gap=0.0),
    )
    out: list[float] = []
    async with app.run_test(size=(120, 36)) as pilot:
        await app.wait_for(lambda: app.feed_polls >= 1 and app.watcher is not None, timeout=120)
        await asyncio.to_thread(app.watcher.ready.wait, 30)
        for n in range(1, count + 1):
            if not poll_now:
                await asyncio.sleep(random.uniform(0, 10))  # publish at a random moment of the interval
            marker = publish(server, items, n)
            started = time.monotonic()
            if poll_now:
                await pilot.press("r")
            await app.wait_for(lambda marker=marker: in_quote_pane(app, marker), timeout=120)
            out.append(time.monotonic() - started)
    return out


def idle_polls(root: Path, server: FeedServer, feeds: int, polls: int) -> dict[str, float]:
    from tui.config import FeedEntry
    from tui.feeds import PoliteClient, Poller

    counted = {"sent": 0, "received": 0}
    for i in range(feeds):
        server.feed(f"/idle/{i}.xml", rss([{"title": f"Item {i}", "link": server.url(f"/idle/{i}.html")}]))
        server.static(f"/idle/{i}.html", article_page(f"Item {i}", "2024-03-06", paragraphs(100 + i)))
    entries = [FeedEntry(url=server.url(f"/idle/{i}.xml"), every=10) for i in range(feeds)]
    seeds = root / "idle-seeds"
    poller = Poller(entries, seeds, root / "idle-state.json", client=PoliteClient(min_gap=0.0))
    poller.poll(entries)  # the first poll writes the articles
    before = len(server.log)
    cpu = []
    wall = []
    for _ in range(polls):
        c, w = time.process_time(), time.perf_counter()
        reports = poller.poll(entries)
        cpu.append(time.process_time() - c)
        wall.append(time.perf_counter() - w)
        assert all(r.message == "not modified" for r in reports), [r.line for r in reports]
    requests = len(server.log) - before
    for request in server.log[before:]:
        counted["sent"] += len(request.path) + sum(len(k) + len(v) + 4 for k, v in request.headers.items()) + 16
    poller.close()
    return {
        "requests_per_feed_poll": requests / (feeds * polls),
        "request_bytes": counted["sent"] / requests,
        "cpu_ms_per_cycle": statistics.median(cpu) * 1000,
        "wall_ms_per_cycle": statistics.median(wall) * 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=7, help="items published per measurement")
    parser.add_argument("--feeds", type=int, default=20, help="unchanged feeds for the idle poll cost")
    parser.add_argument("--polls", type=int, default=20, help="idle polls of them")
    args = parser.parse_args()
    server = FeedServer()
    httpd, _thread = start(server)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            import os

            os.environ["TUI_CACHE_DIR"] = str(Path(tmp) / "cache")
            os.environ["TUI_STATE_DIR"] = str(Path(tmp) / "state")
            now = asyncio.run(latencies(Path(tmp) / "now", server, args.items, poll_now=True))
            print(f"poll -> pane ({len(now)} items): median {statistics.median(now):.2f} s, "
                  f"min {min(now):.2f}, max {max(now):.2f}")
            timed = asyncio.run(latencies(Path(tmp) / "every", server, args.items, poll_now=False))
            print(f"publish -> pane, every: 10s ({len(timed)} items): median {statistics.median(timed):.2f} s, "
                  f"min {min(timed):.2f}, max {max(timed):.2f}")
            idle = idle_polls(Path(tmp), server, args.feeds, args.polls)
            print(f"idle: {args.feeds} unchanged feeds x {args.polls} polls: "
                  f"{idle['requests_per_feed_poll']:.2f} request per feed and poll (304, no body), "
                  f"about {idle['request_bytes']:.0f} bytes of request headers each; "
                  f"a poll of all {args.feeds}: {idle['cpu_ms_per_cycle']:.1f} ms CPU, "
                  f"{idle['wall_ms_per_cycle']:.1f} ms wall (median)")
    finally:
        server.released.set()
        httpd.shutdown()
        httpd.server_close()


if __name__ == "__main__":
    main()
