"""Disputed issues: the config's phrases, matched per sentence, with who raises them."""

from __future__ import annotations

from collections.abc import Callable

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.util import filter_spans

from tui.config import Config
from tui.extract.actors import DocActors, sentence_evidence
from tui.extract.models import IssueMention
from tui.extract.sents import sent_of

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
    if not config.issues:
        return []
    matcher = issue_matcher(config, make_doc)
    labels = {i.id: i.label for i in config.issues}
    spans = [doc[s:e] for _, s, e in matcher(doc)]
    ids = {(s, e): doc.vocab.strings[m] for m, s, e in matcher(doc)}
    out: list[IssueMention] = []
    for span in filter_spans(spans):
        issue_id = ids[(span.start, span.end)]
        sent = sent_of(span)
        raisers: list[str] = []
        for m in actors.in_range(sent.start, sent.end):
            name = actors.name(m.key)
            if name and name not in raisers and actors.kind(m.key) != "country":
                raisers.append(name)
        for m in actors.in_range(sent.start, sent.end):
            name = actors.name(m.key)
            if name and name not in raisers and actors.kind(m.key) == "country":
                raisers.append(name)
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
