"""Extraction: document text + config -> records. Never imports textual or rich.

spaCy is imported only when a document is extracted, so code that reads
cached results (the engine, the dashboard) starts without it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.extract.models import DocResult

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from tui.config import Config
    from tui.corpus import Article
    from tui.extract.pipeline import Pipeline


def extract_document(doc: Doc, article: Article, config: Config, pipeline: Pipeline) -> DocResult:
    """All records of one article, from its parsed Doc."""
    from tui.extract.actors import find_actors
    from tui.extract.engagements import find_engagements
    from tui.extract.issues import find_issues
    from tui.extract.quotes import find_quotes

    published = article.document.published
    make_doc = pipeline.nlp.make_doc
    actors = find_actors(doc, article.id, config, make_doc, article.document.source)
    quotes = find_quotes(doc, article.id, config, actors)
    engagements = find_engagements(doc, article.id, published, config, actors, quotes)
    issues = find_issues(doc, article.id, config, actors, make_doc)
    return DocResult(
        doc=article.id,
        actors=actors.mentions(),
        engagements=tuple(engagements),
        issues=tuple(issues),
        quotes=tuple(quotes),
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
        path=None,  # type: ignore[arg-type]
        form=form,
    )
    from tui.extract.sents import set_layout

    with pipeline.lock:
        doc = pipeline.nlp(set_layout(pipeline.nlp.make_doc(article.layout.text), article.layout))
    return extract_document(doc, article, config, pipeline)
