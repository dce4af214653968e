"""Score the extraction against a gold file, pane by pane.

    python eval/score.py --config tests/fixtures/india_pakistan/config.yaml \
        --gold tests/fixtures/india_pakistan/gold.json

Runs the extraction through `tui.engine.Engine` (no cache), or reads a saved
`tui extract --json` output with `--snapshot FILE`, and prints precision,
recall and F1 per pane, then every miss and false positive, so the person
working on the extraction can see what to fix.

How rows are matched (see eval/README.md for the reasons):
- actors: by canonical name, case-insensitive; a predicted name that contains
  every word of the gold name ("Lt. Gen. Pratik Sharma") still matches but is
  listed as not canonical. Role and side are scored on matched rows.
- quotes: a gold quote is found when a predicted quote of the same article
  covers at least half of the shorter of the two spans; the speaker is right
  when it is the gold canonical name.
- engagements: same article, participants with Jaccard >= 0.5 against the gold
  set (or one of its `participants_also`; any shared participant for an
  optional gold row); `when` and `status` are scored on
  matched rows, and a strict score needs all three.
- issues: by id; mention counts compared on matched ids.
Gold rows marked `optional` are neither misses nor false positives.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from goldlib import load_gold

from tui.config import ConfigError
from tui.engine import Engine

# --- small helpers ------------------------------------------------------------


def norm(text: str | None) -> str:
    text = (text or "").casefold().replace("\u2019", "'")
    return " ".join(re.findall(r"[\w'.-]+", text)).replace(".", "")


def words(text: str | None) -> set[str]:
    return set(norm(text).split())


@dataclass
class PRF:
    tp_pred: int = 0  # predictions judged correct
    n_pred: int = 0
    tp_gold: int = 0  # gold rows found
    n_gold: int = 0

    @property
    def precision(self) -> float | None:
        return self.tp_pred / self.n_pred if self.n_pred else None

    @property
    def recall(self) -> float | None:
        return self.tp_gold / self.n_gold if self.n_gold else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None or p + r == 0:
            return None if p is None or r is None else 0.0
        return 2 * p * r / (p + r)

    def line(self) -> str:
        def f(x: float | None) -> str:
            return "  -  " if x is None else f"{x:5.2f}"

        return (
            f"P {f(self.precision)} ({self.tp_pred}/{self.n_pred})  "
            f"R {f(self.recall)} ({self.tp_gold}/{self.n_gold})  F1 {f(self.f1)}"
        )

    def to_json(self) -> dict:
        return {
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "tp_pred": self.tp_pred,
            "n_pred": self.n_pred,
            "tp_gold": self.tp_gold,
            "n_gold": self.n_gold,
        }


@dataclass
class Ratio:
    right: int = 0
    total: int = 0

    def line(self) -> str:
        return f"{self.right}/{self.total}" + (
            f" = {self.right / self.total:.2f}" if self.total else ""
        )

    def to_json(self) -> dict:
        return {
            "right": self.right,
            "total": self.total,
            "accuracy": self.right / self.total if self.total else None,
        }


@dataclass
class PaneReport:
    name: str
    prf: PRF = field(default_factory=PRF)
    extra: dict[str, Ratio | PRF] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)
    false_positives: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)  # matched, but an attribute is wrong


# --- panes --------------------------------------------------------------------


def role_ok(pred: str | None, gold: dict) -> bool:
    accepted = [gold.get("role"), *gold.get("roles", [])]
    p = norm(pred)
    if not p:
        return False
    for g in accepted:
        g = norm(g)
        if g and (p == g or p in g or g in p):
            return True
    return False


def side_ok(pred: str | None, gold: str | None) -> bool:
    other = {None, "other"}
    return pred == gold or (pred in other and gold in other)


def score_actors(pred: list[dict], gold: list[dict]) -> PaneReport:
    rep = PaneReport("actors")
    role, side = Ratio(), Ratio()
    used: set[int] = set()
    matched: dict[int, int] = {}  # gold index -> pred index
    not_canonical: list[str] = []
    for gi, g in enumerate(gold):  # exact canonical names first
        for pi, p in enumerate(pred):
            if pi not in used and norm(p["name"]) == norm(g["name"]):
                matched[gi] = pi
                used.add(pi)
                break
    for gi, g in enumerate(gold):  # then a longer form of the same name
        if gi in matched or g.get("kind") != "person":
            continue
        for pi, p in enumerate(pred):
            if pi not in used and words(g["name"]) <= words(p["name"]):
                matched[gi] = pi
                used.add(pi)
                not_canonical.append(f"{p['name']!r} for {g['name']!r}")
                break
    for gi, g in enumerate(gold):
        if g.get("optional"):
            continue
        rep.prf.n_gold += 1
        if gi not in matched:
            rep.misses.append(f"{g['name']} ({g.get('role') or g['kind']}, {g.get('side')})")
            continue
        rep.prf.tp_gold += 1
        p = pred[matched[gi]]
        if g.get("role"):
            role.total += 1
            if role_ok(p.get("role"), g):
                role.right += 1
            else:
                rep.wrong.append(f"role of {g['name']}: {p.get('role')!r}, gold {g['role']!r}")
        side.total += 1
        if side_ok(p.get("side"), g.get("side")):
            side.right += 1
        else:
            rep.wrong.append(f"side of {g['name']}: {p.get('side')!r}, gold {g.get('side')!r}")
    optional_hits = {
        matched[gi] for gi, g in enumerate(gold) if g.get("optional") and gi in matched
    }
    for pi, p in enumerate(pred):
        if pi in optional_hits:
            continue
        rep.prf.n_pred += 1
        if pi in used:
            rep.prf.tp_pred += 1
        else:
            rep.false_positives.append(
                f"{p['name']} ({p.get('kind')}, {p.get('role')}, {p.get('side')}, "
                f"{p.get('mentions')}x)"
            )
    rep.extra["role accuracy"] = role
    rep.extra["side accuracy"] = side
    rep.wrong += [f"name not canonical: {x}" for x in not_canonical]
    return rep


def overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = min(a[1], b[1]) - max(a[0], b[0])
    shorter = min(a[1] - a[0], b[1] - b[0])
    return inter / shorter if inter > 0 and shorter > 0 else 0.0


def speaker_ok(pred: str | None, gold: dict) -> bool:
    if pred is None:
        return gold["speaker"] is None  # an unnamed speaker left unnamed is right
    return norm(pred) in {
        norm(s) for s in [gold["speaker"], *gold.get("speaker_also", [])]
    }


def score_quotes(pred: list[dict], gold: list[dict]) -> PaneReport:
    rep = PaneReport("quotes")
    speaker = Ratio()
    full = PRF()  # span and speaker both right
    pred_ok = [False] * len(pred)
    pred_full = [False] * len(pred)
    for g in gold:
        rep.prf.n_gold += 1
        full.n_gold += 1
        best, best_ov = None, 0.0
        for pi, p in enumerate(pred):
            if p["doc"] != g["doc"]:
                continue
            ov = overlap((p["start"], p["end"]), (g["start"], g["end"]))
            if ov >= 0.5:
                pred_ok[pi] = True
                if speaker_ok(p.get("speaker"), g):
                    pred_full[pi] = True
                if ov > best_ov:
                    best, best_ov = pi, ov
        short = g["text"] if len(g["text"]) <= 70 else g["text"][:67] + "..."
        if best is None:
            rep.misses.append(f'[{g["doc"][:10]}] "{short}" ({g["speaker"]})')
            continue
        rep.prf.tp_gold += 1
        speaker.total += 1
        if speaker_ok(pred[best].get("speaker"), g):
            speaker.right += 1
            full.tp_gold += 1
        else:
            rep.wrong.append(
                f'[{g["doc"][:10]}] "{short}": speaker {pred[best].get("speaker")!r}, '
                f"gold {g['speaker']!r}"
            )
    for pi, p in enumerate(pred):
        rep.prf.n_pred += 1
        full.n_pred += 1
        rep.prf.tp_pred += pred_ok[pi]
        full.tp_pred += pred_full[pi]
        if not pred_ok[pi]:
            text = p["text"] if len(p["text"]) <= 70 else p["text"][:67] + "..."
            rep.false_positives.append(f'[{p["doc"][:10]}] "{text}" ({p.get("speaker")})')
    rep.extra["speaker accuracy (found quotes)"] = speaker
    rep.extra["quote + speaker"] = full
    return rep


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def participants_fit(pred: dict, gold: dict) -> float:
    got = {norm(x) for x in pred.get("participants", [])}
    options = [gold["participants"], *gold.get("participants_also", [])]
    return max(jaccard(got, {norm(x) for x in o}) for o in options)


def when_ok(pred: dict, gold: dict) -> bool:
    return pred.get("when") in [gold.get("when"), *gold.get("when_also", [])]


def engagement_docs(e: dict) -> set[str]:
    return {ev["doc"] for ev in e.get("evidence", [])}


def describe_engagement(e: dict) -> str:
    doc = e.get("doc") or ",".join(sorted(d[:10] for d in engagement_docs(e)))
    return (
        f"[{doc[:10]}] {' + '.join(e.get('participants', []))}: {e.get('what')} "
        f"@ {e.get('where')} when={e.get('when')} ({e.get('when_text')}) {e.get('status')}"
    )


def score_engagements(pred: list[dict], gold: list[dict]) -> PaneReport:
    rep = PaneReport("engagements")
    when_r, status_r, strict = Ratio(), Ratio(), PRF()
    used: dict[int, int] = {}  # pred index -> gold index
    pairs = []  # best pairs first: when and status right, required gold, participants fit
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            if g["doc"] not in engagement_docs(p):
                continue
            fit = participants_fit(p, g)
            if fit >= 0.5 or (g.get("optional") and fit > 0):
                agree = when_ok(p, g) + (p.get("status") == g["status"])
                pairs.append((agree, not g.get("optional"), fit, -gi, -pi))
    taken_gold: set[int] = set()
    for _, _, _, neg_gi, neg_pi in sorted(pairs, reverse=True):
        gi, pi = -neg_gi, -neg_pi
        if gi not in taken_gold and pi not in used:
            used[pi] = gi
            taken_gold.add(gi)
    by_gold = {gi: pi for pi, gi in used.items()}
    for gi, g in enumerate(gold):
        if g.get("optional"):
            continue
        rep.prf.n_gold += 1
        strict.n_gold += 1
        if gi not in by_gold:
            rep.misses.append(describe_engagement(g))
            continue
        p = pred[by_gold[gi]]
        rep.prf.tp_gold += 1
        ok_when, ok_status = when_ok(p, g), p.get("status") == g["status"]
        when_r.total += 1
        status_r.total += 1
        when_r.right += ok_when
        status_r.right += ok_status
        if ok_when and ok_status:
            strict.tp_gold += 1
        else:
            rep.wrong.append(f"{describe_engagement(p)}\n      gold: {describe_engagement(g)}")
    for pi, p in enumerate(pred):
        gi = used.get(pi)
        if gi is not None and gold[gi].get("optional"):
            continue
        rep.prf.n_pred += 1
        strict.n_pred += 1
        if gi is None:
            rep.false_positives.append(describe_engagement(p))
            continue
        rep.prf.tp_pred += 1
        strict.tp_pred += when_ok(p, gold[gi]) and p.get("status") == gold[gi]["status"]
    rep.extra["when accuracy (matched)"] = when_r
    rep.extra["status accuracy (matched)"] = status_r
    rep.extra["participants + when + status"] = strict
    return rep


def score_issues(pred: list[dict], gold: list[dict]) -> PaneReport:
    rep = PaneReport("issues")
    counts = Ratio()
    pred_by_id = {p["id"]: p for p in pred if p.get("mentions", 0) > 0}
    gold_ids = {g["id"] for g in gold}
    rep.prf.n_gold = len(gold)
    rep.prf.n_pred = len(pred_by_id)
    for g in gold:
        p = pred_by_id.get(g["id"])
        if p is None:
            rep.misses.append(f"{g['id']} ({g['mentions']} mentions)")
            continue
        rep.prf.tp_gold += 1
        counts.total += 1
        if p["mentions"] == g["mentions"]:
            counts.right += 1
        else:
            rep.wrong.append(f"{g['id']}: {p['mentions']} mentions, gold {g['mentions']}")
    for pid, p in pred_by_id.items():
        if pid in gold_ids:
            rep.prf.tp_pred += 1
        else:
            rep.false_positives.append(f"{pid} ({p['mentions']} mentions)")
    rep.extra["mention counts exact"] = counts
    return rep


# --- running --------------------------------------------------------------------


def run_extraction(config: Path, seeds: Path | None) -> dict:
    engine = Engine(config, seeds_dir=seeds)
    return engine.refresh().to_json()


def score(snapshot: dict, gold: dict) -> list[PaneReport]:
    return [
        score_actors(snapshot.get("actors", []), gold.get("actors", [])),
        score_quotes(snapshot.get("quotes", []), gold.get("quotes", [])),
        score_engagements(snapshot.get("engagements", []), gold.get("engagements", [])),
        score_issues(snapshot.get("issues", []), gold.get("issues", [])),
    ]


def print_reports(reports: list[PaneReport], details: bool, out=sys.stdout) -> None:
    for rep in reports:
        print(f"{rep.name:<12} {rep.prf.line()}", file=out)
        for name, value in rep.extra.items():
            print(f"{'':<12}   {name}: {value.line()}", file=out)
    if not details:
        return
    for rep in reports:
        for title, rows in (
            ("missed", rep.misses),
            ("false positives", rep.false_positives),
            ("matched but wrong", rep.wrong),
        ):
            if rows:
                print(f"\n{rep.name}: {title} ({len(rows)})", file=out)
                for row in rows:
                    print(f"  - {row}", file=out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Score the extraction against a gold file.")
    parser.add_argument("--gold", required=True, type=Path)
    parser.add_argument("--config", type=Path, help="config (default: the gold file's 'config')")
    parser.add_argument("--seeds", type=Path, help="seeds folder (default: the config's)")
    parser.add_argument(
        "--snapshot", type=Path, help="score this saved `tui extract --json` output"
    )
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the scores as JSON")
    parser.add_argument("--brief", action="store_true", help="scores only, no lists")
    args = parser.parse_args(argv)

    gold = load_gold(args.gold)
    config = args.config or gold.config_path
    seeds = args.seeds or (gold.seeds_dir if gold.data.get("seeds") else None)
    try:
        if args.snapshot:
            snapshot = json.loads(args.snapshot.read_text(encoding="utf-8"))
        else:
            snapshot = run_extraction(config, seeds)
    except (ConfigError, FileNotFoundError) as exc:
        print(f"score: {exc}", file=sys.stderr)
        return 2
    reports = score(snapshot, gold.data)
    print(
        f"gold {args.gold} ({len(gold.data.get('documents', []))} articles); "
        f"pipeline {snapshot.get('pipeline', '?')}"
    )
    print_reports(reports, details=not args.brief)
    if args.json:
        payload = {
            r.name: {
                "prf": r.prf.to_json(),
                **{k: v.to_json() for k, v in r.extra.items()},
                "misses": r.misses,
                "false_positives": r.false_positives,
                "wrong": r.wrong,
            }
            for r in reports
        }
        args.json.write_text(
            json.dumps(payload, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
