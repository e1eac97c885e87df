"""The decision aid: ten dimensions, what matters to the person, stepped-care rules as data."""

from carepath_core.decision.content import DecisionAid, Dimension, parse_decision_aid
from carepath_core.decision.dimensions import DIMENSION_IDS, Favours, Level, Option, Pathway
from carepath_core.decision.preferences import Preferences, fit, lean, read_preferences
from carepath_core.decision.properties import RuleProblem, ScoreScale, check_rule_set
from carepath_core.decision.recommend import Limits, Reason, Recommendation, ScreeningSummary, recommend
from carepath_core.decision.rules import RuleSet, Situation, parse_rule_set

__all__ = [
    "DIMENSION_IDS",
    "DecisionAid",
    "Dimension",
    "Favours",
    "Level",
    "Limits",
    "Option",
    "Pathway",
    "Preferences",
    "Reason",
    "Recommendation",
    "RuleProblem",
    "RuleSet",
    "ScoreScale",
    "ScreeningSummary",
    "Situation",
    "check_rule_set",
    "fit",
    "lean",
    "parse_decision_aid",
    "parse_rule_set",
    "read_preferences",
    "recommend",
]
