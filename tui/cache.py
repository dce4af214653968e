"""The per-session result cache: results kept in memory for one run of the
dashboard, in front of the on-disk store when there is one, so a change
re-extracts only what changed and an unchanged article is never read back
from disk twice."""

from __future__ import annotations

from collections import OrderedDict
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.engine import ResultCache
    from tui.extract.models import DocResult


MAX_RESULTS = 50_000  # results kept in memory; beyond, the least recently used go (the store keeps them)


class SessionCache:
    """Satisfies `tui.engine.ResultCache`; `backing` is the store, or None.

    Bounded: past `max_results` the least recently used results leave memory
    (with a store behind, they are read from it again when asked for)."""

    def __init__(self, backing: ResultCache | None = None, max_results: int = MAX_RESULTS) -> None:
        self.backing = backing
        self.max_results = max(1, max_results)
        self._results: OrderedDict[tuple[str, str, str], DocResult] = OrderedDict()

    def __len__(self) -> int:
        return len(self._results)

    def get(self, content_hash: str, config_hash: str, pipeline_key: str) -> DocResult | None:
        key = (content_hash, config_hash, pipeline_key)
        result = self._results.get(key)
        if result is not None:
            self._results.move_to_end(key)
        elif self.backing is not None:
            result = self.backing.get(content_hash, config_hash, pipeline_key)
            if result is not None:
                self._keep(key, result)
        return result

    def put(self, content_hash: str, config_hash: str, pipeline_key: str, result: DocResult) -> None:
        self._keep((content_hash, config_hash, pipeline_key), result)
        if self.backing is not None:
            self.backing.put(content_hash, config_hash, pipeline_key, result)

    def _keep(self, key: tuple[str, str, str], result: DocResult) -> None:
        self._results[key] = result
        self._results.move_to_end(key)
        while len(self._results) > self.max_results:
            self._results.popitem(last=False)
