"""Sentences of a Doc, indexed once.

`Token.sent` and `Doc.sents` walk the tokens on every call; extractors ask
for sentences hundreds of times per article, so the boundaries are computed
once and kept in `doc.user_data`.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from tui.layout import Layout, ParagraphIndex, analyse

_KEY = "tui.sentences"
_PARAGRAPHS = "tui.paragraphs"
_DATELINE = "tui.dateline"


def set_layout(doc: Doc, layout: Layout) -> Doc:
    """Hand the layout's paragraphs and dateline to the extractors of this Doc."""
    doc.user_data[_PARAGRAPHS] = ParagraphIndex.of(layout.paragraphs)
    doc.user_data[_DATELINE] = (layout.dateline, layout.agency)
    _canonical_gaps(doc)
    return doc


def _canonical_gaps(doc: Doc) -> None:
    """Whitespace tokens look alike to the model, whatever their length.

    A paragraph gap is one newline and some spaces, a blanked Markdown mark a
    run of spaces; the model's features of a whitespace token (norm, prefix,
    suffix, shape) are set to those of a single newline or space, so a text
    wrapped, indented or marked up differently is tagged the same way.
    """
    for token in doc:
        if not token.is_space or token.text in ("\n", " "):
            continue
        lex = doc.vocab[token.text]
        canon = "\n" if "\n" in token.text else " "
        if lex.norm_ != canon:
            lex.norm_ = canon
            lex.prefix_ = canon
            lex.suffix_ = canon
            lex.shape_ = canon


def paragraph_index(doc: Doc) -> ParagraphIndex:
    """The paragraphs of the Doc: the layout's, or worked out from the text."""
    index = doc.user_data.get(_PARAGRAPHS)
    if index is None:
        set_layout(doc, analyse(doc_text(doc)))
        index = doc.user_data[_PARAGRAPHS]
    return index


def dateline_of(doc: Doc) -> tuple[tuple[int, int] | None, str | None]:
    """The wire dateline's span and the newswire it names, if the article has one."""
    if _DATELINE not in doc.user_data:
        paragraph_index(doc)
    return doc.user_data[_DATELINE]


@dataclass
class SentIndex:
    sents: list[Span]
    starts: list[int]  # token index of each sentence start
    char_starts: list[int]

    def of_token(self, i: int) -> Span:
        return self.sents[max(0, bisect_right(self.starts, i) - 1)]

    def overlapping(self, start_char: int, end_char: int) -> list[Span]:
        """Sentences that share at least one character with [start_char, end_char)."""
        first = max(0, bisect_right(self.char_starts, start_char) - 1)
        out = []
        for s in self.sents[first:]:
            if s.start_char >= end_char:
                break
            if s.end_char > start_char:
                out.append(s)
        return out


def sentence_index(doc: Doc) -> SentIndex:
    index = doc.user_data.get(_KEY)
    if index is None:
        sents = list(doc.sents) if len(doc) else []
        index = SentIndex(sents, [s.start for s in sents], [s.start_char for s in sents])
        doc.user_data[_KEY] = index
    return index


def sent_of(token_or_span) -> Span:
    """The sentence of a token or span (of its first token)."""
    doc = token_or_span.doc
    i = token_or_span.i if hasattr(token_or_span, "i") else token_or_span.start
    return sentence_index(doc).of_token(i)


def doc_text(doc: Doc) -> str:
    """`doc.text`, which spaCy rebuilds from the tokens on every access."""
    text = doc.user_data.get("tui.text")
    if text is None:
        text = doc.text
        doc.user_data["tui.text"] = text
    return text


def _ent_index(doc: Doc) -> tuple[list[Span], list[int]]:
    cached = doc.user_data.get("tui.ents")
    if cached is None:
        ents = list(doc.ents)
        cached = (ents, [e.start for e in ents])
        doc.user_data["tui.ents"] = cached
    return cached


def ents_in(span: Span) -> list[Span]:
    """The entities inside a span; `Span.ents` scans every entity of the Doc."""
    ents, starts = _ent_index(span.doc)
    out = []
    for e in ents[bisect_right(starts, span.start - 1) :]:
        if e.start >= span.end:
            break
        if e.end <= span.end:
            out.append(e)
    return out


def ent_at(token) -> Span | None:
    """The entity a token is part of, if any."""
    ents, starts = _ent_index(token.doc)
    i = bisect_right(starts, token.i) - 1
    if i >= 0 and ents[i].start <= token.i < ents[i].end:
        return ents[i]
    return None
