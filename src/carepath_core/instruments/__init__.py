"""Validated questionnaires: definitions as data, scored by item id."""

from carepath_core.instruments.model import (
    AnswerOption,
    Band,
    Code,
    Direction,
    Evidence,
    Instrument,
    Item,
    Licence,
    Scale,
    Source,
    Threshold,
)
from carepath_core.instruments.parse import parse_instrument
from carepath_core.instruments.scoring import (
    AnswerProblem,
    InvalidAnswers,
    NotScorable,
    ScoreResult,
    risk_flags,
    score,
)

__all__ = [
    "AnswerOption",
    "AnswerProblem",
    "Band",
    "Code",
    "Direction",
    "Evidence",
    "Instrument",
    "InvalidAnswers",
    "Item",
    "Licence",
    "NotScorable",
    "Scale",
    "ScoreResult",
    "Source",
    "Threshold",
    "parse_instrument",
    "risk_flags",
    "score",
]
