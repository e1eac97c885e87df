"""Weekly hours as coordinators edit them: the rows they become are exactly what "open now" reads."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carepath_core.directory_hours import (
    Opening,
    WeeklyHours,
    offset_label,
    overlapping,
    read_offset_label,
    row_values,
    schedule_rows,
    split_schedules,
    standard_offset_minutes,
    usable_offset,
    week_of,
)
from carepath_core.search import hours as search_hours

MINUTES_PER_WEEK = 7 * 24 * 60


def nine_to(closes: int, opens: int = 9 * 60) -> Opening:
    return Opening(opens, closes)


def covered_by_rows(hours: WeeklyHours) -> set[int]:
    rows = [row_values(row, hours) for row in schedule_rows(hours)]
    windows = search_hours.service_windows(rows) or []
    return {minute % MINUTES_PER_WEEK for window in windows for minute in range(window.start, window.end)}


def covered_by_form(hours: WeeklyHours) -> set[int]:
    """What the form means: each opening, from its day's local midnight, moved to UTC by the offset."""
    minutes = set()
    for day, openings in enumerate(hours.days):
        for opening in openings:
            for minute in range(opening.opens, opening.end):
                minutes.add((day * 24 * 60 + minute - hours.offset_minutes) % MINUTES_PER_WEEK)
    return minutes


openings = st.builds(Opening, st.integers(0, 1439), st.integers(0, 1439)).filter(
    lambda opening: opening.opens != opening.closes
)
weeks = st.lists(st.lists(openings, max_size=3), min_size=7, max_size=7).map(
    lambda days: week_of(dict(enumerate(days)))
)
offsets = st.integers(-48, 56).map(lambda quarters: quarters * 15)


@given(weeks, offsets)
def test_the_rows_open_exactly_when_the_form_says(week: Any, offset: int) -> None:
    hours = WeeklyHours(week, offset, "In person")
    assert covered_by_rows(hours) == covered_by_form(hours)


@given(weeks, offsets)
def test_rows_read_back_into_the_same_hours(week: Any, offset: int) -> None:
    hours = WeeklyHours(week, offset, "Online")
    rows = [{"id": str(n), **row_values(row, hours)} for n, row in enumerate(schedule_rows(hours))]
    split = split_schedules(rows, default_offset_minutes=0)
    if hours.empty:
        assert split.hours is None and not split.kept
    else:
        assert split.hours == hours and not split.kept and len(split.editable) == len(rows)


def test_days_with_the_same_times_share_one_row() -> None:
    morning, afternoon = nine_to(12 * 60), Opening(13 * 60, 17 * 60)
    week = week_of({0: [afternoon, morning], 1: [nine_to(17 * 60)], 2: [nine_to(17 * 60)], 5: [morning]})
    hours = WeeklyHours(week, 0)
    assert [(row.byday, row.opening) for row in schedule_rows(hours)] == [
        ("MO,SA", morning),
        ("MO", afternoon),
        ("TU,WE", nine_to(17 * 60)),
    ]
    values = row_values(schedule_rows(hours)[0], WeeklyHours(week, 330, "In person"))
    assert values == {
        "freq": "WEEKLY",
        "byday": "MO,SA",
        "opens_at": "09:00",
        "closes_at": "12:00",
        "timezone": Decimal("5.5"),
        "attending_type": "In person",
    }


def test_closing_at_2359_is_midnight_and_an_earlier_closing_runs_past_it() -> None:
    assert Opening(22 * 60, 23 * 60 + 59).end == 24 * 60
    assert Opening(22 * 60, 2 * 60).end == 26 * 60
    assert overlapping([nine_to(12 * 60), Opening(12 * 60, 14 * 60)]) == []  # touching is not overlapping
    assert overlapping([nine_to(12 * 60), Opening(11 * 60, 13 * 60), Opening(13 * 60, 14 * 60)]) == [(1, 0)]
    assert overlapping([Opening(22 * 60, 2 * 60), Opening(23 * 60, 23 * 60 + 30)]) == [(1, 0)]


ROW = {
    "id": "a",
    "freq": "WEEKLY",
    "byday": "MO,TU",
    "opens_at": "09:00",
    "closes_at": "17:00",
    "timezone": None,
}


@pytest.mark.parametrize(
    "change",
    [
        {"freq": "MONTHLY", "byday": "1MO"},
        {"interval": 2},
        {"count": 10},
        {"valid_from": "2026-01-01"},
        {"until": "2026-12-31"},
        {"bymonthday": "1"},
        {"byday": "1MO"},
        {"byday": ""},
        {"opens_at": "09:00:30"},
        {"opens_at": "09:00+01:00"},  # the closing time has no offset: not one reading
        {"closes_at": "09:00"},  # the search reads it as open all day
        {"notes": "Except bank holidays"},
        {"schedule_link": "https://example.org/book"},
        {"timezone": Decimal("5.1")},
        {"opens_at": ""},
    ],
)
def test_rows_that_mean_more_than_weekly_hours_are_kept(change: dict[str, Any]) -> None:
    split = split_schedules([{**ROW, **change}], default_offset_minutes=0)
    assert split.hours is None and split.kept == ("a",)


def test_rows_without_an_offset_are_read_in_the_default_and_other_offsets_are_kept() -> None:
    rows = [
        ROW,
        {**ROW, "id": "b", "byday": "WE", "timezone": Decimal(1)},
        {**ROW, "id": "c", "byday": "TH", "opens_at": "10:00+01:00", "closes_at": "12:00+01:00"},
        {**ROW, "id": "d", "freq": "DAILY", "byday": "", "timezone": Decimal(-5)},
    ]
    split = split_schedules(rows, default_offset_minutes=60)
    assert split.editable == ("a", "b", "c") and split.kept == ("d",)
    assert split.hours is not None and split.hours.offset_minutes == 60
    assert [len(day) for day in split.hours.days] == [1, 1, 1, 1, 0, 0, 0]


def test_a_daily_rule_is_every_day() -> None:
    split = split_schedules([{**ROW, "freq": "DAILY", "byday": ""}], default_offset_minutes=0)
    assert split.hours is not None and all(day == (nine_to(17 * 60),) for day in split.hours.days)


def test_time_zones_become_their_standard_offset() -> None:
    assert standard_offset_minutes("Europe/London", 2026) == 0
    assert standard_offset_minutes("America/Toronto", 2026) == -300
    assert standard_offset_minutes("Australia/Sydney", 2026) == 600  # January is summer there
    assert standard_offset_minutes("Asia/Kolkata", 2026) == 330
    assert standard_offset_minutes("Mars/Olympus", 2026) is None
    assert (
        offset_label(330) == "UTC+05:30"
        and offset_label(-210) == "UTC-03:30"
        and offset_label(0) == "UTC+00:00"
    )
    assert read_offset_label("utc-03:30") == -210 and read_offset_label("GMT+1") is None
    assert usable_offset(14 * 60) and not usable_offset(15 * 60) and not usable_offset(20)
