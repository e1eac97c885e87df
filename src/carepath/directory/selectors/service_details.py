"""What describes one service on the coordinators' pages: its cost options, languages and hours.

Hours are read per place they apply to: the service's own schedules ("wherever it is offered")
and those of each of its service_at_location links. `hours_at` sorts a place's schedules into the
weekly hours the form shows and the rules it keeps as they are (`carepath_core.directory_hours`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from carepath.directory.models import CostOption, Language, Location, Schedule, Service, ServiceAtLocation
from carepath_core.directory_details import kinds_of
from carepath_core.directory_hours import Split, split_schedules, standard_offset_minutes

SCHEDULE_COLUMNS = (
    "id", "service_id", "location_id", "service_at_location_id", "valid_from", "valid_to", "dtstart",
    "timezone", "until", "count", "wkst", "freq", "interval", "byday", "byweekno", "bymonthday",
    "byyearday", "description", "opens_at", "closes_at", "schedule_link", "attending_type", "notes",
)  # fmt: skip
PLACES_SHOWN = 100  # links of one service listed with their own hours


@dataclass(frozen=True)
class Place:
    """Where a set of hours applies: the whole service (`link` None) or one of its locations."""

    link: ServiceAtLocation | None
    location_name: str = ""

    @property
    def link_id(self) -> str | None:
        return None if self.link is None else self.link.pk


@dataclass(frozen=True)
class PlaceHours:
    place: Place
    split: Split
    rows: dict[str, dict[str, Any]]  # id -> the schedule's columns, in the order read

    @property
    def kept(self) -> list[dict[str, Any]]:
        return [self.rows[row_id] for row_id in self.split.kept]

    @property
    def editable(self) -> list[dict[str, Any]]:
        return [self.rows[row_id] for row_id in self.split.editable]


def cost_options_of(service: Service) -> list[CostOption]:
    options = CostOption.objects.filter(service_id=service.pk)
    return list(options.order_by(F("amount").asc(nulls_last=True), "option", "id"))


def cost_option_by_id(cost_option_id: str) -> CostOption | None:
    return CostOption.objects.filter(pk=cost_option_id).first()


def cost_kinds_of(option: CostOption) -> frozenset[str]:
    values = {name: getattr(option, name) for name in ("option", "amount", "amount_description")}
    return kinds_of(values)


def usual_currency(service: Service) -> str:
    """The currency the service's other options use, for a new option's form."""
    found = CostOption.objects.filter(service_id=service.pk).exclude(currency="").order_by("id")
    return found.values_list("currency", flat=True).first() or ""


def languages_of(service: Service) -> list[Language]:
    return list(Language.objects.filter(service_id=service.pk).order_by("name", "code", "id"))


def language_by_id(language_id: str) -> Language | None:
    return Language.objects.filter(pk=language_id).first()


def places_of(service: Service) -> list[Place]:
    """The whole service first, then each place it is offered at, by the location's name."""
    links = list(ServiceAtLocation.objects.filter(service_id=service.pk).order_by("id")[:PLACES_SHOWN])
    names = dict(
        Location.objects.filter(pk__in={link.location_id for link in links}).values_list("id", "name")
    )
    places = [
        Place(link, names.get(link.location_id or "", "") or str(link.location_id or "")) for link in links
    ]
    return [Place(None), *sorted(places, key=lambda place: (place.location_name, place.link_id or ""))]


def place_of(service: Service, link_id: str | None) -> Place | None:
    """The place `link_id` names among the service's links (None: the whole service)."""
    if link_id is None:
        return Place(None)
    link = ServiceAtLocation.objects.filter(pk=link_id, service_id=service.pk).first()
    if link is None:
        return None
    location = Location.objects.filter(pk=link.location_id).values_list("name", flat=True).first()
    return Place(link, location or str(link.location_id or ""))


def schedules_at(service: Service, place: Place) -> list[dict[str, Any]]:
    """The schedules of the place: the service's own, or those of its link to a location."""
    if place.link is None:
        found = Schedule.objects.filter(service_id=service.pk, service_at_location_id__isnull=True)
    else:
        found = Schedule.objects.filter(service_at_location_id=place.link.pk)
    return list(found.order_by("id").values(*SCHEDULE_COLUMNS))


def hours_at(service: Service, place: Place) -> PlaceHours:
    return _place_hours(place, schedules_at(service, place))


def hours_of_places(service: Service, places: list[Place]) -> list[PlaceHours]:
    """`hours_at` for each place, read in one query whatever the number of places."""
    link_ids = [place.link_id for place in places if place.link_id]
    rows = Schedule.objects.filter(
        Q(service_id=service.pk, service_at_location_id__isnull=True) | Q(service_at_location_id__in=link_ids)
    )
    by_link: dict[str | None, list[dict[str, Any]]] = {}
    for row in rows.order_by("id").values(*SCHEDULE_COLUMNS):
        by_link.setdefault(row["service_at_location_id"], []).append(row)
    return [_place_hours(place, by_link.get(place.link_id, [])) for place in places]


def _place_hours(place: Place, rows: list[dict[str, Any]]) -> PlaceHours:
    split = split_schedules(rows, default_offset_minutes())
    return PlaceHours(place, split, {str(row["id"]): row for row in rows})


def this_year() -> int:
    return timezone.localdate().year


def default_offset_minutes() -> int:
    """The offset a schedule's times without one are read in: the directory's time zone outside
    daylight saving (`standard_offset_minutes`, the lesser of January's and July's), as the hours
    form writes them. The search index, the result cards and the form all read times by this one.
    (January's alone is summer time south of the equator: Sydney's +11 instead of +10.)"""
    return standard_offset_minutes(settings.CAREPATH_TIME_ZONE, this_year()) or 0
