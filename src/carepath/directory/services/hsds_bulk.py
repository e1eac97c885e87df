"""Inserting many new HSDS records quickly: the rows an import would write, without reading files.

For data Carepath makes itself (the demo directory, `carepath demo-directory`). Rows arrive as
HSDS column -> stored value, the form the readers produce (`carepath.interop.hsds_values`), pass
the same record checks as an import (schedule rules; coordinates, which decide `position_usable`),
and are stored exactly as the import service stores a new record: the fields, and the values of
absent ones, come from `new_record_fields`, and each value is prepared for the database by its
model field, as `bulk_create` would. Only the SQL is leaner: one prepared INSERT per table, run with
`executemany`, which is what makes a million services practical.

It inserts only: an id already in the directory (the primary key's own check, which costs no
extra query) refuses the batch, so nothing is overwritten. The caller holds the transaction (one
for the whole load, so a failure leaves nothing half-written) and writes the audit event;
`bulk_load_session` gives SQLite a larger page cache for the length of a large load.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, IntegrityError, connection, connections, models
from django.db.backends.base.base import BaseDatabaseWrapper

from carepath.directory.models import HSDS_MODELS
from carepath.directory.services.hsds_import import KEEP_DEFAULT, new_record_fields
from carepath.errors import ApplicationError
from carepath.interop.hsds_records import Severity
from carepath.interop.hsds_tables import TABLES
from carepath.interop.hsds_values import check_record

Rows = Mapping[str, list[dict[str, Any]]]  # table -> rows (HSDS column -> stored value)
SQLITE_LOAD_CACHE_KIB = 256 * 1024  # page cache during a bulk load: bounded, and large enough for indexes


class BulkInsertRefused(ApplicationError):
    """A row failed a record check, or its id is already in the directory; nothing was written."""


@dataclass(frozen=True)
class _Column:
    key: str | None  # the column of the row's values; None: the same value for every row
    absent: Any  # the value when the row has none (already prepared when key is None)
    prepare: Callable[[Any], Any] | None  # the model field's preparation for the database


def insert_hsds_rows(rows: Rows) -> dict[str, int]:
    """Insert new records of any HSDS tables; returns the count per table. Call inside a transaction."""
    if not connection.in_atomic_block:
        raise ApplicationError("bulk HSDS inserts must run inside the transaction of the whole load")
    written: dict[str, int] = {}
    for table, table_rows in rows.items():
        if not table_rows:
            continue
        sql, columns = _insert_plan(table)
        params = [_database_row(columns, _checked(table, values)) for values in table_rows]
        try:
            with connection.cursor() as cursor:
                cursor.executemany(sql, params)
        except IntegrityError as error:
            raise BulkInsertRefused(
                f"a {table} id is already in the directory or given twice ({error}); "
                "bulk inserts add new records only"
            ) from error
        written[table] = len(params)
    return written


@contextmanager
def bulk_load_session() -> Iterator[None]:
    """For the length of a large load, a larger SQLite page cache (restored after); elsewhere nothing."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (before,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_LOAD_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


def _insert_plan(table: str) -> tuple[str, list[_Column]]:
    """The INSERT statement for a table and where each of its columns' values comes from."""
    model: type[models.Model] = HSDS_MODELS[table]
    template = model()  # a new instance: the defaults and the values a new row gets when saved
    sources = {attribute: (column, absent) for attribute, column, absent in new_record_fields(table)}
    database = connections[DEFAULT_DB_ALIAS]  # the connection itself, not its per-thread proxy
    names, columns = [], []
    for field in model._meta.concrete_fields:
        prepare = _preparer(field, database)
        names.append(connection.ops.quote_name(field.column))
        if field.attname == "id":
            columns.append(_Column("id", None, prepare))
        elif field.attname in sources:
            key, absent = sources[field.attname]
            absent = getattr(template, field.attname) if absent is KEEP_DEFAULT else absent
            columns.append(_Column(key, absent, prepare))
        else:  # not HSDS (Organization.last_modified): what saving a new instance would store
            value = field.pre_save(template, add=True)
            columns.append(_Column(None, prepare(value) if prepare else value, None))
    placeholders = ", ".join(["%s"] * len(names))
    table_name = connection.ops.quote_name(model._meta.db_table)
    # Table and column names come from the models (quoted); every value is a parameter.
    return f"INSERT INTO {table_name} ({', '.join(names)}) VALUES ({placeholders})", columns  # noqa: S608


def _preparer(field: models.Field[Any, Any], database: BaseDatabaseWrapper) -> Callable[[Any], Any] | None:
    """None for text, which the database takes as it is; else the field's own preparation."""
    target = field.target_field if field.is_relation else field  # type: ignore[attr-defined]
    if isinstance(target, (models.CharField, models.TextField)):
        return None

    def prepare(value: Any) -> Any:
        return field.get_db_prep_save(value, database)

    return prepare


def _database_row(columns: list[_Column], values: dict[str, Any]) -> list[Any]:
    row = []
    for column in columns:
        if column.key is None:
            row.append(column.absent)
            continue
        value = values.get(column.key, column.absent)
        row.append(column.prepare(value) if column.prepare is not None else value)
    return row


def _checked(table: str, values: dict[str, Any]) -> dict[str, Any]:
    if table not in TABLES:
        raise BulkInsertRefused(f"{table} is not an HSDS table")
    for field, problem, severity in check_record(table, values):
        if severity is Severity.ERROR:
            raise BulkInsertRefused(f"{table} '{values.get('id')}': {field}: {problem}")
    return values
