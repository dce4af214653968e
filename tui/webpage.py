"""A saved web page -> its main text and metadata, with trafilatura.

Navigation, adverts, related links and comments are left out; the text that
remains is the article's body, the one evidence and offsets refer to. The
headline, kept as the page's title, is not repeated at the top of the body.
trafilatura is imported only when a page is read.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

# Pages are parsed by libxml2 through lxml; a pathological page must cost a
# bounded amount of work. trafilatura prunes trees larger than this.
MAX_TREE_SIZE = 200_000
MIN_WORDS = 4


@dataclass(frozen=True)
class Page:
    text: str
    title: str | None
    date: str | None  # YYYY-MM-DD
    author: str | None
    site: str | None
    url: str | None


def _quiet() -> None:
    # trafilatura and htmldate log what they discard; on a dashboard that
    # would write over the screen.
    for name in ("trafilatura", "htmldate", "courlan", "justext", "charset_normalizer"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


_SETTINGS = None


def _settings():
    """trafilatura's settings with a bound on the tree size, built once."""
    global _SETTINGS
    if _SETTINGS is None:
        from trafilatura.settings import use_config

        settings = use_config()
        settings.set("DEFAULT", "MAX_TREE_SIZE", str(MAX_TREE_SIZE))
        settings.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")  # signals work only in the main thread
        _SETTINGS = settings
    return _SETTINGS


def read_page(html: str) -> Page | str:
    """The page's main text and metadata, or why there is none."""
    try:
        import trafilatura
    except ImportError:  # pragma: no cover - a pinned dependency
        return "HTML page, but trafilatura is not installed"
    _quiet()
    if "<" not in html:
        return "not an HTML page (no tags)"
    try:
        result = trafilatura.bare_extraction(
            html,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
            deduplicate=False,
            config=_settings(),
            date_extraction_params={
                "original_date": True,
                "extensive_search": True,
                "min_date": "1900-01-01",
                "max_date": date.today().isoformat(),
            },
        )
    except RecursionError:
        return "HTML page nested too deeply to read"
    except Exception as exc:  # a page that breaks the reader is one skipped file
        return f"HTML page could not be read ({type(exc).__name__})"
    if result is None:
        return "HTML page with no article text"
    data = result.as_dict() if hasattr(result, "as_dict") else dict(result)
    text = data.get("text") or ""
    if not isinstance(text, str) or not text.strip():
        return "HTML page with no article text"
    title = _clean(data.get("title"))
    text = _without_headline(text, title)
    words = len(text.split())
    if words < MIN_WORDS:
        # What is left of a page of links ("Home") is not an article.
        return "HTML page with no article text" + (f" (only {words} words found)" if words else "")
    return Page(
        text=text,
        title=title,
        date=_clean(data.get("date")),
        author=_clean(data.get("author")),
        site=_clean(data.get("sitename")) or _clean(data.get("hostname")),
        url=_clean(data.get("url")),
    )


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    return " ".join(value.split()) or None


def _without_headline(text: str, title: str | None) -> str:
    """The body without a first line that only repeats the title."""
    if not title:
        return text
    first, sep, rest = text.partition("\n")
    if sep and " ".join(first.split()).casefold() == title.casefold():
        return rest
    return text
