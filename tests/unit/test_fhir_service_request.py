"""A referral as a FHIR R4 ServiceRequest: required elements, the status mapping, and a
hand-off's shared snapshot carried as contained Observations and a DocumentReference."""

from __future__ import annotations

import base64
import datetime as dt

import pytest
from fhir.resources.R4B.servicerequest import ServiceRequest

from carepath.interop.fhir_service_request import Party, ReferralFacts, service_request
from carepath_core.errors import InvalidData
from carepath_core.referrals import SharedScore, build_snapshot

WHEN = dt.datetime(2026, 3, 4, 9, 30, tzinfo=dt.UTC)
PERSON = Party("Patient/12", "Sam")
PEER = Party("Practitioner/3", "Priya")
PRO = Party("Practitioner/4", "Dr Morgan")


def facts(**changes: object) -> ReferralFacts:
    values: dict[str, object] = {
        "referral_id": 7,
        "status": "requested",
        "kind": "professional",
        "authored": WHEN,
        "subject": PERSON,
        "requester": PERSON,
        "performer": PRO,
    }
    values.update(changes)
    return ReferralFacts(**values)  # type: ignore[arg-type]


def test_a_plain_request_has_the_required_elements_and_validates() -> None:
    resource = service_request(facts())
    ServiceRequest.model_validate(resource)  # again, from the JSON handed out
    assert resource["resourceType"] == "ServiceRequest" and resource["id"] == "referral-7"
    assert resource["status"] == "active" and resource["intent"] == "proposal"
    assert resource["subject"] == {"reference": "Patient/12", "display": "Sam"}
    assert resource["requester"]["reference"] == "Patient/12"
    assert resource["performer"] == [{"reference": "Practitioner/4", "display": "Dr Morgan"}]
    assert resource["category"][0]["coding"][0] == {
        "system": "http://snomed.info/sct",
        "code": "3457005",
        "display": "Patient referral",
    }
    assert resource["code"]["coding"][0]["code"] == "professional-support"
    assert resource["authoredOn"].startswith("2026-03-04T09:30:00")
    assert "supportingInfo" not in resource and "contained" not in resource and "note" not in resource


@pytest.mark.parametrize(
    ("status", "fhir_status"),
    [
        ("requested", "active"),
        ("active", "active"),
        ("declined", "revoked"),
        ("withdrawn", "revoked"),
        ("ended", "completed"),
    ],
)
def test_every_status_maps_to_a_request_status(status: str, fhir_status: str) -> None:
    assert service_request(facts(status=status))["status"] == fhir_status


def test_a_hand_off_carries_the_reason_scores_and_plan_summary() -> None:
    scores = [
        SharedScore("phq9", "PHQ-9", 14, 27, "Moderate depression", "2026-03-01"),
        SharedScore("who5", "WHO-5", 9, 25, "Poor wellbeing", "2026-03-02"),
    ]
    plan = {"warning_signs": "Not sleeping", "people_to_ask": "Ana 07700 900123"}
    snapshot = build_snapshot("Nights are getting harder.", scores, plan, "2026-03-03")
    resource = service_request(
        facts(
            requester=PEER,
            snapshot=snapshot,
            shared_at=WHEN,
            total_codes={"phq9": ("44261-6", "Patient Health Questionnaire 9 item (PHQ-9) total score")},
            plan_step_titles={"warning_signs": "Signs", "people_to_ask": "People I can ask"},
        )
    )
    ServiceRequest.model_validate(resource)
    assert resource["requester"]["reference"] == "Practitioner/3"
    assert resource["note"][0]["text"] == "Nights are getting harder."
    assert resource["note"][0]["authorReference"]["reference"] == "Practitioner/3"
    contained = {item["id"]: item for item in resource["contained"]}
    assert set(contained) == {"score-phq9", "score-who5", "safety-plan-summary"}
    assert [ref["reference"] for ref in resource["supportingInfo"]] == [
        "#score-phq9",
        "#score-who5",
        "#safety-plan-summary",
    ]
    phq9 = contained["score-phq9"]
    assert phq9["code"]["coding"][0] == {
        "system": "http://loinc.org",
        "code": "44261-6",
        "display": "Patient Health Questionnaire 9 item (PHQ-9) total score",
    }
    assert phq9["valueInteger"] == 14 and phq9["effectiveDateTime"] == "2026-03-01"
    assert contained["score-who5"]["code"]["coding"][0]["code"] == "who5-total"  # never a panel code
    summary = base64.b64decode(contained["safety-plan-summary"]["content"][0]["attachment"]["data"]).decode()
    assert "Signs: Not sleeping" in summary and "People I can ask: written (not shared)" in summary
    assert "07700" not in str(resource)


def test_a_naive_time_is_refused() -> None:
    with pytest.raises(InvalidData) as refused:
        service_request(facts(authored=dt.datetime(2026, 3, 4, 9, 30)))
    assert refused.value.field == "authored"
