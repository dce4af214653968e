"""Cold extraction on every core: worker processes, each with its own pipeline.

A pool is started for one config (its hash) and kept while the config stays
the same, so the dashboard pays the start once. Each worker builds the spaCy
pipeline once, in its initializer, and extracts batches of articles; results
come back in the order the batches finish and are identical to extracting in
one process (extraction reads nothing but the article and the config).

Processes are spawned, not forked: the dashboard runs threads, and a forked
child of a threaded process may inherit a held lock.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tui.config import Config
    from tui.corpus import Article
    from tui.extract.models import DocResult

BATCH = 8  # articles a task: small enough for steady progress, large enough for spaCy's pipe
MIN_ARTICLES = 24  # fewer than this: one process is faster than starting a pool

# In a worker: the config and the pipeline built once by the initializer.
_WORKER: dict[str, Any] = {}

Outcome = tuple[str, "DocResult | None", "str | None"]  # (article id, result, error)


def default_workers() -> int:
    """As many workers as the machine has cores (at least one)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _init_worker(config: Config) -> None:
    # A worker of the dashboard shares its terminal: nothing it prints may land
    # on the screen. Outcomes travel back through the pool, not through stdout.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    from tui.extract.pipeline import build_pipeline

    _WORKER["config"] = config
    _WORKER["pipeline"] = build_pipeline(config)


def _extract_batch(articles: Sequence[Article]) -> tuple[str, list[Outcome], int]:
    """(pipeline cache key, outcome per article, resident memory in kB)."""
    config, pipeline = _WORKER["config"], _WORKER["pipeline"]
    return pipeline.cache_key, extract_articles(config, pipeline, articles), resident_kb()


def extract_articles(config: Config, pipeline: Any, articles: Sequence[Article]) -> list[Outcome]:
    """One outcome per article, in a worker (of this pool or of a cluster)."""
    from tui.extract import extract_document
    from tui.extract.sents import set_layout

    texts = ((set_layout(pipeline.nlp.make_doc(a.layout.text), a.layout), a) for a in articles)
    out: list[Outcome] = []
    for doc, article in pipeline.nlp.pipe(texts, as_tuples=True, batch_size=16):
        try:
            out.append((article.id, extract_document(doc, article, config, pipeline), None))
        except Exception as exc:  # one bad article must not cost the others
            out.append((article.id, None, f"extraction failed ({type(exc).__name__}: {str(exc)[:80]})"))
    return out


def _batches(articles: Sequence[Article], workers: int) -> list[list[Article]]:
    """Batches of BATCH articles, then smaller ones at the end, so the workers
    finish together rather than one waiting on another's last batch."""
    out: list[list[Article]] = []
    at = 0
    while at < len(articles):
        left = len(articles) - at
        size = BATCH if left > 2 * workers * BATCH else max(2, min(BATCH, left // (2 * workers)))
        out.append(list(articles[at : at + size]))
        at += size
    return out


def resident_kb() -> int:
    """This process's resident memory (VmRSS), 0 where /proc is not there."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _start_resource_tracker() -> None:
    """multiprocessing's resource tracker hands its child our stderr's file
    descriptor; inside the dashboard stderr is Textual's capture, whose
    descriptor is not a real one, and every spawn would fail. Start the
    tracker with the process's own stderr."""
    from multiprocessing import resource_tracker

    captured = sys.stderr
    try:
        sys.stderr = sys.__stderr__
        resource_tracker.ensure_running()
    finally:
        sys.stderr = captured


class WorkerPool:
    """A process pool bound to one config; `extract` yields outcomes as they come."""

    def __init__(self, config: Config, config_hash: str, workers: int) -> None:
        self.config_hash = config_hash
        self.workers = workers
        self.memory_kb: int = 0  # the largest resident size a worker reported
        _start_resource_tracker()
        self._pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_worker,
            initargs=(config,),
        )

    def extract(
        self, articles: Sequence[Article], cancelled: Callable[[], bool] | None = None
    ) -> Iterator[tuple[str, Outcome]]:
        """(pipeline cache key, outcome) for every article, batch by batch.

        Stops (and drops the batches not started) when `cancelled()` turns true."""
        batches = _batches(articles, self.workers)
        pending: set[Future[tuple[str, list[Outcome], int]]] = {
            self._pool.submit(_extract_batch, batch) for batch in batches
        }
        try:
            while pending:
                done, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
                if cancelled is not None and cancelled():
                    return
                for future in done:
                    key, outcomes, memory = future.result()
                    self.memory_kb = max(self.memory_kb, memory)
                    for outcome in outcomes:
                        yield key, outcome
        finally:
            for future in pending:
                future.cancel()

    def close(self, wait: bool = False) -> None:
        self._pool.shutdown(wait=wait, cancel_futures=True)
