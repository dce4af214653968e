"""The seeds folder's listing, held as a table and changed file by file.

`corpus.scan_seeds` lists the whole folder; after that, the watcher names the
files that changed, and only those are looked at again. The table answers
"is this file listed" and "does the listing hold anything in that folder" at
once, so a change of k files costs k looks, however large the folder.

The rules are those of a full scan (a hidden file is listed as such, a file
in a folder the listing has never seen needs a full scan, since the folder
may hold others); `tests/test_delta_refresh.py` checks the two agree.
"""

from __future__ import annotations

import functools
import os
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from tui.corpus import MAX_DEPTH, Listing, _file_entry, _printable

Entry = tuple[str, "str | None", "str | None", tuple[int, int]]


def _parents(doc_id: str) -> Iterable[str]:
    parts = doc_id.split("/")[:-1]
    for n in range(1, len(parts) + 1):
        yield "/".join(parts[:n])


class FolderIndex:
    """The listing of one seeds folder: its lines by id, and how many files each folder holds."""

    def __init__(self, folder: Path, listing: Listing) -> None:
        self.folder = Path(folder)
        self.entries: dict[str, Entry] = {e[0]: e for e in listing}
        self._folders: Counter[str] = Counter(p for doc_id in self.entries for p in _parents(doc_id))
        self._listing: Listing | None = listing

    def changes(self, paths: Iterable[str]) -> dict[str, Entry | None] | None:
        """Each changed file's listing line now (None: it went), by id; None
        when a full scan is needed: a folder appeared, went or changed, a path
        lies outside the folder, or a name needs escaping (the order of the
        listing is then not the order of the ids). Looks at the files only."""
        root = os.path.abspath(self.folder)
        out: dict[str, Entry | None] = {}
        for path in set(paths):
            full = os.path.abspath(path)
            rel_parts = os.path.relpath(full, root).split(os.sep)
            if rel_parts[0] in ("..", ".") or len(rel_parts) > MAX_DEPTH:
                return None
            if any(part.startswith(".") for part in rel_parts[:-1]):
                continue  # inside a hidden folder: listed once as that folder, never read
            rel = "/".join(rel_parts)
            if _printable(rel) != rel or "\\" in rel:
                return None
            exists = os.path.lexists(full)
            if os.path.isdir(full) or (not exists and rel not in self.entries):
                return None  # a folder (or what may have been one)
            parent = rel.rpartition("/")[0]
            if parent and not self._folders.get(parent):
                return None  # a file in a folder the listing holds nothing of
            if not exists:
                out[rel] = None
                continue
            name = rel_parts[-1]
            if name.startswith("."):
                out[rel] = (rel, None, "hidden file, not read", (0, 0))
            else:
                listed = os.path.join(str(self.folder), *rel_parts)  # as the scan writes it
                out[rel] = _file_entry(name, listed, rel, functools.partial(os.stat, full))
        return out

    def apply(self, changes: dict[str, Entry | None]) -> None:
        for rel, entry in changes.items():
            had = self.entries.pop(rel, None)
            if had is not None:
                self._folders.subtract(_parents(rel))
            if entry is not None:
                self.entries[rel] = entry
                self._folders.update(_parents(rel))
            if (had is None) != (entry is None) or had != entry:
                self._listing = None

    def listing(self) -> Listing:
        """The listing as a full scan would give it (sorted only when asked, after a change)."""
        if self._listing is None:
            self._listing = tuple(self.entries[k] for k in sorted(self.entries, key=lambda k: k.split("/")))
        return self._listing
