"""Re-encrypting every encrypted column under the newest key, and finding values no key opens.

Both walk each table holding encrypted fields in primary-key order, a batch at a time, reading
the ciphertext itself (never decrypting it into Python objects that could be saved back by
mistake). Rotation re-encrypts a batch under row locks in one transaction, so a crash leaves
every row either as it was or under the newest key, both readable while the old key is still
configured; running it again simply carries on. The columns are found by their field class, so a
field that becomes encrypted later is covered without listing it here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.apps import apps
from django.conf import settings
from django.db import models, transaction

from carepath.audit.models import AuditAction
from carepath.audit.services import record_event
from carepath.encryption.errors import UnreadableValue
from carepath.encryption.fields import EncryptedMixin
from carepath.encryption.keys import current_keys, newest_key

BATCH_SIZE = 500
Progress = Callable[[str, int, int], None]  # table, rows done, rows in the table
SealedRow = tuple[Any, dict[str, str]]  # row id, {column: ciphertext}


@dataclass(frozen=True)
class EncryptedTable:
    model: type[models.Model]
    columns: tuple[str, ...]  # the encrypted fields' column names

    @property
    def name(self) -> str:
        return self.model._meta.db_table


@dataclass
class TableCheck:
    table: str
    rows: int = 0
    under_older_key: int = 0  # values readable only with a key other than the newest
    unreadable: list[tuple[Any, str]] = field(default_factory=list)  # (row id, column)


def encrypted_tables() -> list[EncryptedTable]:
    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        # Column names double as field names: the encrypted fields set no db_column (checked in tests).
        columns = tuple(
            column.column
            for column in model._meta.local_concrete_fields
            if isinstance(column, EncryptedMixin)
        )
        if columns:
            found.append(EncryptedTable(model, columns))
    return sorted(found, key=lambda table: table.name)


def rotate_keys(*, batch_size: int = BATCH_SIZE, progress: Progress | None = None) -> dict[str, int]:
    """Re-encrypt every value under the newest key; rows re-encrypted, by table. Audited (counts only)."""
    rotated = {table.name: _rotate_table(table, batch_size, progress) for table in encrypted_tables()}
    with transaction.atomic():
        record_event(
            actor=None,
            actor_label="command line",
            action=AuditAction.KEYS_ROTATED,
            details={"rows": rotated, "keys_configured": len(settings.CAREPATH_ENCRYPTION_KEYS)},
        )
    return rotated


def check_keys(*, batch_size: int = BATCH_SIZE, progress: Progress | None = None) -> list[TableCheck]:
    """Which stored values each configured key opens; those none opens are listed by row and column."""
    newest, every_key = newest_key(), current_keys()
    results = []
    for table in encrypted_tables():
        result = TableCheck(table.name)

        def check(rows: list[SealedRow], result: TableCheck = result) -> None:
            for row_id, values in rows:
                result.rows += 1
                for column, token in values.items():
                    if _opens(newest, token):
                        continue
                    if _opens(every_key, token):
                        result.under_older_key += 1
                    else:
                        result.unreadable.append((row_id, column))

        _each_batch(table, batch_size, progress, check, lock=False)
        results.append(result)
    return results


def _rotate_table(table: EncryptedTable, batch_size: int, progress: Progress | None) -> int:
    every_key, rotated = current_keys(), 0

    def rotate(rows: list[SealedRow]) -> None:
        nonlocal rotated
        for row_id, values in rows:
            fresh = {}
            for column, token in values.items():
                try:
                    fresh[column] = models.Value(
                        every_key.rotate(token.encode("utf-8")).decode("ascii"),
                        # A plain text field, so the new ciphertext is written as it is.
                        output_field=models.TextField(),
                    )
                except InvalidToken:
                    raise UnreadableValue(table.name, column, row_id) from None
            if fresh:
                table.model._base_manager.filter(pk=row_id).update(**fresh)
                rotated += 1

    _each_batch(table, batch_size, progress, rotate, lock=True)
    return rotated


def _each_batch(
    table: EncryptedTable,
    batch_size: int,
    progress: Progress | None,
    handle: Callable[[list[SealedRow]], None],
    *,
    lock: bool,
) -> None:
    """Hand each batch of rows to `handle` inside the batch's own transaction (with `lock`, the
    rows stay locked until `handle` has written them back)."""
    total = table.model._base_manager.count()
    done, after = 0, None
    while True:
        with transaction.atomic():
            rows = _sealed_rows(table, after, batch_size, lock)
            handle(rows)
        if not rows:
            return
        done, after = done + len(rows), rows[-1][0]
        if progress is not None:
            progress(table.name, done, total)


def _sealed_rows(table: EncryptedTable, after: Any, limit: int, lock: bool) -> list[SealedRow]:
    """Rows as (id, {column: ciphertext}), leaving out empty values, read as stored (undecrypted):
    each column is wrapped in a plain text output field, which has no decrypting converter."""
    sealed = {
        f"sealed_{index}": models.ExpressionWrapper(models.F(column), output_field=models.TextField())
        for index, column in enumerate(table.columns)
    }
    query = table.model._base_manager.order_by("pk").annotate(**sealed)
    if after is not None:
        query = query.filter(pk__gt=after)
    if lock:
        query = query.select_for_update()
    rows = query.values_list("pk", *sealed)[:limit]
    return [
        (row[0], {column: value for column, value in zip(table.columns, row[1:], strict=True) if value})
        for row in rows
    ]


def _opens(keys: Fernet | MultiFernet, token: str) -> bool:
    try:
        keys.decrypt(token.encode("utf-8"))
    except InvalidToken:
        return False
    return True
