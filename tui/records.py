"""JSON Lines exports -> one document a line.

News databases export one JSON object a line. The usual field names are
recognised (first found wins); a line that is not an article is listed as
skipped with its line number, and the other lines are read.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from tui.corpus import (
    MAX_BYTES,
    MAX_CHARS,
    Article,
    Document,
    _decode,
    _skip,
    parse_date,
    strip_controls,
)

TEXT_FIELDS = ("text", "body", "content", "article", "full_text", "fulltext", "story")
TITLE_FIELDS = ("title", "headline", "heading")
DATE_FIELDS = ("date", "published", "publishedAt", "published_at", "pubDate", "publication_date", "datetime")
URL_FIELDS = ("url", "link", "canonical_url")
SOURCE_FIELDS = ("source", "site", "publisher", "outlet", "source_name")
AUTHOR_FIELDS = ("author", "byline", "authors")
ID_FIELDS = ("id", "_id", "doc_id", "uuid")
_ID_CHARS = re.compile(r"[^\w.:@+-]")
MAX_ID = 80


def _first(record: dict, fields: tuple[str, ...]) -> object:
    for name in fields:
        if name in record and record[name] is not None:
            return record[name]
    return None


def _plain(value: object) -> str | None:
    """A field as one line of text: strings, numbers, a {"name": ...} or a list of names."""
    if isinstance(value, dict):
        value = value.get("name") or value.get("title")
    if isinstance(value, list):
        names = [_plain(v) for v in value[:10]]
        value = ", ".join(n for n in names if n) or None
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float | str):
        return " ".join(strip_controls(str(value)).split())[:500] or None
    return None


def _record_id(record: dict) -> str | None:
    value = _first(record, ID_FIELDS)
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    cleaned = _ID_CHARS.sub("_", str(value).strip())[:MAX_ID]
    return cleaned or None


def read_records(raw: bytes, path: Path, file_id: str) -> list[Article | Document]:
    """One Article or skipped Document for every non-blank line of the file."""
    text, flags = _decode(raw)
    out: list[Article | Document] = []
    used: set[str] = set()
    # Records end at "\n" only: str.splitlines() would also break at U+2028
    # and other separators that JSON strings may hold.
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        line_id = f"{file_id}#{number}"
        result = _read_line(line, number, path, file_id, line_id, used, flags)
        out.append(result)
        used.add(result.id)
    if not out:
        out.append(_skip(file_id, "JSON Lines file with no records", len(raw)))
    return out


def _read_line(
    line: str, number: int, path: Path, file_id: str, line_id: str, used: set[str], file_flags: list[str]
) -> Article | Document:
    size = len(line.encode("utf-8", errors="replace"))
    if size > MAX_BYTES:
        return _skip(line_id, f"line {number}: too large ({size:,} bytes; limit {MAX_BYTES:,})", size)
    try:
        record = json.loads(line)
    except RecursionError:
        return _skip(line_id, f"line {number}: JSON nested too deeply", size)
    except ValueError as exc:
        message = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
        return _skip(line_id, f"line {number}: not valid JSON ({message[:60]})", size)
    if not isinstance(record, dict):
        return _skip(line_id, f"line {number}: not a JSON object", size)
    body = _first(record, TEXT_FIELDS)
    if not isinstance(body, str):
        found = "not a string" if body is not None else "missing"
        return _skip(line_id, f"line {number}: no article text ({'/'.join(TEXT_FIELDS[:3])} {found})", size)
    body = strip_controls(body)
    if not body.strip():
        return _skip(line_id, f"line {number}: empty article text", size)
    if len(body) > MAX_CHARS:
        return _skip(line_id, f"line {number}: too long ({len(body):,} characters; limit {MAX_CHARS:,})", size)
    flags = list(file_flags)
    own = _record_id(record)
    doc_id = line_id
    if own is not None:
        candidate = f"{file_id}#{own}"
        if candidate in used:
            flags.append(f"id {own!r} repeats an earlier line; listed by line number")
        else:
            doc_id = candidate
    raw_date = _first(record, DATE_FIELDS)
    published = parse_date(raw_date)
    if raw_date is not None and published is None:
        flags.append(f"date {str(raw_date)[:40]!r} not understood; ignored")
    doc = Document(
        id=doc_id,
        title=_plain(_first(record, TITLE_FIELDS)),
        published=published,
        status="ok",
        reason=None,
        source=_plain(_first(record, SOURCE_FIELDS)),
        url=_plain(_first(record, URL_FIELDS)),
        content_hash=hashlib.sha256(line.encode("utf-8", errors="replace")).hexdigest()[:20],
        flags=tuple(flags),
        size=size,
        author=_plain(_first(record, AUTHOR_FIELDS)),
        form="jsonl",
    )
    return Article(document=doc, body=body, path=path, form="jsonl")
