"""The ten dimensions on which peer and professional support are compared, and the options."""

from __future__ import annotations

from enum import StrEnum

DIMENSION_IDS: tuple[str, ...] = (
    "scope",
    "qualifications",
    "role",
    "emotional_connection",
    "evidence",
    "confidentiality",
    "accessibility",
    "cost",
    "recovery_approach",
    "outcomes",
)


class Option(StrEnum):
    PEER = "peer"
    PROFESSIONAL = "professional"
    BOTH = "both"


class Pathway(StrEnum):
    PEER = "peer"
    PROFESSIONAL = "professional"
    BOTH = "both"
    CRISIS_FIRST = "crisis_first"

    @property
    def includes_professional(self) -> bool:
        # Crisis-first always includes professional help (crisis services, urgent care).
        return self is not Pathway.PEER


class Level(StrEnum):
    """The minimum level of care, lowest first; the order is what 'never lowers care' is checked on."""

    SELF_HELP = "self_help"
    PEER_SUPPORT = "peer_support"
    LOW_INTENSITY = "low_intensity"
    HIGH_INTENSITY = "high_intensity"
    URGENT = "urgent"

    @property
    def rank(self) -> int:
        return list(Level).index(self)


class Favours(StrEnum):
    PEER = "peer"
    PROFESSIONAL = "professional"
    NEITHER = "neither"
