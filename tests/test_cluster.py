"""Extraction on a Dask cluster gives exactly what this machine gives.

The tests start a local cluster of two worker processes on 127.0.0.1 (the
same scheduler and workers a real cluster runs, in processes of this
machine) and stop it afterwards.
"""

from __future__ import annotations

import json
import os
import signal

import distributed  # the test extra brings it, as the cluster extra does
import pytest

from tests.test_workers import corpus
from tui.engine import Engine


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as local:
        yield local


def _same(a, b) -> bool:
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


def test_extraction_on_a_cluster_of_two_workers_gives_the_json_of_one_process(small_relation, cluster):
    corpus(small_relation, 30)
    here = Engine(small_relation.config, workers=1).refresh().to_json()
    progress: list[tuple[int, int]] = []
    engine = Engine(small_relation.config, cluster=cluster.scheduler_address)
    try:
        there = engine.refresh(progress=lambda done, total, what: progress.append((done, total)))
    finally:
        engine.close()
    assert engine.last_stats.extracted == 31 and engine.workers_used == 2
    assert _same(there.to_json(), here)
    assert progress[-1] == (31, 31)
    assert engine.worker_memory_kb > 0 and engine.notes == []


def test_a_worker_killed_mid_run_loses_no_article(small_relation, cluster):
    corpus(small_relation, 60)
    here = Engine(small_relation.config, workers=1).refresh().to_json()
    client = distributed.Client(cluster.scheduler_address)
    pids = list(client.run(os.getpid).values())
    client.close()
    killed: list[int] = []

    def progress(done: int, total: int, what: str) -> None:
        if done and not killed:  # the first batch is back, others are running: kill a worker
            os.kill(pids[0], signal.SIGKILL)
            killed.append(pids[0])

    engine = Engine(small_relation.config, cluster=cluster.scheduler_address)
    try:
        there = engine.refresh(progress=progress)
    finally:
        engine.close()
    assert killed
    assert engine.last_stats.extracted == 61
    assert _same(there.to_json(), here)
    assert not [d for d in there.documents if d.status != "ok"]


def test_an_unreachable_cluster_is_one_line_and_extraction_runs_here(small_relation):
    engine = Engine(small_relation.config, cluster="tcp://127.0.0.1:9")
    try:
        snapshot = engine.refresh()
    finally:
        engine.close()
    assert snapshot.quotes  # extracted on this machine
    assert len(engine.notes) == 1 and "tcp://127.0.0.1:9" in engine.notes[0]
    assert "this machine" in engine.notes[0] and "\n" not in engine.notes[0]
