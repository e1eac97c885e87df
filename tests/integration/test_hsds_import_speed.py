"""The import's faster paths give exactly what the general ones give.

Plain-SQL reads (`selectors.raw_rows`) against the ORM's `.values_list`, the writers' shortcut past
`get_db_prep_save` against Django's own preparation, the memo of opening windows against the fields
`hours` reads, the per-column value readers against `read_value`'s general path, and the search
index an import builds against the one a full rebuild builds.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections, models

from carepath.demo.directory_generator import demo_directory
from carepath.directory.models import HSDS_MODELS, SearchCard, SearchEntry, SearchPoint, UnlistedEntry
from carepath.directory.selectors.raw_rows import fields_by_id, rows_where_in
from carepath.directory.selectors.search_facts import all_service_ids, service_facts
from carepath.directory.services import search_index
from carepath.directory.services.hsds_bulk import field_preparer
from carepath.directory.services.hsds_import import import_hsds
from carepath.directory.services.search_index import rebuild_search_index
from carepath.interop.hsds_export import write_json_export
from carepath.interop.hsds_reader import read_hsds
from carepath.interop.hsds_tables import TABLES
from carepath.interop.hsds_values import BadValue, RoundedValue, _read, value_reader
from carepath_core.search import hours

pytestmark = pytest.mark.django_db
SERVICES = 40


def _import_demo(tmp_path: Path, revised: bool = False) -> None:
    rows: dict[str, list[dict[str, Any]]] = {}
    for batch in demo_directory(SERVICES, seed=3):
        for table, table_rows in batch.rows.items():
            rows.setdefault(table, []).extend(table_rows)
    # One service closed, so the unlisted index is written too.
    rows["service"][0] = {**rows["service"][0], "status": "inactive"}
    if revised:  # another service closed, every description and city changed
        rows["service"][1] = {**rows["service"][1], "status": "inactive"}
        rows["service"] = [
            {**row, "description": f"{row['description']} Revised."} for row in rows["service"]
        ]
        rows["address"] = [{**row, "city": f"New {row['city']}"} for row in rows["address"]]
    folder = tmp_path / ("revised" if revised else "original")
    write_json_export(rows, folder)
    batch = read_hsds(folder)
    assert not batch.errors
    import_hsds(batch, actor_label="test")


def test_plain_sql_reads_give_what_the_orm_gives(tmp_path: Path) -> None:
    _import_demo(tmp_path)
    checked = 0
    for model in HSDS_MODELS.values():
        names = [field.attname for field in model._meta.concrete_fields]
        ids = list(model._default_manager.values_list("pk", flat=True))
        expected = sorted(model._default_manager.filter(pk__in=ids).values_list(*names), key=str)
        assert sorted(rows_where_in(model, names, "id", ids), key=str) == expected
        others = [name for name in names if name != "id"]
        by_id = {row.pop("id"): row for row in model._default_manager.values("id", *others)}
        assert fields_by_id(model, ids, others) == by_id
        checked += len(ids)
    assert checked > 300


def test_service_facts_read_what_the_orm_reads(tmp_path: Path) -> None:
    _import_demo(tmp_path)
    from carepath.directory.models import Schedule, Service

    ids = all_service_ids()
    facts = service_facts(ids)
    assert set(facts) == set(ids)
    for row in Service.objects.values(*search_index_fields()):
        assert facts[row["id"]].service == row
    for row in Schedule.objects.filter(service_id__in=ids).values(*schedule_fields()):
        assert row in facts[row["service_id"]].schedules


def search_index_fields() -> tuple[str, ...]:
    from carepath.directory.selectors.search_facts import SERVICE_FIELDS

    return SERVICE_FIELDS


def schedule_fields() -> tuple[str, ...]:
    from carepath.directory.selectors.search_facts import SCHEDULE_FIELDS

    return SCHEDULE_FIELDS


def _index() -> dict[str, Any]:
    """The whole search index by service id, without the entries' own ids."""
    entries = {row["id"]: row for row in SearchEntry.objects.values()}
    points: dict[str, list[tuple[Any, ...]]] = {}
    for entry_id, *point in SearchPoint.objects.values_list("entry_id", "cell", "latitude", "longitude"):
        points.setdefault(entries[entry_id]["service_id"], []).append(tuple(point))
    cards = {
        entries[entry_id]["service_id"]: json.loads(facts)
        for entry_id, facts in SearchCard.objects.values_list("entry_id", "facts")
    }
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT rowid, name, keywords, body, places FROM directory_search_text")
            documents = {entries[rowid]["service_id"]: parts for rowid, *parts in cursor.fetchall()}
            cursor.execute(
                "SELECT u.service_id, t.name, t.body FROM directory_unlistedentry u "
                "JOIN directory_unlisted_text t ON t.rowid = u.id"
            )
        else:
            cursor.execute("SELECT id, document::text FROM directory_searchentry")
            documents = {entries[entry_id]["service_id"]: text for entry_id, text in cursor.fetchall()}
            cursor.execute("SELECT service_id, document::text FROM directory_unlistedentry")
        unlisted = sorted(cursor.fetchall())
    return {
        "entries": {
            row["service_id"]: {k: v for k, v in row.items() if k != "id"} for row in entries.values()
        },
        "points": {service: sorted(found) for service, found in points.items()},
        "documents": documents,
        "cards": cards,
        "unlisted": unlisted,
    }


def test_the_index_an_import_builds_is_the_one_a_rebuild_builds(tmp_path: Path) -> None:
    _import_demo(tmp_path)
    imported = _index()
    assert len(imported["entries"]) == SERVICES - 1 and len(imported["unlisted"]) == 1
    assert len(imported["documents"]) == SERVICES - 1 and imported["points"]
    assert len(imported["cards"]) == SERVICES - 1
    assert UnlistedEntry.objects.count() == 1

    rebuild_search_index()

    assert _index() == imported


def test_an_import_that_changes_records_leaves_the_index_a_rebuild_would_build(tmp_path: Path) -> None:
    _import_demo(tmp_path)
    _import_demo(tmp_path, revised=True)
    revised = _index()
    assert len(revised["unlisted"]) == 2
    assert all(entry["name_key"] for entry in revised["entries"].values())

    rebuild_search_index()

    assert _index() == revised


def _prep_samples() -> Iterator[tuple[models.Field[Any, Any], Any]]:
    samples: dict[type, list[Any]] = {
        models.BooleanField: [True, False, None],
        models.IntegerField: [0, 7, -3, None],
        models.FloatField: [0.5, -75.193136, None],
        models.DecimalField: [Decimal("18"), Decimal("43.101745000000"), Decimal("-0.5"), None],
        models.DateField: [dt.date(2025, 12, 16), None],
        models.JSONField: [["a", "b"], [], None],
    }
    for model in [*HSDS_MODELS.values(), SearchEntry, SearchPoint]:
        for field in model._meta.concrete_fields:
            for value in samples.get(type(field), []):
                yield field, value


def test_the_writers_shortcut_prepares_values_as_django_does() -> None:
    database = connections[DEFAULT_DB_ALIAS]
    tried = 0
    for field, value in _prep_samples():
        prepare = field_preparer(field)
        assert prepare is not None
        expected = field.get_db_prep_save(value, database)
        got = prepare(value)
        if hasattr(expected, "obj"):  # PostgreSQL's JSON wrapper (psycopg Jsonb) compares by identity
            expected, got = (type(expected), expected.obj), (type(got), got.obj)
        assert (type(got), got) == (type(expected), expected) or (
            # PostgreSQL: Django names an integer's size (Int4(7)); COPY takes the plain int.
            connection.vendor == "postgresql" and isinstance(expected, int) and got == expected
        ), (field, value)
        tried += 1
    assert tried > 50


class _Reading(Mapping[str, Any]):
    """A schedule that notes which of its fields are read."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.values, self.read = values, set[str]()

    def __getitem__(self, key: str) -> Any:
        self.read.add(key)
        return self.values[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.values)

    def __len__(self) -> int:
        return len(self.values)

    def get(self, key: str, default: Any = None) -> Any:
        self.read.add(key)
        return self.values.get(key, default)


def test_the_windows_memo_keys_on_every_field_the_hours_read() -> None:
    from carepath.directory.selectors.search_facts import SCHEDULE_FIELDS

    rule = _Reading(
        {name: None for name in SCHEDULE_FIELDS}
        | {
            "freq": "WEEKLY",
            "byday": "MO,TU",
            "opens_at": "09:00",
            "closes_at": "17:00",
            "timezone": Decimal(1),
        }
        | {"valid_from": dt.date(2025, 1, 1), "valid_to": dt.date(2026, 1, 1)}
    )
    assert hours.weekly_windows(rule) is not None
    assert rule.read <= set(search_index.WINDOW_FIELDS)
    assert set(search_index.WINDOW_FIELDS) <= set(SCHEDULE_FIELDS)


def _outcome(read: Any, raw: Any) -> tuple[str, Any]:
    try:
        return "value", read(raw)
    except RoundedValue as rounded:
        return "rounded", (rounded.value, rounded.problem)
    except BadValue as bad:
        return "bad", bad.problem


RAW_VALUES: tuple[Any, ...] = (
    None, "", "text", 0, 7, Decimal("1.5"), Decimal("12.1234567"), 1.25, True, False, "2025-01-02",
    "2025-13-02", "09:00", "25:00", "2024-09-25T14:23:06Z", [], ["a"], ["a", 1], "peer", "nonsense",
    ["risk_to_life"], ["not a limit"], {"a": 1},
)  # fmt: skip


def test_each_columns_reader_reads_as_read_value_does() -> None:
    tried = 0
    for table in TABLES.values():
        for column in table.all_columns:
            read = value_reader(table.name, column)
            for raw in RAW_VALUES:
                expected = _outcome(lambda value: _read(table, column, value), raw)  # noqa: B023
                assert _outcome(read, raw) == expected, (table.name, column, raw)
                tried += 1
    assert tried > 1000
