"""The shipped questionnaire definitions, checked against shared/reference/clinical-facts.md.

Every number asserted here is written out by hand from the reference, never read back from the
definition under test, so a slip in a JSON file shows up as a failing test.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from carepath_core.errors import DomainError
from carepath_core.instruments import Direction, Evidence, Instrument, Scale, parse_instrument, score

DEFINITIONS = Path(__file__).parents[2] / "src" / "carepath_core" / "instruments" / "definitions"


def load_all() -> dict[str, Instrument]:
    loaded = {}
    for path in sorted(DEFINITIONS.glob("*.json")):
        instrument = parse_instrument(json.loads(path.read_text(encoding="utf-8")))
        loaded[path.stem] = instrument
    return loaded


INSTRUMENTS = load_all()
SCORABLE = ("phq9", "gad7", "phq2", "gad2", "who5")
LICENSED = ("cssrs", "reqol")

PFIZER = (
    "Copyright © Pfizer Inc. All rights reserved. Developed by Drs. Robert L. Spitzer, Janet B.W. Williams, "
    "Kurt Kroenke and colleagues, with an educational grant from Pfizer Inc. No permission required to "
    "reproduce, translate, display or distribute."
)
LOINC_NOTICE = (
    "This content from LOINC® is copyright © 1995 Regenstrief Institute, Inc. and the LOINC Committee, "
    "and available at no cost under the license at https://loinc.org/license/"
)

ITEM_IDS = {
    "phq9": [*(f"phq9_{i}" for i in range(1, 10)), "phq9_difficulty"],
    "gad7": [f"gad7_{i}" for i in range(1, 8)],
    "phq2": ["phq2_1", "phq2_2"],
    "gad2": ["gad2_1", "gad2_2"],
    "who5": [f"who5_{i}" for i in range(1, 6)],
}

# (min, max, label) lowest first, on the raw total (clinical-facts §1-4 and the Carepath brief).
BANDS = {
    "phq9": [
        (0, 4, "None or minimal"),
        (5, 9, "Mild"),
        (10, 14, "Moderate"),
        (15, 19, "Moderately severe"),
        (20, 27, "Severe"),
    ],
    "gad7": [(0, 4, "Minimal"), (5, 9, "Mild"), (10, 14, "Moderate"), (15, 21, "Severe")],
    "phq2": [(0, 2, "Below the screening cut-off"), (3, 6, "Worth a fuller check-in")],
    "gad2": [(0, 2, "Below the screening cut-off"), (3, 6, "Worth a fuller check-in")],
    "who5": [(0, 12, "Lower wellbeing"), (13, 25, "Higher wellbeing")],
}
MAX_TOTAL = {"phq9": 27, "gad7": 21, "phq2": 6, "gad2": 6, "who5": 25}

# code: (value, direction, status) — ⚠ in the reference → unconfirmed.
CASENESS = {
    "phq9": (10, Direction.AT_OR_ABOVE, Evidence.CONFIRMED),  # Kroenke 2001
    "gad7": (8, Direction.AT_OR_ABOVE, Evidence.UNCONFIRMED),  # NHS TT; Manual wording not seen
    "phq2": (3, Direction.AT_OR_ABOVE, Evidence.CONFIRMED),  # Kroenke 2003
    "gad2": (3, Direction.AT_OR_ABOVE, Evidence.UNCONFIRMED),  # ⚠ confirm in Kroenke 2007 Table 3
    "who5": (12, Direction.AT_OR_BELOW, Evidence.UNCONFIRMED),  # raw ≤ 12 ⇔ % ≤ 50; ⚠ Topp 2015
}
RELIABLE_CHANGE = {
    "phq9": (6, Scale.RAW, Evidence.CONFIRMED),
    "gad7": (4, Scale.RAW, Evidence.CONFIRMED),
    "phq2": None,
    "gad2": None,
    "who5": (10, Scale.PERCENTAGE, Evidence.UNCONFIRMED),
}

FREQUENCY = [(0, "Not at all"), (1, "Several days"), (2, "More than half the days"), (3, "Nearly every day")]
WHO5_OPTIONS = [
    (5, "All of the time"),
    (4, "Most of the time"),
    (3, "More than half of the time"),
    (2, "Less than half of the time"),
    (1, "Some of the time"),
    (0, "At no time"),
]


def test_exactly_the_promised_instruments_ship() -> None:
    assert set(INSTRUMENTS) == set(SCORABLE) | set(LICENSED)


@pytest.mark.parametrize("code", sorted(INSTRUMENTS))
def test_each_file_is_named_after_its_code(code: str) -> None:
    assert INSTRUMENTS[code].code == code


@pytest.mark.parametrize("code", SCORABLE)
def test_items_are_the_expected_ids_in_order(code: str) -> None:
    assert [item.id for item in INSTRUMENTS[code].items] == ITEM_IDS[code]


@pytest.mark.parametrize("code", SCORABLE)
def test_the_highest_possible_total_matches_the_reference(code: str) -> None:
    assert INSTRUMENTS[code].max_total == MAX_TOTAL[code]


@pytest.mark.parametrize("code", SCORABLE)
def test_bands_are_the_published_ones(code: str) -> None:
    assert [(b.min, b.max, b.label) for b in INSTRUMENTS[code].bands] == BANDS[code]


@pytest.mark.parametrize("code", SCORABLE)
def test_bands_are_contiguous_and_cover_zero_to_the_maximum(code: str) -> None:
    bands = INSTRUMENTS[code].bands
    assert bands[0].min == 0
    assert bands[-1].max == MAX_TOTAL[code]
    for lower, upper in itertools.pairwise(bands):
        assert upper.min == lower.max + 1


@pytest.mark.parametrize("code", SCORABLE)
def test_every_band_explains_itself_in_plain_words_without_diagnosing(code: str) -> None:
    for band in INSTRUMENTS[code].bands:
        words = band.description.lower()
        assert len(band.description.split()) >= 10
        assert "diagnos" not in words.replace("not a diagnosis", "")
        assert "you have depression" not in words and "you have anxiety" not in words


@pytest.mark.parametrize("code", SCORABLE)
def test_caseness_rule_matches_the_reference(code: str) -> None:
    rule = INSTRUMENTS[code].caseness
    assert rule is not None
    assert (rule.value, rule.direction, rule.status) == CASENESS[code]
    assert rule.scale is Scale.RAW


@pytest.mark.parametrize("code", ["phq2", "gad2"])
def test_screeners_split_their_bands_at_the_cut_off(code: str) -> None:
    instrument = INSTRUMENTS[code]
    assert instrument.caseness is not None
    assert instrument.bands[1].min == instrument.caseness.value


def test_who5_low_band_is_exactly_the_caseness_range() -> None:
    # Raw ≤ 12 ⇔ percentage ≤ 48 ⇔ percentage ≤ 50 (clinical-facts §4 equivalence note).
    who5 = INSTRUMENTS["who5"]
    assert who5.caseness is not None
    assert who5.bands[0].max == who5.caseness.value == 12
    assert 12 * 4 <= 50 < 13 * 4


def test_who5_ships_no_unconfirmed_likely_depression_band() -> None:
    # "% ≤ 28 = likely depression" has no primary citation (clinical-facts §4, §8.6).
    assert all(band.max != 7 for band in INSTRUMENTS["who5"].bands)


@pytest.mark.parametrize("code", SCORABLE)
def test_reliable_change_matches_the_reference(code: str) -> None:
    rule = INSTRUMENTS[code].reliable_change
    expected = RELIABLE_CHANGE[code]
    if expected is None:
        assert rule is None
    else:
        assert rule is not None
        assert (rule.value, rule.scale, rule.status) == expected


@pytest.mark.parametrize("code", ["phq9", "gad7", "phq2", "gad2"])
def test_phq_and_gad_use_the_frequency_answers(code: str) -> None:
    for item in INSTRUMENTS[code].items:
        if item.id in {"phq9_difficulty", "gad7_2", "gad2_2"}:
            continue
        assert [(o.value, o.label) for o in item.options] == FREQUENCY


@pytest.mark.parametrize("item_id", ["gad7_2", "gad2_2"])
def test_gad_item_two_offers_more_days_than_not_as_its_third_answer(item_id: str) -> None:
    instrument = INSTRUMENTS[item_id.split("_", maxsplit=1)[0]]
    item = instrument.item(item_id)
    assert item is not None
    assert [(o.value, o.label) for o in item.options] == [
        (0, "Not at all"),
        (1, "Several days"),
        (2, "More days than not"),
        (3, "Nearly every day"),
    ]


def test_phq9_difficulty_answers_are_ordered_by_difficulty_not_by_code() -> None:
    item = INSTRUMENTS["phq9"].item("phq9_difficulty")
    assert item is not None
    assert not item.scored
    assert [(o.value, o.label) for o in item.options] == [
        (0, "Not difficult at all"),
        (1, "Somewhat difficult"),
        (2, "Very difficult"),
        (3, "Extremely difficult"),
    ]


def test_who5_answers_run_from_all_of_the_time_to_at_no_time() -> None:
    for item in INSTRUMENTS["who5"].items:
        assert [(o.value, o.label) for o in item.options] == WHO5_OPTIONS


@pytest.mark.parametrize("code", SCORABLE)
def test_every_item_but_the_phq9_difficulty_question_is_scored(code: str) -> None:
    unscored = [item.id for item in INSTRUMENTS[code].items if not item.scored]
    assert unscored == (["phq9_difficulty"] if code == "phq9" else [])


@pytest.mark.parametrize("code", SCORABLE)
def test_only_phq9_item_9_is_a_risk_item(code: str) -> None:
    risk = [(item.id, item.risk_if_above) for item in INSTRUMENTS[code].risk_items]
    assert risk == ([("phq9_9", 0)] if code == "phq9" else [])


def test_item_wording_is_the_published_wording() -> None:
    phq9, gad7 = INSTRUMENTS["phq9"], INSTRUMENTS["gad7"]
    texts = {item.id: item.text for item in (*phq9.items, *gad7.items)}
    assert texts["phq9_9"] == "Thoughts that you would be better off dead, or of hurting yourself in some way"
    assert texts["phq9_6"] == (
        "Feeling bad about yourself-or that you are a failure or have let yourself or your family down"
    )
    assert texts["phq9_8"] == (
        "Moving or speaking so slowly that other people could have noticed. Or the opposite-being so "
        "fidgety or restless that you have been moving around a lot more than usual"
    )
    assert texts["gad7_2"] == "Not being able to stop or control worrying"
    assert [i.text for i in INSTRUMENTS["phq2"].items] == [phq9.items[0].text, phq9.items[1].text]
    assert [i.text for i in INSTRUMENTS["gad2"].items] == [gad7.items[0].text, gad7.items[1].text]
    assert [i.text for i in INSTRUMENTS["who5"].items] == [
        "I have felt cheerful and in good spirits",
        "I have felt calm and relaxed",
        "I have felt active and vigorous",
        "I woke up feeling fresh and rested",
        "My daily life has been filled with things that interest me",
    ]


@pytest.mark.parametrize("code", SCORABLE)
def test_no_item_text_is_truncated(code: str) -> None:
    for item in INSTRUMENTS[code].items:
        assert "…" not in item.text and not item.text.endswith("...")


def test_stems_and_recall_periods() -> None:
    assert INSTRUMENTS["phq9"].stem == (
        "Over the last 2 weeks, how often have you been bothered by any of the following problems?"
    )
    assert INSTRUMENTS["gad7"].stem == (
        "Over the last 2 weeks, how often have you been bothered by the following problems?"
    )
    assert INSTRUMENTS["phq2"].stem == INSTRUMENTS["phq9"].stem
    assert INSTRUMENTS["gad2"].stem == INSTRUMENTS["gad7"].stem
    assert INSTRUMENTS["who5"].recall_period == "the last two weeks"
    assert "last two weeks" in INSTRUMENTS["who5"].stem


@pytest.mark.parametrize("code", ["phq9", "gad7", "phq2", "gad2"])
def test_phq_and_gad_carry_the_pfizer_permission_statement(code: str) -> None:
    licence = INSTRUMENTS[code].licence
    assert licence.kind == "free"
    assert licence.notice == PFIZER


@pytest.mark.parametrize("code", ["phq9", "gad7", "phq2", "gad2"])
def test_loinc_content_carries_the_loinc_licence_line(code: str) -> None:
    assert INSTRUMENTS[code].loinc_notice == LOINC_NOTICE


def test_who5_is_attributed_to_who_and_north_zealand_and_flags_its_terms() -> None:
    who5 = INSTRUMENTS["who5"]
    assert who5.licence.kind == "free"
    assert "World Health Organization 1998" in who5.licence.notice
    assert "Psychiatric Centre North Zealand" in who5.licence.notice
    assert "not yet confirmed" in who5.licence.notice
    assert who5.loinc_notice == ""
    terms = [s for s in who5.sources if s.claim.startswith("Terms of use")]
    assert [s.status for s in terms] == [Evidence.UNCONFIRMED]


def test_who5_scores_higher_as_better_with_a_percentage() -> None:
    who5 = INSTRUMENTS["who5"]
    assert who5.scoring is not None
    assert who5.scoring.percentage_multiplier == 4
    assert not who5.scoring.higher_is_worse
    for code in ("phq9", "gad7", "phq2", "gad2"):
        scoring = INSTRUMENTS[code].scoring
        assert scoring is not None
        assert scoring.percentage_multiplier is None and scoring.higher_is_worse


@pytest.mark.parametrize("code", SCORABLE)
def test_the_missing_data_rule_is_explained(code: str) -> None:
    note = INSTRUMENTS[code].missing_data_note
    assert "not scored" in note


@pytest.mark.parametrize("code", sorted(INSTRUMENTS))
def test_every_source_says_what_it_supports(code: str) -> None:
    instrument = INSTRUMENTS[code]
    assert instrument.citation
    assert instrument.sources
    for source in instrument.sources:
        assert source.claim.strip() and source.citation.strip()


def test_phq2_sources_keep_the_arroll_caveat() -> None:
    caveats = [s for s in INSTRUMENTS["phq2"].sources if "Arroll" in s.citation]
    assert len(caveats) == 1
    assert "61 %" in caveats[0].claim and "configurable" in caveats[0].claim


def test_the_open_questions_stay_marked_unconfirmed() -> None:
    def unconfirmed(code: str, words: str) -> bool:
        return any(words in s.claim and s.status is Evidence.UNCONFIRMED for s in INSTRUMENTS[code].sources)

    assert unconfirmed("gad2", "Table 3")
    assert unconfirmed("gad2", "No LOINC")
    assert unconfirmed("gad7", "LA18938-3")
    assert unconfirmed("gad7", "last 4W")
    assert unconfirmed("phq9", "item 9")
    assert unconfirmed("phq9", "minimal")
    assert unconfirmed("who5", "any item answered 0 or 1")
    assert unconfirmed("who5", "≤ 28")


@pytest.mark.parametrize("code", LICENSED)
def test_licensed_instruments_ship_metadata_only(code: str) -> None:
    instrument = INSTRUMENTS[code]
    assert instrument.licence.kind == "licensed"
    assert "does not ship" in instrument.licence.notice
    assert instrument.items == ()
    assert instrument.bands == ()
    assert instrument.scoring is None
    assert instrument.caseness is None and instrument.reliable_change is None
    assert instrument.panel_code is None and instrument.total_code is None
    assert not instrument.is_scorable


@pytest.mark.parametrize("code", LICENSED)
def test_licensed_instruments_refuse_scoring(code: str) -> None:
    with pytest.raises(DomainError):
        score(INSTRUMENTS[code], {})


def test_cssrs_names_clario_as_the_electronic_licensor() -> None:
    assert "Clario" in INSTRUMENTS["cssrs"].licence.notice


def test_reqol_says_a_licence_is_needed() -> None:
    assert "needs a licence" in INSTRUMENTS["reqol"].licence.notice
