"""Shared loading of the shipped decision data for the decision tests (plain file reads)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from carepath_core.decision import DecisionAid, RuleSet, ScoreScale, parse_decision_aid, parse_rule_set

DECISION = Path(__file__).parents[2] / "src" / "carepath_core" / "decision"
SCALES = {
    "phq9": ScoreScale(27, True),
    "gad7": ScoreScale(21, True),
    "phq2": ScoreScale(6, True),
    "gad2": ScoreScale(6, True),
    "who5": ScoreScale(25, False),
}


def default_document() -> dict[str, Any]:
    return dict(json.loads((DECISION / "rules" / "default.json").read_text(encoding="utf-8")))


@cache
def default_rules() -> RuleSet:
    return parse_rule_set(default_document())


@cache
def aid() -> DecisionAid:
    return parse_decision_aid(
        json.loads((DECISION / "content" / "decision_aid.json").read_text(encoding="utf-8"))
    )
