"""Reads of a support relationship, recorded in the audit trail (issue 8: every read of notes,
referrals and contact logs is audited). The caller has already been allowed by policy.

The event says which parts were shown and how many contact lines, never their content, so the
person's access log can tell them who looked at their relationship and whether notes were shown.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from carepath.audit.models import AuditAction
from carepath.audit.services import NewEvent, record_read, record_reads
from carepath.referrals.models import Referral


def record_relationship_read(
    *, actor: Any, referral: Referral, contact_lines: int, notes_shown: bool
) -> None:
    """A page or API answer that showed the relationship (and its contact log, with or without notes)."""
    record_read(
        actor=actor,
        action=AuditAction.NOTES_VIEWED if notes_shown and contact_lines else AuditAction.REFERRAL_VIEWED,
        subject_type="referral",
        subject_id=referral.pk,
        details={"contact_lines": contact_lines, "notes": notes_shown},
    )


def record_contact_log_read(*, actor: Any, referral: Referral, contact_lines: int, notes_shown: bool) -> None:
    """The contact log alone (the API's list of contacts)."""
    record_read(
        actor=actor,
        action=AuditAction.NOTES_VIEWED if notes_shown and contact_lines else AuditAction.CONTACT_LOG_VIEWED,
        subject_type="referral",
        subject_id=referral.pk,
        details={"contact_lines": contact_lines, "notes": notes_shown},
    )


def record_referral_read(*, actor: Any, referral: Referral) -> None:
    """The referral's status and history without its contact log (the API's one referral)."""
    record_read(
        actor=actor, action=AuditAction.REFERRAL_VIEWED, subject_type="referral", subject_id=referral.pk
    )


def record_list_read(*, actor: Any, referrals: Iterable[Referral], listed_on: str) -> None:
    """A list that showed these referrals (their status and the other side's name): one event each,
    as if each had been opened, written together in a fixed number of queries however long the list.
    `listed_on` names the list ("support", "supporting", "api") so the trail tells it from a single read."""
    record_reads(
        actor=actor,
        events=[
            NewEvent(
                AuditAction.REFERRAL_VIEWED,
                subject_type="referral",
                subject_id=referral.pk,
                details={"list": listed_on},
            )
            for referral in referrals
        ],
    )
