"""The numbers behind the outcome definitions, read from data rather than written into code.

Caseness cut-offs and reliable-change sizes come from the instrument definitions
(`instruments/definitions/<code>.json`), so the screening page and the outcome figures can never
disagree about them. What the instruments do not hold (how many sessions make a finished course,
which pair of measures is used, the Jacobson-Truax criterion) lives in `outcomes/definitions/*.json`
with its source. Reading the files is the caller's job (the core does no I/O); these functions
turn the decoded documents into frozen rules, refusing anything the definitions cannot work with.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from carepath_core.errors import InvalidData
from carepath_core.fields import at, choice, integer, mapping, optional_text, require, text
from carepath_core.instruments.model import Direction, Evidence, Instrument, Scale, Source
from carepath_core.outcomes.checked import positive_number, whole_number_between

_EVIDENCE = [e.value for e in Evidence]


@dataclass(frozen=True, slots=True)
class MeasureRule:
    """What the outcome definitions need to know about one questionnaire."""

    code: str
    short_name: str
    lowest: int
    highest: int
    caseness_from: int  # a total at or above this is "at caseness"
    reliable_change: int  # a change of at least this many points is more than measurement error

    def checked_score(self, value: object, field: str) -> int:
        return whole_number_between(value, field, self.lowest, self.highest)

    def is_case(self, total: int) -> bool:
        return total >= self.caseness_from


@dataclass(frozen=True, slots=True)
class TalkingTherapiesRules:
    depression: MeasureRule
    anxiety: MeasureRule
    min_attended_sessions: int
    sources: tuple[Source, ...]

    @property
    def measures(self) -> tuple[MeasureRule, MeasureRule]:
        return (self.depression, self.anxiety)


@dataclass(frozen=True, slots=True)
class JacobsonTruaxMethod:
    criterion: float  # |RCI| must be above this for a change to be reliable
    source: Source


def measure_rule(instrument: Instrument) -> MeasureRule:
    """The outcome rule of a questionnaire whose higher totals are worse, as PHQ-9 and GAD-7 are."""
    where = instrument.code
    # Every measure NHS Talking Therapies pairs scores "higher is worse"; supporting the other
    # direction here would be untested guesswork, so it is refused until a measure needs it.
    require(
        instrument.scoring is not None and instrument.scoring.higher_is_worse,
        at(where, "scoring.higher_is"),
        "outcome definitions need a questionnaire whose higher totals are worse",
    )
    caseness, reliable = instrument.caseness, instrument.reliable_change
    if caseness is None or caseness.direction is not Direction.AT_OR_ABOVE or caseness.scale is not Scale.RAW:
        raise InvalidData(at(where, "caseness"), "needs an at_or_above cut-off on the raw total")
    if reliable is None or reliable.scale is not Scale.RAW or reliable.value <= 0:
        raise InvalidData(at(where, "reliable_change"), "needs a positive size on the raw total")
    lowest = sum(min(option.value for option in item.options) for item in instrument.scored_items)
    return MeasureRule(
        code=instrument.code,
        short_name=instrument.short_name,
        lowest=lowest,
        highest=instrument.max_total,
        caseness_from=caseness.value,
        reliable_change=reliable.value,
    )


def parse_talking_therapies(
    document: Mapping[str, Any], instruments: Mapping[str, Instrument]
) -> TalkingTherapiesRules:
    """Rules from `talking_therapies.json` plus the two instruments it names."""
    raw = mapping(document, "talking_therapies")
    finished = mapping(raw.get("finished_course"), "finished_course")
    measures = mapping(raw.get("measures"), "measures")
    paired = mapping(raw.get("paired_rule"), "paired_rule")
    sessions = integer(finished, "min_attended_sessions", "finished_course")
    require(sessions >= 1, "finished_course.min_attended_sessions", "must be at least 1")
    return TalkingTherapiesRules(
        depression=measure_rule(_named_instrument(measures, "depression", instruments)),
        anxiety=measure_rule(_named_instrument(measures, "anxiety", instruments)),
        min_attended_sessions=sessions,
        sources=(
            _source(finished, "finished_course", f"A finished course has at least {sessions} sessions"),
            _source(measures, "measures", "The pair of measures the definitions use"),
            _source(paired, "paired_rule", text(paired, "rule", "paired_rule")),
        ),
    )


def parse_jacobson_truax(document: Mapping[str, Any]) -> JacobsonTruaxMethod:
    raw = mapping(document, "jacobson_truax")
    return JacobsonTruaxMethod(
        criterion=positive_number(raw.get("criterion"), "criterion"),
        source=_source(raw, "", text(raw, "method", "")),
    )


def _named_instrument(
    measures: Mapping[str, Any], role: str, instruments: Mapping[str, Instrument]
) -> Instrument:
    code = text(measures, role, "measures")
    found = instruments.get(code)
    if found is None:
        raise InvalidData(at("measures", role), f"no instrument definition has the code '{code}'")
    return found


def _source(raw: Mapping[str, Any], where: str, claim: str) -> Source:
    return Source(
        claim=claim,
        citation=text(raw, "source", where),
        url=optional_text(raw, "url", where),
        status=Evidence(choice(raw, "status", where, _EVIDENCE)),
    )
