"""A polite HTTP client for feeds and article pages, on httpx.

Politeness, in one place: a User-Agent naming tui and its version; one
request at a time to a host and a minimum gap between two requests to it
(longer where its robots.txt asks for a Crawl-delay); a timeout on every read
and a deadline on a whole answer; answers read as a stream and cut at a size
limit (after decompression, so a gzip bomb is bounded too); redirects followed
by hand, so each hop waits its turn at its own host, a loop is named and there
are at most a few. robots.txt is read through the same client, cached a while
per site.

Every failure is a `FetchError` whose message is one line for the user.
"""

from __future__ import annotations

import contextlib
import sys
import threading
import time
import urllib.robotparser
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from tui import __version__

if "httpx" not in sys.modules:
    # httpx's command line (httpx._main) imports rich, pygments and click on
    # `import httpx` when they are installed; tui never runs it, and the
    # headless core loads no rich. Its absence is what httpx itself allows for.
    sys.modules["httpx._main"] = None  # type: ignore[assignment]
    try:
        import httpx
    finally:
        if sys.modules.get("httpx._main") is None:
            del sys.modules["httpx._main"]
else:
    import httpx

USER_AGENT = f"tui/{__version__} (news feed monitor; polls each feed at its configured interval)"
ROBOTS_AGENT = "tui"  # the token robots.txt rules name
TIMEOUT = 10.0  # seconds for a connection or any one read
DEADLINE = 30.0  # seconds for a whole answer (a server trickling bytes is cut off)
MIN_GAP = 1.0  # seconds between two requests to one host
MAX_CRAWL_DELAY = 60.0  # a robots.txt Crawl-delay is honoured up to this
MAX_REDIRECTS = 5
ROBOTS_BYTES = 512 * 1024
ROBOTS_TTL = 6 * 3600.0  # a robots.txt is read again after this
ROBOTS_RETRY = 600.0  # an unreadable robots.txt (5xx, unreachable) is tried again after this
REDIRECTS = (301, 302, 303, 307, 308)


class FetchError(Exception):
    """A request that gave no usable answer, said in one line."""


class Stopped(FetchError):
    """The client was closed (the app is quitting): not the server's fault."""


@dataclass(frozen=True)
class Response:
    url: str  # after redirects
    status: int
    reason: str
    headers: httpx.Headers
    body: bytes
    truncated: bool = False  # the answer was longer than the limit; `body` is its start

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def charset(self) -> str | None:
        for part in self.headers.get("content-type", "").split(";")[1:]:
            key, _, value = part.strip().partition("=")
            if key.lower() == "charset" and value.strip(" \"'"):
                return value.strip(" \"'")
        return None


@dataclass
class _Host:
    lock: threading.Lock = field(default_factory=threading.Lock)
    last: float = -1e9  # monotonic time the last request to it ended
    crawl_delay: float = 0.0


@dataclass
class _Robots:
    parser: urllib.robotparser.RobotFileParser | None  # None: allow everything
    disallow_all: str | None  # why every page is off limits for now
    expires: float


def host_key(url: str) -> str:
    parts = urlsplit(url)
    return (parts.netloc or "").lower()


def short_url(url: str, width: int = 60) -> str:
    """host/path without the scheme, cut to `width`."""
    parts = urlsplit(url)
    text = (parts.netloc + parts.path).rstrip("/") or url
    if parts.query:
        text += "?" + parts.query
    return text if len(text) <= width else text[: width - 1] + "…"


def _reason_of(exc: httpx.HTTPError) -> str:
    """An httpx error as a few words a user understands."""
    text = str(exc) or type(exc).__name__
    lowered = text.lower()
    if isinstance(exc, httpx.TimeoutException):
        return f"timed out (no answer in {TIMEOUT:.0f} s)"
    if "name or service not known" in lowered or "nodename nor servname" in lowered or "name resolution" in lowered:
        return "unreachable: host name not found"
    if "connection refused" in lowered:
        return "unreachable: connection refused"
    if isinstance(exc, httpx.ConnectError):
        return f"unreachable: {text.strip('[]')[:80]}"
    if isinstance(exc, httpx.RemoteProtocolError):
        return f"broken answer: {text[:80]}"
    if isinstance(exc, httpx.DecodingError):
        return "answer could not be decompressed"
    if isinstance(exc, httpx.UnsupportedProtocol):
        return "not an http(s) address"
    return f"{type(exc).__name__}: {text[:80]}"


class PoliteClient:
    """One httpx client shared by every feed; safe to use from several threads."""

    def __init__(
        self,
        *,
        timeout: float = TIMEOUT,
        deadline: float = DEADLINE,
        min_gap: float = MIN_GAP,
        max_redirects: int = MAX_REDIRECTS,
        user_agent: str = USER_AGENT,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.deadline = deadline
        self.min_gap = min_gap
        self.max_redirects = max_redirects
        self.user_agent = user_agent
        self._client = httpx.Client(
            timeout=httpx.Timeout(timeout),
            follow_redirects=False,
            headers={"User-Agent": user_agent},
            transport=transport,
        )
        self._hosts: dict[str, _Host] = {}
        self._robots: dict[str, _Robots] = {}
        self._lock = threading.Lock()
        self._closed = threading.Event()
        self.requests = 0  # sent, for tests and the poll-cost note

    def close(self) -> None:
        self._closed.set()
        self._client.close()

    def _host(self, url: str) -> _Host:
        with self._lock:
            return self._hosts.setdefault(host_key(url), _Host())

    @contextlib.contextmanager
    def _turn(self, url: str) -> Iterator[None]:
        """This host's turn: no other request to it meanwhile, and the gap after the last one kept."""
        host = self._host(url)
        with host.lock:
            wait = host.last + max(self.min_gap, host.crawl_delay) - time.monotonic()
            if wait > 0 and self._closed.wait(wait):
                raise Stopped("stopped")
            try:
                yield
            finally:
                host.last = time.monotonic()

    def get(self, url: str, *, headers: dict[str, str] | None = None, max_bytes: int) -> Response:
        """GET `url`, following up to `max_redirects` redirects; the body is cut at `max_bytes`."""
        visited = [url]
        for _hop in range(self.max_redirects + 1):
            if urlsplit(url).scheme.lower() not in ("http", "https"):
                raise FetchError(f"redirected to {short_url(url)}, not an http(s) address")
            with self._turn(url):
                response, location = self._get_once(url, headers or {}, max_bytes)
            if location is None:
                return response
            if location in visited:
                loop = " → ".join(short_url(u, 40) for u in [*visited[visited.index(location) :], location])
                raise FetchError(f"redirect loop ({loop})")
            visited.append(location)
            url = location
        raise FetchError(f"more than {self.max_redirects} redirects (last to {short_url(url)})")

    def _get_once(self, url: str, headers: dict[str, str], max_bytes: int) -> tuple[Response, str | None]:
        if self._closed.is_set():
            raise Stopped("stopped")
        started = time.monotonic()
        self.requests += 1
        try:
            with self._client.stream("GET", url, headers=headers) as answer:
                if answer.status_code in REDIRECTS and answer.headers.get("location"):
                    try:
                        target = str(answer.url.join(answer.headers["location"]))
                    except (httpx.InvalidURL, ValueError):
                        location = answer.headers["location"][:60]
                        raise FetchError(f"redirected to a broken address ({location!r})") from None
                    return self._response(url, answer, b"", False), target
                if answer.status_code == 304 or answer.status_code >= 400:
                    return self._response(url, answer, b"", False), None
                chunks: list[bytes] = []
                size = 0
                truncated = False
                for chunk in answer.iter_bytes():
                    chunks.append(chunk)
                    size += len(chunk)
                    if size > max_bytes:
                        truncated = True
                        break
                    if time.monotonic() - started > self.deadline:
                        raise FetchError(f"too slow (no whole answer in {self.deadline:.0f} s)")
                body = b"".join(chunks)
                return self._response(url, answer, body[:max_bytes], truncated), None
        except httpx.HTTPError as exc:
            if self._closed.is_set():
                raise Stopped("stopped") from None
            raise FetchError(_reason_of(exc)) from None
        except RuntimeError:  # httpx: the client was closed under this request
            if self._closed.is_set():
                raise Stopped("stopped") from None
            raise
        except OSError as exc:
            raise FetchError(f"unreachable: {exc.strerror or exc}") from None

    @staticmethod
    def _response(url: str, answer: httpx.Response, body: bytes, truncated: bool) -> Response:
        return Response(
            url=str(answer.url) or url,
            status=answer.status_code,
            reason=answer.reason_phrase or "",
            headers=answer.headers,
            body=body,
            truncated=truncated,
        )

    # --- robots.txt ------------------------------------------------------

    def allowed(self, url: str) -> str | None:
        """None when robots.txt lets tui fetch `url`, else why not (one line)."""
        parts = urlsplit(url)
        site = f"{parts.scheme.lower()}://{parts.netloc.lower()}"
        with self._lock:
            robots = self._robots.get(site)
        if robots is None or robots.expires < time.monotonic():
            robots = self._read_robots(site)
            with self._lock:
                self._robots[site] = robots
        if robots.disallow_all:
            return robots.disallow_all
        if robots.parser is not None and not robots.parser.can_fetch(ROBOTS_AGENT, url):
            return f"robots.txt of {parts.netloc} disallows {parts.path or '/'}"
        return None

    def _read_robots(self, site: str) -> _Robots:
        """As RFC 9309 says: a 4xx means no rules; a 5xx or no answer means
        keep off for now (and ask again in a while)."""
        now = time.monotonic()
        try:
            response = self.get(site + "/robots.txt", max_bytes=ROBOTS_BYTES)
        except Stopped:
            raise
        except FetchError as exc:
            return _Robots(None, f"robots.txt unreadable ({exc}); page not fetched", now + ROBOTS_RETRY)
        if 400 <= response.status < 500:
            return _Robots(None, None, now + ROBOTS_TTL)
        if response.status >= 500:
            return _Robots(
                None, f"robots.txt answered HTTP {response.status}; page not fetched", now + ROBOTS_RETRY
            )
        parser = urllib.robotparser.RobotFileParser()
        parser.parse(response.body.decode("utf-8", errors="replace").splitlines())
        delay = parser.crawl_delay(ROBOTS_AGENT)
        if delay:
            try:
                self._host(site).crawl_delay = min(float(delay), MAX_CRAWL_DELAY)
            except (TypeError, ValueError):
                pass
        return _Robots(parser, None, now + ROBOTS_TTL)
