"""A score as a FHIR R4 Observation, and an assessment as a collection Bundle.

The Observation's code is the instrument's TOTAL-score LOINC code. The panel code (PHQ-9
44249-1, GAD-7 69737-5) names the whole form, not a number; putting it on a total score is a
classic error that makes receiving systems file the score as something else.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.observation import Observation

from carepath.interop.fhir_common import (
    BANDS_SYSTEM,
    JSON,
    LOINC,
    OBSERVATION_CATEGORY,
    SCORES_SYSTEM,
    UCUM,
    canonical_url,
    reference,
    require_id,
    require_scorable,
    require_timezone,
    validated,
    without_none,
)
from carepath.interop.fhir_questionnaire import questionnaire
from carepath.interop.fhir_response import questionnaire_response
from carepath_core.errors import InvalidData
from carepath_core.instruments import Instrument, ScoreResult


def total_score_observation(
    instrument: Instrument,
    result: ScoreResult,
    *,
    observation_id: str,
    response_id: str,
    effective: datetime,
    subject_reference: str | None,
) -> JSON:
    """The total score as a final survey Observation derived from the QuestionnaireResponse."""
    require_scorable(instrument)
    if result.instrument != instrument.code:
        raise InvalidData("result", f"is a {result.instrument} score, not {instrument.code}")
    resource = without_none(
        {
            "resourceType": "Observation",
            "id": require_id(observation_id, "observation_id"),
            "status": "final",
            "category": [
                {"coding": [{"system": OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}]}
            ],
            "code": _total_code(instrument),
            "subject": reference(subject_reference, "subject_reference"),
            "effectiveDateTime": require_timezone(effective, "effective"),
            "valueInteger": result.total,
            "interpretation": [_interpretation(instrument, result)],
            "derivedFrom": [{"reference": f"QuestionnaireResponse/{require_id(response_id, 'response_id')}"}],
            "component": _percentage(instrument, result),
        }
    )
    return validated(Observation, resource)


def _total_code(instrument: Instrument) -> JSON:
    text = f"{instrument.short_name} total score"
    if instrument.total_code is not None:
        coding = {
            "system": LOINC,
            "code": instrument.total_code.code,
            "display": instrument.total_code.display,
        }
    else:
        # No LOINC total exists (or none was confirmed, e.g. GAD-2): a Carepath code, never the panel.
        coding = {"system": SCORES_SYSTEM, "code": f"{instrument.code}-total", "display": text}
    return {"coding": [coding], "text": text}


def _interpretation(instrument: Instrument, result: ScoreResult) -> JSON:
    # Band codes are positional (lowest band first, as the definition guarantees), so they stay
    # stable when a band's wording is edited.
    code = f"{instrument.code}-band-{result.band_index}"
    return {
        "coding": [{"system": BANDS_SYSTEM, "code": code, "display": result.band.label}],
        "text": result.band.label,
    }


def _percentage(instrument: Instrument, result: ScoreResult) -> list[JSON] | None:
    # WHO-5 is usually reported as a percentage (raw times 4); carry it beside the raw total.
    if result.percentage is None:
        return None
    text = f"{instrument.short_name} percentage score"
    return [
        {
            "code": {
                "coding": [
                    {"system": SCORES_SYSTEM, "code": f"{instrument.code}-percentage", "display": text}
                ],
                "text": text,
            },
            "valueQuantity": {"value": result.percentage, "unit": "%", "system": UCUM, "code": "%"},
        }
    ]


def assessment_bundle(
    instrument: Instrument,
    result: ScoreResult,
    *,
    bundle_id: str,
    response_id: str,
    observation_id: str,
    authored: datetime,
    subject_reference: str | None,
    include_questionnaire: bool = False,
) -> JSON:
    """A collection Bundle: the QuestionnaireResponse (the scored answers) and the total Observation.

    response_id and observation_id must be UUID strings, because entries are addressed as
    urn:uuid:<id>. With include_questionnaire the Questionnaire goes first, at its canonical URL.
    """
    response_uuid = _require_uuid(response_id, "response_id")
    observation_uuid = _require_uuid(observation_id, "observation_id")
    response = questionnaire_response(
        instrument,
        dict(result.answers),
        response_id=response_id,
        authored=authored,
        subject_reference=subject_reference,
    )
    observation = total_score_observation(
        instrument,
        result,
        observation_id=observation_id,
        response_id=response_id,
        effective=authored,
        subject_reference=subject_reference,
    )
    # Inside a Bundle whose fullUrls are urn:uuid, a relative "QuestionnaireResponse/<id>" does
    # not resolve (FHIR R4 Bundle reference rules): point at the entry's fullUrl instead.
    observation["derivedFrom"] = [{"reference": response_uuid}]
    entries = [
        {"fullUrl": response_uuid, "resource": response},
        {"fullUrl": observation_uuid, "resource": observation},
    ]
    if include_questionnaire:
        entries.insert(0, {"fullUrl": canonical_url(instrument), "resource": questionnaire(instrument)})
    bundle = {
        "resourceType": "Bundle",
        "id": require_id(bundle_id, "bundle_id"),
        "type": "collection",
        "entry": entries,
    }
    return validated(Bundle, bundle)


def _require_uuid(value: str, field: str) -> str:
    try:
        canonical = str(uuid.UUID(value))
    except ValueError:
        canonical = ""
    # Only the lower-case hyphenated form: urn:uuid URIs are compared as strings.
    if canonical != value:
        raise InvalidData(field, "must be a lower-case UUID string, e.g. str(uuid.uuid4())")
    return f"urn:uuid:{value}"
