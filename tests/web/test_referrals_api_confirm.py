"""Asking for contact through the API takes the same two steps as the pages: `GET
/api/v1/referrals/before-asking` gives the service's confidentiality policy and limits, and `POST
/api/v1/referrals` asks only with `confidentiality_read: true`; anything else is 422 naming the
field, and nothing is asked."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from carepath.referrals.models import Referral
from tests.referral_setup import peer_profile, professional_profile
from tests.sharing_setup import HARBOUR_POLICY, service_of
from tests.sign_in import sign_in

pytestmark = pytest.mark.django_db
BASE = "/api/v1/referrals"


def as_user(account: Any) -> Client:
    client = Client()
    sign_in(client, account)
    return client


def ask(client: Client, body: dict[str, Any]) -> Any:
    return client.post(BASE, data=json.dumps(body), content_type="application/json")


@pytest.fixture
def harbour_pro(personas: dict[str, Any]) -> Any:
    harbour = service_of("Harbour", policy=HARBOUR_POLICY, limits=["risk_to_life", "court_order"])
    return professional_profile(personas["professional"], service=harbour)


@pytest.mark.parametrize(
    "confirmation",
    [{}, {"confidentiality_read": False}, {"confidentiality_read": None}, {"confidentiality_read": "true"}],
)
def test_asking_without_having_read_the_policy_is_422_naming_the_field(
    personas: dict[str, Any], harbour_pro: Any, confirmation: dict[str, Any]
) -> None:
    answer = ask(
        as_user(personas["help_seeker"]), {"kind": "professional", "profile": harbour_pro.pk, **confirmation}
    )
    assert answer.status_code == 422
    [error] = answer.json()["errors"]
    assert error["field"] == "confidentiality_read"
    assert "confidentiality policy and its limits" in error["problem"] and "before-asking" in error["problem"]
    assert not Referral.objects.exists()


def test_the_two_steps_show_the_policy_then_ask(personas: dict[str, Any], harbour_pro: Any) -> None:
    seeker = as_user(personas["help_seeker"])
    first = seeker.get(f"{BASE}/before-asking", {"kind": "professional", "profile": harbour_pro.pk})
    assert first.status_code == 200
    assert first.json() == {
        "kind": "professional",
        "profile": harbour_pro.pk,
        "name": personas["professional"].shown_name,
        "own_statement": None,
        "service": "Harbour counselling",
        "organisation": "Harbour",
        "confidentiality_policy": HARBOUR_POLICY,
        "confidentiality_limits": ["when someone's life is at risk", "when a court orders it"],
        "published": True,
    }
    assert not Referral.objects.exists()  # reading asks nothing
    asked = ask(seeker, {"kind": "professional", "profile": harbour_pro.pk, "confidentiality_read": True})
    assert asked.status_code == 201 and asked.json()["status"] == "requested"


def test_a_peer_without_a_service_says_nothing_is_published(personas: dict[str, Any]) -> None:
    profile = peer_profile(
        personas["peer_supporter"], confidentiality_statement="I keep what you say to myself."
    )
    answer = as_user(personas["help_seeker"]).get(
        f"{BASE}/before-asking", {"kind": "peer", "profile": profile.pk}
    )
    body = answer.json()
    assert (body["published"], body["service"], body["confidentiality_policy"]) == (False, None, None)
    assert body["own_statement"] == "I keep what you say to myself." and body["confidentiality_limits"] == []


def test_before_asking_is_for_the_person_and_unknown_supporters_are_404(
    personas: dict[str, Any], harbour_pro: Any
) -> None:
    query = {"kind": "professional", "profile": harbour_pro.pk}
    assert Client().get(f"{BASE}/before-asking", query).status_code == 401
    assert as_user(personas["peer_supporter"]).get(f"{BASE}/before-asking", query).status_code == 403
    seeker = as_user(personas["help_seeker"])
    for wrong in (
        {"kind": "peer", "profile": harbour_pro.pk},
        {"kind": "nurse", "profile": "1"},
        {"kind": "peer", "profile": "x"},
    ):
        assert seeker.get(f"{BASE}/before-asking", wrong).status_code == 404, wrong
    assert seeker.get(f"{BASE}/before-asking").status_code == 422  # both are required


def test_the_openapi_document_requires_the_confirmation(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    ask_in = schema["components"]["schemas"]["AskIn"]
    assert "confidentiality_read" in ask_in["required"]
    assert ask_in["properties"]["confidentiality_read"]["type"] == "boolean"
    assert "/api/v1/referrals/before-asking" in schema["paths"]
