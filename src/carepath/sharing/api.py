"""Sharing over the JSON API under /api/v1/sharing/.

The person lists and changes their choices (`GET`/`PUT /api/v1/sharing`, `POST .../withdraw-all`);
a supporter reads what one person shares with them (`GET /api/v1/sharing/people/{referral id}`),
which answers 404 when the relationship is not theirs, not active, or nothing is shared.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.security import django_auth

from carepath import policy
from carepath.errors import FieldProblem
from carepath.referrals.selectors import referral_by_id
from carepath.sharing import services
from carepath.sharing.recipients import parsed_recipient
from carepath.sharing.scopes import in_order
from carepath.sharing.selectors.grants import Recipient
from carepath_core.errors import InvalidData

router = Router(tags=["sharing"])
ONLY_THE_PERSON = "Only people looking for support decide what they share."


class RecipientOut(Schema):
    recipient: str
    kind: str
    name: str
    description: str
    members: list[str]
    connected: bool
    active: bool
    scopes: list[str]
    changed_at: dt.datetime | None


class ChoiceIn(Schema):
    # Untyped so the service names each bad value in its own words.
    recipient: Any = None
    scopes: list[Any] = []


class WithdrawnOut(Schema):
    withdrawn: int


class CheckInOut(Schema):
    id: str
    instrument: str
    name: str
    total: int
    max_total: int | None
    band: str
    completed_on: dt.date


class PlanStepOut(Schema):
    step: str
    title: str
    written: bool
    text: str | None


class PlanOut(Schema):
    updated_on: dt.date
    steps: list[PlanStepOut]


class NoteOut(Schema):
    happened_on: dt.date
    written_by: str
    text: str


class ContactOut(Schema):
    name: str
    email: str


class SharedOut(Schema):
    referral: int
    scopes: list[str]
    check_ins: list[CheckInOut] | None = None
    safety_plan: PlanOut | None = None
    notes: list[NoteOut] | None = None
    contact_details: ContactOut | None = None


@contextmanager
def _fields_named() -> Iterator[None]:
    """A service's field problem answers 422 naming the field, as the rest of the API does."""
    try:
        yield
    except FieldProblem as problem:
        raise InvalidData(problem.field, problem.problem) from problem


def _recipient_payload(line: Recipient) -> dict[str, Any]:
    return {
        "recipient": str(line.key),
        "kind": line.kind,
        "name": line.name,
        "description": line.description,
        "members": list(line.members),
        "connected": line.connected,
        "active": line.active,
        "scopes": [s.value for s in in_order(line.scopes)],
        "changed_at": line.changed_at,
    }


def _person_only(request: HttpRequest) -> None:
    if not policy.can_manage_sharing(request.user):
        raise HttpError(403, ONLY_THE_PERSON)


@router.get("", response=list[RecipientOut], auth=django_auth, summary="Who can see what: your choices")
def list_choices(request: HttpRequest) -> list[dict[str, Any]]:
    _person_only(request)
    return [_recipient_payload(line) for line in services.read_sharing_choices(actor=request.user)]


@router.put(
    "",
    response=list[RecipientOut],
    auth=django_auth,
    summary="Set exactly what one recipient may see (an empty list withdraws everything); "
    "answers with all your choices after the change",
)
def change_choice(request: HttpRequest, body: ChoiceIn) -> list[dict[str, Any]]:
    _person_only(request)
    with _fields_named():
        recipient = parsed_recipient(body.recipient)
        services.change_sharing(actor=request.user, recipient=recipient, scopes=body.scopes)
    return [_recipient_payload(line) for line in services.read_sharing_choices(actor=request.user)]


@router.post(
    "/withdraw-all", response=WithdrawnOut, auth=django_auth, summary="Stop sharing anything with anyone"
)
def withdraw_all(request: HttpRequest) -> dict[str, int]:
    _person_only(request)
    return {"withdrawn": services.withdraw_all(actor=request.user)}


@router.get(
    "/people/{int:referral_id}",
    response=SharedOut,
    auth=django_auth,
    summary="What the person in one of your relationships shares with you now",
)
def shared_with_me(request: HttpRequest, referral_id: int) -> dict[str, Any]:
    referral = referral_by_id(referral_id)
    if referral is None or not policy.can_view_referral(request.user, referral):
        raise Http404
    shared = services.open_shared_records(actor=request.user, referral=referral)  # NotPermitted: 404
    plan = shared.plan
    return {
        "referral": referral.pk,
        "scopes": [s.value for s in shared.scopes],
        "check_ins": [vars(c) for c in shared.check_ins] if shared.check_ins is not None else None,
        "safety_plan": {
            "updated_on": plan.updated_on,
            "steps": [{"title": title, **vars(step)} for title, step in plan.steps],
        }
        if plan is not None
        else None,
        "notes": [vars(n) for n in shared.notes] if shared.notes is not None else None,
        "contact_details": vars(shared.contact) if shared.contact is not None else None,
    }
