"""Rules as data: strict parsing, the four required properties, and hypothesis checks on the default set."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carepath_core.decision import Level, Pathway, Situation, check_rule_set, parse_rule_set
from carepath_core.decision.rules import LEANS, SUPPORT_NOW
from carepath_core.errors import InvalidData
from tests.unit.decision_fixtures import SCALES, default_document, default_rules


def test_the_default_rules_keep_every_property() -> None:
    assert check_rule_set(default_rules(), SCALES) == ()


def test_every_default_rule_cites_a_source() -> None:
    assert all(rule.sources for rule in default_rules().rules)


# --- hypothesis: the four properties hold for any situation, not only the checker's grid ---

situations = st.builds(
    Situation,
    risk=st.booleans(),
    totals=st.fixed_dictionaries(
        {},
        optional={
            "phq9": st.integers(0, 27),
            "gad7": st.integers(0, 21),
            "phq2": st.integers(0, 6),
            "gad2": st.integers(0, 6),
            "who5": st.integers(0, 25),
        },
    ),
    lean=st.sampled_from(LEANS),
    current_support=st.sampled_from(SUPPORT_NOW),
)


@given(situations)
def test_any_risk_is_crisis_first(situation: Situation) -> None:
    rule = default_rules().decide(situation)
    if situation.risk:
        assert rule.pathway is Pathway.CRISIS_FIRST and rule.minimum_level is Level.URGENT


@given(situations)
def test_severe_scores_include_professional_support(situation: Situation) -> None:
    severe = situation.totals.get("phq9", 0) >= 20 or situation.totals.get("gad7", 0) >= 15
    if severe:
        assert default_rules().decide(situation).pathway.includes_professional


@given(situations, st.sampled_from(sorted(SCALES)), st.integers(1, 27))
def test_a_worse_score_never_lowers_care(situation: Situation, code: str, step: int) -> None:
    if code not in situation.totals:
        return
    scale = SCALES[code]
    before = situation.totals[code]
    after = min(before + step, scale.max_total) if scale.higher_is_worse else max(before - step, 0)
    worse = Situation(
        situation.risk, {**situation.totals, code: after}, situation.lean, situation.current_support
    )
    first, second = default_rules().decide(situation), default_rules().decide(worse)
    assert second.minimum_level.rank >= first.minimum_level.rank
    assert second.pathway.includes_professional or not first.pathway.includes_professional


@given(situations)
def test_every_situation_gets_exactly_one_pathway(situation: Situation) -> None:
    matching = [rule for rule in default_rules().rules if rule.when.holds(situation)]
    assert matching, "no rule matched"
    assert default_rules().decide(situation) is matching[0]  # first match wins: never a tie


# --- the checker refuses rule sets that break a property, naming the rule ---


def mutated(change: Any) -> dict[str, Any]:
    document = copy.deepcopy(default_document())
    change(document)
    return document


def rule(document: dict[str, Any], rule_id: str) -> dict[str, Any]:
    return next(r for r in document["rules"] if r["id"] == rule_id)


@pytest.mark.parametrize(
    ("change", "rule_id", "problem"),
    [
        (lambda d: d["rules"].pop(0), "", "crisis_first"),
        (
            lambda d: rule(d, "high-scores")["then"].update(pathway="peer"),
            "high-scores",
            "must include professional",
        ),
        (
            lambda d: rule(d, "moderate-scores")["then"].update(minimum_level="self_help"),
            "moderate-scores",
            "lowers the level of care",
        ),
        (
            lambda d: rule(d, "moderate-scores-professional")["then"].update(pathway="peer"),
            "moderate-scores-professional",
            "drops professional support",
        ),
        (
            lambda d: d["rules"].insert(
                0,
                {
                    "id": "sneaky",
                    "when": {"score": "gad7", "gte": 18},
                    "then": {"pathway": "peer", "minimum_level": "urgent", "reason": "x"},
                },
            ),
            "sneaky",
            "",
        ),
        (
            lambda d: rule(d, "mild-scores")["when"]["any"].append({"score": "beck", "gte": 3}),
            "mild-scores",
            "unknown questionnaire",
        ),
    ],
)
def test_the_checker_names_the_rule_that_breaks_a_property(change: Any, rule_id: str, problem: str) -> None:
    problems = check_rule_set(parse_rule_set(mutated(change)), SCALES)
    assert problems, "a broken rule set was accepted"
    assert any(rule_id in p.rule and problem in p.problem for p in problems), [str(p) for p in problems]


@pytest.mark.parametrize("pathway", ["peer", "both", "professional"])
def test_a_risk_rule_that_is_not_crisis_first_is_refused(pathway: str) -> None:
    document = mutated(lambda d: rule(d, "risk")["then"].update(pathway=pathway))
    problems = check_rule_set(parse_rule_set(document), SCALES)
    assert problems and problems[0].rule == "risk" and "crisis_first" in problems[0].problem


# --- schema errors name the field ---


@pytest.mark.parametrize(
    ("change", "field", "problem"),
    [
        (lambda d: d["rules"][-1].update(when={"lean": "peer"}), "rules[14].when", "must have no condition"),
        (lambda d: d["rules"][1]["then"].update(pathway="therapy"), "rules[1].then.pathway", "not one of"),
        (
            lambda d: d["rules"][1]["then"].update(minimum_level="max"),
            "rules[1].then.minimum_level",
            "not one of",
        ),
        (lambda d: d["rules"][2]["then"].pop("reason"), "rules[2].then.reason", "required"),
        (lambda d: d["rules"][3]["then"].update(sources=["nowhere"]), "rules[3].then.sources", "'nowhere'"),
        (lambda d: d["rules"][0].update(when={"mood": "low"}), "rules[0].when.mood", "not a known condition"),
        (lambda d: d["rules"][0].update(when={"risk": "yes"}), "rules[0].when.risk", "true or false"),
        (lambda d: d["rules"][2].update(when={"score": "phq9"}), "rules[2].when", "gte or lte"),
        (
            lambda d: d["rules"][2].update(when={"score": "phq9", "gte": "20"}),
            "rules[2].when.gte",
            "whole number",
        ),
        (lambda d: d["rules"][2].update(when={"lean": "sideways"}), "rules[2].when.lean", "not one of"),
        (lambda d: d["rules"][2].update(when={"any": []}), "rules[2].when.any", "at least one"),
        (
            lambda d: d["rules"][2].update(when={"risk": True, "lean": "peer"}),
            "rules[2].when",
            "inside 'all' or 'any'",
        ),
        (lambda d: d["rules"].append(copy.deepcopy(d["rules"][0])), "rules", "appears twice"),
        (lambda d: d.update(rules=[]), "rules", "at least one rule"),
        (lambda d: d.pop("version"), "version", "required"),
        (lambda d: d["preferences"].update(lean_margin=-1), "preferences.lean_margin", "negative"),
    ],
)
def test_schema_errors_name_the_field(change: Any, field: str, problem: str) -> None:
    with pytest.raises(InvalidData) as refusal:
        parse_rule_set(mutated(change))
    assert refusal.value.field == field and problem in refusal.value.problem, str(refusal.value)
