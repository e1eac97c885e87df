"""Peer supporters suggested for one person: the best that pass the hard constraints, with reasons."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from carepath_core.matching.constraints import FITS, Exclusion
from carepath_core.matching.pool import SupporterPool
from carepath_core.matching.profiles import Seeker, Supporter
from carepath_core.matching.reasons import reasons_in_block
from carepath_core.matching.scoring import as_score, score_block

DEFAULT_LIMIT = 10


@dataclass(frozen=True)
class Suggestion:
    supporter_id: str
    score: float  # 0 to 1, six decimal places
    reasons: tuple[str, ...]  # strongest first
    parts: Mapping[str, float]  # each part of the score, 0 to 1, before weighting


@dataclass(frozen=True)
class PairAssessment:
    """One pair looked at on its own: whether it may be matched, its score and why."""

    exclusion: Exclusion | None  # None when the pair may be matched
    score: float | None
    parts: Mapping[str, float]
    reasons: tuple[str, ...]  # why it fits, or the one reason it cannot be matched


def suggest(
    seeker: Seeker, supporters: SupporterPool | Sequence[Supporter], limit: int = DEFAULT_LIMIT
) -> list[Suggestion]:
    """The `limit` best supporters for `seeker`, best first; equal scores in supporter id order.

    Pass a `SupporterPool` built once when suggesting for many people: building it is the slow part.
    """
    pool = supporters if isinstance(supporters, SupporterPool) else SupporterPool(supporters)
    block = score_block([seeker], pool)
    scores = block.scaled[0]
    allowed = np.flatnonzero(scores >= 0)
    if len(allowed) > limit > 0:
        # Keep everything that ties with the last place, so the id order can settle ties fairly.
        cut = np.partition(scores[allowed], len(allowed) - limit)[len(allowed) - limit]
        allowed = allowed[scores[allowed] >= cut]
    ranked = sorted(allowed.tolist(), key=lambda column: (-int(scores[column]), pool.supporters[column].id))
    return [
        Suggestion(
            supporter_id=pool.supporters[column].id,
            score=as_score(int(scores[column])),
            reasons=reasons_in_block(block, pool, seeker, 0, column),
            parts={str(part): round(value, 6) for part, value in block.parts_of(0, column).items()},
        )
        for column in ranked[: max(limit, 0)]
    ]


def assess_pair(seeker: Seeker, supporter: Supporter) -> PairAssessment:
    """Score one pair, or say which hard constraint rules it out."""
    pool = SupporterPool([supporter])
    block = score_block([seeker], pool)
    parts = {str(part): round(value, 6) for part, value in block.parts_of(0, 0).items()}
    code = int(block.exclusions_of(np.array([0]))[0, 0])
    if code != FITS:
        exclusion = Exclusion(code)
        return PairAssessment(exclusion, None, parts, (exclusion.reason,))
    reasons = reasons_in_block(block, pool, seeker, 0, 0)
    return PairAssessment(None, as_score(int(block.scaled[0, 0])), parts, reasons)
