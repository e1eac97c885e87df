"""Questionnaires over the JSON API: definitions, stateless scoring, stored check-ins, bad input."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from carepath.audit.models import AuditAction, AuditEvent
from carepath.screening.models import Assessment
from tests.sign_in import sign_in

PHQ9_IDS = [f"phq9_{i}" for i in range(1, 10)]


def answers(*values: int) -> dict[str, int]:
    return dict(zip(PHQ9_IDS, values, strict=True))


def score(client: Client, body: Any, code: str = "phq9", **extra: Any) -> Any:
    return client.post(
        f"/api/v1/instruments/{code}/score", json.dumps(body), content_type="application/json", **extra
    )


def test_instruments_are_listed_with_licensed_ones_as_metadata(client: Client) -> None:
    listed = {i["code"]: i for i in client.get("/api/v1/instruments").json()}
    assert {"phq9", "gad7", "phq2", "gad2", "who5", "cssrs", "reqol"} <= set(listed)
    assert listed["phq9"]["scorable"] and not listed["cssrs"]["scorable"]
    assert listed["cssrs"]["licence"] == "licensed"
    assert client.get("/api/v1/instruments/cssrs").json()["items"] == []


def test_a_definition_has_items_in_order_with_ids_and_options(client: Client) -> None:
    definition = client.get("/api/v1/instruments/phq9").json()
    assert [item["id"] for item in definition["items"]][:9] == PHQ9_IDS
    assert definition["items"][0]["options"][0] == {"value": 0, "label": "Not at all", "loinc": "LA6568-5"}
    assert definition["items"][8]["risk_item"] is True
    assert definition["loinc"]["total"]["code"] == "44261-6"


@pytest.mark.django_db
def test_scoring_stores_nothing_and_reports_band_and_caseness(
    client: Client, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(0):
        result = score(client, {"answers": answers(1, 1, 1, 1, 1, 1, 1, 1, 2)}).json()
    assert (result["total"], result["band"], result["band_index"], result["caseness"]) == (
        10,
        "Moderate",
        2,
        True,
    )
    assert result["complete"] is True and result["risk_flags"] == ["phq9_9"]


def test_risk_puts_the_safety_block_first_with_the_regions_resources(client: Client) -> None:
    response = score(client, {"answers": answers(0, 0, 0, 0, 0, 0, 0, 0, 1)}, QUERY_STRING="region=AU")
    body = response.json()
    assert next(iter(body)) == "safety"
    assert body["safety"]["crisis_first"] and body["safety"]["region"] == "AU"
    assert body["safety"]["emergency_numbers"] == ["000"]
    assert any(r["name"].startswith("Lifeline") for r in body["safety"]["resources"])


def test_no_risk_means_a_quiet_safety_block(client: Client) -> None:
    body = score(client, {"answers": answers(0, 0, 0, 0, 0, 0, 0, 0, 0)}).json()
    assert body["safety"] == {"crisis_first": False, "reasons": [], "risk_items": []}


def test_in_danger_alone_triggers_crisis_first(client: Client) -> None:
    body = score(client, {"answers": answers(0, 0, 0, 0, 0, 0, 0, 0, 0), "in_danger": True}).json()
    assert body["safety"]["crisis_first"] and body["safety"]["reasons"] == ["says_in_danger"]


def test_who5_reports_the_percentage(client: Client) -> None:
    body = score(client, {"answers": {f"who5_{i}": 3 for i in range(1, 6)}}, code="who5").json()
    assert (body["total"], body["percentage"]) == (15, 60)


@pytest.mark.parametrize(
    ("given", "field", "problem"),
    [
        ({**answers(0, 0, 0, 0, 0, 0, 0, 0, 0), "phq9_99": 1}, "answers.phq9_99", "is not an item of PHQ-9"),
        (
            {**answers(0, 0, 0, 0, 0, 0, 0, 0, 0), "phq9_3": 4},
            "answers.phq9_3",
            "answer 4 is not one of 0, 1, 2, 3",
        ),
        ({**answers(0, 0, 0, 0, 0, 0, 0, 0, 0), "phq9_3": -1}, "answers.phq9_3", "answer -1 is not one of"),
        ({**answers(0, 0, 0, 0, 0, 0, 0, 0, 0), "phq9_3": "2"}, "answers.phq9_3", "is not a whole number"),
        ({**answers(0, 0, 0, 0, 0, 0, 0, 0, 0), "phq9_3": 1.5}, "answers.phq9_3", "is not a whole number"),
        ({**answers(0, 0, 0, 0, 0, 0, 0, 0, 0), "phq9_3": True}, "answers.phq9_3", "is not a whole number"),
        ({"phq9_1": 0}, "answers.phq9_9", "is missing"),
    ],
)
def test_bad_answers_are_422_naming_the_item(
    client: Client, given: dict[str, Any], field: str, problem: str
) -> None:
    response = score(client, {"answers": given})
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert any(e["field"] == field and problem in e["problem"] for e in errors), errors


def test_a_refused_form_with_a_risk_answer_still_leads_with_crisis_help(client: Client) -> None:
    body = score(client, {"answers": {"phq9_9": 3}}).json()
    assert list(body)[:2] == ["safety", "detail"]
    assert body["safety"]["crisis_first"] and len(body["errors"]) == 8


def test_unknown_instrument_and_licensed_instrument(client: Client) -> None:
    unknown = score(client, {"answers": {}}, code="beck")
    assert unknown.status_code == 404 and "'beck' is not a known questionnaire" in unknown.json()["detail"]
    licensed = score(client, {"answers": {}}, code="cssrs")
    assert licensed.status_code == 400 and "licensed" in licensed.json()["detail"]


@pytest.mark.parametrize(
    ("payload", "content_type"),
    [
        ("answers=1", "application/x-www-form-urlencoded"),
        ("{not json", "application/json"),
        ("[]", "application/json"),
    ],
)
def test_a_body_that_is_not_the_json_object_asked_for_is_a_4xx(
    client: Client, payload: str, content_type: str
) -> None:
    response = client.post("/api/v1/instruments/phq9/score", payload, content_type=content_type)
    assert 400 <= response.status_code < 500
    assert "detail" in response.json()


@pytest.mark.django_db
def test_storing_a_check_in_needs_a_login(client: Client) -> None:
    response = client.post(
        "/api/v1/assessments",
        json.dumps({"instrument": "phq9", "answers": answers(0, 0, 0, 0, 0, 0, 0, 0, 0)}),
        content_type="application/json",
    )
    assert response.status_code == 401 and not Assessment.objects.exists()


@pytest.mark.django_db
def test_a_stored_check_in_is_audited_and_readable_only_by_its_owner(
    client: Client, personas: dict[str, Any]
) -> None:
    sign_in(client, personas["help_seeker"])
    body = {"instrument": "phq9", "answers": answers(2, 2, 1, 1, 1, 1, 1, 1, 1)}
    created = client.post("/api/v1/assessments", json.dumps(body), content_type="application/json")
    assert created.status_code == 201
    record = created.json()
    assert next(iter(record)) == "id" and record["safety"]["crisis_first"] and record["total"] == 11
    assert AuditEvent.objects.filter(action=AuditAction.ASSESSMENT_SAVED, subject_id=record["id"]).exists()
    assert client.get(f"/api/v1/assessments/{record['id']}").json()["answers"]["phq9_1"] == 2
    assert [a["id"] for a in client.get("/api/v1/assessments").json()] == [record["id"]]
    other = Client()
    sign_in(other, personas["other_help_seeker"])
    assert other.get(f"/api/v1/assessments/{record['id']}").status_code == 404
    assert other.get("/api/v1/assessments").json() == []


@pytest.mark.django_db
def test_a_refused_check_in_stores_nothing(client: Client, personas: dict[str, Any]) -> None:
    sign_in(client, personas["help_seeker"])
    body = {"instrument": "phq9", "answers": {"phq9_1": 9}}
    response = client.post("/api/v1/assessments", json.dumps(body), content_type="application/json")
    assert response.status_code == 422
    assert not Assessment.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.ASSESSMENT_SAVED).exists()
