"""A feed's bytes -> its items: RSS 0.9x/1.0/2.0 and Atom with feedparser,
JSON Feed with the standard library's json.

Work is bounded before feedparser sees anything (it takes about 0.3 ms an
item, so a feed of a million items would take minutes):
- XML entity declarations that would expand beyond a small limit, or refer to
  other entities or to outside files, refuse the feed (an XML bomb). expat
  caps amplification too, and feedparser drops entities it finds unsafe;
  this check says so in one line instead of parsing half a feed.
- Only the first MAX_ITEMS items are parsed: a fast expat pass finds where
  the next item starts and the document is cut there, its open elements
  closed. A feed cut at the byte limit is cut at its last whole item.
"""

from __future__ import annotations

import calendar
import io
import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any
from xml.parsers import expat

MAX_ITEMS = 200  # parsed per poll, in the feed's order (feeds list the newest first)
MAX_ENTITY_BYTES = 1_000_000  # what declared entities may expand to, in all

_ITEM_START = re.compile(rb"<(?:[\w.-]+:)?(?:item|entry)[\s>/]", re.IGNORECASE)
_ENTITY_DECL = re.compile(rb"<!ENTITY\s+(%\s+)?([^\s>]+)\s+(\"[^\"]*\"|'[^']*'|[^>]*)>", re.IGNORECASE)
_ENTITY_REF = re.compile(rb"&(?!#)([\w.:-]+);")
_BLOCK = re.compile(r"<\s*(?:/p|br|/div|/h[1-6]|/li|/blockquote|/tr)\b[^>]*>", re.IGNORECASE)


class FeedError(Exception):
    """A feed that cannot be read, said in one line."""


@dataclass(frozen=True)
class FeedItem:
    link: str | None
    title: str | None
    summary: str | None  # plain text
    published: str | None  # YYYY-MM-DD
    timestamp: float | None  # seconds since the epoch, to order items
    author: str | None = None
    guid: str | None = None
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class ParsedFeed:
    title: str | None
    version: str  # feedparser's name for the format (rss20, atom10, ...) or json
    items: list[FeedItem]
    notes: list[str] = field(default_factory=list)  # what was odd, one line each


def _clean(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    return " ".join(value.split()) or None


def html_text(fragment: str | None) -> str | None:
    """An HTML fragment (a feed's summary) as plain text, paragraphs kept."""
    if not fragment or not fragment.strip():
        return None
    if "<" not in fragment and "&" not in fragment:
        text = fragment
    else:
        import lxml.html

        marked = _BLOCK.sub(lambda m: m.group(0) + "\n\n", fragment)
        try:
            text = lxml.html.fragment_fromstring(marked, create_parent="div").text_content()
        except Exception:  # lxml refuses the fragment: its tags are dropped by hand
            text = re.sub(r"<[^>]*>", " ", fragment)
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text)]
    return "\n\n".join(p for p in paragraphs if p) or None


def _date_of(timestamp: float | None) -> str | None:
    if timestamp is None:
        return None
    try:
        return datetime.fromtimestamp(timestamp, tz=timezone.utc).date().isoformat()
    except (OverflowError, OSError, ValueError):
        return None


# --- bounds ------------------------------------------------------------------


def check_entities(data: bytes) -> None:
    """Refuse entity declarations that could blow up: nested, external, or too large."""
    root = re.search(rb"<[A-Za-z_]", data)  # declarations come before the root element
    head = data[: root.start()] if root else data
    if b"<!ENTITY" not in head.upper():
        return
    total = 0
    for match in _ENTITY_DECL.finditer(head):
        parameter, name, value = match.groups()
        if parameter or value[:1] not in (b'"', b"'"):
            raise FeedError("declares external or parameter XML entities (refused: an XML bomb?)")
        literal = value[1:-1]
        if _ENTITY_REF.search(literal):
            raise FeedError("declares XML entities made of other entities (refused: an XML bomb?)")
        total += len(literal) * data.count(b"&" + name + b";")
        if total > MAX_ENTITY_BYTES:
            raise FeedError(
                f"declares XML entities that expand to over {MAX_ENTITY_BYTES:,} bytes (refused: an XML bomb?)"
            )


class _Stop(Exception):
    pass


def bound_items(data: bytes, limit: int = MAX_ITEMS, complete: bool = True) -> tuple[bytes, bool]:
    """The document cut before its (limit+1)th item, its open elements closed;
    (data, False) when it has no more items than that. With `complete` False
    (a body cut at the byte limit) it is cut at its last whole item."""
    parser = expat.ParserCreate()
    stack: list[str] = []
    count = 0
    last: tuple[int, list[str]] | None = None
    cut: tuple[int, list[str]] | None = None

    def start(name: str, _attrs: Any) -> None:
        nonlocal count, last, cut
        if name.rpartition(":")[2].lower() in ("item", "entry"):
            count += 1
            here = (parser.CurrentByteIndex, list(stack))
            if count > limit:
                cut = here
                raise _Stop
            last = here
        stack.append(name)

    def end(_name: str) -> None:
        if stack:
            stack.pop()

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        parser.Parse(data, complete)
    except _Stop:
        pass
    except expat.ExpatError:
        return _bound_loosely(data, limit)
    if cut is None and not complete:
        cut = last  # what follows the last item's start may be cut short
    if cut is None:
        return data, False
    offset, open_elements = cut
    closing = "".join(f"</{name}>" for name in reversed(open_elements))
    return data[:offset] + closing.encode("utf-8"), True


def _bound_loosely(data: bytes, limit: int) -> tuple[bytes, bool]:
    """Malformed XML goes to feedparser's lenient parser: cut it at the
    (limit+1)th item start tag; that parser does not need the end tags."""
    for i, match in enumerate(_ITEM_START.finditer(data)):
        if i == limit:
            return data[: match.start()], True
    return data, False


# --- parsing -------------------------------------------------------------------


def looks_like_json(body: bytes, content_type: str) -> bool:
    if "json" in content_type:
        return True
    return body.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{"


def parse_feed(body: bytes, *, content_type: str = "", url: str = "", truncated: bool = False) -> ParsedFeed:
    """The feed's items (at most MAX_ITEMS), or FeedError with one line."""
    if not body.strip():
        raise FeedError("empty answer, not a feed")
    if looks_like_json(body, content_type):
        return _parse_json_feed(body, truncated)
    return _parse_xml_feed(body, content_type, url, truncated)


def _parse_xml_feed(body: bytes, content_type: str, url: str, truncated: bool) -> ParsedFeed:
    import feedparser

    check_entities(body)
    bounded, was_cut = bound_items(body, MAX_ITEMS, complete=not truncated)
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    try:
        result = feedparser.parse(io.BytesIO(bounded), response_headers=headers, sanitize_html=True)
    except RecursionError:
        raise FeedError("XML nested too deeply to read") from None
    except Exception as exc:  # feedparser is lenient; anything it still raises is one line
        raise FeedError(f"could not be read ({type(exc).__name__}: {str(exc)[:80]})") from None
    version = result.get("version") or ""
    entries = result.get("entries") or []
    notes: list[str] = []
    if not version and not entries:
        problem = result.get("bozo_exception")
        if "html" in content_type or bounded.lstrip()[:15].lower().startswith((b"<!doctype html", b"<html")):
            raise FeedError("an HTML page, not a feed (is the address the feed's?)")
        detail = f": {str(problem)[:80]}" if problem else ""
        raise FeedError(f"not an RSS, Atom or JSON feed (malformed XML{detail})")
    problem = result.get("bozo_exception")
    if result.get("bozo") and not entries and problem is not None and not _harmless(problem):
        raise FeedError(f"not an RSS, Atom or JSON feed (malformed XML: {str(problem)[:80]})")
    if result.get("bozo") and entries and not was_cut:
        problem = result.get("bozo_exception")
        if problem is not None and not _harmless(problem):
            notes.append(f"malformed XML ({str(problem)[:60]}); {len(entries)} items read anyway")
    if truncated:
        notes.append(f"feed larger than the limit: its first {len(entries)} whole items read")
    elif was_cut:
        notes.append(f"feed lists more than {MAX_ITEMS} items: the first {MAX_ITEMS} read")
    feed = result.get("feed") or {}
    items = [_item_from_entry(entry) for entry in entries[:MAX_ITEMS]]
    return ParsedFeed(title=_clean(feed.get("title")), version=version or "xml", items=items, notes=notes)


def _harmless(problem: Exception) -> bool:
    """feedparser's notes that change nothing the user would see."""
    name = type(problem).__name__
    return name in ("CharacterEncodingOverride", "NonXMLContentType")


def _item_from_entry(entry: Any) -> FeedItem:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    timestamp = float(calendar.timegm(parsed)) if parsed else None
    summary = None
    for content in entry.get("content") or []:
        summary = html_text(content.get("value"))
        if summary:
            break
    summary = summary or html_text(entry.get("summary"))
    link = _clean(entry.get("link"))
    return FeedItem(
        link=link if link and link.lower().startswith(("http://", "https://")) else None,
        title=_clean(html_text(entry.get("title"))),
        summary=summary,
        published=_date_of(timestamp),
        timestamp=timestamp,
        author=_clean(entry.get("author")),
        guid=_clean(entry.get("id")),
        tags=tuple(t for t in (_clean(tag.get("term")) for tag in entry.get("tags") or []) if t),
    )


def _parse_json_feed(body: bytes, truncated: bool) -> ParsedFeed:
    """JSON Feed 1.0/1.1 (jsonfeed.org)."""
    if truncated:
        raise FeedError("JSON feed larger than the limit; not read")
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise FeedError("JSON feed that is not UTF-8") from None
    except RecursionError:
        raise FeedError("JSON nested too deeply to read") from None
    except ValueError as exc:
        raise FeedError(f"malformed JSON ({str(exc)[:60]})") from None
    if not isinstance(data, dict) or not str(data.get("version", "")).startswith("https://jsonfeed.org/version/"):
        raise FeedError("JSON, but not a JSON Feed (no jsonfeed.org version)")
    raw_items = data.get("items")
    if not isinstance(raw_items, list):
        raise FeedError("JSON Feed without an items list")
    notes = []
    if len(raw_items) > MAX_ITEMS:
        notes.append(f"feed lists {len(raw_items):,} items: the first {MAX_ITEMS} read")
    items = [_item_from_json(raw) for raw in raw_items[:MAX_ITEMS] if isinstance(raw, dict)]
    return ParsedFeed(title=_clean(data.get("title")), version="json", items=items, notes=notes)


def _item_from_json(raw: dict[str, Any]) -> FeedItem:
    from tui.corpus import parse_date

    stamp: float | None = None
    when = raw.get("date_published") or raw.get("date_modified")
    if isinstance(when, str):
        try:
            moment = datetime.fromisoformat(when.replace("Z", "+00:00"))
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=timezone.utc)
            stamp = moment.timestamp()
        except ValueError:
            stamp = None
    authors: list[Any] = raw["authors"] if isinstance(raw.get("authors"), list) else [raw.get("author")]
    author = next((_clean(a.get("name")) for a in authors if isinstance(a, dict) and _clean(a.get("name"))), None)
    link = _clean(raw.get("url")) or _clean(raw.get("external_url"))
    summary = (
        _clean_text(raw.get("content_text"))
        or html_text(raw.get("content_html") if isinstance(raw.get("content_html"), str) else None)
        or _clean_text(raw.get("summary"))
    )
    tags: list[Any] = raw["tags"] if isinstance(raw.get("tags"), list) else []
    return FeedItem(
        link=link if link and link.lower().startswith(("http://", "https://")) else None,
        title=_clean(raw.get("title")),
        summary=summary,
        published=_date_of(stamp) or (parse_date(when) if isinstance(when, str) else None),
        timestamp=stamp,
        author=author,
        guid=_clean(str(raw["id"])) if raw.get("id") is not None else None,
        tags=tuple(t for t in (_clean(x) for x in tags) if t),
    )


def _clean_text(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", value)]
    return "\n\n".join(p for p in paragraphs if p) or None
