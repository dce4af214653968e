"""The per-session result cache: results kept in memory for one run of the
dashboard, in front of the on-disk store when there is one, so a change
re-extracts only what changed and an unchanged article is never read back
from disk twice."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.engine import ResultCache
    from tui.extract.models import DocResult


class SessionCache:
    """Satisfies `tui.engine.ResultCache`; `backing` is the store, or None."""

    def __init__(self, backing: ResultCache | None = None) -> None:
        self.backing = backing
        self._results: dict[tuple[str, str, str], DocResult] = {}

    def get(self, content_hash: str, config_hash: str, pipeline_key: str) -> DocResult | None:
        key = (content_hash, config_hash, pipeline_key)
        result = self._results.get(key)
        if result is None and self.backing is not None:
            result = self.backing.get(content_hash, config_hash, pipeline_key)
            if result is not None:
                self._results[key] = result
        return result

    def put(self, content_hash: str, config_hash: str, pipeline_key: str, result: DocResult) -> None:
        self._results[(content_hash, config_hash, pipeline_key)] = result
        if self.backing is not None:
            self.backing.put(content_hash, config_hash, pipeline_key, result)
