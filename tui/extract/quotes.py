"""Direct quotations and their speakers."""

from __future__ import annotations

from spacy.tokens import Doc

from tui.config import Config
from tui.extract.actors import DocActors
from tui.extract.models import QuoteMention


def find_quotes(doc: Doc, doc_id: str, config: Config, actors: DocActors) -> list[QuoteMention]:
    return []
