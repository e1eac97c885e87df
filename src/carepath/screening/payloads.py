"""Plain-data shapes of scores and safety decisions, shared by the JSON API and the CLI.

The safety block always comes first: a reader that stops after the first key still sees it.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from carepath_core.crisis import CrisisRegion
from carepath_core.instruments import Instrument, InvalidAnswers, ScoreResult
from carepath_core.safety import SafetyDecision


def safety_payload(decision: SafetyDecision, region: CrisisRegion) -> dict[str, Any]:
    block: dict[str, Any] = {
        "crisis_first": decision.crisis_first,
        "reasons": [reason.value for reason in decision.reasons],
        "risk_items": list(decision.risk_items),
    }
    if decision.crisis_first:
        block["message"] = (
            "Your answers suggest you may be in danger or having thoughts of harming yourself. "
            "Please contact one of these services now. If a life is at risk, call the emergency number."
        )
        block["region"] = region.code
        block["emergency_numbers"] = list(region.emergency.numbers) if region.emergency else []
        block["resources"] = [asdict(resource) for resource in region.resources]
        block["safety_plan"] = "/safety-plan/"
    return block


def crisis_text(safety: dict[str, Any]) -> str:
    """The crisis-first block of a safety payload as plain text, for every command-line output."""
    lines = ["CRISIS HELP FIRST", safety["message"]]
    if safety["emergency_numbers"]:
        lines.append("Emergency: " + " or ".join(safety["emergency_numbers"]))
    for resource in safety["resources"]:
        contacts = "; ".join(contact["label"] for contact in resource["contacts"])
        lines.append(f"- {resource['name']}: {contacts} ({resource['hours']})")
    lines.append("You can also make a safety plan: /safety-plan/")
    return "\n".join(lines) + "\n"


def score_payload(result: ScoreResult, decision: SafetyDecision, region: CrisisRegion) -> dict[str, Any]:
    return {
        "safety": safety_payload(decision, region),
        "instrument": result.instrument,
        "total": result.total,
        "max_total": result.max_total,
        "percentage": result.percentage,
        "band": result.band.label,
        "band_description": result.band.description,
        "band_index": result.band_index,
        "caseness": result.caseness,
        "risk_flags": list(result.risk_flags),
        "complete": result.complete,
        "answers": dict(result.answers),
    }


def problems_payload(error: InvalidAnswers) -> list[dict[str, str]]:
    return [{"field": f"answers.{p.item}", "problem": p.problem} for p in error.problems]


def instrument_summary(instrument: Instrument) -> dict[str, Any]:
    return {
        "code": instrument.code,
        "name": instrument.name,
        "short_name": instrument.short_name,
        "measures": instrument.measures,
        "scorable": instrument.is_scorable,
        "licence": instrument.licence.kind,
    }


def instrument_definition(instrument: Instrument) -> dict[str, Any]:
    """The definition as published over the API: everything a client needs to show the form."""
    return {
        **instrument_summary(instrument),
        "version": instrument.version,
        "recall_period": instrument.recall_period,
        "stem": instrument.stem,
        "citation": instrument.citation,
        "licence_notice": instrument.licence.notice,
        "loinc_notice": instrument.loinc_notice,
        "items": [
            {
                "id": item.id,
                "text": item.text,
                "loinc": item.loinc,
                "scored": item.scored,
                "risk_item": item.risk_if_above is not None,
                "options": [asdict(option) for option in item.options],
            }
            for item in instrument.items
        ],
        "max_total": instrument.max_total if instrument.is_scorable else None,
        "bands": [asdict(band) for band in instrument.bands],
        "caseness": asdict(instrument.caseness) if instrument.caseness else None,
        "reliable_change": asdict(instrument.reliable_change) if instrument.reliable_change else None,
        "loinc": {
            "panel": asdict(instrument.panel_code) if instrument.panel_code else None,
            "total": asdict(instrument.total_code) if instrument.total_code else None,
        },
        "sources": [asdict(source) for source in instrument.sources],
    }
