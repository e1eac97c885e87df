"""Loading a rule set (all or nothing, checked first) and keeping a recommendation; both audited."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from carepath import policy
from carepath.audit.models import AuditAction
from carepath.audit.services import record_event
from carepath.decision.errors import RuleSetRefused
from carepath.decision.inputs import DecisionRequest
from carepath.decision.models import RuleSetVersion, SavedRecommendation
from carepath.decision.selectors import score_scales
from carepath.errors import NotPermitted
from carepath_core.decision import Recommendation, check_rule_set, parse_rule_set


def load_rule_set(*, actor: Any | None, document: Mapping[str, Any]) -> RuleSetVersion:
    """Parse and check the file; only a sound one replaces the active rules. actor None = command line."""
    if actor is not None and not policy.can_manage_rules(actor):
        raise NotPermitted("only coordinators load rules")
    rule_set = parse_rule_set(document)  # raises InvalidData naming the field
    problems = check_rule_set(rule_set, score_scales())
    if problems:
        raise RuleSetRefused(problems)
    with transaction.atomic():
        RuleSetVersion.objects.filter(active=True).update(active=False)
        row = RuleSetVersion.objects.create(
            rule_set_id=rule_set.id,
            version=rule_set.version,
            document=dict(document),
            loaded_by=actor,
            active=True,
        )
        record_event(
            actor=actor,
            actor_label="" if actor is not None else "command line",
            action=AuditAction.RULES_LOADED,
            subject_type="rule_set",
            subject_id=row.pk,
            details={"id": rule_set.id, "version": rule_set.version, "rules": len(rule_set.rules)},
        )
    return row


def save_recommendation(
    *, person: Any, request: DecisionRequest, recommendation: Recommendation, inputs: Mapping[str, Any]
) -> SavedRecommendation:
    if not policy.can_keep_recommendations(person):
        raise NotPermitted("log in to keep a recommendation")
    with transaction.atomic():
        saved = SavedRecommendation.objects.create(
            person=person,
            inputs=dict(inputs),
            pathway=recommendation.pathway.value,
            minimum_level=recommendation.minimum_level.value,
            rule_set_id=recommendation.rule_set_id,
            rule_set_version=recommendation.rule_set_version,
            rule_id=recommendation.rule_id,
            reasons=[
                {"kind": r.kind, "text": r.text, "dimension": r.dimension} for r in recommendation.reasons
            ],
            fit=dict(recommendation.fit),
        )
        record_event(
            actor=person,
            action=AuditAction.RECOMMENDATION_SAVED,
            subject_type="recommendation",
            subject_id=saved.pk,
            details={"pathway": saved.pathway, "rule_set": f"{saved.rule_set_id}@{saved.rule_set_version}"},
        )
    return saved
