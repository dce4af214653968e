"""The watchlist inbox: people and organisations the articles mention often
but the watchlist lacks, ready to add to config.yaml.

Built from the snapshot, not from a second pass over the articles: the
extraction already finds unlisted actors by NER and reads their role and side
from the words around them, so the inbox is free on every refresh. What it
adds is folding the forms one person takes across articles that the snapshot
keeps apart ("Xi" beside "Xi Jinping", "Zelensky" beside "Zelenskyy"), a
ranking, and the dismissed suggestions, kept as user state (not config) in
the state folder, one small JSON file per config.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from tui.extract.lexicon import english
from tui.extract.models import Actor, Evidence, Snapshot
from tui.paths import state_dir
from tui.scaffold import country_table

KINDS = ("person", "organization")
MAX_EVIDENCE = 20
NEAR_SPELLING = 90  # rapidfuzz ratio of two full names taken as one person's spellings
VERSION = 1
LEADER_TITLES = frozenset(english().leader_titles)
OPPOSING = english().opposing_nouns
OFFICIAL_TITLES = english().official_titles


@dataclass(frozen=True)
class Suggestion:
    """One actor the watchlist lacks, as the articles give it."""

    key: str  # what a dismissal remembers
    name: str
    kind: str
    role: str | None
    side: str | None
    aliases: tuple[str, ...]  # the other forms seen ("Ruiz", "Foreign Minister Ruiz")
    mentions: int
    docs: tuple[str, ...]
    evidence: tuple[Evidence, ...]
    score: float

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "name": self.name,
            "kind": self.kind,
            "role": self.role,
            "side": self.side,
            "aliases": list(self.aliases),
            "mentions": self.mentions,
            "docs": list(self.docs),
            "score": round(self.score, 2),
            "evidence": [e.to_json() for e in self.evidence],
        }

    def entry(self) -> dict[str, Any]:
        """The watchlist entry this suggestion makes (keys as config.yaml spells them)."""
        out: dict[str, Any] = {"name": self.name}
        if self.aliases:
            out["aliases"] = list(self.aliases)
        if self.role:
            out["role"] = self.role
        if self.side:
            out["side"] = self.side
        if self.kind != "person":
            out["kind"] = self.kind
        return out


def suggestion_key(name: str) -> str:
    return "actor:" + " ".join(name.casefold().split())


# --- which names the config already has ------------------------------------------


def taken_names(config: Any) -> set[str]:
    """Every name and alias of the config's parties and actors, case-folded."""
    names: set[str] = set()
    if config is None:
        return names
    for party in config.parties:
        names.update(n.casefold() for n in [party.name, *party.aliases])
    for actor in config.actors:
        names.update(n.casefold() for n in [actor.name, *actor.aliases])
    return names


# --- folding one person's forms ---------------------------------------------------


_PLAIN = str.maketrans({"ı": "i", "ł": "l", "ø": "o", "đ": "d", "ß": "ss", "’": "'"})


def _words(name: str) -> list[str]:
    """A name's words, case and accents aside: "Erdoğan" is "Erdogan"."""
    text = unicodedata.normalize("NFKD", name.casefold().translate(_PLAIN))
    return "".join(c for c in text if not unicodedata.combining(c)).split()


def _is_initial(word: str) -> bool:
    return len(word.rstrip(".")) == 1 and word[0].isalpha()


def _fold_targets(actors: list[Actor]) -> dict[str, str]:
    """Actor id -> the id of the row it is another form of.

    A one-word name joins the one longer name with that word ("Xi" ->
    "Xi Jinping"); a name whose words begin a longer one joins it ("Ursula
    von" -> "Ursula von der Leyen"), an initial the full first name ("S.
    Jaishankar" -> "Subrahmanyam Jaishankar"); two spellings of a full name that differ
    by a letter or two (after the surname's first) join the one mentioned more.

    Each name's words are worked out once and looked up by their beginnings,
    endings, last word and words, so a corpus of thousands of names takes a
    moment, not a pass over every pair."""
    people = [a for a in actors if a.kind == "person"]
    by_id = {a.id: a for a in people}
    words_of = {a.id: tuple(_words(a.name)) for a in people}
    starts: dict[tuple[str, ...], list[Actor]] = {}  # the first k words of longer names
    ends: dict[tuple[str, ...], list[Actor]] = {}
    by_last: dict[str, list[Actor]] = {}
    by_first_len: dict[tuple[str, int, str], list[Actor]] = {}  # first word, length, surname's first letter
    by_word: dict[str, set[str]] = {}  # a word -> the names of two words or more holding it
    for b in people:
        w = words_of[b.id]
        if not w:
            continue
        for k in range(1, len(w)):
            starts.setdefault(w[:k], []).append(b)
            ends.setdefault(w[-k:], []).append(b)
        by_last.setdefault(w[-1], []).append(b)
        by_first_len.setdefault((w[0], len(w), w[-1][:1]), []).append(b)
        if len(w) > 1:
            for x in set(w):
                by_word.setdefault(x, set()).add(b.id)
    target: dict[str, str] = {}
    for a in people:  # full names first
        words = words_of[a.id]
        if len(words) < 2:
            continue
        holders = [b for b in starts.get(words, []) if b.id != a.id]
        if not holders and _is_initial(words[0]):  # "S. Jaishankar"
            holders = [
                b
                for b in by_last.get(words[-1], [])
                if b.id != a.id
                and not _is_initial(words_of[b.id][0])
                and words_of[b.id][0].startswith(words[0].rstrip("."))
            ]
        if not holders:  # "Von der Leyen" -> "Ursula von der Leyen"
            holders = [b for b in ends.get(words, []) if b.id != a.id]
        if not holders:
            spelled = " ".join(words)
            holders = [
                b
                for b in by_first_len.get((words[0], len(words), words[-1][:1]), [])
                if b.id != a.id
                and fuzz.ratio(spelled, " ".join(words_of[b.id])) >= NEAR_SPELLING
                and (b.mentions, b.name) > (a.mentions, a.name)
            ][:1]
        if len(holders) == 1:
            target[a.id] = holders[0].id
    for a in people:  # then single words, into the one person (after the folds above) they are part of
        words = words_of[a.id]
        if len(words) != 1:
            continue
        owners = {target.get(b, b) for b in by_word.get(words[0], set()) if b != a.id}
        if len(owners) == 1:
            target[a.id] = owners.pop()
    for start in list(target):  # follow chains, never round a loop
        seen = {start}
        while target[start] in target and target[start] not in seen:
            seen.add(target[start])
            target[start] = target[target[start]]
    return {k: v for k, v in target.items() if k in by_id and v in by_id and k != v}


_LEADING_POSSESSIVE = re.compile(r"^(?:'s|\u2019s|')\s+")


def _clean_role(role: str | None) -> str | None:
    """A role as read can start with the possessive it followed ("'s chief negotiator")."""
    if not role:
        return None
    role = _LEADING_POSSESSIVE.sub("", role.strip()).strip(" ,;:")
    return role or None


def _vote(values: Iterable[tuple[str | None, int]]) -> str | None:
    """The value given most often (weighted by mentions); None only when none is given."""
    counts: Counter[str] = Counter()
    for value, weight in values:
        if value:
            counts[value] += weight
    if not counts:
        return None
    return max(counts.items(), key=lambda kv: (kv[1], kv[0]))[0]


def score_of(mentions: int, docs: int, role: str | None, side: str | None) -> float:
    """Mentions first, each further article worth two more, a role or a side read worth one each."""
    return mentions + 2.0 * max(0, docs - 1) + (1.0 if role else 0.0) + (1.0 if side else 0.0)


def actor_suggestions(
    snapshot: Snapshot | None,
    config: Any = None,
    dismissed: Iterable[str] = (),
    limit: int | None = None,
) -> list[Suggestion]:
    """Snapshot actors that are neither on the watchlist nor parties, best first,
    less the dismissed ones. `config` (the one in force) drops names it has
    since gained, before the snapshot catches up."""
    if snapshot is None:
        return []
    taken = taken_names(config)
    gone = set(dismissed)
    actors = [
        a
        for a in snapshot.actors
        if not a.watchlisted and a.kind in KINDS and a.name.casefold() not in taken
    ]
    target = _fold_targets(actors)
    groups: dict[str, list[Actor]] = {}
    for a in actors:
        groups.setdefault(target.get(a.id, a.id), []).append(a)
    by_id = {a.id: a for a in actors}
    out: list[Suggestion] = []
    names_of: dict[str, list[str]] = {}  # suggestion key -> the snapshot names it folds
    for head_id, members in groups.items():
        head = by_id[head_id]
        members.sort(key=lambda a: (a.id != head_id, -a.mentions, a.name))
        mentions = sum(a.mentions for a in members)
        docs = tuple(sorted({d for a in members for d in a.docs}))
        role = _vote((_clean_role(a.role), a.mentions) for a in members)
        side = _vote((a.side, a.mentions) for a in members)
        forms = [x for a in members for x in (a.name, *a.aliases)]
        aliases: list[str] = []
        for form in forms:
            folded = form.casefold()
            if folded != head.name.casefold() and folded not in taken and folded not in {x.casefold() for x in aliases}:
                aliases.append(form)
        evidence: list[Evidence] = []
        for a in members:
            for e in a.evidence:
                if e not in evidence:
                    evidence.append(e)
        key = suggestion_key(head.name)
        if key in gone:
            continue
        names_of[key] = [a.name for a in members]
        out.append(
            Suggestion(
                key=key,
                name=head.name,
                kind=head.kind,
                role=role,
                side=side,
                aliases=tuple(sorted(aliases, key=lambda x: (len(x), x))),
                mentions=mentions,
                docs=docs,
                evidence=tuple(evidence[:MAX_EVIDENCE]),
                score=score_of(mentions, len(docs), role, side),
            )
        )
    out = _sides_across_the_table(out, names_of, snapshot, config)
    out.sort(key=lambda s: (-s.score, -s.mentions, s.name.casefold()))
    return out if limit is None else out[:limit]


# --- sides from whom one meets ---------------------------------------------------------


@lru_cache(maxsize=1)
def _country_words() -> frozenset[str]:
    """Country names, adjectives, demonyms and capitals (case-folded): what
    marks a role as another country's ("Turkish President")."""
    words: set[str] = set()
    for entry in country_table().values():
        for k in ("name", "adjective", "demonym", "capital"):
            if entry.get(k):
                words.add(str(entry[k]).casefold())
        words.update(str(a).casefold() for a in entry.get("aliases", []) if len(str(a)) > 2)
    try:
        import pycountry

        words.update(c.name.casefold() for c in pycountry.countries)
        words.update(c.common_name.casefold() for c in pycountry.countries if hasattr(c, "common_name"))
    except ImportError:  # pragma: no cover - a pinned dependency
        pass
    return frozenset(words)


def _country_in(text: str, parties: set[str]) -> bool:
    words = re.findall(r"[\w.'-]+", text.casefold())
    spans = {" ".join(words[i : i + n]) for n in (1, 2, 3) for i in range(len(words) - n + 1)}
    return any(x in _country_words() and x not in parties for x in spans)


_OF_AFTER = re.compile(r"^\s*(?:,\s*)?of\s+(?:the\s+)?((?:[A-Z][\w.'-]*\s*){1,3})")


def _title_words(e: Evidence) -> str:
    """The few words before a name in its sentence, after the last comma."""
    pos = e.start - e.sent_start
    if not 0 <= pos <= len(e.sentence):
        return ""
    head = re.split(r"[,;:()\"\u201c\u201d\u2014]", e.sentence[:pos])[-1]
    return " ".join(head.split()[-4:])


def _third_country(s: Suggestion, parties: set[str]) -> bool:
    """Someone the articles mark as a third country's: a country that is
    neither party in their role ("Chinese Foreign Minister"), in the words
    before their name ("the President of the United States Donald Trump")
    or right after it ("Nicos Anastasiades of Cyprus")."""
    if s.role and _country_in(s.role, parties):
        return True
    for e in s.evidence:
        if _country_in(_title_words(e), parties):
            return True
        after = _OF_AFTER.match(e.sentence[max(0, e.end - e.sent_start) :])
        if after and _country_in(after.group(1), parties):
            return True
    return False


_OWNER = re.compile(r"([A-Z][\w.-]+)(?:'s|\u2019s)\s+((?:[\w-]+\s+){0,3}[\w-]+)\s*$")


def _owner(s: Suggestion) -> str | None:
    """Whose aide the words before the name make someone: "Biden's national
    security adviser Jake Sullivan" -> "Biden" (not "Brandt's rival")."""
    for e in s.evidence:
        pos = e.start - e.sent_start
        m = _OWNER.search(e.sentence[: max(0, pos)].rstrip(" ,"))
        if m and not set(m.group(2).casefold().split()) & OPPOSING:
            return m.group(1)
    return None


_FRAMED = re.compile(r"^\W*In ((?:[A-Z][\w.'-]*\s*){1,3}),\s")
FRAME_REACH = 80  # characters from "In Tokyo," to the name it frames


def _framed_in(s: Suggestion, place_of: dict[str, str]) -> set[str | None]:
    """The parties whose place opens the sentences someone is named in, right
    after: "In Tokyo, the Minister of Trade, Hajime Tamura, called it regrettable"."""
    found: set[str | None] = set()  # None: a place of neither side
    for e in s.evidence:
        m = _FRAMED.match(e.sentence)
        pos = e.start - e.sent_start
        if m and m.end() <= pos <= m.end() + FRAME_REACH:
            party = place_of.get(" ".join(m.group(1).split()).casefold())
            found.add(party)
    return found


_WE = re.compile(r"\b(?:we|us|our|ours)\b", re.IGNORECASE)


def _sides_spoken_of(
    snapshot: Snapshot, names_of: dict[str, list[str]], out: list[Suggestion], config: Any
) -> dict[str, set[str]]:
    """Suggestion key -> the parties its person names, as others, in quotes
    that also say "we" (only where every such quote names the same one)."""
    if config is None:
        return {}
    forms: dict[str, list[re.Pattern[str]]] = {}
    for party in config.parties:
        for alias in [party.name, *party.aliases]:
            flags = 0 if alias.isupper() or len(alias) <= 3 else re.IGNORECASE  # "US", not "us"
            forms.setdefault(party.name, []).append(re.compile(rf"(?<![\w.]){re.escape(alias)}s?(?![\w])", flags))
    key_of = {n: s.key for s in out for n in names_of[s.key]}
    named: dict[str, list[set[str]]] = {}
    for q in snapshot.quotes:
        key = key_of.get(q.speaker or "")
        if key is None or not _WE.search(q.text):
            continue
        named.setdefault(key, []).append({p for p, pats in forms.items() if any(x.search(q.text) for x in pats)})
    out_sides: dict[str, set[str]] = {}
    for key, sets in named.items():
        union = set().union(*sets)
        if len(union) == 1:
            out_sides[key] = union
    return out_sides


def _sides_across_the_table(
    out: list[Suggestion], names_of: dict[str, list[str]], snapshot: Snapshot, config: Any
) -> list[Suggestion]:
    """Sides the articles imply in a two-party relation, for people they give none:

    - met across the table: someone who meets only people (or the country)
      of one side is of the other ("Johnson will travel to Brussels for talks
      with von der Leyen");
    - the other side's leader: an unqualified "President" when the other
      side's president is known and this side has none;
    - an aide takes the side of whose aide they are ("Biden's national
      security adviser Jake Sullivan");
    - an official who says "we" of one side spoken of as them is of the
      other ("The Japanese have made promises before. This time we want to
      see results");
    - an official named right after a side's place opens the sentence:
      "In Tokyo, the Minister of Trade, Hajime Tamura, called it regrettable".

    Never for a mediator (who meets both sides: "Carter's summit with Sadat
    and Begin"), nor for someone the articles mark as a third country's
    ("Turkish President", "the President of the United States" in a
    Greece-Turkey watch) or only ever name beside one, nor when what they
    meet says different things."""
    parties = list(snapshot.parties)
    if len(parties) != 2:
        return out
    party_words = {p.casefold() for p in parties}
    if config is not None:
        party_words |= {a.casefold() for party in config.parties for a in party.aliases}
    listed = {a.name: a.side for a in snapshot.actors if a.watchlisted or a.kind == "country"}
    listed_roles = [(a.role, a.side) for a in snapshot.actors if a.watchlisted and a.kind == "person"]
    open_ = [s for s in out if s.kind == "person" and not s.side]  # those a side may be found for
    third = {s.key for s in open_ if _third_country(s, party_words)}
    # Someone seen only beside a third country ("Sadat stopped in Paris, where
    # he conferred with President Giscard") may be that country's: not a guess to make.
    third |= {s.key for s in open_ if s.evidence and all(_country_in(e.sentence, party_words) for e in s.evidence)}

    def leader(role: str | None) -> str | None:
        role = " ".join((role or "").casefold().split())
        return role if role in LEADER_TITLES else None

    speaks_of = _sides_spoken_of(snapshot, names_of, out, config)
    place_of = {p.casefold(): p for p in parties}
    if config is not None:
        place_of |= {a.casefold(): party.name for party in config.parties for a in party.aliases}

    def official(role: str | None) -> bool:
        return bool(role) and bool(set(re.findall(r"[\w-]+", (role or "").casefold())) & OFFICIAL_TITLES)

    for _ in range(3):  # a side found here may tell the next
        side_of = {**listed, **{n: s.side for s in out for n in names_of[s.key]}}
        surnames = {n.split()[-1]: side for n, side in side_of.items() if side and " " in n}
        met: dict[str, set[str | None]] = {}
        for e in snapshot.engagements:
            if len(e.participants) < 2:
                continue
            for name in e.participants:
                others = {side_of.get(o) for o in e.participants if o != name}
                if None not in others:  # a table with someone unknown at it tells nothing
                    met.setdefault(name, set()).update(others)
        holders: dict[str, set[str]] = {}
        for role, side in [*listed_roles, *((s.role, s.side) for s in out if s.kind == "person")]:
            title = leader(role)
            if title and side in parties:
                holders.setdefault(title, set()).add(side)
        changed = False
        for i, s in enumerate(out):
            if s.side or s.kind != "person" or s.key in third:
                continue
            across: set[str | None] = set()
            for name in names_of[s.key]:
                across |= met.get(name, set())
            known = {x for x in across if x in parties}
            side = None
            if len(known) == 1 and across == known:
                side = next(p for p in parties if p not in known)
            elif not known and s.key in speaks_of and len(speaks_of[s.key]) == 1 and official(s.role):
                # "The Japanese have made promises before. This time we want
                # to see results": one side spoken of as them, by one of us
                side = next(p for p in parties if p not in speaks_of[s.key])
            elif not known:
                title = leader(s.role)
                held = holders.get(title, set()) if title else set()
                owner = _owner(s)
                framed = _framed_in(s, place_of)
                if len(held) == 1:
                    side = next(p for p in parties if p not in held)
                elif owner and owner in surnames:
                    side = surnames[owner]
                elif len(framed) == 1 and None not in framed and official(s.role):
                    side = framed.pop()
            if side:
                out[i] = replace(s, side=side, score=score_of(s.mentions, len(s.docs), s.role, side))
                changed = True
        if not changed:
            break
    return out


# --- the dismissed ones, kept between sessions ------------------------------------


def dismissed_path(config_path: Path) -> Path:
    """One file per config, beside the rows seen (tui/ui/seen.py)."""
    digest = hashlib.sha256(str(Path(config_path).resolve()).encode()).hexdigest()[:16]
    return state_dir() / f"inbox-{digest}.json"


@dataclass
class Dismissed:
    """The suggestions the user set aside (`x`): never proposed again for this config.

    A broken file is a warning and the list starts again; nothing else fails."""

    path: Path | None = None
    keys: set[str] = field(default_factory=set)
    warning: str | None = None

    @classmethod
    def load(cls, path: Path | None) -> Dismissed:
        state = cls(path)
        if path is None:
            return state
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return state
        except (OSError, ValueError) as exc:
            state.warning = f"{path}: dismissed suggestions not read ({type(exc).__name__}); starting afresh"
            return state
        keys = data.get("dismissed") if isinstance(data, dict) else None
        if not isinstance(keys, list):
            state.warning = f"{path}: dismissed suggestions not read (not a tui state file); starting afresh"
            return state
        state.keys = {str(k) for k in keys}
        return state

    def add(self, key: str) -> str | None:
        """Dismiss `key` and keep it; a one-line problem, or None."""
        self.keys.add(key)
        return self.save()

    def save(self) -> str | None:
        if self.path is None:
            return None
        tmp = self.path.with_name(self.path.name + ".tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_text(json.dumps({"version": VERSION, "dismissed": sorted(self.keys)}), encoding="utf-8")
            os.replace(tmp, self.path)
        except OSError as exc:
            return f"{self.path}: cannot keep dismissed suggestions: {exc.strerror or exc}"
        return None


def text_inbox(suggestions: list[Suggestion], limit: int = 20) -> str:
    """`tui extract --suggest`: one block a suggestion, best first."""
    if not suggestions:
        return "Watchlist inbox: nothing to suggest (every actor found is on the watchlist or dismissed).\n"
    shown = suggestions[:limit]
    lines = [f"Watchlist inbox: {len(suggestions)} suggestion(s), best {len(shown)} shown"]
    for i, s in enumerate(shown, start=1):
        facts = ", ".join(x for x in (s.kind, s.role, s.side or "side unknown") if x)
        lines.append(f"{i:3}. {s.name} ({facts}): {s.mentions} mention(s) in {len(s.docs)} article(s)")
        if s.aliases:
            lines.append(f"     seen as: {', '.join(s.aliases)}")
        if s.evidence:
            e = s.evidence[0]
            sentence = " ".join(e.sentence.split())
            lines.append(f"     {e.doc}: {sentence[:160]}{'…' if len(sentence) > 160 else ''}")
    return "\n".join(lines) + "\n"


# --- issue suggestions ---------------------------------------------------------------
#
# Noun phrases of conflictual sentences that no issue pattern matches are kept
# per article by extraction (tui/extract/issues.py) and totalled per phrase by
# the Aggregator (Snapshot.issue_candidates). Here they are folded (case,
# plural), the generic ones dropped, those raised in one article only left
# out, and the rest ranked.

ISSUE_PREFIX = "issue:"
MAX_PATTERNS = 6


@dataclass(frozen=True)
class IssueSuggestion:
    """One issue the config lacks, as the articles raise it."""

    key: str  # what a dismissal remembers ("issue:" + the folded phrase)
    id: str
    label: str
    patterns: tuple[str, ...]  # the forms seen, most frequent first
    mentions: int
    docs: tuple[str, ...]
    actors: tuple[str, ...]  # who is named where it is raised, most often first
    evidence: tuple[Evidence, ...]
    score: float

    @property
    def name(self) -> str:
        return self.label

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "id": self.id,
            "label": self.label,
            "patterns": list(self.patterns),
            "mentions": self.mentions,
            "docs": list(self.docs),
            "actors": list(self.actors),
            "score": round(self.score, 2),
            "evidence": [e.to_json() for e in self.evidence],
        }

    def entry(self) -> dict[str, Any]:
        """The `issues:` entry this suggestion makes."""
        return {"id": self.id, "label": self.label, "patterns": list(self.patterns)}


def _singular(word: str) -> str:
    """English plural -> singular, by rule (the head noun's lemma was taken at
    extraction; this folds what the tagger left, such as proper nouns)."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("sses", "shes", "ches", "xes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def phrase_words(text: str) -> list[str]:
    """A phrase as folded words: case, curly apostrophes, hyphens and each word's number aside."""
    folded = text.casefold().replace("\u2019", "'").replace("-", " ")
    return [_singular(w) for w in re.findall(r"[\w'.&]+", folded)]


def fold_phrase(text: str) -> str:
    return " ".join(phrase_words(text))


def pattern_matches(pattern: str, phrase: str) -> bool:
    """The issue pattern occurs in the phrase, word for word (case and number aside)."""
    want, have = phrase_words(pattern), phrase_words(phrase)
    if not want:
        return False
    return any(have[i : i + len(want)] == want for i in range(len(have) - len(want) + 1))


def issue_suggestion_key(phrase: str) -> str:
    return ISSUE_PREFIX + fold_phrase(phrase)


@lru_cache(maxsize=1)
def _generic_words() -> tuple[frozenset[str], frozenset[str]]:
    """(words a phrase may not end in, words that alone make no issue)."""
    from tui.extract.lexicon import english, issue_words

    words, lexicon = issue_words(), english()
    heads = words.generic_nouns | lexicon.person_nouns | lexicon.spokespeople | lexicon.speaking_documents
    heads = frozenset(_singular(w) for w in heads) | heads
    alone = heads | words.frame_nouns | words.conflict_cues | words.vague_modifiers | words.topic_heads
    alone |= lexicon.document_heads | lexicon.speaking_documents
    return heads, frozenset(_singular(w) for w in alone) | alone


def is_generic(phrase: str) -> bool:
    """A phrase headed by a generic noun (talks, officials, statement, week) or made of nothing but such words."""
    heads, alone = _generic_words()
    words = phrase_words(phrase)
    return not words or words[-1] in heads or all(w in alone for w in words)


def _issue_label(forms: Counter[str]) -> str:
    best = max(forms.items(), key=lambda kv: (kv[1], any(c.isupper() for c in kv[0]), kv[0]))[0]
    return best[:1].upper() + best[1:] if best[:1].islower() else best


def issue_score(mentions: int, topical: int, docs: int, sides: int) -> float:
    """Mentions, those as the very subject of the contention ("talks on X",
    "differences over X") counted twice, each further article worth two
    more, and one for each side named where it is raised."""
    return mentions + topical + 2.0 * max(0, docs - 1) + float(sides)


def issue_suggestions(
    snapshot: Snapshot | None,
    config: Any = None,
    dismissed: Iterable[str] = (),
    limit: int | None = None,
) -> list[IssueSuggestion]:
    """Recurring phrases of conflictual sentences that no issue pattern of
    `config` (the one in force) matches, folded, best first, less the
    generic and the dismissed ones. A phrase must come up in two articles,
    unless only one article raises any (then all of its phrases are ranked)."""
    if snapshot is None or not snapshot.issue_candidates:
        return []
    gone = set(dismissed)
    patterns = [p for issue in (config.issues if config is not None else ()) for p in issue.patterns]
    names = taken_names(config) | {
        " ".join(n.casefold().split()) for a in snapshot.actors for n in (a.name, *a.aliases)
    }
    parties = set(snapshot.parties)
    ids = {issue.id for issue in (config.issues if config is not None else ())}
    single = len({d for c in snapshot.issue_candidates for d in c.docs}) == 1
    need_docs, need_mentions = (1, 1) if single else (2, 2)
    groups: dict[str, list[Any]] = {}
    for c in snapshot.issue_candidates:
        groups.setdefault(fold_phrase(c.key), []).append(c)
    out: list[IssueSuggestion] = []
    for folded, members in groups.items():
        key = ISSUE_PREFIX + folded
        if not folded or key in gone:
            continue
        forms: Counter[str] = Counter()
        raisers: Counter[str] = Counter()
        for c in members:
            forms.update(dict(c.forms))
            raisers.update(dict(c.actors))
        docs = tuple(sorted({d for c in members for d in c.docs}))
        mentions = sum(c.mentions for c in members)
        topical = sum(c.topical for c in members)
        if len(docs) < need_docs or mentions < need_mentions:
            continue
        if any(" ".join(f.casefold().split()) in names for f in forms) or is_generic(folded):
            continue
        if any(pattern_matches(p, f) for p in patterns for f in forms):
            continue  # the config has gained it since the snapshot was made
        label = _issue_label(forms)
        spelled: list[str] = []
        for form, _ in sorted(forms.items(), key=lambda kv: (-kv[1], kv[0])):
            if form.casefold() not in {x.casefold() for x in spelled}:
                spelled.append(form)
        evidence: list[Evidence] = []
        for c in members:
            evidence.extend(e for e in c.evidence if e not in evidence)
        issue_id = slug_id(label, ids)
        ranked = sorted(raisers.items(), key=lambda kv: (-kv[1], kv[0]))
        out.append(
            IssueSuggestion(
                key=key,
                id=issue_id,
                label=label,
                patterns=tuple(spelled[:MAX_PATTERNS]),
                mentions=mentions,
                docs=docs,
                actors=tuple(name for name, _ in ranked),
                evidence=tuple(sorted(evidence, key=lambda e: (e.doc, e.start))[:MAX_EVIDENCE]),
                score=issue_score(mentions, topical, len(docs), len(parties & set(raisers))),
            )
        )
    out.sort(key=lambda s: (-s.score, -len(s.docs), s.label.casefold()))
    return out if limit is None else out[:limit]


def slug_id(label: str, taken: set[str]) -> str:
    """An issue id for config.yaml from the label, not one the config has."""
    base = re.sub(r"[^a-z0-9]+", "-", label.casefold()).strip("-") or "issue"
    issue_id, n = base, 1
    while issue_id in taken:
        n += 1
        issue_id = f"{base}-{n}"
    return issue_id


def text_issue_inbox(suggestions: list[IssueSuggestion], limit: int = 20) -> str:
    """`tui extract --suggest`: the issue suggestions, one block each, best first."""
    if not suggestions:
        return "Issue inbox: nothing to suggest (no phrase recurs in conflictual sentences outside the issues).\n"
    shown = suggestions[:limit]
    lines = [f"Issue inbox: {len(suggestions)} suggestion(s), best {len(shown)} shown"]
    for i, s in enumerate(shown, start=1):
        lines.append(f"{i:3}. {s.label}: {s.mentions} mention(s) in {len(s.docs)} article(s)")
        if len(s.patterns) > 1:
            lines.append(f"     seen as: {', '.join(s.patterns)}")
        if s.actors:
            lines.append(f"     raised with: {', '.join(s.actors[:6])}")
        if s.evidence:
            e = s.evidence[0]
            sentence = " ".join(e.sentence.split())
            lines.append(f"     {e.doc}: {sentence[:160]}{'…' if len(sentence) > 160 else ''}")
    return "\n".join(lines) + "\n"
