"""Which rows the analyst has seen, kept between sessions.

A row is new (marked ●) while its meaning (`Row.signature`) differs from the
one last seen under its key. A row becomes seen when the cursor rests on it
or on "mark all seen". The state is a small JSON file per config, so opening
`tui` in the morning marks what arrived overnight. With no file yet (the
first run, or no place to keep one) the first picture is taken as seen: the
first look marks nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from tui.paths import STATE_ENV as STATE_ENV  # re-exported: the state folder is shared with the inbox
from tui.paths import state_dir

VERSION = 1


def state_path(config_path: Path) -> Path:
    """One file per config: two relations followed side by side keep their own marks."""
    digest = hashlib.sha256(str(Path(config_path).resolve()).encode()).hexdigest()[:16]
    return state_dir() / f"seen-{digest}.json"


def digest(signature: tuple[Any, ...]) -> str:
    return hashlib.sha1(repr(signature).encode("utf-8", "replace")).hexdigest()[:12]


class SeenState:
    """kind -> row key -> digest of the signature last seen."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self.rows: dict[str, dict[str, str]] = {}
        self.known = False  # False until a state was read or a first picture adopted
        self.dirty = False
        self.warning: str | None = None
        if path is not None:
            self._load(path)

    def _load(self, path: Path) -> None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return
        except (OSError, ValueError) as exc:
            self.warning = f"{path}: seen rows not read ({type(exc).__name__}); starting afresh"
            return
        rows = data.get("rows") if isinstance(data, dict) else None
        if not isinstance(rows, dict):
            self.warning = f"{path}: seen rows not read (not a tui state file); starting afresh"
            return
        for kind, keys in rows.items():
            if isinstance(kind, str) and isinstance(keys, dict):
                self.rows[kind] = {str(k): str(v) for k, v in keys.items()}
        self.known = True

    def adopt(self, rows_by_kind: dict[str, Iterable[tuple[str, tuple[Any, ...]]]]) -> None:
        """Take a whole picture as seen (the first one, when nothing was kept)."""
        for kind, rows in rows_by_kind.items():
            seen = self.rows.setdefault(kind, {})
            for key, signature in rows:
                seen[key] = digest(signature)
        self.known = True
        self.dirty = True

    def is_new(self, kind: str, key: str, signature: tuple[Any, ...]) -> bool:
        return self.rows.get(kind, {}).get(key) != digest(signature)

    def mark(self, kind: str, key: str, signature: tuple[Any, ...]) -> None:
        value = digest(signature)
        seen = self.rows.setdefault(kind, {})
        if seen.get(key) != value:
            seen[key] = value
            self.dirty = True

    def save(self) -> str | None:
        """Write the state if it changed; a one-line problem, or None."""
        if self.path is None or not self.dirty:
            return None
        data = {"version": VERSION, "rows": self.rows}
        tmp = self.path.with_name(self.path.name + ".tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
            os.replace(tmp, self.path)
        except OSError as exc:
            return f"{self.path}: cannot keep seen rows: {exc.strerror or exc}"
        self.dirty = False
        return None
