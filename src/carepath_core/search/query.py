"""A person's directory search, read and checked: every problem names its field.

Parameters arrive as text (a web form or a URL query), each name with one or more values, and
leave as a `ServiceQuery` whose every value is known to be usable. Search limits live here, so the
web page and the API refuse the same things with the same words.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from carepath_core.errors import InvalidData
from carepath_core.search.costs import CostKind
from carepath_core.search.geo import MAX_LATITUDE_FOR_RADIUS, Point
from carepath_core.search.text import query_words
from carepath_core.vocabulary.language_codes import search_language

SUPPORT_TYPES = ("peer", "professional", "hybrid", "self_help", "crisis")
MODALITIES = ("in_person", "online", "phone")
VIRTUAL_CHOICES = ("include", "only", "exclude")
OPEN_CHOICES = ("any", "now", "at")
SORTS = ("best", "relevance", "distance", "name")
DEFAULT_RADIUS_KM = 10.0
MAX_RADIUS_KM = 200.0
MAX_TEXT_LENGTH = 200
MAX_PER_PAGE = 50
MAX_RESULTS_DEPTH = 500  # page x per_page: deeper pages help nobody and cost the server
MAX_CHOICES = 20  # values of one multi-valued filter
MAX_AGE = 120

Params = Mapping[str, Sequence[str]]


@dataclass(frozen=True)
class ServiceQuery:
    text: str = ""
    words: tuple[str, ...] = ()
    near: str = ""  # a place name or postal code, resolved by the caller's gazetteer
    position: Point | None = None  # given as latitude and longitude
    radius_km: float = DEFAULT_RADIUS_KM
    virtual: str = "include"
    open: str = "any"
    at: dt.datetime | None = None  # the moment "open" refers to, with its time zone
    costs: frozenset[str] = frozenset()
    max_cost: Decimal | None = None
    languages: frozenset[str] = frozenset()
    modalities: frozenset[str] = frozenset()
    support_types: frozenset[str] = frozenset()
    topics: frozenset[str] = frozenset()
    age: int | None = None
    capacity: bool = False
    sort: str = "best"
    page: int = 1
    per_page: int = 20
    unknown: tuple[str, ...] = field(default=())

    @property
    def has_place(self) -> bool:
        return bool(self.near) or self.position is not None

    @property
    def order(self) -> str:
        """What results are ordered by: "best" means by relevance with words, else by distance."""
        if self.sort != "best":
            return self.sort
        if self.words:
            return "relevance"
        return "distance" if self.has_place else "name"


def _printable(name: str, value: str) -> str:
    """Control characters (NUL above all, which no PostgreSQL text can hold) are refused, not stripped."""
    if any(ord(char) < 32 or ord(char) == 127 for char in value):
        raise InvalidData(name, "contains control characters")
    return value


def _one(params: Params, name: str) -> str:
    values = [_printable(name, value) for value in params.get(name, ()) if value.strip() != ""]
    if len(values) > 1:
        raise InvalidData(name, "give one value only")
    return values[0].strip() if values else ""


def _many(params: Params, name: str, allowed: Sequence[str] | None = None) -> frozenset[str]:
    values: set[str] = set()
    for raw in params.get(name, ()):
        _printable(name, raw)
        values |= {part.strip() for part in raw.split(",") if part.strip()}
    if len(values) > MAX_CHOICES:
        raise InvalidData(name, f"give at most {MAX_CHOICES} values")
    if allowed is not None:
        wrong = sorted(values - set(allowed))
        if wrong:
            raise InvalidData(name, f"'{wrong[0]}' is not one of: {', '.join(allowed)}")
    return frozenset(values)


def _choice(params: Params, name: str, allowed: Sequence[str], default: str) -> str:
    value = _one(params, name) or default
    if value not in allowed:
        raise InvalidData(name, f"must be one of: {', '.join(allowed)}")
    return value


def _number(params: Params, name: str, low: float, high: float) -> float | None:
    text = _one(params, name)
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise InvalidData(name, "must be a number") from None
    if not math.isfinite(value) or not low <= value <= high:
        raise InvalidData(name, f"must be between {low:g} and {high:g}")
    return value


def _whole(params: Params, name: str, low: int, high: int, default: int | None) -> int | None:
    text = _one(params, name)
    if not text:
        return default
    if not text.isdigit():
        raise InvalidData(name, "must be a whole number")
    value = int(text)
    if not low <= value <= high:
        raise InvalidData(name, f"must be between {low} and {high}")
    return value


def _flag(params: Params, name: str) -> bool:
    value = _one(params, name).lower()
    if value in ("", "0", "false", "no", "off"):
        return False
    if value in ("1", "true", "yes", "on"):
        return True
    raise InvalidData(name, "must be true or false")


def _position(params: Params) -> Point | None:
    latitude = _number(params, "lat", -MAX_LATITUDE_FOR_RADIUS, MAX_LATITUDE_FOR_RADIUS)
    longitude = _number(params, "lon", -180, 180)
    if (latitude is None) != (longitude is None):
        raise InvalidData("lat" if latitude is None else "lon", "give latitude and longitude together")
    return None if latitude is None or longitude is None else Point(latitude, longitude)


def _zone(params: Params, default_zone: str) -> ZoneInfo:
    name = _one(params, "tz") or default_zone
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidData(
            "tz", f"'{name}' is not a known time zone (use a name such as Europe/London)"
        ) from None


def _moment(params: Params, choice: str, now: dt.datetime, default_zone: str) -> dt.datetime | None:
    if choice == "any":
        return None
    zone = _zone(params, default_zone)
    if choice == "now":
        return now.astimezone(zone)
    text = _one(params, "at")
    if not text:
        raise InvalidData("at", "give the date and time to check opening hours for")
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise InvalidData("at", "must be a date and time such as 2026-12-01T18:30") from None
    return moment.replace(tzinfo=zone) if moment.tzinfo is None else moment


def _max_cost(params: Params) -> Decimal | None:
    text = _one(params, "max_cost")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise InvalidData("max_cost", "must be an amount such as 40") from None
    if not value.is_finite() or value < 0 or value > 100_000:
        raise InvalidData("max_cost", "must be between 0 and 100000")
    return value


def parse_query(params: Params, *, now: dt.datetime, default_zone: str = "UTC") -> ServiceQuery:
    """Read a search; raises InvalidData naming the first field with a problem."""
    text = _one(params, "q")
    if len(text) > MAX_TEXT_LENGTH:
        raise InvalidData("q", f"use at most {MAX_TEXT_LENGTH} characters")
    near = _one(params, "near")
    if len(near) > MAX_TEXT_LENGTH:
        raise InvalidData("near", f"use at most {MAX_TEXT_LENGTH} characters")
    position = _position(params)
    if near and position is not None:
        raise InvalidData("near", "give a place or a latitude and longitude, not both")
    open_choice = _choice(params, "open", OPEN_CHOICES, "any")
    page = _whole(params, "page", 1, MAX_RESULTS_DEPTH, 1) or 1
    per_page = _whole(params, "per_page", 1, MAX_PER_PAGE, 20) or 20
    if page * per_page > MAX_RESULTS_DEPTH:
        raise InvalidData("page", f"results stop at number {MAX_RESULTS_DEPTH}: narrow the search instead")
    sort = _choice(params, "sort", SORTS, "best")
    query = ServiceQuery(
        text=text,
        words=tuple(query_words(text)),
        near=near,
        position=position,
        radius_km=_number(params, "radius_km", 0.1, MAX_RADIUS_KM) or DEFAULT_RADIUS_KM,
        virtual=_choice(params, "virtual", VIRTUAL_CHOICES, "include"),
        open=open_choice,
        at=_moment(params, open_choice, now, default_zone),
        costs=_many(params, "cost", CostKind.ALL),
        max_cost=_max_cost(params),
        languages=frozenset(search_language(code) for code in _many(params, "language")),
        modalities=_many(params, "modality", MODALITIES),
        support_types=_many(params, "support_type", SUPPORT_TYPES),
        topics=_many(params, "topic"),
        age=_whole(params, "age", 0, MAX_AGE, None),
        capacity=_flag(params, "capacity"),
        sort=sort,
        page=page,
        per_page=per_page,
    )
    if sort == "distance" and not query.has_place:
        raise InvalidData("sort", "sorting by distance needs a place")
    if sort == "relevance" and not query.words:
        raise InvalidData("sort", "sorting by relevance needs words to search for")
    if query.virtual == "only" and query.modalities == {"in_person"}:
        raise InvalidData("modality", "in person cannot be combined with online or phone only")
    return query
