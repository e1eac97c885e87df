"""Scenario tests: a person's situation in, the expected pathway, rule and reasons out."""

from __future__ import annotations

from typing import Any

import pytest

from carepath_core.decision import Limits, ScreeningSummary, read_preferences, recommend
from tests.unit.decision_fixtures import aid, default_rules

PEERISH = {"emotional_connection": 4, "cost": 4, "accessibility": 3}
PROISH = {"qualifications": 4, "evidence": 4, "outcomes": 3}
EVEN = {"emotional_connection": 3, "qualifications": 3}
BAND = {"phq9": "band", "gad7": "band", "phq2": "band", "gad2": "band", "who5": "band"}


def summaries(totals: dict[str, int]) -> tuple[ScreeningSummary, ...]:
    return tuple(ScreeningSummary(code, code.upper(), total, "band") for code, total in totals.items())


def run(
    totals: dict[str, int], prefs: dict[str, Any], *, risk: bool = False, support: str = "none", **limits: Any
) -> Any:
    return recommend(
        rules=default_rules(),
        aid=aid(),
        risk=risk,
        screenings=summaries(totals),
        preferences=read_preferences(prefs),
        limits=Limits(**limits),
        current_support=support,
    )


SCENARIOS = [
    # (name, totals, preferences, risk, expected pathway, expected rule)
    ("risk with no scores", {}, {}, True, "crisis_first", "risk"),
    ("risk with low scores", {"phq9": 2, "gad7": 1}, PEERISH, True, "crisis_first", "risk"),
    ("risk with severe scores", {"phq9": 24}, PROISH, True, "crisis_first", "risk"),
    ("risk with a peer lean", {"who5": 20}, PEERISH, True, "crisis_first", "risk"),
    ("severe depression, no lean", {"phq9": 22}, {}, False, "both", "high-scores"),
    ("severe depression, peer lean", {"phq9": 20}, PEERISH, False, "both", "high-scores"),
    (
        "severe depression, professional lean",
        {"phq9": 27},
        PROISH,
        False,
        "professional",
        "high-scores-professional",
    ),
    ("severe anxiety, no lean", {"gad7": 15}, {}, False, "both", "high-scores"),
    (
        "severe anxiety, professional lean",
        {"gad7": 21},
        PROISH,
        False,
        "professional",
        "high-scores-professional",
    ),
    ("moderately severe depression", {"phq9": 15}, EVEN, False, "both", "high-scores"),
    ("moderately severe with mild anxiety", {"phq9": 17, "gad7": 6}, PEERISH, False, "both", "high-scores"),
    ("moderate depression, no lean", {"phq9": 10}, {}, False, "both", "moderate-scores"),
    ("moderate depression, peer lean", {"phq9": 14}, PEERISH, False, "both", "moderate-scores"),
    (
        "moderate depression, professional lean",
        {"phq9": 12},
        PROISH,
        False,
        "professional",
        "moderate-scores-professional",
    ),
    ("moderate anxiety only", {"gad7": 10}, EVEN, False, "both", "moderate-scores"),
    ("moderate anxiety, low depression", {"phq9": 3, "gad7": 12}, PEERISH, False, "both", "moderate-scores"),
    ("brief depression screen positive", {"phq2": 3}, {}, False, "both", "brief-screen-positive"),
    (
        "brief anxiety screen positive, professional lean",
        {"gad2": 5},
        PROISH,
        False,
        "professional",
        "brief-screen-positive-professional",
    ),
    ("brief screen positive but PHQ-9 low", {"phq2": 4, "phq9": 3}, {}, False, "peer", "low-scores"),
    ("brief screens negative", {"phq2": 2, "gad2": 2}, {}, False, "peer", "low-scores"),
    ("mild depression, peer lean", {"phq9": 7}, PEERISH, False, "peer", "mild-scores-peer"),
    (
        "mild depression, professional lean",
        {"phq9": 5},
        PROISH,
        False,
        "professional",
        "mild-scores-professional",
    ),
    ("mild depression, no lean", {"phq9": 9}, {}, False, "both", "mild-scores"),
    ("mild anxiety, balanced lean", {"gad7": 6}, EVEN, False, "both", "mild-scores"),
    ("low wellbeing only, peer lean", {"who5": 12}, PEERISH, False, "peer", "mild-scores-peer"),
    ("good wellbeing only", {"who5": 13}, {}, False, "peer", "low-scores"),
    ("minimal scores, no lean", {"phq9": 4, "gad7": 4}, {}, False, "peer", "low-scores"),
    (
        "minimal scores, professional lean",
        {"phq9": 0},
        PROISH,
        False,
        "professional",
        "low-scores-professional",
    ),
    ("minimal scores, peer lean", {"gad7": 0}, PEERISH, False, "peer", "low-scores"),
    ("no check-in, peer lean", {}, PEERISH, False, "peer", "no-scores-peer"),
    ("no check-in, professional lean", {}, PROISH, False, "professional", "no-scores-professional"),
    ("no check-in, no lean", {}, {}, False, "both", "no-clear-lean"),
    ("no check-in, evenly balanced", {}, EVEN, False, "both", "no-clear-lean"),
    ("all not sure", {}, dict.fromkeys(PEERISH), False, "both", "no-clear-lean"),
]


@pytest.mark.parametrize(
    ("name", "totals", "prefs", "risk", "pathway", "rule"), SCENARIOS, ids=[s[0] for s in SCENARIOS]
)
def test_scenario(
    name: str, totals: dict[str, int], prefs: dict[str, Any], risk: bool, pathway: str, rule: str
) -> None:
    result = run(totals, prefs, risk=risk)
    assert (result.pathway.value, result.rule_id) == (pathway, rule)
    assert result.reasons[0].kind == "rule" and result.reasons[0].text
    assert (result.rule_set_id, result.rule_set_version) == ("carepath-default", "1.0.0")


def test_there_are_at_least_thirty_scenarios() -> None:
    assert len(SCENARIOS) >= 30


def test_reasons_name_the_scores_and_what_mattered_most() -> None:
    result = run({"phq9": 12}, {"emotional_connection": 4, "cost": 2, "evidence": 1})
    texts = [r.text for r in result.reasons]
    assert any("PHQ9 score is 12" in t for t in texts)
    preference = [r for r in result.reasons if r.kind == "preference"]
    assert [r.dimension for r in preference] == ["emotional_connection", "cost", "evidence"]
    assert "4 out of 4" in preference[0].text and "peer support is usually stronger" in preference[0].text


def test_the_highest_rated_dimensions_are_highlighted_in_the_grid() -> None:
    result = run({}, {"confidentiality": 4, "cost": 4, "role": 1})
    highlighted = {row.id for row in result.dimensions if row.highlighted}
    assert highlighted == {"confidentiality", "cost"}
    assert result.dimensions[0].id == "scope" and len(result.dimensions) == 10


def test_own_concerns_are_carried_to_the_result() -> None:
    prefs = read_preferences({}, ["I work nights", "  ", "I don't want my employer to know"])
    result = recommend(
        rules=default_rules(), aid=aid(), risk=False, screenings=(), preferences=prefs, limits=Limits()
    )
    assert result.own_concerns == ("I work nights", "I don't want my employer to know")


def test_limits_add_reasons() -> None:
    result = run({"phq9": 12}, {}, budget_per_month=0, modalities=("video",), languages=("es",))
    limit_texts = [r.text for r in result.reasons if r.kind == "limit"]
    assert any("free professional services" in t for t in limit_texts)
    assert any("video" in t for t in limit_texts) and any("es" in t for t in limit_texts)


def test_fit_follows_what_matters() -> None:
    peerish, proish = run({}, PEERISH).fit, run({}, PROISH).fit
    assert peerish["peer"] > peerish["professional"]
    assert proish["professional"] > proish["peer"]
    assert run({}, {}).fit == {"peer": None, "professional": None, "both": None}
    # A combination is weaker on cost: rating only cost puts "both" last.
    cost_only = run({}, {"cost": 4}).fit
    assert cost_only == {"peer": 1.0, "professional": 0.0, "both": 0.0}


def test_changing_an_answer_changes_the_recommendation() -> None:
    assert run({"phq9": 7}, PEERISH).pathway.value == "peer"
    assert run({"phq9": 7}, PROISH).pathway.value == "professional"
    assert run({"phq9": 11}, PEERISH).pathway.value == "both"
