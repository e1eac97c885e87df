"""Storing a completed check-in, and what must happen with it when it shows risk."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from carepath import policy
from carepath.audit.models import AuditAction
from carepath.audit.services import record_event
from carepath.audit.subjects import ACCOUNT
from carepath.errors import NotPermitted
from carepath.outcomes.report_rows import check_in_changed
from carepath.safety.services import raise_risk_flag_if_allowed
from carepath.screening.models import Assessment
from carepath.screening.selectors import caseness_cutoff, instrument
from carepath_core.instruments import ScoreResult, score
from carepath_core.safety import SafetyDecision, decide_safety


@dataclass(frozen=True)
class SavedCheckIn:
    assessment: Assessment
    result: ScoreResult
    safety: SafetyDecision


def save_assessment(
    *, person: Any, instrument_code: str, answers: Mapping[str, object], says_in_danger: bool = False
) -> SavedCheckIn:
    """Score and store one form, raise a risk flag if the person allowed it, audit both.

    Scoring happens before the transaction opens, so a refused form stores nothing.
    """
    if not policy.can_keep_assessments(person):
        raise NotPermitted("log in to keep your check-ins")
    definition = instrument(instrument_code)
    result = score(definition, answers, caseness_cutoff=caseness_cutoff(definition.code))
    decision = decide_safety(result.risk_flags, says_in_danger=says_in_danger)
    with transaction.atomic():
        assessment = Assessment.objects.create(
            person=person,
            instrument=definition.code,
            instrument_version=definition.version,
            answers=dict(result.answers),
            total=result.total,
            band_index=result.band_index,
            band_label=result.band.label,
            caseness=result.caseness,
            risk_items=list(result.risk_flags),
            said_in_danger=says_in_danger,
        )
        record_event(
            actor=person,
            action=AuditAction.ASSESSMENT_SAVED,
            subject_type="assessment",
            subject_id=assessment.pk,
            details={"instrument": definition.code, "risk": decision.crisis_first},
        )
        raise_risk_flag_if_allowed(person=person, assessment=assessment, decision=decision)
        # The programme report keeps each episode's first and last scores; this one may change them.
        check_in_changed(person_id=person.pk, instrument_code=definition.code)
    return SavedCheckIn(assessment=assessment, result=result, safety=decision)


def record_history_read(*, actor: Any, shown: dict[str, int]) -> None:
    """The person's kept check-ins were listed for them: how many of each questionnaire, no scores."""
    with transaction.atomic():
        record_event(
            actor=actor,
            action=AuditAction.ASSESSMENT_VIEWED,
            subject_type=ACCOUNT,
            subject_id=actor.pk,
            details={"check_ins": shown},
        )


def record_assessment_access(*, actor: Any, assessment: Assessment, exported_as: str | None = None) -> None:
    with transaction.atomic():
        record_event(
            actor=actor,
            action=AuditAction.ASSESSMENT_EXPORTED if exported_as else AuditAction.ASSESSMENT_VIEWED,
            subject_type="assessment",
            subject_id=assessment.pk,
            details={"format": exported_as} if exported_as else {},
        )
