"""Whether an article, and each record in it, concerns the relation.

An article is about the relation when it mentions at least two of its sides
(a party, or an actor the watchlist or the text puts on a side), or one side
and one of the relation's issues; with a single party configured, when it
mentions that one. In an article that is
not about the relation, only what ties two sides together is kept: an
engagement whose participants stand on two sides, an issue raised where a
sided actor is named. In one that is, an engagement needs at least one
participant on a side. In an article that is not about the relation, only
the watchlist's own actors and their quotes are kept: the analyst listed
them to hear what they say anywhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from tui.extract.models import DocResult


@dataclass(frozen=True)
class Relevance:
    about: bool
    sides: tuple[str, ...]  # the sides the article mentions
    reason: str


def _sides(result: DocResult, parties: Sequence[str]) -> dict[str, str]:
    """Actor name -> side, for the actors of one article that stand on a side."""
    return {a.name: a.side for a in result.actors if a.side is not None and a.side in parties and a.mentions > 0}


def relevance(result: DocResult, parties: Sequence[str]) -> Relevance:
    if not parties:
        return Relevance(True, (), "no parties configured")
    sides = tuple(sorted(set(_sides(result, parties).values())))
    need = 1 if len(parties) == 1 else 2
    if len(sides) >= need:
        return Relevance(True, sides, f"mentions {' and '.join(sides)}")
    if sides and result.issues:
        issue = result.issues[0].label
        return Relevance(True, sides, f"mentions {sides[0]} and the issue {issue!r}")
    if sides:
        return Relevance(False, sides, f"mentions only {sides[0]}")
    return Relevance(False, sides, "mentions no side of the relation")


def keep_relevant(result: DocResult, rel: Relevance, parties: Sequence[str]) -> DocResult:
    """The records of one article that concern the relation."""
    if not parties:
        return result
    side_of = _sides(result, parties)

    def sides_of(names: Sequence[str]) -> set[str]:
        return {side_of[n] for n in names if n in side_of}

    need = 1 if len(parties) == 1 else 2
    engagements = tuple(
        e
        for e in result.engagements
        if len(sides_of(e.participants)) >= need or (rel.about and sides_of(e.participants))
    )
    issues = tuple(m for m in result.issues if rel.about or sides_of(m.actors))
    phrases = tuple(p for p in result.issue_phrases if rel.about or sides_of(p.actors))
    if rel.about:
        return replace(result, engagements=engagements, issues=issues, issue_phrases=phrases)
    listed = {a.key for a in result.actors if a.watchlisted}
    return replace(
        result,
        engagements=engagements,
        issues=issues,
        issue_phrases=phrases,
        quotes=tuple(q for q in result.quotes if q.speaker_key in listed),
        actors=tuple(a for a in result.actors if a.watchlisted),
    )
