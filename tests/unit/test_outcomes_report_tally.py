"""What one episode adds to its group (`episode_counts`) and how the counts add up (`GroupTally`).

The report may add the counts up in Python or in the database (from report rows), in one place or
in two (rows, and episodes without a current row); every route must give the figures the report
gave before rows existed (`tests/outcomes_report_before.py`, the old counting loop kept verbatim).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carepath_core.outcomes import ScorePair
from carepath_core.outcomes.report import GroupBy, programme_report, report_from_tallies, tally_facts
from carepath_core.outcomes.report_tally import (
    EpisodeFacts,
    GroupTally,
    episode_counts,
    waiting_days,
)
from tests.outcomes_report_before import programme_report_before
from tests.unit.test_outcomes_core import RULES

DAY = dt.date(2026, 1, 1)


def _pair(highest: int) -> st.SearchStrategy[ScorePair | None]:
    score = st.integers(0, highest)
    return st.none() | st.builds(ScorePair, score, score)


facts_strategy = st.builds(
    EpisodeFacts,
    pathway=st.sampled_from(["peer", "professional", "both"]),
    service_id=st.sampled_from([None, "s1", "s2"]),
    sessions_attended=st.integers(0, 8),
    depression=_pair(27),
    anxiety=_pair(21),
    requested_on=st.none() | st.integers(0, 30).map(lambda n: DAY + dt.timedelta(days=n)),
    first_contact_on=st.none() | st.integers(0, 30).map(lambda n: DAY + dt.timedelta(days=n)),
    cost=st.none() | st.integers(0, 500_000).map(lambda cents: Decimal(cents).scaleb(-2)),
)
many_facts = st.lists(facts_strategy, max_size=120)


def sum_like_the_database(facts: list[EpisodeFacts], group_by: GroupBy) -> dict[str, GroupTally]:
    """What report_row_selectors asks of the database: per group, how many rows have each flag set,
    how many have a cost and their sum in cents, and how many waited each number of days."""
    tallies: dict[str, GroupTally] = {}
    for key, members in facts_by_group(facts, group_by).items():
        rows = [episode_counts(f, RULES) for f in members]
        tally = GroupTally(costed=sum(r.cost is not None for r in rows))
        for flag in (
            "started",
            "dropped_out",
            "finished",
            "scored",
            "not_case_at_start",
            "recovered",
            "reliable_improvement",
            "reliable_recovery",
            "reliable_deterioration",
            "costed_recovered",
        ):
            setattr(tally, flag, sum(getattr(r, flag) for r in rows))
        cents = sum(int(r.cost.scaleb(2)) for r in rows if r.cost is not None)
        tally.cost_total = Decimal(0) + Decimal(cents).scaleb(-2)
        tally.waits = Counter(r.wait_days for r in rows if r.wait_days is not None)
        tallies[key] = tally
    return tallies


def facts_by_group(facts: list[EpisodeFacts], group_by: GroupBy) -> dict[str, list[EpisodeFacts]]:
    found: dict[str, list[EpisodeFacts]] = {}
    for item in facts:
        key = item.pathway if group_by is GroupBy.PATHWAY else (item.service_id or "")
        found.setdefault(key, []).append(item)
    return found


@settings(max_examples=150)
@given(many_facts, st.sampled_from(list(GroupBy)), st.integers(1, 6))
def test_the_report_is_the_report_before_rows(
    facts: list[EpisodeFacts], group_by: GroupBy, limit: int
) -> None:
    before = programme_report_before(facts, group_by=group_by, rules=RULES, threshold=limit)
    assert programme_report(facts, group_by=group_by, rules=RULES, threshold=limit) == before


@settings(max_examples=150)
@given(many_facts, st.sampled_from(list(GroupBy)), st.integers(1, 6))
def test_counts_added_up_as_the_database_does_give_the_same_report(
    facts: list[EpisodeFacts], group_by: GroupBy, limit: int
) -> None:
    before = programme_report_before(facts, group_by=group_by, rules=RULES, threshold=limit)
    summed = sum_like_the_database(facts, group_by)
    assert report_from_tallies(summed, group_by=group_by, threshold=limit) == before


@settings(max_examples=100)
@given(many_facts, st.integers(0, 120), st.sampled_from(list(GroupBy)))
def test_tallies_from_two_places_merge_into_the_whole(
    facts: list[EpisodeFacts], cut: int, group_by: GroupBy
) -> None:
    first = tally_facts(facts[:cut], group_by=group_by, rules=RULES)
    for key, tally in tally_facts(facts[cut:], group_by=group_by, rules=RULES).items():
        first.setdefault(key, GroupTally()).merge(tally)
    assert first == tally_facts(facts, group_by=group_by, rules=RULES)


def test_one_finished_recovered_course_with_a_cost() -> None:
    counts = episode_counts(
        EpisodeFacts("peer", None, 6, ScorePair(16, 4), ScorePair(12, 3), DAY, DAY, Decimal("120.50")), RULES
    )
    assert (counts.started, counts.finished, counts.dropped_out, counts.scored) == (True, True, False, True)
    assert (counts.recovered, counts.reliable_recovery, counts.costed_recovered) == (True, True, True)
    assert (counts.wait_days, counts.cost) == (0, Decimal("120.50"))


def test_a_course_of_one_session_drops_out_and_its_scores_are_not_counted() -> None:
    counts = episode_counts(EpisodeFacts("peer", None, 1, ScorePair(16, 4), ScorePair(12, 3)), RULES)
    assert (counts.started, counts.dropped_out, counts.finished, counts.scored) == (True, True, False, False)
    assert not (counts.recovered or counts.not_case_at_start or counts.costed_recovered)


def test_a_course_never_started_is_neither_started_nor_dropped_out() -> None:
    counts = episode_counts(EpisodeFacts("both", "s1", 0), RULES)
    assert not (counts.started or counts.dropped_out or counts.finished)


@pytest.mark.parametrize(
    ("asked", "contacted", "days"),
    [
        (DAY, DAY + dt.timedelta(days=9), 9),
        (DAY, DAY, 0),
        (DAY, DAY - dt.timedelta(days=1), None),
        (None, DAY, None),
    ],
)
def test_waiting_days_leave_out_a_contact_before_the_request(
    asked: dt.date | None, contacted: dt.date | None, days: int | None
) -> None:
    assert waiting_days(asked, contacted) == days
