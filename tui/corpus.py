"""Seeds folder -> documents.

A seed is one article: `.txt` or `.md`, optionally with a YAML front matter
block (`title`, `date`, `source`, `url`). The publication date comes from the
front matter, else from a `YYYY-MM-DD` prefix of the file name, else it stays
unknown. It is never guessed from the file's modification time.

Every file under the folder is accounted for: it is either read (`ok`) or
listed as `skipped` with a reason. Nothing is dropped silently.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timezone
from email.utils import parsedate_to_datetime
from functools import cached_property
from pathlib import Path

import yaml

from tui.extract.models import Document
from tui.layout import Layout, analyse

MAX_BYTES = 2 * 1024 * 1024
# spaCy refuses texts over 1,000,000 characters, and extraction time grows
# faster than the length (measured: 100k characters 8 s, 200k 20 s, 990k 4 min
# and 3 GB): longer bodies are skipped with a reason rather than stalling.
MAX_CHARS = 200_000
_FORMS = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}
ARTICLE_SUFFIXES = set(_FORMS)
# A JSON Lines export holds many articles: a larger file, each line within MAX_BYTES.
MAX_JSONL_BYTES = 256 * 1024 * 1024
MAX_DEPTH = 32

# C0 and C1 control characters except tab, newline and carriage return (line
# ends of CRLF and old Mac files, which the layout analysis reads).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?\r?\n)?---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_DATE_PREFIX = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


@dataclass(frozen=True)
class Article:
    """A document that was read, with its body text (offsets count into it)."""

    document: Document
    body: str
    path: Path | None  # None for text that never was a file (tests, scripts)
    form: str = "text"  # text | markdown | html | jsonl

    @property
    def id(self) -> str:
        return self.document.id

    @cached_property
    def layout(self) -> Layout:
        """Paragraphs and the text the extractors read; worked out once, when first asked."""
        return analyse(self.body, markdown=self.form == "markdown")


def strip_controls(text: str) -> str:
    """Blank out C0/C1 control characters but newline, carriage return and tab.

    Each becomes a space rather than vanishing, so character offsets into the
    body stay those of the file as read.
    """
    return _CONTROL.sub(" ", text)


def _skip(doc_id: str, reason: str, size: int = 0) -> Document:
    return Document(id=doc_id, title=None, published=None, status="skipped", reason=reason, size=size)


def _looks_binary(raw: bytes) -> bool:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False  # UTF-16 with BOM is text; decoded below
    sample = raw[:8192]
    if b"\x00" in sample:
        # A NUL or two in a text file is noise; many is a binary file.
        return sample.count(b"\x00") > max(2, len(sample) // 100)
    return False


def _decode(raw: bytes) -> tuple[str, list[str]]:
    flags: list[str] = []
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = raw.decode("utf-16", errors="replace")
        flags.append("decoded as UTF-16")
    else:
        if raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("utf-8", errors="replace")
            flags.append("invalid UTF-8 bytes replaced")
    cleaned = strip_controls(text)
    if _CONTROL.search(text):
        flags.append("control characters blanked")
    return cleaned, flags


def _parse_date(value: object) -> str | None:
    """A publication date as YYYY-MM-DD: ISO dates and times, e-mail and feed
    dates ("Sun, 18 Jun 2023 09:00:00 GMT"), Unix times in seconds or milliseconds."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        seconds = value / 1000 if value > 10**11 else value
        try:
            return datetime.fromtimestamp(seconds, tz=timezone.utc).date().isoformat()
        except (OverflowError, OSError, ValueError):
            return None
    if isinstance(value, str):
        m = re.match(r"\s*(\d{4}-\d{2}-\d{2})", value)
        if m:
            try:
                return date.fromisoformat(m.group(1)).isoformat()
            except ValueError:
                return None
        if len(value) < 64 and re.search(r"\d{4}", value):
            try:
                return parsedate_to_datetime(value.strip()).date().isoformat()
            except (TypeError, ValueError, IndexError, OverflowError):
                return None
    return None


parse_date = _parse_date


def _date_from_name(name: str) -> str | None:
    m = _DATE_PREFIX.match(name)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
    except ValueError:
        return None


# libyaml's safe loader where PyYAML was built with it: front matter of a
# thousand articles parses in a tenth of the time.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SCALARS = (str, int, float, bool, date, datetime)
_USED_KEYS = ("title", "date", "source", "url", "author")


def split_front_matter(text: str) -> tuple[dict, str, list[str]]:
    """Return (front matter, body, flags). A broken block stays in the body, flagged."""
    m = _FRONT_MATTER.match(text)
    if not m:
        return {}, text, []
    block = m.group(1) or ""
    try:
        data = yaml.load(block, Loader=_SAFE_LOADER)  # noqa: S506 - a safe loader
    except yaml.YAMLError:
        return {}, text[m.end() :], ["front matter is not valid YAML; ignored"]
    except RecursionError:
        return {}, text[m.end() :], ["front matter is nested too deeply; ignored"]
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return {}, text[m.end() :], ["front matter is not a mapping; ignored"]
    # Only plain values are kept: a list or mapping (perhaps built from nested
    # YAML aliases that expand to billions of items) is never turned into text.
    flags = [
        f"front matter '{key}' is not a plain value; ignored"
        for key, value in data.items()
        if key in _USED_KEYS and not isinstance(value, _SCALARS)
    ]
    meta = {key: value for key, value in data.items() if isinstance(value, _SCALARS)}
    return meta, text[m.end() :], flags


def _text_field(meta: dict, key: str) -> str | None:
    value = meta.get(key)
    if value is None:
        return None
    return " ".join(strip_controls(str(value)).split()) or None


def _read_bytes(path: Path, doc_id: str, limit: int) -> bytes | Document:
    """The file's bytes, or a skipped Document saying why they cannot be had."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return _skip(doc_id, "file vanished while being read")
    except OSError as exc:
        return _skip(doc_id, f"cannot read: {exc.strerror or exc}")
    if not stat.S_ISREG(st.st_mode):
        return _skip(doc_id, "not a regular file")
    if st.st_size > limit:
        return _skip(doc_id, f"too large ({st.st_size:,} bytes; limit {limit:,})", st.st_size)
    for attempt in range(2):
        try:
            with path.open("rb") as fh:
                raw = fh.read(limit + 1)
        except FileNotFoundError:
            return _skip(doc_id, "file vanished while being read")
        except PermissionError:
            return _skip(doc_id, "permission denied")
        except OSError as exc:
            return _skip(doc_id, f"cannot read: {exc.strerror or exc}")
        if len(raw) == st.st_size or len(raw) > limit:
            break
        # Truncated or written to while we read: look again once, then give up
        # for now (the watcher sees the write finish and reads it again).
        try:
            st = path.stat()
        except OSError:
            return _skip(doc_id, "file vanished while being read")
        if attempt:
            return _skip(doc_id, "file changed while being read; read again on its next change")
    if len(raw) > limit:
        return _skip(doc_id, f"too large (over {limit:,} bytes)", len(raw))
    if not raw.strip():
        return _skip(doc_id, "empty file", len(raw))
    if _looks_binary(raw):
        return _skip(doc_id, "binary file, not text", len(raw))
    return raw


def form_of(name: str) -> str:
    """What a seed's suffix says it is: text, markdown, html or jsonl."""
    return _FORMS.get(Path(name).suffix.lower(), "text")


def read_article(path: Path, doc_id: str) -> Article | Document:
    """Read one single-article seed (text, Markdown or HTML).

    Returns an Article, or a skipped Document with a reason.
    """
    raw = _read_bytes(path, doc_id, MAX_BYTES)
    if isinstance(raw, Document):
        return raw
    form = form_of(path.name)
    text, flags = _decode(raw)
    meta, body, fm_flags = split_front_matter(text)
    flags += fm_flags
    if form == "html":
        from tui.webpage import read_page

        page = read_page(body)
        if isinstance(page, str):
            return _skip(doc_id, page, len(raw))
        body = strip_controls(page.text)
        # The page's own metadata, where the front matter does not say.
        for key, value in (
            ("title", page.title),
            ("date", page.date),
            ("source", page.site),
            ("url", page.url),
            ("author", page.author),
        ):
            if meta.get(key) is None and value:
                meta[key] = value
    if not body.strip():
        return _skip(doc_id, "no article text after the front matter", len(raw))
    if len(body) > MAX_CHARS:
        return _skip(doc_id, f"too long ({len(body):,} characters; limit {MAX_CHARS:,})", len(raw))
    summary_only = _text_field(meta, "summary_only")
    if summary_only:  # written by `tui fetch` when the article page could not be read
        flags.append(f"the feed's summary only ({summary_only})")
    published = _parse_date(meta.get("date")) or _date_from_name(path.name)
    if meta.get("date") is not None and _parse_date(meta.get("date")) is None:
        flags.append(f"front matter date {str(meta.get('date'))[:40]!r} is not YYYY-MM-DD; ignored")
    doc = Document(
        id=doc_id,
        title=_text_field(meta, "title"),
        published=published,
        status="ok",
        reason=None,
        source=_text_field(meta, "source"),
        url=_text_field(meta, "url"),
        content_hash=hashlib.sha256(raw).hexdigest()[:20],
        flags=tuple(flags),
        size=len(raw),
        author=_text_field(meta, "author"),
        form=form,
    )
    return Article(document=doc, body=body, path=path, form=form)


def read_seed(path: Path, doc_id: str) -> list[Article | Document]:
    """Every document one seed file holds: one, or one a line for JSON Lines."""
    if form_of(path.name) == "jsonl":
        from tui.records import read_records

        raw = _read_bytes(path, doc_id, MAX_JSONL_BYTES)
        if isinstance(raw, Document):
            return [raw]
        return read_records(raw, path, doc_id)
    return [read_article(path, doc_id)]


def is_article_name(name: str) -> bool:
    return os.path.splitext(name)[1].lower() in ARTICLE_SUFFIXES and not name.startswith(".")


def _printable(name: str) -> str:
    """A file name as shown: bytes that are not UTF-8 and control characters
    (a newline, ESC) written as escapes, so an id is one line of plain text."""
    if name.isascii() and name.isprintable():
        return name
    shown = os.fsencode(name).decode("utf-8", errors="backslashreplace")
    return _UNPRINTABLE_NAME.sub(lambda m: repr(m.group())[1:-1], shown)


_UNPRINTABLE_NAME = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


Stamp = tuple[int, int]  # (size, modification time in ns) of a file as listed


def scan_seeds(folder: Path) -> list[tuple[str, str | None, str | None, Stamp]]:
    """List every file under `folder`: (doc id, path, skip reason or None, stamp).

    Hidden files and folders, editor backups and files with another suffix
    are listed as skipped with a reason, so the count adds up. Ids are the
    relative path with unprintable characters escaped. Each readable file is
    looked at once (its size and modification time), nothing is read.
    Symlink loops and unreadable folders are reported, never followed forever.
    """
    found: list[tuple[str, str | None, str | None, Stamp]] = []
    none: Stamp = (0, 0)
    seen_dirs: set[tuple[int, int]] = set()

    def walk(directory: str, rel: str, depth: int) -> None:
        try:
            st = os.stat(directory)
        except OSError as exc:
            found.append((rel or ".", None, f"cannot open folder: {exc.strerror or exc}", none))
            return
        key = (st.st_dev, st.st_ino)
        if key in seen_dirs:
            found.append((rel, None, "folder link loops back to a folder already read", none))
            return
        seen_dirs.add(key)
        if depth > MAX_DEPTH:
            found.append((rel, None, f"nested deeper than {MAX_DEPTH} folders", none))
            return
        try:
            with os.scandir(directory) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except PermissionError:
            found.append((rel or ".", None, "cannot open folder: permission denied", none))
            return
        except OSError as exc:
            found.append((rel or ".", None, f"cannot open folder: {exc.strerror or exc}", none))
            return
        for entry in entries:
            name = entry.name
            child_rel = f"{rel}/{_printable(name)}" if rel else _printable(name)
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if name.startswith("."):
                what = "hidden folder" if is_dir else "hidden file"
                found.append((child_rel, None, f"{what}, not read", none))
                continue
            if is_dir:
                walk(entry.path, child_rel, depth + 1)
                continue
            found.append(_file_entry(name, entry.path, child_rel, entry.stat))

    walk(str(folder), "", 0)
    return found


def _file_entry(
    name: str, path: str, rel: str, stat_of: Callable[[], os.stat_result]
) -> tuple[str, str | None, str | None, Stamp]:
    """The listing line of a file that is not hidden: an article with its stamp, or why not."""
    none: Stamp = (0, 0)
    if name.endswith("~"):
        return (rel, None, "editor backup file, not an article", none)
    try:
        st = stat_of()  # follows a link: a broken or looping one fails here
    except OSError:
        return (rel, None, "broken or looping link", none)
    if not is_article_name(name):
        return (rel, None, "not an article (.txt, .md, .html or .jsonl)", none)
    return (rel, path, None, (st.st_size, st.st_mtime_ns))


# One line of a seeds folder's listing: (doc id, path, skip reason, stamp).
Listing = tuple[tuple[str, "str | None", "str | None", Stamp], ...]


@dataclass(frozen=True)
class Corpus:
    articles: tuple[Article, ...]
    documents: tuple[Document, ...]  # every file, read or skipped, sorted by id
    listing: Listing = ()  # the folder as listed when it was read


# What a file was read as, by path: (size, modification time, id, results).
RACY_NS = 2_000_000_000
ReadMemo = dict[str, tuple[int, int, str, "list[Article | Document]"]]


def load_corpus(folder: Path, memo: ReadMemo | None = None, listing: Listing | None = None) -> Corpus:
    """Read every seed under `folder`. Raises FileNotFoundError if it is missing.

    With a `memo` (kept by the caller between reloads), a file whose size and
    modification time are unchanged is not read again. `listing`: the folder's
    listing when the caller has it already (the engine keeps it: tui/listing.py), else it is scanned.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder}: seeds folder not found")
    articles: list[Article] = []
    documents: list[Document] = []
    seen: set[str] = set()
    if listing is None:
        listing = tuple(scan_seeds(folder))
    now = time.time_ns()
    for doc_id, path, reason, stamp in listing:
        if path is None:
            documents.append(_skip(doc_id, reason or "skipped"))
            continue
        results = _read_memoised(path, doc_id, stamp, memo, now)
        seen.add(path)
        for result in results:
            if isinstance(result, Article):
                articles.append(result)
                documents.append(result.document)
            else:
                documents.append(result)
    if memo is not None:
        for gone in set(memo) - seen:
            del memo[gone]
    return Corpus(articles=tuple(articles), documents=tuple(documents), listing=listing)


def _read_memoised(
    path: str, doc_id: str, stamp: Stamp, memo: ReadMemo | None, now: int
) -> list[Article | Document]:
    if memo is None:
        return read_seed(Path(path), doc_id)
    hit = memo.get(path)
    # A file changed within the clock's resolution of the last read could keep
    # its size and time: recent files are always read again (as git does).
    settled = now - stamp[1] > RACY_NS
    if settled and hit is not None and hit[:3] == (*stamp, doc_id):
        return hit[3]
    results = read_seed(Path(path), doc_id)
    memo[path] = (*stamp, doc_id, results)
    return results


def with_status(doc: Document, status: str, reason: str | None) -> Document:
    return replace(doc, status=status, reason=reason)
