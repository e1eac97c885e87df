"""The programme report: outcome, engagement and cost figures per group of episodes, all suppressed.

The report adds up what each ended episode counts for (`report_tally.episode_counts`) per group
(kind of support or service), either from a stream of `EpisodeFacts` (`programme_report`) or from
sums worked out elsewhere (`report_from_tallies`), and gives figures that can be published:

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

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from carepath_core.outcomes.recovery_rate import recovery_rate_denominator
from carepath_core.outcomes.report_figures import (
    GroupFigures,
    guarded_rate,
    shown_cost_per_recovered,
    shown_median,
)
from carepath_core.outcomes.report_tally import EpisodeFacts, GroupTally, OutcomeCache, episode_counts
from carepath_core.outcomes.rules import TalkingTherapiesRules
from carepath_core.outcomes.suppression import checked_threshold, is_suppressed, shown_count

__all__ = ["EpisodeFacts", "GroupBy", "ProgrammeReport", "programme_report", "report_from_tallies"]


class GroupBy(StrEnum):
    PATHWAY = "pathway"
    SERVICE = "service"


@dataclass(frozen=True, slots=True)
class ProgrammeReport:
    group_by: GroupBy
    threshold: int
    groups: tuple[GroupFigures, ...]


def group_key(episode: EpisodeFacts, group_by: GroupBy) -> str:
    return episode.pathway if group_by is GroupBy.PATHWAY else (episode.service_id or "")


def tally_facts(
    facts: Iterable[EpisodeFacts], *, group_by: GroupBy, rules: TalkingTherapiesRules
) -> dict[str, GroupTally]:
    """Each episode's counts (`episode_counts`) added up per group."""
    tallies: dict[str, GroupTally] = {}
    outcomes: OutcomeCache = {}
    for episode in facts:
        tally = tallies.setdefault(group_key(episode, group_by), GroupTally())
        tally.add(episode_counts(episode, rules, outcomes))
    return tallies


def programme_report(
    facts: Iterable[EpisodeFacts], *, group_by: GroupBy, rules: TalkingTherapiesRules, threshold: object
) -> ProgrammeReport:
    limit = checked_threshold(threshold)
    tallies = tally_facts(facts, group_by=group_by, rules=rules)
    return report_from_tallies(tallies, group_by=group_by, threshold=limit)


def report_from_tallies(
    tallies: Mapping[str, GroupTally], *, group_by: GroupBy, threshold: object
) -> ProgrammeReport:
    """The published figures from counts added up elsewhere (in the database, say)."""
    limit = checked_threshold(threshold)
    groups = tuple(_figures(key, tallies[key], limit) for key in sorted(tallies))
    return ProgrammeReport(group_by=group_by, threshold=limit, groups=groups)


def _figures(key: str, tally: GroupTally, limit: int) -> GroupFigures:
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
        waiting=shown_median(list(tally.waits.elements()), limit),
        cost_per_recovered=shown_cost_per_recovered(
            tally.cost_total, costed=tally.costed, recovered=tally.costed_recovered, limit=limit
        ),
    )
