"""No rule names a word of the sample or of a fixture.

Vocabulary belongs in config.yaml; the extraction code and the packaged
English lexicon must work for any relation. This scans the string literals of
tui/extract (docstrings and comments are examples, not rules) and the lexicon
for the proper names the sample's and the fixtures' configs hold.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CONFIGS = [ROOT / "config.yaml", *sorted((ROOT / "tests" / "fixtures").glob("*/config.yaml"))]
# Words of English that also occur inside names ("Foreign Office", "the Commission").
GENERIC = {
    "the", "of", "and", "for", "house", "office", "minister", "ministry", "foreign", "street", "commission",
    "party", "national", "union", "united", "states", "kingdom", "european", "president", "prime", "state",
    "department", "council", "government", "affairs", "external", "security", "force", "forces", "defence",
    "defense", "secretary", "general", "lord", "sir", "white", "army", "navy", "court", "bank", "number",
    "organization", "organisation", "agency", "committee", "service", "news", "times", "post", "premier",
    "trade", "new", "people",
    # particles of names in many languages ("Von der Leyen", "van Gogh"): the grammar of names, not a name
    "von", "van", "der", "den", "del", "della",
}


def names() -> set[str]:
    words: set[str] = set()
    for path in CONFIGS:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for entry in [*(data.get("parties") or []), *(data.get("actors") or [])]:
            for name in [entry["name"], *(entry.get("aliases") or [])]:
                for w in re.findall(r"[A-Za-z\u00c0-\u024f]{3,}", str(name)):
                    if w[0].isupper() and w.casefold() not in GENERIC:
                        words.add(w.casefold())
    return words


def literals(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        n.value
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docstrings
    ]


def test_the_configs_give_names_to_look_for():
    assert {"blinken", "modi", "barnier"} <= names()


def test_no_extraction_rule_names_a_fixture_word():
    banned = names()
    hits = []
    for path in sorted((ROOT / "tui" / "extract").glob("*.py")):
        for text in literals(path):
            for w in re.findall(r"[A-Za-z\u00c0-\u024f]{3,}", text):
                if w.casefold() in banned:
                    hits.append(f"{path.name}: {w!r} in {text[:60]!r}")
    lexicon = yaml.safe_load((ROOT / "tui" / "extract" / "english.yaml").read_text(encoding="utf-8"))
    for w in re.findall(r"[A-Za-z\u00c0-\u024f]{3,}", yaml.safe_dump(lexicon)):
        if w.casefold() in banned:
            hits.append(f"english.yaml: {w!r}")
    assert not hits, hits
