"""A service's weekly opening hours as a coordinator edits them, and the HSDS schedule rows they are.

The hours form shows each day's time ranges (Monday 09:00-12:00 and 13:00-17:00), one fixed UTC
offset (HSDS keeps `schedule.timezone` as hours from UTC) and how people attend. Only rows that mean
exactly that can be shown there: weekly rules (or daily ones) on plain days, every week, without
dates, a count, a link or notes, with times the search can read. `split_schedules` sorts rows
into those the form edits and those it must leave as they are; `schedule_rows` turns the form's
hours back into rows, one for each distinct time range with the days it is open then.
`carepath_core.search.hours` reads those rows into exactly the windows the form showed (a unit
test holds the two together), so what a coordinator types is what "open now" uses.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from carepath_core.search.hours import DAY_CODES, END_OF_DAY, MINUTES_PER_DAY

DAYS = len(DAY_CODES)
TIME = re.compile(r"^(?P<h>[01]\d|2[0-3]):(?P<m>[0-5]\d)(?::(?P<s>[0-5]\d))?(?P<zone>Z|[+-]\d{2}:\d{2})?$")
OFFSET_LABEL = re.compile(r"^UTC(?P<sign>[+-])(?P<h>\d{2}):(?P<m>\d{2})$")
OFFSET_STEP = 15  # minutes: every time zone in use is a whole number of quarter hours from UTC
OFFSET_RANGE = (-12 * 60, 14 * 60)  # the importer's range for `timezone` (-12 to +14 hours)
# Columns that, when filled, make a rule mean more than "these days, these times, every week".
NOT_WEEKLY_HOURS = (
    "valid_from", "valid_to", "dtstart", "until", "count", "byweekno", "bymonthday", "byyearday",
    "schedule_link", "notes", "location_id",
)  # fmt: skip


@dataclass(frozen=True, order=True)
class Opening:
    """Open from `opens` to `closes` (minutes after midnight); closing at or before opening: past midnight."""

    opens: int
    closes: int

    @property
    def end(self) -> int:
        """When it closes, in minutes after the opening day's midnight (beyond 1440: the next day)."""
        closes = MINUTES_PER_DAY if clock(self.closes) == END_OF_DAY else self.closes
        return closes if closes > self.opens else closes + MINUTES_PER_DAY

    def overlaps(self, other: Opening) -> bool:
        return self.opens < other.end and other.opens < self.end


Week = tuple[tuple[Opening, ...], ...]  # seven days, Monday first, each day's openings in order


@dataclass(frozen=True)
class WeeklyHours:
    days: Week
    offset_minutes: int  # the fixed offset from UTC the times are written in
    attending_type: str = ""

    @property
    def empty(self) -> bool:
        return not any(self.days)

    @property
    def busiest_day(self) -> int:
        """How many openings the day with the most of them has."""
        return max((len(day) for day in self.days), default=0)


@dataclass(frozen=True)
class PlannedRow:
    """One schedule row the hours become: an opening on these days (0 is Monday)."""

    days: tuple[int, ...]
    opening: Opening

    @property
    def byday(self) -> str:
        return ",".join(DAY_CODES[day] for day in self.days)


@dataclass(frozen=True)
class Split:
    hours: WeeklyHours | None  # None: none of the rows can be shown in the form
    editable: tuple[str, ...]  # ids of the rows the form's hours stand for (and replace when saved)
    kept: tuple[str, ...]  # ids of the rows the form cannot show, left exactly as they are


def clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def week_of(openings: Mapping[int, Iterable[Opening]]) -> Week:
    """A week from day -> openings, each day's openings sorted and without repeats."""
    return tuple(tuple(sorted(set(openings.get(day, ())))) for day in range(DAYS))


def overlapping(openings: Sequence[Opening]) -> list[tuple[int, int]]:
    """(index, index of an earlier opening it overlaps) for each opening that overlaps one before it."""
    found = []
    for index, opening in enumerate(openings):
        for earlier in range(index):
            if opening.overlaps(openings[earlier]):
                found.append((index, earlier))
                break
    return found


def schedule_rows(hours: WeeklyHours) -> list[PlannedRow]:
    """One row per distinct opening, with every day it applies on, in the order of the week."""
    days_of: dict[Opening, list[int]] = {}
    for day, openings in enumerate(hours.days):
        for opening in openings:
            days_of.setdefault(opening, []).append(day)
    rows = [PlannedRow(tuple(days), opening) for opening, days in days_of.items()]
    return sorted(rows, key=lambda row: (row.days[0], row.opening))


def row_values(row: PlannedRow, hours: WeeklyHours) -> dict[str, Any]:
    """The HSDS columns of a planned row (times without an offset; the offset in `timezone`)."""
    return {
        "freq": "WEEKLY",
        "byday": row.byday,
        "opens_at": clock(row.opening.opens),
        "closes_at": clock(row.opening.closes),
        "timezone": offset_hours(hours.offset_minutes),
        "attending_type": hours.attending_type,
    }


def offset_hours(minutes: int) -> Decimal:
    return Decimal(minutes) / Decimal(60)


def split_schedules(rows: Sequence[Mapping[str, Any]], default_offset_minutes: int) -> Split:
    """Which of one service's (or one place's) rows the form shows, and the hours they add up to.

    Rows the form can show are grouped by their offset and way of attending; the largest group
    is shown (the first on a tie) and the others are kept as they are, like any rule that is not
    plain weekly hours.
    """
    groups: dict[tuple[int, str], list[tuple[str, PlannedRow]]] = {}
    kept: list[str] = []
    for row in rows:
        read = read_row(row, default_offset_minutes)
        if read is None:
            kept.append(str(row["id"]))
        else:
            offset, planned = read
            key = (offset, str(row.get("attending_type") or ""))
            groups.setdefault(key, []).append((str(row["id"]), planned))
    if not groups:
        return Split(None, (), tuple(kept))
    (offset, attending), chosen = max(groups.items(), key=lambda item: len(item[1]))
    for key, members in groups.items():
        if key != (offset, attending):
            kept.extend(row_id for row_id, _ in members)
    openings: dict[int, list[Opening]] = {}
    for _, planned in chosen:
        for day in planned.days:
            openings.setdefault(day, []).append(planned.opening)
    hours = WeeklyHours(week_of(openings), offset, attending)
    return Split(hours, tuple(row_id for row_id, _ in chosen), tuple(kept))


def read_row(row: Mapping[str, Any], default_offset_minutes: int) -> tuple[int, PlannedRow] | None:
    """(offset in minutes, the row as days and an opening), or None when it means more than that."""
    if any(row.get(column) not in (None, "") for column in NOT_WEEKLY_HOURS):
        return None
    if row.get("interval") not in (None, 1):
        return None
    days = _plain_days(row)
    opens, closes = _time(row.get("opens_at")), _time(row.get("closes_at"))
    if days is None or opens is None or closes is None or opens[1] != closes[1]:
        return None
    if opens[0] == closes[0]:
        return None  # the search reads it as open all day; the form asks for 00:00 to 23:59 instead
    offset = opens[1] if opens[1] is not None else _row_offset(row.get("timezone"), default_offset_minutes)
    if offset is None or not usable_offset(offset):
        return None
    return offset, PlannedRow(days, Opening(opens[0], closes[0]))


def _plain_days(row: Mapping[str, Any]) -> tuple[int, ...] | None:
    freq = str(row.get("freq") or "").upper()
    byday = str(row.get("byday") or "")
    if freq == "DAILY" and not byday.strip():
        return tuple(range(DAYS))
    codes = [code.strip().upper() for code in byday.split(",") if code.strip()]
    if freq != "WEEKLY" or not codes or any(code not in DAY_CODES for code in codes):
        return None
    return tuple(sorted({DAY_CODES.index(code) for code in codes}))


def _time(raw: Any) -> tuple[int, int | None] | None:
    """Minutes after midnight and the offset written with the time (None if none); None if unreadable."""
    found = TIME.match(str(raw or "").strip())
    if found is None or (found["s"] or "00") != "00":
        return None
    zone = found["zone"]
    offset = None if zone is None else 0 if zone == "Z" else _signed(zone[0], zone[1:3], zone[4:6])
    return int(found["h"]) * 60 + int(found["m"]), offset


def _row_offset(zone: Any, default: int) -> int | None:
    if zone is None or zone == "":
        return default
    minutes = Decimal(str(zone)) * 60
    if minutes != minutes.to_integral_value():
        return None
    return int(minutes)


def _signed(sign: str, hours: str, minutes: str) -> int:
    return (-1 if sign == "-" else 1) * (int(hours) * 60 + int(minutes))


# Time zones ----------------------------------------------------------------------------------


def standard_offset_minutes(zone_name: str, year: int) -> int | None:
    """A time zone's offset from UTC outside daylight saving (the lesser of January's and July's).

    HSDS holds one fixed offset, so hours follow standard time, as the demo directory's do; the
    lesser offset is standard time in either hemisphere. None for a name that is not a time zone.
    """
    try:
        zone = ZoneInfo(zone_name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    offsets = [dt.datetime(year, month, 1, 12, tzinfo=zone).utcoffset() for month in (1, 7)]
    return min(int(offset.total_seconds() // 60) for offset in offsets if offset is not None)


def offset_label(minutes: int) -> str:
    """An offset as the form writes it: UTC+05:30, UTC-03:00, UTC+00:00."""
    sign = "-" if minutes < 0 else "+"
    return f"UTC{sign}{clock(abs(minutes))}"


def read_offset_label(text: str) -> int | None:
    found = OFFSET_LABEL.match(text.strip().upper())
    return None if found is None else _signed(found["sign"], found["h"], found["m"])


def usable_offset(minutes: int) -> bool:
    return OFFSET_RANGE[0] <= minutes <= OFFSET_RANGE[1] and minutes % OFFSET_STEP == 0
