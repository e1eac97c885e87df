"""The outcome of a batch assignment: who goes to whom, the loads, the total, and why."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from carepath_core.errors import InvalidData
from carepath_core.matching.profiles import Supporter
from carepath_core.matching.scoring import SCORE_SCALE, as_score


@dataclass(frozen=True)
class Placement:
    seeker_id: str
    supporter_id: str | None  # None: left without a supporter, and `reasons` says why
    score: float | None
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Assignment:
    placements: tuple[Placement, ...]  # in the order the people were given
    loads: dict[str, int]  # each supporter's load afterwards: their current load plus those assigned
    total_score: float
    pairs_allowed: int  # pairs no hard constraint rules out (or pairs given a score)
    pairs_solved: int  # pairs in the last graph the solver saw
    rounds: int  # solves needed until the assignment was proved optimal


def require_unique(ids: Sequence[str], where: str) -> None:
    seen: set[str] = set()
    for index, identifier in enumerate(ids):
        if identifier in seen:
            raise InvalidData(f"{where}[{index}].id", f"'{identifier}' is listed twice")
        seen.add(identifier)


def assignment_of(
    seeker_ids: Sequence[str],
    supporters: Sequence[Supporter],
    placed: Mapping[str, Placement],
    *,
    pairs_allowed: int,
    pairs_solved: int,
    rounds: int,
) -> Assignment:
    """Placements in the given order of people, with loads in the given order of supporters."""
    placements = tuple(placed[identifier] for identifier in seeker_ids)
    loads = {supporter.id: supporter.current_load for supporter in supporters}
    total = 0
    for placement in placements:
        if placement.supporter_id is not None and placement.score is not None:
            loads[placement.supporter_id] += 1
            total += round(placement.score * SCORE_SCALE)
    return Assignment(placements, loads, as_score(total), pairs_allowed, pairs_solved, rounds)
