"""Reading for backups: raw rows in primary-key order, checksums, the migration state.

Rows are read with a plain cursor, never through the models, so nothing is decrypted or converted;
`codec` puts each value in its database-neutral form. A table is read by one query in primary-key
order: SQLite hands rows over as they are stepped through, and on PostgreSQL the query runs in a
server-side cursor, so memory holds one batch whatever the table's size.
"""

from __future__ import annotations

import decimal
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader

from carepath.backup.codec import BadValue, Kind, TableDigest, to_neutral
from carepath.backup.tables import Table
from carepath.errors import ApplicationError

BATCH = 2000


@contextmanager
def consistent_snapshot() -> Iterator[None]:
    """One read-only transaction that sees the database as it was when it began.

    PostgreSQL: REPEATABLE READ. SQLite (WAL): a deferred transaction, whose first read fixes what
    it sees; the settings would start an IMMEDIATE one, which takes the write lock and would hold
    every writer back for the length of the backup, so this one is begun by hand.
    """
    if connection.vendor == "postgresql":
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
        return
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("BEGIN DEFERRED")
        cursor.execute("SELECT count(*) FROM sqlite_master")  # the snapshot starts at the first read
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ROLLBACK")


def _select_sql(table: Table) -> str:
    quote = connection.ops.quote_name
    postgres = connection.vendor == "postgresql"
    columns = ", ".join(
        # As text: jsonb parsed by the driver would make a JSON null look like SQL NULL.
        f"{quote(column.name)}::text" if postgres and column.kind is Kind.JSON else quote(column.name)
        for column in table.columns
    )
    key_kind = next(column.kind for column in table.columns if column.name == table.primary_key)
    # Text keys in byte order on both databases (SQLite's own order), so checksums agree across them.
    collate = ' COLLATE "C"' if postgres and key_kind is Kind.TEXT else ""
    # Names come from the models and are quoted; nothing here comes from a person.
    return f"SELECT {columns} FROM {quote(table.name)} ORDER BY {quote(table.primary_key)}{collate}"  # noqa: S608


def table_rows(table: Table) -> Iterator[list[Any]]:
    """Every row of the table in primary-key order, each value in its neutral form."""
    cursor: Any = connection.chunked_cursor() if connection.vendor == "postgresql" else connection.cursor()
    try:
        cursor.execute(_select_sql(table))
        while batch := cursor.fetchmany(BATCH):
            for raw in batch:
                yield _neutral_row(table, raw)
    finally:
        cursor.close()


def _neutral_row(table: Table, raw: Any) -> list[Any]:
    values = []
    for column, value in zip(table.columns, raw, strict=True):
        try:
            values.append(to_neutral(column.kind, value, column.places))
        except (BadValue, ValueError, TypeError, decimal.InvalidOperation) as error:
            key = raw[table.column_names.index(table.primary_key)]
            raise ApplicationError(
                f"table {table.name}, row {key}: column {column.name} holds a value that is not "
                f"{column.kind.value} ({error})"
            ) from None
    return values


def row_count(table: Table) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table.name)}")  # noqa: S608
        return int(cursor.fetchone()[0])


def table_digest(table: Table) -> TableDigest:
    """The row count and checksum of the table as it is in the database now."""
    digest = TableDigest(table.column_names, table.kinds)
    for values in table_rows(table):
        digest.add(values)
    return digest


def tables_holding_rows(tables: list[Table]) -> list[str]:
    found = []
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table.name)} LIMIT 1")  # noqa: S608
            if cursor.fetchone() is not None:
                found.append(table.name)
    return found


def migration_state() -> dict[str, str]:
    """The latest applied migration of each app (two joined by "+" where an app's history branches)."""
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    applied = set(loader.applied_migrations)
    latest: dict[str, list[str]] = {}
    for app, name in sorted(applied):
        node = loader.graph.node_map.get((app, name))
        children = node.children if node is not None else set()
        if not any(child[0] == app and child in applied for child in children):
            latest.setdefault(app, []).append(name)
    return {app: "+".join(sorted(names)) for app, names in sorted(latest.items())}
