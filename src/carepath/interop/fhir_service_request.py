"""A referral as a FHIR R4 `ServiceRequest` (built and validated with `fhir.resources.R4B`, whose
ServiceRequest is R4's). Pure: no Django and no I/O; the caller supplies the facts.

Choices, from the R4 ServiceRequest definition (docs/referrals.md has the table):
- `status` follows the request's life: waiting or active is `active`; declined or withdrawn is
  `revoked` (ended before it was carried out); ended is `completed`.
- `intent` is `proposal`: neither a person asking for themself nor a peer supporter authorises
  care; the professional decides whether to take it on.
- `category` is SNOMED CT 3457005 "Patient referral"; `code` is Carepath's kind of support.
- On a hand-off, `requester` is the peer supporter, the supporter's reason is a `note`, and what
  the person agreed to share travels as `contained` resources named in `supportingInfo`: one
  Observation per latest score, and a DocumentReference holding the safety plan summary.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from fhir.resources.R4B.servicerequest import ServiceRequest

from carepath.interop.fhir_common import (
    CANONICAL_BASE,
    JSON,
    LOINC,
    OBSERVATION_CATEGORY,
    SCORES_SYSTEM,
    require_timezone,
    validated,
)
from carepath_core.referrals import SharedScore, Snapshot

SNOMED = "http://snomed.info/sct"
SUPPORT_KIND_SYSTEM = f"{CANONICAL_BASE}/CodeSystem/support-kind"
REFERRAL_IDENTIFIER_SYSTEM = f"{CANONICAL_BASE}/sid/referral"
_STATUS = {
    "requested": "active",
    "active": "active",
    "declined": "revoked",
    "withdrawn": "revoked",
    "ended": "completed",
}
_KIND = {
    "peer": ("peer-support", "Peer support"),
    "professional": ("professional-support", "Professional support"),
}


@dataclass(frozen=True)
class Party:
    reference: str  # e.g. "Patient/12" or "Practitioner/7"
    display: str


@dataclass(frozen=True)
class ReferralFacts:
    referral_id: int
    status: str
    kind: str
    authored: datetime
    subject: Party
    requester: Party
    performer: Party
    snapshot: Snapshot | None = None
    shared_at: datetime | None = None
    # instrument code -> (LOINC total-score code, display), where one exists
    total_codes: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    plan_step_titles: Mapping[str, str] = field(default_factory=dict)


def service_request(facts: ReferralFacts) -> JSON:
    code, display = _KIND[facts.kind]
    resource: JSON = {
        "resourceType": "ServiceRequest",
        "id": f"referral-{facts.referral_id}",
        "identifier": [{"system": REFERRAL_IDENTIFIER_SYSTEM, "value": str(facts.referral_id)}],
        "status": _STATUS[facts.status],
        "intent": "proposal",
        "category": [{"coding": [{"system": SNOMED, "code": "3457005", "display": "Patient referral"}]}],
        "code": {
            "coding": [{"system": SUPPORT_KIND_SYSTEM, "code": code, "display": display}],
            "text": display,
        },
        "subject": _reference(facts.subject),
        "authoredOn": require_timezone(facts.authored, "authored"),
        "requester": _reference(facts.requester),
        "performer": [_reference(facts.performer)],
    }
    if facts.snapshot is not None:
        resource.update(_shared(facts, facts.snapshot))
    return validated(ServiceRequest, resource)


def _reference(party: Party) -> JSON:
    return {"reference": party.reference, "display": party.display}


def _shared(facts: ReferralFacts, snapshot: Snapshot) -> JSON:
    contained = [_score(facts, score) for score in snapshot.scores]
    if snapshot.has_plan:
        contained.append(_plan(facts, snapshot))
    note: JSON = {"authorReference": _reference(facts.requester), "text": snapshot.reason}
    if facts.shared_at is not None:
        note["time"] = require_timezone(facts.shared_at, "shared_at")
    shared: JSON = {"note": [note]}
    if contained:
        shared["contained"] = contained
        shared["supportingInfo"] = [
            {"reference": f"#{item['id']}", "display": _supporting_display(item)} for item in contained
        ]
    return shared


def _score(facts: ReferralFacts, score: SharedScore) -> JSON:
    text = f"{score.name} total score"
    known = facts.total_codes.get(score.instrument)
    coding = (
        {"system": LOINC, "code": known[0], "display": known[1]}
        if known is not None
        else {"system": SCORES_SYSTEM, "code": f"{score.instrument}-total", "display": text}
    )
    return {
        "resourceType": "Observation",
        "id": f"score-{score.instrument}",
        "status": "final",
        "category": [{"coding": [{"system": OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}]}],
        "code": {"coding": [coding], "text": text},
        "subject": {"reference": facts.subject.reference},
        "effectiveDateTime": score.completed_on,
        "valueInteger": score.total,
        "interpretation": [{"text": score.band}],
        "note": [{"text": f"{score.total} of a possible {score.max_total}"}],
    }


def _plan(facts: ReferralFacts, snapshot: Snapshot) -> JSON:
    lines = []
    for step in snapshot.plan_steps:
        title = facts.plan_step_titles.get(step.step, step.step)
        if step.text is not None:
            lines.append(f"{title}: {step.text}")
        else:
            lines.append(f"{title}: {'written (not shared)' if step.written else 'not written'}")
    summary = "\n".join(lines)
    return {
        "resourceType": "DocumentReference",
        "id": "safety-plan-summary",
        "status": "current",
        "type": {"text": "Safety plan summary"},
        "subject": {"reference": facts.subject.reference},
        "description": f"Safety plan last saved on {snapshot.plan_updated_on}",
        "content": [
            {
                "attachment": {
                    "contentType": "text/plain; charset=utf-8",
                    "data": base64.b64encode(summary.encode("utf-8")).decode("ascii"),
                    "title": "Safety plan summary",
                }
            }
        ],
    }


def _supporting_display(item: JSON) -> str:
    if item["resourceType"] == "Observation":
        return str(item["code"]["text"])
    return "Safety plan summary"
