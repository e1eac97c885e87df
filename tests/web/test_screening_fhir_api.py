"""FHIR over the API: Questionnaire per instrument, Bundle per kept check-in, QuestionnaireResponse import."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.questionnaire import Questionnaire

from carepath.audit.models import AuditAction, AuditEvent
from carepath.screening.models import Assessment
from tests.sign_in import sign_in

CANONICAL = "https://carepath.example/fhir/Questionnaire/phq9"
LA = {0: "LA6568-5", 1: "LA6569-3", 2: "LA6570-1", 3: "LA6571-9"}


def phq9_response(*values: int) -> dict[str, Any]:
    return {
        "resourceType": "QuestionnaireResponse",
        "status": "completed",
        "questionnaire": CANONICAL,
        "item": [
            {
                "linkId": f"phq9_{i}",
                "answer": [{"valueCoding": {"system": "http://loinc.org", "code": LA[v]}}],
            }
            for i, v in enumerate(values, start=1)
        ],
    }


def post_json(client: Client, url: str, body: Any) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def test_each_instrument_is_a_valid_fhir_questionnaire(client: Client) -> None:
    resource = client.get("/api/v1/instruments/gad7/fhir").json()
    Questionnaire.model_validate(resource)
    assert resource["code"][0]["code"] == "69737-5"
    assert [item["linkId"] for item in resource["item"]] == [f"gad7_{i}" for i in range(1, 8)]


def test_a_questionnaire_response_is_scored_without_storing(client: Client) -> None:
    body = post_json(client, "/api/v1/fhir/score", phq9_response(1, 1, 1, 1, 1, 1, 1, 1, 1)).json()
    assert (body["total"], body["band"]) == (9, "Mild")
    assert body["safety"]["crisis_first"] is True  # item 9 answered "Several days"


def test_a_bad_questionnaire_response_names_the_problem(client: Client) -> None:
    unknown = {**phq9_response(0, 0, 0, 0, 0, 0, 0, 0, 0), "questionnaire": "https://elsewhere.example/Q/x"}
    response = post_json(client, "/api/v1/fhir/score", unknown)
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "questionnaire"


@pytest.mark.django_db
def test_a_kept_check_in_exports_as_a_valid_bundle_and_is_audited(
    client: Client, personas: dict[str, Any]
) -> None:
    sign_in(client, personas["help_seeker"])
    created = post_json(client, "/api/v1/fhir/assessments", phq9_response(2, 2, 2, 1, 1, 1, 1, 0, 0))
    assert created.status_code == 201, created.content
    assessment_id = created.json()["id"]
    assert Assessment.objects.get(pk=assessment_id).total == 10
    bundle = client.get(f"/api/v1/assessments/{assessment_id}/fhir").json()
    Bundle.model_validate(bundle)
    kinds = [entry["resource"]["resourceType"] for entry in bundle["entry"]]
    assert kinds == ["QuestionnaireResponse", "Observation"]
    observation = bundle["entry"][1]["resource"]
    assert observation["code"]["coding"][0]["code"] == "44261-6" and observation["valueInteger"] == 10
    assert AuditEvent.objects.filter(
        action=AuditAction.ASSESSMENT_EXPORTED, subject_id=assessment_id
    ).exists()
    other = Client()
    sign_in(other, personas["other_help_seeker"])
    assert other.get(f"/api/v1/assessments/{assessment_id}/fhir").status_code == 404
