"""Keeping the contact log of an active relationship.

A peer supporter's note is a peer note and a professional's is a clinical note; the kind is set
here from the relationship and stored with the note, and never chosen by whoever sends it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from carepath import policy
from carepath.audit.models import AuditAction
from carepath.audit.services import record_event
from carepath.errors import NotPermitted
from carepath.referrals.models import ContactEntry, NoteKind, Referral
from carepath_core.errors import DomainError
from carepath_core.referrals import Status, SupportKind, checked_contact

CONTACT_FIELDS = frozenset({"happened_on", "channel", "minutes", "note"})


def log_contact(
    *, actor: Any, referral: Referral, data: Mapping[str, Any], today: dt.date | None = None
) -> ContactEntry:
    if not policy.can_log_contact(actor, referral):
        raise NotPermitted("only the supporter in this relationship keeps its contact log")
    if referral.status != Status.ACTIVE.value or referral.accepted_at is None:
        raise DomainError("contacts can be logged only while the relationship is active")
    entry = checked_contact(
        happened_on=data.get("happened_on"),
        channel=data.get("channel"),
        minutes=data.get("minutes"),
        note=data.get("note"),
        started_on=timezone.localdate(referral.accepted_at),
        today=today or timezone.localdate(),
    )
    kind = NoteKind.PEER if referral.kind == SupportKind.PEER else NoteKind.CLINICAL
    with transaction.atomic():
        saved = ContactEntry.objects.create(
            referral=referral,
            author=actor,
            happened_on=entry.happened_on,
            channel=entry.channel.value,
            minutes=entry.minutes,
            note_kind=kind,
            note=entry.note,
        )
        record_event(
            actor=actor,
            action=AuditAction.CONTACT_LOGGED,
            subject_type="referral",
            subject_id=referral.pk,
            # Not the note: clinical notes must never reach the audit log's readers.
            details={"contact": saved.pk, "channel": entry.channel.value, "with_note": bool(entry.note)},
        )
    return saved
