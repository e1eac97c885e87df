"""Reading the audit trail: recent events, filtered pages (keyset-paged, never counted in full),
a person's own access log, and the chain's head and last check."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from carepath.audit.models import AuditChainCheck, AuditChainHead, AuditEvent
from carepath.audit.subjects import about_person

PAGE_SIZE = 25


def recent_events(limit: int = 20) -> list[AuditEvent]:
    return list(AuditEvent.objects.select_related("actor")[:limit])


def events_about(subject_type: str, subject_id: object) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(subject_type=subject_type, subject_id=str(subject_id))


@dataclass(frozen=True)
class TrailQuery:
    """The audit page's filters; dates are whole UTC days, both ends included."""

    actor_id: int | None = None
    person_id: int | None = None
    action: str | None = None
    outcome: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    def as_details(self) -> dict[str, Any]:
        """The filters as an audit event keeps them: account ids and codes, never names."""
        values = {
            "actor": self.actor_id,
            "person": self.person_id,
            "action": self.action,
            "outcome": self.outcome,
            "from": self.date_from.isoformat() if self.date_from else None,
            "to": self.date_to.isoformat() if self.date_to else None,
        }
        return {name: value for name, value in values.items() if value is not None}


@dataclass(frozen=True)
class EventPage:
    """One page, newest first, with the cursors of the pages either side (None: no such page)."""

    events: list[AuditEvent]
    newer: int | None  # pass as ?after=
    older: int | None  # pass as ?before=


def trail_events(query: TrailQuery) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.all()
    if query.actor_id is not None:
        events = events.filter(actor_id=query.actor_id)
    if query.person_id is not None:
        events = events.filter(about_person(query.person_id))
    if query.action:
        events = events.filter(action=query.action)
    if query.outcome:
        events = events.filter(outcome=query.outcome)
    if query.date_from:
        events = events.filter(occurred_at__gte=_utc_midnight(query.date_from))
    if query.date_to:
        events = events.filter(occurred_at__lt=_utc_midnight(query.date_to + dt.timedelta(days=1)))
    return events


def trail_page(query: TrailQuery, *, before: int | None = None, after: int | None = None) -> EventPage:
    return event_page(trail_events(query), before=before, after=after)


def access_log_page(person_id: int, *, before: int | None = None, after: int | None = None) -> EventPage:
    """Events about the person's own account and records, with the acting account for its name."""
    events = AuditEvent.objects.filter(about_person(person_id)).select_related("actor")
    return event_page(events, before=before, after=after)


def event_page(
    events: QuerySet[AuditEvent], *, before: int | None, after: int | None, size: int = PAGE_SIZE
) -> EventPage:
    """Keyset paging on the sequence number: one query of size + 1 rows, whatever the table's size."""
    if after is not None:
        rows = list(events.filter(sequence__gt=after).order_by("sequence")[: size + 1])
        more_newer = len(rows) > size
        rows = rows[:size][::-1]
        return EventPage(rows, rows[0].sequence if rows and more_newer else None, _last(rows))
    if before is not None:
        events = events.filter(sequence__lt=before)
    rows = list(events.order_by("-sequence")[: size + 1])
    more_older = len(rows) > size
    rows = rows[:size]
    newer = rows[0].sequence if rows and before is not None else None
    return EventPage(rows, newer, rows[-1].sequence if more_older else None)


def _last(rows: list[AuditEvent]) -> int | None:
    # Reached by going to newer events, so the page that linked here is older than these.
    return rows[-1].sequence if rows else None


def _utc_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)


def chain_head() -> AuditChainHead | None:
    return AuditChainHead.objects.first()


def latest_chain_check() -> AuditChainCheck | None:
    return AuditChainCheck.objects.first()
