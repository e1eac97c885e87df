"""The facts matching works from: a person looking for a peer supporter, and a peer supporter.

Weekly hours are windows of minutes in the UTC week (Monday 00:00 UTC is 0), the same clock the
directory uses for opening hours, so two people in different time zones compare directly.
`local_windows` turns "Tuesdays and Thursdays, 18:00 to 21:00, at UTC+01:00" into that form. A
fixed offset cannot follow daylight saving; profiles are expected to be saved again when the
clocks change (docs/matching.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from carepath_core.errors import InvalidData
from carepath_core.search.geo import Point

MINUTES_PER_DAY = 24 * 60
MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY
DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
CLOCK = re.compile(r"^(?P<h>\d{2}):(?P<m>\d{2})$")
DEFAULT_MAX_DISTANCE_KM = 10.0  # a trip across a town; the person can say more or less


class Modality(StrEnum):
    IN_PERSON = "in_person"
    ONLINE = "online"
    PHONE = "phone"


@dataclass(frozen=True, slots=True)
class WeeklyWindow:
    """Free from `start` to `end` minutes of the UTC week; `end` itself is not included."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end <= MINUTES_PER_WEEK:
            raise InvalidData("availability", f"{self.start}-{self.end} is not a window of the week")


@dataclass(frozen=True)
class Seeker:
    """A person looking for a peer supporter. Empty `modalities` means any way of meeting suits."""

    id: str
    languages: tuple[str, ...]  # the person's languages, the one they would most like first
    topics: frozenset[str] = frozenset()  # lived-experience topic codes they want to talk about
    availability: tuple[WeeklyWindow, ...] = ()  # empty: not given, so hours neither bar nor count
    modalities: frozenset[Modality] = frozenset()
    location: Point | None = None
    max_distance_km: float = DEFAULT_MAX_DISTANCE_KM
    excluded_supporter_ids: frozenset[str] = frozenset()
    experience: str = ""  # their own words about what they are going through
    utc_offset_minutes: int = 0  # only used to put shared hours into words in the person's own time

    def __post_init__(self) -> None:
        if self.max_distance_km <= 0:
            raise InvalidData("max_distance_km", "must be more than 0")


@dataclass(frozen=True)
class Supporter:
    """A peer supporter. A supporter who offers no way of meeting cannot be matched."""

    id: str
    languages: tuple[str, ...]
    capacity: int  # how many people they can support at once
    current_load: int = 0  # how many they support now
    topics: frozenset[str] = frozenset()
    availability: tuple[WeeklyWindow, ...] = ()
    modalities: frozenset[Modality] = field(default_factory=frozenset)
    location: Point | None = None
    experience: str = ""

    def __post_init__(self) -> None:
        if self.capacity < 0:
            raise InvalidData("capacity", "must not be negative")
        if not 0 <= self.current_load <= self.capacity:
            raise InvalidData("current_load", f"must be between 0 and the capacity ({self.capacity})")

    @property
    def free_places(self) -> int:
        return self.capacity - self.current_load


def clock_minutes(text: str, *, end_of_day: bool = False) -> int:
    """Minutes after midnight of "HH:MM"; "24:00" is allowed as the end of a window."""
    found = CLOCK.match(text)
    if found is None:
        raise ValueError(f"'{text}' is not a time like 18:30")
    hours, minutes = int(found["h"]), int(found["m"])
    if end_of_day and (hours, minutes) == (24, 0):
        return MINUTES_PER_DAY
    if hours > 23 or minutes > 59:
        raise ValueError(f"'{text}' is not a time of day")
    return hours * 60 + minutes


def local_windows(
    days: Iterable[str], starts: str, ends: str, utc_offset_minutes: int = 0
) -> tuple[WeeklyWindow, ...]:
    """UTC windows for local hours on some days; an end before the start runs past midnight."""
    start, end = clock_minutes(starts), clock_minutes(ends, end_of_day=True)
    if start == end:
        raise ValueError("a window must not start and end at the same time")
    length = end - start if end > start else end + MINUTES_PER_DAY - start
    windows: list[WeeklyWindow] = []
    for code in days:
        if code.upper() not in DAY_CODES:
            raise ValueError(f"'{code}' is not a day code ({', '.join(DAY_CODES)})")
        utc_start = (DAY_CODES.index(code.upper()) * MINUTES_PER_DAY + start - utc_offset_minutes) % (
            MINUTES_PER_WEEK
        )
        windows.extend(_wrapped(utc_start, utc_start + length))
    return tuple(windows)


def _wrapped(start: int, end: int) -> list[WeeklyWindow]:
    """A window that runs past Sunday midnight UTC continues from Monday 00:00."""
    if end <= MINUTES_PER_WEEK:
        return [WeeklyWindow(start, end)]
    return [WeeklyWindow(start, MINUTES_PER_WEEK), WeeklyWindow(0, end - MINUTES_PER_WEEK)]
