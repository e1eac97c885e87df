"""Changes to safety plans, risk-alert consent and risk flags; each audited in its transaction."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from carepath import policy
from carepath.audit.models import AuditAction
from carepath.audit.services import record_event, record_read
from carepath.errors import FieldProblem, NotPermitted
from carepath.safety.models import PLAN_STEPS, RiskAlertConsent, RiskFlag, RiskFlagStatus, SafetyPlan
from carepath.safety.selectors import risk_alerts_allowed
from carepath_core.safety import SafetyDecision

MAX_STEP_LENGTH = 4000


def save_safety_plan(*, person: Any, steps: Mapping[str, str]) -> SafetyPlan:
    if not policy.can_keep_safety_plan(person):
        raise NotPermitted("log in to keep a safety plan")
    unknown = sorted(set(steps) - set(PLAN_STEPS))
    if unknown:
        raise FieldProblem(unknown[0], "is not a step of the safety plan")
    for step, value in steps.items():
        if len(value) > MAX_STEP_LENGTH:
            raise FieldProblem(step, f"is longer than {MAX_STEP_LENGTH} characters")
    with transaction.atomic():
        plan, _created = SafetyPlan.objects.select_for_update().get_or_create(person=person)
        for step in PLAN_STEPS:
            setattr(plan, step, steps.get(step, "").strip())
        plan.save()
        # Only which steps are filled goes to the audit trail, never what the person wrote.
        filled = [step for step in PLAN_STEPS if getattr(plan, step)]
        record_event(
            actor=person,
            action=AuditAction.SAFETY_PLAN_SAVED,
            subject_type="safety_plan",
            subject_id=plan.pk,
            details={"steps_filled": filled},
        )
    return plan


def record_safety_plan_read(*, actor: Any, plan: SafetyPlan) -> None:
    """The plan was shown to `actor` (policy has allowed it); which steps are written, not their text."""
    record_read(
        actor=actor,
        action=AuditAction.SAFETY_PLAN_VIEWED,
        subject_type="safety_plan",
        subject_id=plan.pk,
        details={"steps_filled": [step for step in PLAN_STEPS if getattr(plan, step)]},
    )


def record_safety_plan_export(*, person: Any, plan: SafetyPlan, export_format: str) -> None:
    with transaction.atomic():
        record_event(
            actor=person,
            action=AuditAction.SAFETY_PLAN_EXPORTED,
            subject_type="safety_plan",
            subject_id=plan.pk,
            details={"format": export_format},
        )


def set_risk_alert_consent(*, person: Any, granted: bool) -> RiskAlertConsent:
    with transaction.atomic():
        consent, _created = RiskAlertConsent.objects.select_for_update().get_or_create(person=person)
        consent.granted = granted
        consent.save()
        record_event(
            actor=person,
            action=AuditAction.RISK_CONSENT_CHANGED,
            subject_type="account",
            subject_id=person.pk,
            details={"granted": granted},
        )
    return consent


def raise_risk_flag_if_allowed(*, person: Any, assessment: Any, decision: SafetyDecision) -> RiskFlag | None:
    """Flag for a coordinator only when the person agreed to it; otherwise nothing leaves their record."""
    if not decision.crisis_first or not risk_alerts_allowed(person):
        return None
    flag = RiskFlag.objects.create(
        person=person,
        assessment=assessment,
        reasons=[reason.value for reason in decision.reasons] + list(decision.risk_items),
    )
    record_event(
        actor=person,
        action=AuditAction.RISK_FLAG_RAISED,
        subject_type="risk_flag",
        subject_id=flag.pk,
        details={"reasons": flag.reasons},
    )
    return flag


def review_risk_flag(*, actor: Any, flag: RiskFlag, note: str) -> RiskFlag:
    if not policy.can_review_risk_flags(actor):
        raise NotPermitted("only coordinators review risk flags")
    if flag.status == RiskFlagStatus.REVIEWED:
        raise FieldProblem("status", "this flag has already been reviewed")
    with transaction.atomic():
        flag.status = RiskFlagStatus.REVIEWED
        flag.reviewed_by = actor
        flag.reviewed_at = timezone.now()
        flag.review_note = note.strip()
        flag.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
        record_event(
            actor=actor, action=AuditAction.RISK_FLAG_REVIEWED, subject_type="risk_flag", subject_id=flag.pk
        )
    return flag
