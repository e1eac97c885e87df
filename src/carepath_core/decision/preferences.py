"""What matters to the person: ratings per dimension, which way they lean, and how each option fits.

Ratings are 0-4 or None ("not sure", which counts for nothing). A dimension "favours" peer or
professional support when that option is usually stronger on it (content data). Fit is the share
of the person's total weight on dimensions where the option is usually strong: strong counts 1,
neither counts 1/2, weak counts 0. "Both" is strong wherever either option is, except on the
dimensions the rule set names as weaker for a combination (such as cost).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from carepath_core.decision.dimensions import DIMENSION_IDS, Favours, Option
from carepath_core.errors import InvalidData

MAX_RATING = 4
STRONG, NEUTRAL, WEAK = 1.0, 0.5, 0.0


@dataclass(frozen=True, slots=True)
class Preferences:
    ratings: Mapping[str, int | None]
    own_concerns: tuple[str, ...] = ()

    def weight(self, dimension_id: str) -> int:
        return self.ratings.get(dimension_id) or 0


def read_preferences(
    ratings: Mapping[str, object], own_concerns: list[str] | tuple[str, ...] = ()
) -> Preferences:
    """Check ratings (0-4 or None) by dimension id; refuse anything else naming the dimension."""
    checked: dict[str, int | None] = {}
    for dimension_id, value in ratings.items():
        field = f"preferences.{dimension_id}"
        if dimension_id not in DIMENSION_IDS:
            raise InvalidData(field, "is not one of the ten dimensions")
        if value is None:
            checked[dimension_id] = None
        elif isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_RATING:
            raise InvalidData(field, f"must be a whole number from 0 to {MAX_RATING}, or null for not sure")
        else:
            checked[dimension_id] = value
    concerns = tuple(c.strip() for c in own_concerns if isinstance(c, str) and c.strip())
    for concern in concerns:
        if len(concern) > 500:
            raise InvalidData("own_concerns", "each concern must be at most 500 characters")
    return Preferences(ratings=checked, own_concerns=concerns[:20])


def lean(preferences: Preferences, favours: Mapping[str, Favours], margin: int) -> str:
    """peer, professional or balanced: which way the person's ratings point, past the margin."""
    towards_peer = sum(preferences.weight(d) for d, f in favours.items() if f is Favours.PEER)
    towards_professional = sum(preferences.weight(d) for d, f in favours.items() if f is Favours.PROFESSIONAL)
    if towards_peer - towards_professional >= max(margin, 1):
        return "peer"
    if towards_professional - towards_peer >= max(margin, 1):
        return "professional"
    return "balanced"


def strength(option: Option, favours: Favours, dimension_id: str, both_weaker_on: tuple[str, ...]) -> float:
    if option is Option.BOTH:
        if dimension_id in both_weaker_on:
            return WEAK
        return NEUTRAL if favours is Favours.NEITHER else STRONG
    if favours is Favours.NEITHER:
        return NEUTRAL
    return STRONG if favours.value == option.value else WEAK


def fit(
    preferences: Preferences, favours: Mapping[str, Favours], both_weaker_on: tuple[str, ...]
) -> dict[str, float | None]:
    """Share of the person's weight where each option is usually strong; None when nothing was rated."""
    total = sum(preferences.weight(d) for d in favours)
    if total == 0:
        return {option.value: None for option in Option}
    return {
        option.value: round(
            sum(preferences.weight(d) * strength(option, f, d, both_weaker_on) for d, f in favours.items())
            / total,
            2,
        )
        for option in Option
    }
