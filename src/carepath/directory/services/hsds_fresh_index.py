"""The search facts of a new import into an empty directory, from the rows it has just written.

When every HSDS table was empty before an import, the directory holds exactly the rows the import has
written so far, and its writer has had each of them in hand. Building the services' search facts from
those rows spares reading them back (about a third of the index's work), and so does working out from
them which services a chunk touched. What is built here is what `selectors.search_facts` reads from
the database for the same rows: the same values (as they read back: `raw_rows.read_back`), the same
links, the same order (`tests/integration/test_hsds_fresh_index.py` compares them).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from operator import itemgetter
from typing import Any

from carepath.directory.models import HSDS_MODELS
from carepath.directory.selectors.raw_rows import read_back
from carepath.directory.selectors.search_facts import (
    COST_FIELDS,
    SCHEDULE_FIELDS,
    SERVICE_FIELDS,
    PlaceFacts,
    ServiceFacts,
)

# The fields of each table that the search facts use, the id first.
FIELDS: dict[str, tuple[str, ...]] = {
    "service": SERVICE_FIELDS,
    "organization": ("id", "name"),
    "service_at_location": ("id", "service_id", "location_id"),
    "location": ("id", "location_type", "latitude", "longitude", "position_usable", "organization_id"),
    "address": ("id", "location_id", "city", "country"),
    "schedule": ("id", *SCHEDULE_FIELDS),
    "language": ("id", "service_id", "code", "name"),
    "cost_option": ("id", *COST_FIELDS),
    "service_capacity": ("id", "service_id", "available"),
}
# The tables whose records name a service in their service_id (as `services_touched_by` reads them).
NAMING_A_SERVICE = ("schedule", "language", "cost_option", "service_capacity", "service_at_location")

Row = dict[str, Any]


class FreshDirectory:
    """The rows an import into an empty directory has written, held for indexing its services."""

    def __init__(self) -> None:
        self.rows: dict[str, dict[str, Row]] = {table: {} for table in FIELDS}  # table -> id -> fields
        # Who names whom, kept as rows come: target id -> ids of the rows naming it.
        self.services_of_organization: dict[str, list[str]] = defaultdict(list)
        self.links_of_service: dict[str, list[str]] = defaultdict(list)
        self.links_at_location: dict[str, list[str]] = defaultdict(list)
        self.locations_of_organization: dict[str, list[str]] = defaultdict(list)
        self.addresses_of_location: dict[str, list[str]] = defaultdict(list)
        self.named_by: dict[str, dict[str, list[str]]] = {  # table -> service id -> row ids
            table: defaultdict(list) for table in ("schedule", "language", "cost_option", "service_capacity")
        }
        self.schedules_at_link: dict[str, list[str]] = defaultdict(list)  # without a service_id

    def add(self, table: str, attributes: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        """Hold the new rows of a table, given as `attributes` -> values, as they were inserted."""
        if table not in FIELDS:
            return  # nothing the search index reads
        wanted = FIELDS[table]
        pick = itemgetter(*(attributes.index(name) for name in wanted))
        readers = [(name, read_back(HSDS_MODELS[table], name)) for name in wanted]
        converted = [(name, reader) for name, reader in readers if reader is not None]
        held, notes = self.rows[table], self._notes(table)
        # A service's row is its facts' `service`, id and all; the others are held by id, without it.
        first = 0 if table == "service" else 1
        kept = wanted[first:]
        for values in rows:
            picked = pick(values)
            row = dict(zip(kept, picked[first:], strict=True))
            for name, reader in converted:
                row[name] = reader(row[name])
            row_id = picked[0]
            held[row_id] = row
            for naming, column, only_without_service in notes:
                target = row[column]
                if target and not (only_without_service and row["service_id"]):
                    naming[target].append(row_id)

    def _notes(self, table: str) -> list[tuple[dict[str, list[str]], str, bool]]:
        """(index, column, only without a service_id) for each link of a table's rows to note: the
        row's id goes in the index under the id its column names."""
        notes = {
            "service": [(self.services_of_organization, "organization_id", False)],
            "service_at_location": [
                (self.links_of_service, "service_id", False),
                (self.links_at_location, "location_id", False),
            ],
            "location": [(self.locations_of_organization, "organization_id", False)],
            "address": [(self.addresses_of_location, "location_id", False)],
            # Hours given for a service at one of its places, without naming the service itself.
            "schedule": [(self.schedules_at_link, "service_at_location_id", True)],
        }.get(table, [])
        if table in self.named_by:
            notes.append((self.named_by[table], "service_id", False))
        return notes

    def services_touched_by(self, changed: Mapping[str, Collection[str]]) -> set[str]:
        """What `selectors.search_facts.services_touched_by` finds for these rows, from those held."""
        rows = self.rows
        touched = set(changed.get("service", ()))
        for table in NAMING_A_SERVICE:
            touched |= _values_of(rows[table], changed.get(table, ()), "service_id")
        at_links = set(changed.get("service_at_location", ()))
        at_links |= _values_of(rows["schedule"], changed.get("schedule", ()), "service_at_location_id")
        locations = set(changed.get("location", ()))
        locations |= _values_of(rows["address"], changed.get("address", ()), "location_id")
        touched |= _values_of(rows["service_at_location"], at_links, "service_id")
        links_there = {link for location in locations for link in self.links_at_location.get(location, ())}
        touched |= _values_of(rows["service_at_location"], links_there, "service_id")
        organizations = set(changed.get("organization", ()))
        organizations |= _values_of(rows["location"], locations, "organization_id")
        touched |= {
            service
            for organization in organizations
            for service in self.services_of_organization.get(organization, ())
        }
        return touched

    def service_facts(self, service_ids: Sequence[str]) -> dict[str, ServiceFacts]:
        """What `selectors.search_facts.service_facts` reads for these services, from the rows held."""
        services = self.rows["service"]
        return {
            service_id: self._facts(services[service_id])
            for service_id in service_ids
            if service_id in services
        }

    def _facts(self, service: Row) -> ServiceFacts:
        rows = self.rows
        service_id, organization_id = service["id"], service["organization_id"]
        organization = rows["organization"].get(organization_id) if organization_id else None
        item = ServiceFacts(dict(service), organization_name=organization["name"] if organization else "")
        schedule_ids = list(self.named_by["schedule"].get(service_id, ()))
        for link_id in sorted(self.links_of_service.get(service_id, ())):
            schedule_ids += self.schedules_at_link.get(link_id, ())
            place = self._place(rows["service_at_location"][link_id]["location_id"])
            if place is not None:
                item.places.append(place)
        # The facts share the rows held (the index only reads them).
        item.schedules = [rows["schedule"][id_] for id_ in sorted(schedule_ids)]
        item.languages = [
            {"code": row["code"], "name": row["name"]}
            for row in _in_id_order(rows["language"], self.named_by["language"].get(service_id, ()))
        ]
        item.costs = _in_id_order(rows["cost_option"], self.named_by["cost_option"].get(service_id, ()))
        item.capacities = [
            None if row["available"] is None else int(row["available"])
            for row in _in_id_order(
                rows["service_capacity"], self.named_by["service_capacity"].get(service_id, ())
            )
        ]
        if organization_id:
            item.organization_countries = self._countries_of(organization_id)
        return item

    def _place(self, location_id: str | None) -> PlaceFacts | None:
        location = self.rows["location"].get(location_id) if location_id else None
        if location is None or location_id is None:
            return None
        latitude, longitude = location["latitude"], location["longitude"]
        usable = location["position_usable"] and latitude is not None and longitude is not None
        addresses = _in_id_order(self.rows["address"], self.addresses_of_location.get(location_id, ()))
        return PlaceFacts(
            location["location_type"],
            float(latitude) if usable else None,
            float(longitude) if usable else None,
            [row["city"] for row in addresses if row["city"]],
            [row["country"] for row in addresses if row["country"]],
        )

    def _countries_of(self, organization_id: str) -> list[str]:
        addresses = self.rows["address"]
        return sorted(
            {
                addresses[address_id]["country"]
                for location_id in self.locations_of_organization.get(organization_id, ())
                for address_id in self.addresses_of_location.get(location_id, ())
                if addresses[address_id]["country"]
            }
        )


def _values_of(rows: dict[str, Row], ids: Iterable[str], field: str) -> set[str]:
    """The `field` of each of these rows that is held and has one."""
    found = set()
    for id_ in ids:
        row = rows.get(id_)
        if row is not None and row[field]:
            found.add(row[field])
    return found


def _in_id_order(rows: dict[str, Row], ids: Iterable[str]) -> list[Row]:
    return [rows[id_] for id_ in sorted(ids)]
