"""Raw column values in a form that does not depend on the database, and back.

A backup reads columns with a plain cursor, so no model field converts anything: encrypted
columns stay ciphertext, exactly as stored. Each column has a kind, decided by its model field's
type, and each kind has one JSON form, whichever database the value came from:

  int, float, bool, text   the JSON value itself
  decimal                  text with the field's decimal places ("12.50")
  date, time               ISO 8601 text
  datetime                 ISO 8601 text in UTC with microseconds ("2025-01-31T09:05:00.000000+00:00")
  duration                 whole microseconds
  uuid                     32 hex digits
  binary                   base64 text
  json                     the document's JSON text as stored (SQL NULL and a JSON null differ)

A row's checksum line is its values as a JSON array, a JSON column's text rewritten with sorted
keys and no spaces, so it hashes alike on SQLite (text as written) and PostgreSQL (jsonb, whose
keys come back in its own order).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import decimal
import hashlib
import json
import uuid
from enum import Enum
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field
from django.utils import dateparse


class Kind(Enum):
    INT = "int"
    FLOAT = "float"
    BOOL = "bool"
    TEXT = "text"
    DECIMAL = "decimal"
    DATE = "date"
    TIME = "time"
    DATETIME = "datetime"
    DURATION = "duration"
    UUID = "uuid"
    BINARY = "binary"
    JSON = "json"


class BadValue(ValueError):
    """A value that does not fit its column; the message says what was expected."""


_KINDS = {
    Kind.INT: (
        "AutoField BigAutoField SmallAutoField IntegerField BigIntegerField SmallIntegerField "
        "PositiveIntegerField PositiveBigIntegerField PositiveSmallIntegerField"
    ),
    Kind.FLOAT: "FloatField",
    Kind.BOOL: "BooleanField NullBooleanField",
    Kind.TEXT: (
        "CharField TextField SlugField EmailField URLField FilePathField FileField ImageField "
        "GenericIPAddressField IPAddressField"
    ),
    Kind.DECIMAL: "DecimalField",
    Kind.DATE: "DateField",
    Kind.TIME: "TimeField",
    Kind.DATETIME: "DateTimeField",
    Kind.DURATION: "DurationField",
    Kind.UUID: "UUIDField",
    Kind.BINARY: "BinaryField",
    Kind.JSON: "JSONField",
}
_KIND_OF_TYPE = {name: kind for kind, names in _KINDS.items() for name in names.split()}


def column_kind(field: Field[Any, Any]) -> Kind:
    """The kind of a model field's column; a foreign key has the kind of the column it points at."""
    target: Any = field
    while target.is_relation:
        target = target.target_field
    kind = _KIND_OF_TYPE.get(target.get_internal_type())
    if kind is None:
        raise TypeError(
            f"{field.model._meta.label}.{field.name}: a backup does not know how to keep a "
            f"{target.get_internal_type()} column"
        )
    return kind


def decimal_places(field: Field[Any, Any]) -> int | None:
    """A decimal keeps its field's places, so 12.5 from SQLite and 12.50 from PostgreSQL agree."""
    target: Any = field
    while target.is_relation:
        target = target.target_field
    places = getattr(target, "decimal_places", None)
    return int(places) if places is not None else None


# From the database ------------------------------------------------------------------------------


def to_neutral(kind: Kind, value: Any, places: int | None = None) -> Any:
    """A raw value from a cursor (SQLite or PostgreSQL) in its JSON form."""
    if value is None:
        return None
    reader = _TO_NEUTRAL[kind]
    return reader(value, places) if kind is Kind.DECIMAL else reader(value)


def _decimal(value: Any, places: int | None) -> str:
    number = (
        decimal.Context(prec=15).create_decimal_from_float(value)
        if isinstance(value, float)
        else decimal.Decimal(str(value))
    )
    if places is not None:
        number = number.quantize(decimal.Decimal(1).scaleb(-places))
    return str(number)


def _datetime(value: Any) -> str:
    moment = value if isinstance(value, dt.datetime) else dateparse.parse_datetime(str(value))
    if moment is None:
        raise BadValue(f"{value!r} is not a date and time")
    if moment.tzinfo is None:  # SQLite keeps UTC without an offset (USE_TZ)
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


def _date(value: Any) -> str:
    day = value if isinstance(value, dt.date) else dateparse.parse_date(str(value))
    if day is None:
        raise BadValue(f"{value!r} is not a date")
    return day.isoformat()


def _time(value: Any) -> str:
    moment = value if isinstance(value, dt.time) else dateparse.parse_time(str(value))
    if moment is None:
        raise BadValue(f"{value!r} is not a time")
    return moment.isoformat(timespec="microseconds")


def _duration(value: Any) -> int:
    if isinstance(value, dt.timedelta):
        return (value.days * 86_400 + value.seconds) * 1_000_000 + value.microseconds
    return int(value)


def _json(value: Any) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8")
    # PostgreSQL's reader asks for jsonb as text (selectors.column_sql); a parsed value is a fallback.
    return value if isinstance(value, str) else json.dumps(value)


_TO_NEUTRAL: dict[Kind, Any] = {
    Kind.INT: int,
    Kind.FLOAT: float,
    Kind.BOOL: bool,
    Kind.TEXT: str,
    Kind.DECIMAL: _decimal,
    Kind.DATE: _date,
    Kind.TIME: _time,
    Kind.DATETIME: _datetime,
    Kind.DURATION: _duration,
    Kind.UUID: lambda value: value.hex if isinstance(value, uuid.UUID) else uuid.UUID(str(value)).hex,
    Kind.BINARY: lambda value: base64.b64encode(bytes(value)).decode("ascii"),
    Kind.JSON: _json,
}


# Into the database ------------------------------------------------------------------------------


def check_neutral(kind: Kind, value: Any) -> None:
    """Refuse a value read from a file that is not the JSON form of its kind."""
    if value is None:
        return
    wanted = _FILE_TYPES[kind]
    if not isinstance(value, wanted) or (isinstance(value, bool) and bool not in wanted):
        raise BadValue(f"expected {_FILE_TYPE_NAMES[kind]}, found {json.dumps(value)[:60]}")


_FILE_TYPES: dict[Kind, tuple[type, ...]] = {
    Kind.INT: (int,),
    Kind.FLOAT: (int, float),
    Kind.BOOL: (bool,),
    Kind.DURATION: (int,),
    **{kind: (str,) for kind in (Kind.TEXT, Kind.DECIMAL, Kind.DATE, Kind.TIME, Kind.DATETIME)},
    Kind.UUID: (str,),
    Kind.BINARY: (str,),
    Kind.JSON: (str,),
}
_FILE_TYPE_NAMES = {
    Kind.INT: "a whole number",
    Kind.FLOAT: "a number",
    Kind.BOOL: "true or false",
    Kind.DURATION: "a whole number of microseconds",
    Kind.TEXT: "text",
    Kind.DECIMAL: "a decimal number as text",
    Kind.DATE: "a date as text",
    Kind.TIME: "a time as text",
    Kind.DATETIME: "a date and time as text",
    Kind.UUID: "a UUID as text",
    Kind.BINARY: "base64 text",
    Kind.JSON: "JSON as text",
}


def to_database(kind: Kind, value: Any, connection: BaseDatabaseWrapper) -> Any:
    """A value in its JSON form as the parameter that stores it as Django itself would have."""
    if value is None:
        return None
    writer = _TO_DATABASE.get(kind)
    if writer is None:
        return value
    try:
        return writer(value, connection)
    except (ValueError, decimal.InvalidOperation, binascii.Error) as error:
        raise BadValue(f"{json.dumps(value)[:60]} is not a valid {kind.value} ({error})") from None


def _json_text(value: str, connection: BaseDatabaseWrapper) -> str:
    json.loads(value)  # refuse a document that is not JSON, naming its row
    return value  # stored as it was written; PostgreSQL reads the text as jsonb


def _duration_value(value: int, connection: BaseDatabaseWrapper) -> Any:
    span = dt.timedelta(microseconds=value)
    return span if connection.features.has_native_duration_field else value


def _uuid_value(value: str, connection: BaseDatabaseWrapper) -> Any:
    found = uuid.UUID(value)
    return found if connection.features.has_native_uuid_field else found.hex


_TO_DATABASE: dict[Kind, Any] = {
    Kind.DECIMAL: lambda value, db: db.ops.adapt_decimalfield_value(decimal.Decimal(value)),
    Kind.DATE: lambda value, db: db.ops.adapt_datefield_value(dt.date.fromisoformat(value)),
    Kind.TIME: lambda value, db: db.ops.adapt_timefield_value(dt.time.fromisoformat(value)),
    Kind.DATETIME: lambda value, db: db.ops.adapt_datetimefield_value(dt.datetime.fromisoformat(value)),
    Kind.DURATION: _duration_value,
    Kind.UUID: _uuid_value,
    Kind.BINARY: lambda value, db: base64.b64decode(value.encode("ascii"), validate=True),
    Kind.JSON: _json_text,
    Kind.FLOAT: lambda value, db: float(value),
}


def file_line(values: list[Any]) -> str:
    """A row as a line of the backup file."""
    return json.dumps(values, ensure_ascii=False, separators=(",", ":"))


def checksum_line(kinds: list[Kind], values: list[Any]) -> str:
    """A row as the checksum reads it: the same on both databases."""
    canonical = [
        _canonical_json(value) if kind is Kind.JSON and value is not None else value
        for kind, value in zip(kinds, values, strict=True)
    ]
    return json.dumps(canonical, ensure_ascii=False, separators=(",", ":"))


def _canonical_json(text: str) -> str:
    try:
        document = json.loads(text, parse_float=_json_number)
        return json.dumps(document, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    except (ValueError, decimal.InvalidOperation) as error:
        raise BadValue(f"{text[:60]!r} is not JSON ({error})") from None


def _json_number(text: str) -> float | int:
    """A JSON number written with a fraction or an exponent, read so both databases agree.

    Python writes a float from 1e16 up with an exponent ("1e+20"), as SQLite then keeps it; jsonb
    keeps the exact decimal and writes it back whole ("100000000000000000000"), which reads as an
    integer. A float that large is a whole number anyway, so it is read as the one its text says.
    """
    number = float(text)
    if abs(number) < 1e16:
        return number
    exact = decimal.Decimal(text)
    return int(exact) if exact == exact.to_integral_value() else number


class TableDigest:
    """A table's row count and SHA-256 over its column names and its rows' checksum lines, in order."""

    def __init__(self, columns: list[str], kinds: list[Kind]) -> None:
        self.kinds = kinds
        self.rows = 0
        self._hash = hashlib.sha256((json.dumps(columns, separators=(",", ":")) + "\n").encode("utf-8"))

    def add(self, values: list[Any]) -> None:
        self._hash.update((checksum_line(self.kinds, values) + "\n").encode("utf-8"))
        self.rows += 1

    @property
    def sha256(self) -> str:
        return self._hash.hexdigest()
