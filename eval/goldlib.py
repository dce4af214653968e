"""Reading and checking gold files for the extraction scorers.

A gold file lists what a careful analyst would take from a folder of seeds, in
the shape of the `tui extract --json` contract (only the fields that are
scored). Offsets are never typed by hand: `eval/gold_offsets.py` fills quote
`start`/`end` and issue mention counts from the seed bodies, and `check_gold`
verifies them, so a gold file cannot drift from its articles unnoticed.

Gold shape (all lists may be empty):

    {"config": "config.yaml",            # relative to the gold file
     "seeds": "seeds" | null,            # optional override, relative to the gold file
     "documents": [{"id", "published"}],
     "actors": [{"name", "kind", "role", "roles"?, "side", "optional"?}],
     "quotes": [{"doc", "text", "speaker", "speaker_also"?, "start", "end", "occurrence"?}],
     "engagements": [{"doc", "participants", "participants_also"?, "what", "where",
                      "when", "when_also"?, "when_text", "status", "optional"?}],
     "issues": [{"id", "mentions", "docs"}]}

`optional` rows are neither missed nor counted as false positives: things an
analyst might or might not list (an organisation named in passing, a past
contact with no date). `roles`, `speaker_also`, `participants_also` and
`when_also` list other acceptable answers (a "next week" given as a month or as its Monday; talks
"between the two forces" listed under the two countries).
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tui.config import load_config  # noqa: E402
from tui.corpus import Article, load_corpus  # noqa: E402

QUOTE_MARKS = "\"'\u201c\u201d\u2018\u2019"


@dataclass(frozen=True)
class GoldSet:
    path: Path
    data: dict
    config_path: Path
    seeds_dir: Path
    bodies: dict[str, str]  # doc id -> body text, read exactly as tui reads it


def load_gold(path: str | Path) -> GoldSet:
    path = Path(path).resolve()
    data = json.loads(path.read_text(encoding="utf-8"))
    config_path = (path.parent / data.get("config", "config.yaml")).resolve()
    if data.get("seeds"):
        seeds_dir = (path.parent / data["seeds"]).resolve()
    else:
        seeds_dir = load_config(config_path).seeds_dir
    corpus = load_corpus(seeds_dir)
    bodies = {a.id: a.body for a in corpus.articles if isinstance(a, Article)}
    return GoldSet(
        path=path, data=data, config_path=config_path, seeds_dir=seeds_dir, bodies=bodies
    )


def locate(body: str, text: str, occurrence: int = 0) -> tuple[int, int]:
    """Offsets of the `occurrence`-th exact appearance of `text` in `body`."""
    pos = -1
    for _ in range(occurrence + 1):
        pos = body.find(text, pos + 1)
        if pos < 0:
            raise ValueError(f"not found (occurrence {occurrence}): {text[:60]!r}")
    return pos, pos + len(text)


def pattern_regex(patterns: list[str]) -> re.Pattern[str]:
    """Case-insensitive, whole-word, longest-first: how the matcher counts phrases."""
    variants = {v for p in patterns for v in (p, p.replace("'", "\u2019"))}
    alts = sorted((re.escape(v) for v in variants), key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(alts) + r")(?![\w-])", re.IGNORECASE)


def issue_counts(config_path: Path, bodies: dict[str, str]) -> dict[str, dict[str, int]]:
    """issue id -> doc id -> number of non-overlapping pattern matches.

    Issues are matched all together, longest phrase first, so a phrase that
    belongs to two issues counts once, like the extraction's `filter_spans`.
    """
    config = load_config(config_path).config
    owner: dict[str, str] = {}
    for issue in config.issues:
        for p in issue.patterns:
            for v in (p, p.replace("'", "\u2019")):
                owner.setdefault(v.casefold(), issue.id)
    rx = pattern_regex(list(owner))
    counts: dict[str, dict[str, int]] = {}
    for doc_id, body in bodies.items():
        for m in rx.finditer(body):
            issue_id = owner[m.group(0).casefold()]
            counts.setdefault(issue_id, {}).setdefault(doc_id, 0)
            counts[issue_id][doc_id] += 1
    return counts


def check_gold(gold: GoldSet) -> list[str]:
    """Every problem of a gold file, one line each; empty when it is well formed."""
    problems: list[str] = []
    data = gold.data
    name = gold.path.name
    config = load_config(gold.config_path).config
    known_actors = {a["name"] for a in data.get("actors", [])}
    parties = set(config.party_names()) | {"other"}
    doc_ids = {d["id"] for d in data.get("documents", [])}
    for doc_id in doc_ids:
        if doc_id not in gold.bodies:
            problems.append(f"{name}: documents: {doc_id!r} is not a seed")
    for i, a in enumerate(data.get("actors", [])):
        if a.get("side") is not None and a["side"] not in parties:
            problems.append(f"{name}: actors[{i}] {a['name']!r}: side {a['side']!r} is not a party")
        if a.get("kind") not in ("person", "organization", "country"):
            problems.append(f"{name}: actors[{i}] {a['name']!r}: kind {a.get('kind')!r}")
    for i, q in enumerate(data.get("quotes", [])):
        where = f"{name}: quotes[{i}]"
        body = gold.bodies.get(q.get("doc"))
        if body is None:
            problems.append(f"{where}: doc {q.get('doc')!r} is not a seed")
            continue
        start, end, text = q.get("start"), q.get("end"), q.get("text", "")
        if not isinstance(start, int) or not isinstance(end, int):
            problems.append(f"{where}: start/end missing; run eval/gold_offsets.py")
            continue
        if body[start:end] != text:
            problems.append(
                f"{where}: body[{start}:{end}] is {body[start:end][:40]!r}, not {text[:40]!r}"
            )
        if text[:1] in QUOTE_MARKS or text[-1:] in QUOTE_MARKS:
            problems.append(f"{where}: text must not include quotation marks")
        if q.get("speaker") is not None and q["speaker"] not in known_actors:
            problems.append(f"{where}: speaker {q['speaker']!r} is not a gold actor")
    for i, e in enumerate(data.get("engagements", [])):
        where = f"{name}: engagements[{i}]"
        for p in [
            *e.get("participants", []),
            *(x for alt in e.get("participants_also", []) for x in alt),
        ]:
            if p not in known_actors:
                problems.append(f"{where}: participant {p!r} is not a gold actor")
        if e.get("status") not in ("planned", "tentative", "postponed", "cancelled", "past"):
            problems.append(f"{where}: status {e.get('status')!r}")
        for w in [e.get("when"), *e.get("when_also", [])]:
            if w is not None and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", w):
                problems.append(f"{where}: when {w!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
        if e.get("doc") not in gold.bodies:
            problems.append(f"{where}: doc {e.get('doc')!r} is not a seed")
        elif e.get("when_text") and e["when_text"] not in gold.bodies[e["doc"]]:
            problems.append(f"{where}: when_text {e['when_text']!r} is not in {e['doc']}")
    counts = issue_counts(gold.config_path, gold.bodies)
    issue_ids = {i.id for i in config.issues}
    for i, issue in enumerate(data.get("issues", [])):
        where = f"{name}: issues[{i}] {issue.get('id')!r}"
        if issue.get("id") not in issue_ids:
            problems.append(f"{where}: not an issue of the config")
            continue
        per_doc = {
            d: n for d, n in counts.get(issue["id"], {}).items() if d in issue.get("docs", [])
        }
        if sum(per_doc.values()) != issue.get("mentions"):
            problems.append(
                f"{where}: mentions {issue.get('mentions')} but the patterns match "
                f"{sum(per_doc.values())} times in its docs"
            )
    return problems
