"""What the panes and detail screens show, computed without an app."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tui.ui import view


@pytest.mark.parametrize(
    ("days", "when", "granularity", "shown"),
    [
        (0, "2024-03-06", "day", "today"),
        (1, "2024-03-07", "day", "tomorrow"),
        (2, "2024-03-08", "day", "in 2 days"),
        (-3, "2024-03-03", "day", "3 days ago"),
        (200, "2024-09-22", "day", "22 Sep 2024"),
        (180, "2023-09", "month", "Sep 2023"),
        (300, "2024", "year", "2024"),
        (None, None, None, "date unknown"),
    ],
)
def test_countdown_from_the_as_of_date(days, when, granularity, shown):
    assert view.countdown(days, when, granularity) == shown


def test_clean_removes_control_characters_and_keeps_markup_characters():
    text = "a\x1b[31mred\x1b[0m [bold]x[/bold] \x9b2J\x07"
    cleaned = view.clean(text)
    assert "\x1b" not in cleaned and "\x9b" not in cleaned and "\x07" not in cleaned
    assert "[bold]x[/bold]" in cleaned and "[31mred" in cleaned


def test_highlight_marks_exactly_the_matched_words():
    sentence = "Ruiz met Brandt in Lisbon."
    evidence = SimpleNamespace(sentence=sentence, sent_start=100, start=109, end=115)
    text = view.highlight(evidence)
    assert [text.plain[s.start : s.end] for s in text.spans] == ["Brandt"]


def test_highlight_survives_offsets_outside_the_sentence():
    evidence = SimpleNamespace(sentence="Short.", sent_start=0, start=40, end=50)
    assert view.highlight(evidence).plain == "Short."


def _docs(**ids):
    return SimpleNamespace(
        documents=[SimpleNamespace(id=k, content_hash=v) for k, v in ids.items()]
    )


def test_change_summary_counts_added_changed_renamed_removed():
    old = _docs(a="1", b="2", c="3", d="4")
    new = _docs(a="1", b="2x", c2="3", e="5", f="6")
    assert view.change_summary(old, new) == "2 articles added, 1 changed, 1 renamed, 1 removed"
    assert view.change_summary(old, old) is None
    assert view.change_summary(None, new) is None
    assert view.change_summary(_docs(a="1"), _docs()) == "1 article removed"


@pytest.mark.parametrize("kind", view.KINDS)
@pytest.mark.parametrize("width", [40, 56, 76, 116, 196])
def test_columns_fill_the_width_and_drop_the_least_important_first(kind, width):
    widths = view.column_widths(kind, width)
    spec = view.COLUMNS[kind]
    kept = [c for c in spec if c.key in widths]
    assert sum(widths.values()) + 2 * len(kept) == width  # no sideways scrolling, no gap
    assert all(widths[c.key] >= c.min for c in kept)
    dropped = [c for c in spec if c.key not in widths]
    if dropped:
        assert max(c.importance for c in dropped) <= min(c.importance for c in kept)


def _row(*cells):
    from rich.text import Text

    return view.Row("k", tuple(Text(c) for c in cells), "", ())


def test_short_columns_get_what_their_content_needs_and_the_quote_the_rest():
    rows = [_row("18 Jun", "Antony Blinken", "US", "x" * 300)]
    widths = view.column_widths("quote", 116, rows)
    assert widths["speaker"] == len("Antony Blinken")
    assert widths["date"] == len("18 Jun") and widths["side"] == len("Side")
    assert widths["text"] == 116 - 8 - sum(w for k, w in widths.items() if k != "text")


def test_short_names_and_side_codes():
    from types import SimpleNamespace

    ctx = view.ViewContext(codes={"Sylvania": "SY"})
    person = SimpleNamespace(kind="person", name="Antonia Blinkerton", aliases=("Blinkerton",))
    short = SimpleNamespace(kind="person", name="Qin Gang", aliases=("Qin",))
    country = SimpleNamespace(kind="country", name="Sylvania", aliases=())
    actors = {a.name: a for a in (person, short, country)}
    assert view.who_text(["Antonia Blinkerton", "Qin Gang"], actors, ctx) == "Blinkerton – Qin Gang"
    assert view.who_text(["Sylvania", "Antonia Blinkerton", "Qin Gang"], actors, ctx) == (
        "SY, Blinkerton, Qin Gang"
    )
    assert view.party_code("Freedonia", ["F.R.", "Freedonian"]) == "FR"
    assert view.party_code("United Provinces", []) == "UP"
    assert view.party_code("Sylvania", [], code="SYL") == "SYL"
    assert view.party_code("Sylvania", []) == "SYL"


def test_change_summary_counts_non_articles_apart():
    from types import SimpleNamespace

    def docs(**ids):
        return SimpleNamespace(
            documents=[
                SimpleNamespace(id=k, content_hash=v, status="skipped" if k.endswith(".png") else "ok")
                for k, v in ids.items()
            ]
        )

    old = docs(a="1")
    new = docs(a="1x", **{"b.png": "2", "c.png": "3"})
    assert view.change_summary(old, new) == "1 article changed; 2 non-article files ignored"
    assert view.change_summary(new, new) is None


def test_upcoming_sorts_a_month_at_its_end_and_undated_last():
    from types import SimpleNamespace

    from tui.ui.view import visible_engagements

    def eng(id_, when, days, granularity=None, when_end=None):
        return SimpleNamespace(id=id_, when=when, days_until=days, granularity=granularity,
                               when_end=when_end, upcoming=True)

    snap = SimpleNamespace(
        as_of="2024-06-04",
        engagements=[
            eng("undated", None, None),
            eng("june", "2024-06", -3, "month"),
            eng("tomorrow", "2024-06-05", 1, "day"),
            eng("next-week", "2024-06-10", 6, "week", "2024-06-16"),
            eng("june-20", "2024-06-20", 16, "day"),
            eng("2025", "2025", 211, "year"),
        ],
    )
    order = [e.id for e in visible_engagements(snap, show_past=False)]
    assert order == ["tomorrow", "next-week", "june-20", "june", "2025", "undated"]


def test_a_link_to_a_party_does_not_name_it_twice():
    from types import SimpleNamespace

    china = SimpleNamespace(id="c", name="Sylvania", role=None, side="Sylvania", kind="country", aliases=())
    issue = SimpleNamespace(actors=("Sylvania",))
    snap = SimpleNamespace(actors=[china], as_of=None)
    [link] = view.links_of("issue", issue, snap, view.ViewContext())
    assert link.label.plain == "actor  Sylvania"
