"""The picture built incrementally is the picture built from scratch.

The engine keeps one Aggregator between refreshes and hands it every result;
it rebuilds only the records the changed articles touch. Whatever the order
in which articles arrive, change or go, the Snapshot must equal the one a
fresh aggregation of the same results gives.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from tui.config import load_config
from tui.corpus import load_corpus
from tui.extract import extract_text
from tui.extract.aggregate import Aggregator, aggregate
from tui.extract.models import ActorMention, DocResult, Document, Evidence, QuoteMention
from tui.extract.pipeline import build_pipeline

FIXTURES = Path(__file__).parent / "fixtures"
RELATIONS = ["india_pakistan", "heldout_eu_uk", "heldout_russia_ukraine", "heldout_egypt_israel_1978"]


@pytest.fixture(scope="module", params=[*RELATIONS, "india_pakistan without issues"])
def extracted(request):
    """(config, documents, results) of a fixture relation, each article extracted once
    (one with its issues emptied, so that its issue phrases are candidates)."""
    name, _, variant = request.param.partition(" ")
    loaded = load_config(FIXTURES / name / "config.yaml")
    config = loaded.config.model_copy(update={"issues": []}) if variant else loaded.config
    pipeline = build_pipeline(config)
    corpus = load_corpus(loaded.seeds_dir)
    results = {
        a.id: extract_text(a.body, a.id, a.document.published, config, pipeline, a.form)
        for a in corpus.articles
    }
    return config, list(corpus.documents), results


@pytest.mark.parametrize("seed", range(3))
def test_articles_arriving_changing_and_going_give_the_picture_a_fresh_aggregation_gives(extracted, seed):
    config, documents, results = extracted
    rng = random.Random(seed)
    ids = list(results)
    present = set(rng.sample(ids, max(1, len(ids) // 2)))
    rewritten: dict[str, DocResult] = {}
    incremental = Aggregator(config)
    assert aggregate(config, documents, results).issue_candidates  # the issue phrases are covered too
    for _ in range(40):
        now = {k: rewritten.get(k, v) for k, v in results.items() if k in present}
        docs = [d for d in documents if d.id in present or d.status != "ok"]
        assert incremental.update(docs, now, "p") == aggregate(config, docs, now, "p")
        for _ in range(rng.randint(1, 3)):
            doc_id = rng.choice(ids)
            if rng.random() < 0.3:  # the article was edited: it now reads as another one
                rewritten[doc_id] = results[rng.choice(ids)]
                present.add(doc_id)
            elif doc_id in present:
                present.discard(doc_id)
            else:
                present.add(doc_id)


def _ev(doc: str) -> Evidence:
    return Evidence(doc=doc, start=0, end=5, sentence="Words.")


def _person(doc: str, name: str, side: str | None = None) -> ActorMention:
    key = name.casefold().replace(" ", "-")
    return ActorMention(key, name, "person", None, side, False, (), 1, (_ev(doc),))


def _quote(doc: str, speaker: str, text: str) -> QuoteMention:
    key = speaker.casefold().replace(" ", "-")
    return QuoteMention(text, speaker, key, None, doc, 10, 20, "Words.", 0)


def test_a_full_name_arriving_later_takes_the_bare_surname_quotes_of_earlier_articles(small_relation):
    config = load_config(small_relation.config).config
    party, other = config.parties[0].name, config.parties[1].name
    # Both sides named, so that the article concerns the relation.
    first = DocResult(
        doc="a.md",
        actors=(_person("a.md", "Reyes", party), _person("a.md", "Lena Stroud", other)),
        quotes=(_quote("a.md", "Reyes", "We stand firm on this"),),
    )
    later = DocResult(doc="b.md", actors=(_person("b.md", "Maria Reyes", party), _person("b.md", "Lena Stroud", other)))
    docs = [
        Document(id=doc_id, title=None, published=day, status="ok", reason=None)
        for doc_id, day in (("a.md", "2024-05-01"), ("b.md", "2024-05-02"))
    ]
    aggregator = Aggregator(config)
    before = aggregator.update(docs[:1], {"a.md": first})
    assert [q.speaker for q in before.quotes] == ["Reyes"]
    after = aggregator.update(docs, {"a.md": first, "b.md": later})
    assert [q.speaker for q in after.quotes] == ["Maria Reyes"]
    assert "Reyes" not in [a.name for a in after.actors]
    assert after == aggregate(config, docs, {"a.md": first, "b.md": later})
