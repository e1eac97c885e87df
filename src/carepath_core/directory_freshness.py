"""When a directory listing was last checked, and whether that was too long ago to trust it.

A listing is checked when someone confirmed its details (HSDS `assured_date`); failing that,
the last time its record changed (HSDS `last_modified`, RFC 3339 text) is the best evidence
there is. A listing with neither is treated as stale: nobody can say it is still right.

The date of a `last_modified` is the calendar date as written, in its own offset, not
converted to UTC: that is the day the publisher meant, and it lets a database compare the
stored text's first ten characters with a date and agree with these functions exactly.
"""

from __future__ import annotations

import datetime as dt
import re

from carepath_core.errors import InvalidData

# RFC 3339 date-time (section 5.6), also accepting what the HSDS importer accepts: seconds and
# the offset may be left out. Calendar validity is checked by parsing after the match.
RFC3339_DATE_TIME = re.compile(
    r"^(\d{4}-\d{2}-\d{2})[Tt ]([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)?$"
)


def last_checked(assured_date: dt.date | None, last_modified: str) -> dt.date | None:
    """The assured date if there is one, else the date of `last_modified`, else None (unknown)."""
    if assured_date is not None:
        return assured_date
    return modified_date(last_modified)


def modified_date(last_modified: str) -> dt.date | None:
    """The calendar date of an RFC 3339 date-time, or None when it is empty or not one."""
    match = RFC3339_DATE_TIME.match(last_modified.strip())
    if match is None:
        return None
    try:
        return dt.date.fromisoformat(match.group(1))
    except ValueError:  # matches the pattern but is no day of the calendar (2025-02-30)
        return None


def oldest_fresh_date(today: dt.date, max_age_days: int) -> dt.date:
    """The earliest check date that is not stale `today`: anything checked before it is stale."""
    if max_age_days < 0:
        raise InvalidData("max_age_days", f"must be 0 or more, not {max_age_days}")
    return today - dt.timedelta(days=max_age_days)


def is_stale(checked: dt.date | None, today: dt.date, max_age_days: int) -> bool:
    """Stale when never checked, or checked more than `max_age_days` days before `today`."""
    cutoff = oldest_fresh_date(today, max_age_days)
    return checked is None or checked < cutoff
