"""What does not concern the relation stays out of the panes."""

from __future__ import annotations

from tui.engine import Engine

OFF_TOPIC = """\
---
title: Elsewhere
date: 2024-03-05
---
Freedonian Foreign Minister Ana Ruiz spoke in Geneva on Tuesday about the weather.

Carla Weber, the Ostrian envoy, will meet Paul Lind of Norland in Vienna on March 12.

"The rain will not stop us," Weber told reporters.

"We have always loved rain," Ruiz said.
"""

ON_TOPIC = """\
---
title: Ruiz to visit
date: 2024-03-05
---
Freedonian Foreign Minister Ana Ruiz will visit Sylvania on March 20, her ministry said.

Ruiz will meet Carla Weber, an adviser to the talks, in Vale on March 21.
"""


def snapshot(relation) -> dict:
    return Engine(relation.config).refresh().to_json()


def test_an_article_about_something_else_shows_no_engagement_and_no_stranger(small_relation):
    small_relation.write_article("2024-03-05-elsewhere.md", OFF_TOPIC)
    snap = snapshot(small_relation)
    doc = next(d for d in snap["documents"] if d["id"] == "2024-03-05-elsewhere.md")
    assert doc["on_topic"] is False and doc["on_topic_reason"] == "mentions only Freedonia"
    assert not [e for e in snap["engagements"] if "Carla Weber" in e["participants"]]
    assert "Carla Weber" not in {a["name"] for a in snap["actors"]}
    quotes = {q["text"]: q["speaker"] for q in snap["quotes"] if q["doc"] == doc["id"]}
    # The watchlist's own minister is heard anywhere; a stranger elsewhere is not.
    assert quotes == {"We have always loved rain": "Ana Ruiz"}


def test_an_article_about_the_relation_keeps_an_engagement_with_one_side_in_it(small_relation):
    small_relation.write_article("2024-03-05-visit.md", ON_TOPIC)
    snap = snapshot(small_relation)
    doc = next(d for d in snap["documents"] if d["id"] == "2024-03-05-visit.md")
    assert doc["on_topic"] is True
    mine = [e for e in snap["engagements"] if "2024-03-05-visit.md" in {x["doc"] for x in e["evidence"]}]
    assert {e["when"] for e in mine} >= {"2024-03-20", "2024-03-21"}
    for e in mine:
        reasons = e["reason"]
        assert reasons["when"] and reasons["status"] and reasons["participants"]
        assert e["reported"] == ["2024-03-05"]
