"""What the panes and the detail screen show, computed from a Snapshot.

Plain functions from records to rows and rich `Text`, so they can be tested
without an app. Every piece of untrusted text (article text, titles, names,
config strings) goes into a `Text` object, never through markup. Records are
read by attribute only: importing `tui.extract.models` would pull in spaCy
before the first paint.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rich.text import Text

from tui.layout import prose, prose_offset

KINDS = ("actor", "engagement", "issue", "quote")
PANE_TITLES = {
    "actor": "Actors",
    "engagement": "Upcoming engagements",
    "issue": "Disputed issues",
    "quote": "Recent quotes",
}
FRESH_MARK = "●"
QUOTE_WIDTH = 70

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def clean(value: object, *, one_line: bool = True) -> str:
    """Untrusted text made safe to put on a terminal: no control codes."""
    text = "" if value is None else str(value)
    if one_line:
        text = " ".join(_CONTROL.sub(" ", text).split())
    else:
        text = _CONTROL.sub(" ", text.replace("\r\n", "\n").replace("\t", "    "))
    return text


def plain(value: object, style: str = "") -> Text:
    return Text(clean(value), style=style, no_wrap=True, overflow="ellipsis")


def truncate(value: object, width: int) -> str:
    text = clean(value)
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


@dataclass(frozen=True)
class ViewContext:
    """What the panes need besides the snapshot."""

    colors: Mapping[str, str | None] = field(default_factory=dict)  # party -> hex colour
    show_past: bool = False


def side_style(side: str | None, ctx: ViewContext) -> str:
    color = ctx.colors.get(side or "") if side else None
    return f"bold {color}" if color else ""


def side_text(side: str | None, ctx: ViewContext) -> Text:
    if not side:
        return Text("other", style="dim")
    return plain(side, side_style(side, ctx))


def countdown(days_until: int | None, when: str | None, granularity: str | None) -> str:
    """'today', 'in 2 days', '3 days ago', 'Sep 2023' or '2024', from the as-of date."""
    if when is None:
        return "date unknown"
    if granularity == "year" or (granularity is None and len(when) == 4):
        return when[:4]
    if granularity == "month" or (granularity is None and len(when) == 7):
        try:
            return f"{_MONTHS[int(when[5:7]) - 1]} {when[:4]}"
        except (ValueError, IndexError):
            return when
    if granularity == "week":
        try:
            d = date.fromisoformat(when)
        except ValueError:
            return when
        if days_until is not None and -7 < days_until <= 0:
            return "this week"
        if days_until is not None and 0 < days_until <= 7:
            return "next week"
        return f"week of {d.day} {_MONTHS[d.month - 1]}"
    if days_until is None:
        return when
    if days_until == 0:
        return "today"
    if days_until == 1:
        return "tomorrow"
    if days_until == -1:
        return "yesterday"
    if 0 < days_until < 60:
        return f"in {days_until} days"
    if -60 < days_until < 0:
        return f"{-days_until} days ago"
    try:
        d = date.fromisoformat(when)
    except ValueError:
        return when
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


STATUS_STYLE = {
    "planned": "bold green",
    "tentative": "yellow",
    "postponed": "bold magenta",
    "cancelled": "strike red",
    "past": "dim",
}


@dataclass(frozen=True)
class Row:
    key: str
    cells: tuple[Text, ...]
    haystack: str  # lower-case text the filter searches
    signature: tuple[Any, ...]  # what makes a row "changed"


# (key, label, fixed width or 0 for flexible, flex weight, minimum width)
COLUMNS: dict[str, tuple[tuple[str, str, int, int, int], ...]] = {
    "actor": (
        ("name", "Name", 0, 3, 12),
        ("role", "Role", 0, 2, 8),
        ("side", "Side", 0, 2, 6),
        ("mentions", "#", 3, 0, 0),
    ),
    "engagement": (
        ("countdown", "When", 12, 0, 0),
        ("status", "Status", 9, 0, 0),
        ("who", "Who", 0, 2, 10),
        ("what", "What", 0, 2, 8),
        ("where", "Where", 0, 1, 6),
    ),
    "issue": (
        ("label", "Issue", 0, 3, 12),
        ("mentions", "#", 3, 0, 0),
        ("raised", "Raised by", 0, 3, 10),
    ),
    "quote": (
        ("date", "Date", 10, 0, 0),
        ("speaker", "Speaker", 0, 2, 10),
        ("side", "Side", 0, 1, 6),
        ("text", "Quote", 0, 8, 16),
    ),
}


def column_widths(kind: str, width: int, padding: int = 1) -> dict[str, int]:
    """Share `width` cells between the columns: fixed ones first, the rest by weight."""
    spec = COLUMNS[kind]
    room = width - 2 * padding * len(spec)
    fixed = sum(c[2] for c in spec)
    flexible = [c for c in spec if not c[2]]
    extra = max(0, room - fixed - sum(c[4] for c in flexible))  # beyond the minimums
    weights = sum(c[3] for c in flexible) or 1
    widths = {c[0]: c[2] for c in spec if c[2]}
    for key, _label, _w, weight, minimum in flexible:
        widths[key] = minimum + extra * weight // weights
    return widths


def _number(n: int) -> Text:
    return Text(str(n), justify="right")


def _names(names: Iterable[str], limit: int = 3) -> str:
    names = [clean(n) for n in names]
    shown = ", ".join(names[:limit])
    return shown + (f" +{len(names) - limit}" if len(names) > limit else "")


def speaker_side(quote: Any, snapshot: Any) -> str | None:
    if quote.side:
        return quote.side
    for actor in snapshot.actors:
        if actor.name == quote.speaker:
            return actor.side
    return None


def visible_engagements(snapshot: Any, show_past: bool) -> list[Any]:
    """Upcoming first, soonest first; past ones (on the toggle) after, newest first."""
    upcoming = [e for e in snapshot.engagements if e.upcoming]
    past = [e for e in snapshot.engagements if not e.upcoming]
    upcoming.sort(key=lambda e: (_sort_day(e, snapshot.as_of), e.when or ""))
    past.sort(key=lambda e: e.when or "", reverse=True)
    return upcoming + (past if show_past else [])


def _sort_day(e: Any, as_of: str | None) -> int:
    """Days from the as-of date to where an upcoming engagement sorts: a day
    or a range at its first day; a week, a month or a year (known only that
    far) at its last day, so "in June" never comes before tomorrow; undated last."""
    far = 10**6
    if not e.when:
        return far
    coarse = getattr(e, "granularity", None) in ("week", "month", "year") or len(e.when) in (4, 7)
    if not coarse or as_of is None:
        return e.days_until if e.days_until is not None else far
    try:
        start = date.fromisoformat(as_of)
        end = getattr(e, "when_end", None)
        if end:
            last = date.fromisoformat(end)
        elif len(e.when) == 4:
            last = date(int(e.when), 12, 31)
        elif len(e.when) == 7:
            y, m = int(e.when[:4]), int(e.when[5:7])
            last = date(y, m, calendar.monthrange(y, m)[1])
        else:
            return e.days_until if e.days_until is not None else far
    except ValueError:
        return far
    return (last - start).days


def sorted_quotes(snapshot: Any) -> list[Any]:
    """Newest first; undated last; within an article in reading order."""
    quotes = list(snapshot.quotes)
    quotes.sort(key=lambda q: q.start)
    quotes.sort(key=lambda q: q.published or "", reverse=True)
    return quotes


def rows_for(kind: str, snapshot: Any, ctx: ViewContext) -> list[Row]:
    if snapshot is None:
        return []
    rows: list[Row] = []
    if kind == "actor":
        for a in sorted(snapshot.actors, key=lambda a: -a.mentions):
            role = a.role or ("" if a.kind == "person" else a.kind)
            cells = (
                plain(a.name, side_style(a.side, ctx)),
                plain(role),
                side_text(a.side, ctx),
                _number(a.mentions),
            )
            hay = " ".join([a.name, role, a.side or "other", *a.aliases]).lower()
            rows.append(Row(a.id, cells, hay, (a.name, a.role, a.side, a.mentions, a.docs)))
    elif kind == "engagement":
        for e in visible_engagements(snapshot, ctx.show_past):
            status = e.status if e.upcoming or e.status != "planned" else "past"
            when = countdown(e.days_until, e.when, e.granularity)
            cells = (
                plain(when, "" if e.upcoming else "dim"),
                plain(status, STATUS_STYLE.get(status, "")),
                plain(_names(e.participants)),
                plain(e.what),
                plain(e.where or ""),
            )
            hay = " ".join(
                [when, status, e.what, e.where or "", e.when or "", *e.participants]
            ).lower()
            rows.append(Row(e.id, cells, hay, (e.what, e.where, e.when, e.status, e.participants)))
    elif kind == "issue":
        for i in sorted(snapshot.issues, key=lambda i: -i.mentions):
            cells = (plain(i.label, "bold"), _number(i.mentions), plain(_names(i.actors, limit=4)))
            hay = " ".join([i.label, *i.actors]).lower()
            rows.append(Row(i.id, cells, hay, (i.label, i.mentions, i.actors, i.docs)))
    elif kind == "quote":
        for q in sorted_quotes(snapshot):
            side = speaker_side(q, snapshot)
            described = getattr(q, "speaker_description", None)
            cells = (
                plain(q.published or "undated", "dim"),
                plain(
                    q.speaker or (f"({described})" if described else "unattributed"),
                    side_style(side, ctx) if q.speaker else "italic dim",
                ),
                side_text(side, ctx),
                plain(truncate(q.text, QUOTE_WIDTH)),
            )
            hay = " ".join([q.text, q.speaker or described or "", side or "", q.doc]).lower()
            rows.append(Row(q.id, cells, hay, (q.text, q.speaker, side, q.published)))
    return rows


def find_record(kind: str, record_id: str, snapshot: Any) -> Any | None:
    if snapshot is None:
        return None
    records = {
        "actor": snapshot.actors,
        "engagement": snapshot.engagements,
        "issue": snapshot.issues,
        "quote": snapshot.quotes,
    }[kind]
    for record in records:
        if record.id == record_id:
            return record
    return None


def record_title(kind: str, record: Any) -> str:
    if kind == "actor":
        return clean(record.name)
    if kind == "engagement":
        return clean(record.what)
    if kind == "issue":
        return clean(record.label)
    return f"“{truncate(record.text, 60)}”"


def evidence_of(kind: str, record: Any) -> list[Any]:
    if kind == "quote":
        return [record.evidence]
    return list(record.evidence)


def highlight(evidence: Any) -> Text:
    """The evidence sentence with its matched words highlighted."""
    raw = _CONTROL.sub(" ", str(evidence.sentence or ""))  # same length: offsets still fit
    # Evidence reads as prose: line breaks and indentation runs become one space,
    # and the matched words' offsets move with them.
    sentence = prose(raw)
    text = Text(sentence)
    lo = prose_offset(raw, max(0, evidence.start - evidence.sent_start))
    hi = min(len(sentence), prose_offset(raw, max(0, evidence.end - evidence.sent_start)))
    if 0 <= lo < hi:
        text.stylize("bold reverse", lo, hi)
    return text


@dataclass(frozen=True)
class Link:
    kind: str
    id: str
    label: Text


def links_of(kind: str, record: Any, snapshot: Any, ctx: ViewContext) -> list[Link]:
    """Records related to this one: an actor's quotes, issues and engagements, and back."""
    links: list[Link] = []
    actors_by_name = {a.name: a for a in snapshot.actors}

    def actor_link(name: str) -> None:
        actor = actors_by_name.get(name)
        if actor is not None:
            # no party colour here: it would vanish under the highlighted option's background
            label = Text.assemble(
                ("actor  ", "dim"), clean(actor.name), (f"  {clean(actor.side or 'other')}", "dim")
            )
            links.append(Link("actor", actor.id, label))

    if kind == "actor":
        name = record.name
        for q in sorted_quotes(snapshot):
            if q.speaker == name:
                links.append(
                    Link(
                        "quote",
                        q.id,
                        Text.assemble(("quote  ", "dim"), f"“{truncate(q.text, 80)}”"),
                    )
                )
        for i in snapshot.issues:
            if name in i.actors:
                links.append(
                    Link("issue", i.id, Text.assemble(("issue  ", "dim"), (clean(i.label), "bold")))
                )
        for e in snapshot.engagements:
            if name in e.participants:
                when = countdown(e.days_until, e.when, e.granularity)
                links.append(
                    Link(
                        "engagement",
                        e.id,
                        Text.assemble(("engagement  ", "dim"), clean(e.what), f" ({when})"),
                    )
                )
    elif kind == "quote":
        if record.speaker:
            actor_link(record.speaker)
    elif kind == "issue":
        for name in record.actors:
            actor_link(name)
    elif kind == "engagement":
        for name in record.participants:
            actor_link(name)
    return links


def record_fields(
    kind: str, record: Any, snapshot: Any, ctx: ViewContext
) -> list[tuple[str, Text]]:
    """The full record as label/value pairs."""
    f: list[tuple[str, Text]] = []
    if kind == "actor":
        f += [
            ("name", plain(record.name, side_style(record.side, ctx))),
            ("kind", plain(record.kind)),
            ("role", plain(record.role or "—")),
            ("side", side_text(record.side, ctx)),
            ("aliases", plain(", ".join(record.aliases) or "—")),
            ("mentions", plain(record.mentions)),
            ("articles", plain(", ".join(record.docs))),
        ]
    elif kind == "engagement":
        f += [
            ("what", plain(record.what)),
            ("who", plain(", ".join(record.participants) or "—")),
            ("where", plain(record.where or "—")),
            (
                "when",
                plain(
                    f"{record.when or 'unresolved'}"
                    + (f" to {record.when_end}" if getattr(record, "when_end", None) else "")
                    + f" ({countdown(record.days_until, record.when, record.granularity)})"
                ),
            ),
            ("as written", plain(record.when_text or "—")),
            ("status", plain(record.status, STATUS_STYLE.get(record.status, ""))),
        ]
        if getattr(record, "reported", ()):
            f.append(("reported", plain(", ".join(record.reported))))
        for what, why in getattr(record, "reasons", ()):
            label = {"participants": "who"}.get(what, what)
            f.append((f"why {label}", plain(why, "dim")))
    elif kind == "issue":
        f += [
            ("issue", plain(record.label, "bold")),
            ("mentions", plain(record.mentions)),
            ("raised by", plain(", ".join(record.actors) or "—")),
            ("articles", plain(", ".join(record.docs))),
        ]
    elif kind == "quote":
        side = speaker_side(record, snapshot)
        described = getattr(record, "speaker_description", None)
        speaker = record.speaker or (f"not named: {described}" if described else "unattributed")
        how = ", ".join(x for x in (getattr(record, "speaker_how", ""), getattr(record, "speaker_reason", "")) if x)
        f += [
            ("speaker", plain(speaker, side_style(side, ctx))),
            ("found by", plain(how or "—", "dim")),
            ("side", side_text(side, ctx)),
            ("published", plain(record.published or "undated")),
            ("article", plain(record.doc)),
        ]
        f.append(("quote", Text(f"“{clean(record.text, one_line=False)}”")))
    return f


def change_summary(old: Any, new: Any) -> str | None:
    """'2 articles added, 1 removed' between two snapshots, or None.

    An article that moved (same content, new path) counts as renamed."""
    if old is None:
        return None
    before = {d.id: d.content_hash for d in old.documents}
    after = {d.id: d.content_hash for d in new.documents}
    added = [k for k in after if k not in before]
    removed = [k for k in before if k not in after]
    changed = sum(1 for k in after if k in before and before[k] != after[k])
    gone_hashes = [before[k] for k in removed]
    renamed = 0
    for key in list(added):
        content = after[key]
        if content and content in gone_hashes:
            gone_hashes.remove(content)
            added.remove(key)
            renamed += 1
    removed_count = len(removed) - renamed
    counts = [
        (len(added), "added"),
        (changed, "changed"),
        (renamed, "renamed"),
        (removed_count, "removed"),
    ]
    parts = []
    for n, what in counts:
        if n:
            noun = "" if parts else (" articles" if n != 1 else " article")
            parts.append(f"{n}{noun} {what}")
    return ", ".join(parts) or None
