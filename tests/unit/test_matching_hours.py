"""Weekly hours for matching: local windows to UTC, half-hour slots, shared hours in words."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carepath_core.errors import InvalidData
from carepath_core.matching import WeeklyWindow, local_windows
from carepath_core.matching.profiles import MINUTES_PER_DAY, MINUTES_PER_WEEK
from carepath_core.matching.weekly_hours import shared_hours_sentence, slot_bits
from tests.unit.matching_fixtures import shared_whole_half_hours

TUESDAY = MINUTES_PER_DAY


def test_local_hours_become_utc_minutes_of_the_week() -> None:
    assert local_windows(["TU"], "18:00", "21:00", 60) == (
        WeeklyWindow(TUESDAY + 17 * 60, TUESDAY + 20 * 60),
    )
    assert local_windows(["tu", "TH"], "09:30", "10:00") == (
        WeeklyWindow(TUESDAY + 570, TUESDAY + 600),
        WeeklyWindow(3 * MINUTES_PER_DAY + 570, 3 * MINUTES_PER_DAY + 600),
    )


def test_hours_past_midnight_and_past_the_end_of_the_week_wrap() -> None:
    assert local_windows(["FR"], "22:00", "01:00") == (
        WeeklyWindow(4 * MINUTES_PER_DAY + 22 * 60, 5 * MINUTES_PER_DAY + 60),
    )
    assert local_windows(["SU"], "23:00", "02:00") == (
        WeeklyWindow(MINUTES_PER_WEEK - 60, MINUTES_PER_WEEK),
        WeeklyWindow(0, 120),
    )
    # Monday 00:30 at UTC+01:00 is Sunday 23:30 UTC.
    assert local_windows(["MO"], "00:30", "01:30", 60) == (
        WeeklyWindow(MINUTES_PER_WEEK - 30, MINUTES_PER_WEEK),
        WeeklyWindow(0, 30),
    )
    assert local_windows(["MO"], "20:00", "24:00") == (WeeklyWindow(20 * 60, MINUTES_PER_DAY),)


@pytest.mark.parametrize(
    ("days", "starts", "ends", "problem"),
    [(["XX"], "18:00", "19:00", "day code"), (["MO"], "25:00", "26:00", "time of day"),
     (["MO"], "6pm", "7pm", "time like"), (["MO"], "18:00", "18:00", "same time")],
)  # fmt: skip
def test_unreadable_hours_are_refused(days: list[str], starts: str, ends: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        local_windows(days, starts, ends)


def test_a_window_must_lie_in_the_week() -> None:
    with pytest.raises(InvalidData):
        WeeklyWindow(100, 100)
    with pytest.raises(InvalidData):
        WeeklyWindow(0, MINUTES_PER_WEEK + 1)


def test_only_whole_half_hours_count() -> None:
    assert slot_bits([WeeklyWindow(0, 30)]) == 1
    assert slot_bits([WeeklyWindow(0, 59)]) == 1
    assert slot_bits([WeeklyWindow(1, 60)]) == 0b10
    assert slot_bits([WeeklyWindow(10, 40)]) == 0
    # Touching windows join: 18:00-18:15 and 18:15-19:00 make two whole slots.
    assert slot_bits([WeeklyWindow(1080, 1095), WeeklyWindow(1095, 1140)]).bit_count() == 2


windows = st.lists(
    st.tuples(st.integers(0, MINUTES_PER_WEEK - 1), st.integers(1, 600)).map(
        lambda pair: WeeklyWindow(pair[0], min(pair[0] + pair[1], MINUTES_PER_WEEK))
    ),
    max_size=4,
).map(tuple)


@given(windows, windows)
def test_shared_slots_match_a_minute_by_minute_count(
    ours: tuple[WeeklyWindow, ...], theirs: tuple[WeeklyWindow, ...]
) -> None:
    assert (slot_bits(ours) & slot_bits(theirs)).bit_count() == shared_whole_half_hours(ours, theirs)


def test_shared_hours_in_words_in_the_persons_own_time() -> None:
    ours = slot_bits(local_windows(["TU", "TH"], "18:00", "21:00", 60))
    theirs = slot_bits(local_windows(["TU", "TH", "SA"], "17:00", "23:00"))
    assert shared_hours_sentence(ours & theirs, 60) == (
        "Your free hours overlap on Tuesday and Thursday evenings (6 hours a week)"
    )


def test_shared_hours_group_days_and_parts_of_the_day() -> None:
    every_night = slot_bits(local_windows(["MO", "TU", "WE", "TH", "FR", "SA", "SU"], "22:00", "02:00"))
    assert shared_hours_sentence(every_night, 0) == "Your free hours overlap every night (28 hours a week)"
    weekdays = slot_bits(local_windows(["MO", "TU", "WE", "TH", "FR"], "09:00", "10:30"))
    weekend = slot_bits(local_windows(["SA", "SU"], "13:00", "14:00"))
    assert shared_hours_sentence(weekdays | weekend, 0) == (
        "Your free hours overlap on weekday mornings and on weekend afternoons (9.5 hours a week)"
    )
    # The small hours of Saturday belong to Friday night.
    late = slot_bits(local_windows(["SA"], "00:00", "01:00"))
    assert shared_hours_sentence(late, 0) == "Your free hours overlap on Friday nights (1 hour a week)"
    assert shared_hours_sentence(0, 0) is None
