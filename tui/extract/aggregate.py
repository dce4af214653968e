"""Per-document results -> one Snapshot: merge, dedupe, rank.

It runs after every change, so an `Aggregator` keeps what the last picture
was made of and redoes only what the changed articles touch: the actors whose
names they mention, the engagements between the same participants, the
issues and the quotes they raise. `aggregate` is an Aggregator used once; the
incremental path and a fresh one give the same Snapshot (tests/test_aggregate_incremental.py).

Records that merge across articles are built from their mentions in corpus
order (the order the engine hands the results in), and ties between records
are broken by where each first appears, so the picture does not depend on
the order in which articles arrived.
"""

from __future__ import annotations

import bisect
import calendar
import hashlib
import heapq
import re
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date
from typing import Any, Protocol, TypeVar

from rapidfuzz import fuzz

from tui.config import Config
from tui.extract.models import (
    Actor,
    ActorMention,
    DocResult,
    Document,
    Engagement,
    EngagementMention,
    Evidence,
    Issue,
    IssueMention,
    Quote,
    QuoteMention,
    Snapshot,
)
from tui.extract.phrase_totals import PhraseTotals
from tui.extract.relevance import Relevance, keep_relevant, relevance
from tui.extract.shared_aliases import shared_aliases

STATUS_STRENGTH = {"cancelled": 5, "postponed": 4, "planned": 3, "tentative": 2, "past": 1}
MAX_EVIDENCE = 20


def resolve_as_of(config: Config, documents: Iterable[Document], today: date | None = None) -> str | None:
    setting = config.relation.as_of
    if setting == "today":
        return (today or date.today()).isoformat()
    if setting == "latest":
        dates = [d.published for d in documents if d.status == "ok" and d.published]
        return max(dates) if dates else None
    return setting


def date_bounds(when: str) -> tuple[date, date]:
    """First and last day of a YYYY, YYYY-MM or YYYY-MM-DD value."""
    parts = [int(p) for p in when.split("-")]
    if len(parts) == 1:
        return date(parts[0], 1, 1), date(parts[0], 12, 31)
    if len(parts) == 2:
        last = calendar.monthrange(parts[0], parts[1])[1]
        return date(parts[0], parts[1], 1), date(parts[0], parts[1], last)
    d = date(parts[0], parts[1], parts[2])
    return d, d


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "x"


def _short_hash(*parts: object) -> str:
    return hashlib.sha1("\x1f".join(map(str, parts)).encode()).hexdigest()[:10]


# --- actors -------------------------------------------------------------------

Place = tuple[int, int]  # (the article's place in corpus order, the record's index in it)


class Order(Protocol):
    """Each article's place in corpus order: any sort key (a number, or the engine's (path, line))."""

    def __getitem__(self, doc_id: str, /) -> Any: ...


class _NameMerger:
    """Which unknown people's keys merge into which, across articles.

    A single name ("Reyes") joins the one full name ending with it; a
    near-miss spelling ("Anna Ruiz") joins the watchlisted or the more
    frequent spelling with the same surname. Name similarities are worked out
    once a pair and kept: the counts change with every article, the names do not.
    """

    def __init__(self) -> None:
        self._ratio: dict[tuple[str, str], float] = {}

    def _score(self, a: str, b: str) -> float:
        key = (a, b)
        score = self._ratio.get(key)
        if score is None:
            score = self._ratio[key] = fuzz.ratio(a, b)
        return score

    def merge(self, totals: Mapping[str, int], info: Mapping[str, ActorMention]) -> dict[str, str]:
        merged: dict[str, str] = {}
        # The same name read as a person in one article and an organisation in
        # another is one actor; a person wins, else the more frequent reading.
        by_name: dict[str, list[str]] = {}
        for k, m in info.items():
            if not m.watchlisted:
                by_name.setdefault(m.name.casefold(), []).append(k)
        for keys in by_name.values():
            if len(keys) > 1:
                head = max(keys, key=lambda k: (info[k].kind == "person", totals[k], k))
                for k in keys:
                    if k != head:
                        merged[k] = head
        persons = [k for k, m in info.items() if m.kind == "person" and k not in merged]
        full = [k for k in persons if len(info[k].name.split()) > 1]
        listed_full = [x for x in full if info[x].watchlisted]
        by_surname: dict[str, list[str]] = {}
        for k in full:
            by_surname.setdefault(info[k].name.split()[-1].casefold(), []).append(k)
        for k in persons:
            m = info[k]
            if m.watchlisted:
                continue
            parts = m.name.split()
            if len(parts) == 1:
                cands = by_surname.get(parts[0].casefold(), [])
                if len(cands) == 1:
                    merged[k] = cands[0]
                continue
            # Near-miss spellings of the same person.
            best = None
            name = m.name.casefold()
            for other in by_surname.get(parts[-1].casefold(), []) + listed_full:
                if other == k:
                    continue
                score = self._score(name, info[other].name.casefold())
                if score >= 88 and (info[other].watchlisted or totals[other] > totals[k]):
                    if best is None or score > best[0]:
                        best = (score, other)
            if best:
                merged[k] = best[1]
        # Follow chains.
        for k in list(merged):
            seen = {k}
            while merged[k] in merged and merged[k] not in seen:
                seen.add(merged[k])
                merged[k] = merged[merged[k]]
        return merged


ItemsOf = Any  # doc id -> mention key -> [(index in the article's actors, mention)] (a `_Grouped`)


class _KeyMentions:
    """One actor key's mentions across the articles, with running totals, so
    that an article naming it costs the same however many others do."""

    __slots__ = ("key", "docs", "in_order", "by_id", "total", "aliases", "names", "_first_with")

    def __init__(self, key: str) -> None:
        self.key = key
        self.docs: set[str] = set()
        self.in_order: list[str] = []  # the articles, in corpus order
        self.by_id: list[str] = []  # the articles, by id
        self.total = 0
        self.aliases: Counter[str] = Counter()  # of the mentions giving each form
        self.names: Counter[str] = Counter()
        # field -> (article, index, value) of the first mention that gives it, None: no mention does
        self._first_with: dict[str, tuple[str, int, str] | None] = {}

    def add(self, doc_id: str, items: Sequence[tuple[int, ActorMention]], pos: Order) -> None:
        self.docs.add(doc_id)
        bisect.insort(self.in_order, doc_id, key=pos.__getitem__)
        bisect.insort(self.by_id, doc_id)
        for _, a in items:
            self.total += a.mentions
            self.aliases.update(set(a.aliases + (a.name,)))
            self.names[a.name] += 1
        for field_, held in list(self._first_with.items()):
            mine = next(((i, getattr(a, field_)) for i, a in items if getattr(a, field_)), None)
            if mine is not None and (held is None or (pos[doc_id], mine[0]) < (pos[held[0]], held[1])):
                self._first_with[field_] = (doc_id, *mine)

    def remove(self, doc_id: str, items: Sequence[tuple[int, ActorMention]], pos: Order) -> None:
        self.docs.discard(doc_id)
        _remove_sorted(self.in_order, doc_id, pos.__getitem__)
        _remove_sorted(self.by_id, doc_id)
        for _, a in items:
            self.total -= a.mentions
            self.aliases.subtract(set(a.aliases + (a.name,)))
            self.names[a.name] -= 1
        self.aliases = +self.aliases
        self.names = +self.names
        for field_, held in list(self._first_with.items()):
            if held is not None and held[0] == doc_id:
                del self._first_with[field_]

    def first_place(self, items_of: ItemsOf) -> tuple[str, int]:
        doc_id = self.in_order[0]
        return doc_id, items_of[doc_id][self.key][0][0]

    def first(self, items_of: ItemsOf) -> ActorMention:
        return items_of[self.in_order[0]][self.key][0][1]

    def first_with(self, field_: str, items_of: ItemsOf, pos: Order) -> tuple[str, int, str] | None:
        """The first mention, in corpus order, that gives `field_` (a role, a side)."""
        if field_ not in self._first_with:
            found = None
            for doc_id in self.in_order:
                hit = next(((i, getattr(a, field_)) for i, a in items_of[doc_id][self.key] if getattr(a, field_)), None)
                if hit is not None:
                    found = (doc_id, *hit)
                    break
            self._first_with[field_] = found
        return self._first_with[field_]


class _ActorGroup:
    """One actor as built from its mentions (its id is given later, once all are known)."""

    __slots__ = ("actor", "names", "first", "keys")

    def __init__(self, actor: Actor, names: frozenset[str], first: tuple[str, int], keys: tuple[str, ...]):
        self.actor = actor
        self.names = names
        self.first = first  # (doc id, index) of its first mention in corpus order
        self.keys = keys


# --- engagements --------------------------------------------------------------


def _same_when(a: str | None, b: str | None) -> bool:
    if a is None or b is None:
        return a == b
    return a.startswith(b) or b.startswith(a)


def _group_meetings(mentions: Sequence[EngagementMention]) -> list[list[int]]:
    """Mentions of one set of participants, in corpus order -> the indexes of
    each meeting's mentions.

    A mention joins the first meeting whose first date is a prefix of its own
    or has its own as a prefix ("2024-03" and "2024-03-05"), or, undated, has
    the same words for the time. Meetings are indexed so: the same as trying
    every one, in near linear time.
    """
    groups: list[list[int]] = []
    by_prefix: dict[str, list[int]] = {}  # every prefix of a first date
    by_date: dict[str, list[int]] = {}  # the first date itself
    undated: dict[str, list[int]] = {}  # the time as written
    for n, e in enumerate(mentions):
        when = e.when
        said = (e.when_text or "").casefold()
        if when is None:
            candidates: list[int] = undated.get(said, [])
        else:
            found = set(by_prefix.get(when, ()))
            for cut in range(1, len(when)):
                found.update(by_date.get(when[:cut], ()))
            candidates = sorted(found)
        for index in candidates:
            first = mentions[groups[index][0]]
            if (
                _same_when(first.when, when)
                and (when is not None or (first.when_text or "").casefold() == said)
                # A dated plan and a later report that it was held are one
                # meeting (the newest article gives its status); undated ones
                # ("they have met before", "they will meet") stay apart.
                and ((when is not None and when == first.when) or (e.status == "past") == (first.status == "past"))
            ):
                groups[index].append(n)
                break
        else:
            index = len(groups)
            groups.append([n])
            if when is None:
                undated.setdefault(said, []).append(index)
            else:
                by_date.setdefault(when, []).append(index)
                for cut in range(1, len(when) + 1):
                    by_prefix.setdefault(when[:cut], []).append(index)
    return groups


_DATE_SHAPE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")
Bucket = tuple[str, str]  # ("d", the dates' common part) or ("u", the time as written)


class _Whens:
    """The dates of one set of participants' mentions, to split them into
    buckets no meeting crosses: a mention only joins a meeting whose date is
    a prefix of its own or has its own as a prefix, so a day meets only its
    month and year, a month its year. With a year alone among the dates the
    whole year is one bucket; else a month alone makes its month one; else
    each day is its own. Grouping each bucket apart gives the meetings that
    grouping them all together gives, and a new article regroups only its
    buckets (all of them when a year or month alone arrives or goes)."""

    __slots__ = ("years", "months", "odd")

    def __init__(self) -> None:
        self.years: Counter[str] = Counter()  # dates that are a year alone
        self.months: Counter[str] = Counter()  # dates that are a month alone
        self.odd = 0  # dates of another shape: then every dated mention is in one bucket

    def _count(self, when: str | None, step: int) -> None:
        if when is None:
            return
        if not _DATE_SHAPE.fullmatch(when):
            self.odd += step
        elif len(when) == 4:
            self.years[when] += step
        elif len(when) == 7:
            self.months[when] += step

    def add(self, when: str | None) -> None:
        self._count(when, 1)

    def remove(self, when: str | None) -> None:
        self._count(when, -1)
        self.years = +self.years
        self.months = +self.months

    def shape(self) -> tuple:
        return (frozenset(self.years), frozenset(self.months), self.odd > 0)

    def bucket(self, e: EngagementMention) -> Bucket:
        when = e.when
        if when is None:
            return ("u", (e.when_text or "").casefold())
        if self.odd:
            return ("d", "")
        if when[:4] in self.years:
            return ("d", when[:4])
        if when[:7] in self.months:
            return ("d", when[:7])
        return ("d", when)


def _build_engagement(
    people: tuple[str, ...], items: list[tuple[str, EngagementMention]], published: Mapping[str, str | None]
) -> Engagement:
    """The meeting as its mentions tell it; `upcoming` and `days_until` are
    set for a day by `_as_of_day`."""
    # The finest date wins; the newest article decides the status.
    best = max(items, key=lambda it: len(it[1].when or ""))[1]
    newest = max(items, key=lambda it: (published.get(it[0]) or "", STATUS_STRENGTH[it[1].status]))[1]
    status = newest.status
    evidence: list[Evidence] = []
    for _, e in items:
        if e.evidence not in evidence:
            evidence.append(e.evidence)
    evidence = evidence[:MAX_EVIDENCE]
    reported = tuple(sorted({published.get(d) or "" for d, _ in items} - {""}))
    reasons = tuple(
        (field_, why)
        for field_, why in (
            ("participants", best.participants_reason),
            ("when", best.reason),
            ("status", f"{newest.status_reason} (newest report)" if len(items) > 1 else newest.status_reason),
        )
        if why
    )
    # `where` and `what` from the most specific mention.
    where = best.where or next((e.where for _, e in items if e.where), None)
    return Engagement(
        id=_short_hash(people, best.when, best.when_text, best.what),
        participants=people,
        what=best.what,
        where=where,
        when=best.when,
        when_text=best.when_text,
        granularity=best.granularity,
        status=status,
        upcoming=status not in ("past", "cancelled"),
        evidence=tuple(evidence),
        days_until=None,
        when_end=best.when_end if best.when else None,
        reported=reported,
        reasons=reasons,
        support=_support(items, evidence),
    )


def _as_of_day(e: Engagement, as_of: date | None) -> Engagement:
    """The meeting seen from `as_of`: days until it, and over once its last day is past."""
    upcoming = e.status not in ("past", "cancelled")
    days = None
    if e.when and as_of:
        first_day, last_day = date_bounds(e.when)
        if e.when_end:
            last_day = date.fromisoformat(e.when_end)
        days = (first_day - as_of).days
        if last_day < as_of:
            upcoming = False
    if upcoming == e.upcoming and days == e.days_until:
        return e
    return replace(e, upcoming=upcoming, days_until=days)


def _engagement_order(e: Engagement) -> tuple:
    if e.upcoming:
        return (0, e.when is None, e.when or "", e.what)
    return (1, "" if e.when is None else "", _neg(e.when or ""), e.what)


def _support(items: list[tuple[str, EngagementMention]], evidence: list[Evidence]) -> tuple[Evidence, ...]:
    """Every mention's supporting sentences, once each, in reading order
    (article by article), leaving out the sentences already shown as evidence."""
    shown = {(e.doc, e.sent_start) for e in evidence}
    docs = list(dict.fromkeys(doc_id for doc_id, _ in items))
    found = {s for _, e in items for s in e.support if (s.doc, s.sent_start) not in shown}
    ordered = sorted(found, key=lambda s: (docs.index(s.doc) if s.doc in docs else len(docs), s.start, s.end))
    return tuple(ordered[:MAX_EVIDENCE])


def _unique_ids(records: list[Engagement]) -> list[Engagement]:
    """Record ids are unique by construction: a repeated one gets a suffix."""
    seen: set[str] = set()
    out = []
    for r in records:
        rid, n = r.id, 1
        while rid in seen:
            n += 1
            rid = f"{r.id}-{n}"
        seen.add(rid)
        out.append(r if rid == r.id else replace(r, id=rid))
    return out


def _neg(text: str) -> str:
    return "".join(chr(0x10FFFF - ord(c)) for c in text)


# --- issues and quotes -------------------------------------------------------


IssueItemsOf = Any  # doc id -> issue id -> [(index in the article's issues, mention)] (a `_Grouped`)


class _IssueMentions:
    """One issue's mentions across the articles, with running totals."""

    __slots__ = ("issue_id", "docs", "in_order", "by_id", "count", "raisers", "_raised_first")

    def __init__(self, issue_id: str) -> None:
        self.issue_id = issue_id
        self.docs: set[str] = set()
        self.in_order: list[str] = []
        self.by_id: list[str] = []
        self.count = 0
        self.raisers: Counter[str] = Counter()
        # actor -> (article, index, place in the mention's actors) where first seen raising it
        self._raised_first: dict[str, tuple[str, int, int]] = {}

    def add(
        self,
        doc_id: str,
        items: Sequence[tuple[int, IssueMention]],
        pos: Order,
        rename: Mapping[str, str],
    ) -> None:
        self.docs.add(doc_id)
        bisect.insort(self.in_order, doc_id, key=pos.__getitem__)
        bisect.insort(self.by_id, doc_id)
        self.count += len(items)
        for index, m in items:
            for j, a in enumerate(m.actors):
                name = rename.get(a, a)
                before = self.raisers[name]
                self.raisers[name] += 1
                held = self._raised_first.get(name)
                # Where it was first raised: known, or unknown until asked (worked out then).
                if before == 0 or (held is not None and (pos[doc_id], index, j) < (pos[held[0]], held[1], held[2])):
                    self._raised_first[name] = (doc_id, index, j)

    def remove(
        self, doc_id: str, items: Sequence[tuple[int, IssueMention]], rename: Mapping[str, str], pos: Order
    ) -> None:
        """`rename`: as when the mentions were added (a change of it rebuilds every issue)."""
        self.docs.discard(doc_id)
        _remove_sorted(self.in_order, doc_id, pos.__getitem__)
        _remove_sorted(self.by_id, doc_id)
        self.count -= len(items)
        for _, m in items:
            self.raisers.subtract(rename.get(a, a) for a in m.actors)
        self.raisers = +self.raisers
        gone = [name for name, held in self._raised_first.items() if held[0] == doc_id or name not in self.raisers]
        for name in gone:
            del self._raised_first[name]

    def first_place(self, items_of: IssueItemsOf) -> tuple[str, int]:
        doc_id = self.in_order[0]
        return doc_id, items_of[doc_id][self.issue_id][0][0]

    def _first_raised(self, name: str, items_of: IssueItemsOf, rename: Mapping[str, str]) -> tuple[str, int, int]:
        held = self._raised_first.get(name)
        if held is None:
            held = next(
                (doc_id, index, j)
                for doc_id in self.in_order
                for index, m in items_of[doc_id][self.issue_id]
                for j, a in enumerate(m.actors)
                if rename.get(a, a) == name
            )
            self._raised_first[name] = held
        return held

    def build(
        self, labels: Mapping[str, str], items_of: IssueItemsOf, pos: Order, rename: Mapping[str, str]
    ) -> Issue:
        evidence: list[Evidence] = []
        for doc_id in self.in_order:
            for _, m in items_of[doc_id][self.issue_id]:
                evidence.append(m.evidence)
            if len(evidence) >= MAX_EVIDENCE:
                break

        def rank(name: str) -> tuple[int, int, int, int]:
            doc_id, index, j = self._first_raised(name, items_of, rename)
            return (-self.raisers[name], pos[doc_id], index, j)

        first = items_of[self.in_order[0]][self.issue_id][0][1]
        return Issue(
            id=self.issue_id,
            label=labels.get(self.issue_id, first.label),
            mentions=self.count,
            docs=tuple(self.by_id),
            actors=tuple(sorted(self.raisers, key=rank)),
            evidence=tuple(evidence[:MAX_EVIDENCE]),
        )


def _quote_keys(result: DocResult | None, rename: Mapping[str, str]) -> list[tuple[str, str | None]]:
    """What makes each of one article's quotes, in reading order, the same quote elsewhere
    (its words and speaker); the quotes themselves are made only for those that stand."""
    if result is None:
        return []
    return [_quote_key(q, rename) for q in sorted(result.quotes, key=lambda q: q.start)]


def _quote_key(q: QuoteMention, rename: Mapping[str, str]) -> tuple[str, str | None]:
    speaker = rename.get(q.speaker, q.speaker) if q.speaker else None
    return " ".join(q.text.casefold().split()), speaker


def _doc_quotes(
    doc_id: str, result: DocResult, rename: Mapping[str, str], published: str | None
) -> list[tuple[tuple[str, str | None], Quote]]:
    """One article's quotes in reading order, each with what makes it the same quote elsewhere."""
    out = []
    for q in sorted(result.quotes, key=lambda q: q.start):
        norm, speaker = _quote_key(q, rename)
        quote = Quote(
            id=f"{doc_id}#{q.start}",
            text=q.text,
            speaker=speaker,
            side=q.side,
            doc=doc_id,
            published=published,
            start=q.start,
            end=q.end,
            sentence=q.sentence,
            sent_start=q.sent_start,
            speaker_how=q.how,
            speaker_reason=q.reason,
            speaker_description=q.description,
        )
        out.append(((norm, speaker), quote))
    return out


# --- the whole picture ---------------------------------------------------------


class Aggregator:
    """Builds Snapshots for one config, each from the last one and what changed.

    `update` takes every document and every result (in corpus order), finds
    the articles whose result or date changed, appeared or went, and rebuilds
    the records those touch; `apply` takes only the articles that changed
    (the engine's path when the watcher named the files), and costs what
    they touch. A change of who merges into whom (a new full name lets a
    bare surname join it) rebuilds the engagements, issues and quotes, which
    name actors. Still over every actor key, on each update: the order of the
    keys and which merge (`_NameMerger`), cheap while keys are thousands.
    """

    def __init__(self, config: Config) -> None:
        self.config = config
        self._parties = config.party_names()
        self._labels = {i.id: i.label for i in config.issues}
        self._merger = _NameMerger()
        self._raw: dict[str, DocResult] = {}  # doc id -> its result as handed in
        self._kept: dict[str, DocResult] = {}  # doc id -> its records about the relation
        self._judged: dict[str, Relevance] = {}
        self._judgements: dict[Relevance, Relevance] = {}
        self._published: dict[str, str | None] = {}
        # id -> (as handed in, its relevance, with its relevance)
        self._doc_out: dict[str, tuple[Document, Relevance, Document]] = {}
        self._built = False
        # the documents sorted by id, as shown (with their relevance), and the dates of those read
        self._doc_ids: list[str] = []
        self._docs_out: list[Document] = []
        self._ok_dates: Counter[str] = Counter()
        # actors
        self._keys: dict[str, _KeyMentions] = {}  # mention key -> its mentions across the articles
        # article -> mention key -> (index in the article's actors, mention), worked out when asked
        self._doc_key_items = _Grouped(self._kept, "actors", _key_of)
        # the results of the articles changed in this update as they were before (None: new)
        self._was_kept: dict[str, DocResult | None] = {}
        self._groups: dict[str, _ActorGroup] = {}  # actor key -> its actor
        self._rename: dict[str, str] = {}
        self._actors: tuple[Actor, ...] = ()
        # engagements: participants -> meetings (each with its first mention)
        # Meetings are grouped within buckets of dates that can be one meeting (see `_Whens`).
        self._meetings: dict[tuple[tuple[str, ...], Bucket], list[tuple[tuple[str, int], Engagement]]] = {}
        self._people_docs: dict[tuple[str, ...], list[str]] = {}  # participants -> articles, in corpus order
        self._whens: dict[tuple[str, ...], _Whens] = {}  # participants -> the dates of their mentions
        # (participants, bucket) -> the articles with mentions in it, in corpus order
        self._bucket_docs: dict[tuple[tuple[str, ...], Bucket], list[str]] = {}
        # participants -> the places of each meeting's mentions -> the meeting as built from them
        self._meeting_parts: dict[tuple[tuple[str, ...], Bucket], dict[tuple[tuple[str, int], ...], Engagement]] = {}
        # article -> participants -> (index in the article's engagements, mention), worked out when asked
        self._doc_meetings = _Grouped(self._kept, "engagements", self._people)
        self._people_of: dict[tuple[str, ...], tuple[str, ...]] = {}  # participants as written -> as merged
        # The meetings as listed: ((order, first mention's place), as seen from the day), sorted;
        # id(as built) -> (as built, its place in that list, as seen); the day they are seen from
        self._listed: list[tuple[tuple[tuple, tuple[Any, int]], Engagement]] = []
        self._placed: dict[int, tuple[Engagement, tuple[tuple, tuple[Any, int]], Engagement]] = {}
        self._listed_day: date | None | bool = False
        # meetings made and gone since the list was last put in order
        self._meetings_new: list[tuple[tuple[str, int], Engagement]] = []
        self._meetings_gone: list[Engagement] = []
        # issues
        self._issue_acc: dict[str, _IssueMentions] = {}
        # article -> issue id -> (index in the article's issues, mention), worked out when asked
        self._doc_issue_items = _Grouped(self._kept, "issues", _issue_of)
        self._issues: dict[str, tuple[tuple[str, int], Issue]] = {}
        self._phrases = PhraseTotals()  # candidate issue phrases (tui/extract/phrase_totals.py)
        # quotes: each article's, and which article's quote stands for each text and speaker
        self._quote_docs: dict[tuple[str, str | None], set[str]] = {}
        self._quote_winner: dict[tuple[str, str | None], tuple[str, int]] = {}
        # the standing quotes as ((published, article), -index, quote), ascending: shown reversed,
        # newest article first and each in reading order
        self._quote_order: list[tuple[tuple[str, str], int, Quote]] = []
        self._quote_place: dict[tuple[str, str | None], tuple[tuple[str, str], int]] = {}
        self._quotes: tuple[Quote, ...] = ()

    def update(
        self,
        documents: Iterable[Document],
        results: Mapping[str, DocResult],
        pipeline_label: str = "",
        degraded: str | None = None,
        today: date | None = None,
        order: Order | None = None,
        moved: Iterable[str] = (),
    ) -> Snapshot:
        """The picture of every document and result, from the last one.

        `order`: each article's place in corpus order (a sort key); None: the
        order of `results`. `moved`: articles whose place changed though their
        result did not (a JSON Lines record with its own id, on another line)."""
        docs_in = sorted(documents, key=lambda d: d.id)
        published = {d.id: d.published for d in docs_in}
        ok_ids = {d.id for d in docs_in if d.status == "ok"}
        results = {k: v for k, v in results.items() if k in ok_ids}
        changed = self._take(results, published) | self._move(moved)
        pos: Order = order if order is not None else {doc_id: n for n, doc_id in enumerate(results)}
        self._doc_ids = [d.id for d in docs_in]
        self._docs_out = [self._document(d) for d in docs_in]
        self._ok_dates = Counter(d.published for d in self._docs_out if d.status == "ok" and d.published)
        return self._picture(changed, pos, pipeline_label, degraded, today)

    def apply(
        self,
        changes: Mapping[str, tuple[Document, DocResult | None] | None],
        order: Order,
        pipeline_label: str = "",
        degraded: str | None = None,
        today: date | None = None,
        moved: Iterable[str] = (),
    ) -> Snapshot:
        """The picture after only `changes` (doc id -> its document and result
        now, or None: gone), without a pass over the others: the engine's
        path when the watcher named the files that changed. `order`: every
        article's sort key in corpus order, as `update` takes it (`moved` as
        there). The same picture as `update` over every document and result (tested)."""
        changed = self._move(moved)
        for doc_id, change in changes.items():
            doc, result = change if change is not None else (None, None)
            if doc is None or doc.status != "ok":
                result = None
            if self._take_one(doc_id, result, doc.published if doc is not None else None):
                changed.add(doc_id)
        for doc_id, change in changes.items():
            self._place_document(doc_id, change[0] if change is not None else None)
        return self._picture(changed, order, pipeline_label, degraded, today, incremental=True)

    def _place_document(self, doc_id: str, doc: Document | None) -> None:
        """One document in, out or replaced in the list sorted by id."""
        at = bisect.bisect_left(self._doc_ids, doc_id)
        here = at < len(self._doc_ids) and self._doc_ids[at] == doc_id
        if here:
            old = self._docs_out[at]
            if old.status == "ok" and old.published:
                self._ok_dates[old.published] -= 1
                if not self._ok_dates[old.published]:
                    del self._ok_dates[old.published]
        if doc is None:
            if here:
                del self._doc_ids[at]
                del self._docs_out[at]
            return
        out = self._document(doc)
        if here:
            self._docs_out[at] = out
        else:
            self._doc_ids.insert(at, doc_id)
            self._docs_out.insert(at, out)
        if out.status == "ok" and out.published:
            self._ok_dates[out.published] += 1

    def _as_of(self, today: date | None) -> str | None:
        setting = self.config.relation.as_of
        if setting == "latest":
            return max(self._ok_dates) if self._ok_dates else None
        return resolve_as_of(self.config, (), today)

    def _picture(
        self,
        changed: set[str],
        pos: Order,
        pipeline_label: str,
        degraded: str | None,
        today: date | None,
        incremental: bool = False,
    ) -> Snapshot:
        """`incremental`: `pos` keeps the places of the last picture's articles."""
        config = self.config
        documents_out = tuple(self._docs_out)
        as_of = self._as_of(today)

        old_rename = self._rename
        self._update_actors(changed, pos)
        everything = old_rename != self._rename or not self._built
        self._built = True
        touched = set(self._raw) if everything else changed
        self._update_engagements(touched, pos, everything)
        self._update_issues(touched, pos, everything)
        self._phrases.update(touched, self._kept, pos, self._rename, everything)
        self._update_quotes(touched, everything)
        engagements = self._engagements_as_of(as_of, pos, incremental and not everything)
        self._was_kept.clear()

        warnings = []
        if degraded:
            warnings.append(f"rule-only pipeline in use: {degraded}")
        warnings += [shared.message for shared in shared_aliases(config, self._actors)]
        issues = sorted(
            self._issues.values(), key=lambda it: (-it[1].mentions, it[1].label.casefold(), _at(pos, it[0]))
        )
        return Snapshot(
            as_of=as_of,
            relation=config.relation.name,
            documents=documents_out,
            actors=self._actors,
            engagements=tuple(engagements),
            issues=tuple(issue for _, issue in issues),
            quotes=self._quotes,
            pipeline=pipeline_label,
            warnings=tuple(warnings),
            parties=tuple(self._parties),
            issue_candidates=self._phrases.candidates(),
        )

    # What changed -------------------------------------------------------------

    def _take(self, results: Mapping[str, DocResult], published: Mapping[str, str | None]) -> set[str]:
        """Store the new results; the ids of the articles whose records may differ."""
        changed = {doc_id for doc_id in self._raw.keys() - results.keys() if self._take_one(doc_id, None, None)}
        for doc_id, result in results.items():
            if self._take_one(doc_id, result, published.get(doc_id)):
                changed.add(doc_id)
        return changed

    def _move(self, moved: Iterable[str]) -> set[str]:
        """Articles whose place changed are taken out and put back in at their new one."""
        out = {doc_id for doc_id in moved if doc_id in self._kept}
        for doc_id in out:
            self._was_kept.setdefault(doc_id, self._kept[doc_id])
        return out

    def _take_one(self, doc_id: str, result: DocResult | None, published: str | None) -> bool:
        """One article's result now (None: it has none); whether its records may differ."""
        before = self._raw.get(doc_id)
        if result is None:
            if before is None:
                return False
            self._forget(doc_id)
            return True
        same = before is result or (before is not None and before == result)
        if same and self._published.get(doc_id) == published:
            return False
        self._was_kept.setdefault(doc_id, self._kept.get(doc_id))
        self._raw[doc_id] = result
        self._published[doc_id] = published
        # One record for each way of judging (most articles are judged alike), and
        # an article wholly about the relation kept as it came: 100,000 copies otherwise.
        judged = relevance(result, self._parties)
        judged = self._judgements.setdefault(judged, judged)
        self._judged[doc_id] = judged
        kept = keep_relevant(result, judged, self._parties)
        self._kept[doc_id] = result if kept == result else kept
        return True

    def _forget(self, doc_id: str) -> None:
        self._was_kept.setdefault(doc_id, self._kept.get(doc_id))
        for table in (self._raw, self._kept, self._judged, self._published, self._doc_out):
            table.pop(doc_id, None)

    def _document(self, doc: Document) -> Document:
        judged = self._judged.get(doc.id) if doc.status == "ok" else None
        if judged is None:
            return doc
        held = self._doc_out.get(doc.id)
        if held is not None and held[0] is doc and held[1] is judged:
            return held[2]
        out = replace(doc, on_topic=judged.about, on_topic_reason=judged.reason)
        self._doc_out[doc.id] = (doc, judged, out)
        return out

    # Actors -------------------------------------------------------------------

    def _update_actors(self, changed: set[str], pos: Order) -> None:
        dirty: set[str] = set()
        for doc_id in changed:  # every old mention out first: the orders kept hold only articles still here
            for key, items in self._doc_key_items.of(self._was_kept.get(doc_id)).items():
                self._keys[key].remove(doc_id, items, pos)
                dirty.add(key)
        for doc_id in changed:
            kept = self._kept.get(doc_id)
            if kept is None or not kept.actors:
                continue
            for key, items in self._doc_key_items[doc_id].items():
                self._keys.setdefault(key, _KeyMentions(key)).add(doc_id, items, pos)
                dirty.add(key)
        for key in dirty:
            if not self._keys[key].docs:
                del self._keys[key]
        # In the order the keys first appear, as a pass over the corpus would meet them.
        keys = sorted(self._keys, key=lambda k: _at(pos, self._keys[k].first_place(self._doc_key_items)))
        info = {k: self._keys[k].first(self._doc_key_items) for k in keys}
        totals = {k: self._keys[k].total for k in keys}
        merged = self._merger.merge(totals, info)
        members: dict[str, list[str]] = {}
        for key in self._keys:
            members.setdefault(merged.get(key, key), []).append(key)
        for key in list(self._groups):
            if key not in members:
                del self._groups[key]
        for key, member_keys in members.items():
            member_keys.sort()
            group = self._groups.get(key)
            if group is not None and group.keys == tuple(member_keys) and dirty.isdisjoint(member_keys):
                continue
            self._groups[key] = self._build_group(key, member_keys, pos)
        # Ids, renames and order by where each actor first appears.
        ordered = sorted(self._groups.items(), key=lambda kv: _at(pos, kv[1].first))
        used_ids: set[str] = set()
        rename: dict[str, str] = {}
        actors: list[Actor] = []
        for key, group in ordered:
            actor = group.actor
            actor_id = slug(actor.name)
            while actor_id in used_ids:
                actor_id += "-" + _short_hash(key)[:4]
            used_ids.add(actor_id)
            if actor.id != actor_id:
                actor = group.actor = replace(actor, id=actor_id)
            for name in group.names:
                if name != actor.name:
                    rename[name] = actor.name
            actors.append(actor)
        actors.sort(key=lambda a: (-a.mentions, a.name.casefold()))
        self._actors = tuple(actors)
        self._rename = rename

    def _build_group(self, key: str, member_keys: list[str], pos: Order) -> _ActorGroup:
        """One actor from its keys' running totals: the cost does not grow
        with the number of articles that name it."""
        accs = [self._keys[k] for k in member_keys]
        items_of = self._doc_key_items
        at = pos.__getitem__
        own = self._keys.get(key)
        firsts = sorted(((acc.first_place(items_of), acc) for acc in accs), key=lambda it: _at(pos, it[0]))
        head = own.first(items_of) if own is not None and own.docs else firsts[0][1].first(items_of)

        def earliest(field_: str) -> str | None:
            found = [f for f in (acc.first_with(field_, items_of, pos) for acc in accs) if f is not None]
            return min(found, key=lambda f: (at(f[0]), f[1]))[2] if found else None

        role = head.role or earliest("role")
        side = head.side or earliest("side")
        aliases = sorted({x for acc in accs for x in acc.aliases} - {head.name})
        if len(accs) == 1:
            docs = tuple(accs[0].by_id)
            ordered: Iterable[str] = accs[0].in_order
        else:
            docs = tuple(sorted({d for acc in accs for d in acc.docs}))
            ordered = heapq.merge(*(acc.in_order for acc in accs), key=at)
        wanted = set(member_keys)
        evidence: list[Evidence] = []
        seen_docs: set[str] = set()
        for doc_id in ordered:
            if len(evidence) >= MAX_EVIDENCE:
                break
            if doc_id in seen_docs:
                continue
            seen_docs.add(doc_id)
            here = items_of[doc_id]
            mentions_here = sorted((item for k in wanted for item in here.get(k, ())), key=lambda it: it[0])
            for _, a in mentions_here:
                evidence.extend(a.evidence[: MAX_EVIDENCE - len(evidence)])
                if len(evidence) >= MAX_EVIDENCE:
                    break
        actor = Actor(
            id="",
            name=head.name,
            kind=head.kind,
            role=role,
            side=side,
            aliases=tuple(aliases),
            mentions=sum(acc.total for acc in accs),
            docs=docs,
            evidence=tuple(evidence),
            watchlisted=head.watchlisted,
        )
        names = frozenset(n for acc in accs for n in acc.names)
        return _ActorGroup(actor, names, firsts[0][0], tuple(member_keys))

    # Engagements --------------------------------------------------------------

    def _people(self, e: EngagementMention) -> tuple[str, ...]:
        people = self._people_of.get(e.participants)
        if people is None:
            people = tuple(sorted({self._rename.get(p, p) for p in e.participants}))
            self._people_of[e.participants] = people
        return people

    def _update_engagements(self, touched: set[str], pos: Order, everything: bool) -> None:
        if everything:
            self._meetings.clear()
            self._meeting_parts.clear()
            self._people_docs.clear()
            self._people_of.clear()  # merged by the new renames
            self._whens.clear()
            self._bucket_docs.clear()
        # participants -> their buckets whose mentions changed; the shape of their dates before
        dirty: dict[tuple[str, ...], set[Bucket]] = {}
        shape_before: dict[tuple[str, ...], tuple] = {}
        # Old mentions out first, as for actors, each from the bucket it was put in.
        removed = [] if everything else [(d, self._doc_meetings.of(self._was_kept.get(d))) for d in touched]
        for doc_id, mine in removed:
            for people, items in mine.items():
                whens = self._whens[people]
                shape_before.setdefault(people, whens.shape())
                buckets = {whens.bucket(e) for _, e in items}
                for bucket in buckets:
                    _remove_sorted(self._bucket_docs[(people, bucket)], doc_id, pos.__getitem__)
                dirty.setdefault(people, set()).update(buckets)
                _remove_sorted(self._people_docs[people], doc_id, pos.__getitem__)
        for _, mine in removed:
            for people, items in mine.items():
                for _, e in items:
                    self._whens[people].remove(e.when)
        added: list[tuple[str, tuple[str, ...], list[tuple[int, EngagementMention]]]] = []
        for doc_id in touched:
            kept = self._kept.get(doc_id)
            if kept is None or not kept.engagements:
                continue
            for people, items in self._doc_meetings[doc_id].items():
                whens = self._whens.setdefault(people, _Whens())
                shape_before.setdefault(people, whens.shape())
                for _, e in items:
                    whens.add(e.when)
                bisect.insort(self._people_docs.setdefault(people, []), doc_id, key=pos.__getitem__)
                added.append((doc_id, people, items))
        for doc_id, people, items in added:  # into their buckets as the dates now fall
            whens = self._whens[people]
            buckets = {whens.bucket(e) for _, e in items}
            for bucket in buckets:
                bisect.insort(self._bucket_docs.setdefault((people, bucket), []), doc_id, key=pos.__getitem__)
            dirty.setdefault(people, set()).update(buckets)
        for people, buckets in dirty.items():
            if not self._people_docs.get(people):
                self._people_docs.pop(people, None)
                self._whens.pop(people, None)
                for bucket in buckets:
                    self._drop_bucket((people, bucket))
                continue
            whens = self._whens[people]
            if whens.shape() != shape_before[people]:
                # A date that joins or parts others (a year or a month alone) arrived or went:
                # every bucket of these participants is made again.
                old = {k for k in (*self._bucket_docs, *self._meeting_parts) if k[0] == people}
                for key in old:
                    self._drop_bucket(key, keep_built=True)
                buckets = set()
                for doc_id in self._people_docs[people]:
                    for bucket in {whens.bucket(e) for _, e in self._doc_meetings[doc_id][people]}:
                        self._bucket_docs.setdefault((people, bucket), []).append(doc_id)
                        buckets.add(bucket)
                for key in old:
                    if key[1] not in buckets:
                        self._meeting_parts.pop(key, None)
            for bucket in buckets:
                self._group_bucket((people, bucket), touched)

    def _drop_bucket(self, key: tuple[tuple[str, ...], Bucket], keep_built: bool = False) -> None:
        self._bucket_docs.pop(key, None)
        self._meetings_gone.extend(built for _, built in self._meetings.pop(key, ()))
        if not keep_built:
            self._meeting_parts.pop(key, None)

    def _group_bucket(self, key: tuple[tuple[str, ...], Bucket], touched: set[str]) -> None:
        """The meetings of one set of participants within one bucket of dates."""
        people, bucket = key
        docs = self._bucket_docs.get(key)
        if not docs:
            self._drop_bucket(key)
            return
        whens = self._whens[people]
        places: list[tuple[str, int]] = []
        mentions: list[tuple[str, EngagementMention]] = []
        for doc_id in docs:
            for index, e in self._doc_meetings[doc_id][people]:
                if whens.bucket(e) == bucket:
                    places.append((doc_id, index))
                    mentions.append((doc_id, e))
        # A meeting made of the same mentions of unchanged articles as before is kept as built.
        before = self._meeting_parts.get(key, {})
        built: list[tuple[tuple[str, int], Engagement]] = []
        parts: dict[tuple[tuple[str, int], ...], Engagement] = {}
        for group in _group_meetings([e for _, e in mentions]):
            members = tuple(places[n] for n in group)
            engagement = before.get(members)
            if engagement is None or any(doc_id in touched for doc_id, _ in members):
                engagement = _build_engagement(people, [mentions[n] for n in group], self._published)
            parts[members] = engagement
            built.append((members[0], engagement))
        old = self._meetings.get(key, [])
        before_ids = {id(e) for _, e in old}
        now_ids = {id(e) for _, e in built}
        self._meetings_gone.extend(e for _, e in old if id(e) not in now_ids)
        self._meetings_new.extend((first, e) for first, e in built if id(e) not in before_ids)
        self._meetings[key] = built
        self._meeting_parts[key] = parts

    def _engagements_as_of(self, as_of: str | None, pos: Order, incremental: bool) -> list[Engagement]:
        """Every meeting seen from `as_of`, in the list's order. `incremental`:
        the articles' places are those of the last picture, so only the
        meetings made or gone since move (unless the day they are seen from changed)."""
        day = date.fromisoformat(as_of) if as_of else None
        if incremental and day == self._listed_day:
            for built in self._meetings_gone:
                was = self._placed.pop(id(built), None)
                if was is not None and was[0] is built:
                    del self._listed[bisect.bisect_left(self._listed, was[1], key=_place_of)]
            for first, built in self._meetings_new:
                seen = _as_of_day(built, day)
                place = (_engagement_order(seen), _at(pos, first))
                self._placed[id(built)] = (built, place, seen)
                bisect.insort(self._listed, (place, seen), key=_place_of)
        else:
            same_day = day == self._listed_day
            listed: list[tuple[tuple[tuple, tuple[Any, int]], Engagement]] = []
            placed: dict[int, tuple[Engagement, tuple[tuple, tuple[Any, int]], Engagement]] = {}
            for meetings in self._meetings.values():
                for first, built in meetings:
                    held = self._placed.get(id(built)) if same_day else None
                    if held is not None and held[0] is built:
                        seen, order = held[2], held[1][0]
                    else:
                        seen = _as_of_day(built, day)
                        order = _engagement_order(seen)
                    place = (order, _at(pos, first))
                    placed[id(built)] = (built, place, seen)
                    listed.append((place, seen))
            listed.sort(key=_place_of)
            self._listed, self._placed, self._listed_day = listed, placed, day
        self._meetings_gone.clear()
        self._meetings_new.clear()
        return _unique_ids([e for _, e in self._listed])

    # Issues -------------------------------------------------------------------

    def _update_issues(self, touched: set[str], pos: Order, everything: bool) -> None:
        if everything:
            self._issues.clear()
            self._issue_acc.clear()
        dirty: set[str] = set()
        for doc_id in () if everything else touched:  # old mentions out first, as for actors
            for issue_id, items in self._doc_issue_items.of(self._was_kept.get(doc_id)).items():
                self._issue_acc[issue_id].remove(doc_id, items, self._rename, pos)
                dirty.add(issue_id)
        for doc_id in touched:
            kept = self._kept.get(doc_id)
            if kept is None or not kept.issues:
                continue
            for issue_id, items in self._doc_issue_items[doc_id].items():
                acc = self._issue_acc.setdefault(issue_id, _IssueMentions(issue_id))
                acc.add(doc_id, items, pos, self._rename)
                dirty.add(issue_id)
        for issue_id in dirty:
            acc = self._issue_acc[issue_id]
            if not acc.docs:
                del self._issue_acc[issue_id]
                self._issues.pop(issue_id, None)
                continue
            self._issues[issue_id] = (
                acc.first_place(self._doc_issue_items),
                acc.build(self._labels, self._doc_issue_items, pos, self._rename),
            )

    # Quotes -------------------------------------------------------------------

    def _update_quotes(self, touched: set[str], everything: bool) -> None:
        """The newest article's quote stands for the same words by the same
        speaker; the list is newest article first, in reading order."""
        if everything:
            self._quote_docs.clear()
            self._quote_winner.clear()
            self._quote_order.clear()
            self._quote_place.clear()
        lost: set[tuple[str, str | None]] = set()  # keys whose standing quote went
        for doc_id in () if everything else touched:  # old quotes out first
            for key in _quote_keys(self._was_kept.get(doc_id), self._rename):
                docs = self._quote_docs.get(key)
                if docs is not None:
                    docs.discard(doc_id)
                if key in self._quote_winner and self._quote_winner[key][0] == doc_id:
                    self._unrank(key)
                    lost.add(key)
        for doc_id in touched:
            kept = self._kept.get(doc_id)
            if kept is None or not kept.quotes:
                continue
            for index, key in enumerate(_quote_keys(kept, self._rename)):
                self._quote_docs.setdefault(key, set()).add(doc_id)
                held = self._quote_winner.get(key)
                if key in lost:
                    continue  # worked out below, among all that say it
                if held is None or (held[0] != doc_id and self._newer(doc_id, held[0])):
                    if held is not None:
                        self._unrank(key)
                    self._rank(key, doc_id, index)
        for key in lost:
            docs = self._quote_docs.get(key)
            if not docs:
                self._quote_docs.pop(key, None)
                continue
            doc_id = max(docs, key=lambda d: (self._published.get(d) or "", d))
            index = _quote_keys(self._kept[doc_id], self._rename).index(key)
            self._rank(key, doc_id, index)
        self._quotes = tuple(quote for _, _, quote in reversed(self._quote_order))

    def _newer(self, doc_id: str, than: str) -> bool:
        return (self._published.get(doc_id) or "", doc_id) > (self._published.get(than) or "", than)

    def _rank(self, key: tuple[str, str | None], doc_id: str, index: int) -> None:
        """`key`'s standing quote is the `index`th of `doc_id`'s: into the list, in its place."""
        self._quote_winner[key] = (doc_id, index)
        quote = _doc_quotes(doc_id, self._kept[doc_id], self._rename, self._published.get(doc_id))[index][1]
        place = ((self._published.get(doc_id) or "", doc_id), -index)
        self._quote_place[key] = place
        bisect.insort(self._quote_order, (*place, quote), key=_rank_of)

    def _unrank(self, key: tuple[str, str | None]) -> None:
        """Out of the list, from where it was put (the article may have gone since)."""
        self._quote_winner.pop(key)
        place = self._quote_place.pop(key)
        at = bisect.bisect_left(self._quote_order, place, key=_rank_of)
        del self._quote_order[at]


def _place_of(entry: tuple[tuple[tuple, tuple[Any, int]], Engagement]) -> tuple[tuple, tuple[Any, int]]:
    return entry[0]


def _rank_of(entry: tuple[tuple[str, str], int, Quote]) -> tuple[tuple[str, str], int]:
    return entry[0], entry[1]


def _remove_sorted(items: list[str], item: str, key: Callable[[str], Any] | None = None) -> None:
    """Take `item` out of `items`, sorted by `key`: found by halving where its
    place is the one it was put in at (else looked for from the start)."""
    try:
        at = bisect.bisect_left(items, key(item) if key is not None else item, key=key)
    except KeyError:  # an article gone from the order (a full update's places are only the present ones)
        at = len(items)
    if at < len(items) and items[at] == item:
        del items[at]
    else:
        items.remove(item)


def _key_of(a: ActorMention) -> str:
    return a.key


def _issue_of(m: IssueMention) -> str:
    return m.issue_id


Record = TypeVar("Record")
Key = TypeVar("Key", bound=Hashable)


def _indexed_by(records: Sequence[Record], key: Callable[[Record], Key]) -> dict[Key, list[tuple[int, Record]]]:
    """One article's records by key, each with its index among them."""
    out: dict[Key, list[tuple[int, Record]]] = {}
    for index, record in enumerate(records):
        out.setdefault(key(record), []).append((index, record))
    return out


class _Grouped:
    """Each article's records of one kind by key, worked out when asked from
    the article's kept result rather than held for every article (a
    dictionary and lists an article, for 100,000 articles, were the largest
    part of the aggregator's memory)."""

    __slots__ = ("_kept", "_field", "_key")

    def __init__(self, kept: Mapping[str, DocResult], field_: str, key: Callable[[Any], Hashable]) -> None:
        self._kept = kept
        self._field = field_
        self._key = key

    def __getitem__(self, doc_id: str) -> dict[Any, list[tuple[int, Any]]]:
        return _indexed_by(getattr(self._kept[doc_id], self._field), self._key)

    def of(self, result: DocResult | None) -> dict[Any, list[tuple[int, Any]]]:
        """The same for a result no longer kept (an article's records before it changed)."""
        return _indexed_by(getattr(result, self._field), self._key) if result is not None else {}


def _at(pos: Order, first: tuple[str, int]) -> tuple[Any, int]:
    return (pos[first[0]], first[1])


def aggregate(
    config: Config,
    documents: Iterable[Document],
    results: Mapping[str, DocResult],
    pipeline_label: str = "",
    degraded: str | None = None,
    today: date | None = None,
) -> Snapshot:
    """One picture from scratch."""
    return Aggregator(config).update(documents, results, pipeline_label, degraded, today)
