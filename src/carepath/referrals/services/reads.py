"""Reads of a support relationship, recorded in the audit trail (issue 8: every read of notes,
referrals and contact logs is audited). The caller has already been allowed by policy.

The event says which parts were shown and how many contact lines, never their content, so the
person's access log can tell them who looked at their relationship and whether notes were shown.
"""

from __future__ import annotations

from typing import Any

from carepath.audit.models import AuditAction
from carepath.audit.services import record_read
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
    """The referral's status and history without its contact log (the API's one referral, or a list)."""
    record_read(
        actor=actor, action=AuditAction.REFERRAL_VIEWED, subject_type="referral", subject_id=referral.pk
    )
