"""Taking an erased account's personal data out of the audit trail without breaking the chain.

The events the account wrote, the sign-in attempts made under its name, and any event whose label
or details hold one of its names (a demo load lists usernames, for instance) lose their label and
details. Version-2 events keep the digest their hash covers, so they still verify; version-1 events
can then be checked only by their links (docs/decisions/0004-erasable-audit-chain.md). What stays
is what no one can be named by: the account's number, its role, times, actions and subjects.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from carepath.audit.chain_rows import LINK_COLUMNS, chain_entry
from carepath.audit.models import AuditEvent
from carepath.audit.subjects import ACCOUNT
from carepath.errors import ApplicationError
from carepath_core.audit_chain import erased

BATCH_SIZE = 1000


def erase_personal_parts(*, account_id: int, names: Iterable[str]) -> int:
    """Empty the label, details and salt of every event naming the account; how many were erased.

    Call inside the transaction of the erasure, so the trail and the records change together.
    """
    if not connection.in_atomic_block:
        raise ApplicationError("erasing audit events must happen inside the erasure's transaction")
    events = AuditEvent.objects.filter(erased_at__isnull=True).filter(naming(account_id, names))
    now, count = timezone.now(), 0
    while True:
        rows = list(events.order_by("sequence").values(*LINK_COLUMNS)[:BATCH_SIZE])
        if not rows:
            return count
        changed = [
            AuditEvent(
                id=row["id"],
                actor_label="",
                details={},
                personal_salt="",
                personal_digest=erased(chain_entry(row)).personal_digest,
                erased_at=now,
            )
            for row in rows
        ]
        AuditEvent.objects.bulk_update(
            changed, ["actor_label", "details", "personal_salt", "personal_digest", "erased_at"]
        )
        count += len(changed)


def naming(account_id: int, names: Iterable[str]) -> Q:
    """Events the account wrote, sign-in attempts under its name, and events holding one of its names."""
    condition = Q(actor_ref=str(account_id)) | Q(
        subject_type=ACCOUNT, subject_id=str(account_id), actor_ref=""
    )
    for name in {name.strip() for name in names if name.strip()}:
        condition |= Q(actor_label__iexact=name)
        # A name inside the details is a JSON string: quoted, escaped as the database keeps it
        # (Django writes \u escapes to SQLite; PostgreSQL's jsonb shows the characters themselves).
        for quoted in {json.dumps(name), json.dumps(name, ensure_ascii=False)}:
            condition |= Q(details__icontains=quoted)
    return condition
