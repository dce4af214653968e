"""Engagements on wire-style sentences: ranges, weeks, chained days, calls,
plans that fell through, and the reasons each record keeps."""

from __future__ import annotations

import pytest

from tests.conftest import SMALL_CONFIG
from tui.config import load_config
from tui.extract import extract_text
from tui.extract.pipeline import build_pipeline

PUB = "2024-06-04"  # a Tuesday


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    root = tmp_path_factory.mktemp("engagements")
    (root / "seeds").mkdir()
    cues = "cues: [meet, visit, talks, summit, call, trip]"
    config = SMALL_CONFIG.replace("cues: [meet, visit, talks, summit]", cues)
    (root / "config.yaml").write_text(config, encoding="utf-8")
    loaded = load_config(root / "config.yaml").config
    return loaded, build_pipeline(loaded)


def found(setup, text: str) -> list[tuple]:
    config, pipeline = setup
    result = extract_text(text, "t.txt", PUB, config, pipeline)
    return [(set(e.participants), e.when, e.when_end, e.granularity, e.status) for e in result.engagements]


def test_a_range_of_days_keeps_its_last_day(setup):
    assert found(setup, "Ruiz will meet Brandt in Lisbon on June 12-14.") == [
        ({"Ana Ruiz", "Otto Brandt"}, "2024-06-12", "2024-06-14", "day", "planned")
    ]


def test_a_visit_from_one_day_to_another_names_the_host_country(setup):
    (parts, when, end, _, status), = found(setup, "Ruiz will visit Sylvania from June 20 to 22.")
    assert parts == {"Ana Ruiz", "Sylvania"} and (when, end, status) == ("2024-06-20", "2024-06-22", "planned")


def test_next_week_is_a_week(setup):
    (_, when, end, granularity, _), = found(setup, "Ruiz and Brandt will meet next week in Geneva.")
    assert (when, end, granularity) == ("2024-06-10", "2024-06-16", "week")


def test_the_following_day_counts_from_the_day_before_it(setup):
    rows = found(setup, "Ruiz met Brandt on Tuesday. They will meet again the following day.")
    assert ({"Ana Ruiz", "Otto Brandt"}, "2024-06-05", None, "day", "planned") in rows


def test_a_phone_call_to_someone_is_with_them(setup):
    rows = found(setup, "Ruiz made a phone call to Brandt on Monday about the fishing dispute.")
    assert rows and rows[0][0] == {"Ana Ruiz", "Otto Brandt"} and rows[0][4] == "past"


def test_called_for_is_no_call(setup):
    assert found(setup, "Ruiz and Brandt have repeatedly called for the tariffs to be lifted.") == []


def test_was_to_have_met_is_a_plan_that_fell_through(setup):
    rows = found(setup, "Ruiz was to have flown to Vale on Friday to meet Brandt.")
    assert rows and rows[0][0] == {"Ana Ruiz", "Otto Brandt"} and rows[0][4] == "cancelled"


def test_the_two_ministers_are_the_two_sides(setup):
    rows = found(setup, "Freedonia and Sylvania are at odds. The two ministers will meet in Geneva on June 9.")
    assert ({"Freedonia", "Sylvania"}, "2024-06-09", None, "day", "planned") in rows


def test_every_record_says_why(setup):
    config, pipeline = setup
    (e,) = extract_text("Ruiz will meet Brandt in Lisbon on June 12.", "t.txt", PUB, config, pipeline).engagements
    assert e.reason and e.status_reason and e.participants_reason
    assert "after the article" in e.status_reason


def test_the_two_leaders_are_each_sides_head(setup):
    text = (
        "Freedonian President Lena Ortiz and Sylvanian Prime Minister Mira Holt spoke on Monday. "
        "The two leaders will meet in Geneva on June 9."
    )
    assert ({"Lena Ortiz", "Mira Holt"}, "2024-06-09", None, "day", "planned") in found(setup, text)


def test_relative_dates_count_from_the_dateline_day(setup):
    # Published on Tuesday 4 June; the dateline says the news is of Monday 3 June.
    text = "VALE, June 3 - Ruiz arrived in Vale this afternoon and will meet Brandt tomorrow morning."
    rows = found(setup, text)
    assert ({"Ana Ruiz", "Otto Brandt"}, "2024-06-04", None, "day", "planned") in rows


def test_a_date_in_a_quoted_phrase_dates_the_meeting(setup):
    rows = found(setup, 'Ruiz and Brandt said they hoped to meet again "before the end of the year," in Vale.')
    assert rows and rows[0][1] == "2024" and rows[0][4] == "tentative"


def test_travel_to_the_other_side_is_a_visit(setup):
    rows = found(setup, "Ruiz will fly to Sylvania on June 20 if the talks go well.")
    assert ({"Ana Ruiz", "Sylvania"}, "2024-06-20", None, "day", "planned") in rows


def test_going_home_or_travelling_for_talks_is_not_a_second_engagement(setup):
    assert found(setup, "Brandt will return to Sylvania on June 20.") == []
    rows = found(setup, "Ruiz will fly to Sylvania on June 20 for talks with Brandt.")
    assert [r[0] for r in rows] == [{"Ana Ruiz", "Otto Brandt"}]
