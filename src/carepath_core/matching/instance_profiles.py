"""Reading one seeker or supporter of a batch-assignment file, with errors that name the field."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from typing import Any

from carepath_core.errors import InvalidData
from carepath_core.fields import at, integer, mapping, optional_text, require
from carepath_core.matching.profiles import (
    DEFAULT_MAX_DISTANCE_KM,
    MINUTES_PER_WEEK,
    Modality,
    Seeker,
    Supporter,
    WeeklyWindow,
    local_windows,
)
from carepath_core.search.geo import Point
from carepath_core.vocabulary import lived_experience_topics
from carepath_core.vocabulary.language_codes import search_language

SEEKER_KEYS = frozenset(
    {
        "id", "languages", "topics", "availability", "utc_offset", "modalities", "location",
        "max_distance_km", "excluded_supporters", "experience",
    }
)  # fmt: skip
SUPPORTER_KEYS = frozenset(
    {
        "id", "capacity", "current_load", "languages", "topics", "availability", "utc_offset",
        "modalities", "location", "experience",
    }
)  # fmt: skip
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")
UTC_OFFSET = re.compile(r"^(?P<sign>[+-])(?P<h>\d{2}):(?P<m>\d{2})$")
MAX_OFFSET_MINUTES = 14 * 60  # the furthest any time zone is from UTC
WAYS = [modality.value for modality in Modality]
WINDOW_KEYS = frozenset({"days", "from", "to"})


def record_id(raw: Mapping[str, Any], where: str) -> str:
    """Ids are text; a whole number is read as its digits."""
    value = raw.get("id")
    if isinstance(value, bool) or not isinstance(value, str | int) or str(value).strip() == "":
        raise InvalidData(at(where, "id"), "is required: text or a whole number")
    return str(value)


# Files can hold tens of thousands of records: the checks below build their messages only when
# something is wrong.


def _known_keys(raw: Mapping[str, Any], allowed: frozenset[str], where: str, kind: str) -> None:
    for key in raw:
        if key not in allowed:
            raise InvalidData(at(where, key), f"is not a field of a {kind}")


def _strings(raw: Mapping[str, Any], key: str, where: str, *, required: bool = False) -> list[str]:
    value = raw.get(key, [])
    if not isinstance(value, list) or (required and not value):
        raise InvalidData(
            at(where, key), "must be a list" if not isinstance(value, list) else "must list at least one"
        )
    seen: set[str] = set()
    for index, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            raise InvalidData(f"{at(where, key)}[{index}]", "must be text")
        if item in seen:
            raise InvalidData(f"{at(where, key)}[{index}]", f"'{item}' is listed twice")
        seen.add(item)
    return value


def _languages(raw: Mapping[str, Any], where: str) -> tuple[str, ...]:
    """The codes as the directory's search files them (`eng` and `en` are one language), in order."""
    codes = _strings(raw, "languages", where, required=True)
    for index, code in enumerate(codes):
        if not LANGUAGE_CODE.match(code):
            raise InvalidData(f"{where}.languages[{index}]", f"'{code}' is not a language code like 'en'")
    return tuple(dict.fromkeys(search_language(code) for code in codes))


def _topics(raw: Mapping[str, Any], where: str) -> frozenset[str]:
    codes = _strings(raw, "topics", where)
    known = lived_experience_topics()
    for index, code in enumerate(codes):
        if code not in known:
            raise InvalidData(f"{where}.topics[{index}]", f"'{code}' is not a known lived-experience topic")
    return frozenset(codes)


def _modalities(raw: Mapping[str, Any], where: str, *, required: bool) -> frozenset[Modality]:
    ways = _strings(raw, "modalities", where, required=required)
    for index, way in enumerate(ways):
        if way not in WAYS:
            raise InvalidData(f"{where}.modalities[{index}]", f"'{way}' is not one of {', '.join(WAYS)}")
    return frozenset(Modality(way) for way in ways)


def _number(raw: Mapping[str, Any], key: str, where: str) -> float:
    value = raw.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidData(at(where, key), f"{json.dumps(value)} is not a number")
    return float(value)


def _location(raw: Mapping[str, Any], where: str) -> Point | None:
    if raw.get("location") is None:
        return None
    place = mapping(raw["location"], at(where, "location"))
    latitude = _number(place, "latitude", at(where, "location"))
    longitude = _number(place, "longitude", at(where, "location"))
    require(
        -90 <= latitude <= 90 and -180 <= longitude <= 180, at(where, "location"), "is not a place on Earth"
    )
    return Point(latitude, longitude)


def _utc_offset(raw: Mapping[str, Any], where: str) -> int:
    value = raw.get("utc_offset", "+00:00")
    if value == "Z":
        return 0
    found = UTC_OFFSET.match(value) if isinstance(value, str) else None
    if found is None or int(found["m"]) > 59:
        raise InvalidData(at(where, "utc_offset"), f"{json.dumps(value)} is not an offset like +01:00")
    minutes = (int(found["h"]) * 60 + int(found["m"])) * (-1 if found["sign"] == "-" else 1)
    require(
        abs(minutes) <= MAX_OFFSET_MINUTES, at(where, "utc_offset"), "is further from UTC than any time zone"
    )
    return minutes


def _availability(raw: Mapping[str, Any], where: str, offset: int) -> tuple[WeeklyWindow, ...]:
    value = raw.get("availability", [])
    if not isinstance(value, list):
        raise InvalidData(at(where, "availability"), "must be a list")
    windows: list[WeeklyWindow] = []
    for index, item in enumerate(value):
        field = f"{where}.availability[{index}]"
        if isinstance(item, list):
            # type() rather than isinstance(): true and false are ints to Python, not minutes.
            whole = len(item) == 2 and type(item[0]) is int and type(item[1]) is int
            if not (whole and 0 <= item[0] < item[1] <= MINUTES_PER_WEEK):
                raise InvalidData(
                    field, f"must be [start, end] in minutes of the UTC week, 0 to {MINUTES_PER_WEEK}"
                )
            windows.append(WeeklyWindow(item[0], item[1]))
            continue
        window = mapping(item, field)
        _known_keys(window, WINDOW_KEYS, field, "window")
        days = _strings(window, "days", field, required=True)
        starts, ends = window.get("from"), window.get("to")
        require(
            isinstance(starts, str) and isinstance(ends, str), field, 'needs "from" and "to" times like 18:00'
        )
        try:
            windows.extend(local_windows(days, str(starts), str(ends), offset))
        except ValueError as error:
            raise InvalidData(field, str(error)) from error
    return tuple(windows)


def read_seeker(raw: Any, where: str, supporter_ids: set[str]) -> Seeker:
    record = mapping(raw, where)
    _known_keys(record, SEEKER_KEYS, where, "seeker")
    excluded = _strings_or_ids(record, "excluded_supporters", where)
    for index, identifier in enumerate(excluded):
        if identifier not in supporter_ids:
            raise InvalidData(
                f"{where}.excluded_supporters[{index}]", f"no supporter has the id '{identifier}'"
            )
    distance = (
        _number(record, "max_distance_km", where) if "max_distance_km" in record else DEFAULT_MAX_DISTANCE_KM
    )
    require(distance > 0, at(where, "max_distance_km"), "must be more than 0")
    offset = _utc_offset(record, where)
    return Seeker(
        id=record_id(record, where),
        languages=_languages(record, where),
        topics=_topics(record, where),
        availability=_availability(record, where, offset),
        modalities=_modalities(record, where, required=False),
        location=_location(record, where),
        max_distance_km=distance,
        excluded_supporter_ids=frozenset(excluded),
        experience=optional_text(record, "experience", where),
        utc_offset_minutes=offset,
    )


def _strings_or_ids(raw: Mapping[str, Any], key: str, where: str) -> list[str]:
    value = raw.get(key, [])
    if not isinstance(value, list):
        raise InvalidData(at(where, key), "must be a list")
    for index, item in enumerate(value):
        if isinstance(item, bool) or not isinstance(item, str | int):
            raise InvalidData(f"{where}.{key}[{index}]", "must be an id: text or a whole number")
    return [str(item) for item in value]


def read_supporter(raw: Any, where: str, *, scored: bool = False) -> Supporter:
    """A supporter's profile; with `scored`, only the id and places (scores are given)."""
    record = mapping(raw, where)
    _known_keys(record, SUPPORTER_KEYS, where, "supporter")
    capacity = integer(record, "capacity", where)
    if capacity < 0:
        raise InvalidData(at(where, "capacity"), f"{capacity} is negative: must be 0 or more")
    load = integer(record, "current_load", where) if "current_load" in record else 0
    if not 0 <= load <= capacity:
        raise InvalidData(at(where, "current_load"), f"must be from 0 to the capacity ({capacity})")
    identifier = record_id(record, where)
    if scored:
        return Supporter(identifier, (), capacity, load)
    offset = _utc_offset(record, where)
    return Supporter(
        id=identifier,
        languages=_languages(record, where),
        capacity=capacity,
        current_load=load,
        topics=_topics(record, where),
        availability=_availability(record, where, offset),
        modalities=_modalities(record, where, required=True),
        location=_location(record, where),
        experience=optional_text(record, "experience", where),
    )
