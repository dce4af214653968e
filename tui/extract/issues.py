"""Disputed issues: the config's phrases, matched per sentence, with who raises them.

Beside them, the phrases that could be issues the config lacks
(`find_issue_phrases`): the noun phrases of conflictual sentences (one of the
packaged English conflict cues: "dispute", "protest", "reject", ...), cleaned
of what never names an issue (determiners, possessives, numbers, dates, the
names of actors and parties, vague modifiers, framing nouns such as "the X
question"), that no issue pattern matches. The inbox (tui/inbox.py) ranks
those that recur across articles.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from tui.config import Config
from tui.extract.actors import DocActors, sentence_evidence
from tui.extract.lexicon import english, issue_words
from tui.extract.models import IssueMention, IssuePhrase
from tui.extract.sents import sent_of, sentence_index

_MATCHERS: dict[int, tuple[Config, Callable, PhraseMatcher]] = {}


def issue_matcher(config: Config, make_doc: Callable[[str], Doc]) -> PhraseMatcher:
    """One PhraseMatcher per (config, tokenizer), case-insensitive."""
    hit = _MATCHERS.get(id(config))
    if hit is not None and hit[0] is config and hit[1] == make_doc:
        return hit[2]
    vocab = make_doc("").vocab
    matcher = PhraseMatcher(vocab, attr="LOWER")
    for issue in config.issues:
        variants = {v for p in issue.patterns for v in (p, p.replace("'", "\u2019"))}
        matcher.add(issue.id, [make_doc(v) for v in sorted(variants)])
    if len(_MATCHERS) > 8:
        _MATCHERS.clear()
    _MATCHERS[id(config)] = (config, make_doc, matcher)
    return matcher


def find_issues(
    doc: Doc, doc_id: str, config: Config, actors: DocActors, make_doc: Callable[[str], Doc]
) -> list[IssueMention]:
    """Where the config's issue patterns occur, with who is named in the sentence."""
    if not config.issues:
        return []
    matcher = issue_matcher(config, make_doc)
    labels = {i.id: i.label for i in config.issues}
    spans = [doc[s:e] for _, s, e in matcher(doc)]
    ids = {(s, e): doc.vocab.strings[m] for m, s, e in matcher(doc)}
    out: list[IssueMention] = []
    for span in filter_spans(spans):
        issue_id = ids[(span.start, span.end)]
        raisers = _raisers(actors, sent_of(span))
        out.append(
            IssueMention(
                issue_id=issue_id,
                label=labels[issue_id],
                matched=span.text,
                actors=tuple(raisers),
                evidence=sentence_evidence(doc_id, span),
            )
        )
    return out


def _raisers(actors: DocActors, sent: Span, skip: range = range(0)) -> list[str]:
    """Who is named in the sentence: people and bodies first, then countries
    (leaving out the tokens in `skip`)."""
    named = [m for m in actors.in_range(sent.start, sent.end) if m.start not in skip]
    raisers: list[str] = []
    for countries in (False, True):
        for m in named:
            name = actors.name(m.key)
            if name and name not in raisers and (actors.kind(m.key) == "country") == countries:
                raisers.append(name)
    return raisers


# --- phrases that could be issues the config lacks -----------------------------------

NOT_ISSUE_ENTS = {"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY", "PERSON"}
NAMED_ENTS = {"GPE", "LOC", "FAC", "LAW", "EVENT", "PRODUCT", "NORP", "ORG"}  # spans a noun chunk may cut short
POSSESSIVE = {"'s", "\u2019s", "'", "\u2019"}
MAX_WORDS = 6
LOCATIVE = english().locative_prepositions


def _cue_in(sent: Span, words: frozenset[str], phrases: tuple[str, ...]) -> str | None:
    """The conflict cue of a sentence, if it has one."""
    for t in sent:
        if t.lower_ in words or t.lemma_.lower() in words:
            return t.lower_
    if phrases:
        forms = [t.lower_ for t in sent if not t.is_space]
        lemmas = [t.lemma_.lower() for t in sent if not t.is_space]
        text, base = f" {' '.join(forms)} ", f" {' '.join(lemmas)} "
        for cue in phrases:
            if f" {cue} " in text or f" {cue} " in base:  # "broke down": "break down"
                return cue
    return None


def _topic_of(span: Span, heads: frozenset[str], preps: frozenset[str]) -> str | None:
    """The word that makes the phrase a subject of contention ("talks on X",
    "differences over X", "the question of X"), if one does."""
    token = span.root
    while token.dep_ == "conj" and token.head is not token:
        token = token.head
    prep = token.head
    if token.dep_ != "pobj" or prep.lower_ not in preps or prep.head is prep:
        return None
    governor = prep.head
    # "talks on X", or the verb they are the object of: "hold talks on X"
    for word in (governor, *(c for c in governor.children if c.dep_ in ("dobj", "nsubj", "nsubjpass"))):
        if word.lower_ in heads or word.lemma_.lower() in heads:
            return word.lower_
    return None


def _candidate_spans(chunks: list[Span], sent: Span) -> list[Span]:
    """The sentence's noun chunks, with the named entities they cut short
    ("the Line" of "Line of Control") in their place."""
    ents = [e for e in sent.ents if e.label_ in NAMED_ENTS]
    return filter_spans([*chunks, *ents])


def _clean(span: Span, actors: DocActors, taken: set[int]) -> Span | None:
    """What of a noun phrase could name an issue, or None."""
    words = issue_words()
    doc = span.doc
    if any(i in taken for i in range(span.start, span.end)):
        return None  # an issue pattern already matches it
    start, end = span.start, span.end
    for t in span:  # after the last possessive: "India's water rights" -> "water rights"
        if t.tag_ == "POS" or t.lower_ in POSSESSIVE or t.tag_ == "PRP$":
            start = max(start, t.i + 1)

    def droppable_front(t) -> bool:
        return (
            t.pos_ in ("DET", "PRON", "NUM", "PUNCT", "ADV", "CCONJ", "ADP", "PART", "SYM", "SPACE")
            or t.like_num
            or t.ent_type_ in NOT_ISSUE_ENTS
            or actors.key_at(t.i) is not None
            or t.lower_ in words.vague_modifiers
            or t.lower_ in words.conflict_cues
            or t.is_stop
        )

    head_ent = doc[span.end - 1].ent_type_
    if head_ent in NAMED_ENTS and head_ent != "NORP" and doc[span.end - 1].ent_iob_ != "":
        # "a stable and unified X", "diplomatic rival X": a name's modifiers describe it, the name is the issue
        ent_start = span.end - 1
        while ent_start > start and doc[ent_start].ent_iob_ == "I":
            ent_start -= 1
        start = max(start, ent_start)
    for t in doc[start:end]:  # what a quotation mark or a bracket inside cuts off
        if t.is_quote or t.is_bracket or (t.is_punct and t.text not in ("-", "&", ".")):
            start = t.i + 1
    while start < end and droppable_front(doc[start]):
        start += 1
    while end > start and (doc[end - 1].pos_ in ("PUNCT", "PART", "SPACE", "SYM") or doc[end - 1].is_space):
        end -= 1
    # "the Kashmir question", "the border row": the frame goes, what it frames stays
    while end - start > 1 and doc[end - 1].lower_ in words.frame_nouns and doc[end - 2].pos_ in ("NOUN", "PROPN"):
        end -= 1
    if start >= end or end - start > MAX_WORDS:
        return None
    head = doc[end - 1]
    if head.pos_ not in ("NOUN", "PROPN") or head.ent_type_ in NOT_ISSUE_ENTS or actors.key_at(head.i) is not None:
        return None
    if any(doc[i].ent_type_ in NOT_ISSUE_ENTS or doc[i].like_num for i in range(start, end)):
        return None  # a person's name or a date inside
    out = doc[start:end]
    if not any(c.isalpha() for c in out.text) or len(out.text) < 3:
        return None
    return out


def phrase_key(span: Span) -> str:
    """Case folded, the head noun in the singular: "Export Controls" and "export control" are one."""
    words = [t.lower_.replace("\u2019", "'") for t in span]
    head = span[-1]
    if head.pos_ == "NOUN" and head.lemma_ and head.lemma_.isalpha():
        words[-1] = head.lemma_.lower()
    return " ".join("".join(w + t.whitespace_ for w, t in zip(words, span, strict=True)).split())


def find_issue_phrases(
    doc: Doc, doc_id: str, config: Config, actors: DocActors, make_doc: Callable[[str], Doc]
) -> list[IssuePhrase]:
    """Candidate issues of one article: see the module's docstring."""
    if not doc.has_annotation("DEP") or not len(doc):
        return []  # a rule-only pipeline finds no noun phrases
    words = issue_words()
    single = frozenset(w for w in words.conflict_cues if " " not in w)
    phrases = tuple(sorted(w for w in words.conflict_cues if " " in w))
    taken: set[int] = set()
    if config.issues:
        for _, s, e in issue_matcher(config, make_doc)(doc):
            taken.update(range(s, e))
    chunks: dict[int, list[Span]] = {}
    for chunk in doc.noun_chunks:
        chunks.setdefault(sent_of(chunk).start, []).append(chunk)
    heads = single | words.topic_heads | words.frame_nouns
    parties = set(config.party_names())
    out: list[IssuePhrase] = []
    for sent in sentence_index(doc).sents:
        cued = _cue_in(sent, single, phrases)
        in_sentence = cued or _both_sides(sent, actors, parties)
        for span in _candidate_spans(chunks.get(sent.start, []), sent):
            topic = _topic_of(span, heads, words.topic_prepositions)
            cue = topic or in_sentence
            if cue is None:
                continue
            if not (topic or cued) and _where(span):
                continue  # "the two ministers met in Lisbon": a venue, not what they differ on
            cleaned = _clean(span, actors, taken)
            if cleaned is None:
                continue
            raisers = tuple(_raisers(actors, sent, range(cleaned.start, cleaned.end)))
            for part in (cleaned, *_cores(cleaned, actors)):
                out.append(
                    IssuePhrase(
                        key=phrase_key(part),
                        text=" ".join(part.text.split()),
                        actors=raisers,
                        cue=cue,
                        evidence=sentence_evidence(doc_id, part),
                        topic=topic is not None and part is cleaned,
                    )
                )
    return out


def _where(span: Span) -> bool:
    """The place or time something happens: "in Lisbon", "at the border", "on Tuesday"."""
    root = span.root
    return root.dep_ == "pobj" and root.head.lower_ in LOCATIVE


def _both_sides(sent: Span, actors: DocActors, parties: set[str]) -> str | None:
    """A sentence that names both sides (a party or one of its people each)
    is about the relation: what it is about may be an issue."""
    sides = {actors.side(m.key) for m in actors.in_range(sent.start, sent.end)}
    return "both sides" if len(parties) >= 2 and parties <= sides else None


def _cores(span: Span, actors: DocActors) -> list[Span]:
    """The names and the modifying noun inside a longer phrase, which recur
    where the whole phrase does not: "Indus" of "the Indus Waters Treaty" and
    "Indus commissioners", "ceasefire" of "ceasefire violations"."""
    if len(span) < 2:
        return []
    doc = span.doc
    out: list[Span] = []
    i = span.start
    while i < span.end:  # a run of proper nouns before the common noun it names ("Indus commissioners")
        if doc[i].pos_ == "PROPN" and actors.key_at(doc[i].i) is None:
            j = i
            while j < span.end and doc[j].pos_ == "PROPN" and actors.key_at(doc[j].i) is None:
                j += 1
            if j < span.end and doc[j].pos_ == "NOUN" and (i == span.start or doc[i - 1].pos_ != "ADP"):
                out.append(doc[i:j])
            i = j
        else:
            i += 1
    head = span[-1]
    first = span[0]
    if first.pos_ == "NOUN" and first.dep_ == "compound" and first.head.i == head.i and not out:
        out.append(doc[first.i : first.i + 1])  # "ceasefire violations" -> "ceasefire"
    return out
