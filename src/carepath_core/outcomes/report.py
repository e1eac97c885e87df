"""The programme report: outcome, engagement and cost figures per group of episodes, all suppressed.

The report reads one `EpisodeFacts` per ended episode (a stream; nothing is kept per episode but
its waiting time) and gives, per group (kind of support or service), figures that can be published:

- finished: courses with at least the rules' minimum attended sessions (`finished_course`);
- outcome rates over finished courses with a first and a later score on both measures ("scored"),
  each flag from `classify`: recovery and reliable recovery over those at caseness at the start
  (`recovery_rate_denominator`), reliable improvement and deterioration over all scored courses;
- engagement: the median days from asking for help to first contact, and the drop-out rate, where
  a drop-out is an episode that STARTED (at least one attended session) and ended WITHOUT finishing
  (fewer than the minimum sessions), out of all ended episodes that started;
- cost per recovered person: the known costs of every ended episode that has one, divided by the
  people among those costed episodes who recovered.

Suppression (docs/outcomes.md, "Programme report") is applied here, once, so that no screen or file
can show more than the report allows. See `guarded_rate` for the complement rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from carepath_core.outcomes.course import Course, ScorePair
from carepath_core.outcomes.recovery_rate import recovery_rate_denominator
from carepath_core.outcomes.report_figures import (
    GroupFigures,
    guarded_rate,
    shown_cost_per_recovered,
    shown_median,
)
from carepath_core.outcomes.rules import TalkingTherapiesRules
from carepath_core.outcomes.suppression import checked_threshold, is_suppressed, shown_count
from carepath_core.outcomes.talking_therapies import CourseOutcome, classify, finished_course


class GroupBy(StrEnum):
    PATHWAY = "pathway"
    SERVICE = "service"


@dataclass(frozen=True, slots=True)
class EpisodeFacts:
    """What the report needs to know about one ended episode; scores are None without two check-ins."""

    pathway: str
    service_id: str | None
    sessions_attended: int
    depression: ScorePair | None = None
    anxiety: ScorePair | None = None
    requested_on: dt.date | None = None
    first_contact_on: dt.date | None = None
    cost: Decimal | None = None


@dataclass
class _Tally:
    """Running counts for one group; the only per-episode memory is the list of waiting times."""

    finished: int = 0
    scored: int = 0
    not_case_at_start: int = 0
    recovered: int = 0
    reliable_improvement: int = 0
    reliable_recovery: int = 0
    reliable_deterioration: int = 0
    started: int = 0
    dropped_out: int = 0
    waits: list[int] = field(default_factory=list)
    costed: int = 0
    cost_total: Decimal = Decimal(0)
    costed_recovered: int = 0


@dataclass(frozen=True, slots=True)
class ProgrammeReport:
    group_by: GroupBy
    threshold: int
    groups: tuple[GroupFigures, ...]


def programme_report(
    facts: Iterable[EpisodeFacts], *, group_by: GroupBy, rules: TalkingTherapiesRules, threshold: object
) -> ProgrammeReport:
    limit = checked_threshold(threshold)
    tallies: dict[str, _Tally] = {}
    # Many people share the same four scores, and `classify` checks every value it is given; over
    # hundreds of thousands of episodes each combination is classified once (the flags read only
    # the scores: whether the course finished is decided from the sessions before it is asked).
    outcomes: dict[tuple[int, int, int, int], CourseOutcome] = {}
    for episode in facts:
        key = episode.pathway if group_by is GroupBy.PATHWAY else (episode.service_id or "")
        _count(tallies.setdefault(key, _Tally()), episode, rules, outcomes)
    groups = tuple(_figures(key, tallies[key], limit) for key in sorted(tallies))
    return ProgrammeReport(group_by=group_by, threshold=limit, groups=groups)


def _count(
    tally: _Tally,
    episode: EpisodeFacts,
    rules: TalkingTherapiesRules,
    outcomes: dict[tuple[int, int, int, int], CourseOutcome],
) -> None:
    finished = finished_course(episode.sessions_attended, rules)
    if episode.sessions_attended >= 1:
        tally.started += 1
        tally.dropped_out += not finished
    asked, contacted = episode.requested_on, episode.first_contact_on
    # A first contact dated before the request is a data-entry slip; it is left out, not read as 0.
    if asked is not None and contacted is not None and contacted >= asked:
        tally.waits.append((contacted - asked).days)
    recovered = False
    if finished:
        tally.finished += 1
        depression, anxiety = episode.depression, episode.anxiety
        if depression is not None and anxiety is not None:
            scores = (depression.first, depression.last, anxiety.first, anxiety.last)
            outcome = outcomes.get(scores)
            if outcome is None:
                outcome = classify(Course(depression, anxiety, episode.sessions_attended), rules)
                outcomes[scores] = outcome
            tally.scored += 1
            tally.not_case_at_start += not outcome.caseness_start
            tally.recovered += outcome.recovered
            tally.reliable_improvement += outcome.reliable_improvement
            tally.reliable_recovery += outcome.reliable_recovery
            tally.reliable_deterioration += outcome.reliable_deterioration
            recovered = outcome.recovered
    if episode.cost is not None:
        tally.costed += 1
        tally.cost_total += episode.cost
        tally.costed_recovered += recovered


def _figures(key: str, tally: _Tally, limit: int) -> GroupFigures:
    at_case = recovery_rate_denominator(tally.scored, tally.not_case_at_start)
    # Showing both denominators (scored, and scored at caseness) would give away how many were not
    # at caseness at the start, so the recovery pair is withheld when that difference is small.
    hides_difference = is_suppressed(tally.not_case_at_start, threshold=limit)
    # Started = finished + dropped out, and finished is shown, so when either part is small the
    # whole drop-out figure goes, started count included.
    small_part = is_suppressed(tally.dropped_out, threshold=limit) or is_suppressed(
        tally.started - tally.dropped_out, threshold=limit
    )
    return GroupFigures(
        key=key,
        finished=shown_count(tally.finished, threshold=limit),
        scored=shown_count(tally.scored, threshold=limit),
        recovery=guarded_rate(tally.recovered, at_case, limit, withhold=hides_difference),
        reliable_improvement=guarded_rate(tally.reliable_improvement, tally.scored, limit),
        reliable_recovery=guarded_rate(tally.reliable_recovery, at_case, limit, withhold=hides_difference),
        reliable_deterioration=guarded_rate(tally.reliable_deterioration, tally.scored, limit),
        dropped_out=guarded_rate(tally.dropped_out, tally.started, limit, withhold=small_part),
        waiting=shown_median(tally.waits, limit),
        cost_per_recovered=shown_cost_per_recovered(
            tally.cost_total, costed=tally.costed, recovered=tally.costed_recovered, limit=limit
        ),
    )
