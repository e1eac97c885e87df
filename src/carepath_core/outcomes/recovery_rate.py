"""The NHS Talking Therapies recovery rate: recovered ÷ (finished - not at caseness at the start).

People who were not at caseness when they started cannot "move to recovery", so they leave the
denominator; counting them would make a service look worse for taking people with milder needs.
The rate is a fraction from 0 to 1 (multiply by 100 for the published percentage).
"""

from __future__ import annotations

from carepath_core.errors import InvalidData
from carepath_core.outcomes.checked import count


def recovery_rate_denominator(finished: object, not_at_caseness_at_start: object) -> int:
    finished_count = count(finished, "finished")
    not_case = count(not_at_caseness_at_start, "not_at_caseness_at_start")
    if not_case > finished_count:
        raise InvalidData("not_at_caseness_at_start", "cannot be more than the finished courses")
    return finished_count - not_case


def recovery_rate(recovered: object, finished: object, not_at_caseness_at_start: object) -> float | None:
    """None when no finished course started at caseness: there is no rate, and 0 % would be a lie."""
    denominator = recovery_rate_denominator(finished, not_at_caseness_at_start)
    recovered_count = count(recovered, "recovered")
    # Only a finished course that started at caseness can recover, so more would mean the counts
    # were taken from different groups (for example, unfinished courses counted as recovered).
    if recovered_count > denominator:
        raise InvalidData("recovered", "cannot be more than the finished courses that started at caseness")
    return None if denominator == 0 else recovered_count / denominator
