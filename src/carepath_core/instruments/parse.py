"""Turning an instrument definition (decoded JSON) into an Instrument, strictly.

A definition that breaks a rule fails at start-up with the field named, never while a person
is filling the form in.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from carepath_core.fields import (
    at,
    boolean,
    choice,
    integer,
    listing,
    mapping,
    optional_integer,
    optional_text,
    require,
    require_unique,
    text,
)
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
    Scoring,
    Source,
    Threshold,
)

_CODE = re.compile(r"^[a-z][a-z0-9]*$")
_ITEM_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_LOINC = re.compile(r"^(LA|LL|LP)?[0-9]{1,7}-[0-9]$")
_EVIDENCE = [e.value for e in Evidence]


def parse_instrument(document: Mapping[str, Any]) -> Instrument:
    raw = mapping(document, "definition")
    code = text(raw, "code", "")
    require(bool(_CODE.match(code)), "code", "must be lowercase letters and digits, e.g. phq9")
    licence = _licence(mapping(raw.get("licence"), "licence"))
    default_options = _options(listing(raw, "answer_options", ""), "answer_options")
    items = tuple(
        _item(mapping(entry, f"items[{i}]"), f"items[{i}]", default_options)
        for i, entry in enumerate(listing(raw, "items", ""))
    )
    require_unique([item.id for item in items], "items", "item id")
    if not licence.items_may_ship:
        require(not items, "items", "a licensed instrument is metadata only: its items must not ship")
    scoring = None if raw.get("scoring") is None else _scoring(mapping(raw["scoring"], "scoring"))
    require(scoring is not None or not items, "scoring", "an instrument with items needs a scoring rule")
    max_total = sum(max(o.value for o in item.options) for item in items if item.scored)
    bands = tuple(
        _band(mapping(b, f"bands[{i}]"), f"bands[{i}]") for i, b in enumerate(listing(raw, "bands", ""))
    )
    if scoring is not None:
        _check_bands_cover(bands, max_total)
    loinc = mapping(raw.get("loinc") or {}, "loinc")
    return Instrument(
        code=code,
        name=text(raw, "name", ""),
        short_name=text(raw, "short_name", ""),
        measures=text(raw, "measures", ""),
        version=text(raw, "version", ""),
        licence=licence,
        loinc_notice=optional_text(raw, "loinc_notice", ""),
        citation=text(raw, "citation", ""),
        recall_period=optional_text(raw, "recall_period", ""),
        stem=optional_text(raw, "stem", ""),
        items=items,
        scoring=scoring,
        missing_data_note=_missing_data(raw.get("missing_data"), scoring is not None),
        bands=bands,
        caseness=_threshold(raw.get("caseness"), "caseness", needs_direction=True),
        reliable_change=_threshold(raw.get("reliable_change"), "reliable_change", needs_direction=False),
        panel_code=_code(loinc.get("panel"), "loinc.panel"),
        total_code=_code(loinc.get("total"), "loinc.total"),
        sources=tuple(
            _source(mapping(s, f"sources[{i}]"), f"sources[{i}]")
            for i, s in enumerate(listing(raw, "sources", ""))
        ),
    )


def _licence(raw: Mapping[str, Any]) -> Licence:
    return Licence(
        kind=choice(raw, "kind", "licence", ["free", "licensed"]),
        notice=text(raw, "notice", "licence"),
        url=optional_text(raw, "url", "licence"),
    )


def _options(entries: Any, where: str) -> tuple[AnswerOption, ...]:
    options = tuple(
        _option(mapping(entry, f"{where}[{i}]"), f"{where}[{i}]") for i, entry in enumerate(entries)
    )
    require_unique([str(o.value) for o in options], where, "answer value")
    return options


def _option(raw: Mapping[str, Any], where: str) -> AnswerOption:
    return AnswerOption(
        value=integer(raw, "value", where), label=text(raw, "label", where), loinc=_loinc(raw, "loinc", where)
    )


def _item(raw: Mapping[str, Any], where: str, default_options: tuple[AnswerOption, ...]) -> Item:
    item_id = text(raw, "id", where)
    require(bool(_ITEM_ID.match(item_id)), at(where, "id"), "must be lowercase letters, digits and _")
    options = _options(raw["options"], at(where, "options")) if raw.get("options") else default_options
    require(bool(options), at(where, "options"), "an item needs answer options")
    risk_if_above = optional_integer(raw, "risk_if_above", where)
    if risk_if_above is not None:
        require(
            any(option.value > risk_if_above for option in options),
            at(where, "risk_if_above"),
            "no answer is above it, so the risk could never be seen",
        )
    return Item(
        id=item_id,
        text=text(raw, "text", where),
        loinc=_loinc(raw, "loinc", where),
        options=options,
        scored=boolean(raw, "scored", where),
        risk_if_above=risk_if_above,
    )


def _scoring(raw: Mapping[str, Any]) -> Scoring:
    choice(raw, "method", "scoring", ["sum"])
    multiplier = optional_integer(raw, "percentage_multiplier", "scoring")
    require(multiplier is None or multiplier > 0, "scoring.percentage_multiplier", "must be positive")
    higher_is = choice(raw, "higher_is", "scoring", ["worse", "better"])
    return Scoring(percentage_multiplier=multiplier, higher_is_worse=higher_is == "worse")


def _missing_data(raw: Any, scorable: bool) -> str:
    if not scorable:
        return ""
    rules = mapping(raw, "missing_data")
    # Only "refuse" is implemented: a form is scored complete or not at all.
    choice(rules, "rule", "missing_data", ["refuse"])
    return text(rules, "note", "missing_data")


def _band(raw: Mapping[str, Any], where: str) -> Band:
    band = Band(
        min=integer(raw, "min", where),
        max=integer(raw, "max", where),
        label=text(raw, "label", where),
        description=text(raw, "description", where),
    )
    require(band.min <= band.max, where, "min must not be above max")
    return band


def _check_bands_cover(bands: tuple[Band, ...], max_total: int) -> None:
    require(bool(bands), "bands", "a scored instrument needs bands")
    expected = 0
    for i, band in enumerate(bands):
        require(
            band.min == expected,
            f"bands[{i}].min",
            f"must be {expected} so bands are contiguous, lowest first",
        )
        expected = band.max + 1
    require(expected - 1 == max_total, "bands", f"must end at the highest possible total, {max_total}")


def _threshold(raw: Any, where: str, *, needs_direction: bool) -> Threshold | None:
    if raw is None:
        return None
    fields = mapping(raw, where)
    direction = (
        choice(fields, "direction", where, [d.value for d in Direction])
        if needs_direction
        else Direction.AT_OR_ABOVE.value
    )
    scale = choice(fields, "scale", where, [s.value for s in Scale]) if "scale" in fields else Scale.RAW.value
    return Threshold(
        value=integer(fields, "value", where),
        direction=Direction(direction),
        scale=Scale(scale),
        source=text(fields, "source", where),
        status=Evidence(choice(fields, "status", where, _EVIDENCE)),
    )


def _code(raw: Any, where: str) -> Code | None:
    if raw is None:
        return None
    fields = mapping(raw, where)
    code = text(fields, "code", where)
    require(bool(_LOINC.match(code)), at(where, "code"), "is not shaped like a LOINC code")
    return Code(
        code=code,
        display=text(fields, "display", where),
        status=Evidence(choice(fields, "status", where, _EVIDENCE)),
        source=text(fields, "source", where),
    )


def _source(raw: Mapping[str, Any], where: str) -> Source:
    return Source(
        claim=text(raw, "claim", where),
        citation=text(raw, "citation", where),
        url=optional_text(raw, "url", where),
        status=Evidence(choice(raw, "status", where, _EVIDENCE)),
    )


def _loinc(raw: Mapping[str, Any], key: str, where: str) -> str | None:
    value = raw.get(key)
    if value is None:
        return None
    require(
        isinstance(value, str) and bool(_LOINC.match(value)),
        at(where, key),
        "is not shaped like a LOINC code",
    )
    return str(value)
