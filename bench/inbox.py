"""The watchlist inbox over pictures of growing size.

    python bench/inbox.py                    # 1,000 and 10,000 unlisted people
    python bench/inbox.py --sizes 500 20000  # other sizes

For each N it makes a picture by hand (an invented relation): N people the
watchlist lacks, under full names, bare surnames, initials and second
spellings, a third of them with a side, each with a few sentences of
evidence, a meeting for every tenth of them and a quote for every fifth, and
as many candidate issue phrases; then times the actor and the issue
suggestions, as the inbox screen works them out each time the picture
changes. The ratio to the smallest N says whether the work grows with N (10x
for 10x) or faster: folding one person's forms used to compare every pair.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tui.extract.models import Actor, Engagement, Evidence, IssueCandidate, Quote, Snapshot  # noqa: E402
from tui.inbox import actor_suggestions, issue_suggestions  # noqa: E402

FIRST = ["Ana", "Tom", "Lena", "Jan", "Ivo", "Kai", "Mira", "Otto", "Dara", "Per", "Sven", "Noor", "Elif", "Rui"]
LAST = ["Ruiz", "Reyes", "Ortiz", "Berg", "Lind", "Moreno", "Holt", "Brandt", "Velez", "Dahl", "Kern", "Aydin"]
ROLES = ["Foreign Minister", "trade envoy", "President", "spokesman", None, "deputy minister", "analyst"]
WORDS = ["river", "dam", "grazing", "rights", "tariff", "border", "fishing", "quota", "pipeline", "visa", "ports"]
PARTIES = ("Freedonia", "Sylvania")


def picture(n: int, seed: int = 7) -> Snapshot:
    rng = random.Random(seed)
    actors: list[Actor] = []
    for i in range(n):
        full = f"{rng.choice(FIRST)} {rng.choice(LAST)}{i}"
        form = rng.random()
        name = full.split()[-1] if form < 0.2 else (f"{full[0]}. {full.split()[-1]}" if form < 0.3 else full)
        sentence = f"{rng.choice(['In Sylvania, ', ''])}{rng.choice(ROLES) or 'Mr'} {name} said the talks were useful."
        at = sentence.index(name)
        evidence = tuple(
            Evidence(f"a{(i + k) % max(1, n // 3)}.txt", at, at + len(name), sentence, 0) for k in range(3)
        )
        actors.append(
            Actor(
                id=f"p{i}", name=name, kind="person", role=rng.choice(ROLES),
                side=rng.choice([PARTIES[0], PARTIES[1], None, None, None, None]), aliases=(),
                mentions=rng.randint(1, 9), docs=tuple(sorted({e.doc for e in evidence})), evidence=evidence,
                watchlisted=False,
            )
        )
    names = [a.name for a in actors]
    meetings = tuple(
        Engagement(
            id=f"m{i}", participants=(names[i], names[(i * 7 + 1) % n]), what="met", where=None, when=None,
            when_text=None, granularity=None, status="past", upcoming=False, evidence=actors[i].evidence[:1],
        )
        for i in range(0, n, 10)
    )
    quotes = tuple(
        Quote(id=f"q{i}", text="The Sylvanians have made promises before. We want results.", speaker=names[i],
              side=None, doc="a0.txt", published=None, start=0, end=10)
        for i in range(0, n, 5)
    )
    phrases = tuple(
        IssueCandidate(
            key=f"{rng.choice(WORDS)} {rng.choice(WORDS)} {i % 97}", forms=((f"{rng.choice(WORDS)} rights", 2),),
            mentions=rng.randint(2, 6), docs=(f"a{i % 50}.txt", f"a{(i + 1) % 50}.txt"), actors=(("Freedonia", 1),),
            evidence=actors[i].evidence[:1], topical=rng.randint(0, 1),
        )
        for i in range(n)
    )
    return Snapshot(
        as_of=None, relation="Freedonia - Sylvania", actors=tuple(actors), engagements=meetings, quotes=quotes,
        parties=PARTIES, issue_candidates=phrases,
    )


def timed(fn, *args) -> tuple[float, int]:
    best, count = float("inf"), 0
    for _ in range(3):
        t = time.perf_counter()
        count = len(fn(*args))
        best = min(best, time.perf_counter() - t)
    return best, count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    args = parser.parse_args()
    base: tuple[float, float] | None = None
    print(f"{'people':>8} {'actors s':>9} {'ratio':>6} {'issues s':>9} {'ratio':>6}  suggestions")
    for n in args.sizes:
        snap = picture(n)
        a, na = timed(actor_suggestions, snap)
        b, nb = timed(issue_suggestions, snap)
        base = base or (a, b)
        print(f"{n:>8} {a:>9.3f} {a / base[0]:>6.1f} {b:>9.3f} {b / base[1]:>6.1f}  {na} people, {nb} issues")


if __name__ == "__main__":
    main()
