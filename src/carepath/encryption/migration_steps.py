"""The data step of a migration that makes existing columns encrypted: it encrypts the rows already
there (and, reversed, decrypts them back to plain text).

The migration first alters the field to an encrypted one (no change to the column's type except
JSON, which becomes text), then runs `encrypt_existing(...)`. Values are read and written as they
are stored, around the field's own encryption, so plain text is not taken for ciphertext and
ciphertext is not encrypted twice. Imported by migrations: keep the signature stable.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from cryptography.fernet import InvalidToken
from django.db import migrations, models

from carepath.encryption.errors import UnreadableValue
from carepath.encryption.fields import seal, unseal

BATCH_SIZE = 500
Change = Callable[[str, str, Any], str]  # (stored value, column, row id) -> value to store


def encrypt_existing(app_label: str, model_name: str, columns: Sequence[str]) -> migrations.RunPython:
    def forward(apps: Any, schema_editor: Any) -> None:
        _rewrite(apps.get_model(app_label, model_name), columns, schema_editor.connection.alias, _sealed)

    def backward(apps: Any, schema_editor: Any) -> None:
        model = apps.get_model(app_label, model_name)
        _rewrite(model, columns, schema_editor.connection.alias, _opened(model._meta.db_table))

    return migrations.RunPython(forward, backward, elidable=False)


def _sealed(text: str, column: str, row_id: Any) -> str:
    return seal(text)


def _opened(table: str) -> Change:
    def open_value(token: str, column: str, row_id: Any) -> str:
        try:
            return unseal(token)
        except InvalidToken:
            raise UnreadableValue(table, column, row_id) from None

    return open_value


def _rewrite(model: Any, columns: Sequence[str], database: str, change: Change) -> None:
    rows_of = model._base_manager.using(database)
    stored = {
        f"stored_{index}": models.ExpressionWrapper(models.F(column), output_field=models.TextField())
        for index, column in enumerate(columns)
    }
    after = None
    while True:
        query = rows_of.order_by("pk").annotate(**stored)
        if after is not None:
            query = query.filter(pk__gt=after)
        rows = list(query.values_list("pk", *stored)[:BATCH_SIZE])
        if not rows:
            return
        for row_id, *values in rows:
            fresh = {
                column: models.Value(change(value, column, row_id), output_field=models.TextField())
                for column, value in zip(columns, values, strict=True)
                if value
            }
            if fresh:
                rows_of.filter(pk=row_id).update(**fresh)
        after = rows[-1][0]
