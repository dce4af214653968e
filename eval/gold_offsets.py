"""Fill the computed fields of a gold file, then check it.

Quote `start`/`end` come from finding the quote's text in its article body
(`occurrence` picks among repeats); issue `mentions` come from counting the
config's phrases in the documents the analyst listed for that issue (all
documents where they match when `docs` is absent). Everything else in the gold
file is written by hand.

    python eval/gold_offsets.py tests/gold/sample.json [--check]
"""

from __future__ import annotations

import argparse
import json
import sys

from goldlib import check_gold, issue_counts, load_gold, locate


def fill(path: str) -> list[str]:
    gold = load_gold(path)
    data = gold.data
    problems: list[str] = []
    for i, q in enumerate(data.get("quotes", [])):
        body = gold.bodies.get(q["doc"])
        if body is None:
            problems.append(f"quotes[{i}]: doc {q['doc']!r} is not a seed")
            continue
        try:
            q["start"], q["end"] = locate(body, q["text"], q.get("occurrence", 0))
        except ValueError as exc:
            problems.append(f"quotes[{i}] in {q['doc']}: {exc}")
    counts = issue_counts(gold.config_path, gold.bodies)
    for issue in data.get("issues", []):
        per_doc = counts.get(issue["id"], {})
        if "docs" not in issue:
            issue["docs"] = sorted(per_doc)
        issue["mentions"] = sum(n for d, n in per_doc.items() if d in issue["docs"])
    data.get("quotes", []).sort(key=lambda q: (q["doc"], q.get("start", 0)))
    gold.path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", nargs="+")
    parser.add_argument("--check", action="store_true", help="only check, do not rewrite")
    args = parser.parse_args()
    bad = 0
    for path in args.gold:
        problems = [] if args.check else fill(path)
        problems += check_gold(load_gold(path))
        for p in problems:
            print(f"{path}: {p}", file=sys.stderr)
        bad += len(problems)
        if not problems:
            print(f"{path}: ok")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
