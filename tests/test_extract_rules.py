"""The language rules under the extraction: dates, quote marks, datelines,
and the rule-only fallback when no spaCy model loads."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tui.extract.dates import is_duration, resolve_date
from tui.extract.quotes import find_quote_spans
from tui.layout import dateline

ROOT = Path(__file__).resolve().parent.parent

# Sunday 18 June 2023, like the sample.
PUB = "2023-06-18"


@pytest.mark.parametrize(
    ("text", "tense", "when", "granularity"),
    [
        ("Sunday", None, "2023-06-18", "day"),  # the day of publication
        ("on Monday", None, "2023-06-19", "day"),
        ("Friday", "past", "2023-06-16", "day"),  # "said Friday"
        ("next Tuesday", None, "2023-06-20", "day"),
        ("last Friday", None, "2023-06-16", "day"),
        ("tomorrow", None, "2023-06-19", "day"),
        ("yesterday", None, "2023-06-17", "day"),
        ("in September", None, "2023-09", "month"),
        ("in May", "past", "2023-05", "month"),
        ("in May", None, "2024-05", "month"),  # a plan: the next May
        ("later this month", None, "2023-06", "month"),
        ("early next month", None, "2023-07", "month"),
        ("earlier this month", "past", "2023-06", "month"),
        ("next year", None, "2024", "year"),
        ("last year", "past", "2022", "year"),
        ("March 3", None, "2024-03-03", "day"),
        ("3 March 2024", None, "2024-03-03", "day"),
        ("Dec. 5", None, "2023-12-05", "day"),
        ("2024-05-06", None, "2024-05-06", "day"),
        ("June 2025", None, "2025-06", "month"),
        ("the summer of 2024", None, "2024", "year"),
        ("by the end of the month", None, "2023-06", "month"),
        ("later in the month", None, "2023-06", "month"),
        ("the following week", None, "2023-06-19", "week"),  # its Monday, ending on Sunday 25 June
        ("this week", None, "2023-06-12", "week"),
        ("June 20-22", None, "2023-06-20", "day"),  # a range: when_end 22 June
        ("before the end of the year", None, "2023", "year"),
        ("until January", None, "2024-01", "month"),
    ],
)
def test_dates_resolve_against_the_publication_date(text, tense, when, granularity):
    resolved = resolve_date(text, PUB, tense)
    assert resolved is not None, text
    assert (resolved.when, resolved.granularity) == (when, granularity)


@pytest.mark.parametrize(
    "text, first, last",
    [
        ("June 20-22", "2023-06-20", "2023-06-22"),
        ("20-22 June", "2023-06-20", "2023-06-22"),
        ("from June 29 to July 2", "2023-06-29", "2023-07-02"),
        ("between Dec. 30 and Jan. 2", "2023-12-30", "2024-01-02"),
        ("next week", "2023-06-19", "2023-06-25"),
    ],
)
def test_ranges_and_weeks_carry_their_last_day(text, first, last):
    resolved = resolve_date(text, PUB, None)
    assert resolved is not None and (resolved.when, resolved.end) == (first, last)


@pytest.mark.parametrize("text", ["the next several months", "recent years", "in the coming weeks", "soon"])
def test_vague_times_stay_unresolved(text):
    assert resolve_date(text, PUB) is None


def test_relative_dates_need_a_publication_date():
    assert resolve_date("on Monday", None) is None
    assert resolve_date("next month", None) is None
    assert resolve_date("3 March 2024", None).when == "2024-03-03"


@pytest.mark.parametrize("text", ["two days", "five years", "18-month-old", "several weeks"])
def test_durations_are_not_dates(text):
    assert is_duration(text)


def _quotes(text: str) -> list[str]:
    return [text[q.start : q.end] for q in find_quote_spans(text)]


def test_curly_and_straight_quotes_and_split_quotes():
    text = '\u201cWe will talk,\u201d she said, \u201cbut not today.\u201d He added: "Nothing is agreed yet."'
    assert _quotes(text) == ["We will talk", "but not today.", "Nothing is agreed yet."]


def test_a_quote_running_over_paragraphs_is_one_record_a_paragraph():
    text = "\u201cThe first paragraph goes on.\n\n\u201cAnd the second closes it,\u201d he said."
    assert _quotes(text) == ["The first paragraph goes on.", "And the second closes it"]


def test_one_word_scare_quotes_are_not_quotations():
    assert _quotes('a so-called "backchannel" between them') == []


def test_apostrophes_do_not_open_quotes():
    assert _quotes("It's the minister's view, said officials' aides.") == []


@pytest.mark.parametrize(
    ("text", "agency"),
    [
        ("NEW DELHI, March 1 (Reuters) - Officials said", "Reuters"),
        ("SRINAGAR, India (AP) \u2014 India called off", "AP"),
        ("TOKYO, Jan. 5 \u2014 Japan said", None),
    ],
)
def test_datelines_are_recognised(text, agency):
    end, found = dateline(text)
    assert end > 0 and found == agency


def test_a_sentence_starting_with_an_abbreviation_is_not_a_dateline():
    assert dateline("U.S. Secretary of State Antony Blinken arrived")[0] == 0


def test_rule_only_pipeline_is_announced_and_still_finds_quotes(tmp_path):
    config = (ROOT / "config.yaml").read_text(encoding="utf-8")
    config = config.replace("model: en_core_web_sm ", "model: no_such_pipeline ")
    config = config.replace("seeds: seeds ", f"seeds: {ROOT / 'seeds'} ")
    path = tmp_path / "config.yaml"
    path.write_text(config, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "tui", "extract", "--json", "--no-cache", "-q", "--config", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "rule-only pipeline in use" in result.stderr
    import json

    data = json.loads(result.stdout)
    assert data["pipeline"].startswith("rule-only")
    speakers = {q["speaker"] for q in data["quotes"]}
    assert "Xi Jinping" in speakers and len(data["quotes"]) == 12
