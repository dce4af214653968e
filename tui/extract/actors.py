"""Actors in one document: watchlist names, parties, and people NER finds.

Every alias, bare surname, "Title Surname" and possessive of a watchlisted
actor maps to one canonical actor. People the watchlist lacks are merged
within the article by surname. Role and side come from config, else from the
words around the name: a title before it ("Freedonian Foreign Minister Ana
Ruiz", "NSA chief Lena Ortiz"), a possessor ("Holt's security
adviser Jan Berg") or an appositive ("Tom Reyes, the top Freedonian
envoy for the region").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from tui.config import Config
from tui.extract.lexicon import english, first_names
from tui.extract.models import ActorMention, Evidence
from tui.extract.pipeline import ACTOR_PREFIX, PARTY_PREFIX
from tui.extract.sents import dateline_of, sent_of

SKIP_LABELS = {"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY", "LANGUAGE", "LAW"}
HONORIFICS = frozenset(english().honorifics)
POSSESSIVE = {"'s", "\u2019s", "'", "\u2019"}
MAX_EVIDENCE = 3


def normalise(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    return " ".join(text.split())


@dataclass
class AliasIndex:
    """Alias text -> canonical key; keys are `party:Name` or `actor:Name`."""

    exact: dict[str, str] = field(default_factory=dict)  # short / all-caps aliases
    folded: dict[str, str] = field(default_factory=dict)
    max_tokens: int = 1
    info: dict[str, tuple[str, str, str | None, str | None]] = field(default_factory=dict)
    # key -> (name, kind, role, side)
    name_words: dict[str, set[str]] = field(default_factory=dict)  # key -> words of its name and aliases
    offices: list[tuple[str, re.Pattern[str]]] = field(default_factory=list)  # (party, its offices)

    def office_side(self, text: str | None) -> str | None:
        """The one party whose offices the text names ("Foreign Secretary"), if one."""
        if not text:
            return None
        found = {party for party, pattern in self.offices if pattern.search(normalise(text))}
        return found.pop() if len(found) == 1 else None

    def lookup(self, text: str) -> str | None:
        text = normalise(text)
        if text in self.exact:
            return self.exact[text]
        return self.folded.get(text.casefold())


_INDEX_CACHE: dict[int, tuple[Config, AliasIndex]] = {}


def alias_index(config: Config) -> AliasIndex:
    hit = _INDEX_CACHE.get(id(config))
    if hit is not None and hit[0] is config:
        return hit[1]
    index = AliasIndex()

    def add(alias: str, key: str) -> None:
        alias = normalise(alias)
        if not alias:
            return
        index.name_words.setdefault(key, set()).update(alias.casefold().split())
        if len(alias) <= 3 or alias.isupper():
            index.exact.setdefault(alias, key)
        else:
            index.folded.setdefault(alias.casefold(), key)
        index.max_tokens = max(index.max_tokens, len(alias.split()) + 2)

    for party in config.parties:
        key = PARTY_PREFIX + party.name
        index.info[key] = (party.name, "country", None, party.name)
        for alias in [party.name, *party.aliases]:
            add(alias, key)
        if party.offices:
            # acronyms as written ("ISI", not "isi"), the rest in any case
            forms = [
                f"(?-i:{re.escape(o)})" if o.isupper() else re.escape(normalise(o)) for o in party.offices if o.strip()
            ]
            if forms:
                index.offices.append((party.name, re.compile(rf"(?<![\w-])(?:{'|'.join(forms)})(?![\w-])", re.I)))
    surnames: dict[str, list[str]] = {}
    for actor in config.actors:
        key = ACTOR_PREFIX + actor.name
        index.info[key] = (actor.name, actor.kind, actor.role, actor.side)
        for alias in [actor.name, *actor.aliases]:
            add(alias, key)
        parts = actor.name.split()
        if actor.kind == "person" and len(parts) > 1:
            surnames.setdefault(parts[-1], []).append(key)
    for surname, keys in surnames.items():
        if len(keys) == 1 and index.lookup(surname) is None:
            add(surname, keys[0])
    if len(_INDEX_CACHE) > 8:
        _INDEX_CACHE.clear()
    _INDEX_CACHE[id(config)] = (config, index)
    return index


@dataclass
class ActorRecord:
    key: str
    name: str
    kind: str
    role: str | None
    side: str | None
    watchlisted: bool
    aliases: set[str] = field(default_factory=set)
    mentions: int = 0
    evidence: list[Evidence] = field(default_factory=list)
    role_from_config: bool = False


@dataclass
class Mention:
    start: int  # token index
    end: int
    key: str


@dataclass
class DocActors:
    """Actors of one document and where each is mentioned."""

    doc_id: str
    records: dict[str, ActorRecord] = field(default_factory=dict)
    spans: list[Mention] = field(default_factory=list)
    token_key: dict[int, str] = field(default_factory=dict)
    title_tokens: set[int] = field(default_factory=set)  # words of a title before a name

    def adopt(self, key: str, index: AliasIndex, evidence: Evidence | None = None) -> str:
        """Count a watchlisted actor named indirectly ("its foreign ministry")."""
        if key not in self.records:
            name, kind, role, side = index.info[key]
            self.records[key] = ActorRecord(key, name, kind, role, side, True, role_from_config=role is not None)
        rec = self.records[key]
        rec.mentions += 1
        if evidence is not None and len(rec.evidence) < MAX_EVIDENCE:
            rec.evidence.append(evidence)
        return key

    def forget(self, mention: Mention) -> None:
        """Take back a mention that turned out not to name an actor."""
        self.spans = [x for x in self.spans if x is not mention]
        for i in range(mention.start, mention.end):
            if self.token_key.get(i) == mention.key:
                del self.token_key[i]
        rec = self.records[mention.key]
        rec.mentions -= 1
        if rec.mentions <= 0:
            del self.records[mention.key]

    def key_at(self, i: int) -> str | None:
        return self.token_key.get(i)

    def name(self, key: str | None) -> str | None:
        return self.records[key].name if key and key in self.records else None

    def side(self, key: str | None) -> str | None:
        return self.records[key].side if key and key in self.records else None

    def kind(self, key: str | None) -> str | None:
        return self.records[key].kind if key and key in self.records else None

    def in_range(self, start: int, end: int) -> list[Mention]:
        return [m for m in self.spans if m.start >= start and m.end <= end]

    def nearest_before(
        self,
        i: int,
        kinds: set[str],
        within: int = 120,
        skip: set[int] | None = None,
        prefer_subject: Doc | None = None,
        accept: Callable[[str], bool] | None = None,
        spans: list[Mention] | None = None,
    ) -> str | None:
        """The closest earlier mention of one of `kinds` (that `accept` allows),
        preferring grammatical subjects. `spans` may add resolved pronouns to
        the named mentions, so a chain of "he ... he" reaches its name."""
        candidates = [
            m
            for m in (self.spans if spans is None else spans)
            if m.end <= i
            and i - m.end <= within
            and self.records[m.key].kind in kinds
            and not (skip and m.start in skip)
            and (accept is None or accept(m.key))
        ]
        if not candidates:
            return None
        if prefer_subject is not None:
            doc = prefer_subject
            here = sent_of(doc[i]).start if i < len(doc) else len(doc)

            def is_subject(m: Mention, main: bool) -> bool:
                first = doc[m.start]
                lead = sent_of(first).start
                while lead < first.i and (doc[lead].is_punct or doc[lead].is_space):
                    lead += 1
                if first.i == lead:
                    return True  # the sentence's topic, whatever the parse says
                for t in doc[m.start : m.end]:
                    role = t
                    if t.dep_ == "appos" and t.head.dep_ in ("nsubj", "nsubjpass"):
                        role = t.head  # "The bloc's chief negotiator, Ana Ruiz, told ..."
                    if role.dep_ in ("nsubj", "nsubjpass") and (not main or role.head.dep_ == "ROOT"):
                        return True
                    if t.dep_ == "pobj" and t.head.lower_ == "to" and t.head.head.lower_ == "according":
                        return True  # "According to X, ..." names the source of what follows
                return False

            # The subject of the sentence so far; else, going back one sentence
            # at a time, the main subject (else any subject) of the latest
            # sentence that has one: the topic moves on with each sentence.
            same = [m for m in candidates if m.start >= here and is_subject(m, False)]
            if same:
                return same[-1].key
            by_sentence: dict[int, list[Mention]] = {}
            for m in candidates:
                if m.start < here:
                    by_sentence.setdefault(sent_of(doc[m.start]).start, []).append(m)
            for start in sorted(by_sentence, reverse=True):
                found = by_sentence[start]
                main = [m for m in found if is_subject(m, True)]
                if main:
                    return main[-1].key
                subjects = [m for m in found if is_subject(m, False)]
                if subjects:
                    return subjects[-1].key
        return candidates[-1].key

    def mentions(self) -> tuple[ActorMention, ...]:
        out = []
        for r in self.records.values():
            out.append(
                ActorMention(
                    key=r.key,
                    name=r.name,
                    kind=r.kind,
                    role=r.role,
                    side=r.side,
                    watchlisted=r.watchlisted,
                    aliases=tuple(sorted(r.aliases - {r.name})),
                    mentions=r.mentions,
                    evidence=tuple(r.evidence),
                )
            )
        return tuple(sorted(out, key=lambda a: (-a.mentions, a.name)))


def sentence_evidence(doc_id: str, span: Span | Token, start: int | None = None, end: int | None = None) -> Evidence:
    sent = sent_of(span)
    s = span.idx if isinstance(span, Token) else span.start_char
    e = (span.idx + len(span.text)) if isinstance(span, Token) else span.end_char
    return Evidence(
        doc=doc_id,
        start=start if start is not None else s,
        end=end if end is not None else e,
        sentence=sent.text,
        sent_start=sent.start_char,
    )


NAME_TITLES = english().name_titles
PERSON_NOUNS = english().person_nouns


def _trim(span: Span) -> Span:
    """Drop a leading 'the', honorifics and a trailing possessive; from a
    person's name, titles NER took in ("Archbishop Desmond Tutu")."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].lower_ in ("the",) or doc[start].lower_ in HONORIFICS):
        start += 1
    if span.label_ == "PERSON":
        while end - start > 1 and doc[start].lower_ in NAME_TITLES:
            start += 1
    while end > start and (doc[end - 1].text in POSSESSIVE or doc[end - 1].is_punct):
        end -= 1
    return doc[start:end]


def _match_alias(span: Span, index: AliasIndex, label: str) -> tuple[str, Span] | None:
    """The watchlist alias inside an entity span, if any.

    The whole span, or the longest alias ending the span (titles before a
    name), or for a PERSON any alias inside it.
    """
    key = index.lookup(span.text)
    if key:
        return key, span
    doc = span.doc
    best: tuple[str, Span] | None = None
    for s in range(span.start, span.end):
        for e in range(span.end, s, -1):
            if e - s > index.max_tokens:
                continue
            key = index.lookup(doc[s:e].text)
            if key and (e == span.end or label == "PERSON"):
                if best is None or (e - s) > len(best[1]):
                    best = (key, doc[s:e])
    if best is not None and label == "PERSON" and _someone_else(span, best[1], best[0], index):
        return None
    return best


def _someone_else(span: Span, hit: Span, key: str, index: AliasIndex) -> bool:
    """A full name that carries a watchlisted person's alias but another first
    name ("Pedro Ruiz" for the watchlist's "Ana Ruiz", alias "Ruiz") is a
    different person. A nickname inside the listed name ("Tony" for "Antony")
    and a middle name next to a listed one are the same person."""
    if index.info[key][1] != "person":
        return False
    own = index.name_words.get(key, set())
    others = [t for t in span if not (hit.start <= t.i < hit.end)]
    words = [t.lower_ for t in others if t.is_alpha]
    if any(w == o or (min(len(w), len(o)) >= 3 and (w in o or o in w)) for w in words for o in own):
        return False
    guess = first_names()
    return any(
        t.is_alpha
        and t.is_title
        and len(t) > 1
        and t.lower_ not in NAME_TITLES
        and t.lower_ not in PERSON_NOUNS
        and index.lookup(t.text) is None
        and guess(t.text) != "unknown"
        for t in others
    )


def _slug_key(kind: str, name: str) -> str:
    return f"{kind}:{re.sub(r'[^a-z0-9]+', '-', name.casefold()).strip('-')}"


_MATCHERS: dict[int, tuple[Config, Callable[[str], Doc], _BothMatchers]] = {}


def alias_matcher(config: Config, make_doc: Callable[[str], Doc]) -> _BothMatchers:
    """Every watchlist alias, exact case for short ones, any case for the rest."""
    hit = _MATCHERS.get(id(config))
    if hit is not None and hit[0] is config and hit[1] == make_doc:
        return hit[2]
    index = alias_index(config)
    vocab = make_doc("").vocab
    matcher = PhraseMatcher(vocab, attr="LOWER")
    exact = PhraseMatcher(vocab, attr="ORTH")
    for text in index.folded:
        variants = {text, text.replace("'", "\u2019")}
        matcher.add("folded", [make_doc(v) for v in variants])
    for text in index.exact:
        variants = {text, text.replace("'", "\u2019")}
        exact.add("exact", [make_doc(v) for v in variants])
    both = _BothMatchers(matcher, exact)
    if len(_MATCHERS) > 8:
        _MATCHERS.clear()
    _MATCHERS[id(config)] = (config, make_doc, both)
    return both


class _BothMatchers:
    def __init__(self, folded: PhraseMatcher, exact: PhraseMatcher):
        self.folded = folded
        self.exact = exact

    def __call__(self, doc: Doc) -> list[Span]:
        spans = [doc[s:e] for _, s, e in self.folded(doc)] + [doc[s:e] for _, s, e in self.exact(doc)]
        return filter_spans(spans)


def _alias_hits(
    doc: Doc, config: Config, index: AliasIndex, make_doc: Callable[[str], Doc] | None
) -> tuple[list[tuple[Span, str]], set[int]]:
    """Watchlist names NER missed or cut short ("Sylvanian" + "trade ministry").

    A name inside a longer entity of another name ("Jordan" in "the Jordan
    River") is not a mention. Returns the hits and the entities they replace.
    """
    if make_doc is None:
        return [], set()
    ents = [e for e in doc.ents if e.label_ not in SKIP_LABELS]
    hits: list[tuple[Span, str]] = []
    replaced: set[int] = set()
    for h in alias_matcher(config, make_doc)(doc):
        key = index.lookup(h.text)
        if key is None:
            continue
        if any(e.start <= h.start and h.end <= e.end for e in ents):
            continue  # the entity itself is read below
        for e in ents:
            if e.start < h.end and h.start < e.end:
                replaced.add(e.start)
        hits.append((h, key))
    return hits, replaced


def _dateline_span(doc: Doc) -> tuple[tuple[int, int], str | None]:
    span, agency = dateline_of(doc)
    return (span or (0, 0)), agency


def find_actors(
    doc: Doc, doc_id: str, config: Config, make_doc: Callable[[str], Doc] | None = None, source: str | None = None
) -> DocActors:
    index = alias_index(config)
    actors = DocActors(doc_id=doc_id)
    raw: list[tuple[Span, str | None, str]] = []  # (name span, watchlist key, label)
    # The article's own dateline and newswire are not actors in it.
    (dl_start, dl_end), agency = _dateline_span(doc)
    not_actors = {n.casefold() for n in (source, agency) if n}
    hits, replaced = _alias_hits(doc, config, index, make_doc)
    labels = {"person": "PERSON", "organization": "ORG", "country": "GPE"}
    for h, hit_key in hits:
        if dl_start <= h.start_char < dl_end:
            continue
        raw.append((h, hit_key, labels.get(index.info[hit_key][1], "ORG")))
    taken: set[int] = set()  # tokens a person's name took beyond its entity
    for ent in doc.ents:
        if ent.label_ in SKIP_LABELS or ent.start in replaced or dl_start <= ent.start_char < dl_end:
            continue
        if ent.start in taken:
            continue
        if ent.label_ in ("ORG", "PERSON") and normalise(_trim(ent).text).casefold() in not_actors:
            continue
        span = _trim(ent)
        if len(span) == 0:
            continue
        if ent.label_ == "PERSON" and not ent.ent_id_:
            span = _with_particles(span)
            taken.update(range(ent.end, span.end))
        if ent.ent_id_:
            raw.append((span, ent.ent_id_, ent.label_))
            continue
        hit = _match_alias(span, index, ent.label_)
        if hit:
            raw.append((hit[1], hit[0], ent.label_))
        elif ent.label_ in ("PERSON", "ORG"):
            raw.append((span, None, ent.label_))

    # Unknown people: full names first, then single names merged by surname.
    # Two people may share a surname ("Wang Yi" and "Wang Wenbin"): a bare
    # surname is the one of them named last before it (else first after).
    full_names: dict[str, list[tuple[int, str]]] = {}  # surname -> [(token, key)]
    given: dict[str, set[str]] = {}  # first word -> keys ("Xi" of "Xi Jinping": a family name first)
    for span, key, label in raw:
        if key is None and label == "PERSON" and len(span) > 1 and not _looks_like_org(span):
            name = normalise(span.text)
            pkey = _slug_key("person", name)
            parts = name.split()
            full_names.setdefault(parts[-1], []).append((span.start, pkey))
            given.setdefault(parts[0], set()).add(pkey)
            actors.records.setdefault(pkey, ActorRecord(pkey, name, "person", None, None, False))

    def bearer(surname: str, at: int) -> str:
        named = sorted(full_names[surname])
        before = [k for i, k in named if i < at]
        return before[-1] if before else named[0][1]

    for span, key, label in raw:
        text = normalise(span.text)
        if key is None and _not_an_actor(span) and text.split()[-1] not in full_names:
            continue
        if key is None:
            if label == "PERSON" and len(span) > 1 and not _looks_like_org(span):
                key = _slug_key("person", text)
            elif len(span) == 1 and text in full_names:
                key = bearer(text, span.start)
            elif label == "PERSON" and len(span) == 1 and len(given.get(text, ())) == 1:
                key = next(iter(given[text]))
            elif label == "PERSON" and not _looks_like_org(span):
                key = _slug_key("person", text)
                actors.records.setdefault(key, ActorRecord(key, text, "person", None, None, False))
            elif label == "ORG" and _person_like(span):
                key = _slug_key("person", text)
                actors.records.setdefault(key, ActorRecord(key, text, "person", None, None, False))
            elif label == "ORG" and _plausible_org(span) and not _title_fragment(span):
                key = _slug_key("organization", text)
                actors.records.setdefault(key, ActorRecord(key, text, "organization", None, None, False))
            else:
                continue
        elif key not in actors.records:
            name, kind, role, side = index.info[key]
            actors.records[key] = ActorRecord(key, name, kind, role, side, True, role_from_config=role is not None)
        rec = actors.records[key]
        rec.mentions += 1
        rec.aliases.add(text)
        if len(rec.evidence) < MAX_EVIDENCE:
            rec.evidence.append(sentence_evidence(doc_id, span))
        actors.spans.append(Mention(span.start, span.end, key))
        for i in range(span.start, span.end):
            actors.token_key[i] = key
    actors.spans.sort(key=lambda m: m.start)
    _untagged_surnames(doc, actors, (dl_start, dl_end))
    _infer_roles(doc, actors, index)
    _drop_unlikely(doc, actors)
    return actors


def _untagged_surnames(doc: Doc, actors: DocActors, dateline: tuple[int, int]) -> None:
    """A bare surname NER left untagged ("Fowler argued ...") after the person
    was named in full: a mention of the one named last with that surname."""
    people: dict[str, list[tuple[int, str]]] = {}
    for m in actors.spans:
        rec = actors.records[m.key]
        if rec.kind == "person" and len(rec.name.split()) > 1:
            people.setdefault(rec.name.split()[-1], []).append((m.start, m.key))
    if not people:
        return
    added = False
    for t in doc:
        if t.i in actors.token_key or t.pos_ != "PROPN" or not t.is_title or t.text not in people:
            continue
        if dateline[0] <= t.idx < dateline[1]:
            continue
        if t.ent_type_ and t.ent_type_ != "PERSON":
            ent = next((e for e in doc.ents if e.start <= t.i < e.end), None)
            if ent is not None and len(ent) > 1:
                continue  # "the Fowler Foundation": part of another name
        before = [k for i, k in people[t.text] if i < t.i]
        if not before:
            continue
        key = before[-1]
        actors.records[key].mentions += 1
        actors.spans.append(Mention(t.i, t.i + 1, key))
        actors.token_key[t.i] = key
        added = True
    if added:
        actors.spans.sort(key=lambda m: m.start)


def _drop_unlikely(doc: Doc, actors: DocActors) -> None:
    """Unknown one-word names that never act are mostly places and things NER
    misread ("Odesa", "Brexit"): an actor here is named in full, has a role,
    is an acronym, is the subject of a verb at least once, or has an
    honorific ("Mr.", "Dr.")."""
    if not doc.has_annotation("DEP"):
        return
    by_key: dict[str, list[Mention]] = {}
    for m in actors.spans:
        by_key.setdefault(m.key, []).append(m)
    for key, mentions in by_key.items():
        rec = actors.records.get(key)
        if rec is None or rec.watchlisted or rec.kind == "country":
            continue
        in_title = all(all(i in actors.title_tokens for i in range(m.start, m.end)) for m in mentions)
        if rec.kind == "organization" and in_title:
            pass  # "External Affairs Minister ...": part of a title
        elif len(rec.name.split()) > 1 or rec.role or rec.name.isupper():
            continue
        elif any(
            t.dep_ in ("nsubj", "nsubjpass") or (t.dep_ == "poss" and t.head.dep_ in ("nsubj", "nsubjpass"))
            for m in mentions
            for t in doc[m.start : m.end]
        ):
            continue
        elif rec.kind == "person" and any(m.start > 0 and doc[m.start - 1].lower_ in HONORIFICS for m in mentions):
            continue  # "a visit by Mr. Lund": a person, whatever he does
        for m in mentions:
            actors.forget(m)


LOCATIVE = english().locative_prepositions
# Names of documents and laws, not of actors: "the Harbour Fees Bill".
DOCUMENT_HEADS = english().document_heads


def _not_an_actor(span: Span) -> bool:
    """An unknown name that the words around it show is a place or a document."""
    last = span[-1]
    if last.lower_ in DOCUMENT_HEADS:
        return True
    i = span.start - 1
    if i >= 0 and span.doc[i].lower_ == "the":
        i -= 1
    prev = span.doc[i] if i >= 0 else None
    # "in Vellmar", "near Port Alba", "in the Outer Reach": NER sometimes reads a place as a name.
    return bool(prev is not None and prev.lower_ in LOCATIVE and prev.pos_ == "ADP")


def _looks_like_org(span: Span) -> bool:
    return span[-1].lower_ in english().org_suffixes


# Head words of organisation names, in English.
ORG_WORDS = english().org_words


def _with_particles(span: Span) -> Span:
    """A person's name NER cut at a particle: "Ursula von" of "Ursula von der
    Leyen" runs on to the last capitalised word."""
    doc = span.doc
    end = span.end
    while end < len(doc) and doc[end].lower_ in NAME_PARTICLES and doc[end].is_lower:
        end += 1
    if end == span.end and span[-1].lower_ not in NAME_PARTICLES:
        return span
    if end >= len(doc) or not doc[end].is_title or doc[end].pos_ != "PROPN":
        return span
    while end < len(doc) and doc[end].is_title and doc[end].pos_ == "PROPN" and doc[end].ent_type_ not in SKIP_LABELS:
        end += 1
    return doc[span.start : end]


def _person_like(span: Span) -> bool:
    """An ORG reading of what the words around show is a person's name:
    "ombudsman Jan Berg", "Berg, the minister", "Von der Leyen, the president"."""
    if not 2 <= len(span) <= 3 or span[-1].pos_ != "PROPN":
        return False
    if any(not (t.is_title and t.pos_ == "PROPN") and t.lower_ not in NAME_PARTICLES for t in span):
        return False
    if span[-1].lower_ in ORG_WORDS or any(t.lower_ in ORG_WORDS for t in span):
        return False
    doc = span.doc
    prev = doc[span.start - 1] if span.start > 0 else None
    if prev is not None and prev.pos_ == "NOUN" and prev.is_lower:
        return True  # "ombudsman Jan Berg"
    root = span.root
    if root.dep_ == "appos" and root.head.pos_ == "NOUN":
        return True  # "Sylvania's ombudsman, Jan Berg,"
    return any(c.dep_ == "appos" and c.pos_ == "NOUN" for c in root.children)


def _title_fragment(span: Span) -> bool:
    """A one-word ORG that is part of a title or a longer name.

    "Secretary of State", "Group of 8", "Defence Secretary Kim Lowe":
    NER often tags the capitalised word alone.
    """
    if len(span) != 1 or span[0].text.isupper():
        return False
    doc = span.doc
    nxt = doc[span.end] if span.end < len(doc) else None
    prev = doc[span.start - 1] if span.start > 0 else None
    if (nxt is not None and nxt.lower_ == "of") or (prev is not None and prev.lower_ == "of"):
        return True
    after = doc[span.end + 1] if span.end + 1 < len(doc) else None
    return bool(nxt is not None and nxt.is_title and after is not None and after.ent_type_ == "PERSON")


def _plausible_org(span: Span) -> bool:
    """NER ORG spans that are names, not stray capitalised words."""
    text = span.text
    if len(text) < 2 or not any(c.isupper() for c in text):
        return False
    return not all(t.is_stop or t.is_punct for t in span)


# --- roles and sides --------------------------------------------------------

TITLE_POS = {"PROPN", "NOUN", "ADJ"}
TOPIC_PREPOSITIONS = english().role_topic_prepositions
OPPOSING_NOUNS = english().opposing_nouns
MEMBER_GROUPS = english().member_groups
MEMBERSHIP_VERBS = english().membership_verbs
COMPANION_VERBS = english().companion_verbs
COUNTERPART_NOUNS = english().counterpart_nouns
SIDE_OF_PREPS = english().side_of_preps
NAME_PARTICLES = english().name_particles
STOP_ENTS = {"DATE", "TIME", "CARDINAL", "PERSON", "ORDINAL", "MONEY", "PERCENT"}


def _title_before(doc: Doc, start: int) -> tuple[int, int | None]:
    """Start of a title right before a name, and the possessor token if any."""
    i = start - 1
    while i >= 0:
        t = doc[i]
        if t.ent_type_ in STOP_ENTS:
            break
        if t.text in POSSESSIVE:
            return i + 1, i - 1 if i > 0 else None
        if t.pos_ in TITLE_POS or (t.text == "-" and t.whitespace_ == "" and i > 0 and doc[i - 1].whitespace_ == ""):
            i -= 1
            continue
        if (
            t.lower_ in ("of", "for")
            and i > 0
            and doc[i - 1].pos_ in ("PROPN", "NOUN")
            and doc[i + 1].pos_ == "PROPN"
            and i + 1 < start  # "Minister of State for Foreign Affairs X", not "a problem for X"
        ):
            i -= 1
            continue
        break
    if start > 0 and doc[start - 1].lower_ in HONORIFICS and any(t.is_lower for t in doc[i + 1 : start - 1]):
        return start, None  # "damages Mr Begg could bring": an honorific ends what is no title
    return i + 1, None


def _clean_role(tokens: list[Token], index: AliasIndex) -> tuple[str | None, str | None]:
    """Role text without leading party words, and the side those words name."""
    side = None
    words = list(tokens)
    within = {t.i for t in words}
    for t in words:
        key = index.lookup(t.text)
        if key and key.startswith(PARTY_PREFIX) and not _topic_of(t, within):
            side = key[len(PARTY_PREFIX) :]
    while words and (index.lookup(words[0].text) or "").startswith(PARTY_PREFIX):
        words = words[1:]
    while words and (
        words[0].pos_ in ("DET", "ADP", "PUNCT", "CCONJ")
        or words[0].tag_ in ("PRP$", "POS")
        or words[0].lower_ in HONORIFICS
    ):
        words = words[1:]
    while words and words[-1].pos_ in ("PUNCT", "ADP", "CCONJ"):
        words = words[:-1]
    if not words or not any(t.pos_ in ("NOUN", "PROPN") and not t.ent_type_ for t in words):
        return None, side
    text = "".join(t.text_with_ws for t in words).strip()
    return text, side


def _topic_of(token: Token, within: set[int] | None = None, place: bool = True) -> bool:
    """A party named as what a role is about, not whose it is: "envoy for
    Iran", "ambassador to North Korea". The preposition must be in the role's
    own words (`within`), not the sentence's ("meet with Chinese Minister X")."""
    head = token
    while head.dep_ in ("compound", "amod", "flat") and head.head.i != head.i:
        if within is not None and head.head.i not in within:
            break
        head = head.head
    before = token.i - 1
    while before >= 0 and token.doc[before].pos_ == "DET":
        before -= 1
    if before >= 0 and (within is None or before in within):
        # "Special Envoy for Sylvania Tom Reyes", however it is parsed
        word = token.doc[before].lower_
        if word in TOPIC_PREPOSITIONS and (place or word not in LOCATIVE):
            return True
    prep = head.head
    return (
        head.dep_ == "pobj"
        and prep.lower_ in TOPIC_PREPOSITIONS
        and (place or prep.lower_ not in LOCATIVE)  # "expert at the Council" works there
        and (within is None or prep.i in within)
    )


def _side_of_entities(tokens: list[Token], actors: DocActors) -> str | None:
    within = {t.i for t in tokens}
    for t in tokens:
        key = actors.key_at(t.i)
        if (
            key
            and actors.records[key].side
            and actors.records[key].kind != "person"
            and not _topic_of(t, within, place=actors.records[key].kind == "country")
        ):
            return actors.records[key].side
    return None


def _org_side(doc: Doc, m: Mention, actors: DocActors, index: AliasIndex) -> str | None:
    """The side of an organisation the watchlist lacks: a party named in its
    name ("Pakistan Rangers") or just before it ("the Indian army",
    "Freedonia's border guard"), or "its"/"their" after a country."""
    for t in doc[m.start : m.end]:
        key = index.lookup(t.text)
        if key and key.startswith(PARTY_PREFIX):
            return key[len(PARTY_PREFIX) :]
    j = m.start - 1
    while j >= 0 and doc[j].lower_ in ("the", "'s", "\u2019s"):
        j -= 1
    if j >= 0:
        key = actors.key_at(j) or index.lookup(doc[j].text)
        if key and key.startswith(PARTY_PREFIX):
            return key[len(PARTY_PREFIX) :]
        if doc[j].lower_ in ("its", "their"):
            country = actors.nearest_before(j, {"country"})
            return actors.side(country)
    return None


def _infer_roles(doc: Doc, actors: DocActors, index: AliasIndex) -> None:
    has_dep = doc.has_annotation("DEP")
    for m in actors.spans:
        rec = actors.records[m.key]
        if rec.kind == "organization" and not rec.side and not rec.watchlisted:
            rec.side = _org_side(doc, m, actors, index)
        if rec.kind != "person":
            continue
        t_start, possessor = _title_before(doc, m.start)
        actors.title_tokens.update(range(t_start, m.start))
        office = _office_before(doc, m, actors) if has_dep else None
        if rec.role and rec.side:
            continue
        role, side = office, None
        if t_start < m.start and role is None:
            tokens = list(doc[t_start : m.start])
            role, side = _clean_role(tokens, index)
            side = side or _side_of_entities(tokens, actors)
        if possessor is not None and not side:
            pkey = actors.key_at(possessor)
            opposing = any(t.lemma_.lower() in OPPOSING_NOUNS for t in doc[t_start : m.start])
            if pkey and not opposing:
                side = actors.records[pkey].side
        if has_dep:
            for finder in (_appositive_role, _described_by_role, _copula_role, _of_role):
                role2, side2 = finder(doc, m, actors, index)
                role = role or role2
                side = side or side2
                if role and side:
                    break
        if role and not rec.role:
            rec.role = role
        if side and not rec.side:
            rec.side = side
    for rec in actors.records.values():  # "Foreign Secretary Jack Straw" in British copy, "the Kremlin"
        if not rec.side and not rec.watchlisted and rec.kind in ("person", "organization"):
            rec.side = index.office_side(rec.role if rec.kind == "person" else rec.name)
    if has_dep:
        _sides_from_context(doc, actors, index)


# --- sides from how the sentence places a person -------------------------------------


def _party_named(token: Token, actors: DocActors, index: AliasIndex) -> str | None:
    key = actors.key_at(token.i) or index.lookup(token.text)
    if key and key.startswith(PARTY_PREFIX):
        return key[len(PARTY_PREFIX) :]
    if key and key in actors.records and actors.records[key].kind == "country":
        return actors.records[key].side
    return None


def _party_of(noun: Token, actors: DocActors, index: AliasIndex) -> str | None:
    """The one party a noun's modifiers name: "the Israeli delegation",
    "Egypt's team", "the delegation from Israel"; None for none or two."""
    found: set[str] = set()
    for child in noun.children:
        if child.dep_ in ("amod", "compound", "poss", "nmod"):
            party = _party_named(child, actors, index)
            if party:
                found.add(party)
            if any(c.dep_ == "conj" for c in child.children):
                return None  # "the Greek and Cypriot delegations"
        elif child.dep_ == "prep" and child.lower_ in SIDE_OF_PREPS:
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    party = _party_named(pobj, actors, index)
                    if party:
                        found.add(party)
    return found.pop() if len(found) == 1 else None


def _argument(token: Token) -> Token:
    """The word that stands for a name in its clause: "Foreign Minister Moshe
    Dayan and ..." is the first conjunct; "the Minister ..., Hajime Tamura"
    the noun it describes."""
    t = token
    while t.dep_ in ("compound", "flat") and t.head.i != t.i:
        t = t.head
    if t.dep_ == "appos" and t.head.i < t.i:
        t = t.head
    while t.head.i != t.i and (
        t.dep_ == "conj"
        # "Minister Moshe Dayan and Defense Minister Ezer Weizman" is often
        # parsed with the first name as a modifier of the second
        or (t.dep_ == "nmod" and t.head.pos_ == "PROPN" and any(c.dep_ == "cc" for c in t.children))
    ):
        t = t.head
        while t.dep_ in ("compound", "flat") and t.head.i != t.i:
            t = t.head
    return t


def _side_on(verb: Token, actors: DocActors, index: AliasIndex) -> str | None:
    """ "on the Israeli side", said of the verb."""
    for prep in verb.children:
        if prep.dep_ == "prep" and prep.lower_ == "on":
            for pobj in prep.children:
                if pobj.dep_ == "pobj" and pobj.lemma_.lower() in MEMBER_GROUPS:
                    return _party_of(pobj, actors, index)
    return None


def _group_side(verb: Token, actors: DocActors, index: AliasIndex, deps: tuple[str, ...]) -> str | None:
    """The party of the group a membership verb speaks of: its subject (or
    object) "delegation", or the one it qualifies ("the delegation, led by")."""
    groups = [c for c in verb.children if c.dep_ in deps]
    if verb.dep_ == "acl":
        groups.append(verb.head)
    for g in groups:
        if g.lemma_.lower() not in MEMBER_GROUPS:
            of = [o for p in g.children if p.dep_ == "prep" and p.lower_ == "of" for o in p.children]
            g = next((o for o in of if o.dep_ == "pobj"), g)  # "the head of the Israeli delegation is ..."
        if g.lemma_.lower() in MEMBER_GROUPS:
            party = _party_of(g, actors, index)
            if party:
                return party
    return _side_on(verb, actors, index)


def _third_party(doc: Doc, m: Mention, actors: DocActors, index: AliasIndex) -> bool:
    """A nationality that is no party's in the words before the name or in
    its appositive ("Turkish President Erdogan", "Sameh Shoukry, the
    Egyptian foreign minister")."""
    t_start, _ = _title_before(doc, m.start)
    tokens = list(doc[t_start : m.start])
    name = doc[m.end - 1]
    for child in name.children:
        if child.dep_ == "appos" and child.i >= m.end:
            tokens.extend(child.subtree)
    if name.dep_ == "appos" and name.head.i < m.start:
        tokens.extend(t for t in name.head.subtree if t.i < m.start)
    return any(
        t.ent_type_ in ("NORP", "GPE") and not _party_named(t, actors, index) and not actors.key_at(t.i) for t in tokens
    )


def _sides_from_context(doc: Doc, actors: DocActors, index: AliasIndex) -> None:
    """Sides for people the title and appositive left without one:

    - a group of one side: "the Israeli delegation includes Moshe Dayan",
      "Ezer Weizman leads the Israeli team", "led by X on the Israeli side";
    - company: "Sadat is accompanied by Foreign Minister Kamel", and whose
      aide one is ("Biden's national security adviser Jake Sullivan"), once
      that person's side is known;
    - counterparts in a two-party relation: "Modi hopes to meet his Pakistani
      counterpart" puts Modi on the other side, unless a nationality of no
      party marks him as a third party.

    A side read this way never replaces one already read."""
    parties = [k[len(PARTY_PREFIX) :] for k in index.info if k.startswith(PARTY_PREFIX)]
    people = [m for m in actors.spans if actors.records[m.key].kind == "person"]
    same: list[tuple[str, str]] = []  # (a, b): b is on a's side
    across: list[tuple[str | None, str | None, str | None]] = []  # (possessor, counterpart, party named)
    third = {m.key for m in people if _third_party(doc, m, actors, index)}

    def set_side(key: str | None, side: str | None) -> bool:
        if key is None or side is None or key in third:
            return False
        rec = actors.records[key]
        if rec.side or rec.watchlisted:
            return False
        rec.side = side
        return True

    for m in people:
        name = doc[m.end - 1]
        arg = _argument(name)
        verb = arg.head
        lemma = verb.lemma_.lower()
        if arg.dep_ in ("dobj", "attr", "oprd") and lemma in MEMBERSHIP_VERBS:
            set_side(m.key, _group_side(verb, actors, index, ("nsubj", "nsubjpass")))
        elif arg.dep_ == "nsubj" and lemma in MEMBERSHIP_VERBS and lemma != "be":
            set_side(m.key, _group_side(verb, actors, index, ("dobj",)))
        elif arg.dep_ == "pobj" and verb.lower_ == "by" and verb.dep_ == "agent":
            verb = verb.head
            lemma = verb.lemma_.lower()
            if lemma in MEMBERSHIP_VERBS:
                set_side(m.key, _group_side(verb, actors, index, ("nsubjpass",)))
            elif lemma in COMPANION_VERBS:
                principal = [c for c in verb.children if c.dep_ == "nsubjpass"]
                if verb.dep_ == "acl":
                    principal.append(verb.head)
                for p in principal:
                    pkey = actors.key_at(p.i)
                    if pkey and actors.kind(pkey) == "person":
                        same.append((pkey, m.key))
        if arg.dep_ == "nsubj" and lemma in COMPANION_VERBS:
            for obj in verb.children:
                okey = actors.key_at(obj.i) if obj.dep_ == "dobj" else None
                if okey and actors.kind(okey) == "person":
                    same.append((okey, m.key))
        t_start, possessor = _title_before(doc, m.start)
        title = list(doc[t_start : m.start])
        if name.dep_ == "appos" and name.head.i < m.start:  # "Lena Ortiz's senior adviser, Jan Berg"
            title = [t for t in name.head.subtree if t.i < m.start]
            owner = [c for c in name.head.children if c.dep_ == "poss"]
            possessor = owner[0].i if owner else possessor
        pkey = actors.key_at(possessor) if possessor is not None else None
        if pkey and actors.kind(pkey) == "person" and not any(t.lemma_.lower() in OPPOSING_NOUNS for t in title):
            same.append((pkey, m.key))

    for noun in doc:
        if noun.lemma_.lower() not in COUNTERPART_NOUNS or noun.tag_ == "NNS":
            continue
        named = None  # the person the counterpart is
        if noun.dep_ in ("compound", "appos") and actors.kind(actors.key_at(noun.head.i)) == "person":
            named = actors.key_at(noun.head.i)
        for child in noun.children:
            if child.dep_ in ("appos", "compound") and actors.kind(actors.key_at(child.i)) == "person":
                named = named or actors.key_at(child.i)
        whose = None
        for child in noun.children:
            if child.dep_ != "poss":
                continue
            if actors.kind(actors.key_at(child.i)) == "person":
                whose = actors.key_at(child.i)
            elif child.tag_ == "PRP$" and child.lower_ in ("his", "her"):
                sent = sent_of(noun)
                before = [x for x in people if sent.start <= x.start and x.end <= child.i and x.key != named]
                whose = before[0].key if before else None  # the clause's subject comes first
        if whose or named:
            across.append((whose, named, _party_of(noun, actors, index)))

    def other(side: str | None) -> str | None:
        rest = [p for p in parties if p != side]
        return rest[0] if side in parties and len(parties) == 2 and len(rest) == 1 else None

    for _ in range(4):  # a side found may tell another
        changed = False
        for a, b in same:
            changed |= set_side(b, actors.side(a)) | set_side(a, actors.side(b))
        for whose, named, party in across:
            if party:
                changed |= set_side(named, party) | set_side(whose, other(party))
            else:
                changed |= set_side(whose, other(actors.side(named))) | set_side(named, other(actors.side(whose)))
        if not changed:
            break


def _office_before(doc: Doc, m: Mention, actors: DocActors) -> str | None:
    """ "the Minister of Harbours and Fisheries, Otto Brandt": NER
    read the office as an organisation; it is the person's role."""
    name = doc[m.end - 1]
    if name.dep_ != "appos" or name.head.i >= m.start:
        return None
    okey = actors.key_at(name.head.i)
    if not okey or actors.records[okey].watchlisted or actors.kind(okey) != "organization":
        return None
    span = [x for x in actors.spans if x.key == okey and x.start <= name.head.i < x.end]
    if not span:
        return None
    office = span[0]
    if not doc[office.start].is_title or doc[office.start].ent_type_ not in ("ORG", ""):
        return None
    actors.forget(office)
    return normalise(doc[office.start : office.end].text)


def _phrase_role(
    doc: Doc, start: int, end: int, actors: DocActors, index: AliasIndex, stop: Token | None = None
) -> tuple[str | None, str | None]:
    """Role and side from a noun phrase, cut before a relative clause."""
    tokens = []
    for t in doc[start:end]:
        if stop is not None and t.i >= stop.i:
            break
        tokens.append(t)
    if not tokens or len(tokens) > 14 or any(t.pos_ in ("VERB", "AUX") and t.tag_ != "VBN" for t in tokens):
        return None, None
    role, side = _clean_role(tokens, index)
    side = side or _side_of_entities(tokens, actors)
    return role, side


def _clause_start(token: Token) -> Token | None:
    """The first word of a relative or participial clause under `token`."""
    for child in token.children:
        if child.dep_ in ("relcl", "acl") and child.i > token.i:
            return child.left_edge
    return None


def _appositive_role(doc: Doc, m: Mention, actors: DocActors, index: AliasIndex) -> tuple[str | None, str | None]:
    """ "Tom Reyes, the top Freedonian envoy for the region"."""
    head = doc[m.end - 1]
    for child in head.children:
        if child.dep_ == "appos" and child.i >= m.end:
            return _phrase_role(
                doc, child.left_edge.i, child.right_edge.i + 1, actors, index, stop=_clause_start(child)
            )
    return None, None


def _described_by_role(doc: Doc, m: Mention, actors: DocActors, index: AliasIndex) -> tuple[str | None, str | None]:
    """ "Sylvania's river commissioner, Jan Berg": the name is the appositive."""
    name = doc[m.end - 1]
    if name.dep_ != "appos" or name.head.i >= m.start or name.head.pos_ not in ("NOUN", "PROPN"):
        return None, None
    if actors.key_at(name.head.i):
        return None, None  # "Egypt, Mohammed Kamel ...": a list, not a description
    head = name.head
    return _phrase_role(doc, head.left_edge.i, head.i + 1, actors, index)


def _copula_role(doc: Doc, m: Mention, actors: DocActors, index: AliasIndex) -> tuple[str | None, str | None]:
    """ "Brandt is Sylvania's trade minister"."""
    name = doc[m.end - 1]
    verb = name.head
    if name.dep_ != "nsubj" or verb.lemma_ != "be":
        return None, None
    for child in verb.children:
        if child.dep_ == "attr" and child.pos_ == "NOUN":
            return _phrase_role(
                doc, child.left_edge.i, child.right_edge.i + 1, actors, index, stop=_clause_start(child)
            )
    return None, None


def _of_role(doc: Doc, m: Mention, actors: DocActors, index: AliasIndex) -> tuple[str | None, str | None]:
    """ "Deputy Secretary Lena Ortiz of Freedonia's home ministry": the side only."""
    name = doc[m.end - 1]
    for child in name.children:
        if child.dep_ == "prep" and child.lower_ == "of" and child.i == m.end:
            tokens = list(child.subtree)
            _, side = _clean_role(tokens, index)
            return None, side or _side_of_entities(tokens, actors)
    return None, None


def resolve_description(
    noun: Token, actors: DocActors, config: Config, skip: set[int] | frozenset = frozenset()
) -> str | None:
    """The actor a description names.

    "the prime minister said": the nearest earlier actor with that role, or
    the one watchlisted actor holding it. "Its foreign ministry said": the
    watchlist name "<country>'s foreign ministry", "its" being the nearest
    country before.
    """
    doc = noun.doc
    if actors.key_at(noun.i):
        return None
    left = [t for t in noun.subtree if t.i <= noun.i and t.dep_ != "det" and t.tag_ != "PRP$"]
    if not left or any(actors.kind(actors.key_at(t.i)) == "person" for t in left):
        return None
    phrase = " ".join(t.lower_ for t in left)
    owner = next((t for t in noun.children if t.tag_ == "PRP$" and t.lower_ in ("its", "their")), None)
    index = alias_index(config)
    if owner is not None:
        country = actors.nearest_before(owner.i, {"country"}, skip=set(skip))
        if country is None:
            return None
        forms = (
            [actors.name(country)]
            + [a for a, k in index.exact.items() if k == country]
            + [a for a, k in index.folded.items() if k == country]
        )
        for form in forms:
            key = index.lookup(f"{form}'s {phrase}") or index.lookup(f"{form} {phrase}")
            if key:
                return actors.adopt(key, index, sentence_evidence(actors.doc_id, doc[owner.i : noun.i + 1]))
        return None
    poss = [c for c in noun.children if c.dep_ == "poss" and actors.kind(actors.key_at(c.i)) == "country"]
    if poss:
        # "Egypt's president": the one actor of that side holding the role.
        side = actors.name(actors.key_at(poss[0].i))
        rest = {t.lower_ for t in left if t.i > poss[0].i and not t.is_punct and t.text not in POSSESSIVE}
        holders = {
            k
            for k, r in actors.records.items()
            if r.kind == "person"
            and r.side == side
            and r.role
            and rest
            and rest <= set(re.findall(r"[\w'-]+", r.role.casefold()))
        }
        holders |= {
            k
            for k, (_, kind, role, s) in index.info.items()
            if kind == "person" and s == side and role and rest and rest <= set(re.findall(r"[\w'-]+", role.casefold()))
        }
        if len(holders) == 1:
            return actors.adopt(holders.pop(), index, sentence_evidence(actors.doc_id, noun))
        return None
    if not any(t.dep_ == "det" and t.lower_ == "the" for t in noun.children):
        return None
    if noun.pos_ == "PROPN" and not noun.is_title and not noun.is_lower:
        return None
    # "the Minister of State for the Outer Isles": the words after the head count too.
    full = phrase
    tail = [t for t in noun.subtree if t.i > noun.i and t.dep_ not in ("punct", "relcl", "appos", "acl")]
    if tail and all(t.i == tail[0].i + k for k, t in enumerate(tail)):
        full = " ".join([phrase, *(t.lower_ for t in tail)])
    words = {t.lower_ for t in left if not t.is_punct}

    def fits(role: str | None) -> bool:
        if not role:
            return False
        role_words = set(re.findall(r"[\w'-]+", role.casefold()))
        return words <= role_words or full == role.casefold()

    for m in reversed(actors.spans):
        if m.start >= noun.i:
            continue
        rec = actors.records[m.key]
        if rec.kind == "person" and fits(rec.role):
            return m.key
    configured = [k for k, (_, kind, role, _) in index.info.items() if kind == "person" and fits(role)]
    if len(configured) == 1:
        return actors.adopt(configured[0], index, sentence_evidence(actors.doc_id, noun))
    return None
