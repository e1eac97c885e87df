# Hand-written: chain the audit events that existed before the hash chain, oldest (lowest id) first.
#
# The canonical rule (chain version 1) is written out here rather than imported, so this migration
# keeps doing what it did on the day it was written even if carepath_core.audit_chain changes.
# tests/unit/test_audit_chain.py checks that this copy and the core's version 1 agree.

import datetime as dt
import hashlib
import json
from typing import Any

from django.db import migrations

VERSION = 1
GENESIS_HASH = "0" * 64
EXACT_INTEGER_LIMIT = 2**53
BATCH = 2000
HEAD_ID = 1


def v1_json_value(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(key): v1_json_value(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [v1_json_value(item) for item in value]
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        if abs(value) <= EXACT_INTEGER_LIMIT:
            return value
        try:
            return float(value)
        except OverflowError:
            return value
    if isinstance(value, float):
        if value.is_integer() and abs(value) <= EXACT_INTEGER_LIMIT:
            return int(value)
        return value
    raise ValueError(f"audit details hold a {type(value).__name__}, which JSON cannot store")


def v1_hash(row: dict[str, Any]) -> str:
    document = {
        "v": VERSION,
        "sequence": row["sequence"],
        "time": row["occurred_at"].astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "actor": {"id": row["actor_ref"], "label": row["actor_label"], "role": row["actor_role"]},
        "action": row["action"],
        "outcome": row["outcome"],
        "subject": {"type": row["subject_type"], "id": row["subject_id"]},
        "detail": v1_json_value(row["details"]),
        "previous": row["previous_hash"],
    }
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def chain_existing_events(apps: Any, schema_editor: Any) -> None:
    AuditEvent = apps.get_model("audit", "AuditEvent")
    AuditChainHead = apps.get_model("audit", "AuditChainHead")
    columns = ("id", "occurred_at", "actor_id", "actor_label", "action", "outcome", "subject_type",
               "subject_id", "details")
    sequence, previous, last_id = 0, GENESIS_HASH, 0
    while True:
        rows = list(AuditEvent.objects.filter(id__gt=last_id).order_by("id").values(*columns, "actor__role")[:BATCH])
        if not rows:
            break
        changed = []
        for row in rows:
            sequence += 1
            row.update(
                sequence=sequence,
                previous_hash=previous,
                actor_ref="" if row["actor_id"] is None else str(row["actor_id"]),
                actor_role=row["actor__role"] or "",
            )
            previous = v1_hash(row)
            changed.append(AuditEvent(
                id=row["id"], sequence=sequence, previous_hash=row["previous_hash"], hash=previous,
                actor_ref=row["actor_ref"], actor_role=row["actor_role"], hash_version=VERSION,
            ))
        AuditEvent.objects.bulk_update(
            changed, ["sequence", "previous_hash", "hash", "actor_ref", "actor_role", "hash_version"]
        )
        last_id = rows[-1]["id"]
    AuditChainHead.objects.update_or_create(id=HEAD_ID, defaults={"sequence": sequence, "hash": previous})


def unchain(apps: Any, schema_editor: Any) -> None:
    apps.get_model("audit", "AuditChainHead").objects.all().delete()
    apps.get_model("audit", "AuditEvent").objects.update(sequence=None, previous_hash="", hash="")


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0010_audit_chain_columns'),
        ('accounts', '0001_initial'),  # the actor's role is read from the account
    ]

    operations = [
        migrations.RunPython(chain_existing_events, unchain),
    ]
