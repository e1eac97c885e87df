"""Weekly opening hours in words, for the schedule `description` people read on a result card.

Search result cards show schedules' descriptions, not their times, so hours saved from the
coordinators' form are written out in words too ("Monday to Friday: 09:00 to 17:00."), in the
language of the person saving them, unless they wrote their own words.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from carepath_core.directory_hours import Opening, WeeklyHours, clock, offset_label, standard_offset_minutes


def day_names() -> list[str]:
    return [_("Monday"), _("Tuesday"), _("Wednesday"), _("Thursday"), _("Friday"), _("Saturday"), _("Sunday")]


def opening_text(opening: Opening) -> str:
    return _("%(opens)s to %(closes)s") % {"opens": clock(opening.opens), "closes": clock(opening.closes)}


def openings_text(openings: tuple[Opening, ...]) -> str:
    """ "09:00 to 12:00 and 13:00 to 17:00"; "Closed" for a day without openings."""
    if not openings:
        return _("Closed")
    parts = [opening_text(opening) for opening in openings]
    if len(parts) == 1:
        return parts[0]
    return _("%(first)s and %(last)s") % {"first": ", ".join(parts[:-1]), "last": parts[-1]}


def week_text(hours: WeeklyHours) -> str:
    """The open days in words, days in a row with the same hours together; empty when never open."""
    names = day_names()
    sentences = []
    day = 0
    while day < len(hours.days):
        last = day
        while last + 1 < len(hours.days) and hours.days[last + 1] == hours.days[day]:
            last += 1
        if hours.days[day]:
            sentences.append(f"{_days_text(names, day, last)}: {openings_text(hours.days[day])}.")
        day = last + 1
    return " ".join(sentences)


def _days_text(names: list[str], first: int, last: int) -> str:
    if first == last:
        return names[first]
    if last == first + 1:
        return _("%(first)s and %(last)s") % {"first": names[first], "last": names[last]}
    return _("%(first)s to %(last)s") % {"first": names[first], "last": names[last]}


def hours_lines(hours: WeeklyHours) -> list[tuple[str, str]]:
    """(day, its hours in words) for each day of the week, Monday first."""
    return [(name, openings_text(openings)) for name, openings in zip(day_names(), hours.days, strict=True)]


def site_zone() -> str:
    return str(settings.CAREPATH_TIME_ZONE)


def zone_shown(offset_minutes: int) -> str:
    """The site's time zone when the offset is its standard offset, else the offset (UTC+05:30)."""
    if standard_offset_minutes(site_zone(), timezone.localdate().year) == offset_minutes:
        return site_zone()
    return offset_label(offset_minutes)


def rule_text(row: dict[str, Any]) -> str:
    """A schedule the form cannot show, as written: its own words, or its recurrence parts."""
    parts = [str(row["description"] or "")]
    rule = " ".join(str(row[part]) for part in ("freq", "byday", "bymonthday") if row[part])
    times = _("%(opens)s to %(closes)s") % {
        "opens": row["opens_at"] or "…",
        "closes": row["closes_at"] or "…",
    }
    parts.append(" ".join(part for part in (rule, times) if part))
    if row["valid_from"] or row["valid_to"]:
        parts.append(
            _("valid %(start)s to %(end)s")
            % {"start": row["valid_from"] or "…", "end": row["valid_to"] or "…"}
        )
    return " — ".join(part for part in parts if part)
