"""Wilson score confidence interval for a proportion (k of n).

Wilson EB. J Am Stat Assoc 1927;22:209-212; recommended for small counts by Newcombe RG, Stat Med
1998;17:857-872 (his method 3, no continuity correction). Unlike the textbook p ± z·√(p(1-p)/n), it
never leaves [0, 1] and does not collapse to a zero-width interval at 0 of n or n of n, which
matters for the small programmes Carepath reports on.

    centre ± half-width, both divided by (n + z²):
    (k + z²/2) ± z · √(k(n - k)/n + z²/4)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

from carepath_core.errors import InvalidData
from carepath_core.outcomes.checked import count, open_unit_interval


@dataclass(frozen=True, slots=True)
class ConfidenceInterval:
    low: float
    high: float


def wilson_interval(
    successes: object, trials: object, *, confidence: object = 0.95
) -> ConfidenceInterval | None:
    """None for 0 trials: with no one counted there is no proportion to put an interval round."""
    k, n = count(successes, "successes"), count(trials, "trials")
    if k > n:
        raise InvalidData("successes", "cannot be more than trials")
    level = open_unit_interval(confidence, "confidence")
    if n == 0:
        return None
    z = NormalDist().inv_cdf(1 - (1 - level) / 2)  # 1.95996… for 95 %, not the rounded 1.96
    centre = k + z * z / 2
    half_width = z * math.sqrt(k * (n - k) / n + z * z / 4)
    denominator = n + z * z
    # At k = 0 and k = n the exact bounds are 0 and 1; rounding would otherwise leave ±1e-17.
    low = 0.0 if k == 0 else max(0.0, (centre - half_width) / denominator)
    high = 1.0 if k == n else min(1.0, (centre + half_width) / denominator)
    return ConfidenceInterval(low=low, high=high)
