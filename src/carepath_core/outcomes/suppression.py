"""Small-number suppression: counts under a threshold are withheld wherever figures are shown.

A count of 3 people who recovered at a small service can point to people someone knows. So a
count under the threshold (5 by default, the project's policy in issue 7; configurable) is replaced
by "suppressed", zero included: "nobody recovered" is as telling as "two did".

A rate built on a suppressed count is withheld too, with its confidence interval, because rate times
denominator gives the hidden numerator back. This is primary suppression only: when a numerator is
shown, denominator - numerator may still be a small number, and reports that show related counts
side by side must decide how to guard that complement.
"""

from __future__ import annotations

from dataclasses import dataclass

from carepath_core.errors import InvalidData
from carepath_core.outcomes.checked import count, whole_number
from carepath_core.outcomes.wilson import ConfidenceInterval, wilson_interval

DEFAULT_THRESHOLD = 5


@dataclass(frozen=True, slots=True)
class ShownCount:
    value: int | None  # None when suppressed

    @property
    def suppressed(self) -> bool:
        return self.value is None


@dataclass(frozen=True, slots=True)
class ShownRate:
    value: float | None  # a fraction 0-1; None when suppressed
    interval: ConfidenceInterval | None  # Wilson 95 %; None when suppressed

    @property
    def suppressed(self) -> bool:
        return self.value is None


def checked_threshold(threshold: object) -> int:
    number = whole_number(threshold, "threshold")
    # 0 would switch suppression off altogether; that is a policy change, not a setting.
    if number < 1:
        raise InvalidData("threshold", "must be at least 1")
    return number


def is_suppressed(value: object, *, threshold: object = DEFAULT_THRESHOLD) -> bool:
    return count(value, "count") < checked_threshold(threshold)


def shown_count(value: object, *, threshold: object = DEFAULT_THRESHOLD) -> ShownCount:
    number = count(value, "count")
    return ShownCount(None if number < checked_threshold(threshold) else number)


def shown_rate(numerator: object, denominator: object, *, threshold: object = DEFAULT_THRESHOLD) -> ShownRate:
    """k ÷ n with its Wilson interval, or nothing when either count is under the threshold."""
    k, n = count(numerator, "numerator"), count(denominator, "denominator")
    if k > n:
        raise InvalidData("numerator", "cannot be more than denominator")
    limit = checked_threshold(threshold)
    if k < limit or n < limit:
        return ShownRate(value=None, interval=None)
    return ShownRate(value=k / n, interval=wilson_interval(k, n))
