"""Checking one entry of a contact log, and whether a supporter has room for one more person."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from carepath_core.errors import DomainError, InvalidData

MAX_MINUTES = 600  # ten hours: longer than any single contact, short of a typing slip
MAX_NOTE_LENGTH = 4000


class Channel(StrEnum):
    IN_PERSON = "in_person"
    PHONE = "phone"
    VIDEO = "video"
    TEXT = "text"


@dataclass(frozen=True)
class ContactEntry:
    happened_on: dt.date
    channel: Channel
    minutes: int
    note: str


def checked_contact(
    *,
    happened_on: object,
    channel: object,
    minutes: object,
    note: object,
    started_on: dt.date,
    today: dt.date,
) -> ContactEntry:
    """One contact, or `InvalidData` naming the first field at fault."""
    day = _day(happened_on)
    if day > today:
        raise InvalidData("happened_on", "cannot be in the future")
    if day < started_on:
        raise InvalidData(
            "happened_on", f"cannot be before the relationship began ({started_on.isoformat()})"
        )
    if channel not in {c.value for c in Channel}:
        raise InvalidData("channel", f"must be one of {', '.join(c.value for c in Channel)}")
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 1 <= minutes <= MAX_MINUTES:
        raise InvalidData("minutes", f"must be a whole number of minutes from 1 to {MAX_MINUTES}")
    if note is not None and not isinstance(note, str):
        raise InvalidData("note", "must be text")
    text = (note or "").strip()
    if len(text) > MAX_NOTE_LENGTH:
        raise InvalidData("note", f"must be at most {MAX_NOTE_LENGTH} characters")
    return ContactEntry(day, Channel(str(channel)), minutes, text)


def _day(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        raise InvalidData("happened_on", "must be a date without a time, such as 2026-03-01")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise InvalidData("happened_on", "must be a date such as 2026-03-01")


class AtCapacity(DomainError):
    """Accepting would take a supporter past the most people they said they can support."""


def check_room(*, capacity: int, load: int) -> None:
    if load >= capacity:
        raise AtCapacity(
            f"you already support {load} of the {capacity} people your profile allows; "
            "end a relationship or raise your capacity on your profile before accepting"
        )
