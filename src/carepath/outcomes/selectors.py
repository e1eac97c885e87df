"""Reading the outcome definitions (shipped data) once per process, and a person's episodes
with the check-ins that fall inside them."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from carepath.errors import ApplicationError
from carepath.outcomes.models import Episode
from carepath.screening.models import Assessment
from carepath.screening.selectors import instrument_registry
from carepath_core.instruments import Band, Instrument
from carepath_core.outcomes import (
    Change,
    Course,
    CourseOutcome,
    JacobsonTruaxMethod,
    MeasureRule,
    ScorePair,
    TalkingTherapiesRules,
    classify,
    measure_change,
    parse_jacobson_truax,
    parse_talking_therapies,
)


@cache
def talking_therapies_rules() -> TalkingTherapiesRules:
    # Cut-offs and reliable-change sizes come from the same instrument registry the screening
    # pages use, so a check-in and an outcome report can never disagree about them.
    return parse_talking_therapies(_definition("talking_therapies.json"), instrument_registry())


@cache
def jacobson_truax_method() -> JacobsonTruaxMethod:
    return parse_jacobson_truax(_definition("jacobson_truax.json"))


def _definition(name: str) -> Any:
    folder = resources.files("carepath_core.outcomes").joinpath("definitions")
    return json.loads(folder.joinpath(name).read_text(encoding="utf-8"))


# --- Episodes and their measure series -------------------------------------------------------


@dataclass(frozen=True)
class SeriesPoint:
    """One stored check-in inside an episode, read against the instrument's definition."""

    completed_at: dt.datetime
    total: int
    band: Band
    at_caseness: bool
    change_from_first: int
    # Against the first score of the episode (what the chart marks) and against the score before.
    change: Change
    step_change: Change

    @property
    def is_reliable_change(self) -> bool:
        return self.change is not Change.NONE


@dataclass(frozen=True)
class MeasureSeries:
    instrument: Instrument
    rule: MeasureRule
    points: tuple[SeriesPoint, ...]

    @property
    def first(self) -> SeriesPoint:
        return self.points[0]

    @property
    def last(self) -> SeriesPoint:
        return self.points[-1]


def episodes_of(person: Any) -> QuerySet[Episode]:
    return Episode.objects.filter(person=person).select_related("service")


def episode_by_id(episode_id: Any) -> Episode | None:
    return Episode.objects.filter(pk=episode_id).select_related("service").first()


def episode_check_ins(episode: Episode, instrument_code: str | None = None) -> QuerySet[Assessment]:
    """The person's stored check-ins dated inside the episode, oldest first.

    Compared as a half-open range of instants (not `__date`) so the (person, instrument,
    completed_at) index serves it.
    """
    found = Assessment.objects.filter(
        person_id=episode.person_id, completed_at__gte=_day_start(episode.started_on)
    )
    if episode.ended_on is not None:
        found = found.filter(completed_at__lt=_day_start(episode.ended_on + dt.timedelta(days=1)))
    if instrument_code is not None:
        found = found.filter(instrument=instrument_code)
    return found.order_by("completed_at", "id")


def measure_series(episode: Episode) -> list[MeasureSeries]:
    """PHQ-9 then GAD-7 (the pair the outcome definitions use), each only when it has a score."""
    rules = talking_therapies_rules()
    series = []
    for rule in rules.measures:
        totals = [(a.completed_at, a.total) for a in episode_check_ins(episode, rule.code)]
        if totals:
            series.append(series_of(instrument_registry()[rule.code], rule, totals))
    return series


def series_of(
    instrument: Instrument, rule: MeasureRule, totals: list[tuple[dt.datetime, int]]
) -> MeasureSeries:
    first = totals[0][1]
    points = []
    previous = first
    for completed_at, total in totals:
        points.append(
            SeriesPoint(
                completed_at=completed_at,
                total=total,
                band=_band(instrument, total),
                at_caseness=rule.is_case(total),
                change_from_first=total - first,
                change=measure_change(rule, ScorePair(first=first, last=total)),
                step_change=measure_change(rule, ScorePair(first=previous, last=total)),
            )
        )
        previous = total
    return MeasureSeries(instrument=instrument, rule=rule, points=tuple(points))


def episode_outcome(episode: Episode, series: list[MeasureSeries]) -> CourseOutcome | None:
    """The NHS Talking Therapies flags, once both measures have a first and a later score."""
    rules = talking_therapies_rules()
    by_code = {s.rule.code: s for s in series}
    depression, anxiety = by_code.get(rules.depression.code), by_code.get(rules.anxiety.code)
    if depression is None or anxiety is None or min(len(depression.points), len(anxiety.points)) < 2:
        return None
    course = Course(
        depression=ScorePair(depression.first.total, depression.last.total),
        anxiety=ScorePair(anxiety.first.total, anxiety.last.total),
        sessions_attended=episode.sessions_attended,
    )
    return classify(course, rules)


def episodes_due_for_check_in(*, days: int, now: dt.datetime) -> QuerySet[Episode]:
    """Open episodes with no check-in, and no reminder, in the last `days` days.

    An episode younger than that is not due: its start is its first check-in's natural moment.
    """
    cutoff = now - dt.timedelta(days=days)
    recent = Assessment.objects.filter(person_id=OuterRef("person_id"), completed_at__gte=cutoff)
    return (
        Episode.objects.filter(ended_on__isnull=True, started_on__lte=cutoff.date())
        .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lt=cutoff))
        .exclude(Exists(recent))
        .select_related("person")
        .order_by("person_id", "id")
    )


def _band(instrument: Instrument, total: int) -> Band:
    for band in instrument.bands:
        if band.contains(total):
            return band
    raise ApplicationError(f"{instrument.code}: no band holds the total {total}")


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())
