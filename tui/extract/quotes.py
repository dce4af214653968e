"""Direct quotations and their speakers.

Quoted stretches are found in the text by their marks (straight or curly);
each stretch is one record, so a split quote gives two records with the same
speaker, and a quote running over paragraphs gives one record a paragraph.

The speaker is the subject of the reporting verb that governs the quote or
stands nearest to it ("X said", "said X", "X told reporters", "X said
Friday", a participle "..., saying"), or the object of "according to". A
pronoun is resolved to the nearest fitting earlier actor; a quote with no
attribution of its own continues the previous quote of the paragraph, or
takes the attribution of the next sentence ("... " / "he said.").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Span, Token

from tui.config import Config
from tui.extract.actors import DocActors, resolve_description
from tui.extract.lexicon import inflections
from tui.extract.models import QuoteMention
from tui.extract.sents import doc_text, paragraph_index, sent_of, sentence_index
from tui.layout import ParagraphIndex, analyse

OPENERS = {"\u201c": "\u201d", "\u201e": "\u201d", "\u00ab": "\u00bb", '"': '"'}
CLOSERS = {"\u201d", "\u00bb", '"'}
PERSON_PRONOUNS = {"he", "she", "him", "her"}
GROUP_PRONOUNS = {"it", "they", "its"}
FIRST_PERSON = {"i", "we"}
SIDE_ONLY = "side-only:"  # a speaker known only by the side it speaks for
SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj"}


@dataclass
class QuoteSpan:
    start: int  # offsets of the quoted words, without the marks
    end: int
    paragraph: int
    opens_paragraph: bool  # the paragraph starts with this quote


def find_quote_spans(text: str, min_words: int = 2, paragraphs: ParagraphIndex | None = None) -> list[QuoteSpan]:
    """Quoted stretches in the text, paragraph by paragraph (the layout's)."""
    if paragraphs is None:
        paragraphs = ParagraphIndex.of(analyse(text).paragraphs)
    spans: list[QuoteSpan] = []
    for p_index, (p_start, p_end) in enumerate(paragraphs.spans):
        para = text[p_start:p_end]
        open_at: int | None = None
        expected: str | None = None
        for i, ch in enumerate(para):
            if open_at is None:
                if ch in OPENERS and _can_open(para, i):
                    open_at, expected = i + 1, OPENERS[ch]
            elif ch == expected or (ch in CLOSERS and ch != "\u00bb") or (ch == '"' and expected != '"'):
                if ch == '"' and expected == '"' and not _can_close(para, i):
                    continue
                _add(spans, text, p_start + open_at, p_start + i, p_index, p_start, min_words)
                open_at, expected = None, None
        if open_at is not None:  # runs to the paragraph's end (wire style)
            _add(spans, text, p_start + open_at, p_start + len(para), p_index, p_start, min_words)
    return spans


_NAMING = re.compile(
    r"(?:\bso-called|\bwhat \w+(?: \w+)? calls?(?: (?:its|it|their|the|his|her))?)\s*[\"\u201c\u00ab\u201e]$",
    re.IGNORECASE,
)


def _can_open(para: str, i: int) -> bool:
    before = para[i - 1] if i > 0 else " "
    after = para[i + 1] if i + 1 < len(para) else " "
    if para[i] != '"':
        return not after.isspace() or i + 1 < len(para)
    return (before.isspace() or before in "([{\u2014\u2013-:,;") and not after.isspace()


def _can_close(para: str, i: int) -> bool:
    after = para[i + 1] if i + 1 < len(para) else " "
    return after.isspace() or not after.isalnum()


def _add(spans: list[QuoteSpan], text: str, start: int, end: int, p_index: int, p_start: int, min_words: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    # A trailing comma belongs to the attribution ("...," he said), not the words.
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    if len(re.findall(r"\w+", text[start:end])) < min_words:
        return
    if _NAMING.search(text[max(0, start - 40) : start]):
        return  # 'so-called "X"', 'what the capital calls its "X"': a name, not a quotation
    opens = text[p_start : start - 1].strip() == ""
    spans.append(QuoteSpan(start, end, p_index, opens))


class _Attributor:
    def __init__(self, doc: Doc, config: Config, actors: DocActors, quote_tokens: set[int]):
        self.doc = doc
        self.actors = actors
        self.config = config
        self.verbs = {v.lower() for v in config.quotes.verbs}
        self.forms = inflections(config.quotes.verbs)
        self.quote_tokens = quote_tokens
        self.has_dep = doc.has_annotation("DEP")

    def is_speech_verb(self, t: Token) -> bool:
        if t.i in self.quote_tokens:
            return False
        if self.has_dep:
            return t.pos_ in ("VERB", "AUX") and t.lemma_.lower() in self.verbs
        return t.lower_ in self.forms

    def speaker_of_verb(self, verb: Token) -> tuple[str | None, str]:
        """The actor that is the subject of a reporting verb."""
        if not self.has_dep:
            return self._nearest_actor(verb), "actor next to the verb"
        v: Token | None = verb
        for _ in range(4):
            if v is None:
                break
            subjects = [c for c in v.children if c.dep_ in SUBJECT_DEPS]
            if subjects:
                return self.actor_of(subjects[0]), f"subject of '{verb.text}'"
            # "..., saying ...": a participle takes its head's subject.
            if v.dep_ in ("advcl", "xcomp", "conj", "relcl") and v.head.i != v.i:
                if v.dep_ == "relcl":
                    return self.actor_of(v.head), f"antecedent of '{verb.text}'"
                v = v.head
            else:
                break
        # A parse that lost the subject: the nearest subject just before the verb.
        for t in reversed(self.doc[max(sent_of(verb).start, verb.i - 12) : verb.i]):
            if t.dep_ in SUBJECT_DEPS and t.i not in self.quote_tokens:
                key = self.actor_of(t)
                if key:
                    return key, f"subject before '{verb.text}'"
                break
        return None, ""

    def actor_of(self, token: Token) -> str | None:
        """The actor a subject phrase names, resolving pronouns."""
        key = self.actors.key_at(token.i)
        if key:
            return key
        if token.lower_ in PERSON_PRONOUNS:
            return self.actors.nearest_before(token.i, {"person"}, skip=self.quote_tokens, prefer_subject=self.doc)
        if token.lower_ in GROUP_PRONOUNS:
            return self.actors.nearest_before(
                token.i, {"organization", "country"}, skip=self.quote_tokens, prefer_subject=self.doc
            )
        if token.pos_ in ("NOUN", "PROPN"):
            key = self.described(token)
            if key:
                return key
        # "Holt's adviser Jan Berg", "a Sylvanian trade ministry spokesperson"
        subtree = [t for t in token.subtree if t.i not in self.quote_tokens]
        best = None
        for t in subtree:
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
        if self.actors.kind(best[1]) == "country" and best[2].i != token.i and token.pos_ == "NOUN":
            # "One EU diplomat said": the side is known, the speaker is not.
            return SIDE_ONLY + best[1]
        return best[1]

    def described(self, noun: Token) -> str | None:
        return resolve_description(noun, self.actors, self.config, self.quote_tokens)

    def _nearest_actor(self, verb: Token) -> str | None:
        best = None
        for m in self.actors.spans:
            if m.start in self.quote_tokens:
                continue
            dist = min(abs(m.start - verb.i), abs(m.end - 1 - verb.i))
            if dist <= 6 and (best is None or dist < best[0]):
                best = (dist, m.key)
        if best:
            return best[1]
        for t in self.doc[max(0, verb.i - 3) : verb.i + 3]:
            if t.lower_ in PERSON_PRONOUNS:
                return self.actors.nearest_before(t.i, {"person"}, skip=self.quote_tokens)
        return None

    def according_to(self, tokens: list[Token]) -> str | None:
        for t in tokens:
            if t.lower_ == "according" and t.i + 1 < len(self.doc) and self.doc[t.i + 1].lower_ == "to":
                for u in self.doc[t.i + 2 : min(len(self.doc), t.i + 12)]:
                    k = self.actors.key_at(u.i)
                    if k:
                        return k
                    if u.is_punct:
                        break
        return None


def _sentences(doc: Doc, start: int, end: int) -> list[Span]:
    return sentence_index(doc).overlapping(start, end)


def find_quotes(doc: Doc, doc_id: str, config: Config, actors: DocActors) -> list[QuoteMention]:
    text = doc_text(doc)
    paras = paragraph_index(doc)
    spans = find_quote_spans(text, 1, paras)
    if not spans:
        return []
    token_spans: list[Span | None] = []
    quote_tokens: set[int] = set()
    for q in spans:
        ts = doc.char_span(q.start, q.end, alignment_mode="expand")
        token_spans.append(ts)
        if ts is not None:
            quote_tokens.update(range(ts.start, ts.end))
            # The marks themselves belong to the quote, not to the frame.
            for j in (ts.start - 1, ts.end):
                if 0 <= j < len(doc) and doc[j].is_quote:
                    quote_tokens.add(j)
    att = _Attributor(doc, config, actors, quote_tokens)
    results: list[QuoteMention] = []
    pending: list[int] = []
    prev_by_para: dict[int, tuple[str | None, QuoteSpan]] = {}
    last_speaker: tuple[int, str | None] | None = None  # (paragraph, key)
    for q, ts in zip(spans, token_spans, strict=True):
        key, reason = _attribute(doc, q, ts, att)
        quoted = text[q.start : q.end]
        n_words = len(re.findall(r"\w+", quoted))
        verb_said_it = bool(key) and (reason.startswith("subject of") or reason == "according to")
        if n_words < config.quotes.min_words:
            # One quoted word is mostly a scare quote, a nickname or a term
            # (PolNeAR dev: 33 of 36 such stretches were not quotations).
            continue
        if not verb_said_it and _looks_like_title(quoted):
            continue  # "Meet the Press", "The Art of the Deal": a title, not a quotation
        if key is None:
            key, reason = _transcript_speaker(quoted, actors)
        if key is None:
            key, reason = _dash_attribution(doc, q, actors)
        if key is None:
            prev = prev_by_para.get(q.paragraph)
            if prev and prev[0]:
                key, reason = prev[0], "continues the previous quote in the paragraph"
            elif q.opens_paragraph and last_speaker and last_speaker[0] == q.paragraph - 1 and last_speaker[1]:
                if _previous_para_unclosed(text, q, paras):
                    key, reason = last_speaker[1], "continues a quote from the previous paragraph"
            if key is None:
                nxt = _next_sentence_attribution(doc, q, att)
                if nxt:
                    key, reason = nxt, "attributed in the next sentence"
            if key is None:
                prv = _previous_sentence_attribution(doc, q, att)
                if prv:
                    key, reason = prv, "introduced in the sentence before"
        prev_by_para[q.paragraph] = (key, q)
        last_speaker = (q.paragraph, key)
        sents = _sentences(doc, q.start, q.end)
        sent_start = sents[0].start_char if sents else q.start
        sent_end = sents[-1].end_char if sents else q.end
        if key is None and q.end >= paras.span(q.start)[1]:
            pending.append(len(results))
        side_key = key[len(SIDE_ONLY) :] if key and key.startswith(SIDE_ONLY) else None
        results.append(
            QuoteMention(
                text=text[q.start : q.end],
                speaker=None if side_key else actors.name(key),
                speaker_key=None if side_key else key,
                side=actors.side(side_key or key),
                doc=doc_id,
                start=q.start,
                end=q.end,
                sentence=text[sent_start:sent_end],
                sent_start=sent_start,
                reason=reason,
            )
        )
    # A quote left open at a paragraph's end goes on in the next paragraph,
    # whose attribution ("...," he said) names its speaker too.
    for idx in pending:
        nxt = next((r for r in results[idx + 1 :] if r.start > results[idx].end), None)
        if nxt and nxt.speaker_key and _opens_next_paragraph(text, paras, results[idx].end, nxt.start):
            results[idx] = replace(
                results[idx],
                speaker=nxt.speaker,
                speaker_key=nxt.speaker_key,
                side=nxt.side,
                reason="continued in the next paragraph",
            )
    return results


def _opens_next_paragraph(text: str, paras: ParagraphIndex, end: int, start: int) -> bool:
    """Whether the quote at `start` opens the paragraph after the one `end` closes."""
    if paras.number(start) != paras.number(max(end - 1, 0)) + 1:
        return False
    return text[paras.span(start)[0] : start].strip() in ("", '"', "\u201c")


_SMALL_WORDS = {"a", "an", "the", "of", "and", "or", "in", "on", "at", "to", "for", "with", "by", "from"}


def _looks_like_title(quoted: str) -> bool:
    """Every word capitalised but small ones, short, no sentence punctuation."""
    words = re.findall(r"[\w'\u2019-]+", quoted)
    if not 2 <= len(words) <= 7 or quoted.rstrip()[-1:] in ".?!":
        return False
    return all(w[0].isupper() or w.lower() in _SMALL_WORDS or w[0].isdigit() for w in words) and words[0][0].isupper()


_TRANSCRIPT = re.compile(r"\A([A-Z][A-Z'\u2019.-]+(?: [A-Z][A-Z'\u2019.-]+)?):\s")


_DASH = re.compile(r"\A[\"\u201d\u00bb]?[ \t]*[\u2015\u2014\u2013-]{1,2}[ \t]*")


def _dash_attribution(doc: Doc, q: QuoteSpan, actors: DocActors) -> tuple[str | None, str]:
    """'"..." ― Lena Ortiz': a dash and a name after the quote."""
    text = doc_text(doc)
    m = _DASH.match(text[q.end : q.end + 8])
    if not m:
        return None, ""
    start = q.end + m.end()
    token = doc.char_span(start, start + 1, alignment_mode="expand")
    if token is None:
        return None, ""
    key = actors.key_at(token.start)
    return (key, "named after a dash") if key else (None, "")


def _transcript_speaker(quoted: str, actors: DocActors) -> tuple[str | None, str]:
    """ "BRANDT: Well, look, ...": an interview transcript names its speaker."""
    m = _TRANSCRIPT.match(quoted)
    if not m:
        return None, ""
    label = m.group(1).split()[-1].casefold()
    for key, rec in actors.records.items():
        if rec.kind == "person" and rec.name.split()[-1].casefold() == label:
            return key, "transcript label"
    return None, ""


def _previous_sentence_attribution(doc: Doc, q: QuoteSpan, att: _Attributor) -> str | None:
    """'Holt told parliament that ... . "We have waited long enough ..."'"""
    sents = _sentences(doc, q.start, q.start + 1)
    if not sents or sents[0].start == 0:
        return None
    prev = sent_of(doc[sents[0].start - 1])
    paras = paragraph_index(doc)
    if not paras.same(max(prev.end_char - 1, 0), q.start) and not prev.text.rstrip().endswith(":"):
        return None  # another paragraph, unless it introduced this one: "Ruiz continued:"
    for t in prev:
        if att.is_speech_verb(t):
            key, _ = att.speaker_of_verb(t)
            if key:
                return key
    return None


def _previous_para_unclosed(text: str, q: QuoteSpan, paras: ParagraphIndex) -> bool:
    n = paras.number(q.start)
    if n == 0:
        return False
    prev = text[slice(*paras.spans[n - 1])]
    return prev.count("\u201c") > prev.count("\u201d") or prev.count('"') % 2 == 1


def _attribute(doc: Doc, q: QuoteSpan, ts: Span | None, att: _Attributor) -> tuple[str | None, str]:
    if ts is None:
        return None, ""
    sents = _sentences(doc, q.start - 1, q.end + 1)
    p_start, p_end = paragraph_index(doc).span(q.start)
    frame = [t for s in sents for t in s if t.i not in att.quote_tokens and not t.is_punct and p_start <= t.idx < p_end]
    if not frame:
        return None, ""
    verbs = [t for t in frame if att.is_speech_verb(t)]
    if att.has_dep:
        # "as Holt went on about "...", her aide said yes": the clause that holds
        # the quote has a speaker of its own.
        node = ts.root
        while node.head.i != node.i:
            if (
                node.dep_ in ("advcl", "relcl")
                and node.pos_ == "VERB"
                and node.i not in att.quote_tokens
                and not att.is_speech_verb(node)
            ):
                subjects = [c for c in node.children if c.dep_ in SUBJECT_DEPS and c.i not in att.quote_tokens]
                key = att.actor_of(subjects[0]) if subjects else None
                if key and att.actors.kind(key) == "person":
                    return key, f"subject of '{node.text}'"
            node = node.head
    if att.has_dep and verbs:
        # The reporting verb that governs the quote, if the parse links them.
        for t in ts:
            for anc in t.ancestors:
                if anc in verbs:
                    key, reason = att.speaker_of_verb(anc)
                    if key:
                        return key, reason
                    break
            break
    verbs.sort(key=lambda v: min(abs(v.i - ts.start), abs(v.i - (ts.end - 1))))
    for v in verbs:
        key, reason = att.speaker_of_verb(v)
        if key:
            return key, reason
    key = att.according_to(frame)
    if key:
        return key, "according to"
    if not att.has_dep:
        return None, ""
    # A quote as the object of any verb whose subject is an actor:
    # 'Sylvania rejected the report as "baseless"'.
    root = ts.root
    for anc in [root, *root.ancestors]:
        if anc.i in att.quote_tokens or anc.pos_ not in ("VERB", "AUX"):
            continue
        subjects = [c for c in anc.children if c.dep_ in SUBJECT_DEPS and c.i not in att.quote_tokens]
        if subjects:
            key = att.actor_of(subjects[0])
            if key:
                return key, f"subject of '{anc.text}'"
            break
    return None, ""


def _next_sentence_attribution(doc: Doc, q: QuoteSpan, att: _Attributor) -> str | None:
    """The sentence right after the quote, in its paragraph, when it is only an
    attribution: '"..." / Holt said, looking out at the crowd.'"""
    sents = _sentences(doc, q.end, q.end + 1)
    if not sents:
        return None
    nxt_start = sents[-1].end
    if nxt_start >= len(doc):
        return None
    nxt = sent_of(doc[nxt_start])
    if not paragraph_index(doc).same(q.start, nxt.start_char):
        return None
    words = [t for t in nxt if not (t.is_punct or t.is_space) and t.i not in att.quote_tokens]
    for t in words[:6]:
        if not att.is_speech_verb(t):
            continue
        if att.has_dep and (t.dep_ != "ROOT" or any(c.dep_ in ("ccomp", "dobj") for c in t.children)):
            return None  # it reports something else: "Holt said the plan failed"
        key, _ = att.speaker_of_verb(t)
        return key
    return None
