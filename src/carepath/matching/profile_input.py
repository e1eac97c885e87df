"""Reading a profile or a person's wishes from a plain document, with problems that name the field.

The fields matching compares (languages, topics, hours, ways of meeting, place) are read by the
core's own reader for `carepath assign` files, so a profile stored here and a record in an
assignment file are checked by the same rules. The fields only Carepath keeps (training,
supervisor, the linked service) are checked here.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from carepath.errors import FieldProblem
from carepath_core.errors import InvalidData
from carepath_core.matching import Seeker, Supporter
from carepath_core.matching.instance_profiles import read_seeker, read_supporter

MATCHING_KEYS = frozenset({"languages", "topics", "availability", "utc_offset", "modalities", "location"})
SUPPORTER_KEYS = MATCHING_KEYS | {
    "experience", "capacity", "current_load", "shared_identity", "max_distance_km", "training",
    "trained_on", "certification", "certified_on", "supervisor_name", "confidentiality_statement",
    "service_id", "active",
}  # fmt: skip
PROFESSIONAL_KEYS = MATCHING_KEYS - {"topics", "location"} | {
    "capacity", "licence_type", "licence_body", "licence_number", "cost", "insurance", "service_id",
    "active",
}  # fmt: skip
WISHES_KEYS = MATCHING_KEYS | {"experience", "max_distance_km", "excluded_supporters", "stated_preferences"}
TEXT_LIMITS = {
    "training": 200, "certification": 200, "supervisor_name": 120, "licence_type": 120,
    "licence_body": 200, "licence_number": 60, "experience": 4000, "shared_identity": 1000,
    "confidentiality_statement": 4000, "stated_preferences": 1000, "cost": 1000, "insurance": 1000,
}  # fmt: skip
# How many people one supporter may see at once: more is a caseload, not peer support.
MOST_PLACES = 50


@dataclass(frozen=True)
class MatchingFields:
    """What the core read, in the form the models keep."""

    languages: list[str]
    topics: list[str]
    hours: list[Any]
    utc_offset: str
    availability: list[list[int]]
    modalities: list[str]
    latitude: float | None
    longitude: float | None


def _field_problem(error: InvalidData) -> FieldProblem:
    # The core names fields from the root of an assignment file; here the root has no name.
    return FieldProblem(error.field.lstrip("."), error.problem)


def only_known(data: Mapping[str, Any], allowed: frozenset[str], kind: str) -> None:
    for key in data:
        if key not in allowed:
            raise FieldProblem(key, f"is not a field of {kind}")


def read_supporter_fields(data: Mapping[str, Any]) -> tuple[Supporter, MatchingFields]:
    core = {
        key: data[key] for key in MATCHING_KEYS | {"capacity", "current_load", "experience"} if key in data
    }
    core.setdefault("capacity", 0)
    core.setdefault("current_load", 0)
    if isinstance(core["capacity"], int) and core["capacity"] > MOST_PLACES:
        raise FieldProblem("capacity", f"must be {MOST_PLACES} or fewer")
    try:
        supporter = read_supporter({**core, "id": "profile"}, "")
    except InvalidData as error:
        raise _field_problem(error) from error
    return supporter, _kept(data, supporter.availability, supporter.location)


def read_seeker_fields(data: Mapping[str, Any], supporter_ids: set[str]) -> tuple[Seeker, MatchingFields]:
    keys = MATCHING_KEYS | {"experience", "max_distance_km", "excluded_supporters"}
    core = {key: data[key] for key in keys if key in data and data[key] is not None}
    try:
        seeker = read_seeker({**core, "id": "wishes"}, "", supporter_ids)
    except InvalidData as error:
        raise _field_problem(error) from error
    return seeker, _kept(data, seeker.availability, seeker.location)


def _kept(data: Mapping[str, Any], windows: Any, location: Any) -> MatchingFields:
    return MatchingFields(
        languages=list(data.get("languages", [])),
        topics=list(data.get("topics", [])),
        hours=list(data.get("availability", [])),
        utc_offset="+00:00" if data.get("utc_offset") in (None, "Z") else str(data["utc_offset"]),
        availability=[[window.start, window.end] for window in windows],
        modalities=list(data.get("modalities", [])),
        latitude=None if location is None else location.latitude,
        longitude=None if location is None else location.longitude,
    )


def text(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key) or ""
    if not isinstance(value, str):
        raise FieldProblem(key, "must be text")
    limit = TEXT_LIMITS.get(key, 200)
    if len(value) > limit:
        raise FieldProblem(key, f"is {len(value)} characters long: keep it to {limit}")
    return value.strip()


def past_date(data: Mapping[str, Any], key: str, today: dt.date) -> dt.date | None:
    value = data.get(key)
    if value in (None, ""):
        return None
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError as error:
            raise FieldProblem(key, f"'{value}' is not a date like 2026-03-01") from error
    if not isinstance(value, dt.date):
        raise FieldProblem(key, "must be a date like 2026-03-01")
    if value > today:
        raise FieldProblem(key, "cannot be in the future")
    return value


def distance(data: Mapping[str, Any], key: str = "max_distance_km") -> float | None:
    value = data.get(key)
    if value is None:
        return None
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or value <= 0
    ):
        raise FieldProblem(key, "must be a number of kilometres more than 0")
    return float(value)


def flag(data: Mapping[str, Any], key: str, default: bool = True) -> bool:
    value = data.get(key, default)
    if not isinstance(value, bool):
        raise FieldProblem(key, "must be true or false")
    return value
