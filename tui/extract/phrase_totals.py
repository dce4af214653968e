"""The candidate issue phrases of every article, as running totals per phrase.

Part of the Aggregator (tui/extract/aggregate.py), kept the way it keeps
issues: an article that comes, changes or goes moves only the totals of the
phrases it holds, so a new article costs the same however many others raise
the same phrase. What comes out is the phrases that recur (two mentions or
more), in the order a fresh aggregation gives: most articles first, then
most mentions, then the phrase. In a corpus where one article alone has
candidate phrases, every one of them comes out.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from tui.extract.models import DocResult, Evidence, IssueCandidate, IssuePhrase

MAX_EVIDENCE = 10


class _Order(Protocol):
    """Each article's place in corpus order: any sort key (as the Aggregator's Order)."""

    def __getitem__(self, doc_id: str, /) -> Any: ...

RECUR = 2  # mentions a phrase needs to be a candidate at all


class _PhraseMentions:
    """One phrase key's mentions across the articles."""

    __slots__ = ("key", "in_order", "by_id", "count", "topical", "forms", "raisers")

    def __init__(self, key: str) -> None:
        self.key = key
        self.in_order: list[str] = []  # the articles, in corpus order
        self.by_id: list[str] = []
        self.count = 0
        self.topical = 0
        self.forms: Counter[str] = Counter()
        self.raisers: Counter[str] = Counter()

    def add(self, doc_id: str, items: Sequence[IssuePhrase], pos: _Order, rename: Mapping[str, str]) -> None:
        bisect.insort(self.in_order, doc_id, key=pos.__getitem__)
        bisect.insort(self.by_id, doc_id)
        self.count += len(items)
        self.topical += sum(p.topic for p in items)
        for p in items:
            self.forms[p.text] += 1
            self.raisers.update(rename.get(a, a) for a in p.actors)

    def remove(self, doc_id: str, items: Sequence[IssuePhrase], rename: Mapping[str, str]) -> None:
        """`rename`: as when the mentions were added (a change of it rebuilds every phrase)."""
        self.in_order.remove(doc_id)
        self.by_id.remove(doc_id)
        self.count -= len(items)
        self.topical -= sum(p.topic for p in items)
        for p in items:
            self.forms[p.text] -= 1
            self.raisers.subtract(rename.get(a, a) for a in p.actors)
        self.forms = +self.forms
        self.raisers = +self.raisers

    def build(self, items_of: Mapping[str, Mapping[str, Sequence[IssuePhrase]]]) -> IssueCandidate:
        evidence: list[Evidence] = []
        for doc_id in self.in_order:
            for p in items_of[doc_id][self.key]:
                if p.evidence not in evidence:
                    evidence.append(p.evidence)
            if len(evidence) >= MAX_EVIDENCE:
                break
        return IssueCandidate(
            key=self.key,
            forms=tuple(sorted(self.forms.items(), key=lambda kv: (-kv[1], kv[0]))),
            mentions=self.count,
            docs=tuple(self.by_id),
            actors=tuple(sorted(self.raisers.items(), key=lambda kv: (-kv[1], kv[0]))),
            evidence=tuple(evidence[:MAX_EVIDENCE]),
            topical=self.topical,
        )


class PhraseTotals:
    """Every article's candidate phrases by key, and each key's totals."""

    def __init__(self) -> None:
        self._acc: dict[str, _PhraseMentions] = {}
        self._doc_items: dict[str, dict[str, list[IssuePhrase]]] = {}  # article -> key -> its phrases
        self._built: dict[str, IssueCandidate] = {}  # the recurring ones
        self._ordered: tuple[IssueCandidate, ...] | None = None

    def update(
        self,
        touched: set[str],
        kept: Mapping[str, DocResult],
        pos: _Order,
        rename: Mapping[str, str],
        everything: bool,
    ) -> None:
        if everything:
            self._acc.clear()
            self._doc_items.clear()
            self._built.clear()
            self._ordered = None
        dirty: set[str] = set()
        if touched:
            self._ordered = None  # the number of articles with phrases may have changed
        for doc_id in touched:  # old mentions out first
            for key, items in self._doc_items.pop(doc_id, {}).items():
                self._acc[key].remove(doc_id, items, rename)
                dirty.add(key)
        for doc_id in touched:
            result = kept.get(doc_id)
            if result is None or not result.issue_phrases:
                continue
            mine: dict[str, list[IssuePhrase]] = {}
            for p in result.issue_phrases:
                mine.setdefault(p.key, []).append(p)
            self._doc_items[doc_id] = mine
            for key, items in mine.items():
                self._acc.setdefault(key, _PhraseMentions(key)).add(doc_id, items, pos, rename)
                dirty.add(key)
        for key in dirty:
            acc = self._acc[key]
            if not acc.in_order:
                del self._acc[key]
            if acc.count < RECUR:
                if self._built.pop(key, None) is not None:
                    self._ordered = None
                continue
            self._built[key] = acc.build(self._doc_items)
            self._ordered = None

    def candidates(self) -> tuple[IssueCandidate, ...]:
        """The recurring phrases; where a single article has any, every phrase of it
        (nothing can recur across articles: the inbox ranks them by mentions)."""
        if self._ordered is None:
            if len(self._doc_items) == 1:
                built = [acc.build(self._doc_items) for acc in self._acc.values()]
            else:
                built = list(self._built.values())
            self._ordered = tuple(sorted(built, key=lambda c: (-len(c.docs), -c.mentions, c.key)))
        return self._ordered
