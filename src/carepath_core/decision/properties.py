"""The properties every stepped-care rule set must have, checked before it may be used.

1. Any risk leads to `crisis_first`.
2. Severe scores (PHQ-9 >= 20 or GAD-7 >= 15) lead to a pathway that includes professional help.
3. Raising any score never lowers the minimum level of care, nor drops professional help, all else equal.
4. Every situation gets exactly one pathway (first match wins; the parser insists on a final rule with
   no condition).

Conditions only change their answer at a few totals (their thresholds), so checking one total from
each stretch between thresholds covers every possible total exactly.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass

from carepath_core.decision.rules import LEANS, SUPPORT_NOW, Rule, RuleSet, Situation

# Severe bands: PHQ-9 20-27 (Kroenke et al. 2001), GAD-7 15-21 (Spitzer et al. 2006 / Kroenke et al. 2007).
SEVERE_FROM = {"phq9": 20, "gad7": 15}
MAX_REPORTED = 5


@dataclass(frozen=True, slots=True)
class ScoreScale:
    max_total: int
    higher_is_worse: bool


@dataclass(frozen=True, slots=True)
class RuleProblem:
    rule: str
    problem: str

    def __str__(self) -> str:
        return f"rule '{self.rule}': {self.problem}"


def check_rule_set(rule_set: RuleSet, scales: Mapping[str, ScoreScale]) -> tuple[RuleProblem, ...]:
    unknown = sorted(rule_set.instruments - set(scales))
    if unknown:
        owner = next(r.id for r in rule_set.rules if set(r.when.boundaries()) & set(unknown))
        return (RuleProblem(owner, f"refers to unknown questionnaire(s): {', '.join(unknown)}"),)
    codes = sorted(rule_set.instruments | set(SEVERE_FROM))
    points = {code: _representatives(rule_set, code, scales[code]) for code in codes}
    decisions: dict[tuple[object, ...], Rule] = {}
    problems: list[RuleProblem] = []
    # Leanings and current support only multiply the grid when some rule looks at them.
    leans = LEANS if rule_set.uses("lean") else ("balanced",)
    supports = SUPPORT_NOW if rule_set.uses("current_support") else ("none",)
    for risk, lean, support in itertools.product((False, True), leans, supports):
        for totals in itertools.product(*points.values()):
            situation = _situation(risk, lean, support, codes, totals)
            rule = rule_set.decide(situation)
            decisions[(risk, lean, support, *totals)] = rule
            problems += _point_problems(rule, situation)
            if len(problems) >= MAX_REPORTED:
                return tuple(problems[:MAX_REPORTED])
    problems += _monotonic_problems(decisions, codes, points, scales)
    return tuple(dict.fromkeys(problems))[:MAX_REPORTED]


def _representatives(rule_set: RuleSet, code: str, scale: ScoreScale) -> tuple[int | None, ...]:
    cuts: set[int] = {0}
    for rule in rule_set.rules:
        cuts.update(rule.when.boundaries().get(code, set()))
    if code in SEVERE_FROM:
        cuts.add(SEVERE_FROM[code])
    return (None, *sorted(c for c in cuts if 0 <= c <= scale.max_total))


def _situation(
    risk: bool, lean: str, support: str, codes: list[str], totals: tuple[int | None, ...]
) -> Situation:
    given = {code: total for code, total in zip(codes, totals, strict=True) if total is not None}
    return Situation(risk=risk, totals=given, lean=lean, current_support=support)


def _point_problems(rule: Rule, situation: Situation) -> list[RuleProblem]:
    where = _describe(situation)
    problems = []
    if situation.risk and rule.pathway.value != "crisis_first":
        problems.append(
            RuleProblem(
                rule.id,
                f"gives '{rule.pathway.value}' when risk shows ({where}); risk must lead to crisis_first",
            )
        )
    severe = [code for code, start in SEVERE_FROM.items() if situation.totals.get(code, -1) >= start]
    if severe and not rule.pathway.includes_professional:
        problems.append(
            RuleProblem(
                rule.id,
                f"gives '{rule.pathway.value}' for a severe score ({where}); "
                "it must include professional support",
            )
        )
    return problems


def _monotonic_problems(
    decisions: Mapping[tuple[object, ...], Rule],
    codes: list[str],
    points: Mapping[str, tuple[int | None, ...]],
    scales: Mapping[str, ScoreScale],
) -> list[RuleProblem]:
    problems: list[RuleProblem] = []
    for key, before in decisions.items():
        for index, code in enumerate(codes):
            position = 3 + index
            worse = _worse_neighbour(key[position], points[code], scales[code])
            if worse is None:
                continue
            after = decisions[(*key[:position], worse, *key[position + 1 :])]
            lowered = after.minimum_level.rank < before.minimum_level.rank
            dropped = before.pathway.includes_professional and not after.pathway.includes_professional
            if lowered or dropped:
                what = "lowers the level of care" if lowered else "drops professional support"
                problems.append(
                    RuleProblem(
                        after.id,
                        f"a worse {code} score ({key[position]} → {worse}) {what} "
                        f"compared with rule '{before.id}'",
                    )
                )
                if len(problems) >= MAX_REPORTED:
                    return problems
    return problems


def _worse_neighbour(value: object, reps: tuple[int | None, ...], scale: ScoreScale) -> int | None:
    if value is None:
        return None
    ordered = [r for r in reps if r is not None]
    i = ordered.index(int(str(value)))
    step = 1 if scale.higher_is_worse else -1
    j = i + step
    return ordered[j] if 0 <= j < len(ordered) else None


def _describe(situation: Situation) -> str:
    scores = ", ".join(f"{code}={total}" for code, total in sorted(situation.totals.items())) or "no scores"
    risk = "yes" if situation.risk else "no"
    return f"risk={risk}, {scores}, lean={situation.lean}, support now={situation.current_support}"
