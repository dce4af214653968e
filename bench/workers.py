"""Cold extraction in worker processes against one process, in one run.

    python bench/workers.py [--docs 300] [--workers 2] [--config config.yaml]

The articles are the shipped sample and those under tests/fixtures/,
repeated (each copy its own file) until there are `--docs`. Both sides run a
whole refresh with no cache: reading, extraction, aggregation; the worker side
includes starting its pool (each worker loads spaCy). Reported: documents per
second of each, their ratio, and whether the JSON of the two pictures is the
same byte for byte; then the CPU time each side used (this process, and the
workers), and the speed-up that CPU time gives on cores nothing else uses: on
a machine shared with other work the wall-clock ratio says more about the
others than about the pool.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.extract import corpus_texts  # noqa: E402
from tui.engine import Engine  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=300)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--config", type=Path, default=ROOT / "config.yaml")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="tui-bench-") as tmp:
        root = Path(tmp)
        shutil.copy(args.config, root / "config.yaml")
        seeds = root / "seeds"
        seeds.mkdir()
        for i, article in enumerate(corpus_texts(args.docs)):
            name = f"{i:05d}-{Path(article.id).name}"
            source = article.path.read_bytes() if article.path is not None else article.body.encode()
            (seeds / name).write_bytes(source)
        timings: dict[int, float] = {}
        pictures: dict[int, str] = {}
        cpu: dict[int, tuple[float, float]] = {}  # (this process, the workers), in seconds
        for workers in (1, args.workers):
            engine = Engine(root / "config.yaml", seeds_dir=seeds, workers=workers)
            own, children = _cpu(resource.RUSAGE_SELF), _cpu(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            snapshot = engine.refresh()
            timings[workers] = time.perf_counter() - started
            engine.close(wait=True)  # the workers' CPU time is counted once they have exited
            cpu[workers] = (_cpu(resource.RUSAGE_SELF) - own, _cpu(resource.RUSAGE_CHILDREN) - children)
            pictures[workers] = json.dumps(snapshot.to_json(), sort_keys=True)
            used = engine.workers_used
            memory = f", {engine.worker_memory_kb / 1024:.0f} MB a worker" if engine.worker_memory_kb else ""
            print(f"{used} process(es): {timings[workers]:6.1f} s  {args.docs / timings[workers]:6.1f} docs/s{memory}")
        ratio = timings[1] / timings[args.workers]
        print(f"speed-up with {args.workers} workers: {ratio:.2f}x (aim on 2 cores: at least 1.8x)")
        print(f"same JSON: {pictures[1] == pictures[args.workers]}")
        for workers, (own, children) in cpu.items():
            print(f"CPU with {workers} process(es): {own:.1f} s here, {children:.1f} s in workers")
        own, children = cpu[args.workers]
        # On idle cores: the workers' CPU time shared among them, and this process's beside it.
        idle = max(own, children / args.workers)
        print(f"speed-up on {args.workers} idle cores, from CPU time: {sum(cpu[1]) / idle:.2f}x")
    return 0


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


if __name__ == "__main__":
    raise SystemExit(main())
