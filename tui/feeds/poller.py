"""Poll the configured feeds; write each new article into the seeds folder.

One `Poller` serves the dashboard (a poll of the feeds that are due, in a
thread worker, every few seconds) and `tui fetch` (every feed once). A poll
of one feed:

1. a conditional GET (ETag / Last-Modified from the last answer); 304 costs
   nothing more;
2. its items (at most MAX_ITEMS) read with feedparser or as JSON Feed;
3. for each item whose canonical URL was never seen: the `keep` words
   checked, the article page fetched (robots.txt permitting) and read with
   trafilatura; where it cannot be had, the feed's summary is kept and the
   file says why (`summary_only`);
4. the article written into seeds/feeds/<site>/, unless the same text was
   already written under another URL.

A feed that fails waits longer each time (`every` doubled a failure, at
most MAX_BACKOFF; `Retry-After` on 429/503 is honoured) and is tried at
`every` again after its first success. Every outcome is one line
(`FeedReport.line`); one feed failing never stops the others.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.feeds.http import FetchError, PoliteClient, Response, Stopped, host_key, short_url
from tui.feeds.parse import FeedError, FeedItem, ParsedFeed, parse_feed
from tui.feeds.seeds import FEEDS_FOLDER, FeedArticle, canonical_url, text_digest, write_article
from tui.feeds.state import FeedRecord, FeedState

if TYPE_CHECKING:
    from tui.config import FeedEntry

MAX_FEED_BYTES = 5 * 1024 * 1024
MAX_PAGE_BYTES = 5 * 1024 * 1024
MAX_NEW_PER_POLL = 50  # articles written per feed and poll; the rest come with the next poll
MAX_BACKOFF = 6 * 3600.0
MAX_RETRY_AFTER = 24 * 3600.0
PARALLEL_HOSTS = 4  # feeds of different hosts polled at once
FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5"
)
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
HTML_TYPES = ("text/html", "application/xhtml+xml", "")
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


@dataclass
class FeedReport:
    """One feed's poll: what `tui fetch` prints and the status line counts."""

    url: str
    ok: bool
    message: str
    written: list[Path] = field(default_factory=list)
    polled: bool = True  # False: not due, or backing off

    @property
    def line(self) -> str:
        """One line of plain text: what a server said cannot drive the terminal."""
        return _UNPRINTABLE.sub(lambda m: repr(m.group())[1:-1], f"{short_url(self.url)}: {self.message}")


@dataclass(frozen=True)
class FeedHealth:
    """What the dashboard shows of one feed."""

    url: str
    title: str | None
    last_poll: float | None
    last_ok: float | None
    last_new: int
    total_new: int
    error: str | None
    failures: int
    next_poll: float
    items: int
    last_item: str | None
    note: str | None


def _when(seconds: float) -> str:
    return datetime.fromtimestamp(seconds).strftime("%H:%M:%S")


def _span(seconds: float) -> str:
    seconds = max(0, int(round(seconds)))
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 7200:
        return f"{seconds // 60} min"
    return f"{seconds / 3600:.1f} h"


def retry_after(value: str | None, now: float) -> float | None:
    """Seconds a `Retry-After` header asks for (a number or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return max(0.0, moment.timestamp() - now)


def keep_matches(words: Sequence[str], *texts: str | None) -> bool:
    """Does one of the `keep` words appear (whole word, any case) in the texts?"""
    if not words:
        return True
    haystack = "\n".join(t for t in texts if t)
    return any(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", haystack, re.IGNORECASE) for w in words)


class Poller:
    def __init__(
        self,
        feeds: Sequence[FeedEntry],
        seeds_dir: Path,
        state_path: Path | None,
        *,
        client: PoliteClient | None = None,
        now: Callable[[], float] = time.time,
    ) -> None:
        self.feeds = list(feeds)
        self.seeds_dir = Path(seeds_dir)
        self.client = client or PoliteClient()
        self.now = now
        self.state = FeedState(state_path)
        self._lock = threading.Lock()  # state, seen sets
        self._poll_lock = threading.Lock()  # one poll at a time in this process
        self._claimed: set[str] = set()
        self._known_files = False
        self.polls = 0

    @property
    def warning(self) -> str | None:
        return self.state.warning

    def configure(self, feeds: Sequence[FeedEntry], seeds_dir: Path) -> None:
        """The config changed: follow these feeds from now on."""
        if Path(seeds_dir) != self.seeds_dir:
            self._known_files = False
        self.feeds, self.seeds_dir = list(feeds), Path(seeds_dir)

    def close(self) -> None:
        self.client.close()

    # --- scheduling --------------------------------------------------------

    def next_due(self) -> float | None:
        """When the earliest feed is due (seconds since the epoch), None without feeds."""
        with self._lock:
            return min((self.state.record(f.url).next_poll for f in self.feeds), default=None)

    def due(self) -> list[FeedEntry]:
        now = self.now()
        with self._lock:
            return [f for f in self.feeds if self.state.record(f.url).next_poll <= now]

    # --- polling -------------------------------------------------------------

    def poll(self, feeds: Sequence[FeedEntry] | None = None, *, force: bool = False) -> list[FeedReport]:
        """Poll `feeds` (default: those due) once; feeds backing off after
        failures are left alone unless `force`. One report a feed, in config order."""
        with self._poll_lock, self._process_lock() as locked:
            if not locked:
                return [
                    FeedReport(f.url, True, "skipped: another tui is polling the feeds now", polled=False)
                    for f in (feeds if feeds is not None else self.due())
                ]
            self._reload_if_changed()
            self._learn_written_files()
            chosen = list(feeds) if feeds is not None else self.due()
            reports: dict[str, FeedReport] = {}
            todo: list[FeedEntry] = []
            now = self.now()
            for feed in chosen:
                record = self.state.record(feed.url)
                if record.failures and record.next_poll > now and not force:
                    reports[feed.url] = FeedReport(
                        feed.url,
                        False,
                        f"backing off after {record.failures} failure{'s' if record.failures > 1 else ''} "
                        f"({record.last_error}); next try {_when(record.next_poll)}",
                        polled=False,
                    )
                else:
                    todo.append(feed)
            # Feeds of one host one after the other (the client keeps the gap);
            # different hosts at the same time.
            by_host: dict[str, list[FeedEntry]] = {}
            for feed in todo:
                by_host.setdefault(host_key(feed.url), []).append(feed)

            def run(group: list[FeedEntry]) -> list[FeedReport]:
                return [self._poll_one(feed) for feed in group]

            if len(by_host) <= 1:
                results = [run(group) for group in by_host.values()]
            else:
                with ThreadPoolExecutor(max_workers=min(PARALLEL_HOSTS, len(by_host))) as pool:
                    results = list(pool.map(run, by_host.values()))
            for group_reports in results:
                for report in group_reports:
                    reports[report.url] = report
            self.polls += 1
            with self._lock:
                problem = self.state.save()
            if problem:
                self.state.warning = problem
            return [reports[f.url] for f in chosen if f.url in reports]

    @contextlib.contextmanager
    def _process_lock(self) -> Iterator[bool]:
        """One process polls a state at a time (a dashboard and a cron `tui fetch`)."""
        path = self.state.path
        if path is None:
            yield True
            return
        try:
            import fcntl
        except ImportError:  # pragma: no cover - not on POSIX
            yield True
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle = open(path.with_name(path.name + ".lock"), "a+")  # noqa: SIM115 - closed below
        except OSError:
            yield True
            return
        try:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                yield False
                return
            try:
                yield True
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
        finally:
            handle.close()

    def _reload_if_changed(self) -> None:
        if self.state.changed_on_disk():
            with self._lock:
                self.state.load()

    def _learn_written_files(self) -> None:
        """URLs and texts of the articles already in seeds/feeds/, read once: a
        lost state file does not mean every article is written again."""
        if self._known_files:
            return
        self._known_files = True
        from tui.corpus import split_front_matter

        folder = self.seeds_dir / FEEDS_FOLDER
        if not folder.is_dir():
            return
        for path in folder.rglob("*.md"):
            try:
                text = path.read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            meta, body, _flags = split_front_matter(text)
            stamp = self.now()
            with self._lock:
                for key in ("url", "link"):
                    value = meta.get(key)
                    if isinstance(value, str) and value.strip():
                        self.state.urls.setdefault(canonical_url(value), stamp)
                digest = text_digest(body)
                if digest:
                    self.state.texts.setdefault(digest, stamp)

    def _poll_one(self, feed: FeedEntry) -> FeedReport:
        try:
            return self._poll_feed(feed)
        except Stopped:  # quitting: nothing is recorded against the feed
            return FeedReport(feed.url, True, "stopped", polled=False)
        except Exception as exc:  # a bug or a disk problem costs this feed's poll, not the others
            return self._failed(feed, f"{type(exc).__name__}: {str(exc)[:100]}")

    def _poll_feed(self, feed: FeedEntry) -> FeedReport:
        with self._lock:
            record = self.state.record(feed.url)
            headers = {"Accept": FEED_ACCEPT}
            if record.etag:
                headers["If-None-Match"] = record.etag
            if record.modified:
                headers["If-Modified-Since"] = record.modified
        try:
            response = self.client.get(feed.url, headers=headers, max_bytes=MAX_FEED_BYTES)
        except Stopped:
            raise
        except FetchError as exc:
            return self._failed(feed, str(exc))
        if response.status == 304:
            return self._succeeded(feed, None, response, [], "not modified")
        if response.status >= 400 or not 200 <= response.status < 300:
            wait = None
            if response.status in (429, 503):
                wait = retry_after(response.headers.get("retry-after"), self.now())
            reason = f"HTTP {response.status}" + (f" {response.reason}" if response.reason else "")
            return self._failed(feed, reason, wait)
        try:
            parsed = parse_feed(
                response.body, content_type=response.content_type, url=response.url, truncated=response.truncated
            )
        except FeedError as exc:
            prefix = "feed larger than 5 MB and " if response.truncated else ""
            return self._failed(feed, prefix + str(exc))
        written, counts = self._take_items(feed, parsed)
        return self._succeeded(feed, parsed, response, written, self._summary(parsed, written, counts))

    def _take_items(self, feed: FeedEntry, parsed: ParsedFeed) -> tuple[list[Path], dict[str, int]]:
        counts = dict.fromkeys(("seen", "kept out", "same text", "summary only", "no link", "empty", "left"), 0)
        written: list[Path] = []
        fresh: list[tuple[FeedItem, str]] = []
        for item in parsed.items:
            key = self._identity(feed, item)
            if key is None:
                counts["empty"] += 1
                continue
            with self._lock:
                if key in self.state.urls or key in self._claimed:
                    counts["seen"] += 1
                    continue
                self._claimed.add(key)
            fresh.append((item, key))
        # Oldest first, so files appear in the order things happened.
        fresh.sort(key=lambda pair: pair[0].timestamp or 0.0)
        if len(fresh) > MAX_NEW_PER_POLL:
            counts["left"] = len(fresh) - MAX_NEW_PER_POLL
            for _item, key in fresh[: len(fresh) - MAX_NEW_PER_POLL]:
                with self._lock:
                    self._claimed.discard(key)
            fresh = fresh[-MAX_NEW_PER_POLL:]  # the newest now, the older ones next time
        try:
            for item, key in fresh:
                outcome = self._take(feed, parsed, item, key)
                if isinstance(outcome, str):
                    counts[outcome] += 1
                    continue
                path, summary_only = outcome
                written.append(path)
                if item.link is None:
                    counts["no link"] += 1
                elif summary_only:
                    counts["summary only"] += 1
        finally:
            with self._lock:
                for _item, key in fresh:
                    self._claimed.discard(key)
        return written, counts

    def _identity(self, feed: FeedEntry, item: FeedItem) -> str | None:
        if item.link:
            return canonical_url(item.link)
        if not (item.summary or item.title):
            return None
        # No link: the item is known by its guid, else by what it says.
        basis = item.guid or f"{item.title}\n{item.summary}"
        return f"item:{canonical_url(feed.url)}#{hashlib.sha256(basis.encode('utf-8', 'replace')).hexdigest()[:24]}"

    def _take(self, feed: FeedEntry, parsed: ParsedFeed, item: FeedItem, key: str) -> tuple[Path, bool] | str:
        """Write one item's article: (its path, whether it is the feed's summary
        only), or which count it adds to instead."""
        listed = keep_matches(feed.keep, item.title, item.summary, " ".join(item.tags))
        article = self._article(feed, parsed, item)
        stamp = self.now()
        if not listed and not keep_matches(feed.keep, article.title, article.text):
            with self._lock:
                self.state.urls[key] = stamp  # looked at once; not fetched again
            return "kept out"
        digest = text_digest(article.text)
        page_key = canonical_url(article.url) if article.url else None
        with self._lock:
            known_page = page_key is not None and page_key != key and page_key in self.state.urls
            if (digest and digest in self.state.texts) or known_page:
                self.state.urls[key] = stamp
                return "same text"
        path = write_article(self.seeds_dir, article)
        with self._lock:
            self.state.urls[key] = stamp
            if page_key:
                self.state.urls[page_key] = stamp
            if digest:
                self.state.texts[digest] = stamp
        return path, article.summary_only is not None

    def _article(self, feed: FeedEntry, parsed: ParsedFeed, item: FeedItem) -> FeedArticle:
        """The article from its page; the feed's own text where the page cannot be had."""
        fetched_at = datetime.fromtimestamp(self.now(), tz=timezone.utc).isoformat(timespec="seconds")
        fallback = FeedArticle(
            title=item.title,
            date=item.published,
            source=parsed.title,
            url=item.link,
            author=item.author,
            fetched_at=fetched_at,
            feed=feed.url,
            text=item.summary or item.title or "",
        )
        if item.link is None:
            return _summary(fallback, "the feed item has no link")
        page = self._page(item.link)
        if isinstance(page, str):
            return _summary(fallback, page)
        from tui.webpage import read_page

        read = read_page(page.decoded)
        if isinstance(read, str):
            return _summary(fallback, f"article page: {read}")
        url = read.url if read.url and read.url.lower().startswith(("http://", "https://")) else page.response.url
        return FeedArticle(
            title=read.title or item.title,
            date=read.date or item.published,
            source=read.site or parsed.title,
            url=url or item.link,
            author=read.author or item.author,
            fetched_at=fetched_at,
            feed=feed.url,
            text=read.text,
        )

    def _page(self, link: str) -> _Page | str:
        why = self.client.allowed(link)
        if why is not None:
            return why
        try:
            response = self.client.get(link, headers={"Accept": PAGE_ACCEPT}, max_bytes=MAX_PAGE_BYTES)
        except Stopped:
            raise
        except FetchError as exc:
            return f"article page not fetched: {exc}"
        if response.status != 200:
            return f"article page: HTTP {response.status}" + (f" {response.reason}" if response.reason else "")
        if response.truncated:
            return f"article page larger than {MAX_PAGE_BYTES // (1024 * 1024)} MB"
        if response.content_type not in HTML_TYPES:
            return f"article page is {response.content_type[:40]}, not HTML"
        return _Page(response, _decode(response))

    def _summary(self, parsed: ParsedFeed, written: list[Path], counts: dict[str, int]) -> str:
        parts = [f"{len(written)} new" if written else "nothing new"]
        detail = [f"{len(parsed.items)} item{'s' if len(parsed.items) != 1 else ''}"]
        for key, label in (
            ("seen", "seen before"),
            ("kept out", "without a keep word"),
            ("same text", "same text as an earlier article"),
            ("summary only", "feed summary only"),
            ("no link", "without a link"),
            ("empty", "without link or text, skipped"),
            ("left", "left for the next poll"),
        ):
            if counts.get(key):
                detail.append(f"{counts[key]} {label}")
        parts.append(f"({', '.join(detail)})")
        text = " ".join(parts)
        if parsed.notes:
            text += "; " + "; ".join(parsed.notes)
        return text

    # --- outcomes ----------------------------------------------------------

    def _succeeded(
        self, feed: FeedEntry, parsed: ParsedFeed | None, response: Response, written: list[Path], message: str
    ) -> FeedReport:
        now = self.now()
        with self._lock:
            record = self.state.record(feed.url)
            if response.status != 304:
                left = "left for the next poll" in message
                # Items left for later: no validators, so the next poll reads the feed again.
                record.etag = None if left else response.headers.get("etag")
                record.modified = None if left else response.headers.get("last-modified")
            record.failures = 0
            record.last_error = None
            record.last_poll = record.last_ok = now
            record.next_poll = now + feed.every
            record.last_new = len(written)
            record.total_new += len(written)
            if parsed is not None:
                record.items = len(parsed.items)
                dates = [i.published for i in parsed.items if i.published]
                record.last_item = max(dates) if dates else record.last_item
                record.title = parsed.title or record.title
                record.note = "; ".join(parsed.notes) or None
        return FeedReport(feed.url, True, message, written)

    def _failed(self, feed: FeedEntry, reason: str, wait: float | None = None) -> FeedReport:
        now = self.now()
        with self._lock:
            record = self.state.record(feed.url)
            record.failures += 1
            backoff = min(feed.every * 2 ** min(record.failures, 20), MAX_BACKOFF)
            backoff = max(backoff, feed.every)
            if wait is not None:
                backoff = max(feed.every, min(wait, MAX_RETRY_AFTER))
            record.next_poll = now + backoff
            record.last_poll = now
            record.last_error = reason
            record.last_new = 0
            failures = record.failures
        nth = {1: "1st", 2: "2nd", 3: "3rd"}.get(failures, f"{failures}th")
        return FeedReport(
            feed.url, False, f"FAILED: {reason}; {nth} failure, next try in {_span(backoff)}", []
        )

    def health(self) -> list[FeedHealth]:
        with self._lock:
            out = []
            for feed in self.feeds:
                r: FeedRecord = self.state.record(feed.url)
                out.append(
                    FeedHealth(
                        url=feed.url,
                        title=r.title,
                        last_poll=r.last_poll,
                        last_ok=r.last_ok,
                        last_new=r.last_new,
                        total_new=r.total_new,
                        error=r.last_error,
                        failures=r.failures,
                        next_poll=r.next_poll,
                        items=r.items,
                        last_item=r.last_item,
                        note=r.note,
                    )
                )
            return out


@dataclass(frozen=True)
class _Page:
    response: Response
    decoded: str


def _summary(article: FeedArticle, why: str) -> FeedArticle:
    from dataclasses import replace

    return replace(article, summary_only=why)


def _decode(response: Response) -> str:
    """The page as text: the charset the server names, else what the bytes say."""
    charset = response.charset
    if charset:
        try:
            return response.body.decode(charset, errors="replace")
        except LookupError:
            pass
    try:
        return response.body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        from trafilatura.utils import decode_file

        decoded: Any = decode_file(response.body)
        if isinstance(decoded, str):
            return decoded
    except Exception:  # a detector that fails leaves the lenient decoding below
        pass
    return response.body.decode("utf-8", errors="replace")


def health_summary(health: Sequence[FeedHealth], new_this_session: int = 0) -> str:
    """The status line's word on the feeds: 'feeds 3 ok · 5 new · polled 12:01:05',
    or which one fails and why."""
    if not health:
        return ""
    polled = [h for h in health if h.last_poll is not None]
    if not polled:
        return f"feeds: polling {len(health)}…"
    failing = [h for h in health if h.error]
    ok = len(health) - len(failing)
    parts = [f"feeds {ok} ok" if not failing else f"feeds {ok} ok, {len(failing)} failing"]
    if failing:
        first = failing[0]
        error = first.error or ""
        error = error if len(error) <= 36 else error[:35] + "…"
        parts[0] += f" ({short_url(first.url, 24)}: {error})"
    if new_this_session:
        parts.append(f"{new_this_session} new")
    parts.append(f"polled {_when(max(h.last_poll or 0 for h in polled))}")
    return " · ".join(parts)


def health_line(h: FeedHealth) -> tuple[bool, str]:
    """One line of the documents view for a feed: (failing, text)."""
    name = short_url(h.url, 50)
    if h.last_poll is None:
        return False, f"{name}  not polled yet"
    if h.error:
        times = f"{h.failures} failure{'s' if h.failures != 1 else ''}"
        return True, f"{name}  FAILED ({times}): {h.error}; next try {_when(h.next_poll)}"
    parts = [name]
    if h.title:
        parts.append(h.title)
    parts.append(f"polled {_when(h.last_poll)}")
    parts.append(f"{h.last_new} new" + (f", {h.total_new} in all" if h.total_new != h.last_new else ""))
    parts.append(f"{h.items} item{'s' if h.items != 1 else ''}" + (f", newest {h.last_item}" if h.last_item else ""))
    parts.append(f"next {_when(h.next_poll)}")
    if h.note:
        parts.append(h.note)
    return False, "  ·  ".join(parts)


def check_feed(client: PoliteClient, url: str) -> tuple[bool, str]:
    """For `tui doctor`: is the feed reachable and parseable, and how old is its
    newest item? (ok, one line). Nothing is written and no state is kept."""
    try:
        response = client.get(url, headers={"Accept": FEED_ACCEPT}, max_bytes=MAX_FEED_BYTES)
    except FetchError as exc:
        return False, str(exc)
    if not 200 <= response.status < 300:
        return False, f"HTTP {response.status}" + (f" {response.reason}" if response.reason else "")
    try:
        parsed = parse_feed(
            response.body, content_type=response.content_type, url=response.url, truncated=response.truncated
        )
    except FeedError as exc:
        return False, str(exc)
    dates = [i.published for i in parsed.items if i.published]
    n = len(parsed.items)
    text = f"{parsed.version}, {n} item{'s' if n != 1 else ''}"
    text += f", newest {max(dates)}" if dates else (", no item dated" if n else "")
    if parsed.title:
        text += f" ({parsed.title[:40]})"
    without_link = sum(1 for i in parsed.items if not i.link)
    if without_link:
        text += f"; {without_link} without a link (their summary is kept)"
    if parsed.notes:
        text += "; " + "; ".join(parsed.notes)
    return True, text
