"""Extraction speed: documents per second, and the overhead over bare spaCy.

    python bench/extract.py [--docs 300] [--rounds 3] [--config config.yaml]

It also times reading the same articles from disk with layout analysis, as
plain text, as wire copy hard-wrapped at 70 columns and as saved HTML pages,
as a ratio to the bare spaCy parse.

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
import html
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tui.config import load_config  # noqa: E402
from tui.corpus import Article, load_corpus  # noqa: E402
from tui.extract import extract_document  # noqa: E402
from tui.extract.aggregate import aggregate  # noqa: E402
from tui.extract.pipeline import _load_model, build_pipeline  # noqa: E402
from tui.extract.sents import set_layout  # noqa: E402


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
        make = pipeline.nlp.make_doc
        docs = ((set_layout(make(a.layout.text), a.layout), a) for a in articles)
        for doc, article in pipeline.nlp.pipe(docs, as_tuples=True, batch_size=16):
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
    with tempfile.TemporaryDirectory(prefix="tui-bench-") as tmp:
        for form in ("text", "wrapped", "html"):
            folder = Path(tmp) / form
            write_forms(articles, folder, form)
            best_read = float("inf")
            for _ in range(args.rounds):
                t = time.perf_counter()
                read = load_corpus(folder).articles
                for a in read:
                    _ = a.layout  # paragraphs found, text for spaCy written
                best_read = min(best_read, time.perf_counter() - t)
            print(
                f"reading + layout, {form:7s} {best_read:7.2f} s  ratio to the spaCy parse "
                f"{best_read / best_bare:5.3f}  (aim: under 0.05)"
            )
    return 0


def write_forms(articles: list[Article], folder: Path, form: str) -> None:
    """The bench articles as plain text, as wire copy wrapped at 70 columns, or as saved pages."""
    folder.mkdir(parents=True)
    for n, a in enumerate(articles):
        paras = [" ".join(p.split()) for p in a.body.split("\n") if p.strip()]
        if form == "text":
            (folder / f"{n:05d}.txt").write_text(a.body, encoding="utf-8")
        elif form == "wrapped":
            text = "\n".join(textwrap.fill(p, 70, initial_indent="    ", break_on_hyphens=False) for p in paras)
            (folder / f"{n:05d}.txt").write_text(text + "\n", encoding="utf-8")
        else:
            body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paras)
            page = (
                "<html><head><title>Story</title></head><body><nav><a href='/'>Home</a> <a href='/w'>World</a></nav>"
                f"<article><h1>Story</h1>{body}</article><footer>Copyright</footer></body></html>"
            )
            (folder / f"{n:05d}.html").write_text(page, encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
