"""Where demo listings are: real towns, jittered positions, plausible postcodes, fictional phones."""

from __future__ import annotations

import math
import random
import re

import pytest

from carepath.demo.directory_phones import (
    AU_FICTIONAL_MOBILES,
    fictional_number,
    is_reserved_number,
)
from carepath.demo.directory_postcodes import (
    AU_STATES,
    GB_POSTCODE_AREAS,
    US_ZIP_PREFIXES,
    postal_code,
    state_province,
)
from carepath.demo.directory_towns import (
    COUNTRY_SHARES,
    KILOMETRES_PER_DEGREE,
    TownPicker,
    standard_offset_hours,
    towns,
)

CANADIAN = re.compile(r"^[ABCEGHJKLMNPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] \d[ABCEGHJ-NPRSTV-Z]\d$")
BRITISH = re.compile(r"^[A-Z]{1,2}\d [1-9][ABD-HJLNP-UW-Z]{2}$")


def test_every_country_has_towns_with_positions_and_populations() -> None:
    listed = towns()
    assert set(listed) == set(COUNTRY_SHARES)
    for country, found in listed.items():
        assert len(found) >= 40, country
        assert all(town.population > 0 and -90 <= town.latitude <= 90 for town in found)


def test_picking_follows_the_country_shares() -> None:
    picker, rng = TownPicker(), random.Random(1)
    picked = [picker.pick(rng).country for _ in range(5000)]
    for country, share in COUNTRY_SHARES.items():
        assert abs(picked.count(country) / 5000 - share / 100) < 0.03, country


def test_a_jittered_position_is_within_a_few_kilometres() -> None:
    rng = random.Random(2)
    for town in towns()["GB"][:50] + towns()["NZ"][:20]:
        latitude, longitude = town.jittered(rng)
        north = (latitude - town.latitude) * KILOMETRES_PER_DEGREE
        east = (longitude - town.longitude) * KILOMETRES_PER_DEGREE * math.cos(math.radians(town.latitude))
        assert math.hypot(north, east) <= 4.01


@pytest.mark.parametrize(
    ("zone", "latitude", "hours"),
    [("Europe/London", 51.5, 0), ("America/New_York", 40.7, -5), ("Australia/Adelaide", -34.9, 9.5)],
)
def test_standard_offsets_ignore_daylight_saving(zone: str, latitude: float, hours: float) -> None:
    assert standard_offset_hours(zone, latitude) == hours


def test_us_zip_codes_are_in_the_state_s_range() -> None:
    rng = random.Random(3)
    for state, ranges in US_ZIP_PREFIXES.items():
        code = postal_code(rng, "US", state, "Anytown")
        assert code is not None and len(code) == 5 and code.isdigit()
        assert any(low <= int(code[:3]) <= high for low, high in ranges)
        assert state_province("US", state) == state


def test_canadian_and_australian_codes_fit_the_province_or_state() -> None:
    rng = random.Random(4)
    ontario = postal_code(rng, "CA", "08", "Toronto")
    assert ontario is not None and CANADIAN.match(ontario) and ontario[0] in "KLMNP"
    assert state_province("CA", "08") == "ON"
    for region, (state, ranges) in AU_STATES.items():
        code = postal_code(rng, "AU", region, "Anytown")
        assert code is not None and len(code) == 4
        assert any(low <= int(code) <= high for low, high in ranges)
        assert state_province("AU", region) == state


def test_uk_postcodes_only_for_towns_whose_area_is_known() -> None:
    rng = random.Random(5)
    for town in ("Leeds", "London", "Belfast"):
        code = postal_code(rng, "GB", "ENG", town)
        assert code is not None and BRITISH.match(code)
        assert re.match(r"^[A-Z]+", code).group(0) in GB_POSTCODE_AREAS[town]  # type: ignore[union-attr]
    assert postal_code(rng, "GB", "ENG", "Nowhere-on-Sea") is None


def test_no_postcode_where_none_can_be_plausible() -> None:
    rng = random.Random(6)
    assert postal_code(rng, "IE", "L", "Dublin") is None
    assert postal_code(rng, "NZ", "E7", "Auckland") is None


@pytest.mark.parametrize(("country", "region"), [("GB", "ENG"), ("US", "NY"), ("CA", "08"), ("AU", "02")])
def test_phone_numbers_come_only_from_fictional_ranges(country: str, region: str) -> None:
    rng = random.Random(7)
    for _ in range(300):
        number = fictional_number(rng, country, region)
        assert number is not None and is_reserved_number(country, number), number


def test_uk_numbers_cover_both_ofcom_drama_ranges_and_stay_inside_them() -> None:
    rng = random.Random(8)
    numbers = {fictional_number(rng, "GB", "ENG") for _ in range(2000)}
    assert any(str(number).startswith("07700 900") for number in numbers)
    assert any(str(number).startswith("01632 960") for number in numbers)
    assert not is_reserved_number("GB", "07700 901000") and not is_reserved_number("GB", "01632 961000")


def test_north_american_numbers_are_555_01xx_with_a_local_area_code() -> None:
    number = fictional_number(random.Random(9), "US", "NY")
    assert number is not None and number.startswith("(212) 555-01")
    assert not is_reserved_number("US", "(212) 555-0200")


def test_australian_numbers_are_acma_fictional_mobiles_and_others_have_none() -> None:
    rng = random.Random(10)
    assert {fictional_number(rng, "AU", "07") for _ in range(200)} <= set(AU_FICTIONAL_MOBILES)
    assert fictional_number(rng, "IE", "L") is None
    assert fictional_number(rng, "NZ", "E7") is None
