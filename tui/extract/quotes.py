"""Direct quotations.

Quoted stretches are found in the text by their marks (straight or curly);
each stretch is one record, so a split quote gives two records with the same
speaker, and a quote running over paragraphs gives one record a paragraph.
Who said each is `speakers.attribute`'s business: an ordered list of named
strategies, the name of the one that decided kept on the record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Span

from tui.config import Config
from tui.extract.actors import DocActors
from tui.extract.models import QuoteMention
from tui.extract.sents import doc_text, paragraph_index, sentence_index
from tui.extract.speakers import STATED, Mentions, QuoteContext, Reporting, Speaker, attribute, frame_of
from tui.layout import ParagraphIndex, analyse

OPENERS = {"\u201c": "\u201d", "\u201e": "\u201d", "\u00ab": "\u00bb", '"': '"'}
CLOSERS = {"\u201d", "\u00bb", '"'}


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
    mentions = Mentions(doc, config, actors, quote_tokens)
    reporting = Reporting(doc, config, quote_tokens)
    results: list[QuoteMention] = []
    pending: list[int] = []
    prev_by_para: dict[int, Speaker | None] = {}
    last_speaker: tuple[int, Speaker | None] | None = None  # (paragraph, speaker)
    for q, ts in zip(spans, token_spans, strict=True):
        quoted = text[q.start : q.end]
        n_words = len(re.findall(r"\w+", quoted))
        if n_words < config.quotes.min_words:
            # One quoted word is mostly a scare quote, a nickname or a term
            # (PolNeAR dev: 33 of 36 such stretches were not quotations).
            continue
        ctx = QuoteContext(
            doc=doc,
            start=q.start,
            end=q.end,
            tokens=ts,
            paragraph=q.paragraph,
            opens_paragraph=q.opens_paragraph,
            mentions=mentions,
            reporting=reporting,
            previous_in_paragraph=prev_by_para.get(q.paragraph),
            previous_paragraph=last_speaker,
            previous_paragraph_unclosed=_previous_para_unclosed(text, q, paras),
            frame=frame_of(doc, q.start, q.end, quote_tokens, paras) if ts is not None else [],
        )
        strategy, sp = attribute(ctx)
        if strategy not in STATED and _looks_like_title(quoted):
            continue  # "Meet the Press", "The Art of the Deal": a title, not a quotation
        prev_by_para[q.paragraph] = sp
        last_speaker = (q.paragraph, sp)
        sents = _sentences(doc, q.start, q.end)
        sent_start = sents[0].start_char if sents else q.start
        sent_end = sents[-1].end_char if sents else q.end
        if (sp is None or not sp.found) and q.end >= paras.span(q.start)[1]:
            pending.append(len(results))
        key = sp.key if sp else None
        results.append(
            QuoteMention(
                text=quoted,
                speaker=actors.name(key),
                speaker_key=key,
                side=actors.side(key or (sp.side_key if sp else None)),
                doc=doc_id,
                start=q.start,
                end=q.end,
                sentence=text[sent_start:sent_end],
                sent_start=sent_start,
                reason=sp.reason if sp else "",
                how=sp.how if sp else "",
                description=sp.description if sp and key is None else None,
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
                reason=nxt.reason,
                how="continued in the next paragraph",
                description=None,
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


def _previous_para_unclosed(text: str, q: QuoteSpan, paras: ParagraphIndex) -> bool:
    n = paras.number(q.start)
    if n == 0:
        return False
    prev = text[slice(*paras.spans[n - 1])]
    return prev.count("\u201c") > prev.count("\u201d") or prev.count('"') % 2 == 1
