"""Outcome definitions in the core: worked cases at every threshold, bad input, and properties.

Expected cut-offs, sizes and worked numbers are written out here from
shared/reference/clinical-facts.md §6 and anchors.md §5.2-5.3, not read back from the data, so
the tests check the definition files as well as the code.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carepath_core.errors import InvalidData
from carepath_core.instruments import Instrument, parse_instrument
from carepath_core.outcomes import (
    Change,
    Course,
    CourseOutcome,
    ScorePair,
    TalkingTherapiesRules,
    at_caseness,
    classify,
    clinical_cutoffs,
    finished_course,
    is_reliable,
    is_suppressed,
    measure_change,
    parse_jacobson_truax,
    parse_talking_therapies,
    read_course,
    recovered,
    recovery_rate,
    reliable_change,
    reliable_change_index,
    reliably_deteriorated,
    reliably_improved,
    reliably_recovered,
    shown_count,
    shown_rate,
    standard_error_of_difference,
    standard_error_of_measurement,
    wilson_interval,
)
from carepath_core.outcomes.rules import measure_rule

SRC = Path(__file__).parents[2] / "src" / "carepath_core"
INSTRUMENTS = SRC / "instruments" / "definitions"
OUTCOMES = SRC / "outcomes" / "definitions"


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def instrument(code: str) -> Instrument:
    return parse_instrument(read_json(INSTRUMENTS / f"{code}.json"))


REGISTRY = {code: instrument(code) for code in ("phq9", "gad7", "who5", "phq2")}
RULES = parse_talking_therapies(read_json(OUTCOMES / "talking_therapies.json"), REGISTRY)
JT = parse_jacobson_truax(read_json(OUTCOMES / "jacobson_truax.json"))


def course(phq9: tuple[int, int], gad7: tuple[int, int], sessions: int = 6) -> Course:
    return Course(ScorePair(*phq9), ScorePair(*gad7), sessions)


def refused(field: str) -> Any:
    """pytest.raises for InvalidData naming exactly this field."""
    return pytest.raises(InvalidData, match=rf"^{re.escape(field)}: ")


# --- the data: thresholds read from the instrument definitions ------------------------------------


def test_the_rules_carry_the_nhs_talking_therapies_numbers() -> None:
    phq9, gad7 = RULES.depression, RULES.anxiety
    # clinical-facts.md §6: caseness PHQ-9 >= 10, GAD-7 >= 8 (not GAD-7's screening cut point of 10);
    # reliable change 6 and 4 points; totals 0-27 and 0-21 (§1, §2).
    assert (phq9.code, phq9.lowest, phq9.highest, phq9.caseness_from, phq9.reliable_change) == (
        "phq9",
        0,
        27,
        10,
        6,
    )
    assert (gad7.code, gad7.lowest, gad7.highest, gad7.caseness_from, gad7.reliable_change) == (
        "gad7",
        0,
        21,
        8,
        4,
    )
    assert RULES.min_attended_sessions == 2
    assert JT.criterion == 1.96


def test_the_rules_come_from_the_instrument_definitions_not_from_code() -> None:
    assert RULES.depression.caseness_from == REGISTRY["phq9"].caseness.value  # type: ignore[union-attr]
    assert RULES.anxiety.reliable_change == REGISTRY["gad7"].reliable_change.value  # type: ignore[union-attr]


def test_every_rule_names_its_source_and_the_paired_rule_is_marked_unconfirmed() -> None:
    assert all(source.citation for source in RULES.sources)
    paired = RULES.sources[-1]
    assert "not reliably deteriorated" in paired.claim and paired.status == "unconfirmed"
    assert "Jacobson" in JT.source.citation and JT.source.status == "confirmed"


def test_a_measure_that_is_better_when_higher_is_refused() -> None:
    with refused("who5.scoring.higher_is"):
        measure_rule(REGISTRY["who5"])


def test_a_definition_naming_an_unknown_measure_is_refused() -> None:
    document = read_json(OUTCOMES / "talking_therapies.json")
    document["measures"]["anxiety"] = "spin"
    with refused("measures.anxiety"):
        parse_talking_therapies(document, REGISTRY)


@pytest.mark.parametrize("sessions", [0, -1, True, "2"])
def test_a_finished_course_needs_a_positive_whole_number_of_sessions(sessions: object) -> None:
    document = read_json(OUTCOMES / "talking_therapies.json")
    document["finished_course"]["min_attended_sessions"] = sessions
    with refused("finished_course.min_attended_sessions"):
        parse_talking_therapies(document, REGISTRY)


@pytest.mark.parametrize("criterion", [0, -1.96, True, "1.96", None])
def test_the_jacobson_truax_criterion_must_be_a_positive_number(criterion: object) -> None:
    with refused("criterion"):
        parse_jacobson_truax({**read_json(OUTCOMES / "jacobson_truax.json"), "criterion": criterion})


# --- finished a course ---------------------------------------------------------------------------


@pytest.mark.parametrize(("sessions", "finished"), [(0, False), (1, False), (2, True), (3, True)])
def test_a_finished_course_has_at_least_two_attended_sessions(sessions: int, finished: bool) -> None:
    assert finished_course(sessions, RULES) is finished


@pytest.mark.parametrize("sessions", [-1, True, "2", 2.0, None])
def test_sessions_must_be_a_whole_number_not_below_zero(sessions: object) -> None:
    with refused("sessions_attended"):
        finished_course(sessions, RULES)


# --- caseness --------------------------------------------------------------------------------------

CASENESS = [
    # (PHQ-9, GAD-7, at caseness): each cut-off and the values either side, the other measure at 0.
    (9, 0, False),
    (10, 0, True),
    (11, 0, True),
    (0, 7, False),
    (0, 8, True),
    (0, 9, True),
    (9, 7, False),  # both just below: not a case
    (27, 21, True),
    (0, 0, False),
]


@pytest.mark.parametrize(("phq9", "gad7", "case"), CASENESS)
def test_caseness_is_either_measure_at_or_above_its_cut_off(phq9: int, gad7: int, case: bool) -> None:
    assert at_caseness(phq9, gad7, RULES) is case


@pytest.mark.parametrize(
    ("phq9", "gad7", "field"),
    [
        (28, 0, "phq9"),
        (-1, 0, "phq9"),
        (0, 22, "gad7"),
        (True, 0, "phq9"),
        ("10", 0, "phq9"),
        (10.0, 0, "phq9"),
        (0, None, "gad7"),
    ],
)
def test_caseness_refuses_totals_the_questionnaires_cannot_give(
    phq9: object, gad7: object, field: str
) -> None:
    with refused(field):
        at_caseness(phq9, gad7, RULES)


# --- reliable change on one measure ----------------------------------------------------------------

MEASURE_CHANGES = [
    # (measure, first, last, expected): drops and rises of 5/6/7 on PHQ-9 and 3/4/5 on GAD-7.
    ("phq9", 20, 15, Change.NONE),
    ("phq9", 20, 14, Change.IMPROVED),
    ("phq9", 20, 13, Change.IMPROVED),
    ("phq9", 10, 15, Change.NONE),
    ("phq9", 10, 16, Change.DETERIORATED),
    ("phq9", 10, 17, Change.DETERIORATED),
    ("gad7", 15, 12, Change.NONE),
    ("gad7", 15, 11, Change.IMPROVED),
    ("gad7", 15, 10, Change.IMPROVED),
    ("gad7", 5, 8, Change.NONE),
    ("gad7", 5, 9, Change.DETERIORATED),
    ("gad7", 5, 10, Change.DETERIORATED),
    ("phq9", 27, 0, Change.IMPROVED),
    ("gad7", 0, 21, Change.DETERIORATED),
    ("phq9", 12, 12, Change.NONE),
]


@pytest.mark.parametrize(("code", "first", "last", "expected"), MEASURE_CHANGES)
def test_reliable_change_on_one_measure_is_at_least_6_on_phq9_and_4_on_gad7(
    code: str, first: int, last: int, expected: Change
) -> None:
    rule = RULES.depression if code == "phq9" else RULES.anxiety
    assert measure_change(rule, ScorePair(first, last)) is expected


# --- the paired rule -------------------------------------------------------------------------------

PAIRED = [
    # (PHQ-9 first→last, GAD-7 first→last, reliable improvement, reliable deterioration)
    ((20, 14), (10, 10), True, False),  # PHQ-9 -6, GAD-7 unchanged
    ((20, 15), (10, 10), False, False),  # PHQ-9 -5 is not enough on its own
    ((10, 10), (15, 11), True, False),  # GAD-7 -4 alone is enough
    ((20, 14), (15, 11), True, False),  # both improve
    ((20, 14), (10, 13), True, False),  # GAD-7 +3: not a reliable rise, improvement stands
    ((20, 14), (10, 14), False, False),  # GAD-7 +4: reliable rise cancels the PHQ-9 improvement
    ((10, 15), (15, 11), True, False),  # PHQ-9 +5: not a reliable rise
    ((10, 16), (15, 11), False, False),  # PHQ-9 +6 cancels the GAD-7 improvement
    ((10, 16), (10, 10), False, True),  # PHQ-9 +6 alone
    ((10, 10), (5, 9), False, True),  # GAD-7 +4 alone
    ((10, 16), (15, 12), False, True),  # GAD-7 -3: not a reliable drop, deterioration stands
    ((10, 16), (5, 9), False, True),  # both deteriorate
]


@pytest.mark.parametrize(("phq9", "gad7", "improved", "deteriorated"), PAIRED)
def test_improvement_counts_only_without_reliable_deterioration_on_the_other_measure(
    phq9: tuple[int, int], gad7: tuple[int, int], improved: bool, deteriorated: bool
) -> None:
    assert reliably_improved(course(phq9, gad7), RULES) is improved
    assert reliably_deteriorated(course(phq9, gad7), RULES) is deteriorated


# --- recovery and reliable recovery ----------------------------------------------------------------

RECOVERY = [
    # (PHQ-9, GAD-7, recovered, reliably recovered)
    ((10, 9), (0, 0), True, False),  # just at caseness, just below at the end; a drop of 1 is not reliable
    ((16, 9), (10, 7), True, True),  # PHQ-9 -7 and both below their cut-offs at the end
    ((12, 12), (12, 7), False, False),  # PHQ-9 still at caseness
    ((15, 5), (3, 8), False, False),  # mood lifted but anxiety rose to caseness: not recovered
    ((15, 5), (3, 7), True, False),  # recovered, but GAD-7 +4 is a reliable rise: no reliable improvement
    ((15, 5), (3, 6), True, True),  # GAD-7 +3 is within measurement error
    ((9, 0), (7, 0), False, False),  # not a case at the start: can never "recover"
    ((9, 0), (12, 0), True, True),  # a case by GAD-7 alone at the start
    ((20, 11), (15, 2), False, False),  # reliably improved, but PHQ-9 ends at caseness
]


@pytest.mark.parametrize(("phq9", "gad7", "is_recovered", "is_reliably_recovered"), RECOVERY)
def test_recovery_is_caseness_at_the_start_and_below_both_cut_offs_at_the_end(
    phq9: tuple[int, int], gad7: tuple[int, int], is_recovered: bool, is_reliably_recovered: bool
) -> None:
    assert recovered(course(phq9, gad7), RULES) is is_recovered
    assert reliably_recovered(course(phq9, gad7), RULES) is is_reliably_recovered


def test_classify_reports_every_flag_of_a_course() -> None:
    assert classify(course((18, 6), (14, 5), sessions=8), RULES) == CourseOutcome(
        finished=True,
        caseness_start=True,
        caseness_end=False,
        recovered=True,
        reliable_improvement=True,
        reliable_recovery=True,
        reliable_deterioration=False,
    )
    assert classify(course((5, 12), (3, 9), sessions=3), RULES) == CourseOutcome(
        finished=True,
        caseness_start=False,
        caseness_end=True,
        recovered=False,
        reliable_improvement=False,
        reliable_recovery=False,
        reliable_deterioration=True,
    )


DOCUMENTED = [
    # The worked examples table in docs/outcomes.md, row by row: PHQ-9, GAD-7, sessions, then
    # finished, caseness start, caseness end, recovered, reliable improvement, reliable recovery,
    # reliable deterioration.
    ((18, 6), (14, 5), 8, (True, True, False, True, True, True, False)),
    ((10, 9), (0, 0), 4, (True, True, False, True, False, False, False)),
    ((15, 5), (3, 8), 4, (True, True, True, False, False, False, False)),
    ((15, 5), (3, 7), 4, (True, True, False, True, False, False, False)),
    ((9, 0), (7, 0), 4, (True, False, False, False, True, False, False)),
    ((5, 12), (3, 9), 3, (True, False, True, False, False, False, True)),
    ((18, 6), (14, 5), 1, (False, True, False, True, True, True, False)),
]


@pytest.mark.parametrize(("phq9", "gad7", "sessions", "flags"), DOCUMENTED)
def test_the_worked_examples_in_the_docs(
    phq9: tuple[int, int], gad7: tuple[int, int], sessions: int, flags: tuple[bool, ...]
) -> None:
    assert classify(course(phq9, gad7, sessions), RULES) == CourseOutcome(*flags)


def test_an_unfinished_course_still_reports_the_change_beside_finished_false() -> None:
    # The flags describe the scores; programme figures count them only where finished is true.
    outcome = classify(course((18, 6), (14, 5), sessions=1), RULES)
    assert not outcome.finished and outcome.recovered


# --- reading a course ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phq9", "gad7", "sessions", "field"),
    [
        (None, [1, 2], 2, "phq9"),
        ([1], [1, 2], 2, "phq9"),
        ([1, 2, 3], [1, 2], 2, "phq9"),
        ("12", [1, 2], 2, "phq9"),
        ({"first": 1, "last": 2}, [1, 2], 2, "phq9"),
        ([28, 2], [1, 2], 2, "phq9[0]"),
        ([2, -1], [1, 2], 2, "phq9[1]"),
        ([True, 2], [1, 2], 2, "phq9[0]"),
        ([1, 2], [1, "2"], 2, "gad7[1]"),
        ([1, 2], [1.5, 2], 2, "gad7[0]"),
        ([1, 2], [1, 22], 2, "gad7[1]"),
        ([1, 2], [1, 2], -1, "sessions_attended"),
        ([1, 2], [1, 2], False, "sessions_attended"),
    ],
)
def test_a_course_with_a_bad_value_is_refused_naming_it(
    phq9: object, gad7: object, sessions: object, field: str
) -> None:
    with refused(field):
        read_course(depression=phq9, anxiety=gad7, sessions_attended=sessions, rules=RULES)


def test_the_highest_and_lowest_totals_are_accepted() -> None:
    read_course(depression=[0, 27], anxiety=(21, 0), sessions_attended=0, rules=RULES)


def test_a_course_built_in_code_is_checked_too() -> None:
    with refused("phq9[1]"):
        classify(course((10, 30), (5, 5)), RULES)


# --- recovery rate ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("recovered_count", "finished", "not_case", "rate"),
    [
        # anchors.md §5.2, NHS Digital June 2020: 27,884 / (57,060 - 3,200) = 51.8 %.
        (27_884, 57_060, 3_200, 27_884 / 53_860),
        (3, 10, 2, 3 / 8),
        (8, 10, 2, 1.0),
        (0, 10, 2, 0.0),
        (0, 5, 5, None),  # everyone started below caseness: no rate
        (0, 0, 0, None),  # no finished courses at all
    ],
)
def test_recovery_rate_leaves_out_people_not_at_caseness_at_the_start(
    recovered_count: int, finished: int, not_case: int, rate: float | None
) -> None:
    assert recovery_rate(recovered_count, finished, not_case) == rate


def test_the_june_2020_example_rounds_to_the_published_51_8_percent() -> None:
    assert round(100 * recovery_rate(27_884, 57_060, 3_200), 1) == 51.8  # type: ignore[operator]


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ((9, 10, 2), "recovered"),  # more recovered than finished courses that started at caseness
        ((0, 10, 11), "not_at_caseness_at_start"),
        ((-1, 10, 2), "recovered"),
        ((1, True, 0), "finished"),
        ((1, 10, 2.0), "not_at_caseness_at_start"),
    ],
)
def test_recovery_rate_refuses_counts_that_cannot_go_together(arguments: tuple[Any, ...], field: str) -> None:
    with refused(field):
        recovery_rate(*arguments)


# --- Jacobson-Truax --------------------------------------------------------------------------------


def test_standard_errors_worked_by_hand() -> None:
    # SD 5, r 0.84: SE = 5 x sqrt(0.16) = 5 x 0.4 = 2.0; S_diff = sqrt(2 x 2.0^2) = sqrt(8) = 2.828427
    assert standard_error_of_measurement(5, 0.84) == pytest.approx(2.0)
    assert standard_error_of_difference(2.0) == pytest.approx(2.828427, abs=1e-6)
    # SD 10, r 0.75: SE = 10 x sqrt(0.25) = 5; S_diff = sqrt(50) = 7.071068
    assert standard_error_of_measurement(10, 0.75) == pytest.approx(5.0)
    assert standard_error_of_difference(5.0) == pytest.approx(7.071068, abs=1e-6)


RCI_CASES = [
    # (before, after, sd, r, lower_is_better, rci, reliable, direction), worked by hand:
    # SD 5, r 0.84 -> S_diff = sqrt(8) = 2.828427 (above); 18 -> 10: -8 / 2.828427 = -2.828427
    (18, 10, 5, 0.84, True, -2.828427, True, Change.IMPROVED),
    # 18 -> 13: -5 / 2.828427 = -1.767767, inside +-1.96
    (18, 13, 5, 0.84, True, -1.767767, False, Change.NONE),
    # 10 -> 18: +8 / 2.828427 = +2.828427, a reliable rise on a lower-is-better scale
    (10, 18, 5, 0.84, True, 2.828427, True, Change.DETERIORATED),
    # the same rise on a higher-is-better scale (e.g. wellbeing) is an improvement
    (10, 18, 5, 0.84, False, 2.828427, True, Change.IMPROVED),
    (18, 10, 5, 0.84, False, -2.828427, True, Change.DETERIORATED),
    # smallest reliable change here is 1.96 x 2.828427 = 5.5437: 5.5 is not enough, 5.6 is
    (20, 14.5, 5, 0.84, True, -5.5 / math.sqrt(8), False, Change.NONE),  # -1.944544
    (20, 14.4, 5, 0.84, True, -5.6 / math.sqrt(8), True, Change.IMPROVED),  # -1.979899
    # SD 10, r 0.75 -> S_diff = sqrt(50) = 7.071068; 50 -> 60: 10 / 7.071068 = 1.414214
    (50, 60, 10, 0.75, True, 1.414214, False, Change.NONE),
    (50, 50, 10, 0.75, True, 0.0, False, Change.NONE),
]


@pytest.mark.parametrize(
    ("before", "after", "sd", "r", "lower_better", "rci", "reliable", "direction"), RCI_CASES
)
def test_reliable_change_index_worked_cases(
    before: float,
    after: float,
    sd: float,
    r: float,
    lower_better: bool,
    rci: float,
    reliable: bool,
    direction: Change,
) -> None:
    result = reliable_change(before, after, sd=sd, reliability=r, method=JT, lower_is_better=lower_better)
    assert result.rci == pytest.approx(rci, abs=1e-6)
    assert (result.reliable, result.direction) == (reliable, direction)


def test_lower_is_better_is_the_default() -> None:
    assert reliable_change(18, 10, sd=5, reliability=0.84, method=JT).direction is Change.IMPROVED


@pytest.mark.parametrize(
    ("rci", "reliable"), [(1.96, False), (-1.96, False), (1.9601, True), (-1.9601, True), (1.95, False)]
)
def test_reliable_means_strictly_beyond_the_criterion(rci: float, reliable: bool) -> None:
    assert is_reliable(rci, JT) is reliable


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"reliability": 0}, "reliability"),
        ({"reliability": 1}, "reliability"),
        ({"reliability": -0.2}, "reliability"),
        ({"reliability": 1.5}, "reliability"),
        ({"reliability": True}, "reliability"),
        ({"sd": 0}, "sd"),
        ({"sd": -3}, "sd"),
        ({"sd": "5"}, "sd"),
        ({"sd": math.inf}, "sd"),
        ({"before": "18"}, "before"),
        ({"before": True}, "before"),
        ({"after": math.nan}, "after"),
        ({"after": None}, "after"),
        ({"lower_is_better": "yes"}, "lower_is_better"),
        ({"lower_is_better": 1}, "lower_is_better"),
    ],
)
def test_reliable_change_refuses_bad_values_naming_them(changes: dict[str, object], field: str) -> None:
    arguments: dict[str, Any] = {"before": 18, "after": 10, "sd": 5, "reliability": 0.84, **changes}
    with refused(field):
        reliable_change(method=JT, **arguments)


def test_clinical_cut_offs_worked_with_the_core10_norms() -> None:
    # anchors.md §5.1/§5.3, CORE-10: clinical M 19.7 SD 7.7, general population M 4.7 SD 4.8.
    # a = 19.7 - 2 x 7.7 = 4.3; b = 4.7 + 2 x 4.8 = 14.3;
    # c = (7.7 x 4.7 + 4.8 x 19.7) / (7.7 + 4.8) = (36.19 + 94.56) / 12.5 = 130.75 / 12.5 = 10.46
    cutoffs = clinical_cutoffs(clinical_mean=19.7, clinical_sd=7.7, normative_mean=4.7, normative_sd=4.8)
    assert (cutoffs.a, cutoffs.b, cutoffs.c) == pytest.approx((4.3, 14.3, 10.46))


def test_clinical_cut_offs_on_a_scale_where_higher_is_better() -> None:
    # Clinical M 30 SD 5, normative M 50 SD 10: a = 30 + 2 x 5 = 40; b = 50 - 2 x 10 = 30;
    # c = (5 x 50 + 10 x 30) / 15 = 550 / 15 = 36.667 (c does not depend on the direction)
    cutoffs = clinical_cutoffs(
        clinical_mean=30, clinical_sd=5, normative_mean=50, normative_sd=10, lower_is_better=False
    )
    assert (cutoffs.a, cutoffs.b, cutoffs.c) == pytest.approx((40.0, 30.0, 550 / 15))


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"clinical_mean": 4.0}, "clinical_mean"),  # swapped means
        ({"lower_is_better": False}, "clinical_mean"),
        ({"clinical_sd": 0}, "clinical_sd"),
        ({"normative_sd": -1}, "normative_sd"),
        ({"normative_mean": "4.7"}, "normative_mean"),
    ],
)
def test_clinical_cut_offs_refuse_bad_values(changes: dict[str, object], field: str) -> None:
    arguments: dict[str, Any] = {
        "clinical_mean": 19.7,
        "clinical_sd": 7.7,
        "normative_mean": 4.7,
        "normative_sd": 4.8,
        **changes,
    }
    with refused(field):
        clinical_cutoffs(**arguments)


# --- Wilson interval -------------------------------------------------------------------------------

# z = 1.959964 (the 97.5th centile of the standard normal), z^2 = 3.841459; n + z^2 = 13.841459.
# 0 of 10:  low 0; high = z^2 / (n + z^2) = 3.841459 / 13.841459 = 0.277533
# 10 of 10: low = n / (n + z^2) = 10 / 13.841459 = 0.722467; high 1
# 5 of 10:  centre 0.5; half-width = z x sqrt(k(n-k)/n + z^2/4) / (n + z^2)
#           = 1.959964 x sqrt(2.5 + 0.960365) / 13.841459 = 1.959964 x 1.860206 / 13.841459 = 0.263407
WILSON_BY_HAND = [
    (0, 10, 0.0, 0.277533),
    (10, 10, 0.722467, 1.0),
    (5, 10, 0.236593, 0.763407),
]


@pytest.mark.parametrize(("k", "n", "low", "high"), WILSON_BY_HAND)
def test_wilson_interval_against_values_worked_by_hand(k: int, n: int, low: float, high: float) -> None:
    interval = wilson_interval(k, n)
    assert interval is not None
    assert (interval.low, interval.high) == pytest.approx((low, high), abs=1e-6)


@pytest.mark.parametrize(
    ("k", "n", "low", "high"),
    [
        # Published by an independent implementation, github.com/msn0/wilson-score-interval (README),
        # which rounds z to 1.96; with the exact z the bounds move by under 1e-5.
        (10, 14, 0.4535045882751561, 0.882788120898909),
        (430, 474, 0.8776750858242243, 0.9301239839930541),
        (392, 436, 0.8672311846637769, 0.9239627360567735),
    ],
)
def test_wilson_interval_against_a_published_implementation(k: int, n: int, low: float, high: float) -> None:
    interval = wilson_interval(k, n)
    assert interval is not None
    assert (interval.low, interval.high) == pytest.approx((low, high), abs=1e-5)


def test_wilson_interval_of_no_trials_is_none() -> None:
    assert wilson_interval(0, 0) is None


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ((11, 10), "successes"),
        ((-1, 10), "successes"),
        ((1, True), "trials"),
        ((1.0, 10), "successes"),
    ],
)
def test_wilson_interval_refuses_bad_counts(arguments: tuple[Any, ...], field: str) -> None:
    with refused(field):
        wilson_interval(*arguments)


@pytest.mark.parametrize("confidence", [0, 1, 95, True])
def test_wilson_interval_refuses_a_confidence_outside_zero_to_one(confidence: object) -> None:
    with refused("confidence"):
        wilson_interval(5, 10, confidence=confidence)


# --- suppression -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "threshold", "suppressed"),
    [(4, 5, True), (5, 5, False), (6, 5, False), (0, 5, True), (9, 10, True), (10, 10, False), (0, 1, True)],
)
def test_counts_under_the_threshold_are_suppressed(value: int, threshold: int, suppressed: bool) -> None:
    assert is_suppressed(value, threshold=threshold) is suppressed
    shown = shown_count(value, threshold=threshold)
    assert shown.suppressed is suppressed
    assert shown.value == (None if suppressed else value)


def test_the_default_threshold_is_5() -> None:
    assert shown_count(4).suppressed and not shown_count(5).suppressed


@pytest.mark.parametrize("threshold", [0, -5, True, 5.0, "5"])
def test_suppression_cannot_be_switched_off_or_given_a_non_number(threshold: object) -> None:
    with refused("threshold"):
        shown_count(10, threshold=threshold)


@pytest.mark.parametrize(
    ("numerator", "denominator", "suppressed"),
    [(4, 20, True), (5, 20, False), (6, 20, False), (0, 20, True), (4, 4, True), (5, 5, False)],
)
def test_a_rate_is_withheld_with_its_interval_when_either_count_is_suppressed(
    numerator: int, denominator: int, suppressed: bool
) -> None:
    rate = shown_rate(numerator, denominator)
    assert rate.suppressed is suppressed
    if suppressed:
        assert rate.value is None and rate.interval is None
    else:
        assert rate.value == numerator / denominator
        assert rate.interval == wilson_interval(numerator, denominator)


def test_a_rate_with_more_successes_than_people_is_refused() -> None:
    with refused("numerator"):
        shown_rate(21, 20)


# --- properties ------------------------------------------------------------------------------------

phq9_totals = st.integers(RULES.depression.lowest, RULES.depression.highest)
gad7_totals = st.integers(RULES.anxiety.lowest, RULES.anxiety.highest)
courses = st.builds(
    Course,
    st.builds(ScorePair, phq9_totals, phq9_totals),
    st.builds(ScorePair, gad7_totals, gad7_totals),
    st.integers(0, 40),
)


def _not_a_case_at_start(rules: TalkingTherapiesRules, c: Course) -> bool:
    return not at_caseness(c.depression.first, c.anxiety.first, rules)


@given(courses)
def test_a_person_not_at_caseness_at_the_start_is_never_recovered(c: Course) -> None:
    if _not_a_case_at_start(RULES, c):
        assert not recovered(c, RULES) and not reliably_recovered(c, RULES)


@given(courses)
def test_running_a_course_backwards_swaps_improvement_and_deterioration(c: Course) -> None:
    assert reliably_improved(c, RULES) == reliably_deteriorated(c.swapped(), RULES)
    assert reliably_deteriorated(c, RULES) == reliably_improved(c.swapped(), RULES)


@given(courses)
def test_reliable_recovery_implies_recovery_and_reliable_improvement(c: Course) -> None:
    outcome = classify(c, RULES)
    if outcome.reliable_recovery:
        assert outcome.recovered and outcome.reliable_improvement
    assert not (outcome.reliable_improvement and outcome.reliable_deterioration)
    assert outcome.recovered == (outcome.caseness_start and not outcome.caseness_end)


@given(st.integers(1, 5000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_wilson_interval_contains_the_proportion_and_stays_within_0_and_1(k_n: tuple[int, int]) -> None:
    k, n = k_n
    interval = wilson_interval(k, n)
    assert interval is not None
    assert 0.0 <= interval.low <= k / n <= interval.high <= 1.0


@given(st.integers(1, 5000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_wilson_bounds_are_where_the_score_test_is_exactly_at_z(k_n: tuple[int, int]) -> None:
    # An independent check of the closed form: Wilson's interval is every p for which
    # (k - n p)^2 <= z^2 n p (1 - p), so each bound strictly inside (0, 1) solves it with equality.
    k, n = k_n
    interval = wilson_interval(k, n)
    assert interval is not None
    z_squared = 1.959963984540054**2
    for p in (interval.low, interval.high):
        if 0.0 < p < 1.0:
            assert (k - n * p) ** 2 == pytest.approx(z_squared * n * p * (1 - p), rel=1e-6, abs=1e-6)


@given(
    st.floats(-100, 100),
    st.floats(-100, 100),
    st.floats(0.1, 50),
    st.floats(0.01, 0.99),
)
def test_the_rci_changes_sign_when_before_and_after_swap(
    before: float, after: float, sd: float, reliability: float
) -> None:
    forwards = reliable_change_index(before, after, sd=sd, reliability=reliability)
    backwards = reliable_change_index(after, before, sd=sd, reliability=reliability)
    assert forwards == pytest.approx(-backwards)
