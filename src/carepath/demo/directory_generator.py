"""Synthetic HSDS directory data at any size, the same for the same size and seed.

Organisation number *i* is made from its own random generator, seeded by the seed and *i*, so the
data does not depend on how it is cut into batches, and a larger directory with the same seed starts
with the smaller one. Each organisation sits in a real town (`directory_towns`), runs one to five
services (`directory_listing`) at a location a few kilometres from the town centre, and, for services
offered online or by phone only, at a virtual location. Addresses are written only where a postal
code can be made plausible (HSDS requires one in every address).

`demo_directory` yields batches of rows by HSDS table, a few thousand services at a time, so any
number of services can be written in bounded memory.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from carepath.demo import directory_words as words
from carepath.demo.directory_listing import PEOPLE_UNIT, Row, new_id, plan_service, service_rows, slug
from carepath.demo.directory_postcodes import postal_code, state_province
from carepath.demo.directory_towns import Town, TownPicker

BATCH_SERVICES = 2000
SERVICES_PER_ORGANIZATION = (1, 2, 3, 4, 5)
SERVICES_PER_ORGANIZATION_WEIGHTS = (30, 30, 20, 12, 8)


@dataclass
class DirectoryBatch:
    rows: dict[str, list[Row]] = field(default_factory=dict)
    services: int = 0
    organizations: int = 0

    def add(self, table: str, *rows: Row) -> None:
        self.rows.setdefault(table, []).extend(rows)

    @property
    def records(self) -> int:
        return sum(len(rows) for rows in self.rows.values())


def organization_random(seed: int, index: int) -> random.Random:
    # Demo data, not secrets: a seeded, reproducible generator is the point.
    return random.Random(f"carepath-demo-directory:{seed}:{index}")  # noqa: S311  # nosec B311 # seeded demo data, not a secret


def demo_directory(
    services: int, seed: int, batch_services: int = BATCH_SERVICES
) -> Iterator[DirectoryBatch]:
    """Batches of HSDS rows holding `services` services in all, with their organisations."""
    picker = TownPicker()
    batch, made, index = DirectoryBatch(), 0, 0
    batch.add("unit", dict(PEOPLE_UNIT))  # capacities name it, so it comes first
    while made < services:
        rng = organization_random(seed, index)
        (wanted,) = rng.choices(SERVICES_PER_ORGANIZATION, weights=SERVICES_PER_ORGANIZATION_WEIGHTS)
        wanted = min(wanted, services - made)
        _add_organization(rng, picker.pick(rng), wanted, batch)
        made, index = made + wanted, index + 1
        if batch.services >= batch_services:
            yield batch
            batch = DirectoryBatch()
    if batch.services:
        yield batch


def _add_organization(rng: random.Random, town: Town, services: int, batch: DirectoryBatch) -> None:
    organization_id, stem = new_id(rng), rng.choice(words.NAME_STEMS)
    name = f"{stem} {rng.choice(words.ORGANIZATION_KINDS)}"
    batch.add(
        "organization",
        {
            "id": organization_id,
            "name": name,
            "description": f"{words.DEMO_NOTE} A fictional mental-health organisation in {town.name}.",
            "email": f"{slug(name)}@example.org",
            "website": f"https://example.org/demo/{organization_id[:8]}",
            "year_incorporated": rng.randint(1975, 2022),
        },
    )
    batch.organizations += 1
    places: dict[bool, str] = {}  # virtual? -> location id, made when a service first needs it
    for _ in range(services):
        plan = plan_service(rng, organization_id, stem, town)
        if plan.virtual not in places:
            make = _virtual_location if plan.virtual else _physical_location
            places[plan.virtual] = make(rng, organization_id, name, town, batch)
        for table, rows in service_rows(rng, plan).items():
            batch.add(table, *rows)
        batch.add(
            "service_at_location",
            {"id": new_id(rng), "service_id": plan.id, "location_id": places[plan.virtual]},
        )
        batch.services += 1


def _physical_location(
    rng: random.Random, organization_id: str, name: str, town: Town, batch: DirectoryBatch
) -> str:
    location_id = new_id(rng)
    latitude, longitude = town.jittered(rng)
    batch.add(
        "location",
        {
            "id": location_id,
            "location_type": "physical",
            "organization_id": organization_id,
            "name": f"{name}, {town.name}",
            "description": f"{words.DEMO_NOTE} The position is made up, a few kilometres from {town.name}.",
            "latitude": Decimal(str(latitude)),
            "longitude": Decimal(str(longitude)),
        },
    )
    code = postal_code(rng, town.country, town.region_code, town.name)
    if code is not None:
        batch.add("address", _address(rng, location_id, town, code))
    return location_id


def _address(rng: random.Random, location_id: str, town: Town, code: str) -> dict[str, Any]:
    street = f"{rng.choice(words.STREET_STEMS)} {rng.choice(words.STREET_KINDS)}"
    return {
        "id": new_id(rng),
        "location_id": location_id,
        "address_1": f"{rng.randint(1, 240)} {street}",
        "address_2": "Demo address (fictional)",
        "city": town.name,
        "state_province": state_province(town.country, town.region_code),
        "postal_code": code,
        "country": town.country,
        "address_type": "physical",
    }


def _virtual_location(
    rng: random.Random, organization_id: str, name: str, town: Town, batch: DirectoryBatch
) -> str:
    location_id = new_id(rng)
    batch.add(
        "location",
        {
            "id": location_id,
            "location_type": "virtual",
            "url": f"https://example.org/demo/{organization_id[:8]}/online",
            "organization_id": organization_id,
            "name": f"{name} online",
            "description": f"{words.DEMO_NOTE} Online and by phone.",
        },
    )
    return location_id
