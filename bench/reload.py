"""Live reload over a generated corpus: write-to-pane latency, warm versus cold start.

    python bench/reload.py [--articles 1000] [--writes 15] [--baseline 1000]

Generates an invented relation (config + N short articles, written by this
script) in a temporary folder, then, in one run:

1. cold start: the dashboard over an empty result cache, until panes are filled;
2. warm start: a second dashboard, in a new process, over the now full cache (and the time the
   panes take to render the same snapshot, to compare growth with);
3. live reload: with the watcher on, writes one new article at a time and
   measures the time from the write to the row being in the quotes pane;
   compared with the bare extraction time of that one article (spaCy parse +
   extractors, no I/O), measured in the same run.

With `--baseline N`, the same is measured first over N articles, and the
warm start and write-to-row times are also given as ratios to it (flat
growth is a ratio near 1). The resident memory of the dashboard's process is
given after the warm start and after the writes (its worker processes apart).

Medians are reported; run it by hand on a quiet machine.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PARTIES = [("Freedonia", ["Freedonian"]), ("Sylvania", ["Sylvanian"])]
PEOPLE = [
    ("Ana Ruiz", "Ruiz", "Foreign Minister", "Freedonia"),
    ("Otto Brandt", "Brandt", "Trade Minister", "Sylvania"),
    ("Mira Holt", "Holt", "Prime Minister", "Sylvania"),
    ("Paulo Senn", "Senn", "Defence Minister", "Freedonia"),
    ("Ines Varga", "Varga", "Finance Minister", "Sylvania"),
    ("Tomas Rell", "Rell", "President", "Freedonia"),
]
ISSUES = [
    ("tariffs", "Steel tariffs", ["steel tariffs", "tariffs"]),
    ("fishing", "Fishing rights", ["fishing rights", "fishing dispute"]),
    ("border", "Border crossings", ["border crossings", "the border"]),
]
CITIES = ["Lisbon", "Vale", "Marrow", "Geneva", "Oslo", "Tunis"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
SAYINGS = [
    "We will not accept {x} without talks",
    "Our door stays open on {x}",
    "Nobody gains from a quarrel over {x}",
    "The proposal on {x} is a first step",
]


def write_config(root: Path) -> Path:
    lines = [
        "relation:",
        "  name: Freedonia - Sylvania",
        "  as_of: latest",
        "model: en_core_web_sm",
        "seeds: seeds",
        "parties:",
    ]
    for name, aliases in PARTIES:
        lines += [f"  - name: {name}", f"    aliases: [{', '.join(aliases)}]"]
    lines.append("actors:")
    for name, alias, role, side in PEOPLE:
        lines += [
            f"  - name: {name}",
            f"    aliases: [{alias}]",
            f"    role: {role}",
            f"    side: {side}",
        ]
    lines.append("issues:")
    for issue_id, label, patterns in ISSUES:
        lines += [
            f"  - id: {issue_id}",
            f"    label: {label}",
            f"    patterns: [{', '.join(patterns)}]",
        ]
    lines += [
        "engagements:",
        "  cues: [meet, visit, talks, summit]",
        "quotes:",
        "  verbs: [say, tell, add, warn]",
    ]
    path = root / "config.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def article(n: int, rng: random.Random, marker: str = "") -> str:
    a, b = rng.sample(PEOPLE, 2)
    issue = rng.choice(ISSUES)
    x = issue[2][0]
    day = 1 + n % 28
    month = 1 + (n // 28) % 12
    saying = rng.choice(SAYINGS).format(x=x) + (f" {marker}" if marker else "")
    return (
        f"---\ntitle: Report {n}\ndate: 2024-{month:02d}-{day:02d}\n---\n"
        f"{a[2]} {a[0]} met {b[2]} {b[0]} in {rng.choice(CITIES)} on {rng.choice(WEEKDAYS)}.\n\n"
        f'"{saying}," {a[1]} told reporters after the meeting.\n\n'
        f"{b[1]} said the two sides would discuss {x} again.\n"
    )


def make_corpus(root: Path, count: int, seed: int = 7) -> Path:
    seeds = root / "seeds"
    seeds.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    for n in range(count):
        (seeds / f"report-{n:05d}.md").write_text(article(n, rng), encoding="utf-8")
    # An archive's articles were saved before the dashboard read them, not in the
    # two seconds before: files that new are compared by their bytes at the next
    # start (the clock could miss a second change), which is not what a warm start costs.
    then = time.time() - 60
    for path in seeds.iterdir():
        os.utime(path, (then, then))
    return write_config(root)


async def start(config: Path, watch: bool) -> tuple[float, float, object, object]:
    """Start a dashboard: (seconds to panes filled, seconds to render its rows, app, context)."""
    from tui.ui import view
    from tui.ui.app import DashboardApp

    app = DashboardApp(config, watch=watch, use_cache=True)
    t0 = time.perf_counter()
    ctx = app.run_test(size=(120, 36))
    pilot = await ctx.__aenter__()
    await app.wait_for(lambda: app.snapshot is not None or app.error is not None, timeout=1800)
    if app.error:
        raise SystemExit(f"reload bench: {app.error}")
    await asyncio.to_thread(app.painted.wait, 60)  # the first picture with its rows is on screen
    filled = time.perf_counter() - t0
    # The state behind a kept picture is read after it is painted; the rest waits for it.
    await app.wait_for(lambda: app.engine.state_built, timeout=1800)
    await pilot.pause()
    t1 = time.perf_counter()
    for pane in app.dashboard.panes:  # the table rendering alone, for comparison
        pane.set_rows(view.rows_for(pane.kind, app.snapshot, app.view_context), "")
    await pilot.pause()
    render = time.perf_counter() - t1
    return filled, render, app, (ctx, pilot)


def warm_start_elsewhere(config: Path) -> tuple[float, float, int]:
    """(seconds to panes filled, seconds to render the rows, articles extracted) in a new process."""
    import json
    import subprocess

    out = subprocess.run(
        [sys.executable, __file__, "--warm-probe", str(config)], capture_output=True, text=True, check=True
    )
    got = json.loads(out.stdout.strip().splitlines()[-1])
    return got["filled"], got["render"], got["extracted"]


async def warm_probe(config: Path) -> None:
    import json

    filled, render, app, (ctx, _pilot) = await start(config, watch=False)
    extracted = app.engine.extract_calls
    await ctx.__aexit__(None, None, None)
    print(json.dumps({"filled": filled, "render": render, "extracted": extracted}))


def resident_mb() -> float:
    from tui.workers import resident_kb

    return resident_kb() / 1024


async def bench(count: int, writes: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        os.environ["TUI_CACHE_DIR"] = str(root / "cache")
        config = make_corpus(root, count)

        cold, cold_render, app, (ctx, _pilot) = await start(config, watch=False)
        cold_extracted = app.engine.extract_calls
        await ctx.__aexit__(None, None, None)
        # A restart is a new process: measured in one, as an analyst would start it.
        warm, warm_render, warm_extracted = warm_start_elsewhere(config)

        warm_rss = resident_mb()
        _small, _small_render, app, (ctx, pilot) = await start(config, watch=True)
        assert await asyncio.to_thread(app.watcher.ready.wait, 30)
        from tui.extract import extract_text

        rng = random.Random(99)
        latencies, bare = [], []
        for n in range(writes):
            marker = f"token{n:03d}x"
            text = article(count + n, rng, marker)
            path = root / "seeds" / f"new-{n:03d}.md"
            t0 = time.perf_counter()
            path.write_text(text, encoding="utf-8")

            def shown(marker: str = marker) -> bool:
                table = app.dashboard.pane("quote").table
                ids = {q.id for q in app.snapshot.quotes if marker in q.text}
                return bool(ids) and any(r.key.value in ids for r in table.ordered_rows)

            await app.wait_for(shown, timeout=120)
            latencies.append(time.perf_counter() - t0)
            engine = app.engine
            body = text.split("---\n", 2)[2]
            t1 = time.perf_counter()
            extract_text(body, "probe.md", "2024-06-01", engine.loaded.config, engine.pipeline)
            bare.append(time.perf_counter() - t1)
        after_rss = resident_mb()
        await ctx.__aexit__(None, None, None)

    ms = 1000
    lat, one = statistics.median(latencies) * ms, statistics.median(bare) * ms
    print(f"corpus: {count} generated articles; {writes} writes")
    print(
        f"cold start (empty cache) to panes filled: {cold * ms:8.0f} ms"
        f"  (extracted {cold_extracted})"
    )
    print(
        f"warm start (full cache)  to panes filled: {warm * ms:8.0f} ms"
        f"  (extracted {warm_extracted})"
    )
    print(f"rendering the rows of that snapshot:      {warm_render * ms:8.0f} ms")
    print(
        f"write -> row in pane, median:             {lat:8.0f} ms  (min {min(latencies) * ms:.0f}, "
        f"max {max(latencies) * ms:.0f})"
    )
    print(f"bare extraction of that article, median:  {one:8.1f} ms  ratio {lat / one:5.1f}x")
    print(f"resident memory after warm start / writes: {warm_rss:7.0f} MB / {after_rss:.0f} MB")
    return {"warm": warm, "write": lat / ms}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--writes", type=int, default=15)
    parser.add_argument("--baseline", type=int, default=0, metavar="N", help="measure N articles first, for ratios")
    parser.add_argument("--warm-probe", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.warm_probe is not None:
        asyncio.run(warm_probe(args.warm_probe))
        return
    base = asyncio.run(bench(args.baseline, args.writes)) if args.baseline else None
    if base:
        print()
    got = asyncio.run(bench(args.articles, args.writes))
    if base:
        print(
            f"ratio to {args.baseline} articles: warm start {got['warm'] / base['warm']:.2f}x, "
            f"write -> row {got['write'] / base['write']:.2f}x"
        )


if __name__ == "__main__":
    main()
