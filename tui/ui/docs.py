"""What the articles screens show, computed from a Snapshot.

Plain functions, like `tui.ui.view`: every file of the seeds folder as a row
(read, off topic or skipped, and how many records came from it), everything
that came from one article, and where the article itself can be opened.
Records are read by attribute; untrusted text only ever goes into `Text`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from rich.text import Text

from tui.ui.view import KINDS, Row, clean, countdown, plain, truncate

if TYPE_CHECKING:
    from tui.extract.models import Document, Snapshot

OK, OFF_TOPIC, SKIPPED = "ok", "off topic", "skipped"
STATUS_STYLE = {OK: "green", OFF_TOPIC: "yellow", SKIPPED: "bold red"}
FORM_LABEL = {"text": "text", "markdown": "md", "html": "html", "jsonl": "jsonl"}
JSONL_SUFFIXES = (".jsonl", ".ndjson")
FEED_PREFIX = "feeds/"  # where `tui fetch` and the dashboard write what the feeds bring
KIND_HEADINGS = {"actor": "Actors", "engagement": "Engagements", "issue": "Issues", "quote": "Quotes"}

# (key, label, fixed width or 0 for flexible, flex weight, minimum width)
DOC_COLUMNS: tuple[tuple[str, str, int, int, int], ...] = (
    ("status", "Status", 9, 0, 0),
    ("date", "Date", 10, 0, 0),
    ("title", "Title", 0, 3, 12),
    ("form", "Form", 5, 0, 0),
    ("actor", "Act", 3, 0, 0),
    ("engagement", "Eng", 3, 0, 0),
    ("issue", "Iss", 3, 0, 0),
    ("quote", "Quo", 3, 0, 0),
    ("reason", "Reason", 0, 2, 10),
)
DOC_COLUMN_KEYS = tuple(c[0] for c in DOC_COLUMNS)
# Narrow tables give up these columns, in this order, before the title gets
# fewer cells than TITLE_ROOM: the preview line under the table shows both.
DROPPABLE = ("reason", "form")
TITLE_ROOM = 30
FLEXIBLE = tuple(c[0] for c in DOC_COLUMNS if not c[2])


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: int


def natural_widths(rows: Sequence[Row]) -> dict[str, int]:
    """How many cells the flexible columns' longest values need."""
    index = {key: DOC_COLUMN_KEYS.index(key) for key in FLEXIBLE}
    return {key: max((row.cells[i].cell_len for row in rows), default=0) for key, i in index.items()}


def document_columns(width: int, natural: dict[str, int] | None = None, padding: int = 1) -> list[Column]:
    """The columns that fit `width` cells: status, date and counts fixed and
    short, the title and the reason sharing the rest by what they hold.

    `natural` (from `natural_widths`) gives the flexible columns' longest
    values: a column never gets more than it needs while another is cut, and
    a reason column with nothing in it is left out."""
    spec = list(DOC_COLUMNS)
    if natural is not None and not natural.get("reason"):
        spec = [c for c in spec if c[0] != "reason"]
    enough = min(TITLE_ROOM, max(12, natural["title"])) if natural and "title" in natural else TITLE_ROOM
    for drop in (None, *DROPPABLE):
        if drop is not None:
            spec = [c for c in spec if c[0] != drop]
        widths = _share(spec, width, padding, natural)
        if widths["title"] >= enough:
            break
    return [Column(key, label, widths[key]) for key, label, *_ in spec]


def _share(
    spec: Sequence[tuple[str, str, int, int, int]], width: int, padding: int, natural: dict[str, int] | None
) -> dict[str, int]:
    widths = {c[0]: c[2] for c in spec if c[2]}
    flexible = [c for c in spec if not c[2]]
    room = max(0, width - 2 * padding * len(spec) - sum(widths.values()))
    minimum = {c[0]: c[4] for c in flexible}
    weight = {c[0]: c[3] for c in flexible}
    want = {k: max(minimum[k], (natural or {}).get(k, 10**6)) for k in minimum}
    # Water-filling: a column that needs less than its share by weight gets what
    # it needs, and what it leaves goes to the others.
    left = dict(want)
    while left:
        total = sum(weight[k] for k in left) or 1
        share = {k: room * weight[k] // total for k in left}
        content = [k for k in left if want[k] <= share[k]]
        if not content:
            for k in left:
                widths[k] = max(minimum[k], share[k])
            break
        for k in content:
            widths[k] = want[k]
            room -= want[k]
            del left[k]
    spare = width - 2 * padding * len(spec) - sum(widths.values())
    if spare > 0 and flexible:
        # What no column needs (and what rounding left) widens the last flexible column.
        widths[flexible[-1][0]] += spare
    return widths


def status_of(document: Any) -> str:
    """ok, off topic (read, but not about the relation) or skipped (not read)."""
    if document.status != "ok":
        return SKIPPED
    if document.on_topic is False:
        return OFF_TOPIC
    return OK


def reason_of(document: Any) -> str:
    """Why a file was skipped or judged off topic; for a read file, what was odd about it."""
    status = status_of(document)
    if status == SKIPPED:
        return clean(document.reason or "skipped")
    if status == OFF_TOPIC:
        return clean(document.on_topic_reason or "not about the relation")
    return clean("; ".join(getattr(document, "flags", ()) or ()))


def record_counts(snapshot: Any) -> dict[str, dict[str, int]]:
    """Document id -> kind -> how many records came from it, in one pass over the records."""
    counts: dict[str, dict[str, int]] = {}

    def add(doc_ids: Any, kind: str) -> None:
        for doc_id in set(doc_ids):
            per_doc = counts.get(doc_id)
            if per_doc is None:
                per_doc = counts[doc_id] = dict.fromkeys(KINDS, 0)
            per_doc[kind] += 1

    for actor in snapshot.actors:
        add(actor.docs, "actor")
    for engagement in snapshot.engagements:
        add((ev.doc for ev in engagement.evidence), "engagement")
    for issue in snapshot.issues:
        add(issue.docs, "issue")
    for quote in snapshot.quotes:
        add((quote.doc,), "quote")
    return counts


def sorted_documents(documents: Any) -> list[Any]:
    """Newest first, undated after dated, skipped files last; ties by id."""
    ordered = sorted(documents, key=lambda d: d.id)
    ordered.sort(key=lambda d: d.published or "", reverse=True)
    ordered.sort(key=lambda d: (status_of(d) == SKIPPED, not d.published))
    return ordered


def _count(n: int) -> Text:
    return Text(str(n), style="" if n else "dim", justify="right", no_wrap=True, overflow="ellipsis")


def document_rows(snapshot: Snapshot | None) -> list[Row]:
    """One row a file: newest first, undated after dated, skipped files last."""
    if snapshot is None:
        return []
    counts = record_counts(snapshot)
    rows: list[Row] = []
    seen: set[str] = set()
    for doc in sorted_documents(snapshot.documents):
        if doc.id in seen:  # a repeated key would end the table with DuplicateKey
            continue
        seen.add(doc.id)
        status = status_of(doc)
        reason = reason_of(doc)
        title = clean(doc.title) or clean(doc.id)
        per_doc = counts.get(doc.id, dict.fromkeys(KINDS, 0))
        if status == SKIPPED:
            numbers = tuple(Text("") for _ in KINDS)
            form = Text("—", style="dim")
        else:
            numbers = tuple(_count(per_doc[kind]) for kind in KINDS)
            form = plain("feed" if doc.id.startswith(FEED_PREFIX) else FORM_LABEL.get(doc.form, doc.form))
        cells = (
            plain(status, STATUS_STYLE[status]),
            plain(doc.published or "undated", "" if doc.published else "dim"),
            plain(title, "" if doc.title else "italic"),
            form,
            *numbers,
            plain(reason, "dim" if status == OK else STATUS_STYLE[status].replace("bold ", "")),
        )
        haystack = " ".join([status, doc.published or "", title, clean(doc.id), reason]).lower()
        signature = (status, doc.published, doc.title, reason, tuple(per_doc.values()))
        rows.append(Row(doc.id, cells, haystack, signature))
    return rows


def summary(snapshot: Snapshot | None) -> str:
    """'3 files: 1 ok, 1 off topic, 1 skipped'."""
    if snapshot is None:
        return "no picture yet"
    tally = dict.fromkeys((OK, OFF_TOPIC, SKIPPED), 0)
    seen: set[str] = set()
    for doc in snapshot.documents:
        if doc.id not in seen:  # counted as the rows are: the first of a repeated id
            seen.add(doc.id)
            tally[status_of(doc)] += 1
    total = len(seen)
    parts = ", ".join(f"{n} {status}" for status, n in tally.items() if n)
    return f"{total} file{'' if total == 1 else 's'}" + (f": {parts}" if parts else "")


def preview(snapshot: Snapshot | None, doc_id: str | None, width: int | None = None) -> Text:
    """One line under the table: the cursor row's full title, then its reason.

    Given the line's `width`, a title too long for both is cut first, so the
    reason (why a file was skipped) stays readable."""
    doc = find_document(snapshot, doc_id)
    if doc is None:
        return Text("")
    status = status_of(doc)
    title = clean(doc.title) or clean(doc.id)
    reason = reason_of(doc)
    tail = (f"{status}: {reason}" if status != OK else reason) if reason else ""
    separator = "  —  " if tail else ""
    if width is not None and len(title) + len(separator) + len(tail) > width:
        title = truncate(title, max(20, width - len(separator) - len(tail)))
    out = Text(no_wrap=True, overflow="ellipsis")
    out.append(title, style="bold")
    if tail:
        out.append(separator, style="dim")
        out.append(tail, style=STATUS_STYLE[status])
    return out


def find_document(snapshot: Snapshot | None, doc_id: str | None) -> Document | None:
    if snapshot is None or doc_id is None:
        return None
    for doc in snapshot.documents:
        if doc.id == doc_id:
            return doc
    return None


def document_contents(snapshot: Snapshot | None, doc_id: str) -> list[tuple[str, Any]]:
    """Every record that came from one article: actors (most mentioned first),
    engagements, issues, then quotes in reading order."""
    if snapshot is None:
        return []
    actors = sorted((a for a in snapshot.actors if doc_id in a.docs), key=lambda a: -a.mentions)
    engagements = [e for e in snapshot.engagements if any(ev.doc == doc_id for ev in e.evidence)]
    issues = sorted((i for i in snapshot.issues if doc_id in i.docs), key=lambda i: -i.mentions)
    quotes = sorted((q for q in snapshot.quotes if q.doc == doc_id), key=lambda q: q.start)
    return [
        *(("actor", a) for a in actors),
        *(("engagement", e) for e in engagements),
        *(("issue", i) for i in issues),
        *(("quote", q) for q in quotes),
    ]


def record_label(kind: str, record: Any) -> Text:
    """One option line for a record in an article's list."""
    out = Text(no_wrap=True, overflow="ellipsis")
    if kind == "actor":
        out.append(clean(record.name))
        role = record.role or ("" if record.kind == "person" else record.kind)
        side = record.side or "other"
        extra = ", ".join(clean(x) for x in (role, side) if x and x != record.name)
        out.append(f"  {extra}", style="dim")
    elif kind == "engagement":
        out.append(clean(record.what))
        when = countdown(record.days_until, record.when, record.granularity)
        who = ", ".join(clean(p) for p in record.participants[:3])
        out.append(f"  {when}, {clean(record.status)}" + (f", {who}" if who else ""), style="dim")
    elif kind == "issue":
        out.append(clean(record.label), style="bold")
        out.append(f"  {record.mentions} mention{'' if record.mentions == 1 else 's'}", style="dim")
    else:
        out.append(f"“{truncate(record.text, 90)}”")
        speaker = record.speaker or getattr(record, "speaker_description", None) or "unattributed"
        out.append(f"  {clean(speaker)}", style="dim")
    return out


def record_heading(kind: str, n: int) -> Text:
    return Text(f"{KIND_HEADINGS[kind]} ({n})", style="bold")


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} bytes"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} kB"
    return f"{n / (1024 * 1024):.1f} MB"


def source_path(document: Any, seeds_dir: Path | None) -> Path:
    """The file an article was read from, as an absolute path.

    A JSON Lines record (`file.jsonl#12`, `file.jsonl#own-id`) lives in the
    file before its last `#`; record ids never hold one."""
    rel = document.id
    head, sep, _tail = rel.rpartition("#")
    if sep and (document.form == "jsonl" or head.lower().endswith(JSONL_SUFFIXES)):
        rel = head
    base = Path(seeds_dir) if seeds_dir is not None else Path.cwd()
    return (base / PurePosixPath(rel)).absolute()


def web_url(document: Any) -> str | None:
    """The article's address when it is an http(s) URL, else None."""
    url = (getattr(document, "url", None) or "").strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() in ("http", "https") and parts.netloc and not any(c.isspace() for c in url):
        return url
    return None


def article_target(document: Any, seeds_dir: Path | None) -> tuple[str, str]:
    """("url", address) for an article with a web address, else ("file", absolute path)."""
    url = web_url(document)
    if url is not None:
        return ("url", url)
    return ("file", str(source_path(document, seeds_dir)))


def document_fields(document: Any, seeds_dir: Path | None) -> list[tuple[str, Text]]:
    """An article's own fields as label/value pairs."""
    status = status_of(document)
    reason = reason_of(document)
    status_text = plain(status, STATUS_STYLE[status])
    if reason and status != OK:
        status_text.append(f": {reason}")
    fields = [
        ("path", plain(source_path(document, seeds_dir), "italic")),
        ("title", plain(document.title or "—")),
        ("published", plain(document.published or "undated")),
        ("source", plain(document.source or "—")),
        ("url", plain(document.url or "—")),
        ("author", plain(document.author or "—")),
        ("status", status_text),
        ("form", plain(document.form if status != SKIPPED else "—")),
        ("flags", plain("; ".join(document.flags) or "—")),
        ("size", plain(_size(document.size))),
    ]
    if "#" in document.id:  # one record of a JSON Lines file
        fields.insert(1, ("record", plain(document.id)))
    return fields


def heading(document: Any) -> Text:
    """The article's title line."""
    out = Text(no_wrap=True, overflow="ellipsis")
    out.append("Article  ", style="bold")
    out.append(clean(document.title) or clean(document.id))
    if document.published:
        out.append(f"  {document.published}", style="dim")
    return out



def feed_lines(health: Sequence[Any]) -> Text:
    """The feeds' health for the articles screen: one line a feed, a failing one marked."""
    from tui.feeds import health_line

    out = Text(no_wrap=True, overflow="ellipsis")
    for i, feed in enumerate(health):
        failing, line = health_line(feed)
        if i:
            out.append("\n")
        out.append("✖ " if failing else "✓ ", style="bold red" if failing else "green")
        out.append(clean(line), style="yellow" if failing else "")
    return out
