"""Writing audit events. Callers are other services, inside the transaction of their change."""

from __future__ import annotations

from typing import Any

from django.db import connection

from carepath.audit.models import AuditAction, AuditEvent, AuditOutcome
from carepath.errors import ApplicationError


def record_event(
    *,
    actor: Any | None,
    action: AuditAction,
    subject_type: str = "",
    subject_id: object = "",
    outcome: AuditOutcome = AuditOutcome.SUCCESS,
    details: dict[str, Any] | None = None,
    actor_label: str = "",
) -> AuditEvent:
    """Write one audit event. Refuses to run outside a transaction so no change goes unrecorded."""
    if not connection.in_atomic_block:
        raise ApplicationError("audit events must be written inside the transaction of the change")
    signed_in = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=signed_in,
        actor_label=actor_label or (signed_in.get_username() if signed_in is not None else ""),
        action=action,
        outcome=outcome,
        subject_type=subject_type,
        subject_id=str(subject_id),
        details=details or {},
    )
