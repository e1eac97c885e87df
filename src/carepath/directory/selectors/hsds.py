"""Reading the directory as HSDS tables: which ids exist, and every row of a table."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.db import connection, models

from carepath.directory.models import HSDS_MODELS
from carepath.interop.hsds_tables import TABLES

LOOKUP_CHUNK = 500
LARGE_LOOKUP_CHUNK = 5000


def hsds_attributes(table: str) -> dict[str, str]:
    """HSDS column -> model attribute for one table's official columns (a link's attribute ends in _id)."""
    return _attributes(table, TABLES[table].columns)


def stored_attributes(table: str) -> dict[str, str]:
    """HSDS column -> model attribute for every column stored: official, then Carepath profile ones."""
    return _attributes(table, TABLES[table].all_columns)


def _attributes(table: str, wanted: tuple[str, ...]) -> dict[str, str]:
    model = HSDS_MODELS[table]
    columns = set(wanted)
    return {field.column: field.attname for field in model._meta.concrete_fields if field.column in columns}


def _chunks(ids: Iterable[str]) -> Iterator[list[str]]:
    # SQLite takes at most 999 parameters a query; PostgreSQL far more, and each query is a round trip.
    size = LOOKUP_CHUNK if connection.features.max_query_params else LARGE_LOOKUP_CHUNK
    chunk: list[str] = []
    for record_id in ids:
        chunk.append(record_id)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def existing_ids(table: str, ids: Iterable[str]) -> set[str]:
    model: type[models.Model] = HSDS_MODELS[table]
    found: set[str] = set()
    for chunk in _chunks(sorted(set(ids))):
        found.update(model._default_manager.filter(pk__in=chunk).values_list("pk", flat=True))
    return found


def existing_ids_in_any_table(ids: Iterable[str]) -> set[str]:
    wanted = set(ids)
    found: set[str] = set()
    for table in TABLES:
        found |= existing_ids(table, wanted - found)
    return found


def existing_records(table: str, ids: Iterable[str]) -> dict[str, models.Model]:
    model: type[models.Model] = HSDS_MODELS[table]
    found: dict[str, models.Model] = {}
    for chunk in _chunks(sorted(set(ids))):
        found.update(model._default_manager.in_bulk(chunk))
    return found


def has_records(table: str) -> bool:
    model: type[models.Model] = HSDS_MODELS[table]
    return model._default_manager.exists()


def stored_fields(table: str, ids: Iterable[str], names: Iterable[str]) -> dict[str, dict[str, Any]]:
    """id -> {field: stored value} for those of `ids` in the directory; `names` are model attributes."""
    model: type[models.Model] = HSDS_MODELS[table]
    wanted = list(names)
    found: dict[str, dict[str, Any]] = {}
    for chunk in _chunks(sorted(set(ids))):
        for row in model._default_manager.filter(pk__in=chunk).values("pk", *wanted):
            found[row.pop("pk")] = row
    return found


def hsds_rows(table: str) -> list[dict[str, Any]]:
    """Every row of one HSDS table, by id, as HSDS column -> stored value (None when empty).

    Rows carry the Carepath profile's columns too (None when not set)."""
    attributes = stored_attributes(table)
    model: type[models.Model] = HSDS_MODELS[table]
    rows = []
    for stored in (
        model._default_manager.order_by("pk").values(*attributes.values()).iterator(chunk_size=2000)
    ):
        rows.append({column: stored[attribute] for column, attribute in attributes.items()})
    return rows


def hsds_record_count() -> int:
    return sum(model._default_manager.count() for model in HSDS_MODELS.values())


def hsds_tables() -> dict[str, list[dict[str, Any]]]:
    """The whole directory as HSDS tables: table -> rows."""
    return {table: hsds_rows(table) for table in TABLES}
