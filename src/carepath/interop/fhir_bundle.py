"""Everything Carepath holds about a person as one FHIR R4 collection Bundle (their export).

A Patient for the account; a QuestionnaireResponse and its total-score Observation per kept
check-in (the builders of fhir_response and fhir_observation); a CarePlan for the safety plan; a
ServiceRequest per request for contact or hand-off (fhir_service_request); a Consent per sharing
choice. Entries are addressed as urn:uuid: ids derived from Carepath's own ids, so exporting twice
names every resource the same way. Pure: the caller supplies the facts.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.careplan import CarePlan
from fhir.resources.R4B.consent import Consent
from fhir.resources.R4B.patient import Patient

from carepath.interop.fhir_common import CANONICAL_BASE, JSON, LOINC, require_timezone, validated
from carepath.interop.fhir_observation import total_score_observation
from carepath.interop.fhir_response import questionnaire_response
from carepath.interop.fhir_service_request import ReferralFacts, service_request
from carepath_core.errors import DomainError
from carepath_core.instruments import Instrument, ScoreResult

ACCOUNT_SYSTEM = f"{CANONICAL_BASE}/sid/account"
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, CANONICAL_BASE)
_CONSENT_SCOPE = "http://terminology.hl7.org/CodeSystem/consentscope"
_ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
_PARTICIPATION = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"


@dataclass(frozen=True)
class PersonFacts:
    account_id: int
    username: str
    name: str  # the name shown; empty when none was given
    email: str


@dataclass(frozen=True)
class CheckInFacts:
    assessment_id: uuid.UUID
    instrument: Instrument
    answers: dict[str, int]
    completed_at: datetime
    result: ScoreResult | None  # None: the instrument has no total score


@dataclass(frozen=True)
class SafetyPlanFacts:
    steps: Sequence[tuple[str, str]]  # (step title, what the person wrote), written steps only
    updated_at: datetime


@dataclass(frozen=True)
class ConsentFacts:
    key: str  # unique among the person's consents, e.g. "risk-alerts" or "sharing-12"
    granted: Sequence[str]  # what the recipient may do or see, in words; empty: nothing
    recipient: str
    changed_at: datetime


def entry_url(kind: str, key: object) -> str:
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, f'{kind}/{key}')}"


def personal_data_bundle(
    *,
    person: PersonFacts,
    check_ins: Sequence[CheckInFacts],
    safety_plan: SafetyPlanFacts | None,
    referrals: Sequence[ReferralFacts],
    consents: Sequence[ConsentFacts],
    timestamp: datetime,
) -> JSON:
    patient_url = entry_url("Patient", person.account_id)
    entries = [{"fullUrl": patient_url, "resource": patient(person)}]
    for check_in in check_ins:
        entries.extend(_check_in_entries(check_in, patient_url))
    if safety_plan is not None and safety_plan.steps:
        entries.append(
            {
                "fullUrl": entry_url("CarePlan", person.account_id),
                "resource": care_plan(safety_plan, patient_url),
            }
        )
    for facts in referrals:  # their subject is the Patient above: see `entry_url`
        resource = service_request(facts)
        entries.append({"fullUrl": entry_url("ServiceRequest", facts.referral_id), "resource": resource})
    for choice in consents:
        entries.append(
            {"fullUrl": entry_url("Consent", choice.key), "resource": consent(choice, patient_url)}
        )
    bundle = {
        "resourceType": "Bundle",
        "id": str(uuid.uuid4()),
        "type": "collection",
        "timestamp": require_timezone(timestamp, "timestamp"),
        "entry": entries,
    }
    return validated(Bundle, bundle)


def patient(person: PersonFacts) -> JSON:
    resource: JSON = {
        "resourceType": "Patient",
        "id": f"account-{person.account_id}",
        "identifier": [{"system": ACCOUNT_SYSTEM, "value": person.username}],
    }
    if person.name:
        resource["name"] = [{"text": person.name}]
    if person.email:
        resource["telecom"] = [{"system": "email", "value": person.email}]
    return validated(Patient, resource)


def _check_in_entries(check_in: CheckInFacts, patient_url: str) -> list[JSON]:
    response_id = str(check_in.assessment_id)
    try:
        response = questionnaire_response(
            check_in.instrument,
            check_in.answers,
            response_id=response_id,
            authored=check_in.completed_at,
            subject_reference=patient_url,
        )
    except DomainError:
        return []  # a licensed questionnaire: Carepath holds no items to answer (the JSON has it)
    response_url = f"urn:uuid:{response_id}"
    entries = [{"fullUrl": response_url, "resource": response}]
    if check_in.result is not None:
        observation_id = str(uuid.uuid5(check_in.assessment_id, "total-score"))
        observation = total_score_observation(
            check_in.instrument,
            check_in.result,
            observation_id=observation_id,
            response_id=response_id,
            effective=check_in.completed_at,
            subject_reference=patient_url,
        )
        # Inside the Bundle the response is addressed by its fullUrl (as in assessment_bundle).
        observation["derivedFrom"] = [{"reference": response_url}]
        entries.append({"fullUrl": f"urn:uuid:{observation_id}", "resource": observation})
    return entries


def care_plan(plan: SafetyPlanFacts, patient_url: str) -> JSON:
    resource = {
        "resourceType": "CarePlan",
        "status": "active",
        "intent": "plan",
        "title": "Safety plan",
        "description": "The person's own plan for staying safe in a crisis, step by step.",
        "subject": {"reference": patient_url},
        "created": require_timezone(plan.updated_at, "updated_at"),
        "activity": [
            {"detail": {"code": {"text": title}, "status": "unknown", "description": text}}
            for title, text in plan.steps
        ],
    }
    return validated(CarePlan, resource)


def consent(facts: ConsentFacts, patient_url: str) -> JSON:
    allowed = bool(facts.granted)
    resource = {
        "resourceType": "Consent",
        "status": "active",
        "scope": {
            "coding": [{"system": _CONSENT_SCOPE, "code": "patient-privacy", "display": "Privacy Consent"}]
        },
        "category": [{"coding": [{"system": LOINC, "code": "59284-0", "display": "Patient Consent"}]}],
        "patient": {"reference": patient_url},
        "dateTime": require_timezone(facts.changed_at, "changed_at"),
        "policyRule": {"coding": [{"system": _ACT_CODE, "code": "OPTIN" if allowed else "OPTOUT"}]},
        "provision": {
            "type": "permit" if allowed else "deny",
            "actor": [
                {
                    "role": {
                        "coding": [
                            {"system": _PARTICIPATION, "code": "IRCP", "display": "information recipient"}
                        ]
                    },
                    "reference": {"display": facts.recipient},
                }
            ],
            "action": [{"text": text} for text in facts.granted] or [{"text": "nothing is shared"}],
        },
    }
    return validated(Consent, resource)
