"""English: the packaged word lists, and word forms for the config's cue words.

`english()` reads `english.yaml` (pronouns, honorifics, titles, organisation
and document head words, listener verbs, ...) once per process; every
extractor takes its lists from there, so each list has one copy.

Config lists base forms ("hope", "meet", "postpone"); text has "hopes",
"hoped", "meeting". The tagger's lemma is not always right ("hopes" ->
"hop"), so surface forms are matched too.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml


@dataclass(frozen=True)
class English:
    pronouns: dict[str, dict]  # word -> {gender, number, things?}
    first_person: frozenset[str]
    honorifics: dict[str, str]  # word -> male | female | any
    title_abbreviations: dict[str, str]
    male_nouns: frozenset[str]
    female_nouns: frozenset[str]
    person_nouns: frozenset[str]
    spokespeople: frozenset[str]
    epithet_words: frozenset[str]
    name_titles: frozenset[str]
    org_words: frozenset[str]
    org_suffixes: frozenset[str]
    org_descriptions: dict[str, frozenset[str]]
    document_heads: frozenset[str]
    speaking_documents: frozenset[str]
    locative_prepositions: frozenset[str]
    listener_verbs: frozenset[str]
    listener_prepositions: frozenset[str]
    issuing_verbs: frozenset[str]
    not_engagement_preps: dict[str, frozenset[str]]
    travel_words: frozenset[str]
    homecoming_verbs: frozenset[str]
    leader_nouns: frozenset[str]
    leader_titles: tuple[str, ...]
    side_nouns: frozenset[str]
    side_groups: frozenset[str]
    side_of_preps: frozenset[str]
    member_groups: frozenset[str]
    membership_verbs: frozenset[str]
    companion_verbs: frozenset[str]
    counterpart_nouns: frozenset[str]
    opposing_nouns: frozenset[str]
    name_particles: frozenset[str]
    official_titles: frozenset[str]
    role_topic_prepositions: frozenset[str]
    age: re.Pattern[str]

    def pronoun(self, word: str) -> dict | None:
        return self.pronouns.get(word.casefold())


@lru_cache(maxsize=1)
def _raw() -> dict:
    return yaml.safe_load(resources.files("tui.extract").joinpath("english.yaml").read_text(encoding="utf-8"))


def english_defaults() -> dict[str, list[str]]:
    """The config's defaults for cue words and reporting verbs (fresh lists)."""
    return {k: [str(w) for w in v] for k, v in _raw()["defaults"].items()}


def english_dates() -> dict[str, dict[str, int]]:
    """Relative-date words: days from publication, steps of a month or year."""
    return {k: {str(w): int(n) for w, n in v.items()} for k, v in _raw()["dates"].items()}


@lru_cache(maxsize=1)
def english() -> English:
    """The packaged English lexicon, read once."""
    raw = _raw()

    def words(name: str) -> frozenset[str]:
        return frozenset(str(w).casefold() for w in raw[name])

    honorifics = {str(k).casefold(): str(v) for k, v in raw["honorifics"].items()}
    abbreviations = {str(k).casefold(): str(v) for k, v in raw["title_abbreviations"].items()}
    male = frozenset(str(w).casefold() for w in raw["gendered_nouns"]["male"])
    female = frozenset(str(w).casefold() for w in raw["gendered_nouns"]["female"])

    return English(
        pronouns={str(k).casefold(): v for k, v in raw["pronouns"].items()},
        first_person=words("first_person"),
        honorifics=honorifics,
        title_abbreviations=abbreviations,
        male_nouns=male,
        female_nouns=female,
        person_nouns=words("person_nouns") | words("spokespeople") | male | female,
        spokespeople=words("spokespeople"),
        epithet_words=words("epithet_words"),
        name_titles=words("name_titles") | frozenset(honorifics) | frozenset(abbreviations),
        org_words=words("org_words"),
        org_suffixes=words("org_suffixes"),
        org_descriptions={str(k): frozenset(str(w) for w in v) for k, v in raw["org_descriptions"].items()},
        document_heads=words("document_heads"),
        speaking_documents=words("speaking_documents"),
        locative_prepositions=words("locative_prepositions"),
        listener_verbs=words("listener_verbs"),
        listener_prepositions=words("listener_prepositions"),
        issuing_verbs=words("issuing_verbs"),
        travel_words=words("travel_words"),
        homecoming_verbs=words("homecoming_verbs"),
        leader_nouns=words("leader_nouns"),
        leader_titles=tuple(str(w).casefold() for w in raw["leader_titles"]),
        side_nouns=words("side_nouns"),
        side_groups=words("side_groups"),
        side_of_preps=words("side_of_preps"),
        member_groups=words("member_groups") | words("side_groups"),
        membership_verbs=words("membership_verbs"),
        companion_verbs=words("companion_verbs"),
        counterpart_nouns=words("counterpart_nouns"),
        opposing_nouns=words("opposing_nouns"),
        name_particles=words("name_particles"),
        official_titles=words("official_titles"),
        role_topic_prepositions=words("role_topic_prepositions"),
        not_engagement_preps={str(k): frozenset(map(str, v)) for k, v in raw["not_engagement_preps"].items()},
        age=re.compile(raw["age_pattern"]),
    )

@lru_cache(maxsize=1)
def first_names() -> Callable[[str], str]:
    """First name -> male | female | unknown, from the gender-guesser package.

    "unknown" also means "not a first name it knows" ("Envoy", "Wenbin").
    """
    try:
        import gender_guesser.detector as gd
    except ImportError:  # pragma: no cover - a pinned dependency
        return lambda name: "unknown"
    detector = gd.Detector(case_sensitive=False)

    def guess(name: str) -> str:
        g = detector.get_gender(name)
        return {"male": "male", "mostly_male": "male", "female": "female", "mostly_female": "female"}.get(g, "unknown")

    return guess


IRREGULAR = {
    "say": ["said"],
    "tell": ["told"],
    "write": ["wrote", "written"],
    "speak": ["spoke", "spoken"],
    "meet": ["met"],
    "hold": ["held"],
    "make": ["made"],
    "go": ["went", "gone"],
    "take": ["took", "taken"],
    "give": ["gave", "given"],
    "seek": ["sought"],
    "put off": ["putting off"],
    "call off": ["called off", "calling off"],
}


def inflections(words: list[str] | set[str]) -> set[str]:
    """Every word with its regular -s, -ed and -ing forms (and common irregular ones)."""
    forms: set[str] = set()
    for w in words:
        w = w.lower().strip()
        if not w:
            continue
        forms.add(w)
        forms.update(IRREGULAR.get(w, []))
        if " " in w:
            continue
        forms.update({w + "s", w + "es", w + "ed", w + "d", w + "ing"})
        if w.endswith("e"):
            forms.add(w[:-1] + "ing")
        if w.endswith("y") and len(w) > 2 and w[-2] not in "aeiou":
            forms.update({w[:-1] + "ied", w[:-1] + "ies"})
        if len(w) > 2 and w[-1] not in "aeiouwyx" and w[-2] in "aeiou" and w[-3] not in "aeiou":
            forms.update({w + w[-1] + "ed", w + w[-1] + "ing"})  # "plan" -> "planned"
    return forms


@dataclass(frozen=True)
class IssueWords:
    """The words the issue suggestions read (english.yaml `issue_suggestions`)."""

    conflict_cues: frozenset[str]  # base forms and their inflections
    topic_heads: frozenset[str]
    topic_prepositions: frozenset[str]
    vague_modifiers: frozenset[str]
    frame_nouns: frozenset[str]
    generic_nouns: frozenset[str]


@lru_cache(maxsize=1)
def issue_words() -> IssueWords:
    raw = _raw()["issue_suggestions"]

    def words(name: str) -> frozenset[str]:
        return frozenset(str(w).casefold() for w in raw[name])

    cues = words("conflict_cues")
    return IssueWords(
        conflict_cues=frozenset(inflections(set(cues))),
        topic_heads=words("topic_heads"),
        topic_prepositions=words("topic_prepositions"),
        vague_modifiers=words("vague_modifiers"),
        frame_nouns=words("frame_nouns"),
        generic_nouns=words("generic_nouns"),
    )
