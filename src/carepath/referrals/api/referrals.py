"""Referrals over the JSON API: ask for contact, answer, withdraw, end, and the contact log.

Everything a person may not see answers 404, as on the pages; a refused move answers 400 with
the reason, and bad input 422 naming the field.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import django_auth

from carepath import policy
from carepath.referrals import selectors
from carepath.referrals.api.payloads import (
    ContactOut,
    ReferralOut,
    contact_payload,
    fields_named,
    referral_payload,
)
from carepath.referrals.models import Referral
from carepath.referrals.services import contacts, reads, referrals

router = Router(tags=["referrals"])


class AskIn(Schema):
    kind: Any = None
    profile: Any = None


class ReasonIn(Schema):
    reason: str = ""


class ContactIn(Schema):
    # Untyped so the core names each bad value in its own words.
    happened_on: Any = None
    channel: Any = None
    minutes: Any = None
    note: Any = None


def visible_referral(request: HttpRequest, referral_id: int) -> Referral:
    referral = selectors.referral_by_id(referral_id)
    if referral is None or not policy.can_view_referral(request.user, referral):
        raise Http404
    return referral


@router.get("", response=list[ReferralOut], auth=django_auth, summary="Your referrals, newest first")
def list_referrals(request: HttpRequest) -> list[dict[str, Any]]:
    user = request.user
    found = (
        selectors.referrals_of_supporter(user)
        if policy.can_support_people(user)
        else selectors.referrals_of_person(user)
    )
    shown = [r for r in found if policy.can_view_referral(user, r)]
    for referral in shown:
        reads.record_referral_read(actor=user, referral=referral)
    return [referral_payload(r, user) for r in shown]


@router.post(
    "",
    response={201: ReferralOut},
    auth=django_auth,
    summary="Ask a peer supporter or professional (by profile id) to get in touch",
)
def ask_for_contact(request: HttpRequest, body: AskIn) -> Status[dict[str, Any]]:
    if not policy.can_ask_for_contact(request.user):
        raise HttpError(403, "Only people looking for support ask for contact.")
    with fields_named():
        referral = referrals.ask_for_contact(actor=request.user, kind=body.kind, profile_id=body.profile)
    return Status(201, referral_payload(referral, request.user, with_history=True))


@router.get(
    "/{int:referral_id}", response=ReferralOut, auth=django_auth, summary="One referral with its history"
)
def get_referral(request: HttpRequest, referral_id: int) -> dict[str, Any]:
    referral = visible_referral(request, referral_id)
    reads.record_referral_read(actor=request.user, referral=referral)
    return referral_payload(referral, request.user, with_history=True)


@router.post(
    "/{int:referral_id}/accept", response=ReferralOut, auth=django_auth, summary="Accept (the supporter)"
)
def accept(request: HttpRequest, referral_id: int) -> dict[str, Any]:
    referral = referrals.accept_request(actor=request.user, referral=visible_referral(request, referral_id))
    return referral_payload(referral, request.user, with_history=True)


@router.post(
    "/{int:referral_id}/decline", response=ReferralOut, auth=django_auth, summary="Decline (the supporter)"
)
def decline(request: HttpRequest, referral_id: int, body: ReasonIn | None = None) -> dict[str, Any]:
    with fields_named():
        referral = referrals.decline_request(
            actor=request.user,
            referral=visible_referral(request, referral_id),
            reason=(body or ReasonIn()).reason,
        )
    return referral_payload(referral, request.user, with_history=True)


@router.post(
    "/{int:referral_id}/withdraw", response=ReferralOut, auth=django_auth, summary="Withdraw (the person)"
)
def withdraw(request: HttpRequest, referral_id: int) -> dict[str, Any]:
    referral = referrals.withdraw_request(actor=request.user, referral=visible_referral(request, referral_id))
    return referral_payload(referral, request.user, with_history=True)


@router.post(
    "/{int:referral_id}/end",
    response=ReferralOut,
    auth=django_auth,
    summary="End (either side, with a reason)",
)
def end(request: HttpRequest, referral_id: int, body: ReasonIn) -> dict[str, Any]:
    with fields_named():
        referral = referrals.end_relationship(
            actor=request.user, referral=visible_referral(request, referral_id), reason=body.reason
        )
    return referral_payload(referral, request.user, with_history=True)


@router.get(
    "/{int:referral_id}/contacts",
    response=list[ContactOut],
    auth=django_auth,
    summary="The contact log; notes only where you may read them",
)
def list_contacts(request: HttpRequest, referral_id: int) -> list[dict[str, Any]]:
    referral = visible_referral(request, referral_id)
    user = request.user
    with_notes = policy.can_view_peer_notes(user, referral) or policy.can_view_clinical_notes(user, referral)
    lines = list(selectors.contact_lines(referral, with_notes=with_notes))
    reads.record_contact_log_read(
        actor=user, referral=referral, contact_lines=len(lines), notes_shown=with_notes
    )
    return [contact_payload(line) for line in lines]


@router.post(
    "/{int:referral_id}/contacts",
    response={201: ContactOut},
    auth=django_auth,
    summary="Log a contact (the supporter, while active)",
)
def log_contact(request: HttpRequest, referral_id: int, body: ContactIn) -> Status[dict[str, Any]]:
    referral = visible_referral(request, referral_id)
    with fields_named():
        entry = contacts.log_contact(actor=request.user, referral=referral, data=body.dict())
    line = selectors.ContactLine(entry.pk, entry.happened_on, entry.channel, "", entry.minutes, entry.note)
    return Status(201, contact_payload(line))
