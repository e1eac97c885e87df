"""Plain-data shapes of the decision aid and of a recommendation, for the API and the CLI."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from carepath.screening.payloads import safety_payload
from carepath_core.crisis import CrisisRegion
from carepath_core.decision import DecisionAid, Recommendation
from carepath_core.safety import decide_safety


def recommendation_payload(
    recommendation: Recommendation,
    aid: DecisionAid,
    *,
    risk_items: tuple[str, ...],
    in_danger: bool,
    region: CrisisRegion,
) -> dict[str, Any]:
    body: dict[str, Any] = {}
    decision = decide_safety(risk_items, says_in_danger=in_danger)
    if decision.crisis_first:
        body["safety"] = safety_payload(decision, region)  # first, so it is never missed
    body.update(
        pathway=recommendation.pathway.value,
        minimum_level=recommendation.minimum_level.value,
        rule={
            "id": recommendation.rule_set_id,
            "version": recommendation.rule_set_version,
            "rule_id": recommendation.rule_id,
        },
        lean=recommendation.lean,
        reasons=[asdict(reason) for reason in recommendation.reasons],
        fit=dict(recommendation.fit),
        dimensions=[_dimension_row(row, aid) for row in recommendation.dimensions],
        own_concerns=list(recommendation.own_concerns),
    )
    return body


def _dimension_row(row: Any, aid: DecisionAid) -> dict[str, Any]:
    content = aid.dimension(row.id)
    return {
        "id": row.id,
        "title": row.title,
        "weight": row.weight,
        "highlighted": row.highlighted,
        "favours": row.favours.value,
        "peer": asdict(content.peer),
        "professional": asdict(content.professional),
        "both": content.both,
    }


def decision_aid_payload(aid: DecisionAid) -> dict[str, Any]:
    return {
        "id": aid.id,
        "version": aid.version,
        "produced": aid.produced,
        "next_review": aid.next_review,
        "update_policy": aid.update_policy,
        "made_by": aid.made_by,
        "funding": aid.funding,
        "conflicts_of_interest": aid.conflicts_of_interest,
        "problem": aid.problem,
        "decision": aid.decision,
        "not_for": aid.not_for,
        "reading_level": {"flesch_kincaid_grade": aid.reading_grade},
        "options": {key: {"name": name, "summary": summary} for key, (name, summary) in aid.options.items()},
        "dimensions": [asdict(d) for d in aid.dimensions],
        "citations": {key: asdict(c) for key, c in aid.citations.items()},
    }
