"""config.yaml -> a validated, typed `Config`.

Every error is one line that names the file, the line and the key, and
suggests a near miss where there is one:
`config.yaml:14: actors[2].side: 'Chna' is not a party; did you mean 'China'?`

YAML is read with a safe loader (no tags that build objects); unknown keys
are errors. The vocabulary of a relation (names, aliases, roles, issue
phrases, cue words) lives here, never in code.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_core import ErrorDetails
from rapidfuzz import process as fuzz_process

from tui.extract.lexicon import english_defaults

CONFIG_ENV = "TUI_CONFIG"
MAX_CONFIG_BYTES = 1_000_000

DEFAULT_ENGAGEMENT_CUES = english_defaults()["engagement_cues"]
DEFAULT_TENTATIVE_CUES = english_defaults()["tentative"]
DEFAULT_POSTPONED_CUES = english_defaults()["postponed"]
DEFAULT_CANCELLED_CUES = english_defaults()["cancelled"]
DEFAULT_QUOTE_VERBS = english_defaults()["quote_verbs"]
DEFAULT_COLORS = ["#4e9af1", "#e5534b", "#57ab5a", "#c69026", "#b083f0", "#39c5cf"]


_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _visible(text: str) -> str:
    """Control characters (newline, ESC, ...) as escapes, so text quoted from
    the file can neither break the one-line message nor drive the terminal."""
    return _UNPRINTABLE.sub(lambda m: repr(m.group())[1:-1], text)


class ConfigError(Exception):
    """A config problem, already phrased as one line for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(_visible(message))


def _blank_controls(value: str) -> str:
    """A config string never carries terminal control codes to the screen:
    each control character (ESC, BEL, ...) becomes a space."""
    if not _UNPRINTABLE.search(value):
        return value
    return " ".join(_UNPRINTABLE.sub(" ", value).split())


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    @field_validator("*", mode="after")
    @classmethod
    def _printable(cls, value: Any) -> Any:
        if isinstance(value, str):
            return _blank_controls(value)
        if isinstance(value, list):
            return [_blank_controls(v) if isinstance(v, str) else v for v in value]
        return value


def _nonblank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value


class Relation(_Model):
    name: str = Field(description="Shown in the header, e.g. 'United States - China'.")
    as_of: str = Field(
        default="latest",
        description="latest | today | YYYY-MM-DD: the day 'upcoming' counts from.",
    )

    @field_validator("as_of", mode="before")
    @classmethod
    def _as_of(cls, value: Any) -> str:
        if isinstance(value, date):
            return value.isoformat()
        if not isinstance(value, str):
            raise ValueError("must be 'latest', 'today' or a date YYYY-MM-DD")
        if value in ("latest", "today"):
            return value
        try:
            date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"'{value}' is not 'latest', 'today' or a date YYYY-MM-DD") from None
        return value

    _name = field_validator("name")(lambda cls, v: _nonblank(v))


@lru_cache(maxsize=1)
def _packaged_office_table() -> tuple[dict[str, list[str]], dict[str, str]]:
    """(country code -> its offices, folded country name or alias -> code)."""
    def read(name: str) -> dict:
        data = yaml.safe_load(resources.files("tui").joinpath(name).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}

    offices = {str(code).upper(): [str(w) for w in words or []] for code, words in read("offices.yaml").items()}
    codes: dict[str, str] = {}
    for code, entry in read("countries.yaml").items():
        entry = entry or {}
        for name in [entry.get("name"), *entry.get("aliases", []), *entry.get("names", [])]:
            if name:
                codes.setdefault(" ".join(str(name).casefold().split()), str(code).upper())
    return offices, codes


def default_offices(names: list[str]) -> list[str]:
    """tui's offices for the country one of `names` is (tui/offices.yaml), else none."""
    offices, codes = _packaged_office_table()
    for name in names:
        code = codes.get(" ".join(name.casefold().split()))
        if code:
            return list(offices.get(code, []))
    return []


class Party(_Model):
    name: str = Field(description="Canonical name of the side, e.g. 'China'.")
    aliases: list[str] = Field(default_factory=list, description="Other names and adjectives.")
    color: str | None = Field(default=None, description="Colour of this side in the panes.")
    code: str | None = Field(
        default=None,
        max_length=4,
        description="Two to four letters for the side in narrow columns, e.g. 'US'; "
        "by default an abbreviation among the aliases.",
    )

    offices: list[str] = Field(
        default_factory=list,
        description="Offices, bodies and parties only this side has, as its own news writes them without "
        "the country ('Foreign Secretary', 'Kremlin', 'Lib Dem'): someone holding one is of this side. "
        "Left out: tui's list for the country the party names (tui/offices.yaml); [] for none.",
    )

    _name = field_validator("name")(lambda cls, v: _nonblank(v))

    @model_validator(mode="before")
    @classmethod
    def _packaged_offices(cls, data: Any) -> Any:
        if isinstance(data, dict) and "offices" not in data and isinstance(data.get("name"), str):
            aliases = data.get("aliases")
            names = [data["name"], *(a for a in aliases if isinstance(a, str))] if isinstance(aliases, list) else []
            data = {**data, "offices": default_offices(names or [data["name"]])}
        return data

    @field_validator("color")
    @classmethod
    def _color(cls, value: str | None) -> str | None:
        if value is None:
            return value
        if not re.fullmatch(r"#[0-9a-fA-F]{6}|[a-z_]+", value):
            raise ValueError(f"'{value}' is not a colour like '#4e9af1' or 'red'")
        return value


class ActorEntry(_Model):
    name: str = Field(description="Canonical name shown everywhere.")
    aliases: list[str] = Field(default_factory=list)
    role: str | None = None
    side: str | None = None
    kind: Literal["person", "organization", "country"] = "person"

    _name = field_validator("name")(lambda cls, v: _nonblank(v))


class IssueEntry(_Model):
    id: str
    label: str
    patterns: list[str] = Field(min_length=1)

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not re.fullmatch(r"[A-Za-z0-9_.-]+", value):
            raise ValueError(f"'{value}' is not an id (letters, digits, '_', '-', '.')")
        return value


class EngagementSettings(_Model):
    cues: list[str] = Field(default_factory=lambda: list(DEFAULT_ENGAGEMENT_CUES))
    tentative: list[str] = Field(default_factory=lambda: list(DEFAULT_TENTATIVE_CUES))
    postponed: list[str] = Field(default_factory=lambda: list(DEFAULT_POSTPONED_CUES))
    cancelled: list[str] = Field(default_factory=lambda: list(DEFAULT_CANCELLED_CUES))


class QuoteSettings(_Model):
    verbs: list[str] = Field(default_factory=lambda: list(DEFAULT_QUOTE_VERBS))
    min_words: int = Field(default=2, ge=1, description="Shorter quoted stretches are scare quotes.")


class DashboardSettings(_Model):
    undated_days: int = Field(
        default=30,
        ge=0,
        description="An upcoming engagement with no date that no article has reported for "
        "this many days moves to the past ones (0: never).",
    )


_DURATION = re.compile(r"(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?")
MIN_FEED_EVERY = 10  # seconds: a feed polled more often than this is no longer polite
MAX_FEED_EVERY = 7 * 24 * 3600


def parse_duration(value: Any) -> int:
    """'10m', '90s', '1h30m', '1d' or a number of seconds -> seconds."""
    if isinstance(value, bool):
        raise ValueError("must be a duration like '10m', '90s' or '1h'")
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        text = value.strip().lower().replace(" ", "")
        m = _DURATION.fullmatch(text)
        if text.isdigit():
            return int(text)
        if text and m is not None and any(m.groups()):
            d, h, mi, s = (int(g or 0) for g in m.groups())
            return ((d * 24 + h) * 60 + mi) * 60 + s
    raise ValueError(f"{value!r:.40} is not a duration like '10m', '90s' or '1h'")


class FeedEntry(_Model):
    url: str = Field(description="The feed's address (RSS 0.9x/1.0/2.0, Atom or JSON Feed), http or https.")
    every: int = Field(default=600, description="Seconds between polls ('10m', '90s', '1h' in YAML); default 10m.")
    keep: list[str] = Field(
        default_factory=list,
        description="Words of which one must appear in an item (title, summary or article) for it to be kept; "
        "empty: keep every item.",
    )

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        from urllib.parse import urlsplit

        try:
            parts = urlsplit(value)
        except ValueError:
            parts = None
        if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            raise ValueError(f"'{value}' is not an http(s) address like 'https://example.org/rss.xml'")
        if any(c.isspace() for c in value):
            raise ValueError(f"'{value}' has spaces in it; write them as %20")
        return value

    @field_validator("every", mode="before")
    @classmethod
    def _every(cls, value: Any) -> int:
        seconds = parse_duration(value)
        if not MIN_FEED_EVERY <= seconds <= MAX_FEED_EVERY:
            raise ValueError(f"{value!r:.40} is outside 10s to 7d (polling more often is not polite)")
        return seconds

    @field_validator("keep")
    @classmethod
    def _keep(cls, value: list[str]) -> list[str]:
        if any(not word.strip() for word in value):
            raise ValueError("a keep word must not be empty")
        return value


class Config(_Model):
    relation: Relation
    model: str = "en_core_web_sm"
    seeds: str = "seeds"
    parties: list[Party] = Field(min_length=1)
    actors: list[ActorEntry] = Field(default_factory=list)
    issues: list[IssueEntry] = Field(default_factory=list)
    engagements: EngagementSettings = Field(default_factory=EngagementSettings)
    quotes: QuoteSettings = Field(default_factory=QuoteSettings)
    dashboard: DashboardSettings = Field(default_factory=DashboardSettings)
    workers: int | None = Field(
        default=None,
        ge=1,
        le=256,
        description="Processes that extract articles not yet cached; default: one a core.",
    )
    cluster: str | None = Field(
        default=None,
        description="Address of a Dask scheduler (tcp://host:8786) to extract on; default: this machine.",
    )
    feeds: list[FeedEntry] = Field(
        default_factory=list,
        description="News feeds followed while tui runs (and once by `tui fetch`): a URL, or "
        "{url, every, keep}. Items are written into <seeds>/feeds/.",
    )

    @field_validator("feeds", mode="before")
    @classmethod
    def _feed_entries(cls, value: Any) -> Any:
        """A bare URL is shorthand for {url: URL}."""
        if value is None:
            return []
        if isinstance(value, list):
            return [{"url": v} if isinstance(v, str) else v for v in value]
        return value

    def party_names(self) -> list[str]:
        return [p.name for p in self.parties]

    def party_color(self, side: str | None) -> str | None:
        for i, party in enumerate(self.parties):
            if party.name == side:
                return party.color or DEFAULT_COLORS[i % len(DEFAULT_COLORS)]
        return None


@dataclass(frozen=True)
class LoadedConfig:
    """A validated config and where it came from."""

    config: Config
    path: Path
    hash: str  # of what extraction depends on (see extraction_hash)

    @property
    def seeds_dir(self) -> Path:
        return (self.path.parent / self.config.seeds).resolve()


# --- YAML with line numbers -------------------------------------------------


def _node_lines(
    node: yaml.Node,
    path: tuple[Any, ...],
    out: dict[tuple[Any, ...], int],
    seen: set[int] | None = None,
) -> None:
    """Map each key path to its line. A node reached again through a YAML
    alias (`*name`) is not walked twice: nested aliases would otherwise make
    a few lines of YAML expand into billions of paths."""
    seen = set() if seen is None else seen
    out[path] = node.start_mark.line + 1
    if id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            out[path + (key,)] = key_node.start_mark.line + 1
            _node_lines(value_node, path + (key,), out, seen)
            out[path + (key,)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _node_lines(item, path + (i,), out, seen)


def _file_size(path: Path, at_least: int) -> str:
    try:
        return f"{path.stat().st_size:,} bytes"
    except OSError:
        return f"over {at_least - 1:,} bytes"


_KEY_LINE = re.compile(r"""((?:"[^"]*"|'[^']*'|[^\s#'"\[\]{}!&*|>%@`][^#]*?)):(?:\s|$)""")


def _key_at(text: str, line: int) -> str:
    """The key path a line of possibly broken YAML belongs to, read from the
    indentation of the lines up to it (used where the parser gives no path)."""
    frames: list[tuple[int, tuple[Any, ...], bool]] = []  # (indent, path, is list item)
    counters: dict[tuple[Any, ...], int] = {}
    found: tuple[Any, ...] = ()
    last_key_indent, last_opens = 0, False
    lines = text.splitlines()[:line]
    for number, raw in enumerate(lines, start=1):
        stripped = raw.lstrip(" \t")
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(raw) - len(stripped)
        if number == len(lines) and "\t" in raw[:indent]:
            # A tab's width is unknown: take the line as a sibling of the one
            # before it (or its child, where that one opened a block).
            items = [f[0] for f in frames if f[2]]
            if stripped.startswith("- ") and items:
                indent = items[-1]
            else:
                indent = last_key_indent + (1 if last_opens else 0)
        while stripped == "-" or stripped.startswith("- "):
            while frames and (frames[-1][0], frames[-1][2]) > (indent, False):
                frames.pop()  # deeper frames, and a sibling list item at this indent
            parent = frames[-1][1] if frames else ()
            counters[parent] = counters.get(parent, -1) + 1
            found = parent + (counters[parent],)
            frames.append((indent, found, True))
            rest = stripped[1:].lstrip(" ")
            indent += len(stripped) - len(rest)
            stripped = rest
        m = _KEY_LINE.match(stripped)
        if not m:
            continue
        while frames and frames[-1][0] >= indent:
            frames.pop()
        key = m.group(1).strip().strip("\"'")
        found = (frames[-1][1] if frames else ()) + (key,)
        counters.pop(found, None)
        frames.append((indent, found, False))
        last_key_indent = indent
        last_opens = not stripped[m.end() :].split("#")[0].strip()
    return _loc_text(found)


def _line_for(lines: dict[tuple[Any, ...], int], loc: tuple[Any, ...]) -> int:
    loc = tuple(loc)
    while loc and loc not in lines:
        loc = loc[:-1]
    return lines.get(loc, 1)


def _loc_text(loc: tuple[Any, ...]) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += ("." if text else "") + str(part)
    return text or "(top level)"


class _UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that rejects duplicate keys instead of keeping the last."""


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key '{key}'", key_node.start_mark)
        seen.add(key)
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _suggest(value: str, choices: list[str]) -> str:
    if not choices:
        return ""
    match = fuzz_process.extractOne(value, choices, score_cutoff=60)
    return f"; did you mean '{match[0]}'?" if match else ""


# --- loading ----------------------------------------------------------------


def default_config_path() -> Path:
    env = os.environ.get(CONFIG_ENV)
    return Path(env) if env else Path("config.yaml")


def load_config(path: str | os.PathLike[str] | None = None) -> LoadedConfig:
    """Read and validate a config file; raise ConfigError with one line."""
    cfg_path = Path(path) if path is not None else default_config_path()
    name = str(cfg_path)
    try:
        with cfg_path.open("rb") as fh:
            raw = fh.read(MAX_CONFIG_BYTES + 1)  # a huge file is refused, not read whole
    except FileNotFoundError:
        raise ConfigError(f"{name}: no such config file") from None
    except IsADirectoryError:
        raise ConfigError(f"{name}: is a folder, not a config file") from None
    except OSError as exc:
        raise ConfigError(f"{name}: cannot read: {exc.strerror or exc}") from None
    if len(raw) > MAX_CONFIG_BYTES:
        size = _file_size(cfg_path, len(raw))
        raise ConfigError(
            f"{name}:1: (whole file): {size} is too large for a config (limit {MAX_CONFIG_BYTES:,} bytes)"
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        key = _key_at(raw.decode("utf-8", errors="replace"), line)
        raise ConfigError(f"{name}:{line}: {key}: not valid UTF-8 text") from None
    return parse_config(text, cfg_path)


def parse_config(text: str, path: Path) -> LoadedConfig:
    name = str(path)
    try:
        # One parse: the node tree gives line numbers, and the data is built from it.
        loader = _UniqueKeyLoader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        problem = exc.problem or exc.context or "invalid YAML"
        if "\t" in problem or "'\\t'" in problem or "tab" in problem.lower():
            problem = "tabs are not allowed for indentation in YAML; use spaces"
        if exc.problem and "could not determine a constructor" in exc.problem:
            problem = "YAML tags such as '!!python/...' are not allowed"
        key = _key_at(text, line)
        raise ConfigError(f"{name}:{line}: {key}: invalid YAML: {problem}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{name}:1: (top level): invalid YAML: {exc}") from None
    except RecursionError:
        raise ConfigError(f"{name}:1: (top level): invalid YAML: nested too deeply") from None
    if data is None:
        raise ConfigError(f"{name}:1: (top level): the config is empty; it needs at least 'relation' and 'parties'")
    if not isinstance(data, dict):
        raise ConfigError(f"{name}:1: (top level): the config must be a mapping of keys (relation, parties, ...)")
    lines: dict[tuple[Any, ...], int] = {}
    if node is not None:
        _node_lines(node, (), lines)

    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(err["loc"])
        line = _line_for(lines, loc)
        raise ConfigError(f"{name}:{line}: {_loc_text(loc)}: {_describe(err, loc)}") from None

    _check_references(config, name, lines)
    return LoadedConfig(config=config, path=path, hash=extraction_hash(config))


def extraction_hash(config: Config) -> str:
    """What per-article results depend on: not the relation's name, the
    as-of day, the seeds folder, the colours or the feeds, so editing those
    re-extracts nothing."""
    data = config.model_dump(
        mode="json",
        exclude={"relation": True, "seeds": True, "dashboard": True, "workers": True, "cluster": True, "feeds": True},
    )
    for party in data["parties"]:
        party.pop("color", None)
        party.pop("code", None)
    canonical = json.dumps(data, sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


_KNOWN_KEYS = {
    (): list(Config.model_fields),
    ("relation",): list(Relation.model_fields),
    ("engagements",): list(EngagementSettings.model_fields),
    ("quotes",): list(QuoteSettings.model_fields),
    ("dashboard",): list(DashboardSettings.model_fields),
}


def _describe(err: ErrorDetails, loc: tuple[Any, ...]) -> str:
    kind = err["type"]
    if kind == "extra_forbidden":
        parent = tuple(p for p in loc[:-1] if not isinstance(p, int))
        known = _KNOWN_KEYS.get(parent)
        if known is None and parent:
            known = {
                "parties": list(Party.model_fields),
                "actors": list(ActorEntry.model_fields),
                "issues": list(IssueEntry.model_fields),
                "feeds": list(FeedEntry.model_fields),
            }.get(parent[-1], [])
        return f"unknown key '{loc[-1]}'{_suggest(str(loc[-1]), known or [])}"
    if kind == "missing":
        return "is required"
    if kind == "literal_error":
        value = err.get("input")
        expected = err.get("ctx", {}).get("expected", "")
        choices = re.findall(r"'([^']+)'", expected)
        return f"'{value}' is not one of {expected}{_suggest(str(value), choices)}"
    msg = err["msg"]
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    value = err.get("input")
    if kind.endswith("_type") and not isinstance(value, (dict, list)):
        return f"{msg.lower()} (got {value!r:.60})"
    return msg[0].lower() + msg[1:] if msg else kind


def _check_references(config: Config, name: str, lines: dict[tuple[Any, ...], int]) -> None:
    """Cross-field checks: sides name parties; names and aliases are unambiguous."""

    def fail(loc: tuple[Any, ...], message: str) -> None:
        raise ConfigError(f"{name}:{_line_for(lines, loc)}: {_loc_text(loc)}: {message}")

    parties = config.party_names()
    owners: dict[str, tuple[str, tuple[Any, ...]]] = {}

    def claim(alias: str, owner: str, loc: tuple[Any, ...]) -> None:
        key = alias.casefold()
        if not key.strip():
            fail(loc, "an alias must not be empty")
        if key in owners and owners[key][0] != owner:
            other, other_loc = owners[key]
            fail(
                loc,
                f"'{alias}' names both '{other}' ({_loc_text(other_loc)}, line "
                f"{_line_for(lines, other_loc)}) and '{owner}'; give it to one of them",
            )
        owners.setdefault(key, (owner, loc))

    seen_parties: dict[str, int] = {}
    for i, party in enumerate(config.parties):
        if party.name.casefold() in seen_parties:
            fail(("parties", i, "name"), f"duplicate party '{party.name}'")
        seen_parties[party.name.casefold()] = i
        claim(party.name, party.name, ("parties", i, "name"))
        for j, alias in enumerate(party.aliases):
            claim(alias, party.name, ("parties", i, "aliases", j))

    seen_actors: dict[str, int] = {}
    for i, actor in enumerate(config.actors):
        if actor.name.casefold() in seen_actors:
            first = seen_actors[actor.name.casefold()]
            fail(("actors", i, "name"), f"duplicate actor '{actor.name}' (also actors[{first}])")
        seen_actors[actor.name.casefold()] = i
        if actor.side is not None and actor.side not in parties and actor.side != "other":
            fail(
                ("actors", i, "side"),
                f"'{actor.side}' is not a party{_suggest(actor.side, parties)}",
            )
        if actor.name.casefold() in seen_parties:
            fail(("actors", i, "name"), f"'{actor.name}' is already a party")
        claim(actor.name, actor.name, ("actors", i, "name"))
        for j, alias in enumerate(actor.aliases):
            claim(alias, actor.name, ("actors", i, "aliases", j))

    seen_issues: dict[str, int] = {}
    for i, issue in enumerate(config.issues):
        if issue.id in seen_issues:
            fail(("issues", i, "id"), f"duplicate issue id '{issue.id}' (also issues[{seen_issues[issue.id]}])")
        seen_issues[issue.id] = i
        for j, pattern in enumerate(issue.patterns):
            if not pattern.strip():
                fail(("issues", i, "patterns", j), "a pattern must not be empty")
    for key in ("cues",):
        if not getattr(config.engagements, key):
            fail(("engagements", key), "needs at least one cue word")
    if not config.quotes.verbs:
        fail(("quotes", "verbs"), "needs at least one verb")
    seen_feeds: dict[str, int] = {}
    for i, feed in enumerate(config.feeds):
        if feed.url in seen_feeds:
            fail(("feeds", i, "url"), f"duplicate feed '{feed.url}' (also feeds[{seen_feeds[feed.url]}])")
        seen_feeds[feed.url] = i
