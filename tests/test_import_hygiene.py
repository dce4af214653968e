"""The headless core stays headless: extraction, config, corpus, engine and
`tui extract` never load the dashboard's libraries, and reading a cached
picture never loads spaCy."""

from __future__ import annotations

import subprocess
import sys


def _modules_after(code: str) -> set[str]:
    probe = f"{code}\nimport sys\nprint('\\n'.join(sorted(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return set(result.stdout.split())


def test_headless_core_imports_no_textual_or_rich():
    loaded = _modules_after("import tui.config, tui.corpus, tui.engine, tui.store, tui.summary, tui.doctor")
    assert not {m for m in loaded if m.split(".")[0] in ("textual", "rich")}


def test_extraction_imports_no_textual():
    # spaCy's own command line brings in rich; textual must never come in.
    loaded = _modules_after(
        "import tui.extract.actors, tui.extract.quotes, tui.extract.engagements, tui.extract.issues"
    )
    assert not {m for m in loaded if m.split(".")[0] == "textual"}


def test_the_engine_loads_without_spacy():
    loaded = _modules_after("import tui.engine")
    assert "spacy" not in loaded
