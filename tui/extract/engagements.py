"""Planned meetings, visits, talks, calls and summits."""

from __future__ import annotations

from spacy.tokens import Doc

from tui.config import Config
from tui.extract.actors import DocActors
from tui.extract.models import EngagementMention, QuoteMention


def find_engagements(
    doc: Doc, doc_id: str, published: str | None, config: Config, actors: DocActors,
    quotes: list[QuoteMention],
) -> list[EngagementMention]:
    return []
