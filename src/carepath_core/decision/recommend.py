"""A recommendation with its reasons: the rule that applied, what mattered most, what screening showed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from carepath_core.decision.content import DecisionAid
from carepath_core.decision.dimensions import Favours, Level, Pathway
from carepath_core.decision.preferences import Preferences, fit, lean
from carepath_core.decision.rules import RuleSet, Situation

TOP_CONCERNS = 3


@dataclass(frozen=True, slots=True)
class Limits:
    budget_per_month: float | None = None
    currency: str = ""
    modalities: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    max_travel_km: float | None = None
    free_times: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Reason:
    kind: str  # rule, preference, screening, limit
    text: str
    dimension: str = ""


@dataclass(frozen=True, slots=True)
class DimensionRow:
    id: str
    title: str
    weight: int | None
    highlighted: bool
    favours: Favours


@dataclass(frozen=True, slots=True)
class Recommendation:
    pathway: Pathway
    minimum_level: Level
    rule_set_id: str
    rule_set_version: str
    rule_id: str
    lean: str
    reasons: tuple[Reason, ...]
    fit: Mapping[str, float | None]
    dimensions: tuple[DimensionRow, ...]
    own_concerns: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ScreeningSummary:
    instrument: str
    short_name: str
    total: int
    band: str


def recommend(
    *,
    rules: RuleSet,
    aid: DecisionAid,
    risk: bool,
    screenings: tuple[ScreeningSummary, ...],
    preferences: Preferences,
    limits: Limits,
    current_support: str = "none",
) -> Recommendation:
    favours = {d.id: d.favours for d in aid.dimensions}
    leaning = lean(preferences, favours, rules.lean_margin)
    situation = Situation(
        risk=risk,
        totals={s.instrument: s.total for s in screenings},
        lean=leaning,
        current_support=current_support,
    )
    rule = rules.decide(situation)
    rated = [d for d in aid.dimensions if preferences.weight(d.id) > 0]
    top = sorted(rated, key=lambda d: -preferences.weight(d.id))[:TOP_CONCERNS]
    top_weight = preferences.weight(top[0].id) if top else 0
    reasons = (
        Reason("rule", rule.reason),
        *(Reason("screening", f"Your {s.short_name} score is {s.total} ({s.band}).") for s in screenings),
        *(_preference_reason(d.id, d.title, preferences.weight(d.id), d.favours) for d in top),
        *_limit_reasons(limits, rule.pathway),
    )
    return Recommendation(
        pathway=rule.pathway,
        minimum_level=rule.minimum_level,
        rule_set_id=rules.id,
        rule_set_version=rules.version,
        rule_id=rule.id,
        lean=leaning,
        reasons=reasons,
        fit=fit(preferences, favours, rules.both_weaker_on),
        dimensions=tuple(
            DimensionRow(
                id=d.id,
                title=d.title,
                weight=preferences.ratings.get(d.id),
                highlighted=top_weight > 0 and preferences.weight(d.id) == top_weight,
                favours=d.favours,
            )
            for d in aid.dimensions
        ),
        own_concerns=preferences.own_concerns,
    )


def _preference_reason(dimension_id: str, title: str, weight: int, favours: Favours) -> Reason:
    usually = {
        Favours.PEER: "peer support is usually stronger here",
        Favours.PROFESSIONAL: "professional support is usually stronger here",
        Favours.NEITHER: "peer and professional support differ here rather than one being stronger",
    }[favours]
    return Reason("preference", f"You rated “{title}” {weight} out of 4: {usually}.", dimension_id)


def _limit_reasons(limits: Limits, pathway: Pathway) -> tuple[Reason, ...]:
    reasons = []
    if limits.budget_per_month is not None and limits.budget_per_month <= 0 and pathway.includes_professional:
        reasons.append(
            Reason(
                "limit", "You have no budget for support: we will look for free professional services first."
            )
        )
    if limits.modalities:
        reasons.append(
            Reason("limit", f"We will look for support you can use by: {', '.join(limits.modalities)}.")
        )
    if limits.languages:
        reasons.append(Reason("limit", f"We will look for support in: {', '.join(limits.languages)}."))
    return tuple(reasons)
