"""`GET /api/v1/services/search`: the people-facing directory search over JSON.

The parameters are read by the same code as the web page (`selectors.find`), so both accept and
refuse the same things; a refusal is a 422 naming the parameter. Anonymous use stores nothing.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from carepath.crisis.selectors import chosen_region_code
from carepath.directory.selectors.find import find_services
from carepath.directory.selectors.search_cards import ServiceCard

router = Router(tags=["directory"])


class SearchParameters(Schema):
    """Documented for the OpenAPI schema; values are read and checked by `parse_query`."""

    q: str = Field("", description="words to search for (stemmed, accents ignored)")
    near: str = Field("", description="a town, a US ZIP code or a postal code listed in the directory")
    lat: str = Field("", description="latitude, with lon, instead of near")
    lon: str = Field("", description="longitude, with lat")
    radius_km: str = Field("", description="0.1 to 200 (default 10)")
    virtual: str = Field("", description="include (default), only or exclude online and phone services")
    open: str = Field("", description="any (default), now, or at (with the at parameter)")
    at: str = Field("", description="date and time for open=at, e.g. 2026-12-01T18:30")
    tz: str = Field("", description="time zone for open and at, e.g. Europe/London")
    cost: list[str] = Field([], description="free, sliding_scale, insurance: any of them")
    max_cost: str = Field("", description="the cheapest session costs at most this (listing's currency)")
    language: list[str] = Field([], description="language codes, e.g. en, cy, fr: any of them")
    modality: list[str] = Field([], description="in_person, online, phone: any of them")
    support_type: list[str] = Field([], description="peer, professional, hybrid, self_help, crisis")
    topic: list[str] = Field([], description="lived-experience topic codes, e.g. anxiety")
    age: str = Field("", description="the person's age in years")
    capacity: str = Field("", description="true: only services with a place free now")
    sort: str = Field("", description="best (default), relevance, distance or name")
    page: str = Field("", description="1 or more")
    per_page: str = Field("", description="1 to 50 (default 20)")


class PlaceOut(Schema):
    label: str
    latitude: float
    longitude: float
    country: str


class SearchOut(Schema):
    place: PlaceOut | None
    results: list[ServiceCard]  # the selector's card, so the API and the page show the same facts
    page: int
    per_page: int
    has_more: bool
    capped: bool = Field(
        description="a search bound was reached: narrow the search to see everything that fits"
    )
    searched_radius_km: float | None = Field(
        default=None,
        description="so many services are listed near the place that the search stopped at this radius",
    )


def home_country(request: HttpRequest) -> str:
    """The person's country from their crisis-help region (GB-ENG -> GB); "" for the international one."""
    code = chosen_region_code(request).split("-")[0]
    return code if len(code) == 2 else ""


@router.get("/services/search", response=SearchOut, summary="Search the directory for services")
def search(request: HttpRequest, filters: Query[SearchParameters]) -> dict[str, Any]:
    found = find_services(dict(request.GET.lists()), home_country=home_country(request), now=timezone.now())
    place = found.place
    return {
        "place": None
        if place is None
        else {
            "label": place.label,
            "latitude": place.point.latitude,
            "longitude": place.point.longitude,
            "country": place.country,
        },
        "results": found.cards,
        "page": found.query.page,
        "per_page": found.query.per_page,
        "has_more": found.has_more,
        "capped": found.capped,
        "searched_radius_km": found.searched_radius_km,
    }
