"""One HSDS schedule's rules as a sentence a person reads: "Monday to Friday, 09:00 to 17:00."

A result card shows a schedule's own `description` when it has one. A schedule given only as rules
(`freq`, `byday`, `opens_at`, `closes_at`, `timezone`, dates) is put into words here, from the same
reading "open now" uses (`hours.py`), so the card and "open now" never disagree. Only what the rule
says is said: a rule `hours.py` does not turn into weekly windows (monthly, every other week, a
count, days of the month), an unreadable time, offset or date, or dates that never meet give no
sentence at all rather than a guess. The times are as the listing writes them; its UTC offset is
named only when it differs from the directory's own (the offset a time without one is read in).

Every word goes through `_`, the caller's translation function (gettext on the card), so the
sentences can be translated; the text is this project's own.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from carepath_core.search.hours import END_OF_DAY, MINUTES_PER_DAY, clock_and_offset, rule_days

Translate = Callable[[str], str]
DAYS = 7
SHORTEST_RANGE = 3  # "Monday to Wednesday"; two days next to each other are named: "Monday and Tuesday"
OFFSET_RANGE = (-12 * 60, 14 * 60)  # minutes: the UTC offsets in use (and the importer's range)


def _same(message: str) -> str:
    return message


def _day_names(_: Translate) -> tuple[str, ...]:
    return (_("Monday"), _("Tuesday"), _("Wednesday"), _("Thursday"), _("Friday"), _("Saturday"), _("Sunday"))


def _month_names(_: Translate) -> tuple[str, ...]:
    return (
        _("January"), _("February"), _("March"), _("April"), _("May"), _("June"), _("July"),
        _("August"), _("September"), _("October"), _("November"), _("December"),
    )  # fmt: skip


def hours_line(
    rule: Mapping[str, Any],
    default_offset_minutes: int = 0,
    _: Translate = _same,
    today: dt.date | None = None,
) -> str | None:
    """The rule as one sentence, or None when it cannot be said without guessing.

    `default_offset_minutes` is the offset the directory reads times without one in: a rule in
    another offset says which ("(UTC+1)"). Given `today`, a rule whose last day has passed says
    nothing: it no longer opens, as "open now" reads it, and "until" a past date would only puzzle.
    """
    days = rule_days(rule)
    period = _period(rule)
    if days is None or period is None:
        return None
    if _has_ended(period, today):
        return None
    times = _times(rule, default_offset_minutes, _)
    if times is None:
        return None
    days_text = _days_text(days, _)
    if times:
        # Translators: opening hours on a search result card, e.g. "Monday to Friday, 09:00 to 17:00".
        line = _("%(days)s, %(times)s") % {"days": days_text, "times": times}
    else:
        line = _("%(days)s (times not given)") % {"days": days_text}
    # Translators: the whole opening-hours sentence ends here (with the dates it applies between).
    return _("%(hours)s.") % {"hours": _period_text(line, period, _)}


def described_line(
    description: str, rule: Mapping[str, Any] | None, _: Translate = _same, today: dt.date | None = None
) -> str | None:
    """A schedule's own description, as its publisher wrote it, judged by the dates in its `rule`.

    Given `today`, a schedule whose last day has passed says nothing, as `hours_line` (the words
    may not say it ended), and one whose first day is still to come says from when, so that a
    person does not go by hours that have not begun. Without a rule (or with dates that cannot be
    read) the description is all there is, and it is shown as written.
    """
    period = None if rule is None else _period(rule)
    if today is None or period is None:
        return description
    if _has_ended(period, today):
        return None
    first = period[0]
    if first is not None and first > today:
        # Translators: a schedule's own words on a search result card, for hours still to begin.
        return _("From %(first)s: %(hours)s") % {"first": _date_text(first, _), "hours": description}
    return description


def _times(rule: Mapping[str, Any], default_offset: int, _: Translate) -> str | None:
    """ "09:00 to 17:00 (UTC+1)"; "" when the rule gives neither time; None when a time is unreadable."""
    opens_text, closes_text = (str(rule.get(name) or "").strip() for name in ("opens_at", "closes_at"))
    opens, closes = clock_and_offset(opens_text), clock_and_offset(closes_text)
    if (opens_text and opens is None) or (closes_text and closes is None):
        return None
    if opens is None and closes is None:
        return ""
    written = {time[1] for time in (opens, closes) if time is not None}
    if len(written) > 1:
        return None  # the two times are written in different offsets
    offset = written.pop()
    if offset is None:
        offset = _offset(rule.get("timezone"), default_offset)
    if offset is None or not OFFSET_RANGE[0] <= offset <= OFFSET_RANGE[1]:
        return None
    text = _span(opens, closes, str(rule.get("closes_at")), _)
    if offset == default_offset:
        return text
    return _("%(times)s (%(offset)s)") % {"times": text, "offset": offset_name(offset)}


def _span(
    opens: tuple[int, int | None] | None,
    closes: tuple[int, int | None] | None,
    closes_as_given: str,
    _: Translate,
) -> str:
    if closes is None:
        return "" if opens is None else _("opens at %(time)s") % {"time": clock(opens[0])}
    if opens is None:
        return _("closes at %(time)s") % {"time": clock(closes[0])}
    start = opens[0]
    # As hours.py reads them: 23:59 means midnight, and closing at or before opening is the next day.
    end = MINUTES_PER_DAY if closes_as_given.startswith(END_OF_DAY) else closes[0]
    if end <= start:
        end += MINUTES_PER_DAY
    if start == 0 and end == MINUTES_PER_DAY:
        return _("all day")
    if end % MINUTES_PER_DAY == 0:
        return _("%(opens)s to midnight") % {"opens": clock(start)}
    values = {"opens": clock(start), "closes": clock(end % MINUTES_PER_DAY)}
    if end > MINUTES_PER_DAY:
        return _("%(opens)s to %(closes)s the next day") % values
    return _("%(opens)s to %(closes)s") % values


def _offset(zone: Any, default: int) -> int | None:
    """The rule's `timezone` (hours from UTC) in minutes; the default when it gives none."""
    if zone is None or zone == "":
        return default
    if isinstance(zone, bool) or not isinstance(zone, int | float | Decimal | str):
        return None
    try:
        hours = float(Decimal(str(zone).strip()))
    except (InvalidOperation, ValueError, OverflowError):
        return None
    if not math.isfinite(hours) or abs(hours) > 24:
        return None
    return round(hours * 60)  # as hours.py reads it


def offset_name(minutes: int) -> str:
    """UTC, UTC+1, UTC-3:30, UTC+5:45."""
    if minutes == 0:
        return "UTC"
    hours, rest = divmod(abs(minutes), 60)
    sign = "-" if minutes < 0 else "+"
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _days_text(days: list[int], _: Translate) -> str:
    names = _day_names(_)
    if len(days) == DAYS:
        return _("Every day")
    items = [
        names[run[0]]
        if len(run) == 1
        else _("%(first)s to %(last)s") % {"first": names[run[0]], "last": names[run[-1]]}
        for run in _runs(days)
    ]
    if len(items) == 1:
        return items[0]
    return _("%(items)s and %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


def _runs(days: list[int]) -> list[list[int]]:
    """The days in runs of three or more days in a row (one run may go from Sunday on to Monday when it
    is the only one: "Friday to Monday"), the other days alone."""
    runs: list[list[int]] = []
    for day in sorted(days):
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    if len(runs) == 2 and runs[0][0] == 0 and runs[-1][-1] == DAYS - 1:
        runs = [runs[1] + runs[0]]
    found: list[list[int]] = []
    for run in runs:
        found.extend([run] if len(run) >= SHORTEST_RANGE else [[day] for day in run])
    return sorted(found, key=lambda run: run[0]) if len(found) > 1 else found


def _period(rule: Mapping[str, Any]) -> tuple[dt.date | None, dt.date | None] | None:
    """(first day, last day) the rule applies, each None when open-ended; None when a date is
    unreadable or the two never meet. The latest start and earliest end count, as in hours.py."""
    starts: list[dt.date] = []
    ends: list[dt.date] = []
    for name, kept in (("valid_from", starts), ("dtstart", starts), ("valid_to", ends), ("until", ends)):
        value = rule.get(name)
        if value is None or value == "":
            continue
        day = _date(value)
        if day is None:
            return None
        kept.append(day)
    first, last = max(starts, default=None), min(ends, default=None)
    if first is not None and last is not None and last < first:
        return None
    return first, last


def _has_ended(period: tuple[dt.date | None, dt.date | None], today: dt.date | None) -> bool:
    """Whether the last day of the period has passed (never, without a day to judge by)."""
    last = period[1]
    return today is not None and last is not None and last < today


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _period_text(line: str, period: tuple[dt.date | None, dt.date | None], _: Translate) -> str:
    first, last = period
    if first is not None and last is not None:
        return _("%(hours)s, from %(first)s to %(last)s") % {
            "hours": line,
            "first": _date_text(first, _),
            "last": _date_text(last, _),
        }
    if first is not None:
        return _("%(hours)s, from %(first)s") % {"hours": line, "first": _date_text(first, _)}
    if last is not None:
        return _("%(hours)s, until %(last)s") % {"hours": line, "last": _date_text(last, _)}
    return line


def _date_text(day: dt.date, _: Translate) -> str:
    return _("%(day)d %(month)s %(year)d") % {
        "day": day.day,
        "month": _month_names(_)[day.month - 1],
        "year": day.year,
    }
