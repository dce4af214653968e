"""What the panes and the detail screen show, computed from a Snapshot.

Plain functions from records to rows and rich `Text`, so they can be tested
without an app. Every piece of untrusted text (article text, titles, names,
config strings) goes into a `Text` object, never through markup. Records are
read by attribute only; their types are imported for the type checker alone,
so the first paint does not wait for them.
"""

from __future__ import annotations

import calendar
import operator
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, TypeAlias

from rich.text import Text

from tui.layout import prose, prose_offset

if TYPE_CHECKING:
    from tui.extract.models import Actor, Engagement, Issue, Quote

    Record: TypeAlias = Actor | Engagement | Issue | Quote
else:
    Record = Any

KINDS = ("actor", "engagement", "issue", "quote")
PANE_TITLES = {
    "actor": "Actors",
    "engagement": "Upcoming engagements",
    "issue": "Disputed issues",
    "quote": "Recent quotes",
}
FRESH_MARK = "●"
QUOTE_WIDTH = 70  # quote text in link labels and titles
UNDATED_DAYS = 30  # an undated plan not reported again for this long leaves "upcoming"

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


# --- what the panes need besides the snapshot ------------------------------------

SORTS: dict[str, tuple[str, ...]] = {
    "actor": ("mentions", "recent", "name", "side"),
    "engagement": ("when", "reported", "status"),
    "issue": ("mentions", "recent", "label"),
    "quote": ("newest", "speaker", "side"),
}


@dataclass(frozen=True)
class ViewContext:
    """What the panes need besides the snapshot."""

    colors: Mapping[str, str | None] = field(default_factory=dict)  # party -> hex colour
    show_past: bool = False
    codes: Mapping[str, str] = field(default_factory=dict)  # party -> short code ("US")
    undated_days: int = UNDATED_DAYS
    sorts: Mapping[str, str] = field(default_factory=dict)  # kind -> one of SORTS[kind]

    def sort(self, kind: str) -> str:
        return self.sorts.get(kind) or SORTS[kind][0]


def party_code(name: str, aliases: Sequence[str] = (), code: str | None = None) -> str:
    """A party in two to four letters: the config's `code`, else an alias that
    is an abbreviation ("U.S." -> "US", "PRC"), else the name's first letters."""
    if code:
        return clean(code)[:4]
    for alias in sorted(aliases, key=len):
        letters = alias.replace(".", "")
        if 2 <= len(letters) <= 4 and letters.isalpha() and letters.isupper():
            return letters
    words = [w for w in re.split(r"[\s-]+", clean(name)) if w[:1].isalpha()]
    if len(words) > 1:
        return "".join(w[0] for w in words if w[0].isupper())[:4] or name[:3].upper()
    return clean(name)[:3].upper()


def side_style(side: str | None, ctx: ViewContext) -> str:
    color = ctx.colors.get(side or "") if side else None
    return f"bold {color}" if color else ""


def side_text(side: str | None, ctx: ViewContext) -> Text:
    if not side:
        return Text("other", style="dim")
    return plain(side, side_style(side, ctx))


def side_code(side: str | None, ctx: ViewContext) -> Text:
    """The side as a short code in its colour: the pane's width goes to names and words."""
    if not side:
        return Text("–", style="dim")
    return plain(ctx.codes.get(side) or party_code(side), side_style(side, ctx))


# --- dates ------------------------------------------------------------------------


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value and len(value) >= 10 else None
    except ValueError:
        return None


def short_date(value: str | None, as_of: str | None = None) -> str:
    """'18 Jun' in the as-of year, '18 Jun 21' in another; a month or a year as given."""
    if not value:
        return "undated"
    d = _day(value)
    if d is None:
        if len(value) == 7 and value[4] == "-" and value[5:7].isdigit() and 1 <= int(value[5:7]) <= 12:
            return f"{_MONTHS[int(value[5:7]) - 1]} {value[:4]}"
        return clean(value)[:10]
    year = as_of[:4] if as_of else None
    return f"{d.day} {_MONTHS[d.month - 1]}" + ("" if str(d.year) == year else f" {d.year % 100:02d}")


def day_label(when: str | None, granularity: str | None, as_of: str | None = None) -> str:
    """'Sun 18 Jun' for a day, 'week of 12 Jun', 'Jun 2023' or '2023'; 'undated'."""
    if not when:
        return "undated"
    d = _day(when)
    if d is None or granularity in ("month", "year"):
        return short_date(when[:7] if granularity == "month" else when[:4] if granularity == "year" else when)
    if granularity == "week":
        return f"week of {short_date(when, as_of)}"
    return f"{calendar.day_abbr[d.weekday()]} {short_date(when, as_of)}"


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
STATUS_MEANING = {
    "planned": "announced or agreed, with a date or a place",
    "tentative": "proposed, expected, possible, under discussion",
    "postponed": "put off to a later date",
    "cancelled": "called off",
    "past": "held before the as-of date",
}


# --- columns ----------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    min: int  # narrowest useful width
    cap: int = 0  # widest it ever needs; 0: as wide as its content
    weight: int = 0  # share of the room left once the short columns have theirs
    importance: int = 5  # the least important columns go first in a narrow pane


COLUMNS: dict[str, tuple[Column, ...]] = {
    "actor": (
        Column("name", "Name", 10, weight=3, importance=10),
        Column("role", "Role", 6, weight=2, importance=6),
        Column("side", "Side", 3, cap=5, importance=8),
        Column("mentions", "#", 3, cap=5, importance=7),
        Column("last", "Last", 6, cap=9, importance=3),
    ),
    "engagement": (
        Column("countdown", "When", 8, cap=12, importance=10),
        Column("status", "Status", 7, cap=9, importance=8),
        Column("who", "Who", 10, weight=3, importance=10),
        Column("what", "What", 8, weight=2, importance=9),
        Column("where", "Where", 6, cap=18, importance=5),
        Column("reported", "Reported", 6, cap=9, importance=4),
    ),
    "issue": (
        Column("label", "Issue", 12, weight=2, importance=10),
        Column("mentions", "#", 3, cap=5, importance=8),
        Column("raised", "Raised by", 10, weight=3, importance=7),
    ),
    "quote": (
        Column("date", "Date", 6, cap=9, importance=8),
        Column("speaker", "Speaker", 8, cap=16, importance=9),
        Column("side", "Side", 3, cap=5, importance=6),
        Column("text", "Quote", 16, weight=1, importance=10),
    ),
}


WIDTH_SAMPLE = 300  # rows whose content sizes the columns: the top of the list, what is seen first
OPTIONAL = 5  # columns of this importance or less go before a more important one is cut


def column_widths(
    kind: str, width: int, rows: Sequence[Row] = (), padding: int = 1
) -> dict[str, int]:
    """Share `width` cells between the columns that fit, sized by their content.

    Every column gets its minimum, then what its content needs: the short
    columns first, then the wide ones, most important first; what is left goes to the wide columns (who meets whom, the
    quote) by weight. Optional columns (a date reported, a place) go while a
    more important one would be cut, and any column goes, least important
    first, when the minimums alone do not fit.
    """
    spec = COLUMNS[kind]
    want = {c.key: len(c.label) for c in spec}
    for row in rows[:WIDTH_SAMPLE]:
        for column, cell in zip(spec, row.cells, strict=False):
            want[column.key] = max(want[column.key], cell.cell_len)
    for c in spec:
        want[c.key] = max(c.min, min(want[c.key], c.cap) if c.cap else want[c.key])
    kept = list(spec)
    while len(kept) > 1 and sum(c.min + 2 * padding for c in kept) > width:
        kept.remove(min(kept, key=lambda c: c.importance))
    while True:
        widths = _share(kept, want, width, padding)
        optional = [c for c in kept if c.importance <= OPTIONAL]
        if not optional:
            return widths
        least = min(optional, key=lambda c: c.importance)
        if all(widths[c.key] >= want[c.key] for c in kept if c.importance > least.importance):
            return widths
        kept.remove(least)


def _share(kept: list[Column], want: Mapping[str, int], width: int, padding: int) -> dict[str, int]:
    widths = {c.key: c.min for c in kept}
    room = width - sum(c.min + 2 * padding for c in kept)
    # the short columns first (a code, a count, a date), then the wide ones, each by importance
    for c in sorted(kept, key=lambda c: (bool(c.weight), -c.importance)):
        grow = max(0, min(room, want[c.key] - widths[c.key]))
        widths[c.key] += grow
        room -= grow
    if room > 0:
        flexible = [c for c in kept if c.weight] or kept[:1]
        total = sum(c.weight for c in flexible) or 1
        given = 0
        for c in flexible:
            share = room * c.weight // total
            widths[c.key] += share
            given += share
        widths[max(flexible, key=lambda c: c.weight).key] += room - given
    return widths


@dataclass(frozen=True)
class Row:
    key: str
    cells: tuple[Text, ...]  # one a column of COLUMNS[kind], in order
    haystack: str  # lower-case text the filter and the search look in
    signature: tuple[Any, ...]  # what the row means: a change here marks it new
    values: tuple[str, ...] = ()  # each column in full, for export


def _number(n: int) -> Text:
    return Text(str(n), justify="right")


def _names(names: Iterable[str], limit: int = 3) -> str:
    names = [clean(n) for n in names]
    shown = ", ".join(names[:limit])
    return shown + (f" +{len(names) - limit}" if len(names) > limit else "")


def short_name(actor: Any | None, name: str, ctx: ViewContext) -> str:
    """A name as the who-meets-whom column shows it: a party by its code, a
    long personal name by the one-word alias it is known by or its last word."""
    name = clean(name)
    if actor is None:
        return name
    if actor.kind == "country":
        return ctx.codes.get(actor.name) or name
    words = name.split()
    if actor.kind != "person" or len(name) <= 10 or len(words) < 2:
        if actor.kind == "organization":
            for alias in sorted(actor.aliases, key=len):
                letters = alias.replace(".", "")
                if 2 <= len(letters) <= 6 and letters.isupper() and letters.isalpha():
                    return clean(alias)
        return name
    for alias in actor.aliases:
        if " " not in alias and alias in words:
            return clean(alias)
    suffix = words[-1].rstrip(".").lower() in ("jr", "sr", "ii", "iii")
    return words[-2] if suffix else words[-1]


def who_text(
    participants: Sequence[str],
    actors: Mapping[str, Any],
    ctx: ViewContext,
    memo: dict[str, str] | None = None,
) -> str:
    """'Blinken – Qin Gang'; three or more: 'Biden, Xi, Modi +1'.

    `memo`: short names already worked out (an actor seen in many articles
    carries many aliases: work each out once a picture)."""
    memo = {} if memo is None else memo
    names = []
    for n in participants:
        if n not in memo:
            memo[n] = short_name(actors.get(n), n, ctx)
        names.append(memo[n])
    if len(names) == 2:
        return " – ".join(names)
    return _names(names)


def speaker_side(quote: Any, snapshot: Any) -> str | None:
    if quote.side:
        return quote.side
    for actor in snapshot.actors:
        if actor.name == quote.speaker:
            return actor.side
    return None


def _last_reported(e: Any) -> str | None:
    reported = getattr(e, "reported", ()) or ()
    return max(reported) if reported else None


def aged_out(e: Any, as_of: str | None, days: int) -> bool:
    """An undated plan that no article has reported for `days` days is no longer
    "upcoming": it waits under past engagements."""
    if e.when or as_of is None or days <= 0:
        return False
    last, start = _day(_last_reported(e)), _day(as_of)
    return last is not None and start is not None and start - last > timedelta(days=days)


def visible_engagements(
    snapshot: Any, show_past: bool, undated_days: int = UNDATED_DAYS, sort: str = "when"
) -> list[Any]:
    """Upcoming first, soonest first, undated last; past ones (on the toggle)
    after, newest first. Undated plans reported long ago count as past."""
    upcoming: list[Any] = []
    past: list[Any] = []
    for e in snapshot.engagements:
        (upcoming if e.upcoming and not aged_out(e, snapshot.as_of, undated_days) else past).append(e)
    upcoming.sort(key=lambda e: (_sort_day(e, snapshot.as_of), e.when or ""))
    past.sort(key=lambda e: e.when or "", reverse=True)
    if sort == "reported":
        upcoming.sort(key=lambda e: _last_reported(e) or "", reverse=True)
    elif sort == "status":
        order = list(STATUS_STYLE)
        upcoming.sort(key=lambda e: order.index(e.status) if e.status in order else len(order))
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


def sorted_quotes(snapshot: Any, sort: str = "newest") -> list[Any]:
    """Newest first; undated last; within an article in reading order."""
    quotes = list(snapshot.quotes)
    quotes.sort(key=lambda q: q.start)
    quotes.sort(key=lambda q: q.published or "", reverse=True)
    if sort == "speaker":
        quotes.sort(key=lambda q: (q.speaker is None, (q.speaker or "").lower()))
    elif sort == "side":
        quotes.sort(key=lambda q: (q.side is None, q.side or ""))
    return quotes


# Each record's latest date by its articles, by kind (held with the tuple
# itself, so a reused id cannot mislead): worked out once, not on every
# render, as a new article leaves most records as they were. Only the last
# picture's are held (an actor's articles are a long tuple, made anew as it changes).
_LATEST: dict[str, dict[int, tuple[tuple[str, ...], str]]] = {}


class _Documents:
    """What the view needs of a picture's documents (dates by article, how
    many were read), kept from one picture to the next: a new picture's
    documents are mostly the very records of the last one, so only those
    that differ are looked at (sets of identities, which Python builds
    without a loop of its own)."""

    def __init__(self) -> None:
        self.documents: tuple[Any, ...] | None = None
        self.before: tuple[Any, ...] | None = None  # the documents `gone` and `added` are counted from
        self.by_identity: dict[int, Any] = {}
        self.published: dict[str, str | None] = {}
        self.read = 0
        self.gone: list[Any] = []  # of the last picture but one, those not in the last, by id
        self.added: list[Any] = []  # of the last picture, those not in the one before, by id

    def follow(self, documents: tuple[Any, ...]) -> None:
        if documents is self.documents:
            return
        by_identity = dict(zip(map(id, documents), documents, strict=True))
        before = self.by_identity
        by_id = operator.attrgetter("id")
        gone = sorted((before[i] for i in before.keys() - by_identity.keys()), key=by_id)
        added = sorted((by_identity[i] for i in by_identity.keys() - before.keys()), key=by_id)
        for d in gone:
            self.published.pop(d.id, None)
            self.read -= getattr(d, "status", "ok") == "ok"
        for d in added:
            self.published[d.id] = getattr(d, "published", None)
            self.read += getattr(d, "status", "ok") == "ok"
        self.before = self.documents
        self.documents, self.by_identity, self.gone, self.added = documents, by_identity, gone, added

    def changes(self, old: tuple[Any, ...], new: tuple[Any, ...]) -> tuple[list[Any], list[Any]]:
        """The documents of `old` not in `new` and those of `new` not in `old`, by id."""
        if not (self.documents is new and self.before is old):
            if self.documents is not old:
                self.follow(old)
            self.follow(new)
        gone, added = self.gone, self.added
        # Asked once a picture: the last one's documents need not stay in memory.
        self.before, self.gone, self.added = None, [], []
        return gone, added


_DOCUMENTS = _Documents()


def _published_of(snapshot: Any) -> dict[str, str | None]:
    _DOCUMENTS.follow(snapshot.documents)
    return _DOCUMENTS.published


def document_counts(snapshot: Any) -> tuple[int, int]:
    """(articles read, documents skipped) of a picture."""
    _DOCUMENTS.follow(snapshot.documents)
    return _DOCUMENTS.read, len(snapshot.documents) - _DOCUMENTS.read


class _Latest:
    """The latest date of each record's articles, kept from the last picture of a kind."""

    def __init__(self, kind: str, published: Mapping[str, str | None]) -> None:
        self.kind = kind
        self.published = published
        self.before = _LATEST.get(kind, {})
        self.now: dict[int, tuple[tuple[str, ...], str]] = {}

    def __call__(self, docs: tuple[str, ...]) -> str:
        held = self.now.get(id(docs)) or self.before.get(id(docs))
        if held is None or held[0] is not docs:
            # No loop in Python: an actor has many articles.
            held = (docs, max(filter(None, map(self.published.get, docs)), default=""))
        self.now[id(docs)] = held
        return held[1]

    def keep(self) -> None:
        _LATEST[self.kind] = self.now


# The rows of the last pictures, by kind: (the context and as-of date they were
# made for, id(record) -> (record, what else the row shows, the row)). A record
# that is the very same object as in the last picture, seen the same way, keeps its row.
_ROWS: dict[str, tuple[ViewContext, str | None, dict[int, tuple[Any, Any, Row]]]] = {}


def rows_for(kind: str, snapshot: Any, ctx: ViewContext) -> list[Row]:
    if snapshot is None:
        return []
    sort = ctx.sort(kind)
    actors = {a.name: a for a in snapshot.actors}
    latest = _Latest(kind, _published_of(snapshot))
    as_of = snapshot.as_of
    shorts: dict[str, str] = {}  # name -> short name, once a picture
    held = _ROWS.get(kind)
    before = held[2] if held is not None and held[1] == as_of and held[0] == ctx else {}
    made: dict[int, tuple[Any, Any, Row]] = {}

    def reused(record: Any, extra: Any) -> Row | None:
        """The row made for this very record last time, if it shows the same."""
        was = before.get(id(record))
        if was is not None and was[0] is record and was[1] == extra:
            made[id(record)] = was
            return was[2]
        return None

    def keep(record: Any, extra: Any, row: Row) -> Row:
        made[id(record)] = (record, extra, row)
        return row

    rows: list[Row] = []
    cells: tuple[Text, ...]
    values: tuple[str, ...]
    if kind == "actor":
        listed = sorted(snapshot.actors, key=lambda a: -a.mentions)
        if sort == "recent":
            listed.sort(key=lambda a: latest(a.docs), reverse=True)
        elif sort == "name":
            listed.sort(key=lambda a: a.name.lower())
        elif sort == "side":
            listed.sort(key=lambda a: (a.side is None, a.side or ""))
        for a in listed:
            last = latest(a.docs)
            row = reused(a, last)
            if row is None:
                role = a.role or ("org." if a.kind == "organization" else "")
                cells = (
                    plain(a.name, side_style(a.side, ctx)),
                    plain(role),
                    side_code(a.side, ctx),
                    _number(a.mentions),
                    plain(short_date(last, as_of) if last else "", "dim"),
                )
                values = (a.name, role, a.side or "", str(a.mentions), last)
                hay = " ".join([a.name, role, a.side or "other", *a.aliases]).lower()
                row = keep(a, last, Row(a.id, cells, hay, (a.name, a.role, a.side), tuple(map(clean, values))))
            rows.append(row)
    elif kind == "engagement":
        for e in visible_engagements(snapshot, ctx.show_past, ctx.undated_days, sort):
            who = who_text(e.participants, actors, ctx, shorts)
            row = reused(e, who)
            if row is None:
                upcoming = e.upcoming and not aged_out(e, as_of, ctx.undated_days)
                status = e.status if upcoming or e.status != "planned" else "past"
                when = countdown(e.days_until, e.when, e.granularity) if e.when else "undated"
                dim = not upcoming or not e.when
                reported = _last_reported(e)
                cells = (
                    plain(when, "dim" if dim else ""),
                    plain(status, STATUS_STYLE.get(status, "")),
                    plain(who, "dim" if dim else ""),
                    plain(e.what, "dim" if dim else ""),
                    plain(e.where or "", "dim" if dim else ""),
                    plain(short_date(reported, as_of) if reported else "", "dim"),
                )
                values = (e.when or "", status, "; ".join(e.participants), e.what, e.where or "", reported or "")
                hay = " ".join([when, status, e.what, e.where or "", e.when or "", who, *e.participants]).lower()
                signature = (e.what, e.where, e.when, e.status, e.participants)
                row = keep(e, who, Row(e.id, cells, hay, signature, tuple(map(clean, values))))
            rows.append(row)
    elif kind == "issue":
        listed_issues = sorted(snapshot.issues, key=lambda i: -i.mentions)
        if sort == "recent":
            listed_issues.sort(key=lambda i: latest(i.docs), reverse=True)
        elif sort == "label":
            listed_issues.sort(key=lambda i: i.label.lower())
        for i in listed_issues:
            raised = _names((who_text([n], actors, ctx, shorts) for n in i.actors), limit=4)
            row = reused(i, raised)
            if row is None:
                cells = (plain(i.label, "bold"), _number(i.mentions), plain(raised))
                values = (i.label, str(i.mentions), "; ".join(i.actors))
                hay = " ".join([i.label, *i.actors]).lower()
                marks = (i.label, tuple(sorted(i.actors)))
                row = keep(i, raised, Row(i.id, cells, hay, marks, tuple(map(clean, values))))
            rows.append(row)
    elif kind == "quote":
        sides = {}
        for actor in reversed(snapshot.actors):  # the first of a name, as speaker_side finds it
            sides[actor.name] = actor.side
        for q in sorted_quotes(snapshot, sort):
            side = q.side or sides.get(q.speaker)
            row = reused(q, side)
            if row is None:
                described = getattr(q, "speaker_description", None)
                speaker = q.speaker or (f"({described})" if described else "unattributed")
                cells = (
                    plain(short_date(q.published, as_of), "dim"),
                    plain(speaker, side_style(side, ctx) if q.speaker else "italic dim"),
                    side_code(side, ctx),
                    plain(q.text),
                )
                values = (q.published or "", q.speaker or described or "", side or "", q.text)
                hay = " ".join([q.text, q.speaker or described or "", side or "", q.doc]).lower()
                row = keep(q, side, Row(q.id, cells, hay, (q.text, q.speaker, side), tuple(map(clean, values))))
            rows.append(row)
    _ROWS[kind] = (ctx, as_of, made)
    latest.keep()
    return rows


def preview(kind: str, record: Any, snapshot: Any, ctx: ViewContext) -> Text:
    """The cursor row in full, for the line under the panes."""
    text = Text(no_wrap=False, overflow="ellipsis")
    dot = (" · ", "dim")
    if kind == "actor":
        text.append(clean(record.name), side_style(record.side, ctx) or "bold")
        counts = f"{record.mentions} mentions in {len(record.docs)} article(s)"
        side = record.side or "other"
        for part in (record.role, side if side != record.name else None, counts):
            if part:
                text.append(*dot)
                text.append(clean(part))
        if record.aliases:
            text.append(*dot)
            text.append("also " + ", ".join(clean(a) for a in record.aliases), "dim")
    elif kind == "engagement":
        text.append(clean(", ".join(record.participants) or "no one named"), "bold")
        day = day_label(record.when, record.granularity, snapshot.as_of)
        for part in (record.what, record.where, day, record.status):
            if part:
                text.append(*dot)
                text.append(clean(part), STATUS_STYLE.get(part, "") if part == record.status else "")
        reported = _last_reported(record)
        if reported:
            text.append(*dot)
            text.append(f"reported {short_date(reported, snapshot.as_of)}", "dim")
    elif kind == "issue":
        text.append(clean(record.label), "bold")
        text.append(*dot)
        text.append(f"{record.mentions} mentions in {len(record.docs)} article(s)")
        if record.actors:
            text.append(*dot)
            text.append("raised by " + ", ".join(clean(a) for a in record.actors))
    elif kind == "quote":
        side = speaker_side(record, snapshot)
        described = getattr(record, "speaker_description", None)
        text.append(
            clean(record.speaker or (described and f"not named: {described}") or "unattributed"),
            side_style(side, ctx) or "bold",
        )
        text.append(f" ({clean(side or 'other')}, {short_date(record.published, snapshot.as_of)}): ", "dim")
        text.append(f"“{clean(record.text)}”")
    return text
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


def source_document(kind: str, record: Any) -> str | None:
    """The article a record comes from (an actor's or an issue's latest first one)."""
    if kind == "quote":
        return str(record.doc)
    if kind in ("actor", "issue"):
        return str(record.docs[0]) if record.docs else None
    return str(record.evidence[0].doc) if record.evidence else None


def evidence_of(kind: str, record: Any) -> list[Any]:
    if kind == "quote":
        return [record.evidence]
    found = list(record.evidence)
    return found + list(getattr(record, "support", ()) or ())


def evidence_total(kind: str, record: Any) -> int | None:
    """How many pieces of evidence there are in all, when the record keeps only
    the first few (an actor's mentions, an issue's matches)."""
    if kind in ("actor", "issue"):
        return int(record.mentions)
    return None


def highlight(evidence: Any, more: Iterable[Any] = ()) -> Text:
    """The evidence sentence with its matched words highlighted, and those of
    any other evidence (`more`) found in the same sentence."""
    raw = _CONTROL.sub(" ", str(evidence.sentence or ""))  # same length: offsets still fit
    # Evidence reads as prose: line breaks and indentation runs become one space,
    # and the matched words' offsets move with them.
    sentence = prose(raw)
    text = Text(sentence)
    for ev in (evidence, *more):
        lo = prose_offset(raw, max(0, ev.start - evidence.sent_start))
        hi = min(len(sentence), prose_offset(raw, max(0, ev.end - evidence.sent_start)))
        if 0 <= lo < hi:
            text.stylize("bold reverse", lo, hi)
    return text


def sentences_of(evidence: Iterable[Any]) -> list[tuple[Any, list[Any]]]:
    """Evidence grouped by sentence, in the order first seen: each sentence once,
    with every piece of evidence that falls in it."""
    groups: dict[tuple[str, int, str], tuple[Any, list[Any]]] = {}
    for ev in evidence:
        key = (ev.doc, ev.sent_start, ev.sentence)
        if key in groups:
            groups[key][1].append(ev)
        else:
            groups[key] = (ev, [])
    return list(groups.values())


@dataclass(frozen=True)
class Link:
    kind: str
    id: str
    label: Text


def links_of(kind: str, record: Any, snapshot: Any, ctx: ViewContext) -> list[Link]:
    """Records related to this one: an actor's quotes, issues and engagements, and back.

    Labels say what the link leads to: "meet Qin Gang · Sun 18 Jun · planned"."""
    links: list[Link] = []
    actors_by_name = {a.name: a for a in snapshot.actors}
    dot = (" · ", "dim")

    def actor_link(name: str) -> None:
        actor = actors_by_name.get(name)
        if actor is not None:
            # no party colour here: it would vanish under the highlighted option's background
            label = Text.assemble(("actor  ", "dim"), clean(actor.name))
            side = actor.side or "other"
            for part in (actor.role, side if side != actor.name else None):  # not "China · China"
                if part:
                    label.append(*dot)
                    label.append(clean(part))
            links.append(Link("actor", actor.id, label))

    if kind == "actor":
        name = record.name
        for e in visible_engagements(snapshot, True, ctx.undated_days):
            if name in e.participants:
                others = [p for p in e.participants if p != name]
                label = Text.assemble(("engagement  ", "dim"), clean(e.what))
                if others:
                    label.append(" " + ("with " if e.what[:1].isupper() else "") + ", ".join(map(clean, others)))
                label.append(*dot)
                label.append(day_label(e.when, e.granularity, snapshot.as_of))
                label.append(*dot)
                label.append(clean(e.status))
                links.append(Link("engagement", e.id, label))
        for i in snapshot.issues:
            if name in i.actors:
                label = Text.assemble(("issue  ", "dim"), (clean(i.label), "bold"))
                label.append(*dot)
                label.append(f"{i.mentions} mentions")
                links.append(Link("issue", i.id, label))
        for q in sorted_quotes(snapshot):
            if q.speaker == name:
                label = Text.assemble(("quote  ", "dim"), short_date(q.published, snapshot.as_of))
                label.append(*dot)
                label.append(f"“{truncate(q.text, QUOTE_WIDTH)}”")
                links.append(Link("quote", q.id, label))
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
        how = ", ".join(
            x for x in (getattr(record, "speaker_how", ""), getattr(record, "speaker_reason", "")) if x
        )
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
    """'2 articles added, 1 removed; 1 non-article file ignored' between two
    snapshots, or None.

    An article that moved (same content, new path) counts as renamed. Files
    added or changed that are not articles (skipped with a reason) are counted
    on their own, so a folder of images does not read as news."""
    if old is None:
        return None

    def is_article(d: Any) -> bool:
        return getattr(d, "status", "ok") == "ok"

    if old.documents is new.documents:
        return None
    # Only the records that differ: an article unchanged since is the very same record.
    gone, fresh = _DOCUMENTS.changes(old.documents, new.documents)
    earlier = {d.id: d for d in gone}
    added: list[str] = []
    after_hash: dict[str, str] = {}
    removed_hash: dict[str, str] = {}
    changed = ignored = 0
    for d in fresh:
        was = earlier.pop(d.id, None)
        was_article = was is not None and is_article(was)
        if not is_article(d):
            if not (was is not None and not was_article and was.content_hash == d.content_hash):
                ignored += 1
            if was_article:
                removed_hash[d.id] = was.content_hash  # an article no more
            continue
        if not was_article:
            added.append(d.id)
            after_hash[d.id] = d.content_hash
        elif was.content_hash != d.content_hash:
            changed += 1
    removed_hash.update((k, d.content_hash) for k, d in earlier.items() if is_article(d))
    removed = list(removed_hash)
    gone_hashes = list(removed_hash.values())
    renamed = 0
    for key in list(added):
        content = after_hash[key]
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
    parts: list[str] = []
    for n, what in counts:
        if n:
            noun = "" if parts else (" articles" if n != 1 else " article")
            parts.append(f"{n}{noun} {what}")
    summary = ", ".join(parts)
    if ignored:
        files = f"{ignored} non-article file{'s' if ignored != 1 else ''} ignored"
        summary = f"{summary}; {files}" if summary else files
    return summary or None
