"""Messages between the refresh worker, the watcher and the app."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from textual.message import Message


@dataclass
class SnapshotReady(Message):
    """A refresh finished; `generation` says which request it answers."""

    generation: int
    snapshot: Any
    colors: dict[str, str | None]
    seeds_dir: Any
    extracted: int = 0
    cached: int = 0
    codes: dict[str, str] = field(default_factory=dict)  # party -> short code
    undated_days: int = 30


@dataclass
class RefreshFailed(Message):
    """A refresh stopped on bad input; `error` is one line for the user."""

    generation: int
    error: str
    kind: str = "error"  # "config" | "seeds" | "error"


@dataclass
class RefreshProgress(Message):
    generation: int
    done: int
    total: int
    what: str


@dataclass
class OpenRecord(Message):
    """A screen asks for a record's detail; the app routes it."""

    kind: str
    record_id: str


@dataclass
class OpenArticle(Message):
    """A screen asks for the article a record came from ($PAGER or the browser)."""

    kind: str
    record_id: str


@dataclass
class SortPane(Message):
    """`s`/`S` on a pane: its next or previous order."""

    kind: str
    step: int = 1


@dataclass
class FilesChanged(Message):
    """The watcher saw seeds or the config change (already debounced)."""

    paths: list[str] = field(default_factory=list)
    config: bool = False

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, FilesChanged) and message.config == self.config


@dataclass
class AddToWatchlist(Message):
    """The entry form is saved: add `entry` to config.yaml's actors. `base` is
    the config as read when the form opened (to tell whether it changed since)."""

    entry: dict[str, Any]
    base: Any
    key: str  # the suggestion it came from
    section: str = "actors"  # or "issues"


@dataclass
class DismissSuggestion(Message):
    """`x` in the inbox: never suggest this one again for this config."""

    key: str
    name: str


@dataclass
class FeedsPolled(Message):
    """A poll of the feeds finished: one report a feed polled, and every feed's health."""

    reports: list[Any] = field(default_factory=list)
    health: list[Any] = field(default_factory=list)
    warning: str | None = None
