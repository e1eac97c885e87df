"""Questionnaires over the JSON API: definitions, stateless scoring, stored check-ins."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID, uuid4, uuid5

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status
from ninja.security import django_auth

from carepath import policy
from carepath.crisis.selectors import region_for
from carepath.interop import fhir
from carepath.screening import payloads, selectors, services
from carepath.screening.models import Assessment
from carepath_core.errors import InvalidData
from carepath_core.instruments import InvalidAnswers, risk_flags, score
from carepath_core.safety import decide_safety

router = Router(tags=["screening"])


class ScoreIn(Schema):
    # Values stay untyped here so the scorer, not the parser, names each bad answer by item.
    answers: dict[str, Any]
    in_danger: bool = False


class AssessmentIn(ScoreIn):
    instrument: str


class AnswersRefused(Exception):
    """Carries the problems and (when risk shows even in a refused form) the safety block."""

    def __init__(self, error: InvalidAnswers, safety: dict[str, Any] | None) -> None:
        self.error = error
        self.safety = safety
        super().__init__(str(error))


@router.get("/instruments", summary="Questionnaires Carepath knows")
def list_instruments(request: HttpRequest) -> list[dict[str, Any]]:
    return [payloads.instrument_summary(i) for i in selectors.instrument_registry().values()]


@router.get("/instruments/{code}", summary="One questionnaire: items in order, answer options, scoring")
def get_instrument(request: HttpRequest, code: str) -> dict[str, Any]:
    return payloads.instrument_definition(selectors.instrument(code))


@router.post("/instruments/{code}/score", summary="Score answers without storing anything")
def score_answers(request: HttpRequest, code: str, body: ScoreIn) -> dict[str, Any]:
    definition = selectors.instrument(code)
    try:
        result = score(definition, body.answers, caseness_cutoff=selectors.caseness_cutoff(code))
    except InvalidAnswers as error:
        raise _refused(request, error, definition, body) from error
    decision = decide_safety(result.risk_flags, says_in_danger=body.in_danger)
    return payloads.score_payload(result, decision, region_for(request))


@router.post(
    "/assessments", response={201: dict[str, Any]}, auth=django_auth, summary="Keep a completed check-in"
)
def create_assessment(request: HttpRequest, body: AssessmentIn) -> Status[dict[str, Any]]:
    definition = selectors.instrument(body.instrument)
    try:
        saved = services.save_assessment(
            person=request.user,
            instrument_code=definition.code,
            answers=body.answers,
            says_in_danger=body.in_danger,
        )
    except InvalidAnswers as error:
        raise _refused(request, error, definition, body) from error
    payload = payloads.score_payload(saved.result, saved.safety, region_for(request))
    return Status(
        201, {"id": str(saved.assessment.pk), "completed_at": saved.assessment.completed_at, **payload}
    )


@router.get("/assessments", auth=django_auth, summary="Your kept check-ins, newest first")
def list_assessments(request: HttpRequest, instrument: str | None = None) -> list[dict[str, Any]]:
    return [_summary(a) for a in selectors.assessments_of(request.user, instrument)[:500]]


@router.get("/assessments/{assessment_id}", auth=django_auth, summary="One kept check-in")
def get_assessment(request: HttpRequest, assessment_id: UUID) -> dict[str, Any]:
    assessment = _visible_assessment(request, assessment_id)
    services.record_assessment_access(actor=request.user, assessment=assessment)
    return {**_summary(assessment), "answers": assessment.answers}


@router.get("/instruments/{code}/fhir", summary="The questionnaire as a FHIR R4 Questionnaire")
def get_instrument_fhir(request: HttpRequest, code: str) -> dict[str, Any]:
    return fhir.questionnaire(selectors.instrument(code))


@router.get(
    "/assessments/{assessment_id}/fhir", auth=django_auth, summary="A kept check-in as a FHIR R4 Bundle"
)
def get_assessment_fhir(request: HttpRequest, assessment_id: UUID) -> dict[str, Any]:
    assessment = _visible_assessment(request, assessment_id)
    definition = selectors.instrument(assessment.instrument)
    result = score(definition, assessment.answers)
    bundle = fhir.assessment_bundle(
        definition,
        result,
        bundle_id=str(uuid4()),
        response_id=str(assessment.pk),
        # Derived from the check-in's id so every export names its Observation the same way.
        observation_id=str(uuid5(assessment.pk, "total-score")),
        authored=assessment.completed_at,
        subject_reference=None,
    )
    services.record_assessment_access(actor=request.user, assessment=assessment, exported_as="fhir")
    return bundle


@router.post("/fhir/score", summary="Score a FHIR QuestionnaireResponse without storing it")
def score_fhir_response(request: HttpRequest) -> dict[str, Any]:
    definition, answers = _imported_answers(request)
    return score_answers(request, definition.code, ScoreIn(answers=answers))


@router.post(
    "/fhir/assessments",
    response={201: dict[str, Any]},
    auth=django_auth,
    summary="Keep a FHIR QuestionnaireResponse",
)
def create_assessment_from_fhir(request: HttpRequest) -> Status[dict[str, Any]]:
    definition, answers = _imported_answers(request)
    return create_assessment(request, AssessmentIn(instrument=definition.code, answers=answers))


def _imported_answers(request: HttpRequest) -> tuple[Any, dict[str, int]]:
    """The body is a whole FHIR resource, so it is read as JSON here rather than as a schema."""
    if request.content_type not in ("application/json", "application/fhir+json"):
        raise InvalidData(
            "body", "send the QuestionnaireResponse as application/fhir+json or application/json"
        )
    try:
        resource = json.loads(request.body)
    except ValueError as error:
        raise InvalidData("body", "is not valid JSON") from error
    if not isinstance(resource, dict):
        raise InvalidData("body", "must be a JSON object (a QuestionnaireResponse)")
    return fhir.answers_from_questionnaire_response(resource, selectors.instrument_registry())


def _visible_assessment(request: HttpRequest, assessment_id: UUID) -> Assessment:
    assessment = selectors.assessment_by_id(assessment_id)
    if assessment is None or not policy.can_view_assessment(request.user, assessment):
        raise Http404
    return assessment


def _summary(assessment: Assessment) -> dict[str, Any]:
    return {
        "id": str(assessment.pk),
        "instrument": assessment.instrument,
        "total": assessment.total,
        "band": assessment.band_label,
        "band_index": assessment.band_index,
        "caseness": assessment.caseness,
        "risk_flags": assessment.risk_items,
        "completed_at": assessment.completed_at,
    }


def _refused(request: HttpRequest, error: InvalidAnswers, definition: Any, body: ScoreIn) -> AnswersRefused:
    # A half-finished form can still carry a risk answer: it must not be lost in the refusal.
    decision = decide_safety(risk_flags(definition, body.answers), says_in_danger=body.in_danger)
    safety = payloads.safety_payload(decision, region_for(request)) if decision.crisis_first else None
    return AnswersRefused(error, safety)
