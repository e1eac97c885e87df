"""Questionnaire definitions as frozen values.

An instrument is data (one JSON file per instrument in `definitions/`) turned into these
values by `parse.py`. Scoring keys on item ids, never on wording, so a translated or reworded
form still scores the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Evidence(StrEnum):
    """Whether a fact was confirmed from a primary source (see shared/reference/clinical-facts.md)."""

    CONFIRMED = "confirmed"
    UNCONFIRMED = "unconfirmed"


class Direction(StrEnum):
    AT_OR_ABOVE = "at_or_above"
    AT_OR_BELOW = "at_or_below"


class Scale(StrEnum):
    RAW = "raw"
    PERCENTAGE = "percentage"


@dataclass(frozen=True, slots=True)
class AnswerOption:
    value: int
    label: str
    loinc: str | None


@dataclass(frozen=True, slots=True)
class Item:
    id: str
    text: str
    loinc: str | None
    options: tuple[AnswerOption, ...]
    scored: bool
    risk_if_above: int | None

    @property
    def values(self) -> frozenset[int]:
        return frozenset(option.value for option in self.options)

    @property
    def max_value(self) -> int:
        return max(option.value for option in self.options)

    def is_risk(self, value: int) -> bool:
        return self.risk_if_above is not None and value > self.risk_if_above


@dataclass(frozen=True, slots=True)
class Band:
    min: int
    max: int
    label: str
    description: str

    def contains(self, total: int) -> bool:
        return self.min <= total <= self.max


@dataclass(frozen=True, slots=True)
class Threshold:
    """A cut-off (caseness) or a reliable-change size, with where the number comes from."""

    value: int
    direction: Direction
    scale: Scale
    source: str
    status: Evidence


@dataclass(frozen=True, slots=True)
class Code:
    code: str
    display: str
    status: Evidence
    source: str


@dataclass(frozen=True, slots=True)
class Source:
    claim: str
    citation: str
    url: str
    status: Evidence


@dataclass(frozen=True, slots=True)
class Licence:
    kind: str  # "free" or "licensed"
    notice: str
    url: str

    @property
    def items_may_ship(self) -> bool:
        return self.kind == "free"


@dataclass(frozen=True, slots=True)
class Scoring:
    percentage_multiplier: int | None
    higher_is_worse: bool


@dataclass(frozen=True, slots=True)
class Instrument:
    code: str
    name: str
    short_name: str
    measures: str
    version: str
    licence: Licence
    loinc_notice: str
    citation: str
    recall_period: str
    stem: str
    items: tuple[Item, ...]
    scoring: Scoring | None
    missing_data_note: str
    bands: tuple[Band, ...]
    caseness: Threshold | None
    reliable_change: Threshold | None
    panel_code: Code | None
    total_code: Code | None
    sources: tuple[Source, ...]

    @property
    def scored_items(self) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.scored)

    @property
    def max_total(self) -> int:
        return sum(item.max_value for item in self.scored_items)

    @property
    def is_scorable(self) -> bool:
        return self.scoring is not None and bool(self.scored_items)

    @property
    def risk_items(self) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.risk_if_above is not None)

    def item(self, item_id: str) -> Item | None:
        for item in self.items:
            if item.id == item_id:
                return item
        return None
