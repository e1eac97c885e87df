"""The audit trail's hash chain: a canonical form of one event, its hash, and the check of a chain.

Each event carries the hash of the event before it, and its own hash is SHA-256 over a canonical
serialisation of its fields *including* that previous hash. Changing, removing, inserting or
reordering any event therefore breaks the chain at the first event touched, unless whoever did it
also recomputed every later hash (docs/security.md says what that means in practice).

The canonical form is versioned: a stored event says which rule made its hash, so a later rule
never makes old events look tampered with. Version 1 is written out again in the migration that
chained the events that existed before chaining; a unit test keeps both equal.

Version 2 (docs/decisions/0004-erasable-audit-chain.md) lets a person's account be erased without
breaking the chain. The event's personal part (the actor's label and the details) is not hashed in
clear: the hash covers an HMAC-SHA-256 of it, keyed with a random salt stored with the event. Erasing
keeps that digest and empties the label, the details and the salt; the chain still verifies, and
with the salt gone the digest can no longer be tested against guessed names. A version-1 event
hashed its label in clear, so once erased its own hash cannot be recomputed: only its place in the
chain can be checked (`check_links`).

Pure: no Django, no database. The Django side turns rows into `ChainEntry` values and back.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from carepath_core.errors import InvalidData

CHAIN_VERSION = 2  # the rule new events are written with
GENESIS_HASH = "0" * 64  # the "previous hash" of the first event
# Whole numbers this size or smaller survive every JSON store exactly; larger ones are compared as
# floats, because a database may hand back 1e16 as the integer 10000000000000000 (PostgreSQL's jsonb
# keeps numbers as decimals) and both must hash the same.
_EXACT_INTEGER_LIMIT = 2**53


@dataclass(frozen=True)
class ChainEntry:
    """One audit event as the chain sees it: every field the hash covers, nothing else."""

    sequence: int
    occurred_at: dt.datetime
    actor_ref: str  # the actor account's id when the event was written ("" for none)
    actor_label: str
    actor_role: str
    action: str
    outcome: str
    subject_type: str
    subject_id: str
    detail: Mapping[str, Any] = field(hash=False)
    previous_hash: str
    version: int = CHAIN_VERSION
    # Version 2 only. The salt keys the digest of the personal part; it is emptied on erasure.
    personal_salt: str = ""
    # Version 2 only, and only once erased: the digest of the personal part the label and details
    # held. Before erasure it is not stored but computed, so it can never disagree with them.
    personal_digest: str = ""


def utc_timestamp(moment: dt.datetime) -> str:
    """A time as the chain writes it: UTC, always with microseconds, e.g. 2026-03-01T09:30:00.000000Z."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InvalidData("occurred_at", "must carry a time zone")
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_json_value(value: Any) -> Any:
    """A JSON value with numbers in the one form that every database gives back unchanged."""
    if isinstance(value, Mapping):
        return {str(key): canonical_json_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [canonical_json_value(item) for item in value]
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return _canonical_number(value)
    raise InvalidData("detail", f"holds a {type(value).__name__}, which JSON cannot store")


def _canonical_number(value: int | float) -> int | float:
    if isinstance(value, float) and not value.is_integer():
        return value
    if abs(value) <= _EXACT_INTEGER_LIMIT:
        return int(value)
    try:
        return float(value)
    except OverflowError:
        return value  # an integer beyond any float: kept exact, as every store keeps such integers


def canonical_bytes(entry: ChainEntry) -> bytes:
    """The bytes the event's hash is taken over, by the rule of the event's version."""
    if entry.version == 1:
        return _compact_json(_version_1_document(entry))
    if entry.version == 2:
        return _compact_json(_version_2_document(entry))
    raise InvalidData("version", f"no canonical form is known for chain version {entry.version}")


def _compact_json(document: Mapping[str, Any]) -> bytes:
    """Sorted-key compact JSON, ASCII only (so no text can fail to encode), as UTF-8."""
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode("utf-8")


def _version_1_document(entry: ChainEntry) -> dict[str, Any]:
    return {
        "v": 1,
        "sequence": entry.sequence,
        "time": utc_timestamp(entry.occurred_at),
        "actor": {"id": entry.actor_ref, "label": entry.actor_label, "role": entry.actor_role},
        "action": entry.action,
        "outcome": entry.outcome,
        "subject": {"type": entry.subject_type, "id": entry.subject_id},
        "detail": canonical_json_value(entry.detail),
        "previous": entry.previous_hash,
    }


def _version_2_document(entry: ChainEntry) -> dict[str, Any]:
    return {
        "v": 2,
        "sequence": entry.sequence,
        "time": utc_timestamp(entry.occurred_at),
        "actor": {"id": entry.actor_ref, "role": entry.actor_role},
        "action": entry.action,
        "outcome": entry.outcome,
        "subject": {"type": entry.subject_type, "id": entry.subject_id},
        "personal": personal_part_digest(entry),
        "previous": entry.previous_hash,
    }


def personal_part_digest(entry: ChainEntry) -> str:
    """Version 2: the digest the hash covers in place of the label and the details.

    An erased event brings its kept digest and must hold nothing personal any more; any other event
    has it computed from its salt, label and details, so changing any of them changes the hash.
    """
    if entry.personal_digest:
        if entry.actor_label or entry.detail:
            raise InvalidData("personal_digest", "an erased event must hold no label and no details")
        return entry.personal_digest
    personal = _compact_json({"label": entry.actor_label, "detail": canonical_json_value(entry.detail)})
    return hmac.new(entry.personal_salt.encode("utf-8"), personal, hashlib.sha256).hexdigest()


def erased(entry: ChainEntry) -> ChainEntry:
    """The entry with its personal part erased: no label, no details, no salt.

    Version 2 keeps the digest, so its hash is unchanged. Version 1 has nothing to keep: its hash
    covered the label in clear, and can no longer be recomputed.
    """
    digest = personal_part_digest(entry) if entry.version == 2 else ""
    return replace(entry, actor_label="", detail={}, personal_salt="", personal_digest=digest)


def entry_hash(entry: ChainEntry) -> str:
    return hashlib.sha256(canonical_bytes(entry)).hexdigest()


class BreakKind(StrEnum):
    GAP = "gap"  # the next stored event does not have the next sequence number
    PREVIOUS_HASH = "previous_hash"  # the event does not point at the event before it
    HASH = "hash"  # the event's fields no longer give its stored hash
    ACTOR = "actor"  # the actor link was pointed at another account after the event was written
    HEAD = "head"  # the chain ends somewhere other than the recorded head (events cut off the end)
    ANCHOR = "anchor"  # an exported hash does not match the event at its sequence number


@dataclass(frozen=True)
class StoredLink:
    """An event as read back: what the hash covers, the hash stored with it, and its current actor link."""

    event_id: int
    entry: ChainEntry
    stored_hash: str
    current_actor_id: str | None = None  # None when the account row is gone (the link is emptied)
    erased: bool = False  # the personal part was erased (see `erased`)


@dataclass(frozen=True)
class ChainPosition:
    """How far a check has got: the last good event's sequence number and hash, and events seen."""

    sequence: int = 0
    hash: str = GENESIS_HASH
    events: int = 0


@dataclass(frozen=True)
class ChainBreak:
    """The first broken link. `expected` is what the chain needed there, `found` what is stored."""

    kind: BreakKind
    sequence: int
    event_id: int | None
    expected: str
    found: str


def check_links(
    links: Iterable[StoredLink], start: ChainPosition | None = None
) -> ChainPosition | ChainBreak:
    """Walk links in sequence order from `start`; the first broken one, or where the walk ended.

    Feeding a long chain batch by batch, each time from the position the last batch returned, gives
    the same answer as feeding it whole, so a caller's memory stays bounded by one batch.
    """
    position = start or ChainPosition()
    for link in links:
        problem = _first_problem(link, position)
        if problem is not None:
            return problem
        position = ChainPosition(link.entry.sequence, link.stored_hash, position.events + 1)
    return position


def _first_problem(link: StoredLink, position: ChainPosition) -> ChainBreak | None:
    entry, expected_sequence = link.entry, position.sequence + 1
    if entry.sequence != expected_sequence:
        return ChainBreak(
            BreakKind.GAP, expected_sequence, link.event_id, str(expected_sequence), str(entry.sequence)
        )
    if entry.previous_hash != position.hash:
        return ChainBreak(
            BreakKind.PREVIOUS_HASH, entry.sequence, link.event_id, position.hash, entry.previous_hash
        )
    recomputed = _recomputed_hash(link)
    if recomputed != link.stored_hash:
        return ChainBreak(BreakKind.HASH, entry.sequence, link.event_id, recomputed, link.stored_hash)
    if link.current_actor_id is not None and link.current_actor_id != entry.actor_ref:
        return ChainBreak(
            BreakKind.ACTOR, entry.sequence, link.event_id, entry.actor_ref, link.current_actor_id
        )
    return None


def _recomputed_hash(link: StoredLink) -> str:
    entry = link.entry
    if link.erased and entry.version == 1:
        # Its hash covered the label in clear: only its links either side can still be checked,
        # and it must hold nothing personal (an erased event cannot be given new words).
        if entry.actor_label or entry.detail:
            return "(none: an erased version-1 event still holds a label or details)"
        return link.stored_hash
    try:
        return entry_hash(entry)
    except InvalidData as error:  # e.g. a version number no rule is known for: it was edited
        return f"(none: {error.problem})"


def check_head(end: ChainPosition, head_sequence: int, head_hash: str) -> ChainBreak | None:
    """After a whole walk: events removed from the end leave the chain shorter than its head says."""
    if (end.sequence, end.hash) == (head_sequence, head_hash):
        return None
    return ChainBreak(
        BreakKind.HEAD, end.sequence + 1, None, f"{head_sequence}:{head_hash}", f"{end.sequence}:{end.hash}"
    )


@dataclass(frozen=True)
class Anchor:
    """A (sequence, hash) pair copied out of the database earlier, e.g. into a ticket or a log."""

    sequence: int
    hash: str


def read_anchor(text: str) -> Anchor:
    """`1234:9f86d0…` (sequence, a colon, 64 hex digits) as an Anchor."""
    sequence_text, _, hash_text = text.strip().partition(":")
    if not sequence_text.isdigit() or int(sequence_text) < 1:
        raise InvalidData("anchor", "must start with a sequence number of 1 or more, then a colon")
    hash_text = hash_text.lower()
    if len(hash_text) != 64 or any(c not in "0123456789abcdef" for c in hash_text):
        raise InvalidData("anchor", "must end with a SHA-256 hash: 64 hexadecimal digits")
    return Anchor(int(sequence_text), hash_text)


def check_anchor(anchor: Anchor, link: StoredLink | None) -> ChainBreak | None:
    """Whether the event at the anchor's sequence number still has the exported hash."""
    if link is None:
        return ChainBreak(BreakKind.ANCHOR, anchor.sequence, None, anchor.hash, "")
    if link.stored_hash != anchor.hash:
        return ChainBreak(BreakKind.ANCHOR, anchor.sequence, link.event_id, anchor.hash, link.stored_hash)
    return None
