"""Extraction on a Dask distributed cluster: `tui extract --cluster ADDRESS`.

Articles go to the cluster in batches; each worker process builds the spaCy
pipeline once per config (kept in the worker between batches and runs) and
sends back one outcome per article, as the local worker pool does. Dask
does the scheduling, the retries and the rescheduling of a lost worker's
batches; here is only what is ours: batching, the per-worker pipeline and
the progress as batches come back.

Needs the optional extra: `pip install -e '.[cluster]'`. The workers need
tui installed too (the same version), and the same spaCy model.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from tui.workers import BATCH, Outcome, extract_articles, resident_kb

if TYPE_CHECKING:
    from tui.config import Config
    from tui.corpus import Article

CONNECT_TIMEOUT_S = 10
RETRIES = 2  # a batch that fails on a worker (not a lost worker: Dask reschedules those) is tried again

# In a worker process: config hash -> (config, pipeline), built on first use.
_PIPELINES: dict[str, tuple[Any, Any]] = {}
_BUILDING = threading.Lock()  # a worker may run several tasks at once: one builds, the others wait


class ClusterUnavailable(Exception):
    """No cluster at that address, or the extra is not installed: one line to show."""


def _pipeline_for(config_hash: str, config: Config) -> tuple[Any, Any]:
    with _BUILDING:
        held = _PIPELINES.get(config_hash)
        if held is None:
            from tui.extract.pipeline import build_pipeline

            _PIPELINES.clear()  # one config at a time: a worker does not hoard pipelines
            held = _PIPELINES[config_hash] = (config, build_pipeline(config))
        return held


def extract_batch_on_worker(
    config_hash: str, config: Config, articles: Sequence[Article]
) -> tuple[str, list[Outcome], int]:
    """Run on a Dask worker: (pipeline cache key, outcome per article, resident kB)."""
    config, pipeline = _pipeline_for(config_hash, config)
    with pipeline.lock:  # a worker may run several tasks at once
        return pipeline.cache_key, extract_articles(config, pipeline, articles), resident_kb()


class ClusterPool:
    """A client of one cluster, for one config; the same interface as WorkerPool."""

    def __init__(self, address: str, config: Config, config_hash: str) -> None:
        try:
            from distributed import Client
        except ImportError:
            raise ClusterUnavailable(
                "the cluster extra is not installed (pip install -e '.[cluster]')"
            ) from None
        self.address = address
        self.config = config
        self.config_hash = config_hash
        self.memory_kb = 0
        try:
            self._client = Client(address, timeout=CONNECT_TIMEOUT_S, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            raise ClusterUnavailable(f"cluster {address}: cannot connect ({exc})") from None
        self.workers = max(1, len(self._client.scheduler_info().get("workers", {})))

    def extract(
        self, articles: Sequence[Article], cancelled: Callable[[], bool] | None = None
    ) -> Iterator[tuple[str, Outcome]]:
        """(pipeline cache key, outcome) for every article, batch by batch as they finish.

        A batch the cluster could not run (its workers kept dying) raises
        `BatchLost` with the articles it held, after the others came back."""
        from distributed import as_completed

        batches = [list(articles[i : i + BATCH]) for i in range(0, len(articles), BATCH)]
        futures = {
            self._client.submit(
                extract_batch_on_worker, self.config_hash, self.config, batch, pure=False, retries=RETRIES
            ): batch
            for batch in batches
        }
        lost: list[Article] = []
        pending = as_completed(futures, loop=self._client.loop)
        try:
            for future in pending:
                if cancelled is not None and cancelled():
                    return
                try:
                    key, outcomes, memory = future.result()
                except Exception:  # a worker lost too often, or a batch that cannot run there
                    lost.extend(futures[future])
                    continue
                self.memory_kb = max(self.memory_kb, memory)
                for outcome in outcomes:
                    yield key, outcome
        finally:
            for future in futures:
                if not future.done():
                    future.cancel()
        if lost:
            raise BatchLost(lost)

    def close(self) -> None:
        try:
            self._client.close()
        except Exception:  # closing a client of a cluster that went away
            pass


class BatchLost(Exception):
    """Articles the cluster did not return; they are extracted here instead."""

    def __init__(self, articles: list[Article]) -> None:
        super().__init__(f"{len(articles)} articles not returned by the cluster")
        self.articles = articles
