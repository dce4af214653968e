"""Bare aliases that more than one person carries.

A watchlist alias of one word ("Ruiz" for "Ana Ruiz", or the surname added
for her) makes every bare "Ruiz" count as her. When the articles name other
people with that word in their name ("Pedro Ruiz"), or the watchlist lists
another, those bare mentions are ambiguous and the analyst should know.

The check reads what aggregation already holds (the actors over all
articles), one pass over their names, so it stays cheap on a large corpus.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from tui.config import Config
from tui.extract.models import Actor


@dataclass(frozen=True)
class SharedAlias:
    alias: str
    owner: str  # the watchlist person the alias counts as
    people: tuple[str, ...]  # everyone who carries it, the owner first when among them
    where: Literal["articles", "watchlist"]
    listed: bool  # in the owner's aliases; else the surname added for them

    @property
    def message(self) -> str:
        return (
            f'alias "{self.alias}" ({self.owner}) is shared by {len(self.people)} people '
            f"in the {self.where}: {', '.join(self.people)}"
        )


def _fold(text: str) -> str:
    return text.replace("\u2019", "'").casefold()


def _name_parts(name: str) -> list[str]:
    """The words a name is made of; a hyphenated part counts whole and by its pieces."""
    folded = _fold(name)
    words = folded.split()
    if "-" in folded:
        words += folded.replace("-", " ").split()
    return words


def _is_bare(alias: str) -> bool:
    return len(alias.split()) == 1 and bool(re.search(r"\w", alias))


def bare_aliases(config: Config) -> list[tuple[str, str, bool]]:
    """(alias, owner, listed) for every one-word alias of a watchlist person,
    including the surname the pipeline adds when no one else claims it."""
    claimed = {_fold(p.name) for p in config.parties}
    for party in config.parties:
        claimed.update(_fold(a) for a in party.aliases)
    for actor in config.actors:
        claimed.add(_fold(actor.name))
        claimed.update(_fold(a) for a in actor.aliases)
    surnames: dict[str, list[str]] = {}
    for actor in config.actors:
        parts = actor.name.split()
        if actor.kind == "person" and len(parts) > 1:
            surnames.setdefault(_fold(parts[-1]), []).append(actor.name)
    out: list[tuple[str, str, bool]] = []
    for actor in config.actors:
        if actor.kind != "person":
            continue
        listed = [a for a in actor.aliases if _is_bare(a)]
        out += [(a, actor.name, True) for a in listed]
        parts = actor.name.split()
        if len(parts) > 1:
            surname = parts[-1]
            if _fold(surname) not in claimed and len(surnames.get(_fold(surname), [])) == 1:
                out.append((surname, actor.name, False))
    return out


def _people_by_part(names: Iterable[str], wanted: set[str]) -> dict[str, list[str]]:
    """The names of two words or more that carry each wanted word."""
    by_part: dict[str, list[str]] = {}
    for name in names:
        if len(name.split()) < 2:
            continue  # a bare name is the ambiguity itself, not another person
        for part in wanted.intersection(_name_parts(name)):
            by_part.setdefault(part, []).append(name)
    return by_part


def _ordered(owner: str, people: Iterable[str]) -> tuple[str, ...]:
    unique = {_fold(p): p for p in people}
    first = [unique.pop(_fold(owner))] if _fold(owner) in unique else []
    return tuple(first + sorted(unique.values(), key=_fold))


def shared_aliases(config: Config, actors: Iterable[Actor]) -> list[SharedAlias]:
    """Bare aliases carried by two or more people: in the articles (the
    aggregated actors), else in the watchlist itself."""
    bare = bare_aliases(config)
    if not bare:
        return []
    wanted = {_fold(alias) for alias, _, _ in bare}
    in_articles = [a.name for a in actors if a.kind == "person"]
    article_names = {_fold(name) for name in in_articles}
    seen_by_part = _people_by_part(in_articles, wanted)
    watchlist_by_part: dict[str, list[str]] = {}
    for actor in config.actors:
        if actor.kind == "person":
            for part in _people_by_part([actor.name, *actor.aliases], wanted):
                watchlist_by_part.setdefault(part, []).append(actor.name)
    out: list[SharedAlias] = []
    for alias, owner, listed in bare:
        word = _fold(alias)
        seen = list(seen_by_part.get(word, []))
        if _fold(owner) in article_names:
            seen.append(owner)  # the bare mentions counted as the owner
        people = _ordered(owner, seen)
        if len(people) >= 2:
            out.append(SharedAlias(alias, owner, people, "articles", listed))
            continue
        people = _ordered(owner, [owner, *watchlist_by_part.get(word, [])])
        if len(people) >= 2:
            out.append(SharedAlias(alias, owner, people, "watchlist", listed))
    return out
