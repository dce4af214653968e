"""News feeds, headless: `tui fetch` and the Poller against a local server on 127.0.0.1.

The feeds and article pages are written by the tests; the server logs every
request, so what was sent (conditional headers, the User-Agent, how often a
page was asked for) is checked from the server's side.
"""

from __future__ import annotations

import re
import threading
import time
import tracemalloc
from pathlib import Path

import pytest

from tests.conftest import SMALL_CONFIG
from tests.feed_server import FeedServer, closed_port
from tui import __version__
from tui.cli import main
from tui.config import FeedEntry, load_config
from tui.corpus import load_corpus, split_front_matter
from tui.feeds import PoliteClient, Poller
from tui.feeds.parse import MAX_ITEMS
from tui.feeds.seeds import canonical_url
from tui.feeds.state import state_path

EVERY = 600


def rss(items: list[dict], title: str = "The Freedonia Wire") -> str:
    out = [f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>']
    for item in items:
        out.append("<item>")
        for key in ("title", "link", "description", "guid"):
            if key in item:
                out.append(f"<{key}><![CDATA[{item[key]}]]></{key}>")
        if "date" in item:
            out.append(f"<pubDate>{item['date']}</pubDate>")
        out.append("</item>")
    out.append("</channel></rss>")
    return "".join(out)


def article_page(title: str, date: str, paragraphs: list[str], author: str = "Lena Park") -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!doctype html><html><head><title>{title}</title>
<meta property="og:title" content="{title}">
<meta name="author" content="{author}">
<meta property="article:published_time" content="{date}">
<meta property="og:site_name" content="Freedonia Wire">
</head><body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>{title}</h1>{body}</article><footer>Copyright the Wire</footer></body></html>"""


PARAGRAPHS = [
    "Freedonian Foreign Minister Ana Ruiz met Sylvanian Trade Minister Otto Brandt in Lisbon on Monday "
    "to discuss the long-running dispute over steel tariffs between the two neighbours.",
    '"We will not accept new tariffs on our steel," Ruiz told reporters after the meeting, '
    "adding that her government wanted a settlement before the summer.",
    "Brandt said the two sides would meet again next week to discuss the fishing dispute, which has "
    "kept trawlers from both countries in port for most of the season.",
]


def other_paragraphs(n: int) -> list[str]:
    return [
        f"Sylvanian Prime Minister Mira Holt spoke in Vale on day {n} about the harbour and the fleet, "
        f"saying that talks with Freedonia on fishing rights would resume within {n + 2} weeks.",
        f'"Our fishing fleet will stay where it is," Holt told parliament on session {n}, '
        "to applause from the benches of her coalition.",
    ]


def serve_article(server: FeedServer, path: str, title: str, date: str = "2024-03-04", paragraphs=None) -> str:
    server.static(path, article_page(title, date, paragraphs or PARAGRAPHS))
    return server.url(path)


def make_poller(relation, feeds: list[FeedEntry], now=time.time, timeout: float = 2.0) -> Poller:
    client = PoliteClient(min_gap=0.0, timeout=timeout, deadline=5.0)
    return Poller(feeds, relation.seeds, state_path(relation.config), client=client, now=now)


def feed_files(relation) -> list[Path]:
    folder = relation.seeds / "feeds"
    return sorted(folder.rglob("*.md")) if folder.exists() else []


def front_matter(path: Path) -> dict:
    meta, _body, _flags = split_front_matter(path.read_text(encoding="utf-8"))
    return meta


class Clock:
    def __init__(self, start: float = 1_700_000_000.0) -> None:
        self.t = start

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def wire(feed_server):
    """A feed of two items whose pages are served too."""
    one = serve_article(feed_server, "/world/ministers-meet.html", "Ministers meet in Lisbon")
    two = serve_article(
        feed_server, "/world/holt-speaks.html", "Sylvania's leader speaks", "2024-03-06", other_paragraphs(1)
    )
    feed_server.feed(
        "/rss.xml",
        rss(
            [
                {"title": "Sylvania's leader speaks", "link": two, "date": "Wed, 06 Mar 2024 09:00:00 GMT",
                 "description": "Holt on the fleet."},
                {"title": "Ministers meet in Lisbon", "link": one, "date": "Mon, 04 Mar 2024 09:00:00 GMT",
                 "description": "Ruiz and Brandt meet."},
            ]
        ),
    )
    return feed_server


# --- config ---------------------------------------------------------------------


def write_config(relation, feeds_yaml: str) -> Path:
    relation.config.write_text(SMALL_CONFIG + feeds_yaml, encoding="utf-8")
    return relation.config


def test_feeds_config_takes_urls_and_mappings(small_relation):
    write_config(
        small_relation,
        "feeds:\n  - https://example.org/rss.xml\n  - {url: https://example.org/a.atom, every: 5m, keep: [Ruiz]}\n",
    )
    feeds = load_config(small_relation.config).config.feeds
    assert [(f.url, f.every, f.keep) for f in feeds] == [
        ("https://example.org/rss.xml", 600, []),
        ("https://example.org/a.atom", 300, ["Ruiz"]),
    ]


@pytest.mark.parametrize(
    "entry, message",
    [
        ("{url: https://example.org/rss.xml, evry: 5m}", "feeds[0].evry: unknown key 'evry'; did you mean 'every'?"),
        ("{url: https://example.org/rss.xml, every: 1s}", "feeds[0].every: '1s' is outside 10s to 7d"),
        ("{url: https://example.org/rss.xml, every: soon}", "feeds[0].every: 'soon' is not a duration"),
        ("ftp://example.org/rss.xml", "feeds[0].url: 'ftp://example.org/rss.xml' is not an http(s) address"),
    ],
)
def test_a_bad_feed_entry_is_one_line_naming_its_line(small_relation, entry, message):
    from tui.config import ConfigError

    write_config(small_relation, f"feeds:\n  - {entry}\n")
    with pytest.raises(ConfigError) as caught:
        load_config(small_relation.config)
    text = str(caught.value)
    assert "\n" not in text
    assert message in text
    assert text.startswith(f"{small_relation.config}:{SMALL_CONFIG.count(chr(10)) + 2}:")


def test_changing_the_feeds_re_extracts_nothing(small_relation):
    before = load_config(small_relation.config).hash
    write_config(small_relation, "feeds:\n  - https://example.org/rss.xml\n")
    assert load_config(small_relation.config).hash == before


# --- writing articles ---------------------------------------------------------------


def test_each_new_item_becomes_a_seed_with_front_matter(small_relation, wire):
    poller = make_poller(small_relation, [FeedEntry(url=wire.url("/rss.xml"))])
    [report] = poller.poll()
    assert report.ok and report.message.startswith("2 new"), report.line
    files = feed_files(small_relation)
    assert [p.relative_to(small_relation.seeds).as_posix() for p in files] == [
        "feeds/127.0.0.1/2024-03-04-ministers-meet-in-lisbon.md",
        "feeds/127.0.0.1/2024-03-06-sylvania-s-leader-speaks.md",
    ]
    meta = front_matter(files[0])
    assert meta["title"] == "Ministers meet in Lisbon"
    assert str(meta["date"]) == "2024-03-04"
    assert meta["url"] == wire.url("/world/ministers-meet.html")
    assert meta["source"] == "Freedonia Wire"
    assert meta["author"] == "Lena Park"
    assert meta["feed"] == wire.url("/rss.xml")
    assert "fetched_at" in meta and "summary_only" not in meta
    body = files[0].read_text(encoding="utf-8")
    assert "We will not accept new tariffs on our steel" in body
    assert "Home" not in body.split("---", 2)[2]  # the page's navigation is not the article
    # The seeds folder reads them like any article.
    corpus = load_corpus(small_relation.seeds)
    doc = next(d for d in corpus.documents if d.id.endswith("ministers-meet-in-lisbon.md"))
    assert (doc.status, doc.title, doc.published) == ("ok", "Ministers meet in Lisbon", "2024-03-04")


def test_every_request_names_tui_and_its_version(small_relation, wire):
    make_poller(small_relation, [FeedEntry(url=wire.url("/rss.xml"))]).poll()
    assert wire.log
    assert all(r.headers.get("user-agent", "").startswith(f"tui/{__version__} ") for r in wire.log)


def test_the_next_poll_is_conditional_and_costs_one_request(small_relation, wire):
    poller = make_poller(small_relation, [FeedEntry(url=wire.url("/rss.xml"))])
    poller.poll()
    sent = len(wire.log)
    [report] = poller.poll(poller.feeds)
    assert report.ok and report.message == "not modified"
    assert len(wire.log) == sent + 1
    last = wire.log[-1]
    assert last.path == "/rss.xml"
    assert last.headers.get("if-none-match", "").startswith('"v')
    assert last.headers.get("if-modified-since") == "Mon, 04 Mar 2024 10:00:00 GMT"


def test_the_validators_survive_a_restart(small_relation, wire):
    make_poller(small_relation, [FeedEntry(url=wire.url("/rss.xml"))]).poll()
    again = make_poller(small_relation, [FeedEntry(url=wire.url("/rss.xml"))])
    [report] = again.poll(again.feeds)
    assert report.message == "not modified"
    assert wire.log[-1].headers.get("if-none-match")


def test_nothing_is_fetched_or_written_twice(small_relation, wire):
    feed = FeedEntry(url=wire.url("/rss.xml"))
    poller = make_poller(small_relation, [feed])
    poller.poll()
    # The feed changes (a new ETag) but still lists both items, one of them
    # behind tracking parameters and a fragment.
    three = serve_article(wire, "/world/third.html", "Talks resume", "2024-03-08", other_paragraphs(2))
    one = wire.url("/world/ministers-meet.html") + "?utm_source=rss&utm_medium=feed#comments"
    wire.feed(
        "/rss.xml",
        rss([
            {"title": "Talks resume", "link": three},
            {"title": "Ministers meet in Lisbon", "link": one},
            {"title": "Sylvania's leader speaks", "link": wire.url("/world/holt-speaks.html")},
        ]),
    )
    [report] = poller.poll([feed])
    assert report.message.startswith("1 new (3 items, 2 seen before)"), report.line
    assert len(wire.hits("/world/ministers-meet.html")) == 1
    assert len(wire.hits("/world/holt-speaks.html")) == 1
    assert len(feed_files(small_relation)) == 3


def test_the_same_text_under_another_url_is_not_written_again(small_relation, wire):
    poller = make_poller(small_relation, [FeedEntry(url=wire.url("/rss.xml"))])
    poller.poll()
    # A second feed links the same article under another address (an AMP copy).
    copy = serve_article(wire, "/amp/ministers-meet.html", "Ministers meet in Lisbon (AMP)")
    wire.feed("/other.xml", rss([{"title": "Ministers meet in Lisbon", "link": copy}]))
    other = FeedEntry(url=wire.url("/other.xml"))
    poller.configure([*poller.feeds, other], small_relation.seeds)
    [report] = poller.poll([other])
    assert "nothing new" in report.message and "1 same text as an earlier article" in report.message
    assert len(feed_files(small_relation)) == 2


def test_a_lost_or_broken_state_writes_nothing_twice(small_relation, wire):
    make_poller(small_relation, [FeedEntry(url=wire.url("/rss.xml"))]).poll()
    path = state_path(small_relation.config)
    path.write_text("{not json", encoding="utf-8")
    poller = make_poller(small_relation, [FeedEntry(url=wire.url("/rss.xml"))])
    assert "feed state not read" in poller.warning and "starting afresh" in poller.warning
    [report] = poller.poll()
    assert report.ok and report.message.startswith("nothing new (2 items, 2 seen before)"), report.line
    assert len(feed_files(small_relation)) == 2
    path.unlink()
    [report] = make_poller(small_relation, [FeedEntry(url=wire.url("/rss.xml"))]).poll()
    assert "2 seen before" in report.message and len(feed_files(small_relation)) == 2


def test_keep_words_leave_out_items_that_name_none_of_them(small_relation, feed_server):
    on_topic = serve_article(feed_server, "/a.html", "Harbour talks", paragraphs=other_paragraphs(3))
    off_topic = serve_article(
        feed_server, "/b.html", "Weather", paragraphs=["Rain is expected over the hills for most of the week, " * 4]
    )
    feed_server.feed(
        "/rss.xml",
        rss([
            {"title": "Harbour talks", "link": on_topic, "description": "A speech."},  # 'Holt' only on the page
            {"title": "Weather", "link": off_topic, "description": "Rain."},
        ]),
    )
    feed = FeedEntry(url=feed_server.url("/rss.xml"), keep=["holt", "Ruiz"])
    [report] = make_poller(small_relation, [feed]).poll()
    assert report.message.startswith("1 new (2 items, 1 without a keep word)"), report.line
    assert [front_matter(p)["title"] for p in feed_files(small_relation)] == ["Harbour talks"]


def test_robots_txt_is_respected_for_article_pages(small_relation, feed_server):
    feed_server.static("/robots.txt", "User-agent: *\nDisallow: /private/\n", "text/plain")
    secret = serve_article(feed_server, "/private/story.html", "Private story")
    feed_server.feed(
        "/rss.xml",
        rss([{"title": "Private story", "link": secret, "description": "Ruiz met Brandt in Lisbon."}]),
    )
    [report] = make_poller(small_relation, [FeedEntry(url=feed_server.url("/rss.xml"))]).poll()
    assert "1 feed summary only" in report.message
    assert feed_server.hits("/private/story.html") == []
    [path] = feed_files(small_relation)
    assert "robots.txt" in front_matter(path)["summary_only"]
    assert "Ruiz met Brandt in Lisbon." in path.read_text(encoding="utf-8")
    doc = next(d for d in load_corpus(small_relation.seeds).documents if d.id.startswith("feeds/"))
    assert any(flag.startswith("the feed's summary only (robots.txt") for flag in doc.flags)


def test_requests_to_one_host_keep_a_gap(small_relation, wire):
    client = PoliteClient(min_gap=0.2, timeout=2.0)
    poller = Poller([FeedEntry(url=wire.url("/rss.xml"))], small_relation.seeds, None, client=client)
    poller.poll()
    times = [r.at for r in wire.log]
    assert len(times) >= 4  # the feed, robots.txt, two pages
    assert min(b - a for a, b in zip(times, times[1:], strict=False)) >= 0.19


def test_one_host_gets_one_request_at_a_time(small_relation, feed_server):
    """Three feeds on one host, polled together: the server never sees two at once."""
    busy, most = [0], [0]
    lock = threading.Lock()

    def slow_feed(_request):
        with lock:
            busy[0] += 1
            most[0] = max(most[0], busy[0])
        feed_server.released.wait(0.1)
        with lock:
            busy[0] -= 1
        return 200, {"Content-Type": "application/rss+xml"}, rss([]).encode()

    feeds = []
    for name in ("a", "b", "c"):
        feed_server.routes[f"/{name}.xml"] = slow_feed
        feeds.append(FeedEntry(url=feed_server.url(f"/{name}.xml")))
    make_poller(small_relation, feeds).poll()
    assert len(feed_server.log) == 3 and most[0] == 1


# --- failures and backoff ------------------------------------------------------------


def test_a_failing_feed_backs_off_and_recovers(small_relation, feed_server):
    clock = Clock()
    feed_server.static("/rss.xml", "oops", "text/plain", status=500)
    feed = FeedEntry(url=feed_server.url("/rss.xml"), every=60)
    poller = make_poller(small_relation, [feed], now=clock)
    [report] = poller.poll()
    assert not report.ok and report.message == "FAILED: HTTP 500 Internal Server Error; 1st failure, next try in 2 min"
    clock.t += 60  # its interval has passed, but not the backoff
    assert poller.due() == []
    assert poller.poll([feed])[0].message.startswith("backing off after 1 failure (HTTP 500")
    assert len(feed_server.log) == 1
    clock.t += 60
    [report] = poller.poll()
    assert "2nd failure, next try in 4 min" in report.message
    assert len(feed_server.log) == 2
    clock.t += 240
    feed_server.feed("/rss.xml", rss([]))
    [report] = poller.poll()
    assert report.ok and report.message.startswith("nothing new")
    assert poller.state.record(feed.url).next_poll == clock.t + 60  # back to its interval


def test_retry_after_is_honoured(small_relation, feed_server):
    clock = Clock()
    feed_server.static("/rss.xml", "slow down", "text/plain", status=429, headers={"Retry-After": "3600"})
    feed = FeedEntry(url=feed_server.url("/rss.xml"), every=60)
    poller = make_poller(small_relation, [feed], now=clock)
    [report] = poller.poll()
    assert "HTTP 429" in report.message and "next try in 60 min" in report.message
    assert poller.state.record(feed.url).next_poll == clock.t + 3600


def million_items(server: FeedServer):
    def answer(_request):
        def chunks():
            yield b'<?xml version="1.0"?><rss version="2.0"><channel><title>Flood</title>'
            for start in range(0, 1_000_000, 1000):
                yield "".join(
                    f"<item><title>Item {i}</title><link>{server.url(f'/flood/{i}')}</link></item>"
                    for i in range(start, start + 1000)
                ).encode()
            yield b"</channel></rss>"

        return 200, {"Content-Type": "application/rss+xml"}, chunks()

    return answer


def slow(server: FeedServer):
    def answer(_request):
        server.released.wait(10)  # longer than the client's timeout; released at shutdown
        return 200, {"Content-Type": "application/rss+xml"}, b"<rss/>"

    return answer


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1 if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    + ']><rss version="2.0"><channel><title>&lol9;</title><item><title>&lol9;</title></item></channel></rss>'
)
QUADRATIC = (
    '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "' + "x" * 100_000 + '">]>'
    '<rss version="2.0"><channel><item><title>' + "&a;" * 20_000 + "</title></item></channel></rss>"
)


def bad_case(server: FeedServer, case: str) -> str:
    """Set up one bad feed; its URL."""
    path = f"/{case}.xml"
    if case == "unreachable":
        return f"http://127.0.0.1:{closed_port()}/rss.xml"
    if case == "timeout":
        server.routes[path] = slow(server)
    elif case == "http-404":
        pass  # no route: the server answers 404
    elif case == "http-500":
        server.static(path, "broken", "text/plain", status=500)
    elif case == "malformed-xml":
        server.static(path, "<rss><channel><title>Half", "application/rss+xml")
    elif case == "not-a-feed":
        server.static(path, "<!doctype html><html><body><p>Welcome!</p></body></html>")
    elif case == "xml-bomb":
        server.static(path, BILLION_LAUGHS, "application/rss+xml")
    elif case == "quadratic-blowup":
        server.static(path, QUADRATIC, "application/rss+xml")
    elif case == "million-items":
        server.routes[path] = million_items(server)
    elif case == "redirect-loop":
        server.static(path, "", status=302, headers={"Location": f"/{case}-b.xml"})
        server.static(f"/{case}-b.xml", "", status=302, headers={"Location": path})
    elif case == "item-without-link":
        server.feed(path, rss([{"title": "Ruiz speaks", "description": "Ruiz said the talks would go on."}]))
    elif case == "page-not-html":
        server.static("/paper.pdf", b"%PDF-1.4 binary", "application/pdf")
        server.feed(path, rss([{"title": "A report", "link": server.url("/paper.pdf"), "description": "Read it."}]))
    elif case == "page-redirect-loop":
        server.static("/p1.html", "", status=301, headers={"Location": "/p2.html"})
        server.static("/p2.html", "", status=301, headers={"Location": "/p1.html"})
        server.feed(path, rss([{"title": "Looping page", "link": server.url("/p1.html"), "description": "Loop."}]))
    else:  # pragma: no cover - a typo in the table below
        raise AssertionError(case)
    return server.url(path)


BAD_CASES = {
    # case: (what the one line says, whether the feed itself failed)
    "unreachable": ("FAILED: unreachable: connection refused", True),
    "timeout": ("FAILED: timed out", True),
    "http-404": ("FAILED: HTTP 404", True),
    "http-500": ("FAILED: HTTP 500", True),
    "malformed-xml": ("FAILED: not an RSS, Atom or JSON feed (malformed XML", True),
    "not-a-feed": ("FAILED: an HTML page, not a feed", True),
    "xml-bomb": ("FAILED: declares XML entities made of other entities (refused: an XML bomb?)", True),
    "quadratic-blowup": ("FAILED: declares XML entities that expand to over 1,000,000 bytes", True),
    "million-items": (f"feed larger than the limit: its first {MAX_ITEMS} whole items read", False),
    "redirect-loop": ("FAILED: redirect loop (", True),
    "item-without-link": ("1 new (1 item, 1 without a link)", False),
    "page-not-html": ("1 new (1 item, 1 feed summary only)", False),
    "page-redirect-loop": ("1 new (1 item, 1 feed summary only)", False),
}


@pytest.mark.parametrize("case", list(BAD_CASES))
def test_a_bad_feed_is_one_line_and_the_others_go_on(small_relation, wire, case):
    bad = FeedEntry(url=bad_case(wire, case))
    good = FeedEntry(url=wire.url("/rss.xml"))
    poller = make_poller(small_relation, [bad, good], timeout=0.5)
    tracemalloc.start()
    started = time.monotonic()
    try:
        bad_report, good_report = poller.poll()
        took = time.monotonic() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    expected, failed = BAD_CASES[case]
    assert "\n" not in bad_report.line
    assert expected in bad_report.line, bad_report.line
    assert bad_report.ok is not failed
    assert good_report.ok and good_report.message.startswith("2 new"), good_report.line
    assert took < 15, f"{case} took {took:.1f} s"
    assert peak < 200 * 1024 * 1024, f"{case} peaked at {peak / 1e6:.0f} MB"
    if case == "million-items":
        assert len([p for p in feed_files(small_relation) if "flood" in p.name or "item-" in p.name]) == 50


def test_a_linkless_item_or_a_page_that_is_no_article_keeps_the_feeds_summary(small_relation, feed_server):
    feed_server.static("/paper.pdf", b"%PDF-1.4 binary", "application/pdf")
    feed_server.feed(
        "/rss.xml",
        rss([
            {"title": "Ruiz speaks", "description": "<p>Ruiz said the talks would <b>go on</b>.</p>"},
            {"title": "A report", "link": feed_server.url("/paper.pdf"), "description": "Brandt's report."},
        ]),
    )
    make_poller(small_relation, [FeedEntry(url=feed_server.url("/rss.xml"))]).poll()
    by_title = {front_matter(p)["title"]: p for p in feed_files(small_relation)}
    assert front_matter(by_title["Ruiz speaks"])["summary_only"] == "the feed item has no link"
    assert "Ruiz said the talks would go on." in by_title["Ruiz speaks"].read_text(encoding="utf-8")
    assert front_matter(by_title["A report"])["summary_only"] == "article page is application/pdf, not HTML"


# --- other formats ------------------------------------------------------------------


def test_atom_and_json_feeds(small_relation, feed_server):
    one = serve_article(feed_server, "/one.html", "Ministers meet in Lisbon")
    two = serve_article(feed_server, "/two.html", "Holt speaks", "2024-03-06", other_paragraphs(4))
    feed_server.feed(
        "/atom.xml",
        f"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
<title>Atom wire</title><id>urn:wire</id><updated>2024-03-04T10:00:00Z</updated>
<entry><title>Ministers meet in Lisbon</title><link href="{one}"/><id>urn:1</id>
<updated>2024-03-04T10:00:00Z</updated><summary>Ruiz and Brandt.</summary></entry></feed>""",
        "application/atom+xml",
    )
    feed_server.feed(
        "/feed.json",
        '{"version": "https://jsonfeed.org/version/1.1", "title": "JSON wire", "items": ['
        f'{{"id": "2", "url": "{two}", "title": "Holt speaks", "date_published": "2024-03-06T09:00:00Z",'
        ' "content_text": "Holt on the fleet."}]}',
        "application/feed+json",
    )
    poller = make_poller(
        small_relation, [FeedEntry(url=feed_server.url("/atom.xml")), FeedEntry(url=feed_server.url("/feed.json"))]
    )
    reports = poller.poll()
    assert [r.message[:5] for r in reports] == ["1 new", "1 new"], [r.line for r in reports]
    titles = sorted(front_matter(p)["title"] for p in feed_files(small_relation))
    assert titles == ["Holt speaks", "Ministers meet in Lisbon"]


def test_canonical_urls_drop_what_varies_between_links():
    assert canonical_url("HTTPS://Example.ORG:443/a/b?utm_source=x&id=3&fbclid=y#top") == "https://example.org/a/b?id=3"
    assert canonical_url("http://example.org") == "http://example.org/"


# --- tui fetch --------------------------------------------------------------------


def test_tui_fetch_prints_one_line_a_feed(small_relation, wire, capsys):
    bad = f"http://127.0.0.1:{closed_port()}/rss.xml"
    write_config(small_relation, f"feeds:\n  - {wire.url('/rss.xml')}\n  - {{url: {bad}, every: 1m}}\n")
    assert main(["fetch", "--config", str(small_relation.config)]) == 1
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"127.0.0.1:{wire.port}/rss.xml: 2 new")
    assert "FAILED: unreachable: connection refused; 1st failure, next try in 2 min" in lines[1]
    assert "2 new articles in" in err
    # Run again (cron): the good feed is not modified, the bad one is left alone while it backs off.
    assert main(["fetch", "--config", str(small_relation.config)]) == 0
    out, _err = capsys.readouterr()
    assert out.splitlines()[0].endswith(": not modified")
    assert "backing off after 1 failure" in out.splitlines()[1]
    assert len(feed_files(small_relation)) == 2


def test_tui_fetch_without_feeds_says_so(small_relation, capsys):
    assert main(["fetch", "--config", str(small_relation.config)]) == 2
    assert "no feeds: to poll" in capsys.readouterr().err


def test_tui_fetch_has_help(capsys):
    with pytest.raises(SystemExit) as done:
        main(["fetch", "--help"])
    assert done.value.code == 0
    assert "--force" in capsys.readouterr().out


# --- tui doctor ---------------------------------------------------------------------


def test_tui_doctor_checks_every_feed(small_relation, wire, capsys):
    wire.static("/bomb.xml", BILLION_LAUGHS, "application/rss+xml")
    bad = f"http://127.0.0.1:{closed_port()}/rss.xml"
    write_config(small_relation, f"feeds:\n  - {wire.url('/rss.xml')}\n  - {bad}\n  - {wire.url('/bomb.xml')}\n")
    assert main(["doctor", "--config", str(small_relation.config), "--no-cache"]) == 1
    out = capsys.readouterr().out
    feeds = [line.strip() for line in out.splitlines() if "127.0.0.1" in line]
    assert feeds[0].endswith("/rss.xml: rss20, 2 items, newest 2024-03-06 (The Freedonia Wire)")
    assert feeds[0].startswith("ok")
    assert feeds[1].startswith("FAIL") and feeds[1].endswith("unreachable: connection refused")
    assert feeds[2].startswith("FAIL") and "XML bomb" in feeds[2]
    assert re.search(r"^feeds +FAIL +2 of 3 feeds cannot be read$", out, re.MULTILINE), out
    assert feed_files(small_relation) == []  # the doctor writes nothing
    assert not state_path(small_relation.config).exists()


def test_the_feed_code_imports_no_dashboard_library():
    import subprocess
    import sys

    probe = "import tui.feeds, tui.feeds.poller, tui.webpage, sys; print(sorted(sys.modules))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "'textual" not in result.stdout and "'rich" not in result.stdout


def test_quitting_mid_poll_records_no_failure(small_relation, feed_server):
    """The dashboard closes the client while a poll waits on a slow feed: the feed is not marked failing."""
    feed_server.routes["/slow.xml"] = slow(feed_server)
    feed = FeedEntry(url=feed_server.url("/slow.xml"))
    poller = make_poller(small_relation, [feed], timeout=5.0)
    done: list = []
    worker = threading.Thread(target=lambda: done.extend(poller.poll()))
    with feed_server.served:
        worker.start()
        assert feed_server.served.wait_for(lambda: feed_server.hits("/slow.xml"), timeout=10)
    poller.close()
    worker.join(10)
    [report] = done
    assert not report.polled
    assert poller.state.record(feed.url).failures == 0


def test_an_entity_written_in_an_items_text_is_no_bomb(small_relation, feed_server):
    text = 'How to declare one: <!ENTITY a "&b;"> in a DTD. Ruiz and Brandt explain.'
    feed_server.feed("/rss.xml", rss([{"title": "XML explained", "description": text}]))
    [report] = make_poller(small_relation, [FeedEntry(url=feed_server.url("/rss.xml"))]).poll()
    assert report.ok and report.message.startswith("1 new"), report.line


def test_a_crawl_delay_in_robots_txt_spaces_the_pages(small_relation, wire):
    wire.static("/robots.txt", "User-agent: *\nCrawl-delay: 1\n", "text/plain")
    make_poller(small_relation, [FeedEntry(url=wire.url("/rss.xml"))]).poll()
    pages = [r.at for r in wire.log if r.path.startswith("/world/")]
    robots = wire.hits("/robots.txt")[0].at
    assert len(pages) == 2
    assert pages[0] - robots >= 0.99 and pages[1] - pages[0] >= 0.99
