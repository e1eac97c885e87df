"""Reading HSDS values and the checks beyond the schema: schedules and coordinates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from carepath.interop.hsds_tables import TABLES
from carepath.interop.hsds_values import (
    BadValue,
    RoundedValue,
    position_problems,
    read_value,
    schedule_problems,
)

SCHEDULE, SERVICE, LOCATION = TABLES["schedule"], TABLES["service"], TABLES["location"]


@pytest.mark.parametrize(
    ("table", "column", "raw", "stored"),
    [
        (SERVICE, "name", "Listening", "Listening"),
        (SERVICE, "name", "", None),
        (SERVICE, "minimum_age", "12", Decimal(12)),
        (SERVICE, "minimum_age", 12.5, Decimal("12.5")),
        (SERVICE, "assured_date", "2005-01-01", dt.date(2005, 1, 1)),
        (SERVICE, "last_modified", "2024-09-25T14:23:06.5+01:00", "2024-09-25T14:23:06.5+01:00"),
        (SCHEDULE, "count", Decimal("3.0"), 3),
        (SCHEDULE, "opens_at", "09:00-05:00", "09:00-05:00"),
        (SCHEDULE, "opens_at", "10:00", "10:00"),
        (LOCATION, "latitude", "100", Decimal(100)),
    ],
)
def test_values_are_stored_as_given(table: Any, column: str, raw: Any, stored: Any) -> None:
    assert read_value(table, column, raw) == stored


@pytest.mark.parametrize(
    ("table", "column", "raw", "problem"),
    [
        (SERVICE, "name", 3, "must be text"),
        (SERVICE, "minimum_age", "twelve", "must be a number"),
        (SERVICE, "minimum_age", True, "must be a number"),
        (SCHEDULE, "count", "2.5", "must be a whole number"),
        (SCHEDULE, "count", "9999999999", "is too large"),
        (SERVICE, "assured_date", "2005-02-30", "is not a date written YYYY-MM-DD"),
        (SERVICE, "assured_date", "1/1/2005", "is not a date written YYYY-MM-DD"),
        (SERVICE, "last_modified", "yesterday", "is not an RFC 3339 date and time"),
        (SCHEDULE, "closes_at", "6pm", "is not a time"),
    ],
)
def test_bad_values_name_the_problem(table: Any, column: str, raw: Any, problem: str) -> None:
    with pytest.raises(BadValue, match=problem):
        read_value(table, column, raw)


def test_more_decimal_places_than_stored_are_rounded_and_said() -> None:
    with pytest.raises(RoundedValue) as rounded:
        read_value(LOCATION, "latitude", "51.50735090000000123")
    assert rounded.value.value == Decimal("51.507350900000")
    assert "more than 12 decimal places" in rounded.value.problem


def test_a_good_schedule_has_no_problems() -> None:
    rules = {"freq": "MONTHLY", "byday": "2MO,-1FR", "bymonthday": "1,-5", "interval": 1, "wkst": "MO"}
    assert schedule_problems(rules) == []


@pytest.mark.parametrize(
    ("rules", "field"),
    [
        ({"freq": "YEARLY"}, "freq"),
        ({"wkst": "MONDAY"}, "wkst"),
        ({"freq": "MONTHLY", "byday": "6MO"}, "byday"),
        ({"freq": "WEEKLY", "byday": "1MO"}, "byday"),
        ({"byweekno": "54"}, "byweekno"),
        ({"byyearday": "x"}, "byyearday"),
        ({"count": 0}, "count"),
        ({"timezone": Decimal(15)}, "timezone"),
        ({"valid_from": dt.date(2025, 2, 1), "valid_to": dt.date(2025, 1, 1)}, "valid_to"),
    ],
)
def test_schedule_rules_a_calendar_cannot_use_are_named(rules: dict[str, Any], field: str) -> None:
    assert [problem_field for problem_field, _problem in schedule_problems(rules)] == [field]


@pytest.mark.parametrize(
    ("latitude", "longitude", "usable", "fields"),
    [
        (Decimal("51.5"), Decimal("-0.12"), True, []),
        (None, None, False, []),
        (Decimal(100), Decimal(101), False, ["latitude"]),
        (Decimal(10), Decimal(-181), False, ["longitude"]),
        (Decimal(10), None, False, ["latitude"]),
    ],
)
def test_positions_are_usable_only_when_complete_and_in_range(
    latitude: Decimal | None, longitude: Decimal | None, usable: bool, fields: list[str]
) -> None:
    result, problems = position_problems({"latitude": latitude, "longitude": longitude})
    assert result is usable
    assert [field for field, _problem in problems] == fields
