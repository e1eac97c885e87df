"""The figures of one group in the programme report, each already suppressed where it must be.

Primary suppression (a count under the threshold) comes from `suppression.py`. The report adds the
complement rule: a rate k of n is also withheld, with its numerator, when n - k is under the
threshold, because "18 of 20 recovered" tells a reader that 2 people did not. A value that is
withheld is None here, and every screen and file shows None as "fewer than <threshold>".
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from carepath_core.outcomes.suppression import ShownCount, ShownRate, shown_count, shown_rate

_HIDDEN_COUNT = ShownCount(None)
_HIDDEN_RATE = ShownRate(value=None, interval=None)
_PENNY = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class RateFigure:
    numerator: ShownCount
    denominator: ShownCount
    rate: ShownRate


@dataclass(frozen=True, slots=True)
class WaitingFigure:
    """Days from asking for help to first contact, over episodes that have both dates."""

    episodes: ShownCount
    median_days: float | None


@dataclass(frozen=True, slots=True)
class CostFigure:
    """Known costs of ended episodes divided by the recovered people among them."""

    costed_episodes: ShownCount
    per_recovered: Decimal | None


@dataclass(frozen=True, slots=True)
class GroupFigures:
    key: str  # the pathway code, or the service id ("" for episodes without a service)
    finished: ShownCount
    scored: ShownCount
    recovery: RateFigure
    reliable_improvement: RateFigure
    reliable_recovery: RateFigure
    reliable_deterioration: RateFigure
    dropped_out: RateFigure
    waiting: WaitingFigure
    cost_per_recovered: CostFigure


def guarded_rate(numerator: int, denominator: int, limit: int, *, withhold: bool = False) -> RateFigure:
    """k of n with its Wilson interval, or withheld when k, n or n - k is under the threshold.

    `withhold` hides the whole figure, denominator included, for a reason the caller knows about
    (a difference with another figure shown beside it would give a small number away).
    """
    if withhold:
        return RateFigure(_HIDDEN_COUNT, _HIDDEN_COUNT, _HIDDEN_RATE)
    shown_denominator = shown_count(denominator, threshold=limit)
    rate = shown_rate(numerator, denominator, threshold=limit)
    if rate.suppressed or denominator - numerator < limit:
        return RateFigure(_HIDDEN_COUNT, shown_denominator, _HIDDEN_RATE)
    return RateFigure(shown_count(numerator, threshold=limit), shown_denominator, rate)


def shown_median(days: Sequence[int], limit: int) -> WaitingFigure:
    """The median of fewer than `limit` waits would describe those few people, so it is withheld."""
    episodes = shown_count(len(days), threshold=limit)
    if episodes.suppressed:
        return WaitingFigure(episodes=episodes, median_days=None)
    return WaitingFigure(episodes=episodes, median_days=float(statistics.median(days)))


def shown_cost_per_recovered(total: Decimal, *, costed: int, recovered: int, limit: int) -> CostFigure:
    """Withheld when the costed episodes or the recovered people among them are under the threshold.

    The recovered count itself is never shown here, and the total is not either, so one cannot be
    worked out from the other.
    """
    episodes = shown_count(costed, threshold=limit)
    if episodes.suppressed or recovered < limit:
        return CostFigure(costed_episodes=episodes, per_recovered=None)
    return CostFigure(
        costed_episodes=episodes, per_recovered=(total / recovered).quantize(_PENNY, ROUND_HALF_UP)
    )
