"""Reading safety plans, consents and risk flags."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from carepath.safety.models import RiskAlertConsent, RiskFlag, RiskFlagStatus, SafetyPlan


def safety_plan_of(person: Any) -> SafetyPlan | None:
    return SafetyPlan.objects.filter(person=person).first()


def risk_alerts_allowed(person: Any) -> bool:
    return RiskAlertConsent.objects.filter(person=person, granted=True).exists()


def open_risk_flags() -> QuerySet[RiskFlag]:
    return RiskFlag.objects.filter(status=RiskFlagStatus.OPEN).select_related("person", "assessment")


def recent_risk_flags(limit: int = 50) -> list[RiskFlag]:
    return list(
        RiskFlag.objects.select_related("person", "assessment", "reviewed_by").order_by(
            "status", "-raised_at"
        )[:limit]
    )


def risk_flag_by_id(flag_id: Any) -> RiskFlag | None:
    return RiskFlag.objects.filter(pk=flag_id).select_related("person").first()
