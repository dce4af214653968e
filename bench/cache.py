"""Cold versus warm `Engine.refresh()` over a generated corpus.

    python bench/cache.py                 # N = 200 and 1000
    python bench/cache.py --sizes 50 500  # other sizes

For each N it writes N short articles (from templates below, an invented
relation) and a config to a temporary folder, then times, in one run:

- cold: empty cache, every article through spaCy;
- warm: a fresh Engine and a freshly opened store over the full cache file,
  the restart case (no extraction at all);
- floor: the same refresh with every result already in a Python dict, i.e.
  reading the seeds folder and aggregating, which any refresh pays.

The pipeline is loaded before each timing, so the numbers are refresh only.
Ratios are against numbers measured in the same run, never absolute targets.
Warm and floor keep the fastest of --repeat runs: on a shared machine the
fastest run is the one least disturbed by other work.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tui.engine import Engine  # noqa: E402
from tui.store import DB_NAME, ResultStore  # noqa: E402

CONFIG = """\
relation:
  name: Freedonia - Sylvania
model: en_core_web_sm
seeds: seeds
parties:
  - name: Freedonia
    aliases: [Freedonian, Fredville]
  - name: Sylvania
    aliases: [Sylvanian, Sylvan City]
actors:
  - name: Rufus Firefly
    aliases: [Firefly]
    role: Prime Minister
    side: Freedonia
  - name: Vera Trentino
    aliases: [Trentino]
    role: Ambassador
    side: Sylvania
  - name: Bob Roland
    aliases: [Roland]
    role: Trade Minister
    side: Freedonia
  - name: Gloria Teasdale
    aliases: [Teasdale]
    role: Foreign Minister
    side: Sylvania
issues:
  - id: border
    label: Border
    patterns: [border, frontier]
  - id: tariffs
    label: Tariffs
    patterns: [tariff, tariffs, duties]
  - id: river
    label: River water
    patterns: [river, dam]
"""

SPEAKERS = ["Rufus Firefly", "Vera Trentino", "Bob Roland", "Gloria Teasdale"]
PLACES = ["Fredville", "Sylvan City", "the border town of Ostra", "a lakeside resort"]
TOPICS = ["the border", "new tariffs", "the river dam", "fishing rights", "rail links"]
EVENTS = ["talks", "a summit", "a visit", "a phone call", "a meeting"]
WHENS = ["next week", "on Monday", "in March", "later this month", "next year"]
SAYINGS = [
    "We will not accept pressure on {topic}",
    "There is room for a deal on {topic} if both sides are patient",
    "Our people expect results on {topic}, not more speeches",
    "The door remains open, but time is short",
    "We have asked for clarity on {topic} many times",
]


def article(i: int, rng: random.Random) -> str:
    a, b = rng.sample(SPEAKERS, 2)
    topic = rng.choice(TOPICS)
    saying = rng.choice(SAYINGS).format(topic=topic)
    day = 1 + i % 28
    return (
        f"---\ntitle: Report {i}\ndate: 2024-02-{day:02d}\n---\n"
        f"{a} will hold {rng.choice(EVENTS)} with {b} in {rng.choice(PLACES)} "
        f"{rng.choice(WHENS)} to discuss {topic}, officials said on report {i}.\n\n"
        f'"{saying}," {a.split()[-1]} told reporters.\n\n'
        f"Analysts said the dispute over {rng.choice(TOPICS)} had dragged on for months, "
        f"and that {b} faced pressure at home.\n"
    )


def make_corpus(root: Path, n: int) -> Path:
    (root / "seeds").mkdir(parents=True)
    (root / "config.yaml").write_text(CONFIG, encoding="utf-8")
    rng = random.Random(n)
    for i in range(n):
        (root / "seeds" / f"{i:05d}.txt").write_text(article(i, rng), encoding="utf-8")
    return root / "config.yaml"


class DictCache:
    def __init__(self) -> None:
        self.results: dict = {}

    def get(self, content_hash, config_hash, pipeline_key):
        return self.results.get((content_hash, config_hash, pipeline_key))

    def put(self, content_hash, config_hash, pipeline_key, result) -> None:
        self.results[(content_hash, config_hash, pipeline_key)] = result


def timed_refresh(config: Path, cache, repeat: int = 1) -> tuple[float, Engine]:
    """Time opening the cache (when `cache` is a factory) plus one refresh."""
    times = []
    engine = None
    for _ in range(repeat):
        engine = Engine(config)
        engine.load_config()
        engine.ensure_pipeline()
        start = time.perf_counter()
        engine.cache = cache() if callable(cache) else cache
        engine.refresh(reload_config=False)
        times.append(time.perf_counter() - start)
    assert engine is not None
    return min(times), engine


def bench(n: int, repeat: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="tui-bench-") as tmp:
        root = Path(tmp)
        config = make_corpus(root, n)
        db = root / "cache" / DB_NAME

        cold_store = ResultStore(db)
        cold, engine = timed_refresh(config, cold_store)
        assert engine.extract_calls == n
        cold_store.close()

        def reopen() -> ResultStore:
            return ResultStore(db)

        floor_cache = DictCache()
        Engine(config, cache=floor_cache).refresh()  # fill the dict
        warms, floors = [], []
        for _ in range(repeat):  # alternate, so drift in machine load hits both alike
            t, engine = timed_refresh(config, reopen)
            assert engine.extract_calls == 0, "warm start extracted"
            warms.append(t)
            t, engine = timed_refresh(config, floor_cache)
            assert engine.extract_calls == 0
            floors.append(t)
        warm, floor = min(warms), min(floors)
        size = db.stat().st_size
    return {"n": n, "cold": cold, "warm": warm, "floor": floor, "db_bytes": size}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 1000])
    parser.add_argument("--repeat", type=int, default=5, help="warm and floor runs (fastest kept)")
    args = parser.parse_args()
    os.environ.pop("TUI_CACHE_DIR", None)  # the bench opens its own store
    rows = [bench(n, args.repeat) for n in args.sizes]
    print(f"{'N':>6} {'cold s':>8} {'warm s':>8} {'floor s':>8} {'cold/warm':>10} "
          f"{'warm/floor':>10} {'cache ms/article':>17} {'db KiB':>8}")
    for r in rows:
        per_article = (r["warm"] - r["floor"]) / r["n"] * 1000
        print(
            f"{r['n']:>6} {r['cold']:>8.2f} {r['warm']:>8.3f} {r['floor']:>8.3f} "
            f"{r['cold'] / r['warm']:>10.1f} {r['warm'] / r['floor']:>10.2f} "
            f"{per_article:>17.3f} {r['db_bytes'] / 1024:>8.0f}"
        )
    if len(rows) > 1:
        first, last = rows[0], rows[-1]
        print(
            f"\nwarm start grows x{last['warm'] / first['warm']:.1f}"
            f" for x{last['n'] / first['n']:.1f} articles"
            f" (the floor grows x{last['floor'] / first['floor']:.1f})"
        )


if __name__ == "__main__":
    main()
