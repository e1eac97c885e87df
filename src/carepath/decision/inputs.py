"""Reading a decision request (API body, CLI file or web form) into checked core values.

Screenings come either as answers (scored here, so risk items are seen) or as a total (checked
against the questionnaire's range). Every problem names its field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from carepath.screening.selectors import caseness_cutoff, instrument
from carepath_core.decision import Limits, Preferences, ScreeningSummary, read_preferences
from carepath_core.decision.rules import SUPPORT_NOW
from carepath_core.errors import InvalidData
from carepath_core.instruments import InvalidAnswers, score

MODALITIES = ("in_person", "phone", "video", "text")


@dataclass(frozen=True)
class DecisionRequest:
    screenings: tuple[ScreeningSummary, ...]
    risk_items: tuple[str, ...]
    in_danger: bool
    preferences: Preferences
    limits: Limits
    current_support: str

    @property
    def risk(self) -> bool:
        return self.in_danger or bool(self.risk_items)


def read_request(data: Mapping[str, Any]) -> DecisionRequest:
    screenings, risk_items = _screenings(data.get("screenings") or [])
    in_danger = data.get("in_danger", False)
    if not isinstance(in_danger, bool):
        raise InvalidData("in_danger", "must be true or false")
    concerns = data.get("own_concerns") or []
    if not isinstance(concerns, list):
        raise InvalidData("own_concerns", "must be a list of short texts")
    ratings = data.get("preferences") or {}
    if not isinstance(ratings, Mapping):
        raise InvalidData("preferences", "must be an object of dimension id to a rating 0-4 (or null)")
    support = data.get("current_support", "none")
    if support not in SUPPORT_NOW:
        raise InvalidData("current_support", f"must be one of {', '.join(SUPPORT_NOW)}")
    return DecisionRequest(
        screenings=screenings,
        risk_items=risk_items,
        in_danger=in_danger,
        preferences=read_preferences(ratings, concerns),
        limits=_limits(data.get("limits") or {}),
        current_support=str(support),
    )


def _screenings(entries: Any) -> tuple[tuple[ScreeningSummary, ...], tuple[str, ...]]:
    if not isinstance(entries, list):
        raise InvalidData("screenings", "must be a list")
    summaries: list[ScreeningSummary] = []
    risk: list[str] = []
    seen: set[str] = set()
    for i, entry in enumerate(entries):
        where = f"screenings[{i}]"
        if not isinstance(entry, Mapping) or not isinstance(entry.get("instrument"), str):
            raise InvalidData(where, "needs an 'instrument' code and 'answers' or 'total'")
        definition = instrument(entry["instrument"])
        if definition.code in seen:
            raise InvalidData(where, f"{definition.short_name} is given twice")
        seen.add(definition.code)
        summary, flagged = _one_screening(definition, entry, where)
        summaries.append(summary)
        risk += flagged
    return tuple(summaries), tuple(risk)


def _one_screening(
    definition: Any, entry: Mapping[str, Any], where: str
) -> tuple[ScreeningSummary, list[str]]:
    if "answers" in entry:
        answers = entry["answers"]
        if not isinstance(answers, Mapping):
            raise InvalidData(f"{where}.answers", "must be an object of item id to answer")
        try:
            result = score(definition, answers, caseness_cutoff=caseness_cutoff(definition.code))
        except InvalidAnswers as error:
            first = error.problems[0]
            raise InvalidData(f"{where}.answers.{first.item}", first.problem) from error
        return _summary(definition, result.total), list(result.risk_flags)
    total = entry.get("total")
    if isinstance(total, bool) or not isinstance(total, int) or not 0 <= total <= definition.max_total:
        raise InvalidData(f"{where}.total", f"must be a whole number from 0 to {definition.max_total}")
    # A bare total cannot show item-level risk; the person is asked about danger separately.
    return _summary(definition, total), []


def _summary(definition: Any, total: int) -> ScreeningSummary:
    band = next(b for b in definition.bands if b.contains(total))
    return ScreeningSummary(
        instrument=definition.code, short_name=definition.short_name, total=total, band=band.label
    )


def _limits(raw: Any) -> Limits:
    if not isinstance(raw, Mapping):
        raise InvalidData("limits", "must be an object")
    budget = raw.get("budget_per_month")
    if budget is not None and (isinstance(budget, bool) or not isinstance(budget, int | float) or budget < 0):
        raise InvalidData("limits.budget_per_month", "must be a number of 0 or more")
    modalities = _names(raw.get("modalities"), "limits.modalities")
    for modality in modalities:
        if modality not in MODALITIES:
            raise InvalidData("limits.modalities", f"'{modality}' is not one of {', '.join(MODALITIES)}")
    travel = raw.get("max_travel_km")
    if travel is not None and (isinstance(travel, bool) or not isinstance(travel, int | float) or travel < 0):
        raise InvalidData("limits.max_travel_km", "must be a number of 0 or more")
    currency = raw.get("currency") or ""
    if not isinstance(currency, str) or (currency and (len(currency) != 3 or not currency.isalpha())):
        raise InvalidData("limits.currency", "must be a three-letter currency code such as USD or GBP")
    return Limits(
        budget_per_month=float(budget) if budget is not None else None,
        currency=currency.upper(),
        modalities=modalities,
        languages=_names(raw.get("languages"), "limits.languages"),
        max_travel_km=float(travel) if travel is not None else None,
        free_times=_names(raw.get("free_times"), "limits.free_times"),
    )


def _names(value: Any, field: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise InvalidData(field, "must be a list of names")
    return tuple(v.strip() for v in value)
