"""The programme report as it was computed before report rows (issue 7, part three), kept verbatim
as a test oracle: the report built from rows must give exactly these figures.

This is the core's counting loop from that release (one `EpisodeFacts` at a time, classified with
`classify`, counted in a `_Tally`). The integration tests feed it from the selector that reads every
episode's check-ins with correlated subqueries (`report_selectors.report_facts`), which is what each
report request did then. Pure Python: the unit tests use it too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from carepath_core.outcomes.course import Course
from carepath_core.outcomes.recovery_rate import recovery_rate_denominator
from carepath_core.outcomes.report import GroupBy, ProgrammeReport
from carepath_core.outcomes.report_figures import (
    GroupFigures,
    guarded_rate,
    shown_cost_per_recovered,
    shown_median,
)
from carepath_core.outcomes.report_tally import EpisodeFacts
from carepath_core.outcomes.rules import TalkingTherapiesRules
from carepath_core.outcomes.suppression import checked_threshold, is_suppressed, shown_count
from carepath_core.outcomes.talking_therapies import CourseOutcome, classify, finished_course


@dataclass
class _Tally:
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


def programme_report_before(
    facts: Iterable[EpisodeFacts], *, group_by: GroupBy, rules: TalkingTherapiesRules, threshold: object
) -> ProgrammeReport:
    limit = checked_threshold(threshold)
    tallies: dict[str, _Tally] = {}
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
    hides_difference = is_suppressed(tally.not_case_at_start, threshold=limit)
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
