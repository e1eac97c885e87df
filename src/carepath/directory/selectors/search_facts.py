"""What the search index is built from: each service's HSDS rows, read a chunk of services at a time.

A fixed number of queries per chunk (one per table and chunk of ids), whatever the chunk's size, so
indexing a million services costs a few thousand queries, not millions. They are plain SQL with the
ORM's own value converters (`raw_rows`): building a queryset for a thousand ids cost more than running it.

A service's places, schedules, languages and costs are listed in the order of their ids (and a place's
addresses likewise), whatever order the database answers in: the index is then the same on every
backend, and a new import can build the same facts from the rows it holds (`services.hsds_fresh_index`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from carepath.directory.models import (
    HSDS_MODELS,
    Address,
    CostOption,
    Language,
    Location,
    Organization,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceCapacity,
)
from carepath.directory.selectors.raw_rows import rows_where_in

SERVICE_FIELDS = (
    "id", "organization_id", "name", "alternate_name", "description", "eligibility_description",
    "status", "support_type", "lived_experience_topics", "minimum_age", "maximum_age", "hours_24_7",
    "fees_description", "assured_date", "last_modified",
)  # fmt: skip
SCHEDULE_FIELDS = (
    "service_id", "service_at_location_id", "freq", "interval", "byday", "byweekno", "bymonthday",
    "byyearday", "count", "opens_at", "closes_at", "timezone", "valid_from", "valid_to", "dtstart",
    "until", "attending_type",
)  # fmt: skip
COST_FIELDS = ("service_id", "option", "amount", "currency", "amount_description")


@dataclass
class PlaceFacts:
    location_type: str
    latitude: float | None  # None unless the position is usable
    longitude: float | None
    cities: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)


@dataclass
class ServiceFacts:
    service: dict[str, Any]
    organization_name: str = ""
    places: list[PlaceFacts] = field(default_factory=list)
    schedules: list[dict[str, Any]] = field(default_factory=list)
    languages: list[dict[str, Any]] = field(default_factory=list)
    costs: list[dict[str, Any]] = field(default_factory=list)
    capacities: list[int | None] = field(default_factory=list)
    organization_countries: list[str] = field(default_factory=list)


def service_facts(service_ids: Sequence[str]) -> dict[str, ServiceFacts]:
    """Facts for each of these services that exists; ids of missing services are left out."""
    facts = {
        row[0]: ServiceFacts(dict(zip(SERVICE_FIELDS, row, strict=True)))
        for row in rows_where_in(Service, SERVICE_FIELDS, "id", service_ids)
    }
    if not facts:
        return facts
    ids = list(facts)
    organization_ids = {f.service["organization_id"] for f in facts.values() if f.service["organization_id"]}
    names = dict(rows_where_in(Organization, ("id", "name"), "id", organization_ids))
    for item in facts.values():
        item.organization_name = names.get(item.service["organization_id"], "")
    schedules = [(id_, row[0], row) for id_, row in _by_id(Schedule, SCHEDULE_FIELDS, "service_id", ids)]
    schedules += _add_places(facts, ids)
    _add_organization_countries(facts, organization_ids)
    for _id, service_id, row in sorted(schedules):
        facts[service_id].schedules.append(dict(zip(SCHEDULE_FIELDS, row, strict=True)))
    for _id, (service_id, code, name) in _by_id(Language, ("service_id", "code", "name"), "service_id", ids):
        facts[service_id].languages.append({"code": code, "name": name})
    for _id, row in _by_id(CostOption, COST_FIELDS, "service_id", ids):
        facts[row[0]].costs.append(dict(zip(COST_FIELDS, row, strict=True)))
    for _id, (service_id, available) in _by_id(
        ServiceCapacity, ("service_id", "available"), "service_id", ids
    ):
        facts[service_id].capacities.append(None if available is None else int(available))
    return facts


def _by_id(
    model: Any, names: Sequence[str], by: str, values: Collection[str], *, null: str = ""
) -> list[tuple[str, tuple[Any, ...]]]:
    """(id, the `names`) of the rows whose `by` is one of `values`, in id order."""
    return sorted((row[0], row[1:]) for row in rows_where_in(model, ("id", *names), by, values, null=null))


def _add_places(facts: dict[str, ServiceFacts], ids: list[str]) -> list[tuple[str, str, tuple[Any, ...]]]:
    """Add each service's places; returns (id, service, fields) of the schedules given for its places."""
    links = sorted(rows_where_in(ServiceAtLocation, ("id", "service_id", "location_id"), "service_id", ids))
    location_ids = {location_id for _, _, location_id in links if location_id}
    locations = {
        row[0]: row
        for row in rows_where_in(
            Location, ("id", "location_type", "latitude", "longitude", "position_usable"), "id", location_ids
        )
    }
    addresses: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for _id, (location_id, city, country) in _by_id(
        Address, ("location_id", "city", "country"), "location_id", location_ids
    ):
        addresses[location_id].append((city, country))
    link_to_service = {}
    for link_id, service_id, location_id in links:
        link_to_service[link_id] = service_id
        location = locations.get(location_id)
        if location is None:
            continue
        _id, location_type, latitude, longitude, position_usable = location
        usable = position_usable and latitude is not None and longitude is not None
        place = PlaceFacts(
            location_type,
            float(latitude) if usable and latitude is not None else None,
            float(longitude) if usable and longitude is not None else None,
            [city for city, _ in addresses[location_id] if city],
            [country for _, country in addresses[location_id] if country],
        )
        facts[service_id].places.append(place)
    # Hours given for a service at one of its locations count as the service's hours too.
    at_places = _by_id(
        Schedule, SCHEDULE_FIELDS, "service_at_location_id", link_to_service, null="service_id"
    )
    return [(schedule_id, link_to_service[row[1]], row) for schedule_id, row in at_places]


def _add_organization_countries(facts: dict[str, ServiceFacts], organization_ids: set[str]) -> None:
    """Where an organisation is: the countries of its addresses (online services serve that country)."""
    found: dict[str, set[str]] = defaultdict(set)
    locations = dict(rows_where_in(Location, ("id", "organization_id"), "organization_id", organization_ids))
    for location_id, country in rows_where_in(Address, ("location_id", "country"), "location_id", locations):
        if country:
            found[locations[location_id]].add(country)
    for item in facts.values():
        item.organization_countries = sorted(found.get(item.service["organization_id"], ()))


def all_service_ids(after: str = "", limit: int = 2000) -> list[str]:
    """Service ids in id order, `limit` at a time after `after`: walks any number of services."""
    return list(Service.objects.filter(id__gt=after).order_by("id").values_list("id", flat=True)[:limit])


def _linked(model: Any, column: str, ids: Collection[str], by: str = "id") -> set[str]:
    """Values of `column` in rows whose `by` is one of `ids`, asked a chunk of ids at a time."""
    return {value for (value,) in rows_where_in(model, (column,), by, ids) if value}


def services_touched_by(changed: Mapping[str, Collection[str]]) -> set[str]:
    """The services whose search rows a change to these records (HSDS table -> ids) may alter.

    A service is described by its own row, the rows that name it (schedules, languages, costs,
    capacities), the places it is offered at (and their addresses), its organisation's name, and
    the countries of its organisation's locations (where an online service is offered).
    """
    touched = set(changed.get("service", ()))
    for table in ("schedule", "language", "cost_option", "service_capacity", "service_at_location"):
        touched |= _linked(HSDS_MODELS[table], "service_id", changed.get(table, ()))
    at_locations = set(changed.get("service_at_location", ()))
    at_locations |= _linked(Schedule, "service_at_location_id", changed.get("schedule", ()))
    locations = set(changed.get("location", ())) | _linked(Address, "location_id", changed.get("address", ()))
    touched |= _linked(ServiceAtLocation, "service_id", at_locations)
    touched |= _linked(ServiceAtLocation, "service_id", locations, by="location_id")
    organizations = set(changed.get("organization", ())) | _linked(Location, "organization_id", locations)
    touched |= _linked(Service, "id", organizations, by="organization_id")
    return touched
