"""The decision aid over the JSON API."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from django.test import Client

from carepath.audit.models import AuditAction, AuditEvent
from carepath.decision.models import RuleSetVersion, SavedRecommendation
from carepath.decision.selectors import default_rules_document
from tests.sign_in import sign_in

REQUEST = {
    "screenings": [{"instrument": "phq9", "answers": {f"phq9_{i}": 1 for i in range(1, 9)} | {"phq9_9": 0}}],
    "in_danger": False,
    "preferences": {"emotional_connection": 4, "cost": 3, "qualifications": 1},
    "own_concerns": ["I work shifts"],
    "limits": {
        "budget_per_month": 40,
        "currency": "USD",
        "modalities": ["video", "in_person"],
        "languages": ["en"],
        "max_travel_km": 10,
    },
}


def post(client: Client, url: str, body: Any) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


@pytest.mark.django_db
def test_a_recommendation_has_pathway_rule_reasons_fit_and_the_grid(client: Client) -> None:
    response = post(client, "/api/v1/recommendations", REQUEST)
    assert response.status_code == 200
    body = response.json()
    assert "safety" not in body
    assert (body["pathway"], body["minimum_level"]) == ("peer", "peer_support")
    assert body["rule"] == {"id": "carepath-default", "version": "1.0.0", "rule_id": "mild-scores-peer"}
    assert body["reasons"][0]["kind"] == "rule"
    assert (
        set(body["fit"]) == {"peer", "professional", "both"}
        and body["fit"]["peer"] > body["fit"]["professional"]
    )
    assert [d["id"] for d in body["dimensions"]][:2] == ["scope", "qualifications"]
    emotional = next(d for d in body["dimensions"] if d["id"] == "emotional_connection")
    assert emotional["weight"] == 4 and emotional["highlighted"] and emotional["peer"]["benefits"]
    assert body["own_concerns"] == ["I work shifts"]
    assert not SavedRecommendation.objects.exists()


@pytest.mark.django_db
def test_a_risk_answer_leads_with_safety_and_crisis_first(client: Client) -> None:
    risky = copy.deepcopy(REQUEST)
    risky["screenings"][0]["answers"]["phq9_9"] = 2
    body = post(client, "/api/v1/recommendations?region=IE", risky).json()
    assert next(iter(body)) == "safety" and body["safety"]["emergency_numbers"] == ["112", "999"]
    assert body["pathway"] == "crisis_first"


@pytest.mark.django_db
def test_saving_needs_a_login_and_records_the_rule_set(client: Client, personas: dict[str, Any]) -> None:
    anonymous = post(client, "/api/v1/recommendations", {**REQUEST, "save": True})
    assert anonymous.status_code == 401 and not SavedRecommendation.objects.exists()
    sign_in(client, personas["help_seeker"])
    saved = post(client, "/api/v1/recommendations", {**REQUEST, "save": True})
    assert saved.status_code == 201
    row = SavedRecommendation.objects.get(pk=saved.json()["id"])
    assert (row.rule_set_id, row.rule_set_version, row.rule_id) == (
        "carepath-default",
        "1.0.0",
        "mild-scores-peer",
    )
    assert AuditEvent.objects.filter(action=AuditAction.RECOMMENDATION_SAVED, subject_id=str(row.pk)).exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda r: r["preferences"].update(cost=5), "preferences.cost"),
        (lambda r: r["preferences"].update(happiness=2), "preferences.happiness"),
        (lambda r: r["limits"].update(budget_per_month=-5), "limits.budget_per_month"),
        (lambda r: r["limits"].update(modalities=["telepathy"]), "limits.modalities"),
        (lambda r: r["limits"].update(currency="dollars"), "limits.currency"),
        (lambda r: r["screenings"].append({"instrument": "gad7", "total": 22}), "screenings[1].total"),
        (lambda r: r["screenings"].append({"instrument": "phq9", "total": 3}), "screenings[1]"),
        (lambda r: r["screenings"][0]["answers"].update(phq9_1=7), "screenings[0].answers.phq9_1"),
        (lambda r: r.update(in_danger="no"), "in_danger"),
        (lambda r: r.update(current_support="lots"), "current_support"),
    ],
)
@pytest.mark.django_db
def test_bad_input_is_422_naming_the_field(client: Client, change: Any, field: str) -> None:
    request = copy.deepcopy(REQUEST)
    change(request)
    response = post(client, "/api/v1/recommendations", request)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field


def test_the_decision_aid_content_is_published_with_citations(client: Client) -> None:
    body = client.get("/api/v1/decision-aid").json()
    assert len(body["dimensions"]) == 10 and body["produced"] and body["funding"] and body["update_policy"]
    cited = {c for d in body["dimensions"] for c in d["evidence"]["citations"]}
    assert cited <= set(body["citations"])


@pytest.mark.django_db
def test_rules_are_readable_by_anyone_and_loadable_by_coordinators(
    client: Client, personas: dict[str, Any]
) -> None:
    assert client.get("/api/v1/rules").json()["id"] == "carepath-default"
    document = copy.deepcopy(default_rules_document())
    document["version"] = "1.0.1"
    sign_in(client, personas["professional"])
    assert post(client, "/api/v1/rules", document).status_code == 404
    sign_in(client, personas["coordinator"])
    assert post(client, "/api/v1/rules", document).status_code == 201
    assert client.get("/api/v1/rules").json()["version"] == "1.0.1"
    document["rules"][0]["then"]["pathway"] = "both"
    refused = post(client, "/api/v1/rules", document)
    assert refused.status_code == 422 and refused.json()["problems"][0]["rule"] == "risk"
    assert RuleSetVersion.objects.get(active=True).version == "1.0.1"
