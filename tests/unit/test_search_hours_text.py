"""A schedule's rules in words for a result card: only what the rule says, or nothing."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carepath_core.search.hours import DAY_CODES, rule_days, weekly_windows
from carepath_core.search.hours_text import described_line, hours_line, offset_name

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
LONDON_WINTER = 0
PARIS_WINTER = 60


def weekly(
    days: str, opens: str | None = "09:00", closes: str | None = "17:00", **more: Any
) -> dict[str, Any]:
    return {"freq": "WEEKLY", "byday": days, "opens_at": opens, "closes_at": closes, **more}


@pytest.mark.parametrize(
    ("rule", "line"),
    [
        (weekly("MO,TU,WE,TH,FR", timezone=Decimal("0")), "Monday to Friday, 09:00 to 17:00."),
        ({"freq": "DAILY", "opens_at": "10:00", "closes_at": "16:00"}, "Every day, 10:00 to 16:00."),
        (weekly("TU,TH", "18:00", "20:30"), "Tuesday and Thursday, 18:00 to 20:30."),
        (weekly("SA,SU"), "Saturday and Sunday, 09:00 to 17:00."),
        (weekly("MO,WE,FR"), "Monday, Wednesday and Friday, 09:00 to 17:00."),
        (weekly("MO,TU,WE,FR"), "Monday to Wednesday and Friday, 09:00 to 17:00."),
        (weekly("mo, tu ,we,TH,fr,sa,su"), "Every day, 09:00 to 17:00."),
        (weekly("TU,MO,TU"), "Monday and Tuesday, 09:00 to 17:00."),
        # A run of days across the end of the week reads as one when it is the only one.
        (weekly("FR,SA,SU,MO"), "Friday to Monday, 09:00 to 17:00."),
        (weekly("SU,MO"), "Monday and Sunday, 09:00 to 17:00."),
        (weekly("MO,WE,SA,SU"), "Monday, Wednesday, Saturday and Sunday, 09:00 to 17:00."),
        # Seconds are not shown; a time written with the directory's offset is not labelled.
        (weekly("MO", "09:00:00", "17:30:00"), "Monday, 09:00 to 17:30."),
    ],
)
def test_days_and_times(rule: dict[str, Any], line: str) -> None:
    assert hours_line(rule, LONDON_WINTER) == line


@pytest.mark.parametrize(
    ("opens", "closes", "times"),
    [
        ("22:00", "02:00", "22:00 to 02:00 the next day"),
        ("18:00", "23:59", "18:00 to midnight"),  # hours.py END_OF_DAY
        ("18:00", "23:59:59", "18:00 to midnight"),
        ("18:00", "00:00", "18:00 to midnight"),
        ("00:00", "23:59", "all day"),
        ("00:00", "00:00", "all day"),  # hours.py reads equal times as 24 hours
        ("09:00", "09:00", "09:00 to 09:00 the next day"),
        ("09:00", None, "opens at 09:00"),
        ("09:00", "", "opens at 09:00"),
        (None, "17:00", "closes at 17:00"),
    ],
)
def test_midnight_the_next_day_and_a_missing_time(opens: str | None, closes: str | None, times: str) -> None:
    assert hours_line(weekly("SA", opens, closes), LONDON_WINTER) == f"Saturday, {times}."


def test_a_rule_with_days_and_no_times_says_so() -> None:
    assert hours_line(weekly("TU", None, None), 0) == "Tuesday (times not given)."
    assert hours_line(weekly("TU", " ", ""), 0) == "Tuesday (times not given)."


@pytest.mark.parametrize("time", ["9am", "25:00", "09:60", "nine", "09:00+1", "0900"])
def test_an_unreadable_time_gives_no_line(time: str) -> None:
    assert hours_line(weekly("MO", time, "17:00"), 0) is None
    assert hours_line(weekly("MO", "09:00", time), 0) is None


@pytest.mark.parametrize(
    ("zone", "default", "label"),
    [
        (None, PARIS_WINTER, ""),  # no offset: read in the directory's own
        ("", PARIS_WINTER, ""),
        (Decimal("1"), PARIS_WINTER, ""),
        (Decimal("0"), PARIS_WINTER, " (UTC)"),
        (1, LONDON_WINTER, " (UTC+1)"),
        (Decimal("-5"), LONDON_WINTER, " (UTC-5)"),
        (5.5, LONDON_WINTER, " (UTC+5:30)"),
        ("5.75", LONDON_WINTER, " (UTC+5:45)"),
        (Decimal("-3.5"), LONDON_WINTER, " (UTC-3:30)"),
        (14, LONDON_WINTER, " (UTC+14)"),
    ],
)
def test_the_offset_is_named_when_it_is_not_the_directorys(zone: Any, default: int, label: str) -> None:
    line = hours_line(weekly("MO", timezone=zone), default)
    assert line == f"Monday, 09:00 to 17:00{label}."


def test_an_offset_written_with_the_times_counts_and_must_agree() -> None:
    assert hours_line(weekly("MO", "09:00Z", "17:00Z", timezone=3), 0) == "Monday, 09:00 to 17:00."
    assert hours_line(weekly("MO", "09:00+02:00", "17:00+02:00"), 0) == "Monday, 09:00 to 17:00 (UTC+2)."
    assert hours_line(weekly("MO", "09:00+02:00", None), 0) == "Monday, opens at 09:00 (UTC+2)."
    assert hours_line(weekly("MO", "09:00+02:00", "17:00"), 0) is None
    assert hours_line(weekly("MO", "09:00+02:00", "17:00Z"), 0) is None


@pytest.mark.parametrize(
    "zone", ["soon", "NaN", "sNaN", "Infinity", Decimal("NaN"), 15, -13, 99.0, True, [1]]
)
def test_an_unreadable_or_impossible_offset_gives_no_line(zone: Any) -> None:
    assert hours_line(weekly("MO", timezone=zone), 0) is None


def test_an_offset_in_minutes_is_named_in_hours_and_minutes() -> None:
    assert [offset_name(minutes) for minutes in (0, 60, -300, 330, -570, 345)] == [
        "UTC", "UTC+1", "UTC-5", "UTC+5:30", "UTC-9:30", "UTC+5:45",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("dates", "said"),
    [
        ({"valid_from": dt.date(2026, 12, 1)}, ", from 1 December 2026"),
        ({"valid_to": dt.date(2027, 3, 31)}, ", until 31 March 2027"),
        ({"valid_from": "2026-12-01", "valid_to": "2027-03-31"}, ", from 1 December 2026 to 31 March 2027"),
        ({"valid_from": dt.datetime(2026, 12, 1, 9, 30)}, ", from 1 December 2026"),
        (
            {"valid_from": dt.date(2026, 12, 1), "valid_to": dt.date(2026, 12, 1)},
            ", from 1 December 2026 to 1 December 2026",
        ),
        # As hours.py: the latest start and the earliest end count.
        ({"valid_from": dt.date(2026, 1, 1), "dtstart": dt.date(2026, 5, 4)}, ", from 4 May 2026"),
        ({"valid_to": dt.date(2027, 1, 1), "until": dt.date(2026, 6, 30)}, ", until 30 June 2026"),
        ({"valid_from": "", "valid_to": None}, ""),
    ],
)
def test_dates_the_rule_applies_between(dates: dict[str, Any], said: str) -> None:
    assert hours_line(weekly("MO", **dates), 0) == f"Monday, 09:00 to 17:00{said}."


@pytest.mark.parametrize(
    ("dates", "today", "said"),
    [
        ({"valid_to": dt.date(2026, 11, 30)}, dt.date(2026, 11, 30), ", until 30 November 2026"),
        ({"valid_to": dt.date(2026, 11, 30)}, dt.date(2026, 12, 1), None),  # ended yesterday
        ({"until": "2026-06-30"}, dt.date(2026, 11, 30), None),
        ({"valid_from": dt.date(2027, 1, 1)}, dt.date(2026, 11, 30), ", from 1 January 2027"),
        ({}, dt.date(2026, 11, 30), ""),
    ],
)
def test_given_today_a_rule_that_has_ended_gives_no_line(
    dates: dict[str, Any], today: dt.date, said: str | None
) -> None:
    expected = None if said is None else f"Monday, 09:00 to 17:00{said}."
    assert hours_line(weekly("MO", **dates), 0, today=today) == expected


@pytest.mark.parametrize(
    "dates",
    [
        {"valid_from": dt.date(2027, 1, 2), "valid_to": dt.date(2027, 1, 1)},  # never applies
        {"valid_from": dt.date(2026, 1, 1), "until": dt.date(2025, 12, 31)},
        {"valid_from": "next week"},
        {"valid_to": "2026-02-30"},
        {"until": 20261201},
    ],
)
def test_dates_that_cannot_be_read_or_never_meet_give_no_line(dates: dict[str, Any]) -> None:
    assert hours_line(weekly("MO", **dates), 0) is None


@pytest.mark.parametrize(
    "rule",
    [
        {"freq": "MONTHLY", "byday": "1MO", "opens_at": "09:00", "closes_at": "17:00"},
        weekly("MO", interval=2),
        weekly("MO", count=6),
        weekly("MO", bymonthday="1,15"),
        weekly("MO", byweekno="1"),
        weekly("MO", byyearday="100"),
        weekly("1MO"),
        weekly("MO,XX"),
        weekly(""),
        {"freq": "DAILY", "byday": "MO", "opens_at": "09:00", "closes_at": "17:00"},
        {"freq": "YEARLY", "opens_at": "09:00", "closes_at": "17:00"},
        {"byday": "MO", "opens_at": "09:00", "closes_at": "17:00"},
        {"description": "Mondays."},
        {},
    ],
)
def test_rules_open_now_does_not_read_give_no_line(rule: dict[str, Any]) -> None:
    assert weekly_windows(rule) is None
    assert hours_line(rule, 0) is None


def test_every_word_is_given_to_the_translation() -> None:
    french = {
        "Monday": "lundi",
        "Friday": "vendredi",
        "December": "décembre",
        "%(first)s to %(last)s": "du %(first)s au %(last)s",
        "%(days)s, %(times)s": "%(days)s, %(times)s",
        "%(opens)s to %(closes)s": "de %(opens)s à %(closes)s",
        "%(times)s (%(offset)s)": "%(times)s (%(offset)s)",
        "%(hours)s, from %(first)s": "%(hours)s, à partir du %(first)s",
        "%(day)d %(month)s %(year)d": "%(day)d %(month)s %(year)d",
        "%(hours)s.": "%(hours)s.",
    }
    asked: list[str] = []

    def translate(message: str) -> str:
        asked.append(message)
        return french.get(message, message)

    rule = weekly("MO,TU,WE,TH,FR", timezone=1, valid_from=dt.date(2026, 12, 1))
    line = hours_line(rule, 0, translate)
    assert line == "du lundi au vendredi, de 09:00 à 17:00 (UTC+1), à partir du 1 décembre 2026."
    assert "Monday" in asked and "%(hours)s." in asked


# Properties --------------------------------------------------------------------------------------

RULE_KEYS = (
    "freq", "interval", "byday", "byweekno", "bymonthday", "byyearday", "count", "opens_at", "closes_at",
    "timezone", "valid_from", "valid_to", "dtstart", "until", "description",
)  # fmt: skip
ANY_VALUE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    # Quiet NaN only: comparing a signalling NaN raises, and no database or JSON gives one.
    st.decimals(allow_nan=True, allow_infinity=True).filter(lambda number: not number.is_snan()),
    st.text(max_size=20),
    st.sampled_from(["WEEKLY", "DAILY", "MONTHLY", "MO,FR", "1MO", "09:00", "23:59", "24:00", "2026-12-01"]),
    st.dates(),
    st.datetimes(),
    st.lists(st.integers(), max_size=2),
)
CLOCK = st.builds(lambda h, m: f"{h:02d}:{m:02d}", st.integers(0, 23), st.integers(0, 59))
DAY_SETS = st.sets(st.integers(0, 6), min_size=1)
NAMED = re.compile(rf"({'|'.join(DAY_NAMES)})(?: to ({'|'.join(DAY_NAMES)}))?")


def days_said(line: str) -> set[int]:
    """The days a line says the service is open on, ranges read round the week."""
    if line.startswith("Every day"):
        return set(range(7))
    found: set[int] = set()
    for first, last in NAMED.findall(line):
        start = DAY_NAMES.index(first)
        end = DAY_NAMES.index(last) if last else start
        found |= {(start + step) % 7 for step in range((end - start) % 7 + 1)}
    return found


@given(
    st.dictionaries(st.sampled_from(RULE_KEYS) | st.text(max_size=8), ANY_VALUE, max_size=10),
    st.integers(-720, 840),
)
def test_any_mapping_gives_a_line_or_none_and_never_raises(rule: dict[str, Any], default: int) -> None:
    line = hours_line(rule, default)
    assert line is None or (isinstance(line, str) and line.endswith("."))
    if line is not None:
        assert rule_days(rule) is not None  # nothing is said of a rule "open now" cannot read


@given(DAY_SETS, CLOCK, CLOCK, st.integers(-12, 14), st.integers(-12, 14))
def test_a_line_names_exactly_the_days_the_rule_opens(
    days: set[int], opens: str, closes: str, zone: int, default_hours: int
) -> None:
    rule = weekly(",".join(DAY_CODES[day] for day in days), opens, closes, timezone=Decimal(zone))
    line = hours_line(rule, default_hours * 60)
    assert line is not None
    assert days_said(line) == days
    assert ("(UTC" in line) == (zone != default_hours)
    assert weekly_windows(rule) is not None  # the card says it exactly when "open now" can read it


@given(DAY_SETS, CLOCK, CLOCK)
def test_a_line_gives_the_times_as_written(days: set[int], opens: str, closes: str) -> None:
    line = hours_line(weekly(",".join(DAY_CODES[day] for day in days), opens, closes), 0)
    assert line is not None
    assert opens in line or "all day" in line
    assert closes in line or "midnight" in line or "all day" in line


def minutes_said(line: str) -> int:
    """How long each opening lasts, by the line's words."""
    if "all day" in line:
        return 24 * 60
    found = re.search(r"(\d\d):(\d\d) to (?:(\d\d):(\d\d)|midnight)( the next day)?", line)
    assert found is not None, line
    opens = int(found[1]) * 60 + int(found[2])
    closes = 24 * 60 if found[3] is None else int(found[3]) * 60 + int(found[4])
    return closes - opens + (24 * 60 if found[5] else 0)


@given(DAY_SETS, CLOCK, st.one_of(CLOCK, st.just("23:59")), st.integers(-12, 14))
def test_a_line_says_as_long_an_opening_as_open_now_reads(
    days: set[int], opens: str, closes: str, zone: int
) -> None:
    rule = weekly(",".join(DAY_CODES[day] for day in days), opens, closes, timezone=Decimal(zone))
    line = hours_line(rule, zone * 60)
    windows = weekly_windows(rule, zone * 60)
    assert line is not None and windows is not None
    assert minutes_said(line) * len(days) == sum(window.end - window.start for window in windows)


@pytest.mark.parametrize(
    ("rule", "today", "shown"),
    [
        # Still applying, or no dates at all: the publisher's words as written.
        ({"valid_to": dt.date(2026, 11, 30)}, dt.date(2026, 11, 30), "Winter hours."),
        ({}, dt.date(2026, 11, 30), "Winter hours."),
        # Ended (by either end date): nothing, as for hours given as rules.
        ({"valid_to": dt.date(2026, 11, 29)}, dt.date(2026, 11, 30), None),
        ({"until": "2026-06-30"}, dt.date(2026, 11, 30), None),
        # Still to begin (by either start date, the later counting): from when.
        ({"valid_from": dt.date(2027, 1, 1)}, dt.date(2026, 11, 30), "From 1 January 2027: Winter hours."),
        (
            {"dtstart": "2026-12-01", "valid_from": dt.date(2026, 12, 5)},
            dt.date(2026, 11, 30),
            "From 5 December 2026: Winter hours.",
        ),
        ({"valid_from": dt.date(2026, 11, 30)}, dt.date(2026, 11, 30), "Winter hours."),
        # Dates that cannot be read, or no rule (a card stored before it kept one): as written.
        ({"valid_to": "soon"}, dt.date(2026, 11, 30), "Winter hours."),
        (None, dt.date(2026, 11, 30), "Winter hours."),
    ],
)
def test_a_described_schedule_is_judged_by_its_dates(
    rule: dict[str, Any] | None, today: dt.date, shown: str | None
) -> None:
    assert described_line("Winter hours.", rule, today=today) == shown
    assert described_line("Winter hours.", rule) == "Winter hours."  # no day given: nothing to judge by
