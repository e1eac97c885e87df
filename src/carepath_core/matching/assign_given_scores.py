"""Assigning people to supporters from scores given pair by pair, so the solver can be checked alone.

Only the pairs given may be matched. Each score is a number from 0 to 1, kept to six decimal
places; the assignment is optimal for those scores (see `flow.py`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from carepath_core.errors import InvalidData
from carepath_core.matching.assignment import Assignment, Placement, assignment_of, require_unique
from carepath_core.matching.flow import UNASSIGNED, Edges, solve
from carepath_core.matching.profiles import Supporter
from carepath_core.matching.scoring import SCORE_SCALE, as_score

GIVEN_SCORE = "The score was given in the input"
NO_SCORE = "No score was given for this person with any supporter"


@dataclass(frozen=True)
class GivenScore:
    seeker_id: str
    supporter_id: str
    score: float  # 0 to 1


def assign_given_scores(
    seeker_ids: Sequence[str], supporters: Sequence[Supporter], scores: Sequence[GivenScore]
) -> Assignment:
    require_unique(seeker_ids, "seekers")
    require_unique([supporter.id for supporter in supporters], "supporters")
    # Positions in id order: the same scores give the same answer whatever order they come in.
    people = sorted(seeker_ids)
    ordered = sorted(supporters, key=lambda supporter: supporter.id)
    person_at = {identifier: row for row, identifier in enumerate(people)}
    supporter_at = {supporter.id: column for column, supporter in enumerate(ordered)}
    pairs: dict[tuple[int, int], int] = {}
    for index, given in enumerate(scores):
        where = f"scores[{index}]"
        if given.seeker_id not in person_at:
            raise InvalidData(f"{where}[0]", f"no seeker has the id '{given.seeker_id}'")
        if given.supporter_id not in supporter_at:
            raise InvalidData(f"{where}[1]", f"no supporter has the id '{given.supporter_id}'")
        if not 0 <= given.score <= 1:
            raise InvalidData(f"{where}[2]", "must be a number from 0 to 1")
        key = (person_at[given.seeker_id], supporter_at[given.supporter_id])
        if key in pairs:
            raise InvalidData(where, f"the pair ({given.seeker_id}, {given.supporter_id}) is listed twice")
        pairs[key] = round(given.score * SCORE_SCALE)
    keys = sorted(pairs)
    edges = Edges(
        np.array([row for row, _ in keys], dtype=np.int64),
        np.array([column for _, column in keys], dtype=np.int64),
        np.array([pairs[key] for key in keys], dtype=np.int64),
    )
    free_places = np.array([supporter.free_places for supporter in ordered], dtype=np.int64)
    solution = solve(edges, len(people), free_places, favour_more_matches=True)
    scored = np.bincount(edges.seeker, minlength=len(people))
    placed: dict[str, Placement] = {}
    for row, identifier in enumerate(people):
        edge = int(solution.edge_of[row])
        if edge == UNASSIGNED:
            placed[identifier] = Placement(identifier, None, None, (_left_out(int(scored[row])),))
        else:
            supporter_id = ordered[int(edges.supporter[edge])].id
            score = as_score(int(edges.scaled[edge]))
            placed[identifier] = Placement(identifier, supporter_id, score, (GIVEN_SCORE,))
    return assignment_of(
        seeker_ids, supporters, placed, pairs_allowed=len(edges), pairs_solved=len(edges), rounds=1
    )


def _left_out(scored: int) -> str:
    if scored == 0:
        return NO_SCORE
    if scored == 1:
        return "The one supporter scored for this person is full after this assignment"
    return f"All {scored} supporters scored for this person are full after this assignment"
