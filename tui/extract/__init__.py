"""Extraction: document text + config -> records. Never imports textual or rich.

spaCy is imported only when a document is extracted, so code that reads
cached results (the engine, the dashboard) starts without it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.extract.models import DocResult, Evidence
from tui.layout import Layout

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from tui.config import Config
    from tui.corpus import Article
    from tui.extract.pipeline import Pipeline


def extract_document(doc: Doc, article: Article, config: Config, pipeline: Pipeline) -> DocResult:
    """All records of one article, from its parsed Doc."""
    from tui.extract.actors import find_actors
    from tui.extract.engagements import find_engagements
    from tui.extract.issues import find_issue_phrases, find_issues
    from tui.extract.quotes import find_quotes

    published = article.document.published
    make_doc = pipeline.nlp.make_doc
    actors = find_actors(doc, article.id, config, make_doc, article.document.source)
    quotes = find_quotes(doc, article.id, config, actors)
    engagements = find_engagements(doc, article.id, published, config, actors, quotes)
    issues = find_issues(doc, article.id, config, actors, make_doc)
    result = DocResult(
        doc=article.id,
        actors=actors.mentions(),
        engagements=tuple(engagements),
        issues=tuple(issues),
        quotes=tuple(quotes),
        issue_phrases=tuple(find_issue_phrases(doc, article.id, config, actors, make_doc)),
    )
    if article.layout.to_body is not None:
        result = _to_body_offsets(result, article.layout)
    return result


def _to_body_offsets(result: DocResult, layout: Layout) -> DocResult:
    """Offsets into the text without Markdown marks -> offsets into the body.

    `sent_start` keeps the matched words' place inside the (mark-free) sentence.
    """
    from dataclasses import replace

    def moved(start: int, end: int, sent_start: int) -> tuple[int, int, int]:
        body_start = layout.body_offset(start)
        return body_start, max(body_start, layout.body_end(end)), body_start - (start - sent_start)

    def ev(e: Evidence) -> Evidence:
        start, end, sent_start = moved(e.start, e.end, e.sent_start)
        return replace(e, start=start, end=end, sent_start=sent_start)

    quotes = []
    for q in result.quotes:
        start, end, sent_start = moved(q.start, q.end, q.sent_start)
        quotes.append(replace(q, start=start, end=end, sent_start=sent_start))
    return replace(
        result,
        actors=tuple(replace(a, evidence=tuple(ev(e) for e in a.evidence)) for a in result.actors),
        engagements=tuple(replace(e, evidence=ev(e.evidence)) for e in result.engagements),
        issues=tuple(replace(i, evidence=ev(i.evidence)) for i in result.issues),
        quotes=tuple(quotes),
        issue_phrases=tuple(replace(p, evidence=ev(p.evidence)) for p in result.issue_phrases),
    )


def extract_text(
    text: str, doc_id: str, published: str | None, config: Config, pipeline: Pipeline, form: str = "text"
) -> DocResult:
    """Convenience for tests and scripts: extract from a plain string, read as `form` would be."""
    from tui.corpus import Article
    from tui.extract.models import Document

    article = Article(
        document=Document(id=doc_id, title=None, published=published, status="ok", reason=None),
        body=text,
        path=None,
        form=form,
    )
    from tui.extract.sents import set_layout

    with pipeline.lock:
        doc = pipeline.nlp(set_layout(pipeline.nlp.make_doc(article.layout.text), article.layout))
    return extract_document(doc, article, config, pipeline)
