"""Shared fixtures. Keep them generic; append new ones below."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

# --- a small invented relation: two parties, two ministers, two issues -----

SMALL_CONFIG = """\
relation:
  name: Freedonia - Sylvania
  as_of: latest
model: en_core_web_sm
seeds: seeds
parties:
  - name: Freedonia
    aliases: [Freedonian]
    color: "#2a7fd4"
  - name: Sylvania
    aliases: [Sylvanian]
    color: "#c8553d"
actors:
  - name: Ana Ruiz
    aliases: [Ruiz]
    role: Foreign Minister
    side: Freedonia
  - name: Otto Brandt
    aliases: [Brandt]
    role: Trade Minister
    side: Sylvania
  - name: Mira Holt
    aliases: [Holt]
    role: Prime Minister
    side: Sylvania
issues:
  - id: tariffs
    label: Steel tariffs
    patterns: [tariffs, steel tariffs]
  - id: fishing
    label: Fishing rights
    patterns: [fishing dispute, fishing rights]
engagements:
  cues: [meet, visit, talks, summit]
quotes:
  verbs: [say, tell, add, warn]
"""

LISBON_ARTICLE = """\
---
title: Ministers meet in Lisbon
date: 2024-03-04
---
Freedonian Foreign Minister Ana Ruiz met Sylvanian Trade Minister Otto Brandt in Lisbon on Monday.

"We will not accept new tariffs on our steel," Ruiz told reporters after the meeting.

Brandt said the two sides would meet again next week to discuss the fishing dispute.
"""


@dataclass
class Relation:
    """A config file and a seeds folder in a temporary directory."""

    root: Path

    @property
    def config(self) -> Path:
        return self.root / "config.yaml"

    @property
    def seeds(self) -> Path:
        return self.root / "seeds"

    def write_article(self, name: str, text: str) -> Path:
        path = self.seeds / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path


@pytest.fixture
def small_relation(tmp_path: Path) -> Relation:
    """Freedonia - Sylvania: config.yaml and seeds/ holding one short article."""
    relation = Relation(tmp_path)
    relation.config.write_text(SMALL_CONFIG, encoding="utf-8")
    relation.write_article("2024-03-04-lisbon.md", LISBON_ARTICLE)
    return relation


# --- Textual: what the screen shows, as plain text -----------------------------


def _screen_text(app) -> str:
    """The current screen as the user sees it, without colours."""
    import io

    from rich.console import Console

    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True,
                      color_system=None, record=True, legacy_windows=False)
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    console.print(update)
    return console.export_text()


@pytest.fixture
def screen_text():
    """`screen_text(app)` -> the current screen as plain text."""
    return _screen_text


# --- the result cache: never the user's own ----------------------------------


@pytest.fixture(autouse=True)
def _private_result_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every test gets an empty cache folder, so no test reads or fills ~/.cache/tui
    and none depends on what an earlier test left there. A test may still set
    TUI_CACHE_DIR itself. The same for the rows seen ($TUI_STATE_DIR)."""
    monkeypatch.setenv("TUI_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.setenv("TUI_STATE_DIR", str(tmp_path_factory.mktemp("state")))


# --- one spaCy pipeline per distinct config for the whole session ----------------


@pytest.fixture(scope="session")
def _pipeline_memo():
    """Engines built during the session share pipelines: loading spaCy once per
    distinct config instead of once per test keeps the suite fast."""
    import tui.engine

    build = tui.engine.build_pipeline
    built: dict[str, object] = {}

    def build_once(config):
        key = config.model_dump_json()
        if key not in built:
            built[key] = build(config)
        return built[key]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tui.engine, "build_pipeline", build_once)
        yield


@pytest.fixture
def shared_pipelines(_pipeline_memo):
    """Use in tests that start many engines over the same config."""


# --- a local HTTP server for the feed tests ------------------------------------


@pytest.fixture
def feed_server():
    """A FeedServer on 127.0.0.1 (tests/feed_server.py), stopped after the test."""
    from tests.feed_server import FeedServer, start

    server = FeedServer()
    httpd, thread = start(server)
    try:
        yield server
    finally:
        server.released.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join(10)
