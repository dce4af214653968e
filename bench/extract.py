"""Extraction speed: documents per second, and the overhead over bare spaCy.

    python bench/extract.py [--docs 300] [--rounds 3] [--config config.yaml]

Both sides run in this process over the same texts: the baseline is a bare
`nlp.pipe` with the same spaCy model (no watchlist ruler, no extractors);
the measured side is the whole extraction (pipeline with the watchlist ruler,
actors, quotes, engagements, issues, then aggregation), with no cache.
Rounds alternate between the two; the best round of each is reported.
The texts are the shipped sample and the articles under tests/fixtures/,
repeated until there are `--docs` of them.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tui.config import load_config  # noqa: E402
from tui.corpus import Article, load_corpus  # noqa: E402
from tui.extract import extract_document  # noqa: E402
from tui.extract.aggregate import aggregate  # noqa: E402
from tui.extract.pipeline import _load_model, build_pipeline  # noqa: E402


def corpus_texts(n: int) -> list[Article]:
    folders = [ROOT / "seeds", *sorted((ROOT / "tests" / "fixtures").glob("*/seeds"))]
    articles = [a for f in folders if f.is_dir() for a in load_corpus(f).articles]
    out = []
    while len(out) < n:
        out.extend(articles)
    return out[:n]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--config", type=Path, default=ROOT / "config.yaml")
    args = parser.parse_args()

    config = load_config(args.config).config
    articles = corpus_texts(args.docs)
    texts = [a.body for a in articles]
    words = sum(len(t.split()) for t in texts)
    loaded = _load_model(config.model)
    if isinstance(loaded, str):
        print(f"no spaCy model: {loaded}", file=sys.stderr)
        return 1
    bare = loaded[0]
    pipeline = build_pipeline(config)
    print(f"{len(texts)} documents, {words:,} words; model {pipeline.label}")

    def run_bare() -> None:
        for _ in bare.pipe(texts, batch_size=16):
            pass

    def run_full() -> None:
        results = {}
        for doc, article in pipeline.nlp.pipe(((a.body, a) for a in articles), as_tuples=True, batch_size=16):
            results[article.id] = extract_document(doc, article, config, pipeline)
        aggregate(config, [a.document for a in articles], results, pipeline.label)

    run_bare()  # warm both (first-call allocations, lazy imports)
    run_full()
    best_bare = best_full = float("inf")
    for _ in range(args.rounds):
        t = time.perf_counter()
        run_bare()
        best_bare = min(best_bare, time.perf_counter() - t)
        t = time.perf_counter()
        run_full()
        best_full = min(best_full, time.perf_counter() - t)
    print(f"bare nlp.pipe     {best_bare:7.2f} s  {len(texts) / best_bare:7.1f} docs/s")
    print(f"whole extraction  {best_full:7.2f} s  {len(texts) / best_full:7.1f} docs/s")
    print(f"overhead ratio    {best_full / best_bare:7.2f}  (aim: at most 1.3)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
