"""Reading the decision aid content, the active rule set, and kept recommendations."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from django.db.models import QuerySet

from carepath.decision.inputs import DecisionRequest
from carepath.decision.models import RuleSetVersion, SavedRecommendation
from carepath.screening.selectors import instrument_registry
from carepath_core.decision import (
    DecisionAid,
    Recommendation,
    RuleSet,
    ScoreScale,
    parse_decision_aid,
    parse_rule_set,
    recommend,
)

_CORE = "carepath_core.decision"


@cache
def decision_aid() -> DecisionAid:
    text = resources.files(_CORE).joinpath("content", "decision_aid.json").read_text(encoding="utf-8")
    return parse_decision_aid(json.loads(text))


@cache
def default_rules_document() -> dict[str, Any]:
    text = resources.files(_CORE).joinpath("rules", "default.json").read_text(encoding="utf-8")
    return dict(json.loads(text))


def score_scales() -> dict[str, ScoreScale]:
    return {
        code: ScoreScale(max_total=i.max_total, higher_is_worse=i.scoring.higher_is_worse)
        for code, i in instrument_registry().items()
        if i.scoring is not None and i.is_scorable
    }


def active_rule_set() -> RuleSet:
    """The coordinator's loaded rule set if there is one, else the shipped default."""
    row = RuleSetVersion.objects.filter(active=True).only("document").first()
    # Parsing a loaded file takes well under a millisecond; the expensive checks ran when it was loaded.
    return parse_rule_set(row.document) if row else _parsed_default()


def active_rules_document() -> dict[str, Any]:
    row = RuleSetVersion.objects.filter(active=True).first()
    return dict(row.document) if row else default_rules_document()


def recommendation_for(decision_request: DecisionRequest) -> Recommendation:
    """Apply the active rules to a checked request: the one way the API, pages and CLI recommend."""
    return recommend(
        rules=active_rule_set(),
        aid=decision_aid(),
        risk=decision_request.risk,
        screenings=decision_request.screenings,
        preferences=decision_request.preferences,
        limits=decision_request.limits,
        current_support=decision_request.current_support,
    )


def rule_set_history(limit: int = 20) -> list[RuleSetVersion]:
    return list(RuleSetVersion.objects.select_related("loaded_by")[:limit])


def recommendations_of(person: Any) -> QuerySet[SavedRecommendation]:
    return SavedRecommendation.objects.filter(person=person)


@cache
def _parsed_default() -> RuleSet:
    return parse_rule_set(default_rules_document())
