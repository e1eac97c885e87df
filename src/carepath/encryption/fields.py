"""Model fields whose values the database holds only as Fernet ciphertext.

A value is encrypted with the newest configured key when it is written (save, create, update,
bulk writes) and decrypted with whichever configured key opens it when it is read, so code above
the model sees plain text. Two choices follow from the ciphertext being different on every write:

- Empty text stays empty and NULL stays NULL. "Nothing written here" stays visible to queries
  (`filter(note="")`) and to people reading the table, which reveals no more than the ciphertext's
  length already does (Fernet keeps the length, roughly). Everything else is encrypted.
- The database cannot compare, search or sort these columns. Lookups other than `isnull` and
  `exact` with empty text are refused with an error naming the field, so a query that could only
  ever find nothing fails loudly instead. (Sorting cannot be refused here; nothing sorts on them.)

Assigning an expression (`update(note=F(...))`, `Value(...)`) writes it as it is, unencrypted;
only `carepath.encryption.services` does that, to move ciphertext it has already re-encrypted.

A value that no configured key opens does not fail the whole query: the row loads, and reading
that attribute raises `UnreadableValue` naming the table, column and row.
"""

from __future__ import annotations

import json
from typing import Any

from cryptography.fernet import InvalidToken
from django.core import checks
from django.core.exceptions import FieldError
from django.db import models
from django.db.models.lookups import Exact, IsNull
from django.db.models.query_utils import DeferredAttribute

from carepath.encryption.errors import UnreadableValue
from carepath.encryption.keys import current_keys


def seal(text: str) -> str:
    """Encrypt with the newest key; the token is URL-safe base64 text."""
    return current_keys().encrypt(text.encode("utf-8")).decode("ascii")


def unseal(token: str) -> str:
    """Decrypt with any configured key. Raises InvalidToken when none opens it."""
    return current_keys().decrypt(token.encode("utf-8")).decode("utf-8")


class UnreadableText:
    """Loaded in place of a value no key opens, so the error on reading it can name the row.

    A model instance never hands it out (reading the attribute raises instead); `.values()` can,
    and there it refuses to become text."""

    __slots__ = ("column", "table")

    def __init__(self, table: str, column: str) -> None:
        self.table, self.column = table, column

    def __str__(self) -> str:
        raise UnreadableValue(self.table, self.column)

    def __repr__(self) -> str:
        return f"<unreadable value in {self.table}.{self.column}>"


class _DecryptedAttribute(DeferredAttribute):
    # A data descriptor (it has __set__), so every read passes here, not only the first one.
    def __set__(self, instance: Any, value: Any) -> None:
        instance.__dict__[self.field.attname] = value

    def __get__(self, instance: Any, cls: Any = None) -> Any:
        value = super().__get__(instance, cls)
        if isinstance(value, UnreadableText):
            raise UnreadableValue(value.table, value.column, instance.pk)
        return value


class _EmptyTextOnly(Exact):  # type: ignore[type-arg]
    """`field=""`: whether anything was written, the one comparison ciphertext still allows."""

    def get_prep_lookup(self) -> Any:
        if self.rhs != "":
            raise FieldError(f"{_named(self.lhs)} is encrypted: it can be compared only with ''")
        return super().get_prep_lookup()


def _is_expression(value: Any) -> bool:
    # Compiled as SQL (bulk_update's CASE, whose plain values are encrypted when they are compiled).
    return hasattr(value, "as_sql")


def _named(column: Any) -> str:
    field = getattr(column, "target", None)
    return f"{field.model._meta.label}.{field.name}" if field is not None else "this field"


class EncryptedMixin:
    """What the encrypted fields share; `carepath.encryption.services` finds columns by it."""

    descriptor_class = _DecryptedAttribute

    def encode(self, value: Any) -> str:
        return str(value)

    def decode(self, text: str) -> Any:
        return text

    def get_db_prep_save(self, value: Any, connection: Any) -> Any:
        if value is None or value == "" or _is_expression(value):
            return value
        return seal(self.encode(value))

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        try:
            return self.decode(unseal(value))
        except InvalidToken:
            field: Any = self
            return UnreadableText(field.model._meta.db_table, field.column)

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name == "isnull":
            return IsNull
        if lookup_name == "exact":
            return _EmptyTextOnly
        return None

    def get_transform(self, lookup_name: str) -> Any:
        return None

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        field: Any = self
        problems: list[checks.CheckMessage] = super().check(**kwargs)  # type: ignore[misc]
        if field.unique or field.db_index or field.primary_key:
            problems.append(
                checks.Error(
                    "an encrypted field cannot be unique, indexed or a primary key: its ciphertext "
                    "differs on every write, so the database cannot compare values",
                    obj=self,
                    id="carepath_encryption.E001",
                )
            )
        return problems


class EncryptedTextField(EncryptedMixin, models.TextField):  # type: ignore[type-arg]
    """Free text, e.g. a note or a safety plan step."""

    def encode(self, value: Any) -> str:
        return str(self.to_python(value))


class EncryptedJSONField(EncryptedMixin, models.TextField):  # type: ignore[type-arg]
    """A JSON document (e.g. a frozen snapshot) held as ciphertext; Python sees dicts and lists.

    Only SQL NULL is left unencrypted; an empty document is encrypted like any other."""

    def encode(self, value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    def decode(self, text: str) -> Any:
        return json.loads(text)

    def get_db_prep_save(self, value: Any, connection: Any) -> Any:
        return value if value is None or _is_expression(value) else seal(self.encode(value))

    def to_python(self, value: Any) -> Any:
        return value

    def get_prep_value(self, value: Any) -> Any:
        return value

    def get_lookup(self, lookup_name: str) -> Any:
        return IsNull if lookup_name == "isnull" else None

    def value_to_string(self, obj: Any) -> Any:
        # Serialisers (dumpdata) write the document itself, as JSONField does.
        return self.value_from_object(obj)
