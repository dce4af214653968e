"""Quote detection and speaker attribution on PolNeAR (measurement only).

PolNeAR (networkdynamics/PolNeAR) annotates attributions in 2016 U.S.
election news in brat standoff format: for each attribution a Source, a Cue
and one or more Content spans, as character offsets into the article text.
This script copies the raw articles of the train and/or dev split into a
temporary seeds folder, runs our extraction on them through
`tui.engine.Engine` with a small generic config, and compares the quotes we
find with PolNeAR's direct quotations.

    python eval/polnear.py /work/data/polnear --split dev
    python eval/polnear.py /work/data/polnear --split train --limit 200

The data stays outside the repository. The test split is reserved for
acceptance checks and is refused here.

What counts as a gold direct quotation: a stretch of at least two words
between quotation marks that lies inside the Content of an annotated
attribution; its speaker is that attribution's Source text. PolNeAR also
annotates indirect speech (paraphrase), which has no marks and is not a quote
for the Quotes pane, so it is left out of the gold.

Scores:
- detection: a gold quote is found when one of our quotes in the same article
  covers at least half of the shorter span; one of our quotes is right when it
  so covers a gold quote. Our quotes over marked text that PolNeAR did not
  annotate as attributed (titles, scare quotes, unannotated speech) count
  against precision; they are also counted on their own.
- speaker: on found quotes whose PolNeAR source names someone (the spaCy
  model finds a person or organisation in it), lenient: our
  speaker's surname (last word) is a word of the source, or the source's last
  word is a word of our speaker. Pronoun and nominal sources ("he", "a
  campaign aide") are counted separately, not scored.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tui.corpus import strip_controls  # noqa: E402
from tui.engine import Engine  # noqa: E402
from tui.extract.models import DocResult  # noqa: E402

RESERVED_SPLITS = {"test"}
PRONOUNS = {
    "he",
    "she",
    "they",
    "i",
    "we",
    "it",
    "you",
    "him",
    "her",
    "them",
    "his",
    "their",
    "its",
}
DETERMINERS = {"the", "a", "an", "this", "that", "these", "those", "some", "another", "one", "two"}

GENERIC_CONFIG = """\
# Generic config for measuring quote attribution on PolNeAR (2016 U.S. election news).
relation:
  name: Democrats - Republicans
  as_of: latest
model: en_core_web_sm
seeds: seeds
parties:
  - name: Democratic Party
    aliases: [Democrats, Democratic, Democrat, DNC]
  - name: Republican Party
    aliases: [Republicans, Republican, GOP, RNC]
actors:
  - name: Donald Trump
    aliases: [Trump, Donald J. Trump]
    role: Republican presidential nominee
    side: Republican Party
  - name: Hillary Clinton
    aliases: [Clinton, Hillary, Hillary Rodham Clinton]
    role: Democratic presidential nominee
    side: Democratic Party
"""


# --- PolNeAR annotations ------------------------------------------------------


@dataclass(frozen=True)
class Attribution:
    source: str | None
    contents: tuple[tuple[int, int], ...]


def parse_ann(text: str) -> list[Attribution]:
    """brat standoff: T lines are spans (possibly discontinuous), E lines tie them."""
    spans: dict[str, tuple[str, list[tuple[int, int]], str]] = {}
    events: list[list[tuple[str, str]]] = []
    for line in text.splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 3:
            label, _, offsets = parts[1].partition(" ")
            ranges = []
            for piece in offsets.split(";"):
                a, b = piece.split()
                ranges.append((int(a), int(b)))
            spans[parts[0]] = (label, ranges, parts[2])
        elif line.startswith("E") and len(parts) >= 2:
            events.append([tuple(arg.split(":", 1)) for arg in parts[1].split() if ":" in arg])
    out = []
    for args in events:
        source = None
        contents: list[tuple[int, int]] = []
        for role, tid in args:
            if tid not in spans:
                continue
            role = role.rstrip("0123456789")
            if role == "Source":
                source = spans[tid][2]
            elif role == "Content":
                contents.extend(spans[tid][1])
        if contents:
            out.append(Attribution(source=source, contents=tuple(contents)))
    return out


# --- quoted stretches in raw text -------------------------------------------------

OPENERS = {"\u201c": "\u201d", '"': '"'}


def quoted_stretches(text: str) -> list[tuple[int, int]]:
    """(start, end) of the words between quotation marks, paragraph by paragraph.

    A stretch left open at the end of a paragraph ends there (the next
    paragraph of a long quote opens with its own mark).
    """
    out: list[tuple[int, int]] = []
    for para in re.finditer(r"[^\n]+", text):
        p0, ptext = para.start(), para.group(0)
        i = 0
        while i < len(ptext):
            ch = ptext[i]
            if ch in OPENERS:
                close = ptext.find(OPENERS[ch], i + 1)
                resume = close + 1
                if ch == "\u201c":  # a new opening mark before any closing one ends this stretch
                    reopen = ptext.find("\u201c", i + 1)
                    if reopen != -1 and (close == -1 or reopen < close):
                        close = resume = reopen
                end = close if close != -1 else len(ptext)
                s, e = i + 1, end
                while s < e and ptext[s].isspace():
                    s += 1
                while e > s and ptext[e - 1] in " ,\t":
                    e -= 1
                if e > s:
                    out.append((p0 + s, p0 + e))
                i = resume if close != -1 else len(ptext)
            else:
                i += 1
    return out


def overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = min(a[1], b[1]) - max(a[0], b[0])
    shorter = min(a[1] - a[0], b[1] - b[0])
    return inter / shorter if inter > 0 and shorter > 0 else 0.0


def inside(stretch: tuple[int, int], ranges: tuple[tuple[int, int], ...]) -> bool:
    covered = sum(max(0, min(stretch[1], b) - max(stretch[0], a)) for a, b in ranges)
    return covered >= 0.5 * (stretch[1] - stretch[0])


@dataclass(frozen=True)
class GoldQuote:
    doc: str
    start: int
    end: int
    source: str | None


def gold_quotes(
    doc_id: str, text: str, attributions: list[Attribution]
) -> tuple[list[GoldQuote], list[tuple[int, int]]]:
    """Direct quotations of one article, and the marked stretches nobody is credited with."""
    gold, unattributed = [], []
    for s, e in quoted_stretches(text):
        if len(text[s:e].split()) < 2:
            continue
        owner = next((a for a in attributions if inside((s, e), a.contents)), None)
        if owner is None:
            unattributed.append((s, e))
        else:
            gold.append(GoldQuote(doc_id, s, e, owner.source))
    return gold, unattributed


def source_kind(source: str | None, nlp=None) -> str:
    """pronoun | named | nominal | none. With a spaCy pipeline, named means it
    finds a person or organisation in the source ("The Indiana governor" is
    nominal); without one, any capitalised word but a determiner counts."""
    if not source:
        return "none"
    tokens = re.findall(r"[\w'\u2019.-]+", source)
    lowered = [t.casefold() for t in tokens]
    if lowered and all(t in PRONOUNS for t in lowered):
        return "pronoun"
    if nlp is not None:
        return (
            "named" if any(e.label_ in ("PERSON", "ORG") for e in nlp(source).ents) else "nominal"
        )
    named = [t for t in tokens if t[:1].isupper() and t.casefold() not in PRONOUNS | DETERMINERS]
    return "named" if named else "nominal"


def false_positive_kind(text: str) -> str:
    """A rough shape, to see which kind of marked text is taken for a quote."""
    words_ = re.findall(r"[\w'\u2019-]+", text)
    small = {"a", "an", "the", "of", "and", "to", "in", "on", "for", "at", "with", "is"}
    if words_ and all(w[:1].isupper() or w.isdigit() or w.casefold() in small for w in words_):
        return "title case (show, book, slogan)"
    if len(words_) <= 4:
        return "2-4 words (scare quote, term)"
    return "longer"


def speaker_matches(speaker: str | None, source: str) -> bool:
    if not speaker:
        return False
    norm = lambda s: [t.casefold().replace("\u2019", "'") for t in re.findall(r"[\w'\u2019-]+", s)]  # noqa: E731
    sp, src = norm(speaker), norm(re.sub(r"['\u2019]s\b", "", source))
    if not sp or not src:
        return False
    return sp[-1] in src or src[-1] in sp


# --- running -----------------------------------------------------------------------


class CaptureResults:
    """A ResultCache that never hits and keeps every per-article result."""

    def __init__(self) -> None:
        self.results: dict[str, DocResult] = {}

    def get(self, content_hash: str, config_hash: str, pipeline_key: str) -> DocResult | None:
        return None

    def put(
        self, content_hash: str, config_hash: str, pipeline_key: str, result: DocResult
    ) -> None:
        self.results[result.doc] = result


def rewrap(text: str, width: int, indent: str = "    ") -> tuple[str, list[int]]:
    """The article as wire copy: paragraphs hard-wrapped at `width` with an
    indented first line, no blank lines. Returns the text and, for each of its
    characters (and its end), the offset of that character in `text`."""
    import textwrap

    out: list[str] = []
    to_old: list[int] = []
    words = [(m.start(), m.group()) for m in re.finditer(r"\S+", text)]
    paragraphs: list[list[tuple[int, str]]] = []
    for start, word in words:
        if not paragraphs or "\n" in text[words_end(paragraphs[-1]) : start]:
            paragraphs.append([])
        paragraphs[-1].append((start, word))
    for n, para in enumerate(paragraphs):
        filled = textwrap.wrap(
            " ".join(w for _, w in para),
            width,
            initial_indent=indent,
            break_long_words=False,
            break_on_hyphens=False,
        )
        wi = 0
        for ln, line in enumerate(filled):
            if n or ln:
                out.append("\n")
                to_old.append(to_old[-1] + 1 if to_old else 0)
            for token in re.finditer(r"\S+|\s+", line):
                if token.group().isspace():
                    for _ in token.group():
                        out.append(" ")
                        to_old.append(para[wi - 1][0] + len(para[wi - 1][1]) if wi else para[0][0])
                    continue
                old_start, word = para[wi]
                assert token.group() == word
                for k, ch in enumerate(word):
                    out.append(ch)
                    to_old.append(old_start + k)
                wi += 1
    out.append("\n")
    to_old.append(len(text))
    to_old.append(len(text))
    return "".join(out), to_old


def words_end(para: list[tuple[int, str]]) -> int:
    start, word = para[-1]
    return start + len(word)


def seed_name(text_name: str) -> str:
    """'nyt_2016-03-21_slug.txt' -> '2016-03-21-nyt_slug.txt', so the date is read from the name."""
    m = re.match(r"([^_]+)_(\d{4}-\d{2}-\d{2})_(.*)", text_name)
    return f"{m.group(2)}-{m.group(1)}_{m.group(3)}" if m else text_name


def load_split(root: Path, split: str, limit: int | None) -> list[tuple[Path, Path]]:
    texts = sorted((root / split / "text").glob("*.txt"))
    anns = sorted((root / split / "attributions").glob("*.ann"))
    by_stem: dict[str, Path] = {}
    for ann in anns:  # doubly annotated articles: keep the first annotator's file
        by_stem.setdefault(re.sub(r"_[0-9a-f]{4}$", "", ann.stem), ann)
    pairs = [(t, by_stem[t.stem]) for t in texts if t.stem in by_stem]
    return pairs[:limit] if limit else pairs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Quote detection and attribution on PolNeAR.")
    parser.add_argument("root", type=Path, help="PolNeAR data folder (holding train/ and dev/)")
    parser.add_argument(
        "--split", nargs="+", default=["dev"], help="train and/or dev (test is reserved)"
    )
    parser.add_argument(
        "--limit", type=int, default=None, help="at most this many articles per split"
    )
    parser.add_argument("--config", type=Path, help="config to use instead of the generic one")
    parser.add_argument(
        "--wrap",
        type=int,
        default=None,
        metavar="COLUMNS",
        help="re-lay every article out as wire copy: hard-wrapped at COLUMNS, indented paragraphs",
    )
    parser.add_argument(
        "--resolved",
        type=Path,
        default=None,
        metavar="JSONL",
        help="hand-resolved speakers of pronoun and description sources (kept outside the repo)",
    )
    parser.add_argument("--show", type=int, default=15, help="examples of each failure to print")
    parser.add_argument(
        "--bench",
        action="store_true",
        help="also time a bare nlp.pipe with the same model over the same texts",
    )
    args = parser.parse_args(argv)

    for split in args.split:
        if split in RESERVED_SPLITS:
            print(
                f"polnear: the {split} split is reserved for acceptance checks; use train or dev",
                file=sys.stderr,
            )
            return 2
    root = args.root
    if (root / "data").is_dir():
        root = root / "data"
    pairs = []
    for split in args.split:
        found = load_split(root, split, args.limit)
        if not found:
            print(f"polnear: no articles with annotations under {root / split}", file=sys.stderr)
            return 2
        pairs += found

    gold: list[GoldQuote] = []
    unattributed: dict[str, list[tuple[int, int]]] = {}
    texts: dict[str, str] = {}
    maps: dict[str, list[int]] = {}  # wrapped offset -> original offset, with --wrap
    with tempfile.TemporaryDirectory(prefix="polnear-") as tmp:
        tmpdir = Path(tmp)
        seeds = tmpdir / "seeds"
        seeds.mkdir()
        config = tmpdir / "config.yaml"
        if args.config:
            shutil.copy(args.config, config)
        else:
            config.write_text(GENERIC_CONFIG, encoding="utf-8")
        for text_path, ann_path in pairs:
            doc_id = seed_name(text_path.name)
            text = text_path.read_text(encoding="utf-8")
            if text.startswith("---"):
                continue  # would be read as front matter and shift every offset
            if args.wrap:
                wrapped, to_old = rewrap(text, args.wrap)
                (seeds / doc_id).write_text(wrapped, encoding="utf-8")
                maps[doc_id] = to_old
            else:
                shutil.copy(text_path, seeds / doc_id)
            texts[doc_id] = text
            g, u = gold_quotes(doc_id, text, parse_ann(ann_path.read_text(encoding="utf-8")))
            gold += g
            unattributed[doc_id] = u
        engine = Engine(config, seeds_dir=seeds, cache=(capture := CaptureResults()))
        engine.load_config()
        engine.ensure_pipeline()  # model loading is not part of the timing
        started = time.perf_counter()
        snapshot = engine.refresh(reload_config=False)
        elapsed = time.perf_counter() - started
        bare_elapsed = None
        if args.bench and engine.pipeline is not None and not engine.pipeline.degraded:
            # Rounds alternate and the best of each side counts, so a neighbour's
            # load on the machine weighs on both alike.
            import spacy

            bare = spacy.load(engine.pipeline.label.split()[0])
            bodies = [strip_controls(t) for t in texts.values()]
            bare_times = []
            for round_ in range(2):
                started = time.perf_counter()
                for _ in bare.pipe(bodies, batch_size=16):
                    pass
                bare_times.append(time.perf_counter() - started)
                if round_ == 0:
                    started = time.perf_counter()
                    engine.refresh(reload_config=False)
                    elapsed = min(elapsed, time.perf_counter() - started)
            bare_elapsed = min(bare_times)

    skipped = [d for d in snapshot.documents if d.status != "ok"]
    pred = [q for r in capture.results.values() for q in r.quotes]
    if maps:  # offsets into the wrapped text, moved back to the original article
        from dataclasses import replace as _replace

        pred = [
            _replace(q, start=maps[q.doc][q.start], end=maps[q.doc][q.end - 1] + 1) if q.doc in maps else q
            for q in pred
        ]
    for q in pred:  # offsets must point at the quote's own text (in the body as tui reads it)
        body = strip_controls(texts.get(q.doc, ""))
        if " ".join(body[q.start : q.end].split()) != " ".join(q.text.split()):
            print(
                f"polnear: warning: {q.doc}: quote offsets {q.start}:{q.end} do not hold its text",
                file=sys.stderr,
            )
            break
    gold_by_doc: dict[str, list[GoldQuote]] = {}
    for g in gold:
        gold_by_doc.setdefault(g.doc, []).append(g)
    found = 0
    exact = 0  # found with the same boundaries, give or take closing punctuation
    speaker_named = Counter()
    error_kinds = Counter()
    parties = {a.name for a in snapshot.actors if a.kind == "country"}
    nlp = (
        engine.pipeline.nlp
        if engine.pipeline is not None and not engine.pipeline.degraded
        else None
    )
    kind_of = {s: source_kind(s, nlp) for s in {g.source for g in gold}}
    kinds = Counter(kind_of[g.source] for g in gold)
    misses: list[GoldQuote] = []
    wrong_speaker: list[tuple[GoldQuote, str | None]] = []
    for g in gold:
        hits = [
            q for q in pred if q.doc == g.doc and overlap((q.start, q.end), (g.start, g.end)) >= 0.5
        ]
        if not hits:
            misses.append(g)
            continue
        found += 1
        best = max(hits, key=lambda q: overlap((q.start, q.end), (g.start, g.end)))
        if abs(best.start - g.start) <= 1 and abs(best.end - g.end) <= 2:
            exact += 1
        if kind_of[g.source] == "named":
            ok = speaker_matches(best.speaker, g.source or "")
            speaker_named["right" if ok else "wrong"] += 1
            if not ok:
                wrong_speaker.append((g, best.speaker))
                if re.match(r"\s*[A-Z][A-Z .'-]+:", texts[g.doc][g.start : g.end]):
                    error_kinds["transcript 'NAME:' inside the quote"] += 1
                elif best.speaker is None:
                    error_kinds["no speaker given"] += 1
                elif best.speaker in parties:
                    error_kinds["a party/side given"] += 1
                else:
                    error_kinds["another name given"] += 1
    correct_pred = 0
    false_pos: list = []
    on_unattributed = 0
    for q in pred:
        if any(
            overlap((q.start, q.end), (g.start, g.end)) >= 0.5 for g in gold_by_doc.get(q.doc, [])
        ):
            correct_pred += 1
            continue
        false_pos.append(q)
        if any(overlap((q.start, q.end), u) >= 0.5 for u in unattributed.get(q.doc, [])):
            on_unattributed += 1

    fp_kinds = Counter(false_positive_kind(q.text) for q in false_pos)
    n_docs = len(texts)
    print(
        f"PolNeAR {'+'.join(args.split)}: {n_docs} articles, {len(gold)} direct quotations "
        f"(>= 2 words inside an attributed Content); pipeline {snapshot.pipeline}"
    )
    if skipped:
        print(
            f"  {len(skipped)} articles skipped by the reader: "
            f"{Counter(d.reason for d in skipped).most_common(3)}"
        )
    print(f"  extraction: {elapsed:.1f} s, {n_docs / elapsed:.1f} articles/s")
    if bare_elapsed:
        print(
            f"  bare nlp.pipe, same model and texts: {bare_elapsed:.1f} s; "
            f"extraction / bare = {elapsed / bare_elapsed:.2f}"
        )
    p = correct_pred / len(pred) if pred else 0.0
    r = found / len(gold) if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    print(
        f"quote detection   P {p:.3f} ({correct_pred}/{len(pred)})  "
        f"R {r:.3f} ({found}/{len(gold)})  F1 {f:.3f}"
    )
    print(f"  same boundaries (+-1 at the start, +-2 at the end): {exact}/{found}")
    print(
        "  false positives over marked text PolNeAR credits to nobody: "
        f"{on_unattributed}/{len(false_pos)}"
    )
    print(f"  false positives by shape: {dict(fp_kinds.most_common())}")
    total_named = speaker_named["right"] + speaker_named["wrong"]
    if total_named:
        print(
            f"speaker (named sources, lenient surname match): "
            f"{speaker_named['right']}/{total_named} = {speaker_named['right'] / total_named:.3f}"
        )
        print(f"  errors: {dict(error_kinds.most_common())}")
    print(f"  gold sources by kind: {dict(kinds)} (pronoun/nominal/none not scored)")

    if args.resolved:
        report_resolved(args.resolved, gold, pred, kind_of, args.show)

    def excerpt(doc: str, s: int, e: int) -> str:
        t = texts[doc][s:e].replace("\n", " ")
        return t if len(t) <= 80 else t[:77] + "..."

    if args.show:
        print(f"\nmissed quotes (first {args.show} of {len(misses)}):")
        for g in misses[: args.show]:
            print(f'  - [{g.doc[:40]}] "{excerpt(g.doc, g.start, g.end)}" ({g.source})')
        print(f"\nfalse positives (first {args.show} of {len(false_pos)}):")
        for q in false_pos[: args.show]:
            print(f'  - [{q.doc[:40]}] "{excerpt(q.doc, q.start, q.end)}" ({q.speaker})')
        print(f"\nwrong speakers (first {args.show} of {len(wrong_speaker)}):")
        for g, sp in wrong_speaker[: args.show]:
            print(
                f'  - [{g.doc[:40]}] "{excerpt(g.doc, g.start, g.end)}": '
                f"ours {sp!r}, PolNeAR {g.source!r}"
            )
    return 0


def resolved_matches(speaker: str | None, row: dict) -> bool:
    """Our speaker against a hand-resolved one: null must be null; a name
    matches by the lenient surname rule against the resolved name or an alias."""
    if row.get("resolved") is None:
        return speaker is None
    return any(speaker_matches(speaker, name) for name in [row["resolved"], *row.get("also", [])])


def report_resolved(path: Path, gold: list[GoldQuote], pred: list, kind_of: dict, show: int) -> None:
    """Speaker accuracy where the source is a pronoun or a description, against
    speakers resolved by hand; and quote + resolved speaker F1 over every quote
    (named sources scored as above, the rest against the hand-resolved file)."""
    import json

    rows = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            rows[(row["doc"], row["start"], row["end"])] = row
    by_kind: dict[str, Counter] = {}
    wrong: list[tuple[dict, str | None]] = []
    right_all = scored = 0
    for g in gold:
        kind = kind_of[g.source]
        row = rows.get((g.doc, g.start, g.end))
        if kind == "named":
            row = {"resolved": g.source, "also": []}
        elif row is None:
            continue
        scored += 1
        hits = [q for q in pred if q.doc == g.doc and overlap((q.start, q.end), (g.start, g.end)) >= 0.5]
        best = max(hits, key=lambda q: overlap((q.start, q.end), (g.start, g.end))) if hits else None
        named_in_text = "anonymous" if row.get("resolved") is None else "named in text"
        label = kind if kind == "named" else f"{kind} ({named_in_text})"
        c = by_kind.setdefault(label, Counter())
        c["n"] += 1
        if best is None:
            c["missed"] += 1
            continue
        ok = resolved_matches(best.speaker, row)
        c["right" if ok else "wrong"] += 1
        right_all += ok
        if not ok and kind != "named":
            wrong.append((row, best.speaker))
    print(f"resolved speakers ({path.name}: {len(rows)} hand-resolved rows):")
    for label, c in sorted(by_kind.items()):
        found = c["right"] + c["wrong"]
        print(
            f"  {label:32s} right {c['right']}/{found} found = "
            f"{c['right'] / found if found else 0:.3f}  (gold {c['n']}, quote missed {c['missed']})"
        )
    n_pred = len(pred)
    p = right_all / n_pred if n_pred else 0.0
    r = right_all / scored if scored else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    print(f"  quote + resolved speaker: P {p:.3f} R {r:.3f} F1 {f:.3f} over {scored} scored gold quotes")
    for row, sp in wrong[:show]:
        print(f"  - [{row['doc'][:36]}] {row['source']!r} = {row.get('resolved')!r}; ours {sp!r}")


if __name__ == "__main__":
    sys.exit(main())
