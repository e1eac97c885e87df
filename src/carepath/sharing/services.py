"""Changing what a person shares, and a supporter opening what is shared with them.

Every change is audited in its own transaction: `consent.sharing_granted` when something is shared
with a recipient who had nothing, `consent.sharing_withdrawn` when everything is taken back, and
`consent.sharing_changed` otherwise; the details name the recipient and the scopes before and
after, which makes the audit trail the history of every choice. Each reading by a supporter is
audited `consent.shared_record_viewed` with the scopes shown (never their content). Reading the
choices themselves is a read of the person's consent, audited `consent.sharing_viewed` on their
account: the person's own "Who can see what" (as every own read is), and a supporter being told
which scopes the person shares with them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from carepath import policy
from carepath.audit.models import AuditAction
from carepath.audit.services import record_event, record_read
from carepath.audit.subjects import ACCOUNT
from carepath.errors import FieldProblem, NotPermitted
from carepath.sharing.models import SharingChoice
from carepath.sharing.recipients import RecipientKey, RecipientKind
from carepath.sharing.scopes import Scope, checked_scopes, in_order
from carepath.sharing.selectors import grants, records
from carepath.sharing.selectors.grants import Recipient


def change_sharing(*, actor: Any, recipient: RecipientKey, scopes: Iterable[object]) -> SharingChoice | None:
    """Set exactly which scopes `recipient` may see (an empty set withdraws everything).

    New scopes can be given only to someone the person is in touch with now (or their
    organisation); taking scopes back is always allowed. Returns the row, or None when there
    was none and nothing is asked to be shared."""
    if not policy.can_manage_sharing(actor):
        raise NotPermitted("only the person decides what they share")
    wanted = checked_scopes(scopes)
    with transaction.atomic():
        row = _locked_choice(actor, recipient)
        before = row.scopes if row is not None else frozenset()
        if wanted - before and recipient not in grants.connected_keys(actor):
            raise FieldProblem(
                "recipient", "you can share only with someone you are in touch with through Carepath"
            )
        if wanted == before:
            return row
        row = row or _new_choice(actor, recipient)
        row.set_scopes(wanted)
        row.changed_at = timezone.now()
        row.save()
        _record_change(actor, recipient, before, wanted)
    return row


def withdraw_all(*, actor: Any) -> int:
    """Stop sharing anything with anyone, at once; one audit event per recipient that had something."""
    if not policy.can_manage_sharing(actor):
        raise NotPermitted("only the person decides what they share")
    withdrawn = 0
    with transaction.atomic():
        for row in SharingChoice.objects.select_for_update().filter(person_id=actor.pk).order_by("id"):
            before = row.scopes
            if not before:
                continue
            row.set_scopes(frozenset())
            row.changed_at = timezone.now()
            row.save()
            _record_change(actor, grants.key_of(row), before, frozenset())
            withdrawn += 1
    return withdrawn


def _locked_choice(person: Any, recipient: RecipientKey) -> SharingChoice | None:
    found = SharingChoice.objects.select_for_update().filter(person_id=person.pk)
    return found.filter(**grants.recipient_filter(recipient)).first()


def _new_choice(person: Any, recipient: RecipientKey) -> SharingChoice:
    fields: dict[str, Any] = {"person_id": person.pk}
    if recipient.kind is RecipientKind.ACCOUNT:
        fields["recipient_account_id"] = int(recipient.id)
    else:
        fields["recipient_organization_id"] = recipient.id
    try:
        with transaction.atomic():
            return SharingChoice.objects.create(**fields)
    except IntegrityError as clash:  # the same first choice sent twice at once
        raise FieldProblem(
            "recipient", "your choice changed at the same moment; look again and retry"
        ) from clash


def _record_change(
    actor: Any, recipient: RecipientKey, before: frozenset[Scope], after: frozenset[Scope]
) -> None:
    if not before:
        action = AuditAction.SHARING_GRANTED
    elif not after:
        action = AuditAction.SHARING_WITHDRAWN
    else:
        action = AuditAction.SHARING_CHANGED
    record_event(
        actor=actor,
        action=action,
        subject_type=ACCOUNT,
        subject_id=actor.pk,
        details={
            "recipient": str(recipient),
            "scopes": [s.value for s in in_order(after)],
            "before": [s.value for s in in_order(before)],
        },
    )


@dataclass(frozen=True)
class SharedRecords:
    scopes: tuple[Scope, ...]
    check_ins: list[records.SharedCheckIn] | None = None
    plan: records.SharedPlan | None = None
    has_plan: bool = False
    notes: list[records.SharedNote] | None = None
    contact: records.SharedContact | None = None


def open_shared_records(*, actor: Any, referral: Any) -> SharedRecords:
    """What the person in `referral` shares with its supporter now, read scope by scope; refused
    (shown as 404) when the relationship is not active or nothing is shared."""
    if not policy.can_open_shared_records(actor, referral):
        raise NotPermitted("nothing is shared with you in this relationship")
    person = referral.person
    with transaction.atomic():
        scopes = tuple(scope for scope in Scope if policy.can_see_shared(actor, person, scope))
        if not scopes:
            raise NotPermitted("nothing is shared with you in this relationship")
        shared = _read(scopes, person, actor)
        record_event(
            actor=actor,
            action=AuditAction.SHARED_RECORD_VIEWED,
            subject_type="referral",
            subject_id=referral.pk,
            details={"scopes": [s.value for s in scopes]},
        )
    return shared


def _read(scopes: tuple[Scope, ...], person: Any, viewer: Any) -> SharedRecords:
    """Only the readers of shared scopes run: what is not shared is not even read."""
    plan = records.safety_plan_summary(person.pk) if Scope.SAFETY_PLAN in scopes else None
    return SharedRecords(
        scopes=scopes,
        check_ins=records.check_in_results(person.pk) if Scope.SCREENING_RESULTS in scopes else None,
        plan=plan,
        has_plan=plan is not None,
        notes=records.peer_notes(person.pk, viewer_id=viewer.pk) if Scope.NOTES in scopes else None,
        contact=records.contact_details(person) if Scope.CONTACT_DETAILS in scopes else None,
    )


def read_sharing_choices(*, actor: Any) -> list[Recipient]:
    """The person's own choices, line by line, for their page or the API; the reading is recorded
    with how many recipients were shown and how many see something, never who."""
    if not policy.can_manage_sharing(actor):
        raise NotPermitted("only the person reads their own sharing choices")
    lines = grants.recipients_of(actor)
    record_read(
        actor=actor,
        action=AuditAction.SHARING_VIEWED,
        subject_type=ACCOUNT,
        subject_id=actor.pk,
        details={"recipients": len(lines), "sharing_with": sum(1 for line in lines if line.scopes)},
    )
    return lines


def scopes_shared_with(*, actor: Any, referral: Any) -> tuple[Scope, ...]:
    """Which scopes the person in `referral` shares with its supporter now, for the supporter's
    referral page (a link and the scopes' names, not the records). Told only to the supporter of an
    active relationship, and recorded on the person's account, scopes only, even when none:
    "nothing" is also an answer about their consent. Anyone else is told nothing and nothing is
    recorded."""
    if not policy.can_open_shared_records(actor, referral):
        return ()
    person = referral.person
    scopes = tuple(scope for scope in Scope if policy.can_see_shared(actor, person, scope))
    record_read(
        actor=actor,
        action=AuditAction.SHARING_VIEWED,
        subject_type=ACCOUNT,
        subject_id=person.pk,
        details={"referral": referral.pk, "scopes": [s.value for s in scopes]},
    )
    return scopes
