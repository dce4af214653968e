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
from tui.extract.aggregate import MAX_EVIDENCE, Aggregator, _group_meetings, aggregate
from tui.extract.models import ActorMention, DocResult, Document, EngagementMention, Evidence, QuoteMention
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


def _apply_steps(config, documents, results, rng, steps, rewrite, check=None):
    """Random arrivals, edits and departures handed to `Aggregator.apply` one
    change at a time, each picture checked against a fresh aggregation."""
    order = {d.id: n for n, d in enumerate(documents)}  # corpus order, as the engine keys it
    ids = list(results)
    incremental = Aggregator(config)
    present = set(rng.sample(ids, max(1, len(ids) // 2)))
    now = {k: results[k] for k in ids if k in present}
    docs = [d for d in documents if d.id in present or d.status != "ok"]
    incremental.update(docs, now, "p", order=order)
    for _ in range(steps):
        changes = {}
        for _ in range(rng.randint(1, 3)):
            doc_id = rng.choice(ids)
            doc = next(d for d in documents if d.id == doc_id)
            if rng.random() < 0.3:  # edited: it now reads as another one, perhaps on another day
                now[doc_id] = rewrite(doc_id)
                doc = Document(doc_id, None, rng.choice(["2024-01-02", "2024-06-30", None]), "ok", None)
                present.add(doc_id)
                changes[doc_id] = (doc, now[doc_id])
            elif doc_id in present:
                present.discard(doc_id)
                now.pop(doc_id, None)
                changes[doc_id] = None
            else:
                present.add(doc_id)
                now[doc_id] = results[doc_id]
                changes[doc_id] = (doc, now[doc_id])
            documents = [changes[d.id][0] if changes.get(d.id) else d for d in documents]
        docs = [d for d in documents if d.id in present]
        in_order = {d.id: now[d.id] for d in docs if d.id in now}
        picture = incremental.apply(changes, order, "p")
        assert picture == aggregate(config, docs, in_order, "p")
        if check is not None:
            check(picture, docs, in_order)


@pytest.mark.parametrize("seed", range(2))
def test_changes_handed_in_one_by_one_give_the_picture_a_fresh_aggregation_gives(extracted, seed):
    """The engine's path when the watcher names the files: only the changed
    articles are handed to the aggregator."""
    config, documents, results = extracted
    documents = [d for d in documents if d.id in results]
    rng = random.Random(seed)
    ids = list(results)
    _apply_steps(config, documents, results, rng, 40, lambda _doc_id: results[rng.choice(ids)])


def _meeting(doc: str, n: int, when: str | None, status: str, said: str | None = None) -> EngagementMention:
    granularity = None if when is None else {4: "year", 7: "month"}.get(len(when), "day")
    evidence = Evidence(doc=doc, start=10 * n, end=10 * n + 5, sentence=f"Words {n}.")
    return EngagementMention(
        ("Ana Ruiz", "Otto Brandt"), "talks", None, when, said or when, granularity, status, evidence
    )


def _grouped_all_together(docs, results) -> list[frozenset]:
    """The meetings of one set of participants grouped from all their mentions
    at once, in corpus order, as the evidence each shows."""
    mentions = [e for d in docs for e in results[d.id].engagements]
    out = []
    for group in _group_meetings(mentions):
        evidence = list(dict.fromkeys(mentions[n].evidence for n in group))[:MAX_EVIDENCE]
        out.append(frozenset((e.doc, e.start) for e in evidence))
    return sorted(out, key=sorted)


@pytest.mark.parametrize("seed", range(4))
def test_meetings_on_days_months_and_years_alone_group_as_they_would_all_together(small_relation, seed):
    """A year alone joins every day of that year into one meeting, a month
    alone its days: arriving and going, such dates regroup the meetings just
    as grouping every mention afresh does."""
    config = load_config(small_relation.config).config
    party, other = config.parties[0].name, config.parties[1].name
    rng = random.Random(seed)
    whens = ["2024", "2024-03", "2024-03-05", "2024-03-09", "2024-04", "2024-04-01", "2025-01-02", "2023", None]

    def result(doc_id: str) -> DocResult:
        statuses, said = ["planned", "past", "cancelled"], [None, "soon"]
        meetings = tuple(
            _meeting(doc_id, n, rng.choice(whens), rng.choice(statuses), rng.choice(said))
            for n in range(rng.randint(1, 3))
        )
        actors = (_person(doc_id, "Ana Ruiz", party), _person(doc_id, "Otto Brandt", other))
        return DocResult(doc=doc_id, actors=actors, engagements=meetings)

    documents = [
        Document(id=f"{n:02d}.md", title=None, published=f"2024-0{1 + n % 9}-1{n % 10}", status="ok", reason=None)
        for n in range(24)
    ]
    results = {d.id: result(d.id) for d in documents}

    def check(picture, docs, in_order):
        shown = sorted((frozenset((e.doc, e.start) for e in m.evidence) for m in picture.engagements), key=sorted)
        assert shown == _grouped_all_together(docs, in_order)

    _apply_steps(config, documents, results, rng, 60, result, check)
