"""What polling remembers between runs, in the state folder (never in config.yaml).

Per feed: its validators (ETag, Last-Modified) for conditional requests,
failures and when to try again, and what the last poll found. For every
feed: the canonical URLs and text digests already written, so no article is
fetched or written twice. One JSON file per config, written atomically; a
broken file is a warning and polling starts afresh (the articles already in
seeds/feeds/ are still recognised: their URLs are read back from the files).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tui.paths import user_dir

STATE_ENV = "TUI_STATE_DIR"
VERSION = 1
MAX_REMEMBERED = 100_000  # URLs and digests each; the oldest are forgotten first


def state_path(config_path: Path) -> Path:
    """$TUI_STATE_DIR/feeds-<digest of the config's path>.json (or the XDG state folder)."""
    digest = hashlib.sha256(str(Path(config_path).resolve()).encode()).hexdigest()[:16]
    return user_dir(STATE_ENV, "XDG_STATE_HOME", ".local", "state") / f"feeds-{digest}.json"


@dataclass
class FeedRecord:
    etag: str | None = None
    modified: str | None = None
    failures: int = 0
    next_poll: float = 0.0  # seconds since the epoch; 0: due now
    last_poll: float | None = None
    last_ok: float | None = None
    last_error: str | None = None
    last_new: int = 0  # articles written by the last poll
    total_new: int = 0
    items: int = 0  # items the last read of the feed listed
    last_item: str | None = None  # YYYY-MM-DD of its newest item
    title: str | None = None
    note: str | None = None  # what was odd about the last read

    @classmethod
    def from_json(cls, data: Any) -> FeedRecord:
        record = cls()
        if not isinstance(data, dict):
            return record
        for f in dataclasses.fields(cls):
            value = data.get(f.name)
            if value is None:
                continue
            want = {"str | None": str, "int": int, "float": float, "float | None": float}.get(str(f.type))
            if want is float and isinstance(value, int | float) and not isinstance(value, bool):
                setattr(record, f.name, float(value))
            elif want is not None and isinstance(value, want) and not isinstance(value, bool):
                setattr(record, f.name, value)
        return record


class FeedState:
    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.feeds: dict[str, FeedRecord] = {}
        self.urls: dict[str, float] = {}  # canonical URL -> when first seen
        self.texts: dict[str, float] = {}  # digest of the normalised text -> when written
        self.warning: str | None = None
        self._stamp: tuple[int, int] | None = None  # the file as last read or written
        if path is not None:
            self.load()

    def _file_stamp(self) -> tuple[int, int] | None:
        if self.path is None:
            return None
        try:
            st = self.path.stat()
        except OSError:
            return None
        return (st.st_size, st.st_mtime_ns)

    def changed_on_disk(self) -> bool:
        """Another process (a cron `tui fetch`) wrote the file since we last did."""
        return self.path is not None and self._file_stamp() != self._stamp

    def load(self) -> None:
        assert self.path is not None
        self.feeds, self.urls, self.texts = {}, {}, {}
        self._stamp = self._file_stamp()
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return
        except (OSError, ValueError) as exc:
            self.warning = f"{self.path}: feed state not read ({type(exc).__name__}); starting afresh"
            return
        if not isinstance(data, dict) or not isinstance(data.get("feeds"), dict):
            self.warning = f"{self.path}: feed state not read (not a tui feed state file); starting afresh"
            return
        self.feeds = {str(url): FeedRecord.from_json(rec) for url, rec in data["feeds"].items()}
        for name, target in (("urls", self.urls), ("texts", self.texts)):
            values = data.get(name)
            if isinstance(values, dict):
                for key, when in values.items():
                    if isinstance(when, int | float) and not isinstance(when, bool):
                        target[str(key)] = float(when)

    def record(self, url: str) -> FeedRecord:
        return self.feeds.setdefault(url, FeedRecord())

    def save(self) -> str | None:
        """Write the state; a one-line problem, or None."""
        if self.path is None:
            return None
        for remembered in (self.urls, self.texts):
            if len(remembered) > MAX_REMEMBERED:
                keep = sorted(remembered.items(), key=lambda kv: kv[1])[-MAX_REMEMBERED:]
                remembered.clear()
                remembered.update(keep)
        data = {
            "version": VERSION,
            "feeds": {url: dataclasses.asdict(rec) for url, rec in self.feeds.items()},
            "urls": self.urls,
            "texts": self.texts,
        }
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
            os.replace(tmp, self.path)
        except OSError as exc:
            return f"{self.path}: cannot keep the feed state: {exc.strerror or exc}"
        self._stamp = self._file_stamp()
        return None
