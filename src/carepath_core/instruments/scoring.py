"""Scoring a completed form by item id.

Answers are checked first, all at once, so a person (or a batch file) learns every problem in
one go. An incomplete form is refused, naming the missing items; it is never scored as if it
were complete. Risk, by contrast, is read from whatever was answered: a risk answer on a half-
finished form must still be seen.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypeGuard

from carepath_core.errors import DomainError
from carepath_core.instruments.model import Band, Direction, Instrument


@dataclass(frozen=True, slots=True)
class AnswerProblem:
    item: str
    problem: str


class InvalidAnswers(DomainError):
    """The answers cannot be scored; each problem names its item."""

    def __init__(self, instrument: str, problems: tuple[AnswerProblem, ...]) -> None:
        self.instrument = instrument
        self.problems = problems
        super().__init__("; ".join(f"{p.item}: {p.problem}" for p in problems))


class NotScorable(DomainError):
    """A licensed instrument held as metadata only."""


@dataclass(frozen=True, slots=True)
class ScoreResult:
    instrument: str
    total: int
    max_total: int
    percentage: int | None
    band: Band
    band_index: int
    caseness: bool | None
    risk_flags: tuple[str, ...]
    complete: bool
    answers: tuple[tuple[str, int], ...]


def score(
    instrument: Instrument, answers: Mapping[str, object], *, caseness_cutoff: int | None = None
) -> ScoreResult:
    """Score the answers, or raise InvalidAnswers listing every problem by item id."""
    if instrument.scoring is None or not instrument.scored_items:
        raise NotScorable(
            f"{instrument.short_name} is licensed and held as metadata only; it cannot be scored"
        )
    values = _checked_values(instrument, answers)
    total = sum(values[item.id] for item in instrument.scored_items)
    band_index = next(i for i, band in enumerate(instrument.bands) if band.contains(total))
    multiplier = instrument.scoring.percentage_multiplier
    return ScoreResult(
        instrument=instrument.code,
        total=total,
        max_total=instrument.max_total,
        percentage=total * multiplier if multiplier is not None else None,
        band=instrument.bands[band_index],
        band_index=band_index,
        caseness=_caseness(instrument, total, caseness_cutoff),
        risk_flags=tuple(item.id for item in instrument.risk_items if item.is_risk(values.get(item.id, -1))),
        complete=True,
        answers=tuple((item.id, values[item.id]) for item in instrument.items if item.id in values),
    )


def risk_flags(instrument: Instrument, answers: Mapping[str, object]) -> tuple[str, ...]:
    """Risk items endorsed in a possibly incomplete or partly invalid form."""
    flagged = []
    for item in instrument.risk_items:
        value = answers.get(item.id)
        if _is_whole_number(value) and item.is_risk(value):
            flagged.append(item.id)
    return tuple(flagged)


def _checked_values(instrument: Instrument, answers: Mapping[str, object]) -> dict[str, int]:
    problems: list[AnswerProblem] = []
    values: dict[str, int] = {}
    for item_id, value in answers.items():
        item = instrument.item(str(item_id))
        if item is None:
            problems.append(AnswerProblem(str(item_id), f"is not an item of {instrument.short_name}"))
        elif not _is_whole_number(value):
            problems.append(AnswerProblem(item.id, f"answer {value!r} is not a whole number"))
        elif value not in item.values:
            allowed = ", ".join(str(v) for v in sorted(item.values))
            problems.append(AnswerProblem(item.id, f"answer {value} is not one of {allowed}"))
        else:
            values[item.id] = value
    problems += [
        AnswerProblem(item.id, "is missing") for item in instrument.scored_items if item.id not in answers
    ]
    if problems:
        raise InvalidAnswers(instrument.code, tuple(problems))
    return values


def _is_whole_number(value: object) -> TypeGuard[int]:
    # JSON true/false arrive as bool, which Python counts as int: refuse them explicitly.
    return isinstance(value, int) and not isinstance(value, bool)


def _caseness(instrument: Instrument, total: int, override: int | None) -> bool | None:
    rule = instrument.caseness
    if rule is None:
        return None
    cutoff = rule.value if override is None else override
    return total >= cutoff if rule.direction is Direction.AT_OR_ABOVE else total <= cutoff
