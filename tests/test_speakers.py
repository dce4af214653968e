"""Speaker attribution, one strategy or resolution at a time.

Each case is a sentence or two an article could hold; the record must name
the speaker (or describe an unnamed one) and say how it was found.
"""

from __future__ import annotations

import pytest

from tests.conftest import SMALL_CONFIG
from tui.config import load_config
from tui.extract import extract_text
from tui.extract.pipeline import build_pipeline
from tui.extract.speakers import STRATEGIES

PUB = "2024-03-04"


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    root = tmp_path_factory.mktemp("speakers")
    (root / "seeds").mkdir()
    (root / "config.yaml").write_text(SMALL_CONFIG, encoding="utf-8")
    config = load_config(root / "config.yaml").config
    return config, build_pipeline(config)


def quotes(setup, text: str) -> list[tuple[str, str | None, str, str | None, str | None]]:
    config, pipeline = setup
    result = extract_text(text, "t.txt", PUB, config, pipeline)
    return [(q.text, q.speaker, q.how, q.description, q.side) for q in result.quotes]


def speaker(setup, text: str, n: int = 0) -> tuple[str | None, str]:
    found = quotes(setup, text)
    assert len(found) > n, found
    return found[n][1], found[n][2]


def test_the_strategies_are_a_visible_ordered_list():
    names = [name for name, _ in STRATEGIES]
    assert names[0] == "clause subject" and len(names) == len(set(names))
    assert names.index("governing verb") < names.index("continues in paragraph") < names.index("previous sentence")


def test_subject_of_the_reporting_verb(setup):
    assert speaker(setup, '"We will not give up," Ruiz said on Monday.') == ("Ana Ruiz", "subject of 'said'")


def test_a_long_relative_clause_between_name_and_verb(setup):
    text = 'Ana Ruiz, who chairs the panel and has led it since 2019, told reporters: "We are ready to talk."'
    who, how = speaker(setup, text)
    assert who == "Ana Ruiz" and "'told'" in how


def test_said_in_a_statement(setup):
    assert speaker(setup, 'Brandt said in a statement: "The talks are over for now."')[0] == "Otto Brandt"


def test_the_listener_of_told_is_not_the_speaker(setup):
    assert speaker(setup, 'Ruiz told Brandt: "You must act now, before the season opens."')[0] == "Ana Ruiz"


def test_a_pronoun_by_gender_skips_the_nearer_person(setup):
    text = 'Ruiz met Brandt in Lisbon on Monday. "We made real progress today," she said.'
    who, how = speaker(setup, text)
    assert who == "Ana Ruiz" and how == "subject of 'said'"
    record = extract_text(text, "t.txt", PUB, *setup).quotes[0]
    assert "female" in record.reason


def test_a_pronoun_is_never_the_listener_of_its_own_sentence(setup):
    text = 'Brandt spoke first. Then Ruiz told him "the offer stands," and he said: "We will study it."'
    found = quotes(setup, text)
    assert [(q[0], q[1]) for q in found] == [("the offer stands", "Ana Ruiz"), ("We will study it.", "Otto Brandt")]


def test_a_chain_of_pronouns_reaches_the_name(setup):
    text = (
        "Otto Brandt arrived in Lisbon on Monday for a second round. He met trade officials and "
        "fishing groups over two days, and he also spoke to the press about the harbour, the fleet "
        "and the quotas that the two governments have argued over for most of the past decade. "
        "He said the talks had been hard but fair, and he thanked his hosts for their patience. "
        '"We are closer than we were," he said.'
    )
    assert speaker(setup, text)[0] == "Otto Brandt"


def test_a_description_by_the_role_the_watchlist_gives(setup):
    text = 'Brandt arrived in Lisbon on Monday. "We are here to listen," the trade minister said.'
    who, _ = speaker(setup, text)
    assert who == "Otto Brandt"


def test_a_description_by_a_title_given_before_the_name(setup):
    text = 'Sen. Lena Ortiz opened the hearing. "This deal is not good enough," the senator said.'
    assert speaker(setup, text)[0] == "Lena Ortiz"


def test_a_description_by_age(setup):
    text = 'Lena Ortiz, 58, leads the opposition in Sylvania. "We will fight this," the 58-year-old said.'
    assert speaker(setup, text)[0] == "Lena Ortiz"


def test_an_unnamed_speaker_keeps_its_description_and_side(setup):
    text = '"Nobody expects a deal this week," said a senior Sylvanian official.'
    (_, who, _, description, side), = quotes(setup, text)
    assert who is None and side == "Sylvania"
    assert description is not None and "Sylvanian official" in description


def test_a_document_speaks_for_its_issuer(setup):
    text = 'Brandt issued a statement on Monday. "We will not sign the deal," the statement said.'
    who, how = speaker(setup, text)
    assert who == "Otto Brandt" and "'said'" in how


def test_a_second_quote_in_the_paragraph_continues_the_first(setup):
    found = quotes(setup, '"We will meet again," Ruiz said. "The door is open."')
    assert [q[1] for q in found] == ["Ana Ruiz", "Ana Ruiz"]
    assert found[1][2] == "continues the previous quote in the paragraph"


def test_the_attribution_in_the_next_sentence(setup):
    who, how = speaker(setup, '"The door is open." Ruiz said, smiling at the cameras.')
    assert who == "Ana Ruiz" and how.endswith("in the next sentence")


def test_according_to(setup):
    who, how = speaker(setup, 'According to Brandt, the offer was "generous but late."')
    assert who == "Otto Brandt" and "according to" in how


def test_the_agent_of_a_passive_telling(setup):
    assert speaker(setup, 'Brandt was told by Ruiz that "the offer stands for one more week."')[0] == "Ana Ruiz"


def test_a_bare_surname_is_the_person_of_that_name_named_last(setup):
    text = (
        'Carla Weber met Ruiz on Monday. Later, Paul Weber joined the talks. '
        '"It went well," Weber said.'
    )
    assert speaker(setup, text)[0] == "Paul Weber"


def test_speaker_how_reaches_the_json(setup, small_relation):
    from tui.engine import Engine

    engine = Engine(small_relation.config)
    snap = engine.refresh().to_json()
    quote = snap["quotes"][0]
    assert quote["speaker"] == "Ana Ruiz" and quote["speaker_how"] == "subject of 'told'"
    assert "speaker_description" in quote and "speaker_reason" in quote


def test_a_quote_paragraph_after_a_speaker_goes_on_quoting_them(setup):
    text = 'Ruiz said the talks had been hard.\n\n"We did not come here to fail. We came to finish the job."'
    who, how = speaker(setup, text)
    assert who == "Ana Ruiz" and how.startswith("the previous paragraph's speaker")


def test_a_clause_ending_in_a_colon_presents_the_quote(setup):
    text = 'Brandt defended the new tariffs as lawful: "Every country protects its own steel."'
    who, how = speaker(setup, text)
    assert who == "Otto Brandt" and how == "subject of 'defended', before the colon"


def test_a_document_by_a_person_of_a_country_is_the_person(setup):
    text = 'According to a letter on Monday by Sylvanian Trade Minister Otto Brandt, "the offer is final."'
    assert speaker(setup, text)[0] == "Otto Brandt"
