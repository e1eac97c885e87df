"""What one ended episode adds to its group in the programme report, and the running counts.

`episode_counts` is the one place where the report's per-episode definitions are applied: started,
dropped out, finished, the outcome flags from `classify`, the waiting time, the cost. A group's
figures are the sums of these over its episodes, so they can be added up in Python (`GroupTally.add`,
what `programme_report` does with a stream of facts) or, when each episode's counts are kept on a
row of their own, by the database with SUM and COUNT: the database then only adds, it never decides
(carepath.outcomes.report_rows and docs/decisions/0003-outcomes-report-rows.md).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from carepath_core.outcomes.course import Course, ScorePair
from carepath_core.outcomes.rules import TalkingTherapiesRules
from carepath_core.outcomes.talking_therapies import CourseOutcome, classify, finished_course


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


@dataclass(frozen=True, slots=True)
class EpisodeCounts:
    """One episode's part in its group's counts: each flag adds one to the count of the same name."""

    started: bool
    dropped_out: bool
    finished: bool
    scored: bool
    not_case_at_start: bool
    recovered: bool
    reliable_improvement: bool
    reliable_recovery: bool
    reliable_deterioration: bool
    wait_days: int | None  # None: a date is missing, or the contact is dated before the request
    cost: Decimal | None
    costed_recovered: bool


_NOT_SCORED = CourseOutcome(False, False, False, False, False, False, False)

# Many people share the same four scores, and `classify` checks every value it is given; over
# hundreds of thousands of episodes each combination is classified once (the flags read only the
# scores: whether the course finished is decided from the sessions before it is asked).
OutcomeCache = dict[tuple[int, int, int, int], CourseOutcome]


def episode_counts(
    episode: EpisodeFacts, rules: TalkingTherapiesRules, outcomes: OutcomeCache | None = None
) -> EpisodeCounts:
    finished = finished_course(episode.sessions_attended, rules)
    started = episode.sessions_attended >= 1
    depression, anxiety = episode.depression, episode.anxiety
    outcome = _NOT_SCORED
    scored = finished and depression is not None and anxiety is not None
    if finished and depression is not None and anxiety is not None:
        course = Course(depression, anxiety, episode.sessions_attended)
        outcome = _outcome(course, rules, {} if outcomes is None else outcomes)
    return EpisodeCounts(
        started=started,
        dropped_out=started and not finished,
        finished=finished,
        scored=scored,
        not_case_at_start=scored and not outcome.caseness_start,
        recovered=outcome.recovered,
        reliable_improvement=outcome.reliable_improvement,
        reliable_recovery=outcome.reliable_recovery,
        reliable_deterioration=outcome.reliable_deterioration,
        wait_days=waiting_days(episode.requested_on, episode.first_contact_on),
        cost=episode.cost,
        costed_recovered=episode.cost is not None and outcome.recovered,
    )


def waiting_days(requested_on: dt.date | None, first_contact_on: dt.date | None) -> int | None:
    # A first contact dated before the request is a data-entry slip; it is left out, not read as 0.
    if requested_on is None or first_contact_on is None or first_contact_on < requested_on:
        return None
    return (first_contact_on - requested_on).days


def _outcome(course: Course, rules: TalkingTherapiesRules, outcomes: OutcomeCache) -> CourseOutcome:
    scores = (course.depression.first, course.depression.last, course.anxiety.first, course.anxiety.last)
    outcome = outcomes.get(scores)
    if outcome is None:
        outcome = classify(course, rules)
        outcomes[scores] = outcome
    return outcome


@dataclass
class GroupTally:
    """Running counts for one group; waiting times are kept as how many episodes waited each number
    of days, which is all a median needs."""

    finished: int = 0
    scored: int = 0
    not_case_at_start: int = 0
    recovered: int = 0
    reliable_improvement: int = 0
    reliable_recovery: int = 0
    reliable_deterioration: int = 0
    started: int = 0
    dropped_out: int = 0
    waits: Counter[int] = field(default_factory=Counter)
    costed: int = 0
    cost_total: Decimal = Decimal(0)
    costed_recovered: int = 0

    def add(self, counts: EpisodeCounts) -> None:
        self.finished += counts.finished
        self.scored += counts.scored
        self.not_case_at_start += counts.not_case_at_start
        self.recovered += counts.recovered
        self.reliable_improvement += counts.reliable_improvement
        self.reliable_recovery += counts.reliable_recovery
        self.reliable_deterioration += counts.reliable_deterioration
        self.started += counts.started
        self.dropped_out += counts.dropped_out
        if counts.wait_days is not None:
            self.waits[counts.wait_days] += 1
        if counts.cost is not None:
            self.costed += 1
            self.cost_total += counts.cost
            self.costed_recovered += counts.costed_recovered

    def merge(self, other: GroupTally) -> None:
        """Adds another tally of the same group (counts read from two places, say)."""
        for name in _SUMMED:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.waits.update(other.waits)


_SUMMED = (
    "finished",
    "scored",
    "not_case_at_start",
    "recovered",
    "reliable_improvement",
    "reliable_recovery",
    "reliable_deterioration",
    "started",
    "dropped_out",
    "costed",
    "cost_total",
    "costed_recovered",
)
