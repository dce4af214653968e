"""Planned meetings, visits, talks, calls and summits.

A sentence holds an engagement when one of the config's cue words appears
in it as a verb or noun. Participants come from the parse: the subject of
the cue (or of the verb that governs it: "X plans to meet"), its possessor
("X's trip"), and the objects ("with Y", "meet Y", "between X and Y"),
including coordinated lists. With several counterparts each gets its own
record, with the date and hedge nearest to it ("meet Y on Sunday, Z, and
possibly W on Monday"). A cue with no participants of its own continues the
engagement of the sentence before ("Chances could come at a summit ...").

Status: cancelled or postponed when such a word governs or modifies the cue;
past when the resolved date is before publication or the verb is past tense;
tentative when hedged; else planned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

from spacy.tokens import Doc, Span, Token

from tui.config import Config
from tui.extract.actors import DocActors, alias_index, resolve_description, sentence_evidence
from tui.extract.aggregate import date_bounds
from tui.extract.dates import (
    CHAINED_IN_TEXT,
    ResolvedDate,
    dateline_day,
    dateline_day_words,
    find_date_expressions,
    is_duration,
    resolve_chained,
    resolve_date,
)
from tui.extract.lexicon import english, inflections
from tui.extract.models import EngagementMention, Evidence, QuoteMention
from tui.extract.pipeline import PARTY_PREFIX
from tui.extract.sents import dateline_of, doc_text, ent_at, ents_in, sent_of, sentence_index

PLACE_LABELS = {"GPE", "LOC", "FAC"}
DATE_LABELS = {"DATE"}
OBJECT_PREPS = {"with", "between", "among", "alongside"}
DESTINATION_PREPS = {"to", "in"}
FUTURE_AUX = {"will", "'ll", "\u2019ll", "shall", "would", "could", "may", "might", "should", "wo"}
# Personal pronouns that can stand for a participant (possessives stay out).
PRONOUNS = {w for w in english().pronouns if w not in ("his", "hers", "its", "their")}
FIRST_PERSON = english().first_person
HEAD_DEPS = {"pobj", "dobj", "conj", "nsubj", "nsubjpass", "appos", "ROOT", "attr", "dative"}


@dataclass
class _Vocab:
    cues: set[str]
    tentative: set[str]
    tentative_phrases: list[str]
    postponed: set[str]
    postponed_phrases: list[str]
    cancelled: set[str]
    cancelled_phrases: list[str]


def _split(words: list[str]) -> tuple[set[str], list[str]]:
    single = inflections([w for w in words if " " not in w.strip()])
    multi = sorted(inflections([w for w in words if " " in w.strip()]))
    return single, multi


def _vocab(config: Config) -> _Vocab:
    e = config.engagements
    t1, t2 = _split(e.tentative)
    p1, p2 = _split(e.postponed)
    c1, c2 = _split(e.cancelled)
    return _Vocab({c.lower() for c in e.cues} | inflections(e.cues), t1, t2, p1, p2, c1, c2)


def _has(token: Token, words: set[str]) -> bool:
    return token.lower_ in words or token.lemma_.lower() in words


@dataclass
class _Party:
    key: str
    start: int  # token index of the mention
    end: int
    hedged: bool = False
    stands_for: str = ""  # the words that name every side at once ("officials of both countries")


@dataclass
class _Found:
    participants: list[str]
    what: str
    where: str | None
    when: ResolvedDate | None
    when_text: str | None
    status: str
    evidence: Evidence
    sent_index: int
    inherited: bool = False
    keys: list[str] = field(default_factory=list)
    cue: Token | None = None
    status_reason: str = ""
    participants_reason: str = ""
    support: list[Evidence] = field(default_factory=list)


class _Finder:
    def __init__(
        self,
        doc: Doc,
        doc_id: str,
        published: str | None,
        config: Config,
        actors: DocActors,
        quotes: list[QuoteMention],
    ):
        self.doc = doc
        self.doc_id = doc_id
        self.pub = date.fromisoformat(published) if published else None
        # Relative dates count from the dateline's day where the wire gives one
        # ("THURMONT, Md., Sept. 5 -" in the next morning's paper), else from
        # publication.
        self.base_note = ""
        self.published = published
        self.dateline_words: Span | None = None
        dateline, _ = dateline_of(doc)
        if dateline is not None and self.pub is not None:
            line = doc_text(doc)[dateline[0] : dateline[1]]
            day = dateline_day(line, self.pub)
            if day is not None and day != self.pub:
                self.published = day.isoformat()
                self.base_note = f" (counted from the dateline's {day.isoformat()})"
                words = dateline_day_words(line)
                if words is not None:
                    a, b = dateline[0] + words[0], dateline[0] + words[1]
                    self.dateline_words = doc.char_span(a, b, alignment_mode="expand")
        # A date expression (by its first token) -> the words its day was
        # counted from: the day before "the following day", the dateline.
        self.counted_from: dict[int, Span] = {}
        self.actors = actors
        self.v = _vocab(config)
        self.config = config
        self.parties = [PARTY_PREFIX + p.name for p in config.parties]
        self.has_dep = doc.has_annotation("DEP")
        self._days: list[tuple[Span, date]] | None = None
        self.last_found: _Found | None = None
        self.quote_of: dict[int, QuoteMention] = {}
        for q in quotes:
            span = doc.char_span(q.start, q.end, alignment_mode="expand")
            if span is not None:
                for i in range(span.start, span.end):
                    self.quote_of[i] = q

    # --- cues -------------------------------------------------------------

    def travels_to_a_side(self, t: Token) -> bool:
        """ "Begin would go to Cairo", "Vance may fly to Cairo and Jerusalem":
        travel to a party of the relation is a visit to it, cue word or not."""
        if not self.has_dep or t.pos_ != "VERB" or t.lemma_.lower() not in english().travel_words:
            return False
        if t.lemma_.lower() in english().homecoming_verbs:
            return False  # "the four will return to Britain": going home is no visit
        conditions = {
            x.i
            for c in t.children
            if c.dep_ == "advcl" and any(m.dep_ == "mark" for m in c.children)
            for x in c.subtree
        }  # "if the talks succeed": a condition, not the purpose
        if any(
            x.i != t.i and x.i not in conditions and (x.lower_ in self.v.cues or x.lemma_.lower() in self.v.cues)
            for x in t.subtree
        ):
            return False  # "will travel to London for talks", "fly to X to meet Y": that is the engagement
        subjects = [c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")]
        own = self.actors.side(self.actor_of(subjects[0])) if subjects else None
        for prep in t.children:
            if prep.dep_ == "prep" and prep.lower_ == "to":
                for pobj in prep.children:
                    for x in [pobj, *(c for c in pobj.children if c.dep_ == "conj")]:
                        key = self.actors.key_at(x.i)
                        if key in self.parties and self.actors.name(key) != own:
                            return True
        return False

    def is_cue(self, t: Token) -> bool:
        if t.pos_ not in ("VERB", "NOUN", "PROPN") and self.has_dep:
            return False
        if t.ent_type_ in ("PERSON", "DATE", "TIME"):
            return False
        if not (t.lower_ in self.v.cues or t.lemma_.lower() in self.v.cues):
            return self.travels_to_a_side(t)
        if t.pos_ == "VERB":
            # A phrasal verb means something else: "called off", "call on them to";
            # so does one whose object is a thing: "called the decision", "visited the site".
            # A verb whose object names an actor is a meeting, whatever else the
            # parse hangs on it ("meet X ..., the first such encounter").
            en = english()
            met = any(
                c.dep_ == "dobj"
                and (
                    self.actors.key_at(c.i)
                    or (
                        c.lemma_.lower() in en.person_nouns
                        and any(self.actors.key_at(x.i) for x in c.subtree)
                    )
                )
                for c in t.children
            )  # "meet Y", "is meeting British officials"
            off = en.not_engagement_preps.get(t.lemma_.lower(), frozenset())
            if off and not met and t.i + 1 < len(self.doc) and self.doc[t.i + 1].lower_ in off:
                return False  # "called for the embargo to be lifted"
            for c in t.children:
                if c.dep_ == "prt":
                    return False
                if c.dep_ in ("prep", "mark", "dative") and c.lower_ in off and not met:
                    return False  # "called on them to stop"
                if t.dep_ == "xcomp" and any(d.dep_ == "dobj" for d in t.head.children):
                    continue  # "invited X to visit the site": X's visit
                if (
                    not met
                    and c.dep_ == "dobj"
                    and c.pos_ == "NOUN"
                    and not self.actors.key_at(c.i)
                    and not any(self.actors.key_at(x.i) for x in c.subtree if x.dep_ in ("conj", "appos", "pobj"))
                ):
                    return False
        return True

    # --- participants -----------------------------------------------------

    def actor_of(self, token: Token, allow_country: bool = True) -> str | None:
        key = self.actors.key_at(token.i)
        if key:
            if self.actors.kind(key) == "country" and not allow_country:
                return None
            return key
        low = token.lower_
        if low in FIRST_PERSON and token.i in self.quote_of:
            return self.quote_of[token.i].speaker_key
        if token.pos_ in ("NOUN", "PROPN") and token.dep_ in HEAD_DEPS:
            key = resolve_description(token, self.actors, self.config, frozenset(self.quote_of))
            if key:
                return key
        if low in PRONOUNS:
            kinds = {"person"} if low in ("he", "she", "him", "her") else {"organization", "country", "person"}
            # Inside a quote "he" is someone the speaker talks about, not the speaker.
            speaker = self.quote_of[token.i].speaker_key if token.i in self.quote_of else None
            return self.actors.nearest_before(
                token.i, kinds, skip=set(self.quote_of), prefer_subject=self.doc, accept=lambda k: k != speaker
            )
        return None

    def both_sides(self, token: Token) -> list[_Party]:
        """ "the two countries", "both sides", "the two countries' ministers",
        "officials of both countries", "delegations from the two sides": every party."""
        n = len(self.parties)
        counts = {"both": 2, "two": 2, "three": 3, "four": 4, "five": 5, "2": 2, "3": 3, "4": 4, "5": 5}
        en = english()
        candidates = [token, *(c for c in token.children if c.dep_ == "poss")]
        if token.lemma_.lower() in en.person_nouns or token.lemma_.lower() in en.side_groups:
            candidates += [
                pobj
                for prep in token.children
                if prep.dep_ == "prep" and prep.lower_ in en.side_of_preps
                for pobj in prep.children
                if pobj.dep_ == "pobj" and pobj.lemma_.lower() in en.side_nouns
            ]
        for t in candidates:
            if t.tag_ in ("NNS", "NNPS") and any(counts.get(c.lower_, 0) >= n >= 2 for c in t.children):
                if t.i == token.i:
                    people = self.role_holders(t.lemma_.lower())
                    if people:  # "the two presidents": each side's president
                        return [_Party(k, token.i, token.i + 1) for k in people]
                if not self.every_side_named():
                    return []  # "foreign ministers of both countries" in a story about two others
                index = alias_index(self.config)
                for k in self.parties:  # "the two ministers" count their countries in
                    if k not in self.actors.records:
                        self.actors.adopt(k, index)
                words = self.doc[min(token.left_edge.i, t.left_edge.i) : max(token.i, t.i) + 1].text
                return [_Party(k, token.i, token.i + 1, stands_for=words) for k in self.parties]
        return []

    def role_holders(self, noun: str) -> list[str]:
        """For each party, its one actor whose role names `noun`, if each has one.
        "The two leaders": each side's head of state or government named in the article."""
        index = alias_index(self.config)
        en = english()
        leaders = noun in en.leader_nouns
        people = []

        def holds(role: str | None) -> bool:
            if not role:
                return False
            words = role.lower().replace("-", " ")
            if leaders:
                return any(re.search(rf"\b{re.escape(t)}\b", words) for t in en.leader_titles)
            return noun in words.split()

        for party in self.parties:
            side = party[len(PARTY_PREFIX) :]
            found = set() if leaders else {
                k for k, (_, kind, role, s) in index.info.items() if kind == "person" and s == side and holds(role)
            }
            found |= {
                k
                for k, r in self.actors.records.items()
                if r.kind == "person" and r.side == side and holds(r.role)
            }
            if len(found) != 1:
                return []
            key = found.pop()
            if key not in self.actors.records:
                self.actors.adopt(key, index)
            people.append(key)
        return people

    def every_side_named(self) -> bool:
        """Each party is named in the article, itself or by one of its people."""
        named = {r.side for r in self.actors.records.values() if r.kind != "country"}
        named |= {self.actors.name(k) for k in self.parties if k in self.actors.records}
        return len(self.parties) >= 2 and all(k[len(PARTY_PREFIX) :] in named for k in self.parties)

    def parties_in_doc(self) -> bool:
        return len(self.parties) >= 2 and all(k in self.actors.records for k in self.parties)

    def others_met_before(self, cue: Token) -> bool:
        """ "The meeting will also ..." after an engagement of others (an EU
        summit): that one goes on, not the relation's own."""
        last = self.last_found
        if last is None or last.cue is None or last.cue.i >= cue.i:
            return False
        sides = {p[len(PARTY_PREFIX) :] for p in self.parties}
        return not any(k in self.parties or self.actors.side(k) in sides for k in last.keys)

    def plural_pronoun_subject(self, cue: Token) -> bool:
        v = cue if cue.pos_ == "VERB" else cue.head
        return any(c.dep_ == "nsubj" and c.lower_ in ("they", "we") and c.i not in self.quote_of for c in v.children)

    def plural_antecedent(self, pronoun: Token) -> list[_Party]:
        """ "Ruiz and Brandt ended their talks ... but said they would meet again"."""
        start = sent_of(pronoun).start
        if start > 0:
            start = sent_of(self.doc[start - 1]).start
        for t in reversed(self.doc[start : pronoun.i]):
            if t.dep_ in ("nsubj", "nsubjpass") and any(c.dep_ == "conj" for c in t.children):
                found = [p for p in self.group(t) if self.actors.kind(p.key) == "person"]
                if len(found) >= 2:
                    return found
        return []

    def group(self, token: Token) -> list[_Party]:
        """Actors named by a noun phrase and its coordinated / appositive members."""
        sides = self.both_sides(token)
        if sides:
            return sides
        if token.lower_ in ("they", "them") and token.i not in self.quote_of:
            group = self.plural_antecedent(token)
            if group:
                return group
        out: list[_Party] = []
        if token.pos_ in ("NOUN", "PROPN") and not self.actors.key_at(token.i):
            key = resolve_description(token, self.actors, self.config, frozenset(self.quote_of))
            if key:  # "the Commission president", "the prime minister"
                out = [_Party(key, token.i, token.i + 1)]
                for conj in (c for c in token.children if c.dep_ == "conj"):
                    out += self.group(conj)
                return out
        if token.pos_ == "NOUN" and not self.actors.key_at(token.i):
            modifiers = [
                c
                for h in [token, *(c for c in token.children if c.dep_ == "conj")]
                for c in h.children
                if c.dep_ in ("amod", "compound", "poss", "nmod")
            ]
            modifiers += [cc for c in modifiers for cc in c.children if cc.dep_ == "conj"]
            named = [
                (k, c)
                for c in modifiers
                if (k := self.actors.key_at(c.i)) and self.actors.kind(k) in ("country", "organization")
            ]
            if named and not any(self.actors.kind(self.actors.key_at(t.i)) == "person" for t in token.subtree):
                # "Freedonian and Sylvanian negotiators", "a UN team": the sides they speak for
                return list({k: _Party(k, c.i, c.i + 1) for k, c in named}.values())
        for t in token.subtree:
            if t.i in self.quote_of and token.i not in self.quote_of:
                continue
            key = self.actor_of(t)
            if not key:
                continue
            if self.actors.kind(key) != "person" and t.i in self.actors.title_tokens:
                continue  # "Acme Corp. founder Jo Lind": an affiliation
            if self.actors.kind(key) != "person" and any(
                a.dep_ == "appos" and self.actors.kind(self.actors.key_at(a.head.i)) == "person"
                for a in [t, *t.ancestors]
                if a.i != token.i and token in a.ancestors
            ):
                continue  # "Jo Lind, the head of Acme Corp.": an affiliation
            if t.i != token.i and self.actors.kind(key) != "person" and t.dep_ not in HEAD_DEPS:
                head = t.head
                while head.dep_ == "conj" and head.head.i != head.i and head.pos_ != "NOUN":
                    head = head.head  # "Freedonian and Sylvanian negotiators"
                if not (self.actors.kind(key) == "country" and head.pos_ == "NOUN" and not self.actors.key_at(head.i)):
                    continue  # "Freedonian Foreign Minister ...": a modifier, not a participant
            if t.i != token.i and t.dep_ == "poss":
                continue  # "X's adviser Y": Y takes part, not X
            if any(p.key == key for p in out):
                continue
            hedged = any(
                _has(x, self.v.tentative)
                for x in self.doc[max(sent_of(t).start, t.i - 4) : t.i]
                if x.pos_ in ("ADV", "ADJ") or x.dep_ == "advmod"
            )
            start = t.i
            while start > sent_of(t).start and self.actors.key_at(start - 1) == key:
                start -= 1
            out.append(_Party(key, start, t.i + 1, hedged))
        return out

    def subjects(self, cue: Token) -> list[_Party]:
        if cue.pos_ != "VERB":
            for child in cue.children:
                if child.dep_ in ("poss", "compound", "nmod") and self.actor_of(child):
                    return self.group(child)
            v = cue.head
            for _ in range(5):
                if v.pos_ in ("VERB", "AUX") or v.head.i == v.i:
                    break
                v = v.head
        else:
            v = cue
        if cue.pos_ == "VERB" and cue.dep_ == "xcomp":
            # "invited Egypt's president to visit": the invited one goes.
            for obj in (c for c in cue.head.children if c.dep_ == "dobj"):
                found = self.group(obj)
                if found:
                    hosts = [c for c in cue.head.children if c.dep_ in ("nsubj", "nsubjpass")]
                    return found + (self.group(hosts[0]) if hosts else [])
        if cue.pos_ != "VERB":
            for prep in cue.children:  # "a visit by the bloc's negotiator"
                if prep.dep_ in ("prep", "agent") and prep.lower_ == "by":
                    for pobj in prep.children:
                        if pobj.dep_ == "pobj":
                            found = self.group(pobj)
                            if found:
                                return found
        for _ in range(4):
            agents = [p for c in v.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"]
            for a in agents:  # "was delivered by X at a meeting"
                found = self.group(a)
                if found:
                    return found
            subj = [c for c in v.children if c.dep_ in ("nsubj", "nsubjpass")]
            subj = [v.head if c.lower_ in ("who", "which", "that") and v.dep_ == "relcl" else c for c in subj]
            for candidate in subj:  # a dateline can parse as a second subject
                found = self.group(candidate)
                if found:
                    return found
            if subj:
                return []
            if (
                v.dep_ in ("xcomp", "conj", "advcl", "ccomp", "acl")
                and v.head.i != v.i
                and v.head.pos_ in ("VERB", "AUX", "ADJ")
            ):
                v = v.head
            elif v.pos_ == "ADJ" and v.dep_ == "acomp":
                v = v.head  # "had been due to travel"
            elif (
                v.dep_ in ("acl", "relcl")
                and v.head.dep_ in ("dobj", "pobj", "attr")
                and v.head.head.pos_ in ("VERB", "AUX")
            ):
                v = v.head.head  # "he postponed plans to visit"
            else:
                break
        return []

    def objects(self, cue: Token) -> tuple[list[_Party], str | None, bool]:
        """Counterparts of the cue, a destination if there is one, and whether
        the counterparts are the whole set ("talks between X and Y")."""
        out: list[_Party] = []
        destination = None
        exclusive = False
        heads = [cue]
        if cue.pos_ != "VERB":
            g = cue.head
            for _ in range(4):  # "send a delegation to X for talks", "invited X for talks"
                if g.pos_ in ("VERB", "AUX") or g.head.i == g.i:
                    break
                g = g.head
            if g.pos_ == "VERB" and g.i != cue.i:
                heads.append(g)
        for h in heads:
            for child in h.children:
                if child.i == cue.i:
                    continue
                if child.dep_ == "prep" and (
                    child.lower_ in OBJECT_PREPS
                    or (h.i != cue.i and child.lower_ == "to")
                    or (h.i == cue.i and cue.pos_ != "VERB" and child.lower_ == "of")
                ):
                    for pobj in child.children:
                        if pobj.dep_ == "pobj":
                            found = self.group(pobj)
                            out += found
                            if child.lower_ == "between" and h.i == cue.i and len(found) >= 2:
                                exclusive = True
                            if child.lower_ == "to" and destination is None and _is_place(pobj, self.actors):
                                destination = _ent_text(pobj)
                elif child.dep_ == "prep" and child.lower_ == "to" and h.i == cue.i:
                    travel = cue.lemma_.lower() in english().travel_words or cue.lower_ in english().travel_words
                    for pobj in child.children:
                        if pobj.dep_ != "pobj":
                            continue
                        kind = self.actors.kind(self.actors.key_at(pobj.i))
                        if not travel and (kind in ("person", "organization") or not _is_place(pobj, self.actors)):
                            out += self.group(pobj)  # "a phone call to Ruiz", "a letter to the ministry"
                        elif destination is None and _is_place(pobj, self.actors):
                            destination = _ent_text(pobj)  # "a visit to X": X's country takes part
                            if self.actors.kind(self.actors.key_at(pobj.i)) == "person":
                                continue
                            out += [p for p in self.group(pobj) if self.actors.kind(p.key) == "country"]
                elif child.dep_ in ("dobj", "attr", "dative") and (
                    h.i == cue.i and cue.pos_ == "VERB" or h.i != cue.i and child.dep_ == "dobj"
                ):
                    if child.ent_type_ in PLACE_LABELS and destination is None:
                        destination = _ent_text(child)
                    out += self.group(child)
        if out:
            out += self.continue_list(out[-1])
        seen: set[str] = set()
        uniq = []
        for p in out:
            if p.key not in seen:
                seen.add(p.key)
                uniq.append(p)
        return uniq, destination, exclusive

    def continue_list(self, last: _Party) -> list[_Party]:
        """Names that go on a list the parse broke off: "Y on Sunday, Z, and possibly W"."""
        out: list[_Party] = []
        sent = sent_of(self.doc[last.start])
        i = last.end
        hedge = False
        while i < sent.end:
            t = self.doc[i]
            key = self.actors.key_at(i)
            if key and t.dep_ in ("nsubj", "nsubjpass") and t.head.i > i:
                break  # ", the White House said": a new clause
            if key and self.actors.kind(key) != "country":
                start = i
                while i < sent.end and self.actors.key_at(i) == key:
                    i += 1
                if self.doc[i - 1].dep_ != "poss" and not (i < sent.end and self.doc[i].text in ("'s", "\u2019s")):
                    out.append(_Party(key, start, i, hedge))
                hedge = False
                continue
            if t.ent_type_ in DATE_LABELS or t.ent_type_ in PLACE_LABELS or t.ent_type_ == "NORP":
                pass
            elif t.is_punct and t.text in (",",):
                pass
            elif t.pos_ in ("CCONJ", "DET", "ADJ", "NOUN", "PROPN"):
                pass
            elif t.pos_ == "ADV" or t.dep_ == "advmod":
                hedge = hedge or _has(t, self.v.tentative)
            elif (
                t.pos_ == "ADP"
                and t.lower_ in ("on", "in", "at")
                and i + 1 < sent.end
                and (self.doc[i + 1].ent_type_ in DATE_LABELS or self.doc[i + 1].ent_type_ in PLACE_LABELS)
            ):
                pass
            else:
                break
            i += 1
        return out

    # --- time, place, status --------------------------------------------

    def tense(self, cue: Token) -> str | None:
        v = cue
        for _ in range(5):
            if v.pos_ in ("VERB", "AUX"):
                break
            if v.head.i == v.i:
                return None
            v = v.head
        chain = [v]
        while chain[-1].dep_ in ("xcomp", "conj", "advcl", "acl", "pcomp") and chain[-1].head.i != chain[-1].i:
            nxt = chain[-1].head
            while nxt.pos_ not in ("VERB", "AUX") and nxt.head.i != nxt.i:
                nxt = nxt.head
            if nxt.pos_ not in ("VERB", "AUX") or nxt in chain:
                break
            chain.append(nxt)
            if chain[-2].tag_ != "VBG" and chain[-2].dep_ != "conj":
                break
        for w in chain:
            auxes = [c for c in w.children if c.dep_ in ("aux", "auxpass")]
            if any(a.lower_ in FUTURE_AUX for a in auxes):
                return "future"
            if any(a.lower_ == "to" for a in auxes) and w.dep_ not in ("acl", "relcl"):
                return "future"  # "plans to meet", "was to begin"; not "the first to visit"
            if any(a.lower_ == "going" for a in auxes):
                return "future"
        for w in chain:
            if w.tag_ == "VBD" or (
                w.tag_ == "VBN" and any(c.lower_ in ("has", "have", "had", "was", "were") for c in w.children)
            ):
                return "past"
            if w.tag_ in ("VBZ", "VBP", "MD"):
                break
        if v.tag_ == "VBG" and any(c.lower_ in ("is", "are", "am", "'s") for c in v.children):
            return "future"  # "is visiting next week"
        return None

    def clause_verb(self, token: Token) -> Token | None:
        """The nearest verb above a token, through nouns and prepositions."""
        t = token
        for _ in range(8):
            if t.head is t:
                return t if t.pos_ in ("VERB", "AUX") else None
            t = t.head
            if t.pos_ in ("VERB", "AUX"):
                return t
        return None

    def is_context_of_verb_cue(self, cue: Token) -> bool:
        if not any(a.pos_ == "VERB" and self.is_cue(a) for a in cue.ancestors):
            return False
        own = [
            p
            for c in cue.children
            if c.dep_ == "prep" and c.lower_ in OBJECT_PREPS
            for o in c.children
            if o.dep_ == "pobj"
            for p in self.group(o)
        ]
        poss = [c for c in cue.children if c.dep_ == "poss" and self.actors.kind(self.actor_of(c)) == "person"]
        return not own and not poss

    def owned_by_other_cue(self, token: Token, cue: Token) -> bool:
        """A date or place under another cue word belongs to that one."""
        for anc in token.ancestors:
            if anc.i == cue.i:
                return False
            if anc.i != cue.i and self.is_cue(anc):
                # Shared when one cue governs the other: "visit X on April 29 for talks".
                return cue not in anc.ancestors and anc not in cue.ancestors
        return False

    def date_spans(self, sent: Span) -> list[Span]:
        if self.has_dep:
            found = [e for e in ents_in(sent) if e.label_ in DATE_LABELS]
            # "tonight", "tomorrow morning", "this afternoon": NER calls them TIME.
            found += [
                e
                for e in ents_in(sent)
                if e.label_ == "TIME" and resolve_date(e.text, self.published, None) is not None
            ]
            # "the following day", "two days later": NER often leaves these out.
            for m in CHAINED_IN_TEXT.finditer(sent.text):
                a, b = sent.start_char + m.start(), sent.start_char + m.end()
                span = self.doc.char_span(a, b, alignment_mode="expand")
                if span is not None and not any(e.start < span.end and span.start < e.end for e in found):
                    found.append(span)
            return sorted(found, key=lambda e: e.start)
        # A rule-only pipeline has no NER: find the dates by their form.
        spans = []
        for s, e in find_date_expressions(sent.text):
            span = self.doc.char_span(sent.start_char + s, sent.start_char + e, alignment_mode="expand")
            if span is not None:
                spans.append(span)
        return spans

    def dates(
        self, sent: Span, region: set[int] | None, tense: str | None, cue: Token | None = None
    ) -> list[tuple[Span, ResolvedDate | None]]:
        out = []
        own = None
        if cue is not None and self.has_dep:
            own = {cue} if cue.pos_ in ("VERB", "AUX") else {self.clause_verb(cue)}
            # the cue's verb chain: "plans to meet", "could come at a summit"
            for v in list(own):
                while v is not None and v.head.i != v.i and (
                    v.dep_ == "xcomp"
                    or (v.dep_ == "advcl" and any(c.lower_ == "to" and c.dep_ == "aux" for c in v.children))
                ):  # "plans to meet", "flew to Vale on Monday to meet"
                    v = v.head
                    own.add(v)
            # "is scheduled to take place ... on March 18"
            todo = [v for v in own if v is not None]
            while todo:
                v = todo.pop()
                for c in v.children:
                    if c.dep_ in ("xcomp", "acomp") and c not in own:
                        own.add(c)
                        todo.append(c)
        for ent in self.date_spans(sent):
            if cue is not None and self.has_dep and self.owned_by_other_cue(ent.root, cue):
                continue
            if own and cue is not None and not (
                cue in ent.root.ancestors or ent.root in cue.subtree or any(t in cue.ancestors for t in ent)
            ):  # "the week when they met"
                if self.clause_verb(ent.root) not in own:
                    continue
            if region is not None and ent.start not in region:
                continue
            if region is None and ent.start in self.quote_of and len(self.quote_of[ent.start].text.split()) > 6:
                continue  # a date in a long quotation is the speaker's, not this cue's;
                # in a quoted phrase ('hoped to meet "before the end of the year"') it is the cue's
            if is_duration(ent.text):
                continue
            self.counted_from.pop(ent.start, None)  # as resolved for this cue, not an earlier one
            resolved = resolve_date(ent.text, self.published, tense)
            if resolved is not None and self.base_note and "publication" in resolved.reason:
                resolved = replace(resolved, reason=resolved.reason + self.base_note)
                if self.dateline_words is not None:
                    self.counted_from[ent.start] = self.dateline_words
            if resolved is None:
                before = self.day_before(ent.start)
                if before is not None:
                    resolved = resolve_chained(ent.text, before[0])
                    if resolved is not None:
                        self.counted_from[ent.start] = before[1]
            out.append((ent, resolved))
        return out

    def day_before(self, i: int) -> tuple[date, Span] | None:
        """The last day the article named before token `i`, and the words that
        named it, to count "the following day" from."""
        if self._days is None:
            self._days = []
            for ent in self.doc.ents:
                if ent.label_ in DATE_LABELS and not is_duration(ent.text):
                    r = resolve_date(ent.text, self.published, None)
                    if r is not None and r.granularity == "day":
                        self._days.append((ent, date.fromisoformat(r.when)))
        before = [(d, ent) for ent, d in self._days if ent.start < i]
        return before[-1] if before else None

    def place(self, sent: Span, after: int, before: int, exclude: set[str]) -> str | None:
        best = None
        for ent in ents_in(sent):
            if ent.label_ not in PLACE_LABELS or ent.start in self.quote_of:
                continue
            prev = self.doc[ent.start - 1] if ent.start > 0 else None
            if prev is None or prev.lower_ not in ("in", "at"):
                continue
            text = _ent_text(ent)
            if self.actors.name(self.actors.key_at(ent.start)) in exclude:
                continue
            if self.has_dep and self.owned_by_other_cue(ent.root, self.doc[after]):
                continue
            if after <= ent.start < before:
                return text
            if best is None:
                best = text
        return best

    def called_off(self, cue: Token) -> bool:
        """ "a planned visit ... was off"."""
        head = cue.head
        return (
            cue.dep_ in ("nsubj", "nsubjpass")
            and head.lemma_ == "be"
            and any(c.lower_ == "off" and c.dep_ in ("prt", "advmod", "acomp", "prep") for c in head.children)
        )

    def marked(self, cue: Token, words: set[str], phrases: list[str]) -> bool:
        near = list(cue.ancestors)[:4] + list(cue.children)
        for t in near:
            if _has(t, words):
                return True
            for c in t.children:
                if c.dep_ == "prt" and (f"{t.lower_} {c.lower_}" in phrases or f"{t.lemma_} {c.lower_}" in phrases):
                    return True
            if any(_has(c, words) for c in t.children if c.dep_ in ("amod", "advmod", "aux", "neg")):
                return True
        if phrases:
            window = self.doc[max(sent_of(cue).start, cue.i - 6) : cue.i + 1].text.lower()
            return any(p in window for p in phrases)
        return False

    def hedged(self, cue: Token) -> bool:
        """A hedge on the cue's own verb chain: "hoping to meet", "could come at a summit"."""
        for t in [cue, *list(cue.ancestors)[:5]]:
            if t.i != cue.i and _has(t, self.v.tentative):
                return True
            for c in t.children:
                if c.dep_ in ("aux", "advmod", "nsubj", "neg", "amod", "acomp") and _has(c, self.v.tentative):
                    return True
        if self.v.tentative_phrases:
            window = self.doc[max(sent_of(cue).start, cue.i - 6) : cue.i + 1].text.lower()
            return any(p in window for p in self.v.tentative_phrases)
        return False

    def unrealised(self, cue: Token) -> bool:
        """ "was to have flown to Vale to meet X", "were to have met": a plan that fell through."""
        v = cue if cue.pos_ == "VERB" else cue.head
        for _ in range(3):
            words = " ".join(t.lower_ for t in self.doc[max(0, v.i - 5) : v.i])
            if v.tag_ == "VBN" and re.search(r"\b(?:was|were)(?: \w+)? to have$", words):
                return True
            if v.dep_ not in ("xcomp", "advcl", "conj") or v.head.i == v.i:
                break
            v = v.head
        return False

    def status(self, cue: Token, when: ResolvedDate | None, tense: str | None, hedged: bool) -> str:
        return self.status_why(cue, when, tense, hedged)[0]

    def status_why(self, cue: Token, when: ResolvedDate | None, tense: str | None, hedged: bool) -> tuple[str, str]:
        """The status and the reason for it."""
        if self.marked(cue, self.v.cancelled, self.v.cancelled_phrases) or (self.has_dep and self.called_off(cue)):
            return "cancelled", f"a cancelling word governs '{cue.text}'"
        if self.marked(cue, self.v.postponed, self.v.postponed_phrases):
            return "postponed", f"a postponing word governs '{cue.text}'"
        if self.unrealised(cue):
            return "cancelled", f"'{cue.text}' was planned and did not happen ('was to have')"
        hedge = "tentative" if hedged else "planned"
        hedge_why = "hedged" if hedged else "no hedge"
        if when is not None and self.pub is not None:
            first, last = date_bounds(when.when)
            if when.end:
                last = date.fromisoformat(when.end)
            if last < self.pub:
                return "past", "the date is before the article's"
            if when.past_marker and first <= self.pub:
                return "past", "the date words point back"
            if first <= self.pub and tense == "past":
                return "past", "the article's own day, told in the past tense"  # "opened on Monday" in Monday's paper
            return hedge, f"the date is on or after the article's; {hedge_why}"
        if tense == "past":
            return "past", f"'{cue.text}' is told in the past tense"
        return hedge, f"no date; not in the past tense; {hedge_why}"

    # --- the sentence loop --------------------------------------------

    def run(self) -> list[EngagementMention]:
        found: list[_Found] = []
        sents = sentence_index(self.doc).sents
        context: tuple[int, list[str]] | None = None  # (sentence index, participant keys)
        for s_index, sent in enumerate(sents):
            cues = [t for t in sent if self.is_cue(t)]
            for c_pos, cue in enumerate(cues):
                next_cue = cues[c_pos + 1].i if c_pos + 1 < len(cues) else sent.end
                made_here = self.from_cue(cue, sent, s_index, next_cue, context)
                found += made_here
                if made_here:
                    self.last_found = made_here[-1]
            made = [f for f in found if f.sent_index == s_index]
            if made:
                context = (s_index, made[-1].keys)
            else:
                speakers: list[str] = []
                for t in sent:
                    q = self.quote_of.get(t.i)
                    if q is not None and q.speaker_key and q.speaker_key not in speakers:
                        speakers.append(q.speaker_key)
                if speakers:
                    mentioned = [
                        m.key for m in self.actors.in_range(sent.start, sent.end) if self.actors.kind(m.key) == "person"
                    ]
                    keys = list(dict.fromkeys([*speakers, *mentioned]))
                    if len(keys) >= 2:
                        context = (s_index, keys)
        return self.finish(found)

    def from_cue(
        self, cue: Token, sent: Span, s_index: int, next_cue: int, context: tuple[int, list[str]] | None
    ) -> list[_Found]:
        if self.has_dep and cue.pos_ != "VERB" and self.is_context_of_verb_cue(cue):
            return []  # "meet X on the sidelines of a conference": one engagement, not two
        in_quote = cue.i in self.quote_of
        region = None
        if in_quote:
            q = self.quote_of[cue.i]
            region = {i for i, qq in self.quote_of.items() if qq is q}
        subjects = self.subjects(cue) if self.has_dep else []
        speaker_key = self.quote_of[cue.i].speaker_key if in_quote else None
        if region is not None and not subjects and speaker_key:
            if any(t.lower_ in FIRST_PERSON for t in sent if t.i in region):
                subjects = [_Party(speaker_key, cue.i, cue.i)]
        objects, destination, exclusive = self.objects(cue) if self.has_dep else ([], None, False)
        if not self.has_dep:
            mentions = [m for m in self.actors.in_range(sent.start, sent.end) if m.start not in self.quote_of]
            subjects = [_Party(m.key, m.start, m.end) for m in mentions if m.end <= cue.i][-1:]
            objects = [_Party(m.key, m.start, m.end) for m in mentions if m.start > cue.i]
        if (
            len(subjects) == 1
            and not objects
            and context
            and context[0] >= s_index - 2
            and len(context[1]) >= 2
            and self.plural_pronoun_subject(cue)
        ):
            # "X met Y on Tuesday. They will meet again the following day."
            subjects = [_Party(k, cue.i, cue.i) for k in context[1]]
        if exclusive:
            subjects, objects = objects, []
        subj_keys = [p.key for p in subjects]
        objects = [o for o in objects if o.key not in subj_keys]
        inherited = False
        if not subjects and not objects and context and context[0] >= s_index - 1 and self.has_dep:
            if any(t.lower_ == "their" for t in sent_of(cue) if t.i not in self.quote_of):
                subjects = [_Party(k, cue.i, cue.i) for k in context[1]]
                inherited = True
        if not subjects and not objects:
            if context and context[0] >= s_index - 2 and len(context[1]) >= 1:
                subjects = [_Party(k, cue.i, cue.i) for k in context[1]]
                inherited = True
            elif cue.pos_ != "VERB" and self.has_dep and self.parties_in_doc() and not self.others_met_before(cue):
                # "the negotiations could resume in August" in an article about
                # the relation: the relation's own negotiations.
                subjects = [_Party(k, cue.i, cue.i) for k in self.parties]
                inherited = True
            else:
                return []
        if inherited:
            who_why = f"'{cue.text}' names nobody: those of the engagement before, or the relation's sides"
        elif subjects and objects:
            who_why = f"who does '{cue.text}' and with whom"
        else:
            who_why = f"the actors '{cue.text}' is said of"
        stands_for = next((p.stands_for for p in [*subjects, *objects] if p.stands_for), "")
        if stands_for:
            who_why += f"; '{stands_for}' stands for every side of the relation"
        tense = self.tense(cue) if self.has_dep else None
        if self.marked(cue, self.v.cancelled | self.v.postponed, self.v.cancelled_phrases + self.v.postponed_phrases):
            tense = "future"  # a called-off plan was dated forward: "cancelled a visit planned for Friday"
        dates = self.dates(sent, region, tense, cue)
        hedged_all = self.hedged(cue) if self.has_dep else False
        what = self.what(cue)
        # One record per counterpart date and hedge: "meet Y on Sunday, Z, and
        # possibly W on Monday" is three; "a summit with X, Y and Z on Monday" one.
        groups: list[tuple[list[_Party], list[_Party], tuple]] = []
        if objects and subjects:
            for o in objects:
                picked = self.pick_date(dates, o.end, cue, next_cue, True)
                key = (picked[0].start if picked[0] is not None else None, hedged_all or o.hedged)
                for g in groups:
                    if g[2] == key:
                        g[1].append(o)
                        break
                else:
                    groups.append((subjects, [o], key))
        else:
            groups = [(subjects or objects, [], (None, hedged_all))]
        out = []
        for subj, objs, _ in groups:
            obj = objs[-1] if objs else None
            anchor = obj.end if obj else cue.i
            when_span, when = self.pick_date(dates, anchor, cue, next_cue, obj is not None)
            hedged = hedged_all or any(o.hedged for o in objs)
            status, status_why = self.status_why(cue, when, tense, hedged)
            keys = list(dict.fromkeys([p.key for p in subj] + [o.key for o in objs]))
            sides = {self.actors.side(k) for k in keys if self.actors.kind(k) != "country"}
            keys = [k for k in keys if not (self.actors.kind(k) == "country" and self.actors.name(k) in sides)]
            people = [n for n in (self.actors.name(k) for k in keys) if n]
            where = destination or self.place(sent, cue.i, next_cue, set(people))
            if len(people) < 2 and not destination and not inherited:
                continue  # one side alone is a speech or a trip at home, not an engagement
            if inherited and ((when is None and where is None) or status == "past"):
                continue  # "the visit had been ...": the earlier engagement again, or background
            if not people:
                continue
            if when is None and status == "planned" and not inherited and tense != "future":
                continue  # undated, with no sign of a plan: "the first official to visit"
            out.append(
                _Found(
                    participants=people,
                    what=what,
                    where=where,
                    when=when,
                    when_text=when_span.text if when_span is not None else None,
                    status=status,
                    evidence=Evidence(self.doc_id, cue.idx, cue.idx + len(cue.text), sent.text, sent.start_char),
                    sent_index=s_index,
                    inherited=inherited,
                    keys=keys,
                    cue=cue,
                    status_reason=status_why,
                    participants_reason=who_why,
                    support=self.support(keys, when_span, sent),
                )
            )
        return out

    def support(self, keys: list[str], when_span: Span | None, sent: Span) -> list[Evidence]:
        """The other sentences this engagement's participants and date come from,
        each with the words that gave them: the latest earlier mention of a
        participant the sentence does not name ("She", "the two leaders",
        those of the engagement before), else its first later one; the day a
        chained date counts from."""
        words: list[Span] = []
        named_here = {m.key for m in self.actors.in_range(sent.start, sent.end)}
        for key in keys:
            if key in named_here:
                continue
            mentions = [m for m in self.actors.spans if m.key == key]
            earlier = [m for m in mentions if m.end <= sent.start]
            later = [m for m in mentions if m.start >= sent.end]
            if earlier:
                m = max(earlier, key=lambda m: m.start)
            elif later:
                m = min(later, key=lambda m: m.start)
            else:
                continue  # a watchlisted actor the article never names
            words.append(self.doc[m.start : m.end])
        if when_span is not None and when_span.start in self.counted_from:
            words.append(self.counted_from[when_span.start])
        out: list[Evidence] = []
        for span in sorted(words, key=lambda w: w.start):
            ev = sentence_evidence(self.doc_id, span)
            if ev.sent_start != sent.start_char and ev not in out:
                out.append(ev)
        return out

    def pick_date(self, dates, anchor: int, cue: Token, next_cue: int, per_object: bool):
        if not dates:
            return None, None
        if self.marked(cue, self.v.postponed, self.v.postponed_phrases):
            # "postponed until January": the new date
            moved = [
                d
                for d in dates
                if d[1] is not None and d[0].start > 0 and self.doc[d[0].start - 1].lower_ in ("until", "till", "to")
            ]
            if moved:
                return moved[0]
        if per_object:
            after = [d for d in dates if d[0].start >= anchor]
            if after:
                return after[0]
        # The date between this cue and the next, else the nearest one.
        between = [d for d in dates if cue.i < d[0].start < next_cue]
        if between:
            return between[0]
        return min(dates, key=lambda d: abs(d[0].start - cue.i))

    def what(self, cue: Token) -> str:
        if cue.pos_ == "VERB" or not self.has_dep:
            return cue.lemma_.lower() or cue.lower_
        start = cue.i
        for child in cue.lefts:
            if child.dep_ in ("compound", "amod", "nmod", "poss", "nummod") and child.ent_type_ not in ("DATE",):
                start = min(start, child.left_edge.i)
        words = [t for t in self.doc[start : cue.i + 1]]
        while words and (
            words[0].pos_ in ("DET", "PUNCT")
            or self.actors.key_at(words[0].i)
            and self.actors.kind(self.actors.key_at(words[0].i)) == "person"
        ):
            words = words[1:]
        while words and words[0].text in ("'s", "\u2019s"):
            words = words[1:]
        return "".join(t.text_with_ws for t in words).strip() or cue.text

    def finish(self, found: list[_Found]) -> list[EngagementMention]:
        # An undated plan made specific in the next sentence is that plan.
        specific = {(f.sent_index, tuple(sorted(f.keys))) for f in found if f.inherited and f.when}
        kept: list[_Found] = []
        for f in found:
            if f.when is None and not f.inherited and (f.sent_index + 1, tuple(sorted(f.keys))) in specific:
                continue
            kept.append(f)
        kept = _prefer_people(kept, self.actors)
        out: list[EngagementMention] = []
        seen: set[tuple] = set()
        for f in kept:
            key = (tuple(sorted(f.participants)), f.when.when if f.when else f.when_text, f.status == "past")
            if key in seen:
                continue
            seen.add(key)
            out.append(
                EngagementMention(
                    participants=tuple(f.participants),
                    what=f.what,
                    where=f.where,
                    when=f.when.when if f.when else None,
                    when_text=f.when_text,
                    granularity=f.when.granularity if f.when else None,
                    status=f.status,
                    evidence=f.evidence,
                    reason=f.when.reason if f.when else "",
                    when_end=f.when.end if f.when else None,
                    status_reason=f.status_reason,
                    participants_reason=f.participants_reason,
                    support=tuple(f.support),
                )
            )
        return out


def _prefer_people(found: list[_Found], actors: DocActors) -> list[_Found]:
    """ "Brandt will visit Port Alba on May 2 for talks with Ruiz": one
    engagement with Ruiz, not a second one with Freedonia."""
    drop: set[int] = set()
    for i, a in enumerate(found):
        countries = [k for k in a.keys if actors.kind(k) == "country"]
        if not countries:
            continue
        for j, b in enumerate(found):
            if (
                i == j
                or j in drop
                or b.sent_index != a.sent_index
                or (b.when and a.when and b.when.when != a.when.when)
            ):
                continue
            if (
                a.cue is not None
                and b.cue is not None
                and a.cue.i != b.cue.i
                and not (a.cue in b.cue.ancestors or b.cue in a.cue.ancestors)
            ):
                continue  # two events of one sentence: "talks ... after a phone call"
            rest = set(a.keys) - set(countries)
            if rest <= set(b.keys) and all(
                any(actors.side(k) == actors.name(c) for k in b.keys if actors.kind(k) != "country") for c in countries
            ):
                drop.add(i)
                b.where = b.where or a.where
                b.when = b.when or a.when
                b.when_text = b.when_text or a.when_text
                if a.what and len(a.keys) and b.what != a.what and a.evidence.start < b.evidence.start:
                    b.what, b.evidence = a.what, a.evidence
                b.support = sorted({*b.support, *a.support}, key=lambda ev: (ev.start, ev.end))
                break
    return [f for i, f in enumerate(found) if i not in drop]


def _is_place(token: Token, actors: DocActors) -> bool:
    """ "a visit to Vellmar": a place, even where NER took it for a name."""
    if token.ent_type_ in PLACE_LABELS:
        return True
    if token.ent_type_ not in ("", "PERSON") or token.dep_ != "pobj" or token.head.lower_ != "to":
        return False  # only "a visit to X" makes a name a place
    key = actors.key_at(token.i)
    if token.pos_ == "PROPN" and (
        key is None or (actors.kind(key) == "person" and " " not in (actors.name(key) or " "))
    ):
        return True
    return False


def _ent_text(token_or_span) -> str:
    if isinstance(token_or_span, Token):
        t = token_or_span
        ent = ent_at(t) if t.ent_iob_ in ("B", "I") else None
        if ent is None:
            return t.text
        token_or_span = ent
    span = token_or_span
    words = [t for t in span if t.lower_ != "the" or t.i != span.start]
    return "".join(t.text_with_ws for t in words).strip()


def find_engagements(
    doc: Doc,
    doc_id: str,
    published: str | None,
    config: Config,
    actors: DocActors,
    quotes: list[QuoteMention],
) -> list[EngagementMention]:
    return _Finder(doc, doc_id, published, config, actors, quotes).run()
