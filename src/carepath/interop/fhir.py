"""FHIR R4 (4.0.1 / 4.3 "R4B") resources for Carepath's questionnaires: the public entry point.

Pure functions, no Django and no I/O: every builder returns plain JSON that has been validated
by constructing the matching `fhir.resources.R4B` model. See docs/fhir.md.
"""

from __future__ import annotations

from carepath.interop.fhir_common import (
    BANDS_SYSTEM,
    CANONICAL_BASE,
    LOINC,
    ORDINAL_VALUE,
    SCORES_SYSTEM,
    answers_system,
    canonical_url,
)
from carepath.interop.fhir_observation import assessment_bundle, total_score_observation
from carepath.interop.fhir_questionnaire import questionnaire
from carepath.interop.fhir_response import answers_from_questionnaire_response, questionnaire_response

__all__ = [
    "BANDS_SYSTEM",
    "CANONICAL_BASE",
    "LOINC",
    "ORDINAL_VALUE",
    "SCORES_SYSTEM",
    "answers_from_questionnaire_response",
    "answers_system",
    "assessment_bundle",
    "canonical_url",
    "questionnaire",
    "questionnaire_response",
    "total_score_observation",
]
