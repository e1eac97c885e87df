"""Reading many rows by a list of ids: plain SQL per chunk, each value converted as the ORM converts it.

A queryset filtered by a thousand ids spends more time preparing the ids and building the query
than the database spends answering it, and an import or a re-index asks thousands of such queries.
Here the SQL is made once per (model, fields, column) and the ids go in as parameters; each value
then passes the same converters the ORM would apply (a SQLite decimal quantized, a date parsed,
JSON decoded), so what is read is exactly what `.values()` would give, in the same order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections, models

SQLITE_CHUNK = 500  # SQLite's parameter limit may be as low as 999
CHUNK = 5000  # elsewhere a larger chunk saves round trips

Converter = Callable[[Any, Any, Any], Any]


@dataclass(frozen=True)
class _Reader:
    head: str  # SELECT ... WHERE column IN (, the marks follow
    converters: tuple[tuple[int, tuple[Converter, ...], Any], ...]  # position, converters, expression


def chunk_size() -> int:
    return SQLITE_CHUNK if connection.vendor == "sqlite" else CHUNK


def chunked(values: Iterable[Any]) -> Iterator[list[Any]]:
    ordered, size = list(values), chunk_size()
    for start in range(0, len(ordered), size):
        yield ordered[start : start + size]


def rows_where_in(
    model: type[models.Model], names: Sequence[str], by: str, values: Iterable[Any], *, null: str = ""
) -> list[tuple[Any, ...]]:
    """The `names` (model attributes) of the rows whose `by` attribute is one of `values`, as tuples;
    with `null`, only the rows where that attribute is null.

    One chunk of values after another; within a chunk, in the order the database gives (no ORDER BY,
    as `.filter(by__in=...).values_list(*names)` on a model without a default ordering)."""
    reader = _reader(model, tuple(names), by, null, connection.vendor)
    database = connections[DEFAULT_DB_ALIAS]
    found: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        for chunk in chunked(values):
            cursor.execute(f"{reader.head}{', '.join(['%s'] * len(chunk))})", chunk)
            rows = cursor.fetchall()
            if reader.converters:
                rows = [_converted(row, reader.converters, database) for row in rows]
            found.extend(rows)
    return found


def _converted(
    row: tuple[Any, ...], converters: tuple[tuple[int, tuple[Converter, ...], Any], ...], database: Any
) -> tuple[Any, ...]:
    values = list(row)
    for position, functions, expression in converters:
        value = values[position]
        for function in functions:
            value = function(value, expression, database)
        values[position] = value
    return tuple(values)


@cache
def _reader(model: type[models.Model], names: tuple[str, ...], by: str, null: str, vendor: str) -> _Reader:
    """The SQL and the converters for reading `names` by `by`; per vendor, as the converters differ."""
    database = connections[DEFAULT_DB_ALIAS]
    quote = database.ops.quote_name
    table = model._meta.db_table
    converters = []
    columns = []
    for position, name in enumerate(names):
        field = model._meta.get_field(name)
        assert isinstance(field, models.Field)  # nosec B101 # type narrowing: concrete fields only
        columns.append(quote(field.column))
        expression = field.get_col(table)
        functions = [*database.ops.get_db_converters(expression), *expression.get_db_converters(database)]
        if functions:
            converters.append((position, tuple(functions), expression))
    condition = f"{quote(_column(model, null))} IS NULL AND " if null else ""
    condition += f"{quote(_column(model, by))} IN ("
    # Names come from the model (quoted); the values are parameters.
    head = f"SELECT {', '.join(columns)} FROM {quote(table)} WHERE {condition}"  # noqa: S608
    return _Reader(head, tuple(converters))


def _column(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field)  # nosec B101 # type narrowing: concrete fields only
    return field.column


def fields_by_id(
    model: type[models.Model], ids: Iterable[str], names: Sequence[str]
) -> dict[str, dict[str, Any]]:
    """id -> {attribute: stored value} for those of `ids` in the table; `names` are model attributes.

    What `selectors.hsds.stored_fields` gives, read without building a queryset per chunk."""
    wanted, key = tuple(names), model._meta.pk.attname
    return {
        row[0]: dict(zip(wanted, row[1:], strict=True))
        for row in rows_where_in(model, (key, *wanted), key, sorted(set(ids)))
    }


def read_back(model: type[models.Model], name: str) -> Callable[[Any], Any] | None:
    """How a value written to this field reads back with `rows_where_in`, or None: as it was written.

    Text, whole numbers, flags, dates and JSON come back as they went in. A decimal does too on
    PostgreSQL (equal, if not always with as many trailing zeros), but SQLite keeps it as an integer
    or a double, which the ORM's converter turns back into a decimal of at most 15 digits."""
    field = model._meta.get_field(name)
    if connection.vendor != "sqlite" or not isinstance(field, models.DecimalField):
        return None
    reader = _reader(model, (name,), model._meta.pk.attname, "", connection.vendor)
    database = connections[DEFAULT_DB_ALIAS]
    # A value of at most 15 digits, none after the field's places, reads back as itself (numerically).
    bound = Decimal(10) ** (15 - field.decimal_places)

    def as_read(value: Any) -> Any:
        if value is None or (-bound < value < bound and value == round(value, field.decimal_places)):
            return value
        whole = isinstance(value, int) or value == value.to_integral_value()
        stored = int(value) if whole and abs(value) < 2**63 else float(value)
        return _converted((stored,), reader.converters, database)[0]

    return as_read
