"""Hard constraints: pairs that are never suggested or assigned, whatever their score.

Each constraint has the reason in words. When several apply, the first in the order below is
the one given: a request not to be matched comes before anything else, and a supporter with no
free places is reported as full before the finer points of the pair.
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np
from numpy.typing import NDArray

from carepath_core.matching.facts import PairFacts
from carepath_core.matching.weekly_hours import SLOT_MINUTES

# An hour a week is one session: the least a peer relationship can run on. People who have not
# given their hours are not held to it; they can agree times with their supporter.
MIN_SHARED_MINUTES = 60
MIN_SHARED_SLOTS = MIN_SHARED_MINUTES // SLOT_MINUTES
FITS = 0


class Exclusion(IntEnum):
    REQUESTED = 1
    FULL = 2
    LANGUAGE = 3
    MEETING = 4
    HOURS = 5

    @property
    def reason(self) -> str:
        """Why this pair cannot be matched, said of the supporter."""
        return _REASONS[self][0]

    def counted(self, count: int) -> str:
        """How many supporters this ruled out, for "no supporter fits" explanations."""
        one, many = _REASONS[self][1:]
        return f"{count} {one if count == 1 else many}"


_REASONS = {
    Exclusion.REQUESTED: (
        "The person asked not to be matched with this supporter",
        "was excluded at the person's request",
        "were excluded at the person's request",
    ),
    Exclusion.FULL: ("Has no free places", "has no free places", "have no free places"),
    Exclusion.LANGUAGE: (
        "Shares no language with the person",
        "shares no language with them",
        "share no language with them",
    ),
    Exclusion.MEETING: (
        "Cannot meet in a way the person asked for (in person only within their distance)",
        "cannot meet in a way they asked for",
        "cannot meet in a way they asked for",
    ),
    Exclusion.HOURS: (
        "They are free at the same time for less than an hour a week",
        "is free at the same time as them for less than an hour a week",
        "are free at the same time as them for less than an hour a week",
    ),
}


def _too_little_time(facts: PairFacts) -> NDArray[np.bool_]:
    too_little: NDArray[np.bool_] = facts.hours_known & (facts.shared_slots < MIN_SHARED_SLOTS)
    return too_little


def allowed(facts: PairFacts, free_places: NDArray[np.int64]) -> NDArray[np.bool_]:
    """The pairs no hard constraint rules out."""
    fits: NDArray[np.bool_] = facts.any_language & (facts.meets != 0)
    fits &= ~facts.excluded
    fits &= ~_too_little_time(facts)
    fits[:, free_places <= 0] = False
    return fits


def exclusions(facts: PairFacts, free_places: NDArray[np.int64]) -> NDArray[np.int8]:
    """For each pair, FITS (0) or the first constraint it breaks, as an `Exclusion` value."""
    codes = np.zeros(facts.excluded.shape, dtype=np.int8)
    # Written last-first, so the first constraint in the order wins where several apply.
    codes[_too_little_time(facts)] = Exclusion.HOURS
    codes[facts.meets == 0] = Exclusion.MEETING
    codes[~facts.any_language] = Exclusion.LANGUAGE
    codes[:, free_places <= 0] = Exclusion.FULL
    codes[facts.excluded] = Exclusion.REQUESTED
    return codes


def why_not(codes: NDArray[np.int8]) -> str:
    """ "No supporter fits this person: 3 share no language with them, 1 has no free places"."""
    counted = np.bincount(codes.astype(np.int64), minlength=len(Exclusion) + 1)
    parts = [exclusion.counted(int(counted[exclusion])) for exclusion in Exclusion if counted[exclusion]]
    if not parts:
        return "No supporter fits this person: there are no supporters to choose from"
    return "No supporter fits this person: " + ", ".join(parts)
