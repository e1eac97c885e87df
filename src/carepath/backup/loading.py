"""The steps of a restore that write, each run inside the restore's one transaction.

Rows go in exactly as the file holds them, with the ids they had, through plain INSERTs: no model
field converts them, so ciphertext stays ciphertext and audit events stay byte for byte the same.
Each table's rows are hashed as they are read and compared with the manifest before the next
table, so a changed file is refused at the table it was changed in.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from typing import Any

from django.core.management.color import no_style
from django.db import DatabaseError, IntegrityError, connection

from carepath.backup.archive import DamagedBackup, TableEntry, table_lines
from carepath.backup.codec import BadValue, TableDigest, check_neutral, to_database
from carepath.backup.tables import Table, rebuilt_models

INSERT_BATCH = 1000
Progress = Callable[[str, int, int], None]  # table, rows done, rows in all


def empty_tables(tables: list[Table]) -> None:
    """Empty every backed-up table and every rebuilt one, in one statement per table (TRUNCATE on
    PostgreSQL, which needs every table that points at another named with it)."""
    names = [table.name for table in tables] + [model._meta.db_table for model in rebuilt_models()]
    with connection.cursor() as cursor:
        for statement in connection.ops.sql_flush(no_style(), names, reset_sequences=False):
            cursor.execute(statement)


def load_table(archive: zipfile.ZipFile, table: Table, entry: TableEntry, progress: Progress | None) -> int:
    """Insert the table's rows from the file; refuses a row that does not fit, naming its line."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(name) for name in table.column_names)
    marks = ", ".join(["%s"] * len(table.columns))
    # Names come from the models and are quoted; every value is a parameter.
    sql = f"INSERT INTO {quote(table.name)} ({columns}) VALUES ({marks})"  # noqa: S608
    digest = TableDigest(table.column_names, table.kinds)
    batch: list[list[Any]] = []
    first_line = 1
    with connection.cursor() as cursor:
        for number, values in table_lines(archive, table.name):
            batch.append(_parameters(table, number, values))
            digest.add(values)
            if len(batch) >= INSERT_BATCH:
                _insert(cursor, sql, batch, table, first_line)
                batch, first_line = [], number + 1
                if progress is not None:
                    progress(table.name, digest.rows, entry.rows)
        if batch:
            _insert(cursor, sql, batch, table, first_line)
    if progress is not None:
        progress(table.name, digest.rows, entry.rows)
    if (digest.rows, digest.sha256) != (entry.rows, entry.sha256):
        raise DamagedBackup(
            f"table {table.name}: the file holds {digest.rows} rows that do not match the manifest "
            f"({entry.rows} rows, checksum {entry.sha256[:12]}…); the file was changed or damaged"
        )
    return digest.rows


def _parameters(table: Table, number: int, values: list[Any]) -> list[Any]:
    if len(values) != len(table.columns):
        raise DamagedBackup(
            f"table {table.name}, line {number}: {len(values)} values for {len(table.columns)} columns"
        )
    parameters = []
    for column, value in zip(table.columns, values, strict=True):
        try:
            check_neutral(column.kind, value)
            parameters.append(to_database(column.kind, value, connection))
        except BadValue as error:
            raise DamagedBackup(f"table {table.name}, line {number}, column {column.name}: {error}") from None
    return parameters


def _insert(cursor: Any, sql: str, batch: list[list[Any]], table: Table, first_line: int) -> None:
    try:
        cursor.executemany(sql, batch)
    except DatabaseError as error:
        last_line = first_line + len(batch) - 1
        raise DamagedBackup(
            f"table {table.name}, lines {first_line}-{last_line}: the database refused a row ({error})"
        ) from None


def check_links(tables: list[Table]) -> None:
    """Every foreign key points at a row that is there (checked now, not at commit, to name it)."""
    try:
        connection.check_constraints(table_names=[table.name for table in tables])
    except IntegrityError as error:
        raise DamagedBackup(f"a restored row points at a row the backup does not hold: {error}") from None


def reset_sequences(tables: list[Table]) -> None:
    """PostgreSQL: the next new id of each table follows the highest restored one."""
    statements = connection.ops.sequence_reset_sql(no_style(), [table.model for table in tables])
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
