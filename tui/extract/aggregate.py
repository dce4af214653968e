"""Per-document results -> one Snapshot: merge, dedupe, rank.

Cheap by design: it runs after every change over all cached results.
"""

from __future__ import annotations

import calendar
import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date

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
    Snapshot,
)
from tui.extract.relevance import keep_relevant, relevance
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


def _merge_names(mentions: list[ActorMention]) -> dict[str, str]:
    """Map keys of unknown people to the key they merge into across articles.

    A single name ("Reyes") joins the one full name ending with it; a
    near-miss spelling ("Anna Ruiz") joins the watchlisted or the more
    frequent spelling with the same surname.
    """
    totals: Counter[str] = Counter()
    info: dict[str, ActorMention] = {}
    for m in mentions:
        totals[m.key] += m.mentions
        info.setdefault(m.key, m)
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
        for other in by_surname.get(parts[-1].casefold(), []) + [x for x in full if info[x].watchlisted]:
            if other == k:
                continue
            score = fuzz.ratio(m.name.casefold(), info[other].name.casefold())
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


def _aggregate_actors(results: Mapping[str, DocResult]) -> tuple[list[Actor], dict[str, str]]:
    all_mentions = [a for r in results.values() for a in r.actors]
    merged = _merge_names(all_mentions)
    groups: dict[str, list[tuple[str, ActorMention]]] = {}
    for doc_id, r in results.items():
        for a in r.actors:
            groups.setdefault(merged.get(a.key, a.key), []).append((doc_id, a))
    actors: list[Actor] = []
    rename: dict[str, str] = {}
    used_ids: set[str] = set()
    for key, items in groups.items():
        head = next((a for _, a in items if a.key == key), items[0][1])
        role = head.role or next((a.role for _, a in items if a.role), None)
        side = head.side or next((a.side for _, a in items if a.side), None)
        aliases = sorted({x for _, a in items for x in (a.aliases + (a.name,))} - {head.name})
        docs = sorted({d for d, _ in items})
        evidence = tuple(e for _, a in items for e in a.evidence)[:MAX_EVIDENCE]
        actor_id = slug(head.name)
        while actor_id in used_ids:
            actor_id += "-" + _short_hash(key)[:4]
        used_ids.add(actor_id)
        for _, a in items:
            if a.name != head.name:
                rename[a.name] = head.name
        actors.append(
            Actor(
                id=actor_id,
                name=head.name,
                kind=head.kind,
                role=role,
                side=side,
                aliases=tuple(aliases),
                mentions=sum(a.mentions for _, a in items),
                docs=tuple(docs),
                evidence=evidence,
                watchlisted=head.watchlisted,
            )
        )
    actors.sort(key=lambda a: (-a.mentions, a.name.casefold()))
    return actors, rename


# --- engagements --------------------------------------------------------------


def _same_when(a: str | None, b: str | None) -> bool:
    if a is None or b is None:
        return a == b
    return a.startswith(b) or b.startswith(a)


def _aggregate_engagements(
    results: Mapping[str, DocResult],
    rename: Mapping[str, str],
    published: Mapping[str, str | None],
    as_of: str | None,
) -> list[Engagement]:
    groups: list[tuple[tuple[str, ...], list[tuple[str, EngagementMention]]]] = []
    # A mention can join only a group with its participants whose first date
    # is a prefix of its own or has its own as a prefix ("2024-03" and
    # "2024-03-05"), or, undated, the same words for the time. Groups are
    # indexed so, and the candidates tried in the order the groups were made:
    # the same merge as comparing with every group, in near linear time.
    by_prefix: dict[tuple[tuple[str, ...], str], list[int]] = {}  # every prefix of a first date
    by_date: dict[tuple[tuple[str, ...], str], list[int]] = {}  # the first date itself
    undated: dict[tuple[tuple[str, ...], str], list[int]] = {}  # the time as written
    for doc_id, r in results.items():
        for e in r.engagements:
            people = tuple(sorted({rename.get(p, p) for p in e.participants}))
            when = e.when
            if when is None:
                candidates = undated.get((people, (e.when_text or "").casefold()), [])
            else:
                found = set(by_prefix.get((people, when), ()))
                for cut in range(1, len(when)):
                    found.update(by_date.get((people, when[:cut]), ()))
                candidates = sorted(found)
            for index in candidates:
                parts, items = groups[index]
                first = items[0][1]
                if (
                    parts == people
                    and _same_when(first.when, when)
                    and (when is not None or (first.when_text or "").casefold() == (e.when_text or "").casefold())
                    # A dated plan and a later report that it was held are one
                    # meeting (the newest article gives its status); undated ones
                    # ("they have met before", "they will meet") stay apart.
                    and (
                        (when is not None and when == first.when)
                        or (e.status == "past") == (first.status == "past")
                    )
                ):
                    items.append((doc_id, e))
                    break
            else:
                index = len(groups)
                groups.append((people, [(doc_id, e)]))
                if when is None:
                    undated.setdefault((people, (e.when_text or "").casefold()), []).append(index)
                else:
                    by_date.setdefault((people, when), []).append(index)
                    for cut in range(1, len(when) + 1):
                        by_prefix.setdefault((people, when[:cut]), []).append(index)
    as_of_date = date.fromisoformat(as_of) if as_of else None
    out: list[Engagement] = []
    for people, items in groups:
        # The finest date wins; the newest article decides the status.
        best = max(items, key=lambda it: len(it[1].when or ""))[1]
        newest = max(items, key=lambda it: (published.get(it[0]) or "", STATUS_STRENGTH[it[1].status]))[1]
        status = newest.status
        evidence: list[Evidence] = []
        for _, e in items:
            if e.evidence not in evidence:
                evidence.append(e.evidence)
        evidence = evidence[:MAX_EVIDENCE]
        upcoming = status not in ("past", "cancelled")
        days = None
        when_end = best.when_end if best.when else None
        if best.when and as_of_date:
            first_day, last_day = date_bounds(best.when)
            if when_end:
                last_day = date.fromisoformat(when_end)
            days = (first_day - as_of_date).days
            if last_day < as_of_date:
                upcoming = False
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
        out.append(
            Engagement(
                id=_short_hash(people, best.when, best.when_text, best.what),
                participants=people,
                what=best.what,
                where=where,
                when=best.when,
                when_text=best.when_text,
                granularity=best.granularity,
                status=status,
                upcoming=upcoming,
                evidence=tuple(evidence),
                days_until=days,
                when_end=when_end,
                reported=reported,
                reasons=reasons,
                support=_support(items, evidence),
            )
        )

    def order(e: Engagement) -> tuple:
        if e.upcoming:
            return (0, e.when is None, e.when or "", e.what)
        return (1, "" if e.when is None else "", _neg(e.when or ""), e.what)

    out.sort(key=order)
    return _unique_ids(out)


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


def _aggregate_issues(config: Config, results: Mapping[str, DocResult], rename: Mapping[str, str]) -> list[Issue]:
    by_id: dict[str, list[tuple[str, IssueMention]]] = {}
    for doc_id, r in results.items():
        for m in r.issues:
            by_id.setdefault(m.issue_id, []).append((doc_id, m))
    labels = {i.id: i.label for i in config.issues}
    out = []
    for issue_id, items in by_id.items():
        raisers: Counter[str] = Counter()
        for _, m in items:
            for a in m.actors:
                raisers[rename.get(a, a)] += 1
        out.append(
            Issue(
                id=issue_id,
                label=labels.get(issue_id, items[0][1].label),
                mentions=len(items),
                docs=tuple(sorted({d for d, _ in items})),
                actors=tuple(a for a, _ in raisers.most_common()),
                evidence=tuple(m.evidence for _, m in items)[:MAX_EVIDENCE],
            )
        )
    out.sort(key=lambda i: (-i.mentions, i.label.casefold()))
    return out


def _aggregate_quotes(
    results: Mapping[str, DocResult], rename: Mapping[str, str], published: Mapping[str, str | None]
) -> list[Quote]:
    seen: set[tuple[str, str | None]] = set()
    out: list[Quote] = []
    ordered = sorted(results.items(), key=lambda kv: (published.get(kv[0]) or "", kv[0]), reverse=True)
    for doc_id, r in ordered:
        for q in sorted(r.quotes, key=lambda q: q.start):
            speaker = rename.get(q.speaker, q.speaker) if q.speaker else None
            norm = " ".join(q.text.casefold().split())
            if (norm, speaker) in seen:
                continue
            seen.add((norm, speaker))
            out.append(
                Quote(
                    id=f"{doc_id}#{q.start}",
                    text=q.text,
                    speaker=speaker,
                    side=q.side,
                    doc=doc_id,
                    published=published.get(doc_id),
                    start=q.start,
                    end=q.end,
                    sentence=q.sentence,
                    sent_start=q.sent_start,
                    speaker_how=q.how,
                    speaker_reason=q.reason,
                    speaker_description=q.description,
                )
            )
    return out


def aggregate(
    config: Config,
    documents: Iterable[Document],
    results: Mapping[str, DocResult],
    pipeline_label: str = "",
    degraded: str | None = None,
    today: date | None = None,
) -> Snapshot:
    documents = tuple(sorted(documents, key=lambda d: d.id))
    published = {d.id: d.published for d in documents}
    ok_ids = {d.id for d in documents if d.status == "ok"}
    results = {k: v for k, v in results.items() if k in ok_ids}
    # What does not concern the relation is left out (tui/extract/relevance.py).
    parties = config.party_names()
    judged = {k: relevance(v, parties) for k, v in results.items()}
    results = {k: keep_relevant(v, judged[k], parties) for k, v in results.items()}
    documents = tuple(
        replace(d, on_topic=judged[d.id].about, on_topic_reason=judged[d.id].reason) if d.id in judged else d
        for d in documents
    )
    as_of = resolve_as_of(config, documents, today)
    actors, rename = _aggregate_actors(results)
    warnings = []
    if degraded:
        warnings.append(f"rule-only pipeline in use: {degraded}")
    warnings += [shared.message for shared in shared_aliases(config, actors)]
    return Snapshot(
        as_of=as_of,
        relation=config.relation.name,
        documents=documents,
        actors=tuple(actors),
        engagements=tuple(_aggregate_engagements(results, rename, published, as_of)),
        issues=tuple(_aggregate_issues(config, results, rename)),
        quotes=tuple(_aggregate_quotes(results, rename, published)),
        pipeline=pipeline_label,
        warnings=tuple(warnings),
        parties=tuple(config.party_names()),
    )
