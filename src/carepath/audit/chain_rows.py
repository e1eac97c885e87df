"""Audit rows as the pure chain sees them (carepath_core.audit_chain), for writing and for checking."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from carepath_core.audit_chain import ChainEntry, StoredLink

# The columns a check reads, in one place so the walk never loads more than it needs.
LINK_COLUMNS = (
    "id",
    "sequence",
    "occurred_at",
    "actor_id",
    "actor_ref",
    "actor_label",
    "actor_role",
    "action",
    "outcome",
    "subject_type",
    "subject_id",
    "details",
    "previous_hash",
    "hash",
    "hash_version",
    "personal_salt",
    "personal_digest",
    "erased_at",
)


def as_stored_json(details: Mapping[str, Any]) -> Any:
    """The details exactly as the JSON column will give them back (tuples become lists, keys text)."""
    return json.loads(json.dumps(details))


def chain_entry(row: Mapping[str, Any]) -> ChainEntry:
    """A ChainEntry from a mapping with the model's column names (a `.values()` row or new fields)."""
    return ChainEntry(
        sequence=row["sequence"],
        occurred_at=row["occurred_at"],
        actor_ref=row["actor_ref"],
        actor_label=row["actor_label"],
        actor_role=row["actor_role"],
        action=str(row["action"]),
        outcome=str(row["outcome"]),
        subject_type=row["subject_type"],
        subject_id=row["subject_id"],
        detail=row["details"],
        previous_hash=row["previous_hash"],
        version=row["hash_version"],
        personal_salt=row.get("personal_salt", ""),
        personal_digest=row.get("personal_digest", ""),
    )


def stored_link(row: Mapping[str, Any]) -> StoredLink:
    actor_id = row["actor_id"]
    return StoredLink(
        event_id=row["id"],
        entry=chain_entry(row),
        stored_hash=row["hash"],
        current_actor_id=None if actor_id is None else str(actor_id),
        erased=row.get("erased_at") is not None,
    )
