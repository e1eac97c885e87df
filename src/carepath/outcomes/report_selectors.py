"""Working out the programme report's facts from the check-ins: one row per episode, scores in SQL.

For each episode the first and last PHQ-9 and GAD-7 totals inside its dates, and how many there
are, come from correlated subqueries. Each one is a seek on the (person, instrument, completed_at)
index of check-ins, bounded by the episode's dates, so the database reads only the few check-ins
of that person and measure; no check-in becomes a Python object, and the episode rows are streamed
(`.iterator()`). The same SQL runs on SQLite and PostgreSQL (the one vendor difference, "the day
after", is `_NextDay`).

This is the definition of what the report reads from an episode. It is too slow to run over every
episode for each report (six index seeks per episode: about 6 s at 200,000 episodes), so it is run
when an episode or a check-in changes, to write the episode's report row (`report_rows`), and by
the report itself only for episodes whose row is missing or out of date (`report_row_selectors`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import Count, DateField, Func, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from carepath.directory.models import Organization, Service
from carepath.outcomes.models import Episode
from carepath.outcomes.report_query import ReportQuery
from carepath.outcomes.selectors import talking_therapies_rules
from carepath.screening.models import Assessment
from carepath_core.outcomes import ScorePair
from carepath_core.outcomes.report import EpisodeFacts

_CHUNK = 5000  # rows per database round trip while streaming


class _NextDay(Func):
    """The date after a date column, so "up to the end of the last day" stays a plain comparison
    on `completed_at` (a function wrapped round the indexed column would stop the index helping)."""

    output_field = DateField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, template="date(%(expressions)s, '+1 day')", **extra)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, template="(%(expressions)s + 1)", **extra)


def report_episodes(query: ReportQuery) -> QuerySet[Episode]:
    """Ended episodes matching the filters; an episode belongs to the period it ended in."""
    return ended_matching(Episode.objects.all(), query)


def ended_matching(found: QuerySet[Any], query: ReportQuery) -> QuerySet[Any]:
    """The ended rows matching the report's filters: episodes, or their report rows (same fields)."""
    found = found.filter(ended_on__isnull=False)
    if query.date_from is not None:
        found = found.filter(ended_on__gte=query.date_from)
    if query.date_to is not None:
        found = found.filter(ended_on__lte=query.date_to)
    if query.service_id is not None:
        found = found.filter(service_id=query.service_id)
    if query.organisation_id is not None:
        found = found.filter(service__organization_id=query.organisation_id)
    if query.pathway is not None:
        found = found.filter(pathway=query.pathway)
    return found.order_by()


def _scores_of(code: str) -> dict[str, Any]:
    inside = Assessment.objects.filter(
        person_id=OuterRef("person_id"),
        instrument=code,
        completed_at__gte=OuterRef("started_on"),
        completed_at__lt=_NextDay(OuterRef("ended_on")),
    )
    # Ordered as the progress page orders check-ins (time, then id), so both pick the same first and last.
    return {
        f"{code}_first": Subquery(inside.order_by("completed_at", "id").values("total")[:1]),
        f"{code}_last": Subquery(inside.order_by("-completed_at", "-id").values("total")[:1]),
        f"{code}_n": Coalesce(
            Subquery(inside.order_by().values("person_id").annotate(n=Count("id")).values("n")), 0
        ),
    }


def episode_facts(episodes: QuerySet[Episode]) -> Iterator[tuple[int, dt.date | None, EpisodeFacts]]:
    """(episode id, end date, facts) per episode, streamed; scores only where a measure has two
    check-ins inside the episode's dates (an open episode has none yet)."""
    rules = talking_therapies_rules()
    annotations: dict[str, Any] = {}
    for code in (rules.depression.code, rules.anxiety.code):
        annotations.update(_scores_of(code))
    rows = (
        episodes.order_by()
        .annotate(**annotations)
        .values_list(
            "pk",
            "ended_on",
            "pathway",
            "service_id",
            "sessions_attended",
            "requested_on",
            "first_contact_on",
            "cost",
            *annotations,
        )
        .iterator(chunk_size=_CHUNK)
    )
    for pk, ended_on, pathway, service_id, sessions, requested_on, first_contact_on, cost, *scores in rows:
        yield (
            pk,
            ended_on,
            EpisodeFacts(
                pathway=pathway,
                service_id=service_id,
                sessions_attended=sessions,
                depression=_pair(scores[0:3]),
                anxiety=_pair(scores[3:6]),
                requested_on=requested_on,
                first_contact_on=first_contact_on,
                cost=cost,
            ),
        )


def report_facts(query: ReportQuery) -> Iterator[EpisodeFacts]:
    """One `EpisodeFacts` per matching ended episode, streamed, worked out from the check-ins."""
    return (facts for _, _, facts in episode_facts(report_episodes(query)))


def _pair(values: list[Any]) -> ScorePair | None:
    # One check-in is a starting point, not a change: it needs a first and a later score.
    first, last, count = values
    return ScorePair(first=first, last=last) if count >= 2 else None


def service_names(ids: Iterable[str]) -> dict[str, str]:
    return dict(Service.objects.filter(pk__in=[i for i in ids if i]).values_list("id", "name"))


def service_exists(service_id: str) -> bool:
    return Service.objects.filter(pk=service_id).exists()


def organisation_exists(organisation_id: str) -> bool:
    return Organization.objects.filter(pk=organisation_id).exists()


def services_with_episodes(limit: int = 500) -> list[tuple[str, str]]:
    """(id, name) of services that ended episodes point to, for the dashboard's filter list."""
    ids = Episode.objects.filter(service__isnull=False).values("service_id").distinct()
    return list(Service.objects.filter(pk__in=ids).order_by("name", "id").values_list("id", "name")[:limit])


def organisations_with_episodes(limit: int = 500) -> list[tuple[str, str]]:
    ids = Episode.objects.filter(service__isnull=False).values("service__organization_id").distinct()
    return list(
        Organization.objects.filter(pk__in=ids).order_by("name", "id").values_list("id", "name")[:limit]
    )
