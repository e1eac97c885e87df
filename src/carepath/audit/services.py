"""Writing audit events. Callers are other services, inside the transaction of their change.

Every event is appended to the hash chain under a lock on the chain's head row, held until the
caller's transaction ends: a second writer waits there and then chains onto the first writer's
event, so the chain never forks. On PostgreSQL the lock is `SELECT ... FOR UPDATE`; on SQLite the
settings make every transaction `BEGIN IMMEDIATE`, which already lets one writer in at a time (and
Django leaves out FOR UPDATE there). The unique sequence number is the last line of defence: a
fork could not be committed even if the lock were bypassed.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from carepath import policy
from carepath.audit.chain_rows import as_stored_json, chain_entry
from carepath.audit.models import AuditAction, AuditChainCheck, AuditChainHead, AuditEvent, AuditOutcome
from carepath.audit.selectors import EventPage, TrailQuery, trail_page
from carepath.audit.subjects import ACCOUNT
from carepath.errors import ApplicationError, NotPermitted
from carepath_core.audit_chain import CHAIN_VERSION, GENESIS_HASH, entry_hash

HEAD_ID = 1


@dataclass(frozen=True)
class NewEvent:
    """One event of a batch for `record_events`: everything but the actor, who is the same for all."""

    action: AuditAction
    subject_type: str = ""
    subject_id: object = ""
    outcome: AuditOutcome = AuditOutcome.SUCCESS
    details: dict[str, Any] | None = None


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
    _require_transaction()
    signed_in = _signed_in(actor)
    head = _locked_head()
    event = NewEvent(action, subject_type, subject_id, outcome, details)
    fields = _linked_fields(
        event,
        signed_in=signed_in,
        actor_label=actor_label,
        sequence=head.sequence + 1,
        previous_hash=head.hash,
        occurred_at=timezone.now(),
    )
    created = AuditEvent.objects.create(actor=signed_in, **fields)
    AuditChainHead.objects.filter(pk=HEAD_ID).update(sequence=created.sequence, hash=created.hash)
    return created


def record_events(*, actor: Any | None, events: Sequence[NewEvent], actor_label: str = "") -> int:
    """Write several events by one actor, in order, in a fixed number of queries: the head is locked
    and read once, each link is computed here from the one before, all rows go in with one insert
    (more only past the database's limit of parameters per statement: 55 rows on SQLite) and the
    head moves once. A list page uses it so its cost does not grow with its length. Returns how many
    events were written; none asked, nothing is locked or written."""
    if not events:
        return 0
    _require_transaction()
    signed_in = _signed_in(actor)
    head = _locked_head()
    sequence, previous, now = head.sequence, head.hash, timezone.now()
    rows = []
    for event in events:
        sequence += 1
        fields = _linked_fields(
            event,
            signed_in=signed_in,
            actor_label=actor_label,
            sequence=sequence,
            previous_hash=previous,
            occurred_at=now,
        )
        previous = fields["hash"]
        rows.append(AuditEvent(actor=signed_in, **fields))
    AuditEvent.objects.bulk_create(rows)
    AuditChainHead.objects.filter(pk=HEAD_ID).update(sequence=sequence, hash=previous)
    return len(rows)


def _require_transaction() -> None:
    if not connection.in_atomic_block:
        raise ApplicationError("audit events must be written inside the transaction of the change")


def _signed_in(actor: Any | None) -> Any | None:
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def _linked_fields(
    event: NewEvent,
    *,
    signed_in: Any | None,
    actor_label: str,
    sequence: int,
    previous_hash: str,
    occurred_at: dt.datetime,
) -> dict[str, Any]:
    """The columns of one event chained after `previous_hash`, its own hash included."""
    fields: dict[str, Any] = {
        "sequence": sequence,
        "occurred_at": occurred_at,
        "actor_ref": str(signed_in.pk) if signed_in is not None else "",
        "actor_label": actor_label or (signed_in.get_username() if signed_in is not None else ""),
        "actor_role": str(getattr(signed_in, "role", "") or ""),
        "action": event.action,
        "outcome": event.outcome,
        "subject_type": event.subject_type,
        "subject_id": str(event.subject_id),
        "details": as_stored_json(event.details or {}),
        "previous_hash": previous_hash,
        "hash_version": CHAIN_VERSION,
        "personal_salt": secrets.token_hex(32),
    }
    fields["hash"] = entry_hash(chain_entry(fields))
    return fields


def _locked_head() -> AuditChainHead:
    """The head row, locked. It is rebuilt from the last event if missing (a flushed test database)."""
    head = AuditChainHead.objects.select_for_update().filter(pk=HEAD_ID).first()
    if head is not None:
        return head
    last = AuditEvent.objects.order_by("-sequence").values("sequence", "hash").first()
    start = last or {"sequence": 0, "hash": GENESIS_HASH}
    # Two writers may both find it missing; one insert wins, the other waits for it and does nothing.
    AuditChainHead.objects.bulk_create([AuditChainHead(pk=HEAD_ID, **start)], ignore_conflicts=True)
    return AuditChainHead.objects.select_for_update().get(pk=HEAD_ID)


def record_read(
    *,
    actor: Any,
    action: AuditAction,
    subject_type: str,
    subject_id: object,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record that `actor` read a sensitive record (the caller has already been allowed by policy).

    Reads happen outside any change, so this opens its own transaction. Details say what was shown
    (which parts, how many lines), never the content.
    """
    with transaction.atomic():
        return record_event(
            actor=actor, action=action, subject_type=subject_type, subject_id=subject_id, details=details
        )


def record_reads(*, actor: Any, events: Sequence[NewEvent]) -> int:
    """Record that `actor` read several sensitive records at once (a list page), in its own
    transaction and a fixed number of queries (`record_events`)."""
    if not events:
        return 0
    with transaction.atomic():
        return record_events(actor=actor, events=events)


def record_chain_check(
    *, intact: bool, events: int, last_sequence: int, last_hash: str, problem: str
) -> None:
    """Keep a verification result for the audit page (it is not itself an audit event)."""
    AuditChainCheck.objects.create(
        intact=intact, events=events, last_sequence=last_sequence, last_hash=last_hash, problem=problem
    )


def read_audit_trail(
    *, actor: Any, query: TrailQuery, before: int | None = None, after: int | None = None
) -> EventPage:
    """A page of the audit trail for a coordinator; the reading is itself recorded.

    Filtered to one person, the event names that person's account as its subject, so their own
    access log shows that a coordinator looked at the trail of their records.
    """
    if not policy.can_view_audit_trail(actor):
        raise NotPermitted("only coordinators may read the audit trail")
    with transaction.atomic():
        page = trail_page(query, before=before, after=after)
        record_event(
            actor=actor,
            action=AuditAction.AUDIT_TRAIL_READ,
            subject_type=ACCOUNT if query.person_id is not None else "audit_trail",
            subject_id=query.person_id if query.person_id is not None else "",
            details={"filters": query.as_details(), "shown": len(page.events)},
        )
    return page
