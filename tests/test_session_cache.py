"""The dashboard's in-memory result cache is bounded and falls back on the store."""

from __future__ import annotations

from tui.cache import SessionCache
from tui.extract.models import DocResult


class Store:
    def __init__(self) -> None:
        self.rows: dict[tuple[str, str, str], DocResult] = {}
        self.reads = 0

    def get(self, content_hash, config_hash, pipeline_key):
        self.reads += 1
        return self.rows.get((content_hash, config_hash, pipeline_key))

    def put(self, content_hash, config_hash, pipeline_key, result):
        self.rows[(content_hash, config_hash, pipeline_key)] = result


def test_the_least_recently_used_results_leave_memory_and_come_back_from_the_store():
    store = Store()
    cache = SessionCache(store, max_results=3)
    for n in range(5):
        cache.put(f"h{n}", "c", "p", DocResult(doc=f"d{n}"))
    assert len(cache) == 3 and len(store.rows) == 5
    reads = store.reads
    assert cache.get("h4", "c", "p").doc == "d4" and store.reads == reads  # in memory
    assert cache.get("h0", "c", "p").doc == "d0" and store.reads == reads + 1  # from the store
    assert len(cache) == 3
    cache.get("h4", "c", "p")  # used again: stays while h2, the oldest, goes next
    cache.put("h9", "c", "p", DocResult(doc="d9"))
    assert cache.get("h4", "c", "p") is not None and store.reads == reads + 1


def test_without_a_store_a_result_past_the_bound_is_extracted_again():
    cache = SessionCache(None, max_results=2)
    for n in range(3):
        cache.put(f"h{n}", "c", "p", DocResult(doc=f"d{n}"))
    assert cache.get("h0", "c", "p") is None and cache.get("h2", "c", "p") is not None
