"""When crisis help must come first.

The rule is deliberately simple and conservative: any endorsed risk item, or the person saying
they are in danger, puts crisis help before everything else — before any score, on every
surface (page, API, command line). A low score elsewhere never cancels it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class SafetyReason(StrEnum):
    RISK_ITEM = "risk_item"
    SAYS_IN_DANGER = "says_in_danger"


@dataclass(frozen=True, slots=True)
class SafetyDecision:
    crisis_first: bool
    reasons: tuple[SafetyReason, ...]
    risk_items: tuple[str, ...]

    @property
    def offer_safety_plan(self) -> bool:
        return self.crisis_first


def decide_safety(risk_items: Iterable[str], *, says_in_danger: bool = False) -> SafetyDecision:
    items = tuple(dict.fromkeys(risk_items))  # keep order, drop repeats
    reasons: list[SafetyReason] = []
    if says_in_danger:
        reasons.append(SafetyReason.SAYS_IN_DANGER)
    if items:
        reasons.append(SafetyReason.RISK_ITEM)
    return SafetyDecision(crisis_first=bool(reasons), reasons=tuple(reasons), risk_items=items)
