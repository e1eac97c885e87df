"""Scoring the shipped instruments: band edges, cut-offs, worked examples, risk and bad answers.

Expected bands and cut-offs are written out from shared/reference/clinical-facts.md, not read from
the definitions, so the tests check the data as well as the engine.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carepath_core.errors import DomainError
from carepath_core.instruments import Instrument, InvalidAnswers, parse_instrument, risk_flags, score

DEFINITIONS = Path(__file__).parents[2] / "src" / "carepath_core" / "instruments" / "definitions"


def load(code: str) -> Instrument:
    return parse_instrument(json.loads((DEFINITIONS / f"{code}.json").read_text(encoding="utf-8")))


INSTRUMENTS = {code: load(code) for code in ("phq9", "gad7", "phq2", "gad2", "who5")}

# (min, max) of each band on the raw total, lowest first.
BANDS = {
    "phq9": [(0, 4), (5, 9), (10, 14), (15, 19), (20, 27)],
    "gad7": [(0, 4), (5, 9), (10, 14), (15, 21)],
    "phq2": [(0, 2), (3, 6)],
    "gad2": [(0, 2), (3, 6)],
    "who5": [(0, 12), (13, 25)],
}
MAX_TOTAL = {code: bands[-1][1] for code, bands in BANDS.items()}


def answers_for(code: str, total: int) -> dict[str, object]:
    """A complete set of valid answers to the scored items that adds up to `total`."""
    answers: dict[str, object] = {}
    left = total
    for item in INSTRUMENTS[code].scored_items:
        value = min(left, item.max_value)
        assert value in item.values
        answers[item.id] = value
        left -= value
    assert left == 0, f"{code} cannot reach {total}"
    return answers


def expected_band(code: str, total: int) -> int:
    return next(i for i, (low, high) in enumerate(BANDS[code]) if low <= total <= high)


def boundary_cases() -> list[tuple[str, int]]:
    cases = set()
    for code, bands in BANDS.items():
        for low, high in bands:
            for total in (low - 1, low, high, high + 1):
                if 0 <= total <= MAX_TOTAL[code]:
                    cases.add((code, total))
    return sorted(cases)


@pytest.mark.parametrize(("code", "total"), boundary_cases())
def test_every_band_boundary_and_its_neighbours(code: str, total: int) -> None:
    result = score(INSTRUMENTS[code], answers_for(code, total))
    index = expected_band(code, total)
    assert result.total == total
    assert result.band_index == index
    assert (result.band.min, result.band.max) == BANDS[code][index]
    assert result.complete


@pytest.mark.parametrize(
    ("code", "total", "is_case"),
    [
        ("phq9", 9, False),
        ("phq9", 10, True),
        ("gad7", 7, False),
        ("gad7", 8, True),
        ("phq2", 2, False),
        ("phq2", 3, True),
        ("gad2", 2, False),
        ("gad2", 3, True),
        # WHO-5: low is bad. Raw 12 = 48 % is a case; raw 13 = 52 % is not.
        ("who5", 12, True),
        ("who5", 13, False),
    ],
)
def test_caseness_at_the_cut_off_and_one_step_away(code: str, total: int, is_case: bool) -> None:
    assert score(INSTRUMENTS[code], answers_for(code, total)).caseness is is_case


@pytest.mark.parametrize(("total", "is_case"), [(1, False), (2, True), (3, True)])
def test_phq2_cut_off_can_be_lowered_to_two(total: int, is_case: bool) -> None:
    # Arroll 2010 preferred ≥ 2 for case-finding; the cut-off is configurable.
    result = score(INSTRUMENTS["phq2"], answers_for("phq2", total), caseness_cutoff=2)
    assert result.caseness is is_case


def test_phq2_override_does_not_move_the_bands() -> None:
    result = score(INSTRUMENTS["phq2"], answers_for("phq2", 2), caseness_cutoff=2)
    assert result.band_index == 0


@pytest.mark.parametrize("raw", range(26))
def test_who5_percentage_is_four_times_the_raw_score(raw: int) -> None:
    result = score(INSTRUMENTS["who5"], answers_for("who5", raw))
    assert result.total == raw
    assert result.percentage == raw * 4


def test_who5_percentage_cut_off_equivalence() -> None:
    # "% ≤ 50", "% < 52" and "raw < 13" select exactly the same people (clinical-facts §4).
    for raw in range(26):
        result = score(INSTRUMENTS["who5"], answers_for("who5", raw))
        assert result.percentage is not None
        assert result.caseness is (result.percentage <= 50) is (result.percentage < 52) is (raw < 13)


@pytest.mark.parametrize("code", ["phq9", "gad7", "phq2", "gad2"])
def test_only_who5_has_a_percentage(code: str) -> None:
    assert score(INSTRUMENTS[code], answers_for(code, 0)).percentage is None


def test_phq9_all_ones_is_nine_and_mild() -> None:
    result = score(INSTRUMENTS["phq9"], {f"phq9_{i}": 1 for i in range(1, 10)})
    assert (result.total, result.band.label, result.caseness) == (9, "Mild", False)
    assert result.risk_flags == ("phq9_9",)


def test_phq9_all_threes_is_twenty_seven_and_severe() -> None:
    result = score(INSTRUMENTS["phq9"], {f"phq9_{i}": 3 for i in range(1, 10)})
    assert (result.total, result.band.label, result.band_index, result.caseness) == (27, "Severe", 4, True)


def test_phq9_all_zeros_is_none_or_minimal() -> None:
    result = score(INSTRUMENTS["phq9"], {f"phq9_{i}": 0 for i in range(1, 10)})
    assert (result.total, result.band.label, result.caseness, result.risk_flags) == (
        0,
        "None or minimal",
        False,
        (),
    )


def test_gad7_worked_example_is_fourteen_and_moderate() -> None:
    answers = dict(zip([f"gad7_{i}" for i in range(1, 8)], [3, 3, 3, 2, 2, 1, 0], strict=True))
    result = score(INSTRUMENTS["gad7"], answers)
    assert (result.total, result.band.label, result.caseness) == (14, "Moderate", True)
    assert result.risk_flags == ()


def test_gad7_item_two_more_days_than_not_scores_two() -> None:
    # LA18938-3 "More days than not" is value 2 on item 68509-9 (clinical-facts §5 answer-list note).
    answers = {f"gad7_{i}": 0 for i in range(1, 8)} | {"gad7_2": 2}
    assert score(INSTRUMENTS["gad7"], answers).total == 2


def test_who5_worked_examples() -> None:
    who5 = INSTRUMENTS["who5"]
    cheerful = score(who5, {f"who5_{i}": 3 for i in range(1, 6)})
    assert (cheerful.total, cheerful.percentage, cheerful.band.label, cheerful.caseness) == (
        15,
        60,
        "Higher wellbeing",
        False,
    )
    low = score(who5, dict(zip([f"who5_{i}" for i in range(1, 6)], [2, 2, 3, 2, 3], strict=True)))
    assert (low.total, low.percentage, low.band.label, low.caseness) == (12, 48, "Lower wellbeing", True)


def test_phq9_difficulty_question_is_optional_and_not_counted() -> None:
    base = {f"phq9_{i}": 1 for i in range(1, 10)}
    without = score(INSTRUMENTS["phq9"], base)
    with_difficulty = score(INSTRUMENTS["phq9"], base | {"phq9_difficulty": 3})
    assert without.total == with_difficulty.total == 9


def test_phq9_difficulty_answer_is_still_checked() -> None:
    answers = {f"phq9_{i}": 1 for i in range(1, 10)} | {"phq9_difficulty": 4}
    with pytest.raises(InvalidAnswers) as caught:
        score(INSTRUMENTS["phq9"], answers)
    assert [p.item for p in caught.value.problems] == ["phq9_difficulty"]


# --- risk -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "flags"), [(0, ()), (1, ("phq9_9",)), (2, ("phq9_9",)), (3, ("phq9_9",))])
def test_phq9_item_9_above_zero_is_flagged(value: int, flags: tuple[str, ...]) -> None:
    answers = {f"phq9_{i}": 0 for i in range(1, 9)} | {"phq9_9": value}
    assert score(INSTRUMENTS["phq9"], answers).risk_flags == flags


def test_risk_is_read_from_a_partial_form() -> None:
    assert risk_flags(INSTRUMENTS["phq9"], {"phq9_9": 2}) == ("phq9_9",)


def test_risk_on_a_partial_form_with_item_9_at_zero_or_unanswered() -> None:
    assert risk_flags(INSTRUMENTS["phq9"], {"phq9_9": 0}) == ()
    assert risk_flags(INSTRUMENTS["phq9"], {"phq9_1": 3}) == ()
    assert risk_flags(INSTRUMENTS["phq9"], {}) == ()


def test_risk_on_a_partial_form_ignores_what_it_cannot_read() -> None:
    answers = {"phq9_9": 1, "phq9_1": "lots", "phq9_2": 7, "nonsense": True}
    assert risk_flags(INSTRUMENTS["phq9"], answers) == ("phq9_9",)
    assert risk_flags(INSTRUMENTS["phq9"], {"phq9_9": "2"}) == ()


@pytest.mark.parametrize("code", ["gad7", "phq2", "gad2", "who5"])
def test_no_other_instrument_raises_a_risk_flag(code: str) -> None:
    instrument = INSTRUMENTS[code]
    top = {item.id: item.max_value for item in instrument.scored_items}
    assert score(instrument, top).risk_flags == ()
    assert risk_flags(instrument, top) == ()


def test_a_negative_phq2_never_hides_the_phq9_risk_item() -> None:
    # The PHQ-2 has no risk item: a low PHQ-2 says nothing about item 9, which must be asked separately.
    assert INSTRUMENTS["phq2"].risk_items == ()
    assert INSTRUMENTS["phq2"].item("phq9_9") is None


# --- bad answers ------------------------------------------------------------------------------


def problems(code: str, answers: Mapping[str, object]) -> list[tuple[str, str]]:
    with pytest.raises(InvalidAnswers) as caught:
        score(INSTRUMENTS[code], answers)
    assert isinstance(caught.value, DomainError)
    return [(p.item, p.problem) for p in caught.value.problems]


def complete_phq9(**changes: object) -> dict[str, object]:
    return {f"phq9_{i}": 1 for i in range(1, 10)} | changes


def test_an_unknown_item_is_named() -> None:
    found = problems("phq9", complete_phq9(phq9_10=1))
    assert [item for item, _ in found] == ["phq9_10"]


@pytest.mark.parametrize("bad", ["2", 1.5, True, False, None, [1]])
def test_a_value_that_is_not_a_whole_number_is_named(bad: object) -> None:
    found = problems("phq9", complete_phq9(phq9_4=bad))
    assert [item for item, _ in found] == ["phq9_4"]
    assert "whole number" in found[0][1]


@pytest.mark.parametrize(
    ("code", "item_id", "bad"), [("phq9", "phq9_3", 4), ("phq9", "phq9_3", -1), ("who5", "who5_2", 6)]
)
def test_an_out_of_range_value_is_named(code: str, item_id: str, bad: int) -> None:
    answers = answers_for(code, 0) | {item_id: bad}
    found = problems(code, answers)
    assert [item for item, _ in found] == [item_id]
    assert str(bad) in found[0][1]


def test_every_missing_item_is_listed() -> None:
    found = problems("phq9", {"phq9_1": 2, "phq9_5": 0, "phq9_difficulty": 1})
    assert found == [(f"phq9_{i}", "is missing") for i in (2, 3, 4, 6, 7, 8, 9)]


def test_an_empty_form_lists_every_scored_item_as_missing() -> None:
    found = problems("gad7", {})
    assert found == [(f"gad7_{i}", "is missing") for i in range(1, 8)]


def test_all_problems_are_reported_together() -> None:
    found = problems("gad2", {"gad2_1": "3", "gad2_x": 1})
    assert {item for item, _ in found} == {"gad2_1", "gad2_x", "gad2_2"}
    assert ("gad2_2", "is missing") in found


def test_a_mistyped_answer_is_reported_once_not_also_as_missing() -> None:
    answers = {f"phq9_{i}": 0 for i in range(1, 9)} | {"phq9_9": "1"}
    found = problems("phq9", answers)
    assert [item for item, _ in found] == ["phq9_9"]
    assert "whole number" in found[0][1]


# --- properties -------------------------------------------------------------------------------


def valid_answers(code: str) -> st.SearchStrategy[dict[str, int]]:
    return st.fixed_dictionaries(
        {item.id: st.sampled_from(sorted(item.values)) for item in INSTRUMENTS[code].scored_items}
    )


@pytest.mark.parametrize("code", sorted(INSTRUMENTS))
@given(data=st.data())
def test_any_valid_answers_score_within_range(code: str, data: st.DataObject) -> None:
    answers = data.draw(valid_answers(code))
    result = score(INSTRUMENTS[code], answers)
    assert 0 <= result.total <= MAX_TOTAL[code]
    assert result.total == sum(answers.values())
    assert result.band_index == expected_band(code, result.total)


@pytest.mark.parametrize("code", sorted(INSTRUMENTS))
@given(data=st.data())
def test_raising_one_answer_never_lowers_the_total_or_the_band(code: str, data: st.DataObject) -> None:
    instrument = INSTRUMENTS[code]
    answers = data.draw(valid_answers(code))
    raisable = [item for item in instrument.scored_items if answers[item.id] < item.max_value]
    if not raisable:
        return
    item = data.draw(st.sampled_from(raisable))
    before = score(instrument, answers)
    after = score(instrument, answers | {item.id: answers[item.id] + 1})
    assert after.total == before.total + 1
    assert after.band_index >= before.band_index


@given(data=st.data())
def test_risk_on_the_whole_form_matches_risk_on_any_part_of_it(data: st.DataObject) -> None:
    phq9 = INSTRUMENTS["phq9"]
    answers = data.draw(valid_answers("phq9"))
    kept = data.draw(st.sets(st.sampled_from(sorted(answers))))
    partial = {item_id: answers[item_id] for item_id in kept}
    expected = ("phq9_9",) if partial.get("phq9_9", 0) > 0 else ()
    assert risk_flags(phq9, partial) == expected
    assert score(phq9, answers).risk_flags == risk_flags(phq9, answers)
