"""Who said a quotation: an ordered list of small, named strategies.

`attribute()` tries `STRATEGIES` in order; the first that names a speaker (or
describes one the text leaves unnamed) wins, and the quote record keeps the
strategy's name (`speaker_how`). Each strategy finds the words that say who
spoke (the subject of a reporting verb, the object of "according to", a name
after a dash, ...); `Mentions.resolve` then turns those words into an actor:

- a name is its actor;
- a pronoun is the most salient earlier actor that fits its gender and number,
  never a listener ("told X", "said to X") or a quotation's own words;
- a description ("the senator", "the 58-year-old", "the ministry") is the
  earlier actor the article gave that role, age or kind of body;
- a document ("the statement", "the email") speaks for whoever issued it;
- an unnamed person ("a senior Japanese official") stays unnamed: no speaker,
  the side the words give, and the words themselves as a description.

Every resolution carries its reason ("'she': nearest female subject before").
"""

from __future__ import annotations

import re
from bisect import bisect_right, insort
from collections.abc import Callable
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from tui.config import Config
from tui.extract.actors import DocActors, Mention, resolve_description
from tui.extract.lexicon import english, first_names, inflections
from tui.extract.sents import doc_text, paragraph_index, sent_of, sentence_index
from tui.layout import ParagraphIndex

SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj"}
OBJECT_DEPS = {"dobj", "dative", "iobj", "obj"}


@dataclass(frozen=True)
class Resolved:
    """The actor some words denote, or what they say of an unnamed one."""

    key: str | None
    reason: str
    description: str | None = None  # "senior Japanese official"
    side_key: str | None = None  # actor whose side an unnamed speaker speaks for


@dataclass(frozen=True)
class Speaker:
    key: str | None
    how: str  # the strategy: "subject of 'told'"
    reason: str = ""  # how its words became an actor
    description: str | None = None
    side_key: str | None = None

    @property
    def found(self) -> bool:
        return self.key is not None or self.description is not None

    def noted(self, where: str) -> Speaker:
        """The same speaker, its `how` saying where the verb was ("..., in the next sentence")."""
        return Speaker(self.key, f"{self.how}, {where}", self.reason, self.description, self.side_key)


def _first_reported(ctx: QuoteContext, verbs, where: str) -> Speaker | None:
    """The speaker of the first of `verbs` (reporting verbs) that gives one."""
    for v in verbs:
        sp = speaker_of_verb(ctx, v)
        if sp and sp.found:
            return sp.noted(where)
    return None


def _subject_word(t: Token) -> bool:
    """A word of a clause's subject name itself ("Sen. Ana Ruiz" of "Sen. Ana Ruiz scolded")."""
    return t.dep_ in SUBJECT_DEPS or (t.dep_ in ("compound", "flat") and t.head.dep_ in SUBJECT_DEPS)


def _speaker(res: Resolved | None, how: str) -> Speaker | None:
    if res is None or (res.key is None and res.description is None):
        return None
    return Speaker(res.key, how, res.reason, res.description, res.side_key)


# --- resolving the words that name a speaker ------------------------------------


class Mentions:
    """Resolves a token of the frame around a quote to the actor it denotes."""

    def __init__(self, doc: Doc, config: Config, actors: DocActors, quote_tokens: set[int]):
        self.doc = doc
        self.config = config
        self.actors = actors
        self.quote_tokens = quote_tokens
        self.en = english()
        self.has_dep = doc.has_annotation("DEP")
        self._genders: dict[str, str] | None = None
        self._ages: dict[int, str] | None = None
        self._listeners: set[int] | None = None
        self._chain: dict[int, Resolved] | None = None
        self.quote_verbs = {v.lower() for v in config.quotes.verbs}

    # facts the article gives about its actors

    def gender(self, key: str) -> str:
        if self._genders is None:
            self._genders = self._find_genders()
        return self._genders.get(key, "unknown")

    def _find_genders(self) -> dict[str, str]:
        """An honorific before a name ("Mrs. Ruiz"), a gendered title
        ("congresswoman Ana Ruiz"), else the first name's usual gender."""
        votes: dict[str, dict[str, float]] = {}
        text_votes: dict[str, str] = {}
        doc = self.doc
        for m in self.actors.spans:
            rec = self.actors.records[m.key]
            if rec.kind != "person":
                continue
            v = votes.setdefault(m.key, {"male": 0, "female": 0})
            for j in (m.start - 1, m.start - 2):
                if j < 0:
                    continue
                w = doc[j].lower_
                g = self.en.honorifics.get(w) or (
                    "male" if w in self.en.male_nouns else "female" if w in self.en.female_nouns else None
                )
                if g in ("male", "female"):
                    v[g] += 3
                    break
            # The text's own pronoun for them, as a tie-breaker only (it may be
            # someone else's): "Ruiz said she would ...".
            head = doc[m.end - 1]
            if head.dep_ == "nsubj" and not text_votes.get(m.key):
                for c in head.head.children:
                    if c.dep_ not in ("ccomp", "conj"):
                        continue
                    subj = next((x for x in c.children if x.dep_ == "nsubj"), None)
                    if subj is None or subj.i in self.quote_tokens:
                        continue
                    info = self.en.pronoun(subj.lower_)
                    if info and info.get("gender") in ("male", "female"):
                        text_votes[m.key] = str(info["gender"])
                        break
        guess = first_names()
        out: dict[str, str] = {}
        for key, rec in self.actors.records.items():
            if rec.kind != "person":
                continue
            v = votes.get(key, {"male": 0, "female": 0})
            if key in text_votes:
                v[text_votes[key]] += 0.5
            role = (rec.role or "").casefold().split()
            if any(w in self.en.male_nouns for w in role):
                v["male"] += 2
            if any(w in self.en.female_nouns for w in role):
                v["female"] += 2
            first = rec.name.split()[0] if len(rec.name.split()) > 1 else ""
            if first and first.casefold().rstrip(".") not in self.en.honorifics:
                g = guess(first)
                if g in v:
                    v[g] += 1
            if v["male"] > v["female"]:
                out[key] = "male"
            elif v["female"] > v["male"]:
                out[key] = "female"
        return out

    def age_at(self, m_start: int) -> str | None:
        if self._ages is None:
            self._ages = self._find_ages()
        return self._ages.get(m_start)

    def _find_ages(self) -> dict[int, str]:
        """ "Ana Ruiz, 58," and "58-year-old Ana Ruiz": ages by mention start."""
        doc = self.doc
        out: dict[int, str] = {}
        for m in self.actors.spans:
            if self.actors.kind(m.key) != "person":
                continue
            if (
                m.end + 2 < len(doc)
                and doc[m.end].text == ","
                and doc[m.end + 1].like_num
                and doc[m.end + 2].text in (",", ")")
            ):
                out[m.start] = doc[m.end + 1].text
            before = doc[max(0, m.start - 4) : m.start].text.replace(" ", "")
            hit = re.search(r"(\d{1,3})-year-old$", before)
            if hit:
                out[m.start] = hit.group(1)
        return out

    def listeners(self) -> set[int]:
        """Tokens of actors a reporting verb speaks to: "told X", "said to X",
        "X was told": never the speaker of what follows."""
        if self._listeners is None:
            out: set[int] = set()
            tell = self.en.listener_verbs | self.quote_verbs
            if self.has_dep:
                for t in self.doc:
                    if t.pos_ not in ("VERB", "AUX") or t.lemma_.lower() not in tell:
                        continue
                    for c in t.children:
                        if c.dep_ in OBJECT_DEPS and t.lemma_.lower() in self.en.listener_verbs:
                            out.update(x.i for x in c.subtree)
                        elif c.dep_ == "prep" and c.lower_ in self.en.listener_prepositions:
                            out.update(x.i for x in c.subtree)
            self._listeners = out
        return self._listeners

    # the resolution itself

    def resolve(self, token: Token) -> Resolved | None:
        key = self.actors.key_at(token.i)
        if key:
            return Resolved(key, "named")
        for c in token.children:  # "The bloc's chief negotiator, Ana Ruiz, said"
            if c.dep_ == "appos":
                k = self.actors.key_at(c.i)
                if k:
                    return Resolved(k, "named in an appositive")
        if token.pos_ == "PROPN" and token.is_title:
            key = self.surname(token)
            if key:
                return Resolved(key, f"'{token.text}': surname of a person named before")
        low = token.lower_
        if low in self.en.first_person:
            return None
        info = self.en.pronoun(low)
        if info is not None:
            return self.pronoun(token, info)
        if token.pos_ in ("NOUN", "PROPN", "NUM", "ADJ"):
            return self.description(token)
        return None

    def chain(self) -> dict[int, Resolved]:
        """Every third-person subject pronoun outside quotations, resolved in
        reading order; each resolved one counts as a mention of its actor for
        the pronouns after it."""
        if self._chain is None:
            self._chain = {}
            spans = list(self.actors.spans)
            for t in self.doc:
                if t.i in self.quote_tokens or t.dep_ not in SUBJECT_DEPS:
                    continue
                info = self.en.pronoun(t.lower_)
                if info is None:
                    continue
                res = self._pronoun(t, info, spans)
                if res is not None and res.key:
                    self._chain[t.i] = res
                    insort(spans, Mention(t.i, t.i + 1, res.key), key=lambda m: m.start)
        return self._chain

    def pronoun(self, token: Token, info: dict) -> Resolved | None:
        if token.i in self.quote_tokens or token.dep_ not in SUBJECT_DEPS:
            return self._pronoun(token, info, None)
        return self.chain().get(token.i)

    def _pronoun(self, token: Token, info: dict, spans: list[Mention] | None) -> Resolved | None:
        gender, number, things = info.get("gender"), info.get("number"), bool(info.get("things"))
        kinds = {"organization", "country"} if things else set()
        if gender in ("male", "female") or (gender == "any" and number == "plural"):
            kinds |= {"person"} if gender != "any" else set()
        listeners = self.listeners()

        def fits(key: str) -> bool:
            kind = self.actors.kind(key)
            if kind == "person":
                g = self.gender(key)
                return gender in ("male", "female") and g in (gender, "unknown")
            return kind in kinds

        # A listener of the same sentence is never who "he" is: "Ruiz told Berg he would resign".
        here = sent_of(token)
        skip = set(self.quote_tokens) | {i for i in listeners if here.start <= i < here.end}
        verb = token.head
        if token.dep_ == "nsubj" and verb.lemma_.lower() in self.quote_verbs:
            # "Mr X's first task was to ..., he said": who is talked about in
            # the reported words is not who reports them.
            # Its subject may still be the speaker: "X scolded him: '...', she said".
            for c in verb.children:
                if c.dep_ in ("ccomp", "parataxis") and c.i < token.i:
                    skip.update(t.i for t in c.subtree if not _subject_word(t))
        key = self.actors.nearest_before(
            token.i, kinds or {"person"}, skip=skip, prefer_subject=self.doc, accept=fits, spans=spans
        )
        if key is None:
            return None
        what = {"male": "male", "female": "female"}.get(str(gender), "")
        noun = "person" if self.actors.kind(key) == "person" else "organisation or country"
        return Resolved(
            key, f"'{token.text}': nearest {what + ' ' if what else ''}{noun} before, not a listener".replace("  ", " ")
        )

    def description(self, noun: Token) -> Resolved | None:
        head = noun.lower_
        lemma = noun.lemma_.lower()
        # A document speaks for its issuer.
        if head in self.en.speaking_documents or lemma in self.en.speaking_documents:
            return self.document(noun)
        # The actor a spokesperson, an official, an aide of X speaks for.
        compact = "".join(t.text for t in noun.subtree if t.i <= noun.i and t.dep_ != "det")
        age = self.en.age.match(head) or self.en.age.match(compact)
        if age:
            return self.by_age(noun, age.group(1))
        described = resolve_description(noun, self.actors, self.config, self.quote_tokens)
        if described:
            return Resolved(described, f"'{self.phrase(noun)}': the actor given that role")
        if self.actors.kind(self.actors.key_at(noun.i)) is None and head in self.en.org_words | set(
            self.en.org_descriptions
        ):
            key = self.organisation(noun)
            if key:
                return Resolved(key, f"'{self.phrase(noun)}': nearest organisation of that kind before")
        inside = self.named_inside(noun)
        if inside is not None:
            return inside
        if (
            head in self.en.spokespeople
            and not any(t.dep_ == "prep" for t in noun.children)
            and not any(self.actors.key_at(t.i) for t in noun.subtree)
        ):
            # "But the Home Office defended the measures. A spokesman said:"
            skip = set(self.quote_tokens) | self.listeners()
            body = self.actors.nearest_before(
                noun.i, {"organization", "country"}, within=60, skip=skip, prefer_subject=self.doc
            )
            if body:
                return Resolved(body, f"'{self.phrase(noun)}': speaks for the body the text was last about")
        if head in self.en.person_nouns or lemma in self.en.person_nouns:
            if any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in noun.children):
                key = self.by_role_word(noun)
                if key:
                    return Resolved(key, f"'{self.phrase(noun)}': the actor last given that title")
                key = self.salient_person(noun) if self.epithet(noun) else None
                if key:
                    return Resolved(key, f"'{self.phrase(noun)}': the person the text was last about")
            side = self.side_in(noun)
            return Resolved(None, "not named in the text", self.phrase(noun), side)
        return None

    def phrase(self, noun: Token) -> str:
        """The words of a description, without a leading article or a clause."""
        words = [t for t in noun.subtree if t.i <= noun.i]
        # "of state", "for the region": a short tail that belongs to the title; not past a comma.
        for t in self.doc[noun.i + 1 : min(noun.right_edge.i + 1, noun.i + 6)]:
            if t.is_punct or t.dep_ in ("relcl", "acl", "appos") or t.pos_ in ("VERB", "AUX"):
                break
            words.append(t)
        words = [t for t in words if t.i not in self.quote_tokens]
        while words and (words[0].dep_ == "det" or words[0].is_punct):
            words = words[1:]
        while words and (words[-1].is_punct or words[-1].dep_ == "prep"):
            words = words[:-1]
        if not words:
            return noun.text
        return self.doc[words[0].i : words[-1].i + 1].text

    def side_in(self, noun: Token) -> str | None:
        for t in noun.subtree:
            k = self.actors.key_at(t.i)
            if k and self.actors.kind(k) == "country":
                return k
            if k and self.actors.side(k):
                return k
        return None

    def named_inside(self, noun: Token) -> Resolved | None:
        """ "Holt's adviser Jan Berg", "a Sylvanian trade ministry spokesperson":
        a name inside the phrase; a country there gives only the side."""
        best = None
        for t in noun.subtree:
            if t.i in self.quote_tokens:
                continue
            k = self.actors.key_at(t.i)
            if not k:
                continue
            kind = self.actors.kind(k)
            is_possessor = t.dep_ == "poss" or (t.i + 1 < len(self.doc) and self.doc[t.i + 1].text in ("'s", "\u2019s"))
            rank = {"person": 0, "organization": 1, "country": 2}.get(kind or "", 3) + (3 if is_possessor else 0)
            if best is None or rank < best[0]:
                best = (rank, k, t)
        if best is None:
            return None
        key, token = best[1], best[2]
        kind = self.actors.kind(key)
        if kind == "country" and token.i != noun.i and noun.pos_ == "NOUN":
            return Resolved(None, "not named in the text", self.phrase(noun), key)
        if best[0] >= 3 and noun.lower_ in self.en.person_nouns and token.i != noun.i:
            # "Scott's relatives", "Holt's aide": someone of theirs, not they;
            # but a body's spokesman speaks for it.
            if noun.lower_ in self.en.spokespeople and kind in ("organization", "country"):
                return Resolved(key, f"'{self.phrase(noun)}': speaks for the body named")
            if self.epithet(noun):  # "Obama's former campaign strategist said", in a story about him
                other = self.salient_person(noun, not_key=key)
                if other:
                    return Resolved(other, f"'{self.phrase(noun)}': the person the text was last about")
            return Resolved(None, "not named in the text", self.phrase(noun), key)
        return Resolved(key, f"'{self.phrase(noun)}': named inside the phrase")

    def document(self, noun: Token) -> Resolved | None:
        """ "X's statement", "a statement from X", "X released a statement ... The statement said"."""
        doc = self.doc
        named = []
        for t in noun.subtree:
            if t.i == noun.i or t.i in self.quote_tokens:
                continue
            k = self.actors.key_at(t.i)
            if k and (t.dep_ in ("poss", "compound", "pobj", "nmod") or t.head.i == noun.i or t.head.head.i == noun.i):
                named.append(k)
        if named:  # "a tweet by US Secretary of State X": X, not the US
            rank = {"person": 0, "organization": 1, "country": 2}
            k = min(named, key=lambda k: rank.get(self.actors.kind(k) or "", 3))
            return Resolved(k, f"'{self.phrase(noun)}': issued by the actor it names")
        # An earlier sentence in which someone issued that kind of document.
        sents = sentence_index(doc)
        here = sent_of(noun)
        idx = bisect_right(sents.starts, here.start) - 1
        lemma = noun.lemma_.lower()
        for s in reversed(sents.sents[max(0, idx - 6) : idx + 1]):
            for t in s:
                if t.i >= noun.i or t.lemma_.lower() != lemma or t.i == noun.i:
                    continue
                for k in self._issuer_of(t):
                    return Resolved(k, f"'{self.phrase(noun)}': issued by the subject of '{t.head.text}'")
        side = self.side_in(noun)
        return Resolved(None, "issuer not named", self.phrase(noun), side)

    def _issuer_of(self, doc_noun: Token):
        for t in doc_noun.subtree:
            if t.i != doc_noun.i and t.dep_ in ("poss", "compound", "pobj"):
                k = self.actors.key_at(t.i)
                if k:
                    yield k
                    return
        verb = doc_noun.head
        if doc_noun.dep_ in ("dobj", "pobj") and verb.pos_ in ("VERB", "ADP"):
            if verb.pos_ == "ADP":
                verb = verb.head
            for c in verb.children:
                if c.dep_ in SUBJECT_DEPS:
                    res = self.resolve(c) if c.i != doc_noun.i else None
                    if res and res.key:
                        yield res.key
                        return

    def surname(self, token: Token) -> str | None:
        """A bare surname NER did not tag ("Tester said"): the person named in
        full before with that surname, the nearest if two share it."""
        word = token.text.casefold()
        for m in reversed(self.actors.spans):
            if m.start >= token.i:
                continue
            rec = self.actors.records[m.key]
            if rec.kind == "person" and len(rec.name.split()) > 1 and rec.name.split()[-1].casefold() == word:
                return m.key
        return None

    def epithet(self, noun: Token) -> bool:
        """ "the New York businessman", "the Indiana governor", "the former
        secretary of state": a description with a capitalised or temporal
        modifier stands for someone the article names; "the announcer" does not."""
        for t in noun.subtree:
            if t.i == noun.i or t.i in self.quote_tokens or t.dep_ in ("det", "punct", "relcl", "acl"):
                continue
            if (t.is_title and t.i > t.sent.start) or t.lower_ in self.en.epithet_words:
                return True
        return False

    def salient_person(self, noun: Token, not_key: str | None = None) -> str | None:
        """ "The New York businessman says": a definite description of a person
        the article has just been about: the subject of the latest sentences,
        of the gender the noun gives, within a few sentences."""
        g = "male" if noun.lower_ in self.en.male_nouns else "female" if noun.lower_ in self.en.female_nouns else None

        def fits(key: str) -> bool:
            return key != not_key and (g is None or self.gender(key) in (g, "unknown"))

        skip = set(self.quote_tokens) | self.listeners()
        return self.actors.nearest_before(
            noun.i, {"person"}, within=80, skip=skip, prefer_subject=self.doc, accept=fits
        )

    def by_age(self, noun: Token, years: str) -> Resolved | None:
        for m in reversed(self.actors.spans):
            if m.start < noun.i and self.age_at(m.start) == years:
                return Resolved(m.key, f"'{self.phrase(noun)}': the person the article gave that age")
        return Resolved(None, "not named in the text", self.phrase(noun), None)

    def by_role_word(self, noun: Token) -> str | None:
        """ "the senator" after "Sen. Ana Ruiz": the last person given that title."""
        word = noun.lemma_.lower()
        for m in reversed(self.actors.spans):
            if m.start >= noun.i or m.start in self.quote_tokens:
                continue
            rec = self.actors.records[m.key]
            if rec.kind != "person":
                continue
            titles = {
                self.en.title_abbreviations.get(w, w) for w in re.findall(r"[\w.'-]+", (rec.role or "").casefold())
            }
            before = [t.lower_ for t in self.doc[max(0, m.start - 3) : m.start]]
            titles |= {self.en.title_abbreviations.get(w, w) for w in before}
            if word in titles or word.rstrip("s") in titles:
                return m.key
        return None

    def organisation(self, noun: Token) -> str | None:
        """ "the newspaper" after "The Daily Ledger", "the ministry" after "the
        Sylvanian Trade Ministry": the nearest earlier organisation whose name
        has a word of that kind."""
        head = noun.lower_
        marks = set(self.en.org_descriptions.get(head, ())) | {head}
        for m in reversed(self.actors.spans):
            if m.start >= noun.i or m.start in self.quote_tokens:
                continue
            if self.actors.kind(m.key) != "organization":
                continue
            name = (self.actors.name(m.key) or "").casefold()
            if set(re.findall(r"[\w.]+", name)) & marks:
                return m.key
        return None


# --- the strategies ----------------------------------------------------------------


@dataclass
class QuoteContext:
    doc: Doc
    start: int  # the quoted words
    end: int
    tokens: Span | None
    paragraph: int
    opens_paragraph: bool
    mentions: Mentions
    reporting: Callable[[Token], bool]
    # what came before, for quotes with no attribution of their own
    previous_in_paragraph: Speaker | None = None
    previous_paragraph: tuple[int, Speaker | None] | None = None
    previous_paragraph_unclosed: bool = False
    frame: list[Token] = field(default_factory=list)

    @property
    def quote_tokens(self) -> set[int]:
        return self.mentions.quote_tokens


def speaker_of_verb(ctx: QuoteContext, verb: Token) -> Speaker | None:
    """The speaker a reporting verb gives: its subject (climbing from a
    participle "..., saying" to its head), or the agent of a passive."""
    m = ctx.mentions
    if not m.has_dep:
        return _nearest_actor(ctx, verb)
    v: Token | None = verb
    for _ in range(4):
        if v is None:
            break
        subjects = [c for c in v.children if c.dep_ in SUBJECT_DEPS and c.i not in ctx.quote_tokens]
        if subjects:
            subj = subjects[0]
            if subj.dep_ == "nsubjpass" and v.lemma_.lower() in m.en.listener_verbs:
                # "Ruiz was told by aides that ...": the agent spoke, not the subject.
                agent = next((c for c in v.children if c.dep_ == "agent"), None)
                pobj = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
                return _speaker(m.resolve(pobj), f"agent of '{verb.text}'") if pobj is not None else None
            return _speaker(m.resolve(subj), f"subject of '{verb.text}'")
        if v.dep_ in ("advcl", "xcomp", "conj", "relcl") and v.head.i != v.i:
            if v.dep_ == "relcl":
                return _speaker(m.resolve(v.head), f"antecedent of '{verb.text}'")
            v = v.head
            # "X said a win by Y would have helped, adding ...": the parse hung
            # the participle on the reported clause; its speaker is the reporter's.
            while v.dep_ == "ccomp" and v.head.i != v.i and ctx.reporting(v.head):
                own = [c for c in v.children if c.dep_ in SUBJECT_DEPS]
                if own and (m.actors.key_at(own[0].i) or m.en.pronoun(own[0].lower_)):
                    break  # "Carter called Sadat and urged him ..., an aide said": Carter urged
                v = v.head
        else:
            break
    # A parse that lost the subject: the nearest subject just before the verb.
    for t in reversed(ctx.doc[max(sent_of(verb).start, verb.i - 12) : verb.i]):
        if t.dep_ in SUBJECT_DEPS and t.i not in ctx.quote_tokens:
            return _speaker(m.resolve(t), f"subject before '{verb.text}'")
    return None


def _nearest_actor(ctx: QuoteContext, verb: Token) -> Speaker | None:
    """Without a parse: the actor named closest to the verb."""
    actors = ctx.mentions.actors
    best = None
    for mm in actors.spans:
        if mm.start in ctx.quote_tokens:
            continue
        dist = min(abs(mm.start - verb.i), abs(mm.end - 1 - verb.i))
        if dist <= 6 and (best is None or dist < best[0]):
            best = (dist, mm.key)
    if best:
        return Speaker(best[1], f"actor next to '{verb.text}'", "named")
    for t in ctx.doc[max(0, verb.i - 3) : verb.i + 3]:
        info = ctx.mentions.en.pronoun(t.lower_)
        if info and info.get("gender") in ("male", "female"):
            key = actors.nearest_before(t.i, {"person"}, skip=ctx.quote_tokens)
            if key:
                return Speaker(key, f"pronoun next to '{verb.text}'", f"'{t.text}': nearest person before")
    return None


def clause_subject(ctx: QuoteContext) -> Speaker | None:
    """ "as Holt went on about "...", her aide said yes": the clause that holds
    the quote has a person as its own subject."""
    if ctx.tokens is None or not ctx.mentions.has_dep:
        return None
    node = ctx.tokens.root
    while node.head.i != node.i:
        if (
            node.dep_ in ("advcl", "relcl")
            and node.pos_ == "VERB"
            and node.i not in ctx.quote_tokens
            and not ctx.reporting(node)
        ):
            subjects = [c for c in node.children if c.dep_ in SUBJECT_DEPS and c.i not in ctx.quote_tokens]
            res = ctx.mentions.resolve(subjects[0]) if subjects else None
            if res and res.key and ctx.mentions.actors.kind(res.key) == "person":
                return Speaker(res.key, f"subject of '{node.text}' (the clause holding the quote)", res.reason)
        node = node.head
    return None


def governing_verb(ctx: QuoteContext) -> Speaker | None:
    """The reporting verb the parse makes the head of the quote: '"...," Ruiz said'."""
    if ctx.tokens is None or not ctx.mentions.has_dep:
        return None
    verbs = {t.i for t in ctx.frame if ctx.reporting(t)}
    if not verbs:
        return None
    for anc in ctx.tokens[0].ancestors:
        if anc.i in verbs:
            return speaker_of_verb(ctx, anc)
    return None


def nearest_verb(ctx: QuoteContext) -> Speaker | None:
    """The reporting verb of the quote's sentence closest to it."""
    if ctx.tokens is None:
        return None
    ts = ctx.tokens
    verbs = sorted(
        (t for t in ctx.frame if ctx.reporting(t)), key=lambda v: min(abs(v.i - ts.start), abs(v.i - (ts.end - 1)))
    )
    return _first_reported(ctx, verbs, "nearest reporting verb")


def according_to(ctx: QuoteContext) -> Speaker | None:
    """ "according to X"."""
    doc = ctx.doc
    for t in ctx.frame:
        if t.lower_ == "according" and t.i + 1 < len(doc) and doc[t.i + 1].lower_ == "to":
            for u in doc[t.i + 2 : min(len(doc), t.i + 12)]:
                if u.is_punct:
                    break
                res = ctx.mentions.resolve(u)
                if res and (res.key or res.description):
                    if u.dep_ == "pobj" or res.key:
                        return _speaker(res, "object of 'according to'")
    return None


def document_source(ctx: QuoteContext) -> Speaker | None:
    """ "a statement from X: ...", "in X's letter, ...": a document in the frame
    with its issuer named."""
    en = ctx.mentions.en
    for t in ctx.frame:
        if t.lower_ in en.speaking_documents and t.pos_ == "NOUN":
            res = ctx.mentions.document(t)
            if res and res.key:
                return _speaker(res, f"issuer of '{t.text}'")
    return None


def object_of_verb(ctx: QuoteContext) -> Speaker | None:
    """A quote as the object of any verb whose subject is an actor:
    'Sylvania rejected the report as "baseless"'."""
    if ctx.tokens is None or not ctx.mentions.has_dep:
        return None
    root = ctx.tokens.root
    for anc in [root, *root.ancestors]:
        if anc.i in ctx.quote_tokens or anc.pos_ not in ("VERB", "AUX"):
            continue
        subjects = [c for c in anc.children if c.dep_ in SUBJECT_DEPS and c.i not in ctx.quote_tokens]
        if subjects:
            res = ctx.mentions.resolve(subjects[0])
            if res and res.key:
                return Speaker(res.key, f"subject of '{anc.text}' (the quote is what it did)", res.reason)
            break
    return None


_TRANSCRIPT = re.compile(r"\A([A-Z][A-Z'\u2019.-]+(?: [A-Z][A-Z'\u2019.-]+)?):\s")


def transcript_label(ctx: QuoteContext) -> Speaker | None:
    """ "BRANDT: Well, look, ...": an interview transcript names its speaker."""
    m = _TRANSCRIPT.match(doc_text(ctx.doc)[ctx.start : ctx.end])
    if not m:
        return None
    label = m.group(1).split()[-1].casefold()
    for key, rec in ctx.mentions.actors.records.items():
        if rec.kind == "person" and rec.name.split()[-1].casefold() == label:
            return Speaker(key, "transcript label", "named")
    return None


_DASH = re.compile(r"\A[\"\u201d\u00bb]?[ \t]*[\u2015\u2014\u2013-]{1,2}[ \t]*")


def dash_name(ctx: QuoteContext) -> Speaker | None:
    """'"..." ― Lena Ortiz': a dash and a name after the quote."""
    text = doc_text(ctx.doc)
    m = _DASH.match(text[ctx.end : ctx.end + 8])
    if not m:
        return None
    start = ctx.end + m.end()
    span = ctx.doc.char_span(start, start + 1, alignment_mode="expand")
    if span is None:
        return None
    key = ctx.mentions.actors.key_at(span.start)
    return Speaker(key, "named after a dash", "named") if key else None


def continues_in_paragraph(ctx: QuoteContext) -> Speaker | None:
    """A second quote of a paragraph with no attribution of its own."""
    prev = ctx.previous_in_paragraph
    if prev is not None and prev.found:
        return Speaker(
            prev.key, "continues the previous quote in the paragraph", prev.reason, prev.description, prev.side_key
        )
    return None


def continues_from_previous_paragraph(ctx: QuoteContext) -> Speaker | None:
    """A paragraph opening with a quote, after a paragraph whose quote was left open."""
    if not ctx.opens_paragraph or ctx.previous_paragraph is None or not ctx.previous_paragraph_unclosed:
        return None
    para, prev = ctx.previous_paragraph
    if para == ctx.paragraph - 1 and prev is not None and prev.found:
        return Speaker(
            prev.key, "continues a quote from the previous paragraph", prev.reason, prev.description, prev.side_key
        )
    return None


def paragraph_after_speaker(ctx: QuoteContext) -> Speaker | None:
    """A paragraph that opens with a quote nobody is credited with, right
    after a paragraph whose last quote had a speaker: wire copy goes on
    quoting the same person ('Ruiz said ... "...".' / '"..."')."""
    if not ctx.opens_paragraph or ctx.paragraph == 0:
        return None
    how = "the previous paragraph's speaker (no attribution of its own)"
    if ctx.previous_paragraph is not None and ctx.previous_paragraph[0] == ctx.paragraph - 1:
        prev = ctx.previous_paragraph[1]
        return Speaker(prev.key, how, prev.reason) if prev is not None and prev.key is not None else None
    # No quote there: the last reporting verb of that paragraph ("Ruiz said the talks had been hard.").
    doc = ctx.doc
    p_start, p_end = paragraph_index(doc).spans[ctx.paragraph - 1]
    for sent in reversed(sentence_index(doc).overlapping(p_start, p_end)):
        for t in reversed(list(sent)):
            if ctx.reporting(t):
                sp = speaker_of_verb(ctx, t)
                return Speaker(sp.key, how, sp.reason) if sp is not None and sp.key is not None else None
    return None


def next_sentence(ctx: QuoteContext) -> Speaker | None:
    """The sentence after the quote, in its paragraph, when it is only an
    attribution: '"..." / Holt said, looking out at the crowd.'"""
    doc = ctx.doc
    sents = sentence_index(doc).overlapping(ctx.end, ctx.end + 1)
    if not sents:
        return None
    nxt_start = sents[-1].end
    if nxt_start >= len(doc):
        return None
    nxt = sent_of(doc[nxt_start])
    if not paragraph_index(doc).same(ctx.start, nxt.start_char):
        return None
    words = [t for t in nxt if not (t.is_punct or t.is_space) and t.i not in ctx.quote_tokens]
    for t in words[:6]:
        if not ctx.reporting(t):
            continue
        if ctx.mentions.has_dep and (t.dep_ != "ROOT" or any(c.dep_ in ("ccomp", "dobj") for c in t.children)):
            return None  # it reports something else: "Holt said the plan failed"
        sp = speaker_of_verb(ctx, t)
        return sp.noted("in the next sentence") if sp and sp.found else None
    return None


def clause_before_colon(ctx: QuoteContext) -> Speaker | None:
    """ 'The ministry defended the strike as lawful: "..."', 'In his message,
    he praised the general: "..."': a clause ending in a colon right before
    the quote presents it; its subject speaks."""
    doc = ctx.doc
    text = doc_text(doc)
    base = max(0, ctx.start - 4)
    before = text[base : ctx.start].rstrip("\"\u201c\u00ab\u201e \t")
    if not before.endswith(":") or not ctx.mentions.has_dep:
        return None
    colon = doc.char_span(base + len(before) - 1, base + len(before), alignment_mode="expand")
    if colon is None or colon.start == 0:
        return None
    verb = doc[colon.start - 1]
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    if verb.pos_ not in ("VERB", "AUX") or verb.i in ctx.quote_tokens:
        return None
    if ctx.reporting(verb):
        return None  # the reporting strategies read it
    sp = speaker_of_verb(ctx, verb)
    if sp is None or sp.key is None:
        return None
    return Speaker(sp.key, f"subject of '{verb.text}', before the colon", sp.reason)


def introduced_by_colon(ctx: QuoteContext) -> Speaker | None:
    """ 'The minister added: "..."': the sentence before ends with a colon and
    reports; it outranks a continuation of an earlier quote."""
    doc = ctx.doc
    sents = sentence_index(doc).overlapping(ctx.start, ctx.start + 1)
    if not sents or sents[0].start == 0:
        return None
    prev = sent_of(doc[sents[0].start - 1])
    if not prev.text.rstrip().rstrip("\"\u201c").rstrip().endswith(":"):
        return None
    verbs = [t for t in reversed(list(prev)) if ctx.reporting(t) and t.i not in ctx.quote_tokens]
    return _first_reported(ctx, verbs, "introducing the quote")


def previous_sentence(ctx: QuoteContext) -> Speaker | None:
    """'Holt told parliament that ... . "We have waited long enough ..."'"""
    doc = ctx.doc
    sents = sentence_index(doc).overlapping(ctx.start, ctx.start + 1)
    if not sents or sents[0].start == 0:
        return None
    prev = sent_of(doc[sents[0].start - 1])
    paras = paragraph_index(doc)
    if not paras.same(max(prev.end_char - 1, 0), ctx.start) and not prev.text.rstrip().endswith(":"):
        return None  # another paragraph, unless it introduced this one: "Ruiz continued:"
    for t in prev:
        if ctx.reporting(t) and t.i not in ctx.quote_tokens:
            sp = speaker_of_verb(ctx, t)
            if sp and sp.key:
                return Speaker(sp.key, sp.how, sp.reason).noted("in the sentence before")
    return None


# The order is the order of trust: the quote's own clause and the verb the
# parse ties it to first; what the neighbourhood suggests last.
STRATEGIES: list[tuple[str, Callable[[QuoteContext], Speaker | None]]] = [
    ("clause subject", clause_subject),
    ("governing verb", governing_verb),
    ("nearest reporting verb", nearest_verb),
    ("according to", according_to),
    ("document issuer", document_source),
    ("clause before a colon", clause_before_colon),
    ("object of a verb", object_of_verb),
    ("transcript label", transcript_label),
    ("name after a dash", dash_name),
    ("introduced by a colon", introduced_by_colon),
    ("continues in paragraph", continues_in_paragraph),
    ("continues from previous paragraph", continues_from_previous_paragraph),
    ("next sentence", next_sentence),
    ("previous sentence", previous_sentence),
    ("previous paragraph's speaker", paragraph_after_speaker),
]

# Strategies whose verb or phrase says outright who spoke: a quote found by
# one of them is a quotation even when it looks like a title.
STATED = {
    "clause subject",
    "governing verb",
    "nearest reporting verb",
    "according to",
    "document issuer",
    "clause before a colon",
    "object of a verb",
}


def attribute(ctx: QuoteContext) -> tuple[str | None, Speaker | None]:
    """The first strategy that finds a speaker: (its name, the speaker)."""
    for name, strategy in STRATEGIES:
        sp = strategy(ctx)
        if sp is not None and sp.found:
            return name, sp
    return None, None


class Reporting:
    """Whether a token is a reporting verb of the config (`quotes.verbs`)."""

    def __init__(self, doc: Doc, config: Config, quote_tokens: set[int]):
        self.verbs = {v.lower() for v in config.quotes.verbs}
        self.forms = inflections(config.quotes.verbs)
        self.quote_tokens = quote_tokens
        self.has_dep = doc.has_annotation("DEP")

    def __call__(self, t: Token) -> bool:
        if t.i in self.quote_tokens:
            return False
        if self.has_dep:
            return t.pos_ in ("VERB", "AUX") and t.lemma_.lower() in self.verbs
        return t.lower_ in self.forms


def frame_of(doc: Doc, start: int, end: int, quote_tokens: set[int], paras: ParagraphIndex) -> list[Token]:
    """The words around a quote that may attribute it: its sentences, in its paragraph."""
    sents = sentence_index(doc).overlapping(start - 1, end + 1)
    p_start, p_end = paras.span(start)
    return [t for s in sents for t in s if t.i not in quote_tokens and not t.is_punct and p_start <= t.idx < p_end]
