"""The programme report core: each figure worked by hand, suppression either side of the threshold,
the complement rule, and the drop-out and engagement definitions (docs/outcomes.md)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carepath_core.errors import InvalidData
from carepath_core.outcomes import ScorePair, wilson_interval
from carepath_core.outcomes.report import EpisodeFacts, GroupBy, programme_report
from carepath_core.outcomes.report_figures import GroupFigures, guarded_rate
from tests.unit.test_outcomes_core import RULES

RECOVERS = (ScorePair(16, 4), ScorePair(12, 3))  # case at start, below both cut-offs, reliable
STAYS_ILL = (ScorePair(16, 14), ScorePair(12, 11))  # case at start and end, no reliable change
WORSENS = (ScorePair(10, 20), ScorePair(8, 15))  # reliable deterioration on both
MILD = (ScorePair(5, 3), ScorePair(4, 2))  # not at caseness at the start


def ep(
    scores: tuple[ScorePair, ScorePair] | None = RECOVERS,
    *,
    sessions: int = 6,
    pathway: str = "peer",
    service: str | None = None,
    waited: int | None = None,
    cost: str | None = None,
) -> EpisodeFacts:
    asked = dt.date(2026, 1, 1)
    return EpisodeFacts(
        pathway=pathway,
        service_id=service,
        sessions_attended=sessions,
        depression=scores[0] if scores else None,
        anxiety=scores[1] if scores else None,
        requested_on=asked if waited is not None else None,
        first_contact_on=asked + dt.timedelta(days=waited) if waited is not None else None,
        cost=Decimal(cost) if cost is not None else None,
    )


def one_group(facts: list[EpisodeFacts], threshold: int = 5) -> GroupFigures:
    report = programme_report(facts, group_by=GroupBy.PATHWAY, rules=RULES, threshold=threshold)
    assert len(report.groups) == 1
    return report.groups[0]


# --- worked cases -----------------------------------------------------------------------------------


def test_a_worked_group_of_thirty_people() -> None:
    # 10 recover, 6 stay ill, 5 deteriorate, 5 were not at caseness: 26 finished and scored.
    # 3 more finished without scores; 6 came once and dropped out; 2 never came (not started).
    facts = (
        [ep(RECOVERS)] * 10
        + [ep(STAYS_ILL)] * 6
        + [ep(WORSENS)] * 5
        + [ep(MILD)] * 5
        + [ep(None)] * 3
        + [ep(None, sessions=1)] * 6
        + [ep(None, sessions=0)] * 2
    )
    group = one_group(facts)
    assert group.finished.value == 29
    assert group.scored.value == 26
    # Recovery: 10 of (26 - 5 not at caseness) = 10 / 21.
    assert (group.recovery.numerator.value, group.recovery.denominator.value) == (10, 21)
    assert group.recovery.rate.value == pytest.approx(10 / 21)
    assert group.recovery.rate.interval == wilson_interval(10, 21)
    # Reliable improvement is over everyone scored; MILD falls by 2 points only: not reliable.
    assert (group.reliable_improvement.numerator.value, group.reliable_improvement.denominator.value) == (
        10,
        26,
    )
    assert (group.reliable_recovery.numerator.value, group.reliable_recovery.denominator.value) == (10, 21)
    assert (group.reliable_deterioration.numerator.value, group.reliable_deterioration.rate.value) == (
        5,
        pytest.approx(5 / 26),
    )
    # Drop-out: 6 of the 35 who came at least once; the 2 who never came are not in it.
    assert (group.dropped_out.numerator.value, group.dropped_out.denominator.value) == (6, 35)


def test_wilson_values_come_through_unchanged() -> None:
    group = one_group([ep(RECOVERS)] * 10 + [ep(STAYS_ILL)] * 10 + [ep(MILD)] * 5)
    interval = group.recovery.rate.interval
    assert interval is not None
    # 10 of 20: 0.299 to 0.701 (Newcombe 1998 method 3 gives the same to three places).
    assert (round(interval.low, 3), round(interval.high, 3)) == (0.299, 0.701)


def test_recovery_and_reliable_recovery_differ_when_the_change_is_small() -> None:
    barely = (ScorePair(10, 9), ScorePair(8, 7))  # recovered, but by one point each: not reliable
    group = one_group([ep(barely)] * 6 + [ep(RECOVERS)] * 6 + [ep(STAYS_ILL)] * 6 + [ep(MILD)] * 5)
    assert group.recovery.numerator.value == 12
    assert group.reliable_recovery.numerator.value == 6
    assert group.reliable_improvement.numerator.value == 6


def test_unfinished_courses_never_count_in_outcomes_even_with_scores() -> None:
    group = one_group([ep(RECOVERS, sessions=1)] * 10 + [ep(STAYS_ILL)] * 10 + [ep(MILD)] * 5)
    assert group.finished.value == 15
    assert group.recovery.numerator.value is None  # 0 recovered among the finished: suppressed
    assert group.recovery.denominator.value == 10


def test_median_wait_from_request_to_first_contact() -> None:
    waits = [0, 3, 7, 10, 30, 2]
    group = one_group([ep(waited=w) for w in waits])
    assert group.waiting.episodes.value == 6
    assert group.waiting.median_days == 5.0  # (3 + 7) / 2


def test_first_contact_before_the_request_is_left_out_of_the_median() -> None:
    facts = [ep(waited=w) for w in (4, 4, 4, 4, 4)] + [ep(waited=-3)]
    assert one_group(facts).waiting.episodes.value == 5


def test_cost_per_recovered_person_divides_all_known_costs_by_the_recovered_among_them() -> None:
    facts = (
        [ep(RECOVERS, cost="300")] * 6
        + [ep(STAYS_ILL, cost="300")] * 6
        + [ep(None, sessions=1, cost="50")] * 5
    )
    facts += [ep(RECOVERS)] * 5  # no cost known: not in the figure at all
    cost = one_group(facts).cost_per_recovered
    assert cost.costed_episodes.value == 17
    # (6·300 + 6·300 + 5·50) / 6 recovered = 3850 / 6 = 641.666…, shown to the penny.
    assert cost.per_recovered == Decimal("641.67")


def test_groups_by_pathway_or_service() -> None:
    facts = [ep(pathway="peer", service="s1")] * 5 + [ep(pathway="both", service=None)] * 5
    by_pathway = programme_report(facts, group_by=GroupBy.PATHWAY, rules=RULES, threshold=5)
    by_service = programme_report(facts, group_by=GroupBy.SERVICE, rules=RULES, threshold=5)
    assert [g.key for g in by_pathway.groups] == ["both", "peer"]
    assert [g.key for g in by_service.groups] == ["", "s1"]


# --- suppression --------------------------------------------------------------------------------


@pytest.mark.parametrize(("finished", "shown"), [(4, None), (5, 5), (6, 6), (0, None)])
def test_counts_are_suppressed_under_the_threshold(finished: int, shown: int | None) -> None:
    group = one_group([ep(None)] * finished + [ep(None, sessions=0)])
    assert group.finished.value == shown


@pytest.mark.parametrize(
    ("k", "n", "numerator", "rate_shown"),
    [
        (4, 20, None, False),  # numerator under 5
        (5, 20, 5, True),  # at the threshold
        (6, 20, 6, True),
        (16, 20, None, False),  # 4 did not: the complement is small
        (15, 20, 15, True),  # 5 did not: shown
        (5, 9, None, False),  # 4 did not
        (4, 4, None, False),  # denominator under 5
    ],
)
def test_rates_are_withheld_when_numerator_denominator_or_complement_is_small(
    k: int, n: int, numerator: int | None, rate_shown: bool
) -> None:
    figure = guarded_rate(k, n, 5)
    assert figure.numerator.value == numerator
    assert (figure.rate.value is not None) is rate_shown
    assert (figure.rate.interval is not None) is rate_shown
    assert figure.denominator.value == (n if n >= 5 else None)


def test_a_group_where_almost_everyone_recovered_does_not_reveal_the_few_who_did_not() -> None:
    group = one_group([ep(RECOVERS)] * 18 + [ep(STAYS_ILL)] * 2 + [ep(MILD)] * 5)
    assert group.recovery.numerator.value is None
    assert group.recovery.rate.value is None and group.recovery.rate.interval is None
    assert group.recovery.denominator.value == 20


def test_recovery_is_withheld_when_few_people_were_not_at_caseness() -> None:
    # scored 23 and at caseness 20 side by side would show that 3 were not at caseness.
    group = one_group([ep(RECOVERS)] * 10 + [ep(STAYS_ILL)] * 10 + [ep(MILD)] * 3)
    assert group.scored.value == 23
    assert group.recovery.denominator.value is None and group.recovery.rate.value is None
    assert group.reliable_recovery.denominator.value is None
    assert group.reliable_improvement.rate.value is not None


def test_drop_out_is_withheld_whole_when_either_part_is_small() -> None:
    group = one_group([ep(None)] * 10 + [ep(None, sessions=1)] * 3)
    assert group.dropped_out.denominator.value is None  # 13 started would give 3 away beside 10 finished
    assert group.dropped_out.rate.value is None


def test_nobody_below_caseness_at_the_start_is_a_small_difference_too() -> None:
    # Zero is suppressed like any small count: "every one of them started as a clinical case".
    group = one_group([ep(RECOVERS)] * 10 + [ep(STAYS_ILL)] * 10)
    assert group.recovery.rate.value is None
    assert group.reliable_improvement.rate.value == pytest.approx(0.5)


def test_a_median_of_few_waits_is_withheld() -> None:
    assert one_group([ep(waited=2)] * 4).waiting.median_days is None
    assert one_group([ep(waited=2)] * 5).waiting.median_days == 2.0


def test_cost_per_recovered_is_withheld_when_few_costed_people_recovered() -> None:
    facts = [ep(RECOVERS, cost="100")] * 4 + [ep(STAYS_ILL, cost="100")] * 10
    assert one_group(facts).cost_per_recovered.per_recovered is None


def test_the_threshold_is_configurable_and_cannot_be_switched_off() -> None:
    facts = [ep(RECOVERS)] * 3 + [ep(STAYS_ILL)] * 3 + [ep(MILD)] * 3
    assert one_group(facts, threshold=3).recovery.rate.value == pytest.approx(0.5)
    assert one_group(facts, threshold=4).recovery.rate.value is None
    with pytest.raises(InvalidData, match=r"^threshold: "):
        programme_report(facts, group_by=GroupBy.PATHWAY, rules=RULES, threshold=0)


@given(st.integers(0, 60), st.integers(0, 60), st.integers(1, 10))
def test_no_shown_rate_ever_rests_on_a_small_count(k: int, extra: int, limit: int) -> None:
    figure = guarded_rate(k, k + extra, limit)
    if figure.rate.value is not None:
        assert min(k, extra, k + extra) >= limit
        assert figure.numerator.value == k


pairs = st.builds(ScorePair, st.integers(0, 27), st.integers(0, 27))
anxiety_pairs = st.builds(ScorePair, st.integers(0, 21), st.integers(0, 21))
facts_lists = st.lists(
    st.builds(
        EpisodeFacts,
        pathway=st.just("peer"),
        service_id=st.none(),
        sessions_attended=st.integers(0, 4),
        depression=pairs,
        anxiety=anxiety_pairs,
    ),
    max_size=40,
)


@given(facts_lists)
def test_every_shown_figure_is_the_plain_count_of_classify_over_finished_courses(
    facts: list[EpisodeFacts],
) -> None:
    from carepath_core.outcomes import Course, classify

    report = programme_report(facts, group_by=GroupBy.PATHWAY, rules=RULES, threshold=1)
    if not report.groups:
        return
    (group,) = report.groups
    finished = [f for f in facts if f.sessions_attended >= RULES.min_attended_sessions]
    flags = [classify(Course(f.depression, f.anxiety, f.sessions_attended), RULES) for f in finished]  # type: ignore[arg-type]
    expected = {
        "recovery": sum(o.recovered for o in flags),
        "reliable_improvement": sum(o.reliable_improvement for o in flags),
        "reliable_recovery": sum(o.reliable_recovery for o in flags),
        "reliable_deterioration": sum(o.reliable_deterioration for o in flags),
    }
    for name, count in expected.items():
        shown = getattr(group, name).numerator.value
        assert shown is None or shown == count
