"""Sentences of a Doc, indexed once.

`Token.sent` and `Doc.sents` walk the tokens on every call; extractors ask
for sentences hundreds of times per article, so the boundaries are computed
once and kept in `doc.user_data`.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from spacy.tokens import Doc, Span

_KEY = "tui.sentences"


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
