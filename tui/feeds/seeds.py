"""A fetched article -> `seeds/feeds/<site>/<date>-<slug>.md`, and what makes two articles the same.

The file is the one source of truth: front matter (title, date, source, url,
author, fetched_at, feed) and the article's text as its body; the dashboard's
watcher picks it up like any seed. A file is written under a hidden name and
renamed into place, so a reader never sees half an article.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import yaml

FEEDS_FOLDER = "feeds"
MAX_SLUG = 60
MIN_WORDS_FOR_TEXT_MATCH = 30  # shorter texts ("Read more.") may be shared by different articles
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Query parameters that say who sent the reader, not which article it is.
_TRACKING = re.compile(
    r"^(utm_\w+|fbclid|gclid|dclid|msclkid|yclid|mc_cid|mc_eid|igshid|_ga|_gl|ocid|cmpid|icid|ncid|"
    r"ref|ref_src|referrer|src|smid|sr_share|cid|s_cid|at_medium|at_campaign|taid|guccounter)$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class FeedArticle:
    """What is written for one feed item."""

    title: str | None
    date: str | None  # YYYY-MM-DD
    source: str | None
    url: str | None
    author: str | None
    fetched_at: str  # ISO 8601, UTC
    feed: str
    text: str
    summary_only: str | None = None  # why the page's text is not there (the feed's summary is)


def canonical_url(url: str) -> str:
    """The article's address without what varies between links to it: the
    fragment, tracking parameters, the default port, case of scheme and host."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url.strip()
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port if parts.port and (scheme, parts.port) not in (("http", 80), ("https", 443)) else None
    netloc = host + (f":{port}" if port else "")
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k))
    return urlunsplit((scheme, netloc, parts.path or "/", urlencode(query), ""))


def text_digest(text: str) -> str | None:
    """A digest of the article's words (case, punctuation and spacing aside);
    None for a text too short to tell two articles apart."""
    words = re.findall(r"\w+", text.casefold())
    if len(words) < MIN_WORDS_FOR_TEXT_MATCH:
        return None
    return hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest()[:32]


def _ascii_words(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")


def site_folder(url: str | None, fallback: str) -> str:
    host = (urlsplit(url).hostname if url else None) or urlsplit(fallback).hostname or "unknown"
    host = host.lower().removeprefix("www.")
    return re.sub(r"[^a-z0-9.-]+", "-", host).strip(".-") or "unknown"


def slug(title: str | None, url: str | None) -> str:
    words = _ascii_words(title or "")[:MAX_SLUG].rstrip("-")
    if words:
        return words
    tail = _ascii_words(urlsplit(url).path.rsplit("/", 1)[-1] if url else "")[:MAX_SLUG].rstrip("-")
    return tail or hashlib.sha1((url or title or "").encode()).hexdigest()[:10]


def _clean(text: str) -> str:
    return _CONTROL.sub(" ", text)


def render(article: FeedArticle) -> str:
    meta: dict[str, object] = {}
    for key in ("title", "date", "source", "url", "author"):
        value = getattr(article, key)
        if value:
            meta[key] = _clean(value)
    meta["fetched_at"] = article.fetched_at
    meta["feed"] = _clean(article.feed)
    if article.summary_only:
        meta["summary_only"] = _clean(article.summary_only)
    head = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=10**6)
    body = _clean(article.text).strip("\n")
    return f"---\n{head}---\n{body}\n"


def write_article(seeds_dir: Path, article: FeedArticle) -> Path:
    """Write the article under seeds/feeds/<site>/; a new name when one is taken."""
    folder = Path(seeds_dir) / FEEDS_FOLDER / site_folder(article.url, article.feed)
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"{article.date or 'undated'}-{slug(article.title, article.url)}"
    text = render(article)
    tmp = folder / f".{stem}.{os.getpid()}.tmp"
    tmp.write_text(text, encoding="utf-8")
    for n in range(1, 1000):
        target = folder / (f"{stem}.md" if n == 1 else f"{stem}-{n}.md")
        try:
            os.link(tmp, target)  # fails when the name is taken: never overwrites
        except FileExistsError:
            continue
        except OSError:  # no hard links here: take the name if it is free
            if target.exists():
                continue
            os.replace(tmp, target)
            return target
        tmp.unlink()
        return target
    tmp.unlink()
    raise OSError(f"{folder}: no free name for {stem}.md")
