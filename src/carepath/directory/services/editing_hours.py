"""Coordinators' changes to a service's weekly opening hours: HSDS schedule rows, one transaction each.

The hours apply to the whole service, or to one place it is offered at (its service_at_location).
Saving replaces only the rows the form stood for (`carepath_core.directory_hours.split_schedules`):
a row that already says one of the new openings keeps its id, the others are removed, new ones
are added, and rules the form cannot show (monthly, dated, in another offset, ...) are never
touched. Every row written passes the importer's checks (`edit_checks`, `schedule_problems`).

The words people read on a result card (the rows' `description`) are the coordinator's, or else
the hours written out (`opening_hours_text`); they are kept on one row, the first by id, since a
card shows every row's description in id order. The bookkeeping is `editing_details`'s: the
service's `last_modified`, its search entry and one audit event, in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from carepath.directory.models import Schedule, Service, new_hsds_id
from carepath.directory.opening_hours_text import week_text
from carepath.directory.selectors.service_details import Place, default_offset_minutes, hours_at
from carepath.directory.services.edit_checks import InvalidRecord, checked_values
from carepath.directory.services.editing_details import locked_service, require_manager, service_changed
from carepath.errors import ApplicationError
from carepath_core.directory_hours import (
    Opening,
    PlannedRow,
    WeeklyHours,
    read_row,
    row_values,
    schedule_rows,
    usable_offset,
)
from carepath_core.search.hours import DAY_CODES

SCHEDULES = "schedules"  # how the audit trail names what changed on the service
TIME_ZONE_FIELD = "time_zone"


@dataclass(frozen=True)
class HoursSaved:
    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()

    @property
    def any(self) -> bool:
        return bool(self.added or self.changed or self.removed)


def save_opening_hours(
    *, actor: Any, service: Service, place: Place, hours: WeeklyHours, description: str = ""
) -> HoursSaved:
    """Make the place's weekly hours `hours`; `description` (empty: the hours in words) is what cards show."""
    require_manager(actor)
    if not usable_offset(hours.offset_minutes):
        raise InvalidRecord(
            [(TIME_ZONE_FIELD, "must be a whole number of quarter hours within -12 to +14 hours")]
        )
    if place.link is not None and place.link.service_id != service.pk:
        raise InvalidRecord([("service_at_location", "is not a place of this service")])
    with transaction.atomic():
        current = locked_service(service)
        existing = hours_at(current, place)
        wanted = _wanted_rows(hours, description.strip() or week_text(hours), existing.editable)
        saved = _write(current, place, wanted, existing.editable)
        if saved.any:
            link = {"service_at_location": place.link_id} if place.link_id else {}
            service_changed(
                actor,
                current,
                SCHEDULES,
                added=list(saved.added),
                changed=list(saved.changed),
                removed=list(saved.removed),
                **link,
            )
    return saved


def _wanted_rows(hours: WeeklyHours, words: str, old: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """id -> the columns of each row the hours become; a row with the same times keeps its id."""
    old_ids: dict[Opening, list[str]] = {}
    for row in old:
        old_ids.setdefault(_read(row).opening, []).append(str(row["id"]))
    wanted: dict[str, dict[str, Any]] = {}
    for planned in schedule_rows(hours):
        values = checked_values("schedule", {**row_values(planned, hours), "description": ""})
        same_times = old_ids.get(planned.opening)
        wanted[same_times.pop(0) if same_times else new_hsds_id()] = values
    if wanted and words:
        wanted[min(wanted)]["description"] = words
    return wanted


def _read(row: dict[str, Any]) -> PlannedRow:
    """An editable row as days and times (its offset is compared apart, as `timezone`)."""
    read = read_row(row, default_offset_minutes())
    if read is None:
        raise ApplicationError(f"schedule {row['id']} was taken for weekly hours but is not")
    return read[1]


def _write(
    service: Service, place: Place, wanted: dict[str, dict[str, Any]], old: list[dict[str, Any]]
) -> HoursSaved:
    old_by_id = {str(row["id"]): row for row in old}
    removed = sorted(set(old_by_id) - set(wanted))
    Schedule.objects.filter(pk__in=removed).delete()
    added, changed = [], []
    for row_id, values in wanted.items():
        row = old_by_id.get(row_id)
        if row is None:
            owner = {"service_id": service.pk, "service_at_location_id": None}
            if place.link is not None:
                owner = {"service_id": None, "service_at_location_id": place.link.pk}
            Schedule.objects.create(id=row_id, **owner, **values)
            added.append(row_id)
        elif not _same(row, values):
            Schedule.objects.filter(pk=row_id).update(**values)
            changed.append(row_id)
    return HoursSaved(tuple(added), tuple(changed), tuple(removed))


def _same(row: dict[str, Any], values: dict[str, Any]) -> bool:
    """Whether the row already says `values`: the same days (its times are), offset, attending, words."""
    days = _read(row).days
    return (
        ",".join(DAY_CODES[day] for day in days) == values["byday"]
        and row["timezone"] == values["timezone"]
        and all(
            str(row[column] or "") == str(values[column] or "")
            for column in ("attending_type", "description")
        )
    )
