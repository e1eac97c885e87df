"""A new import into an empty directory indexes its services from the rows it wrote (`hsds_fresh_index`).

The facts built from those rows must be the ones `selectors.search_facts` reads back from the
database, the services they touch the ones `services_touched_by` finds, and the index at the end the
one a rebuild makes; a directory that was not empty, or a record amended at the end, goes the way
that reads the database.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from carepath.demo.directory_generator import demo_directory
from carepath.directory.selectors.search_facts import service_facts, services_touched_by
from carepath.directory.services import hsds_pipeline, search_index
from carepath.directory.services.hsds_bulk import (
    insert_attributes,
    insert_prepared,
    prepare_rows,
    unprepared_rows,
)
from carepath.directory.services.hsds_fresh_index import FIELDS, FreshDirectory
from carepath.directory.services.hsds_pipeline import import_hsds_path
from carepath.directory.services.search_index import rebuild_search_index
from carepath.interop.hsds_export import write_json_export, write_tabular_export
from carepath.interop.hsds_reader import read_hsds
from tests.integration.test_hsds_import_speed import _index

pytestmark = pytest.mark.django_db
SERVICES = 30


def _demo_values(tmp_path: Path) -> dict[str, list[dict[str, Any]]]:
    """The demo directory as the readers give it (HSDS column -> value), with the odd cases added."""
    rows: dict[str, list[dict[str, Any]]] = {}
    for batch in demo_directory(SERVICES, seed=7):
        for table, table_rows in batch.rows.items():
            rows.setdefault(table, []).extend(table_rows)
    write_json_export(rows, tmp_path / "demo")
    values: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for record in read_hsds(tmp_path / "demo").records.values():
        values[record.table].append(record.values)
    _add_odd_cases(values)
    return values


def _add_odd_cases(values: dict[str, list[dict[str, Any]]]) -> None:
    """Hours given only at two of a service's places, in ids that sort before the others; a second
    address; a cost too precise for SQLite's doubles; a place whose location is not in the directory."""
    service = values["service"][0]["id"]
    locations = [row["id"] for row in values["location"]]
    links = [f"00000000-0000-4000-8000-00000000000{n}" for n in (2, 1)]
    for link, location in zip(links, locations[:2], strict=True):
        values["service_at_location"].append({"id": link, "service_id": service, "location_id": location})
    values["service_at_location"].append(
        {"id": "00000000-0000-4000-8000-000000000009", "service_id": service, "location_id": "nowhere"}
    )
    for number, (link, opens) in enumerate(zip(links, ("08:00", "10:00"), strict=True)):
        values["schedule"].append(
            {
                "id": f"00000000-0000-4000-8000-00000000010{number}",
                "service_at_location_id": link,
                "freq": "WEEKLY",
                "byday": "MO,TU",
                "opens_at": opens,
                "closes_at": "12:00",
                "valid_from": dt.date(2025, 1, 1),
            }
        )
    values["address"].append(
        {
            "id": "00000000-0000-4000-8000-000000000200",
            "location_id": locations[0],
            "address_1": "1 Side Street",
            "city": "Aardvark Town",
            "country": "GB",
        }
    )
    values["cost_option"].append(
        {
            "id": "00000000-0000-4000-8000-000000000300",
            "service_id": service,
            "amount": Decimal("123456789012.123456"),
            "currency": "GBP",
        }
    )


def _write_and_hold(values: dict[str, list[dict[str, Any]]]) -> FreshDirectory:
    """Insert the rows as the import's writer does, holding them as it holds them."""
    fresh = FreshDirectory()
    for table in sorted(values):
        rows = unprepared_rows(table, sorted(values[table], key=lambda row: str(row["id"])))
        fresh.add(table, insert_attributes(table), rows)
        insert_prepared(table, prepare_rows(table, rows))
    return fresh


def test_the_facts_held_are_the_facts_read_back(tmp_path: Path) -> None:
    values = _demo_values(tmp_path)
    fresh = _write_and_hold(values)
    ids = sorted(row["id"] for row in values["service"])

    held, read = fresh.service_facts(ids), service_facts(ids)

    assert held == read
    first = read[values["service"][0]["id"]]
    assert [schedule["opens_at"] for schedule in first.schedules][:2] == [
        "08:00",
        "10:00",
    ]  # by id, not by place
    assert any(cost["amount"] is not None and cost["amount"] > 10**11 for cost in first.costs)
    assert any(len(place.cities) == 2 for facts in read.values() for place in facts.places)
    assert fresh.service_facts(["not-a-service"]) == service_facts(["not-a-service"]) == {}


def test_the_services_touched_are_the_ones_the_database_names(tmp_path: Path) -> None:
    values = _demo_values(tmp_path)
    fresh = _write_and_hold(values)
    checked = 0
    for table in FIELDS:
        ids = [str(row["id"]) for row in values[table]]
        for some in (ids[:1], ids[::3], ids):
            changed = {table: some}
            assert fresh.services_touched_by(changed) == services_touched_by(changed), table
            checked += 1
    assert checked == 3 * len(FIELDS)
    everything = {table: [str(row["id"]) for row in values[table]] for table in FIELDS}
    assert fresh.services_touched_by(everything) == services_touched_by(everything)


@pytest.mark.parametrize("form", ["json", "tabular"])
def test_an_import_into_an_empty_directory_reads_no_facts_back_and_indexes_as_a_rebuild(
    tmp_path: Path, form: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(hsds_pipeline, "CHUNK_RECORDS", 40)  # many chunks: services touched again
    rows: dict[str, list[dict[str, Any]]] = {}
    for batch in demo_directory(SERVICES, seed=7):
        for table, table_rows in batch.rows.items():
            rows.setdefault(table, []).extend(table_rows)
    rows["service"][0] = {**rows["service"][0], "status": "inactive"}  # the unlisted index too
    write = write_json_export if form == "json" else write_tabular_export
    write(rows, tmp_path / form)

    def no_reading_back(*_args: Any) -> Any:
        raise AssertionError("a new import into an empty directory read the facts back")

    with monkeypatch.context() as patched:
        patched.setattr(search_index, "service_facts", no_reading_back)
        patched.setattr(hsds_pipeline.Written, "services_to_refresh", no_reading_back)
        import_hsds_path(tmp_path / form, actor_label="test")

    imported = _index()
    assert len(imported["entries"]) == SERVICES - 1 and len(imported["unlisted"]) == 1
    rebuild_search_index()
    assert _index() == imported


def test_an_import_into_a_directory_with_records_reads_the_facts_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows: dict[str, list[dict[str, Any]]] = {}
    for batch in demo_directory(SERVICES, seed=7):
        for table, table_rows in batch.rows.items():
            rows.setdefault(table, []).extend(table_rows)
    write_json_export({"organization": rows["organization"][:1]}, tmp_path / "first")
    write_json_export(rows, tmp_path / "all")
    import_hsds_path(tmp_path / "first", actor_label="test")
    read_back: list[int] = []
    real = search_index.service_facts

    def counted(ids: Any) -> Any:
        read_back.append(len(ids))
        return real(ids)

    monkeypatch.setattr(search_index, "service_facts", counted)
    import_hsds_path(tmp_path / "all", actor_label="test")

    assert sum(read_back) >= SERVICES
    imported = _index()
    rebuild_search_index()
    assert _index() == imported
