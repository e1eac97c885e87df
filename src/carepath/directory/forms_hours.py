"""The form of a service's weekly opening hours: time ranges for each day, a time zone, how people attend.

It works without JavaScript: each day has the same number of rows of times (`slots`, a hidden
field), one more than the busiest day needs, and a second submit button asks for another row
without saving. A day left empty is closed. The time zone is an IANA name (Europe/London) or a
fixed offset (UTC+05:30); HSDS keeps only an offset, so a name is stored as its standard-time
offset (`carepath_core.directory_hours.standard_offset_minutes`), as the demo directory does.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import Any
from zoneinfo import available_timezones

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from carepath.directory.opening_hours_text import day_names, opening_text, site_zone, week_text, zone_shown
from carepath.directory.selectors.service_details import PlaceHours, this_year
from carepath_core.directory_hours import (
    Opening,
    WeeklyHours,
    overlapping,
    read_offset_label,
    standard_offset_minutes,
    usable_offset,
    week_of,
)
from carepath_core.search.hours import DAY_CODES

MIN_SLOTS = 2
MAX_SLOTS = 24


@dataclass(frozen=True)
class TimeRow:
    number: int
    opens: forms.BoundField
    closes: forms.BoundField


@dataclass(frozen=True)
class DayRows:
    name: str
    rows: list[TimeRow]


@cache
def _zones_by_lower_name() -> dict[str, str]:
    return {name.lower(): name for name in available_timezones()}


def _minutes(value: dt.time) -> int:
    return value.hour * 60 + value.minute


def _time_field(label: str) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        required=False,
        widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"}),
        error_messages={"invalid": gettext_lazy("Enter a time such as 09:30.")},
    )


class WeeklyHoursForm(forms.Form):
    time_zone = forms.CharField(
        label=gettext_lazy("Time zone"),
        max_length=64,
        help_text=gettext_lazy(
            "A name such as Europe/London or America/Toronto, or an offset such as UTC+05:30. "
            "Hours are kept in the zone's standard (winter) time."
        ),
    )
    attending_type = forms.CharField(
        label=gettext_lazy("How people attend at these times"),
        required=False,
        max_length=200,
        help_text=gettext_lazy(
            "Such as: in person, or online or by phone. Search reads in person, online and phone from it."
        ),
    )
    description = forms.CharField(
        label=gettext_lazy("The hours in words"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Shown with the listing, such as: closed on public holidays. "
            "Left empty, the hours above are written out in words."
        ),
    )
    slots = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_SLOTS)

    def __init__(self, data: Any = None, *, slots: int = MIN_SLOTS, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.slot_count = self._slot_count(data, slots)
        self.initial.setdefault("slots", self.slot_count)
        for day, name in enumerate(day_names()):
            for number in range(1, self.slot_count + 1):
                where = {"day": name, "number": number}
                self.fields[self.field_name(day, number, "opens")] = _time_field(
                    _("%(day)s, time %(number)d: opens") % where
                )
                self.fields[self.field_name(day, number, "closes")] = _time_field(
                    _("%(day)s, time %(number)d: closes") % where
                )
        self.hours: WeeklyHours | None = None

    @staticmethod
    def field_name(day: int, number: int, end: str) -> str:
        return f"{DAY_CODES[day].lower()}_{number}_{end}"

    @staticmethod
    def _slot_count(data: Any, wanted: int) -> int:
        raw = str(data.get("slots", "")) if data is not None else ""
        count = int(raw) if raw.isdigit() else wanted
        return min(max(count, 1), MAX_SLOTS)

    @classmethod
    def for_place(cls, current: PlaceHours, **kwargs: Any) -> WeeklyHoursForm:
        """The form showing the hours the place has now."""
        hours = current.split.hours
        slots = max(MIN_SLOTS, (hours.busiest_day + 1) if hours else 0)
        initial: dict[str, Any] = {"time_zone": site_zone(), "slots": min(slots, MAX_SLOTS)}
        if hours is not None:
            words = " ".join(str(row["description"]) for row in current.editable if row["description"])
            initial.update(
                time_zone=zone_shown(hours.offset_minutes),
                attending_type=hours.attending_type,
                description="" if words == week_text(hours) else words,
            )
            for day, openings in enumerate(hours.days):
                for number, opening in enumerate(openings, start=1):
                    initial[cls.field_name(day, number, "opens")] = dt.time(*divmod(opening.opens, 60))
                    initial[cls.field_name(day, number, "closes")] = dt.time(*divmod(opening.closes, 60))
        return cls(initial=initial, slots=min(slots, MAX_SLOTS), **kwargs)

    def days(self) -> list[DayRows]:
        return [
            DayRows(
                name,
                [
                    TimeRow(
                        number,
                        self[self.field_name(day, number, "opens")],
                        self[self.field_name(day, number, "closes")],
                    )
                    for number in range(1, self.slot_count + 1)
                ],
            )
            for day, name in enumerate(day_names())
        ]

    def clean_time_zone(self) -> int:
        text = str(self.cleaned_data.get("time_zone", "")).strip()
        offset = read_offset_label(text)
        if offset is None:
            name = _zones_by_lower_name().get(text.lower())
            offset = None if name is None else standard_offset_minutes(name, this_year())
        if offset is None:
            raise forms.ValidationError(
                _("“%(text)s” is not a time zone.") % {"text": text}
                + " "
                + _("Use a name such as Europe/London, or an offset such as UTC+05:30.")
            )
        if not usable_offset(offset):
            raise forms.ValidationError(
                _("Use an offset from UTC-12:00 to UTC+14:00 in quarter hours, such as UTC+05:45.")
            )
        return offset

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        week = {day: self._openings(day) for day in range(len(DAY_CODES))}
        if not any(week.values()) and str(cleaned.get("description", "")).strip():
            self.add_error(
                "description",
                _("Give at least one opening time for these words to be kept, or leave them out."),
            )
        if not self.errors:
            attending = str(cleaned.get("attending_type", "")).strip()
            self.hours = WeeklyHours(week_of(week), cleaned["time_zone"], attending)
        return cleaned

    def _openings(self, day: int) -> list[Opening]:
        """The day's openings in the order typed; each problem is put beside its field."""
        openings: list[Opening] = []
        numbers: list[int] = []
        for number in range(1, self.slot_count + 1):
            opens_name, closes_name = (self.field_name(day, number, end) for end in ("opens", "closes"))
            if opens_name in self.errors or closes_name in self.errors:
                continue
            opens, closes = self.cleaned_data.get(opens_name), self.cleaned_data.get(closes_name)
            if opens is None and closes is None:
                continue
            if opens is None or closes is None:
                missing = opens_name if opens is None else closes_name
                self.add_error(missing, _("Enter this time too, or neither."))
            elif opens == closes:
                self.add_error(
                    closes_name, _("Must differ from the opening time. For a whole day, use 00:00 to 23:59.")
                )
            else:
                openings.append(Opening(_minutes(opens), _minutes(closes)))
                numbers.append(number)
        for index, earlier in overlapping(openings):
            self.add_error(
                self.field_name(day, numbers[index], "opens"),
                _("Overlaps %(other)s on the same day.") % {"other": opening_text(openings[earlier])},
            )
        return openings
