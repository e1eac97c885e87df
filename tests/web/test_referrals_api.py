"""The referrals API over HTTP: the whole workflow, 404 for people outside a relationship, 422
naming the field, CSRF on session-authenticated writes, notes by who may read them, and the
FHIR R4 ServiceRequest (validated by fhir.resources)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from fhir.resources.R4B.servicerequest import ServiceRequest

from carepath.audit.models import AuditAction, AuditEvent
from carepath.referrals.models import Referral
from tests.referral_setup import keep_check_in, keep_plan, peer_profile, professional_profile
from tests.sign_in import sign_in

pytestmark = pytest.mark.django_db
BASE = "/api/v1/referrals"
READ = {"confidentiality_read": True}  # the client showed the service's confidentiality notice first


def as_user(account: Any, *, csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    sign_in(client, account)
    return client


def post(client: Client, url: str, body: Any = None) -> Any:
    return client.post(url, data=json.dumps(body or {}), content_type="application/json")


@pytest.fixture
def profiles(personas: dict[str, Any]) -> dict[str, Any]:
    return {
        "peer": peer_profile(personas["peer_supporter"]),
        "pro": professional_profile(personas["professional"]),
    }


def test_the_whole_workflow_through_the_api(personas: dict[str, Any], profiles: dict[str, Any]) -> None:
    seeker, peer, pro = (as_user(personas[r]) for r in ("help_seeker", "peer_supporter", "professional"))
    keep_check_in(personas["help_seeker"])
    keep_plan(personas["help_seeker"])
    asked = post(seeker, BASE, {**READ, "kind": "peer", "profile": profiles["peer"].pk})
    assert asked.status_code == 201
    body = asked.json()
    assert body["status"] == "requested" and body["your_side"] == "person" and body["actions"] == ["withdraw"]
    referral_id = body["id"]
    assert peer.get(BASE).json()[0]["actions"] == ["accept", "decline"]
    accepted = post(peer, f"{BASE}/{referral_id}/accept")
    assert accepted.status_code == 200 and accepted.json()["status"] == "active"
    assert [h["to_status"] for h in accepted.json()["history"]] == ["requested", "active"]
    today = timezone.localdate().isoformat()
    logged = post(
        peer,
        f"{BASE}/{referral_id}/contacts",
        {"happened_on": today, "channel": "phone", "minutes": 20, "note": "Good talk"},
    )
    assert logged.status_code == 201 and logged.json()["note"] == "Good talk"
    assert (
        seeker.get(f"{BASE}/{referral_id}/contacts").json()[0]["note"] == "Good talk"
    )  # peer notes: both sides

    hand_off = post(
        peer,
        f"{BASE}/{referral_id}/hand-offs",
        {"professional": profiles["pro"].pk, "reason": "Nights are hard"},
    )
    assert hand_off.status_code == 201 and hand_off.json()["would_share"] is None
    hand_off_id = hand_off.json()["id"]
    assert peer.get(f"{BASE}/hand-offs/{hand_off_id}").json()["would_share"] is None  # never the content
    screen = seeker.get(f"{BASE}/hand-offs/{hand_off_id}").json()
    assert (
        screen["would_share"]["reason"] == "Nights are hard"
        and screen["would_share"]["scores"][0]["total"] == 16
    )
    assert pro.get(f"{BASE}/hand-offs/{hand_off_id}").status_code == 404
    wrong = post(seeker, f"{BASE}/hand-offs/{hand_off_id}/agree", {"fingerprint": "not-it"})
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "fingerprint"
    agreed = post(seeker, f"{BASE}/hand-offs/{hand_off_id}/agree", {"fingerprint": screen["fingerprint"]})
    assert (
        agreed.status_code == 201
        and agreed.json()["kind"] == "professional"
        and agreed.json()["from_hand_off"]
    )
    pro_referral = agreed.json()["id"]

    shared = pro.get(f"{BASE}/{pro_referral}/shared")
    assert shared.status_code == 200 and shared.json() == screen["would_share"]
    assert peer.get(f"{BASE}/{pro_referral}/shared").status_code == 404
    assert (
        AuditEvent.objects.filter(
            action=AuditAction.HAND_OFF_SNAPSHOT_VIEWED, actor=personas["professional"]
        ).count()
        == 1
    )

    fhir = pro.get(f"{BASE}/{pro_referral}/service-request")
    assert fhir.status_code == 200
    resource = fhir.json()
    ServiceRequest.model_validate(resource)
    assert resource["resourceType"] == "ServiceRequest" and resource["intent"] == "proposal"
    assert resource["requester"]["reference"] == f"Practitioner/{personas['peer_supporter'].pk}"
    assert resource["performer"][0]["reference"] == f"Practitioner/{personas['professional'].pk}"
    assert resource["note"][0]["text"] == "Nights are hard"
    assert "#score-phq9" in [ref["reference"] for ref in resource["supportingInfo"]]
    assert peer.get(f"{BASE}/{pro_referral}/service-request").status_code == 404

    ended = post(seeker, f"{BASE}/{referral_id}/end", {"reason": "Seeing the counsellor now"})
    assert ended.status_code == 200 and ended.json()["status"] == "ended"


def test_clinical_notes_reach_only_the_professional(
    personas: dict[str, Any], profiles: dict[str, Any]
) -> None:
    referral = Referral.objects.create(
        person=personas["help_seeker"],
        supporter=personas["professional"],
        kind="professional",
        status="active",
        accepted_at=timezone.now(),
    )
    pro = as_user(personas["professional"])
    today = timezone.localdate().isoformat()
    post(
        pro,
        f"{BASE}/{referral.pk}/contacts",
        {"happened_on": today, "channel": "video", "minutes": 50, "note": "Formulation"},
    )
    assert pro.get(f"{BASE}/{referral.pk}/contacts").json()[0]["note"] == "Formulation"
    seen_by_person = as_user(personas["help_seeker"]).get(f"{BASE}/{referral.pk}/contacts").json()
    assert seen_by_person == [
        {"id": seen_by_person[0]["id"], "happened_on": today, "channel": "video", "minutes": 50, "note": None}
    ]
    peer_answer = as_user(personas["peer_supporter"]).get(f"{BASE}/{referral.pk}/contacts")
    assert peer_answer.status_code == 404 and "Formulation" not in peer_answer.content.decode()


@pytest.mark.parametrize("outsider", ["other_help_seeker", "coordinator", "professional"])
def test_people_outside_a_relationship_get_404_everywhere(
    personas: dict[str, Any], profiles: dict[str, Any], outsider: str
) -> None:
    referral = post(
        as_user(personas["help_seeker"]), BASE, {**READ, "kind": "peer", "profile": profiles["peer"].pk}
    ).json()
    client = as_user(personas[outsider])
    for path in ("", "/contacts", "/shared", "/service-request"):
        response = client.get(f"{BASE}/{referral['id']}{path}")
        assert response.status_code == 404 and response.json() == {"detail": "Not found."}
    for action in ("accept", "decline", "withdraw"):
        assert post(client, f"{BASE}/{referral['id']}/{action}").status_code == 404
    assert client.get(BASE).json() == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "friend", "profile": 1}, "kind"),
        ({"kind": "peer", "profile": "99999"}, "profile"),
        ({"kind": "professional"}, "profile"),
    ],
)
def test_bad_requests_for_contact_name_the_field(
    personas: dict[str, Any], profiles: dict[str, Any], body: dict[str, Any], field: str
) -> None:
    response = post(as_user(personas["help_seeker"]), BASE, {**READ, **body})
    assert response.status_code == 422
    answer = response.json()
    assert answer["detail"] and answer["errors"][0]["field"] == field and answer["errors"][0]["problem"]


@pytest.mark.parametrize(
    ("contact", "field"),
    [
        ({"happened_on": "yesterday", "channel": "phone", "minutes": 10}, "happened_on"),
        ({"happened_on": "2999-01-01", "channel": "phone", "minutes": 10}, "happened_on"),
        ({"channel": "fax", "minutes": 10}, "channel"),
        ({"channel": "phone", "minutes": 0}, "minutes"),
        ({"channel": "phone", "minutes": "ten"}, "minutes"),
    ],
)
def test_bad_contacts_name_the_field(
    personas: dict[str, Any], profiles: dict[str, Any], contact: dict[str, Any], field: str
) -> None:
    referral = Referral.objects.create(
        person=personas["help_seeker"],
        supporter=personas["peer_supporter"],
        kind="peer",
        status="active",
        accepted_at=timezone.now(),
    )
    body = {"happened_on": timezone.localdate().isoformat(), **contact}
    response = post(as_user(personas["peer_supporter"]), f"{BASE}/{referral.pk}/contacts", body)
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == field


def test_refused_moves_answer_400_with_the_reason(personas: dict[str, Any], profiles: dict[str, Any]) -> None:
    seeker = as_user(personas["help_seeker"])
    referral = post(seeker, BASE, {**READ, "kind": "peer", "profile": profiles["peer"].pk}).json()
    response = post(seeker, f"{BASE}/{referral['id']}/end", {"reason": "x"})
    assert (
        response.status_code == 400
        and "waiting for an answer, so it cannot be ended" in response.json()["detail"]
    )
    full = peer_profile(
        personas["peer_supporter"].__class__.objects.create(username="full", role="peer_supporter"),
        capacity=0,
    )
    waiting = post(seeker, BASE, {**READ, "kind": "peer", "profile": full.pk}).json()
    refused = post(as_user(full.user), f"{BASE}/{waiting['id']}/accept")
    assert refused.status_code == 400 and "already support 0 of the 0 people" in refused.json()["detail"]


def test_only_help_seekers_ask_and_everyone_must_log_in(
    personas: dict[str, Any], profiles: dict[str, Any]
) -> None:
    answer = post(
        as_user(personas["peer_supporter"]), BASE, {**READ, "kind": "peer", "profile": profiles["peer"].pk}
    )
    assert answer.status_code == 403
    assert post(Client(), BASE, {**READ, "kind": "peer", "profile": profiles["peer"].pk}).status_code == 401
    assert Client().get("/api/v1/notifications").status_code == 401


def test_session_writes_need_the_csrf_token(personas: dict[str, Any], profiles: dict[str, Any]) -> None:
    client = as_user(personas["help_seeker"], csrf=True)
    response = post(client, BASE, {**READ, "kind": "peer", "profile": profiles["peer"].pk})
    assert response.status_code == 403
    assert not Referral.objects.exists()


def test_notices_over_the_api(personas: dict[str, Any], profiles: dict[str, Any]) -> None:
    post(as_user(personas["help_seeker"]), BASE, {**READ, "kind": "peer", "profile": profiles["peer"].pk})
    peer = as_user(personas["peer_supporter"])
    (notice,) = peer.get("/api/v1/notifications").json()
    assert notice["kind"] == "referral.requested" and notice["read_at"] is None
    assert (
        post(as_user(personas["help_seeker"]), f"/api/v1/notifications/{notice['id']}/read").status_code
        == 404
    )
    assert post(peer, f"/api/v1/notifications/{notice['id']}/read").json()["read_at"] is not None
    assert post(peer, "/api/v1/notifications/read-all").json() == {"marked": 0}


def test_openapi_lists_the_referral_operations(client: Client) -> None:
    paths = set(client.get("/api/v1/openapi.json").json()["paths"])
    assert {
        "/api/v1/referrals",
        "/api/v1/referrals/{referral_id}/accept",
        "/api/v1/referrals/{referral_id}/contacts",
        "/api/v1/referrals/{referral_id}/hand-offs",
        "/api/v1/referrals/hand-offs/{hand_off_id}/agree",
        "/api/v1/referrals/{referral_id}/service-request",
        "/api/v1/notifications",
    } <= paths
