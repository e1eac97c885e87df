"""Weekly hours as half-hour slots, and the hours two people share put into words.

Hours are compared in half-hour slots of the UTC week. A slot counts only when someone is free
for all of it, so shared time is never overstated, and the slots of a whole pool make a small
table of 0s and 1s, which is what lets thousands of pairs be compared at once (`tables.py`).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from carepath_core.matching.profiles import MINUTES_PER_DAY, MINUTES_PER_WEEK, WeeklyWindow

SLOT_MINUTES = 30
SLOTS_PER_WEEK = MINUTES_PER_WEEK // SLOT_MINUTES
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
WEEKDAYS = frozenset(range(5))
WEEKEND = frozenset({5, 6})
# Parts of the day as people name them, by the local minute each begins. The small hours count as
# the night before: someone free 22:00 to 01:00 on Friday thinks of it as "Friday night".
PARTS_OF_DAY = (("morning", 6 * 60), ("afternoon", 12 * 60), ("evening", 17 * 60), ("night", 22 * 60))


def slot_bits(windows: Iterable[WeeklyWindow]) -> int:
    """The slots wholly inside the windows, as the bits of one integer (slot 0 is bit 0)."""
    bits = 0
    for start, end in _merged((window.start, window.end) for window in windows):
        first, last = -(-start // SLOT_MINUTES), end // SLOT_MINUTES
        if last > first:
            bits |= ((1 << (last - first)) - 1) << first
    return bits


def _merged(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Touching or overlapping windows joined, so 18:00-18:15 and 18:15-19:00 give whole slots."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _part_of_day(local_minute_of_week: int) -> tuple[int, int]:
    """(day, part) a local minute belongs to; the small hours belong to the night before."""
    day, minute = divmod(local_minute_of_week, MINUTES_PER_DAY)
    if minute < PARTS_OF_DAY[0][1]:
        return (day - 1) % 7, len(PARTS_OF_DAY) - 1
    part = max(index for index, (_, begins) in enumerate(PARTS_OF_DAY) if minute >= begins)
    return day, part


@lru_cache(maxsize=64)
def _slot_places(utc_offset_minutes: int) -> tuple[int, ...]:
    """For each UTC slot, the bit of its (day, part of day) in the time of someone at this offset."""
    places = []
    for slot in range(SLOTS_PER_WEEK):
        day, part = _part_of_day((slot * SLOT_MINUTES + utc_offset_minutes) % MINUTES_PER_WEEK)
        places.append(1 << (day * len(PARTS_OF_DAY) + part))
    return tuple(places)


@lru_cache(maxsize=1 << 15)
def _byte_places(utc_offset_minutes: int, index: int, value: int) -> int:
    """The (day, part) bits of the slots set in one byte of a slot set: slots are read 8 at a time."""
    places = _slot_places(utc_offset_minutes)
    found = 0
    for bit in range(8):
        if value >> bit & 1 and index * 8 + bit < SLOTS_PER_WEEK:
            found |= places[index * 8 + bit]
    return found


SLOT_BYTES = -(-SLOTS_PER_WEEK // 8)


def _days_phrase(days: frozenset[int], part_name: str) -> str:
    if len(days) == 7:
        return f"every {part_name}"
    if days == WEEKDAYS:
        return f"on weekday {part_name}s"
    if days == WEEKEND:
        return f"on weekend {part_name}s"
    names = [DAY_NAMES[day] for day in sorted(days)]
    return f"on {join_words(names)} {part_name}s"


def shared_hours_sentence(shared: int, utc_offset_minutes: int) -> str | None:
    """ "Your free hours overlap on Tuesday and Thursday evenings (5 hours a week)", in local time."""
    if not shared:
        return None
    places, remaining = 0, shared
    while remaining:  # one step per byte that has slots in it
        index = ((remaining & -remaining).bit_length() - 1) // 8
        places |= _byte_places(utc_offset_minutes, index, (remaining >> (8 * index)) & 0xFF)
        remaining &= ~(0xFF << (8 * index))
    return _sentence(places, shared.bit_count() * SLOT_MINUTES)


@lru_cache(maxsize=1 << 12)
def _sentence(places: int, minutes: int) -> str:
    phrases = []
    for part, (name, _) in enumerate(PARTS_OF_DAY):
        days = frozenset(day for day in range(7) if places >> (day * len(PARTS_OF_DAY) + part) & 1)
        if days:
            phrases.append(_days_phrase(days, name))
    return f"Your free hours overlap {join_words(phrases)} ({hours_phrase(minutes)} a week)"


def hours_phrase(minutes: int) -> str:
    hours = minutes / 60
    if hours == 1:
        return "1 hour"
    return f"{hours:g} hours" if hours >= 1 else f"{minutes} minutes"


def join_words(words: list[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]
