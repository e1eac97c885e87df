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
`bulk_load_session` gives SQLite a larger page cache for the length of a large load. On PostgreSQL
the new rows go in with one `COPY` per table and call instead, many times faster than `INSERT`s, and
changed rows are `COPY`ed into a temporary table that one `UPDATE` joins.

The import service (`hsds_import`) writes through the same statements: `insert_records` for the
records it found new (already checked by the readers) and `update_records` for those it found
changed, one prepared `UPDATE` per table run with `executemany`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import DEFAULT_DB_ALIAS, IntegrityError, connection, connections, models
from django.db.backends.base.base import BaseDatabaseWrapper

from carepath.directory.models import HSDS_MODELS
from carepath.directory.services.hsds_rows import KEEP_DEFAULT, new_record_fields
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
    written: dict[str, int] = {}
    for table, table_rows in rows.items():
        if table_rows:
            written[table] = insert_records(table, [_checked(table, values) for values in table_rows])
    return written


def insert_records(table: str, rows: Sequence[Mapping[str, Any]]) -> int:
    """Insert new records of one table, already checked (HSDS column -> stored value); returns the count."""
    if not connection.in_atomic_block:
        raise ApplicationError("bulk HSDS inserts must run inside the transaction of the whole load")
    if not rows:
        return 0
    return insert_prepared(table, prepared_rows(table, rows))


def prepared_rows(table: str, rows: Sequence[Mapping[str, Any]]) -> list[list[Any]]:
    """The parameters `insert_prepared` takes for these new records: work that needs no database,
    so the import's reading process can do it while the writing process writes."""
    make = _row_maker(_insert_plan(table).columns)
    return [make(values) for values in rows]


def unprepared_rows(table: str, rows: Sequence[Mapping[str, Any]]) -> list[list[Any]]:
    """Each record's values in the order of `insert_attributes`, absent ones filled in, but not yet
    prepared for the database (`prepare_rows` does that, in place): the import's writer reads the
    values a new import stores from these before it prepares them (`services.hsds_fresh_index`)."""
    make = _row_maker(_insert_plan(table).columns, prepare=False)
    return [make(values) for values in rows]


def prepare_rows(table: str, rows: list[list[Any]]) -> list[list[Any]]:
    """`unprepared_rows` made ready for `insert_prepared`, in place (returns the same list)."""
    preparations = _preparations(_insert_plan(table).columns)
    if preparations:
        for row in rows:
            for position, prepare in preparations:
                row[position] = prepare(row[position])
    return rows


def insert_attributes(table: str) -> tuple[str, ...]:
    """The model attributes of an INSERT's columns, in the order its rows give their values."""
    return _insert_plan(table).attributes


def insert_prepared(table: str, params: list[list[Any]]) -> int:
    """Insert new records of one table given as `prepared_rows` made them; returns the count."""
    if not connection.in_atomic_block:
        raise ApplicationError("bulk HSDS inserts must run inside the transaction of the whole load")
    if not params:
        return 0
    plan = _insert_plan(table)
    try:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                _copy(cursor, plan, params)
            else:
                cursor.executemany(plan.sql, params)
    except IntegrityError as error:
        raise BulkInsertRefused(
            f"a {table} id is already in the directory or given twice ({error}); "
            "bulk inserts add new records only"
        ) from error
    return len(params)


def insert_rows(model: type[models.Model], names: Sequence[str], rows: Sequence[Sequence[Any]]) -> int:
    """Insert rows of any model (the search index's too): `names` are its attributes, each row their
    values, prepared here as `bulk_create` would; the database makes any id not given. Returns the count."""
    if not rows:
        return 0
    database = connections[DEFAULT_DB_ALIAS]
    quote = connection.ops.quote_name
    by_attribute = {field.attname: field for field in model._meta.concrete_fields}
    fields = [by_attribute[name] for name in names]
    preparers = [_preparer(field, database) for field in fields]
    prepared = [
        [value if prepare is None else prepare(value) for prepare, value in zip(preparers, row, strict=True)]
        for row in rows
    ]
    plan = _InsertPlan(
        quote(model._meta.db_table),
        [quote(field.column) for field in fields],
        [],
        tuple(names),
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _copy(cursor, plan, prepared)
        else:
            cursor.executemany(plan.sql, prepared)
    return len(prepared)


def update_records(table: str, rows: Sequence[Mapping[str, Any]], names: Sequence[str]) -> int:
    """Rewrite fields `names` (model attributes) of existing records; each row holds "id" and them."""
    if not connection.in_atomic_block:
        raise ApplicationError("bulk HSDS updates must run inside the transaction of the whole change")
    if not rows:
        return 0
    model: type[models.Model] = HSDS_MODELS[table]
    database = connections[DEFAULT_DB_ALIAS]
    by_name = {field.attname: field for field in model._meta.concrete_fields}
    fields = [by_name[name] for name in names]
    columns = [
        _Column(name, None, _preparer(field, database)) for name, field in zip(names, fields, strict=True)
    ]
    quote = connection.ops.quote_name
    table_name, targets = quote(model._meta.db_table), [quote(field.column) for field in fields]
    make = _row_maker(columns)
    params = [[*make(values), values["id"]] for values in rows]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _copy_update(cursor, table_name, targets, params)
        else:
            assignments = ", ".join(f"{target} = %s" for target in targets)
            # Table and column names come from the models (quoted); every value is a parameter.
            sql = f"UPDATE {table_name} SET {assignments} WHERE {quote('id')} = %s"  # noqa: S608
            cursor.executemany(sql, params)
    return len(params)


def _copy_update(cursor: Any, table_name: str, targets: list[str], params: list[list[Any]]) -> None:
    """PostgreSQL: the new values COPYed into a temporary table, then one UPDATE joining it."""
    changes, key = "carepath_hsds_changes", connection.ops.quote_name("id")
    listed = ", ".join([*targets, key])
    assignments = ", ".join(f"{target} = changes.{target}" for target in targets)
    # Names come from the models (quoted); the values travel by COPY.
    cursor.execute(f"CREATE TEMPORARY TABLE {changes} AS SELECT {listed} FROM {table_name} WITH NO DATA")  # noqa: S608
    with connection.wrap_database_errors, cursor.cursor.copy(f"COPY {changes} ({listed}) FROM STDIN") as copy:
        for row in params:
            copy.write_row(row)
    cursor.execute(
        f"UPDATE {table_name} AS target SET {assignments} FROM {changes} AS changes "  # noqa: S608
        f"WHERE target.{key} = changes.{key}"
    )
    cursor.execute(f"DROP TABLE {changes}")


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


@dataclass(frozen=True)
class _InsertPlan:
    table_name: str  # quoted
    column_names: list[str]  # quoted
    columns: list[_Column]  # where each column's values come from
    attributes: tuple[str, ...]  # the model attribute of each column

    @property
    def sql(self) -> str:
        placeholders = ", ".join(["%s"] * len(self.column_names))
        # Table and column names come from the models (quoted); every value is a parameter.
        return f"INSERT INTO {self.table_name} ({', '.join(self.column_names)}) VALUES ({placeholders})"  # noqa: S608


def _copy(cursor: Any, plan: _InsertPlan, params: list[list[Any]]) -> None:
    """PostgreSQL: the rows in one COPY, many times faster than as many INSERTs."""
    statement = f"COPY {plan.table_name} ({', '.join(plan.column_names)}) FROM STDIN"
    with connection.wrap_database_errors, cursor.cursor.copy(statement) as copy:
        for row in params:
            copy.write_row(row)


def _insert_plan(table: str) -> _InsertPlan:
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
    attributes = tuple(field.attname for field in model._meta.concrete_fields)
    return _InsertPlan(connection.ops.quote_name(model._meta.db_table), names, columns, attributes)


def _preparer(field: Any, database: BaseDatabaseWrapper) -> Callable[[Any], Any] | None:
    """None for text, which the database takes as it is; else the field's own preparation.

    Values of the types the preparation hands back unchanged (`_UNCHANGED`) skip it: most of an
    import's numbers, flags and whole numbers, which would otherwise each cost several calls."""
    target = field.target_field if field.is_relation else field
    if isinstance(target, (models.CharField, models.TextField)):
        return None
    get_db_prep_save = field.get_db_prep_save
    keeps_none = get_db_prep_save(None, database) is None
    unchanged = _unchanged_types(field)
    # A list for a JSONField on SQLite (the profile's lists of text) is stored as `json.dumps` writes
    # it, which is all Django's layers end in there (`adapt_json_value`, no encoder): called directly.
    lists_as_json = type(field) is models.JSONField and field.encoder is None and database.vendor == "sqlite"

    def prepare(value: Any) -> Any:
        if value is None and keeps_none:
            return None
        if type(value) in unchanged and (type(value) is not Decimal or value.is_finite()):
            return value
        if lists_as_json and type(value) is list:
            return json.dumps(value)
        return get_db_prep_save(value, database)

    return prepare


def _unchanged_types(field: Any) -> frozenset[type]:
    """The value types this field's `get_db_prep_save` returns as they are, on every backend.

    (DecimalField: a finite Decimal goes through `to_python`, a copy, and the backends' adapters,
    which keep it; `tests/unit/test_hsds_bulk_prepare.py` compares with Django for each.)"""
    for kind, types in _UNCHANGED:
        if type(field) is kind:
            return types
    return frozenset()


_UNCHANGED: tuple[tuple[type, frozenset[type]], ...] = (
    (models.BooleanField, frozenset({bool})),
    (models.IntegerField, frozenset({int})),
    (models.FloatField, frozenset({float})),
    (models.DecimalField, frozenset({Decimal})),
)


def field_preparer(field: Any) -> Callable[[Any], Any] | None:
    """How a value of this field is prepared for the database (None: it goes as it is)."""
    return _preparer(field, connections[DEFAULT_DB_ALIAS])


def _row_maker(
    columns: Sequence[_Column], *, prepare: bool = True
) -> Callable[[Mapping[str, Any]], list[Any]]:
    """Makes a row's parameters: each column's value, or its value when absent, then prepared
    (unless `prepare` is false).

    Made once per statement: a row is then one pass of `dict.get` and a few preparations."""
    # A column whose value is the same for every row is looked up under a key no row has.
    pairs: tuple[tuple[Any, Any], ...] = tuple(
        (_NO_KEY if column.key is None else column.key, column.absent) for column in columns
    )
    prepared = _preparations(columns) if prepare else ()

    def make(values: Mapping[Any, Any]) -> list[Any]:
        get = values.get
        row = [get(key, absent) for key, absent in pairs]
        for position, preparation in prepared:
            row[position] = preparation(row[position])
        return row

    return make


_NO_KEY = object()


def _preparations(columns: Sequence[_Column]) -> tuple[tuple[int, Callable[[Any], Any]], ...]:
    """(position, preparation) of each column whose values need preparing (a constant one is ready)."""
    return tuple(
        (position, column.prepare)
        for position, column in enumerate(columns)
        if column.key is not None and column.prepare is not None
    )


def _checked(table: str, values: dict[str, Any]) -> dict[str, Any]:
    if table not in TABLES:
        raise BulkInsertRefused(f"{table} is not an HSDS table")
    for field, problem, severity in check_record(table, values):
        if severity is Severity.ERROR:
            raise BulkInsertRefused(f"{table} '{values.get('id')}': {field}: {problem}")
    return values
