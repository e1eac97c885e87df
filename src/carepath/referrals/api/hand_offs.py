"""Hand-offs over the JSON API, the shared snapshot, and a referral as a FHIR R4 ServiceRequest.

These operations hang on the referrals router (one prefix, one tag), from `api/referrals.py`."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Schema, Status
from ninja.security import django_auth

from carepath import policy
from carepath.interop.fhir_service_request import Party, ReferralFacts, service_request
from carepath.referrals import selectors
from carepath.referrals.api.payloads import (
    HandOffOut,
    ReferralOut,
    fields_named,
    hand_off_payload,
    referral_payload,
)
from carepath.referrals.api.referrals import router, visible_referral
from carepath.referrals.models import HandOff, Referral
from carepath.referrals.services import hand_offs
from carepath.safety.models import PLAN_STEP_TITLES
from carepath_core.referrals import Snapshot, snapshot_document


class HandOffIn(Schema):
    professional: Any = None  # a professional profile id, as in the directory of professionals
    reason: str = ""


class AgreeIn(Schema):
    fingerprint: str = ""


def _visible_hand_off(request: HttpRequest, hand_off_id: int) -> HandOff:
    hand_off = selectors.hand_off_by_id(hand_off_id)
    if hand_off is None or not policy.can_view_hand_off(request.user, hand_off):
        raise Http404
    return hand_off


@router.post(
    "/{int:referral_id}/hand-offs",
    response={201: HandOffOut},
    auth=django_auth,
    summary="Suggest a professional (the peer supporter); nothing is shared until the person agrees",
)
def ask_hand_off(request: HttpRequest, referral_id: int, body: HandOffIn) -> Status[dict[str, Any]]:
    referral = visible_referral(request, referral_id)
    with fields_named():
        hand_off = hand_offs.ask_for_hand_off(
            actor=request.user, referral=referral, professional_id=body.professional, reason=body.reason
        )
    return Status(201, hand_off_payload(hand_off))


@router.get(
    "/hand-offs/{int:hand_off_id}",
    response=HandOffOut,
    auth=django_auth,
    summary="A hand-off; the person also gets exactly what would be shared and its fingerprint",
)
def get_hand_off(request: HttpRequest, hand_off_id: int) -> dict[str, Any]:
    hand_off = _visible_hand_off(request, hand_off_id)
    if not policy.can_answer_hand_off(request.user, hand_off):
        return hand_off_payload(hand_off)  # the peer who asked: the status, never the content
    screen = hand_offs.open_consent_screen(actor=request.user, hand_off=hand_off)
    return hand_off_payload(hand_off, screen.snapshot, screen.fingerprint)


@router.post(
    "/hand-offs/{int:hand_off_id}/agree",
    response={201: ReferralOut},
    auth=django_auth,
    summary="Agree (the person), sending back the fingerprint of what you read; makes the referral",
)
def agree(request: HttpRequest, hand_off_id: int, body: AgreeIn) -> Status[dict[str, Any]]:
    hand_off = _visible_hand_off(request, hand_off_id)
    with fields_named():
        referral = hand_offs.agree_to_hand_off(
            actor=request.user, hand_off=hand_off, agreed_fingerprint=body.fingerprint
        )
    return Status(201, referral_payload(referral, request.user, with_history=True))


@router.post(
    "/hand-offs/{int:hand_off_id}/decline",
    response=HandOffOut,
    auth=django_auth,
    summary="Decline (the person); nothing is shared",
)
def decline(request: HttpRequest, hand_off_id: int) -> dict[str, Any]:
    hand_off = hand_offs.decline_hand_off(
        actor=request.user, hand_off=_visible_hand_off(request, hand_off_id)
    )
    return hand_off_payload(hand_off)


@router.get(
    "/{int:referral_id}/shared",
    response=dict[str, Any],
    auth=django_auth,
    summary="What the person agreed to share on a hand-off (the professional and the person); audited",
)
def shared(request: HttpRequest, referral_id: int) -> dict[str, Any]:
    referral = visible_referral(request, referral_id)
    return snapshot_document(hand_offs.open_shared_snapshot(actor=request.user, referral=referral))


@router.get(
    "/{int:referral_id}/service-request",
    response=dict[str, Any],
    auth=django_auth,
    url_name="referral_service_request",
    summary="The referral as a FHIR R4 ServiceRequest, with what was shared on a hand-off",
)
def fhir_service_request(request: HttpRequest, referral_id: int) -> dict[str, Any]:
    referral = visible_referral(request, referral_id)
    snapshot = None
    if policy.can_view_shared_snapshot(request.user, referral):
        snapshot = hand_offs.open_shared_snapshot(actor=request.user, referral=referral)
    return service_request(_facts(referral, snapshot))


def _facts(referral: Referral, snapshot: Snapshot | None) -> ReferralFacts:
    person, supporter = referral.person, referral.supporter
    subject = Party(f"Patient/{person.pk}", person.shown_name)
    requester = subject
    peer = referral.hand_off.peer if referral.hand_off is not None else None
    if peer is not None:
        requester = Party(f"Practitioner/{peer.pk}", peer.shown_name)
    return ReferralFacts(
        referral_id=referral.pk,
        status=referral.status,
        kind=referral.kind,
        authored=referral.created_at,
        subject=subject,
        requester=requester,
        performer=Party(f"Practitioner/{supporter.pk}", supporter.shown_name),
        snapshot=snapshot,
        shared_at=referral.hand_off.answered_at if referral.hand_off is not None else None,
        total_codes=selectors.instrument_total_codes(),
        plan_step_titles={key: str(title) for key, title in PLAN_STEP_TITLES.items()},
    )
