"""Records produced by extraction. Frozen dataclasses, plain data only.

Per-document results (`DocResult`) are cached as JSON, so every record here
round-trips through `to_dict`/`from_dict`. Aggregation over all documents
produces one `Snapshot`, which is what the dashboard and `tui extract --json`
show.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from tui.layout import prose


@dataclass(frozen=True)
class Evidence:
    """Where a record comes from: the matched words and their sentence.

    `start`/`end` are character offsets of the matched words in the article
    body; `sent_start` is the offset of `sentence` in the body, so the matched
    words can be highlighted inside it.
    """

    doc: str
    start: int
    end: int
    sentence: str
    sent_start: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"doc": self.doc, "start": self.start, "end": self.end, "sentence": prose(self.sentence)}


@dataclass(frozen=True)
class Document:
    """One seed file as read from disk."""

    id: str  # path relative to the seeds folder, with forward slashes
    title: str | None
    published: str | None  # YYYY-MM-DD
    status: str  # "ok" | "skipped"
    reason: str | None
    source: str | None = None
    url: str | None = None
    content_hash: str = ""
    flags: tuple[str, ...] = ()  # e.g. "invalid UTF-8 replaced"
    size: int = 0
    author: str | None = None
    form: str = "text"  # text | markdown | html | jsonl: how the body was read
    on_topic: bool | None = None  # about the relation (None: not extracted)
    on_topic_reason: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "published": self.published,
            "status": self.status,
            "reason": self.reason,
            "source": self.source,
            "url": self.url,
            "author": self.author,
            "form": self.form,
            "flags": list(self.flags),
            "on_topic": self.on_topic,
            "on_topic_reason": self.on_topic_reason,
        }


@dataclass(frozen=True)
class ActorMention:
    """An actor as seen in one document."""

    key: str  # canonical key: watchlist id, party id, or normalised name
    name: str
    kind: str  # person | organization | country
    role: str | None
    side: str | None
    watchlisted: bool
    aliases: tuple[str, ...]
    mentions: int
    evidence: tuple[Evidence, ...]  # first few mentions


@dataclass(frozen=True)
class EngagementMention:
    participants: tuple[str, ...]  # actor names
    what: str
    where: str | None
    when: str | None  # YYYY-MM-DD | YYYY-MM | YYYY
    when_text: str | None
    granularity: str | None  # day | month | year
    status: str  # planned | tentative | postponed | cancelled | past
    evidence: Evidence
    reason: str = ""  # how the date was resolved
    when_end: str | None = None  # last day of a range or a week (YYYY-MM-DD)
    status_reason: str = ""
    participants_reason: str = ""
    # Other sentences that supplied the participants or the date ("She" in
    # "Ruiz flew to Vale. She will meet Brandt", the day "the following day"
    # counts from), each with the words that gave them.
    support: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class IssueMention:
    issue_id: str
    label: str
    matched: str
    actors: tuple[str, ...]
    evidence: Evidence


@dataclass(frozen=True)
class IssuePhrase:
    """A noun phrase of a conflictual sentence that no issue pattern matches:
    what the issue suggestions (tui/inbox.py) are made of."""

    key: str  # the phrase case-folded, its head noun singular: what recurs across articles
    text: str  # as written, cleaned of determiners, possessives, numbers, dates and names
    actors: tuple[str, ...]  # who is named in the sentence (people and bodies first, then countries)
    cue: str  # the word that makes the sentence conflictual
    evidence: Evidence
    topic: bool = False  # the subject of the contention itself: "talks on X", "differences over X"


@dataclass(frozen=True)
class QuoteMention:
    text: str
    speaker: str | None  # actor name
    speaker_key: str | None
    side: str | None
    doc: str
    start: int
    end: int
    sentence: str
    sent_start: int
    reason: str = ""  # how the speaker's words became an actor ("'she': nearest female subject")
    how: str = ""  # the attribution strategy ("subject of 'told'")
    description: str | None = None  # an unnamed speaker as the text gives it


@dataclass(frozen=True)
class DocResult:
    """Everything extracted from one document; cached per content + config."""

    doc: str
    actors: tuple[ActorMention, ...] = ()
    engagements: tuple[EngagementMention, ...] = ()
    issues: tuple[IssueMention, ...] = ()
    quotes: tuple[QuoteMention, ...] = ()
    issue_phrases: tuple[IssuePhrase, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DocResult:
        def ev(d: dict[str, Any]) -> Evidence:
            return Evidence(**d)

        return cls(
            doc=data["doc"],
            actors=tuple(
                ActorMention(
                    **{
                        **a,
                        "aliases": tuple(a["aliases"]),
                        "evidence": tuple(ev(e) for e in a["evidence"]),
                    }
                )
                for a in data["actors"]
            ),
            engagements=tuple(
                EngagementMention(
                    **{
                        **e,
                        "participants": tuple(e["participants"]),
                        "evidence": ev(e["evidence"]),
                        "support": tuple(ev(s) for s in e.get("support", ())),
                    }
                )
                for e in data["engagements"]
            ),
            issues=tuple(
                IssueMention(**{**i, "actors": tuple(i["actors"]), "evidence": ev(i["evidence"])})
                for i in data["issues"]
            ),
            quotes=tuple(QuoteMention(**q) for q in data["quotes"]),
            issue_phrases=tuple(
                IssuePhrase(**{**p, "actors": tuple(p["actors"]), "evidence": ev(p["evidence"])})
                for p in data.get("issue_phrases", ())
            ),
        )


@dataclass(frozen=True)
class Actor:
    id: str
    name: str
    kind: str
    role: str | None
    side: str | None
    aliases: tuple[str, ...]
    mentions: int
    docs: tuple[str, ...]
    evidence: tuple[Evidence, ...] = ()
    watchlisted: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "role": self.role,
            "side": self.side,
            "aliases": list(self.aliases),
            "mentions": self.mentions,
            "docs": list(self.docs),
            "watchlisted": self.watchlisted,
            "evidence": [e.to_json() for e in self.evidence],
        }


@dataclass(frozen=True)
class Engagement:
    id: str
    participants: tuple[str, ...]
    what: str
    where: str | None
    when: str | None
    when_text: str | None
    granularity: str | None
    status: str
    upcoming: bool
    evidence: tuple[Evidence, ...]
    days_until: int | None = None  # from as_of to the start of `when`
    when_end: str | None = None
    reported: tuple[str, ...] = ()  # publication dates of the articles that reported it
    reasons: tuple[tuple[str, str], ...] = ()  # (when | status | participants, why)
    support: tuple[Evidence, ...] = ()  # sentences that supplied the participants or the date

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "participants": list(self.participants),
            "what": self.what,
            "where": self.where,
            "when": self.when,
            "when_text": self.when_text,
            "granularity": self.granularity,
            "status": self.status,
            "upcoming": self.upcoming,
            "days_until": self.days_until,
            "when_end": self.when_end,
            "reported": list(self.reported),
            "reason": dict(self.reasons),
            "evidence": [e.to_json() for e in self.evidence],
            "support": [e.to_json() for e in self.support],
        }


@dataclass(frozen=True)
class Issue:
    id: str
    label: str
    mentions: int
    docs: tuple[str, ...]
    actors: tuple[str, ...]
    evidence: tuple[Evidence, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "mentions": self.mentions,
            "docs": list(self.docs),
            "actors": list(self.actors),
            "evidence": [e.to_json() for e in self.evidence],
        }


@dataclass(frozen=True)
class IssueCandidate:
    """One phrase's mentions across the articles (IssuePhrase by key), for the
    issue suggestions; only phrases that recur (two mentions or more) are kept."""

    key: str
    forms: tuple[tuple[str, int], ...]  # each form as written, with its mentions, most first
    mentions: int
    docs: tuple[str, ...]
    actors: tuple[tuple[str, int], ...]  # who is named where it is raised, with how often, most first
    evidence: tuple[Evidence, ...]
    topical: int = 0  # mentions as the subject of the contention itself

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "forms": [list(f) for f in self.forms],
            "mentions": self.mentions,
            "topical": self.topical,
            "docs": list(self.docs),
            "actors": [list(a) for a in self.actors],
            "evidence": [e.to_json() for e in self.evidence],
        }


@dataclass(frozen=True)
class Quote:
    id: str
    text: str
    speaker: str | None
    side: str | None
    doc: str
    published: str | None
    start: int
    end: int
    sentence: str = ""
    sent_start: int = 0
    speaker_how: str = ""
    speaker_reason: str = ""
    speaker_description: str | None = None

    @property
    def evidence(self) -> Evidence:
        return Evidence(self.doc, self.start, self.end, self.sentence, self.sent_start)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": prose(self.text),
            "speaker": self.speaker,
            "side": self.side,
            "doc": self.doc,
            "published": self.published,
            "start": self.start,
            "end": self.end,
            "sentence": prose(self.sentence),
            "speaker_how": self.speaker_how or None,
            "speaker_reason": self.speaker_reason or None,
            "speaker_description": self.speaker_description,
        }


@dataclass(frozen=True)
class Snapshot:
    """The whole picture over all documents: what the panes show."""

    as_of: str | None
    relation: str
    documents: tuple[Document, ...] = ()
    actors: tuple[Actor, ...] = ()
    engagements: tuple[Engagement, ...] = ()
    issues: tuple[Issue, ...] = ()
    quotes: tuple[Quote, ...] = ()
    pipeline: str = ""  # e.g. "en_core_web_sm 3.8.0" or "rule-only (no spaCy pipeline)"
    warnings: tuple[str, ...] = ()
    parties: tuple[str, ...] = field(default=())
    issue_candidates: tuple[IssueCandidate, ...] = ()  # recurring phrases no issue pattern matches

    def document(self, doc_id: str) -> Document | None:
        for d in self.documents:
            if d.id == doc_id:
                return d
        return None

    def to_json(self) -> dict[str, Any]:
        return {
            "relation": self.relation,
            "as_of": self.as_of,
            "pipeline": self.pipeline,
            "warnings": list(self.warnings),
            "documents": [d.to_json() for d in self.documents],
            "actors": [a.to_json() for a in self.actors],
            "engagements": [e.to_json() for e in self.engagements],
            "issues": [i.to_json() for i in self.issues],
            "quotes": [q.to_json() for q in self.quotes],
        }
