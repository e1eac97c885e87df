"""When a service is open, as weekly windows in UTC, and whether it is open at a given moment.

HSDS writes opening hours as iCalendar (RFC 5545) recurrence parts: `freq`, `byday`, `opens_at`,
`closes_at`, and a `timezone` that is a fixed UTC offset in hours. The common shapes — every week
on some days, or every day — become windows of minutes in the UTC week (Monday 00:00 UTC is 0),
computed once when a service is indexed, so "open now" is a comparison, not a calendar
calculation. Rules with other shapes (monthly, every other week, a count of occurrences) are not
turned into windows: such hours count as unknown, and a service is never said to be open on a
guess. A fixed offset cannot follow daylight saving; `docs/hsds.md` says what that means.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

MINUTES_PER_DAY = 24 * 60
MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY
DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
TIME = re.compile(r"^(?P<h>\d{2}):(?P<m>\d{2})(?::\d{2}(?:\.\d+)?)?(?P<zone>Z|[+-]\d{2}:\d{2})?$")
END_OF_DAY = "23:59"  # "closes at 23:59" means open to midnight, as listings commonly write it


@dataclass(frozen=True)
class Window:
    """Open from `start` to `end` minutes of the UTC week, between two dates when they are given."""

    start: int
    end: int
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None

    def covers(self, minute: int, day: dt.date) -> bool:
        if self.valid_from is not None and day < self.valid_from:
            return False
        if self.valid_to is not None and day > self.valid_to:
            return False
        return self.start <= minute < self.end


def clock_and_offset(text: str) -> tuple[int, int | None] | None:
    """Minutes after midnight and the offset in minutes written with the time, if any; None if unreadable."""
    found = TIME.match(text.strip())
    if found is None:
        return None
    hours, minutes = int(found["h"]), int(found["m"])
    if hours > 23 or minutes > 59:
        return None
    zone = found["zone"]
    if zone is None:
        offset = None
    elif zone == "Z":
        offset = 0
    else:
        sign = -1 if zone[0] == "-" else 1
        offset = sign * (int(zone[1:3]) * 60 + int(zone[4:6]))
    return hours * 60 + minutes, offset


def rule_days(rule: Mapping[str, Any]) -> list[int] | None:
    """The days (0 is Monday) a rule opens on every week; None for any other shape of rule."""
    freq = str(rule.get("freq") or "").upper()
    if rule.get("interval") not in (None, 1) or rule.get("count") not in (None, 0):
        return None
    if any(rule.get(part) for part in ("byweekno", "bymonthday", "byyearday")):
        return None
    if freq == "DAILY" and not rule.get("byday"):
        return list(range(7))
    if freq != "WEEKLY":
        return None
    codes = [code.strip().upper() for code in str(rule.get("byday") or "").split(",") if code.strip()]
    if not codes or any(code not in DAY_CODES for code in codes):
        return None  # a weekly rule without plain day codes (e.g. "1MO") is not a weekly window
    return sorted({DAY_CODES.index(code) for code in codes})


def _wrapped(start: int, end: int) -> list[tuple[int, int]]:
    start, end = start % MINUTES_PER_WEEK, end - (start - start % MINUTES_PER_WEEK)
    if end <= MINUTES_PER_WEEK:
        return [(start, end)]
    return [(start, MINUTES_PER_WEEK), (0, end - MINUTES_PER_WEEK)]


def weekly_windows(rule: Mapping[str, Any], default_offset_minutes: int = 0) -> list[Window] | None:
    """The windows one HSDS schedule describes, or None when its hours cannot be worked out."""
    days = rule_days(rule)
    opens = clock_and_offset(str(rule.get("opens_at") or ""))
    closes = clock_and_offset(str(rule.get("closes_at") or ""))
    if days is None or opens is None or closes is None:
        return None
    offset = _offset_minutes(rule, opens[1], default_offset_minutes)
    start = opens[0]
    end = MINUTES_PER_DAY if str(rule.get("closes_at")).startswith(END_OF_DAY) else closes[0]
    if end <= start:
        end += MINUTES_PER_DAY  # open past midnight
    valid_from = _latest(rule.get("valid_from"), rule.get("dtstart"))
    valid_to = _earliest(rule.get("valid_to"), rule.get("until"))
    windows = []
    for day in days:
        utc_start = day * MINUTES_PER_DAY + start - offset
        for piece_start, piece_end in _wrapped(utc_start, utc_start + end - start):
            windows.append(Window(piece_start, piece_end, valid_from, valid_to))
    return windows


def _offset_minutes(rule: Mapping[str, Any], written: int | None, default: int) -> int:
    if written is not None:
        return written
    zone = rule.get("timezone")
    if zone is None or zone == "":
        return default
    return round(float(zone) * 60)


def _latest(*dates: Any) -> dt.date | None:
    known = [value for value in dates if isinstance(value, dt.date)]
    return max(known) if known else None


def _earliest(*dates: Any) -> dt.date | None:
    known = [value for value in dates if isinstance(value, dt.date)]
    return min(known) if known else None


def service_windows(
    rules: Iterable[Mapping[str, Any]], default_offset_minutes: int = 0
) -> list[Window] | None:
    """All windows of a service's schedules; None when none of them can be worked out."""
    found: list[Window] = []
    known = False
    for rule in rules:
        windows = weekly_windows(rule, default_offset_minutes)
        if windows is not None:
            known = True
            found.extend(windows)
    return found if known else None


def minute_of_week(moment: dt.datetime) -> tuple[int, dt.date]:
    """Minutes since Monday 00:00 UTC of `moment` (which must know its time zone), and its UTC date."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("a moment without a time zone cannot be placed in the week")
    utc = moment.astimezone(dt.UTC)
    return utc.weekday() * MINUTES_PER_DAY + utc.hour * 60 + utc.minute, utc.date()


def is_open(windows: Iterable[Window], moment: dt.datetime) -> bool:
    minute, day = minute_of_week(moment)
    return any(window.covers(minute, day) for window in windows)


def encode(windows: Iterable[Window]) -> list[list[int]]:
    """Windows as small lists of numbers for storage: [start, end, from ordinal or 0, to ordinal or 0]."""
    return [
        [
            window.start,
            window.end,
            window.valid_from.toordinal() if window.valid_from else 0,
            window.valid_to.toordinal() if window.valid_to else 0,
        ]
        for window in windows
    ]


def decode(stored: Iterable[Iterable[int]]) -> list[Window]:
    windows = []
    for start, end, valid_from, valid_to in stored:
        windows.append(
            Window(
                start,
                end,
                dt.date.fromordinal(valid_from) if valid_from else None,
                dt.date.fromordinal(valid_to) if valid_to else None,
            )
        )
    return windows
