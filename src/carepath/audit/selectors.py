"""Reading the audit trail."""

from __future__ import annotations

from django.db.models import QuerySet

from carepath.audit.models import AuditEvent


def recent_events(limit: int = 20) -> list[AuditEvent]:
    return list(AuditEvent.objects.select_related("actor")[:limit])


def events_about(subject_type: str, subject_id: object) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(subject_type=subject_type, subject_id=str(subject_id))
