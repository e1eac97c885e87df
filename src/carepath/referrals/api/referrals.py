"""Referrals over the JSON API: ask for contact, answer, withdraw, end, and the contact log.

Asking takes two steps, as on the pages: `GET /before-asking` gives the service's confidentiality
policy and limits to show the person, and `POST` asks only with `confidentiality_read: true`.

Everything a person may not see answers 404, as on the pages; a refused move answers 400 with
the reason, and bad input 422 naming the field.
"""

from __future__ import annotations

from typing import Annotated, Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import django_auth
from pydantic import ConfigDict, WithJsonSchema

from carepath import policy
from carepath.referrals import selectors
from carepath.referrals.api.payloads import (
    BeforeAskingOut,
    ContactOut,
    ReferralOut,
    before_asking_payload,
    contact_payload,
    fields_named,
    referral_payload,
)
from carepath.referrals.models import Referral
from carepath.referrals.services import contacts, reads, referrals
from carepath.sharing.selectors.confidentiality import ask_target
from carepath_core.errors import InvalidData

router = Router(tags=["referrals"])
ONLY_THE_PERSON_ASKS = "Only people looking for support ask for contact."
CONFIDENTIALITY_READ = "confidentiality_read"
NOT_READ = (
    "must be true: show the person the service's confidentiality policy and its limits first "
    "(GET /api/v1/referrals/before-asking), and ask only once they have read them"
)
ConfirmedIn = Annotated[
    Any,
    WithJsonSchema(
        {
            "type": "boolean",
            "const": True,
            "description": "True: the person was shown the service's confidentiality policy and its "
            "limits (GET /api/v1/referrals/before-asking) and has read them. Required.",
        }
    ),
]


def _confirmation_required(schema: dict[str, Any]) -> None:
    # Required in the published schema; the endpoint itself refuses an absent or false value with
    # the sentence above, which says what to do (pydantic's own "Field required" would not).
    schema["required"] = [*schema.get("required", []), CONFIDENTIALITY_READ]


class AskIn(Schema):
    kind: Any = None
    profile: Any = None
    confidentiality_read: ConfirmedIn = None

    model_config = ConfigDict(json_schema_extra=_confirmation_required)


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
    reads.record_list_read(actor=user, referrals=shown, listed_on="api")
    return [referral_payload(r, user) for r in shown]


@router.post(
    "",
    response={201: ReferralOut},
    auth=django_auth,
    summary="Ask a peer supporter or professional (by profile id) to get in touch",
)
def ask_for_contact(request: HttpRequest, body: AskIn) -> Status[dict[str, Any]]:
    if not policy.can_ask_for_contact(request.user):
        raise HttpError(403, ONLY_THE_PERSON_ASKS)
    if body.confidentiality_read is not True:
        raise InvalidData(CONFIDENTIALITY_READ, NOT_READ)
    with fields_named():
        referral = referrals.ask_for_contact(actor=request.user, kind=body.kind, profile_id=body.profile)
    return Status(201, referral_payload(referral, request.user, with_history=True))


@router.get(
    "/before-asking",
    response=BeforeAskingOut,
    auth=django_auth,
    summary="Who you are about to ask, and the confidentiality policy and limits to show first",
)
def before_asking(request: HttpRequest, kind: str, profile: str) -> dict[str, Any]:
    """The API's first step, as the page "Before you ask": 404 when no supporter of that kind takes
    requests under that profile id."""
    if not policy.can_ask_for_contact(request.user):
        raise HttpError(403, ONLY_THE_PERSON_ASKS)
    target = ask_target(kind, profile)
    if target is None:
        raise Http404
    return before_asking_payload(target)


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
