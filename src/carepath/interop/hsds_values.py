"""Reading HSDS values into what Carepath stores, and the checks the HSDS schemas leave out.

`read_value` turns a JSON value or a CSV cell into the stored value for its column's kind,
or raises `BadValue` naming the problem; `read_cell` first decodes a CSV cell of a column that
is not text (a JSON array, `true`/`false`). A field of the Carepath HSDS profile is also checked
against the profile's compiled schema. `schedule_problems` checks the iCalendar (RFC 5545)
recurrence parts of a schedule; `position_problems` checks a location's coordinates.
Empty text and an absent value are the same thing here, as in HSDS's tabular form.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from carepath.interop.hsds_records import Severity
from carepath.interop.hsds_schema import profile_field_validator, profile_field_verdict
from carepath.interop.hsds_tables import TABLES, HsdsTable, Kind

WHOLE_NUMBER_LIMIT = 2**31
NUMBER_PLACES = 6
NUMBER_INTEGER_DIGITS = 14
COORDINATE_PLACES = 12
COORDINATE_INTEGER_DIGITS = 10

DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")
TIME_PATTERN = re.compile(r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?(Z|[+-]([01]\d|2[0-3]):?[0-5]\d)?$")
DATE_TIME_PATTERN = re.compile(
    r"^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)?$"
)
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
FREQUENCIES = ("WEEKLY", "MONTHLY")
BYDAY_PART = re.compile(r"^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$")
# The cells frictionless reads as a boolean by default.
TRUE_CELLS = ("true", "True", "TRUE", "1")
FALSE_CELLS = ("false", "False", "FALSE", "0")


class BadValue(Exception):
    def __init__(self, problem: str) -> None:
        self.problem = problem
        super().__init__(problem)


class RoundedValue(Exception):
    """The value fits only once rounded; carries the rounded value and says so."""

    def __init__(self, value: Decimal, places: int) -> None:
        self.value = value
        self.problem = f"has more than {places} decimal places; kept as {value.normalize():f}"
        super().__init__(self.problem)


def read_value(table: HsdsTable, column: str, raw: Any) -> Any:
    """The stored value of one column, or None when the value is absent or empty."""
    return (
        value_reader(table.name, column)(raw)
        if TABLES.get(table.name) is table
        else _read(table, column, raw)
    )


def _read(table: HsdsTable, column: str, raw: Any) -> Any:
    if raw is None or raw == "":
        return None
    kind = table.kind(column)
    if kind is Kind.TEXT:
        value: Any = _text(raw)
    else:
        value = _READERS[kind](raw)
    if column in table.profile_column_set:
        _check_profile_value(table.name, column, value)
    return value


@cache
def value_reader(table: str, column: str) -> Callable[[Any], Any]:
    """`read_value` for one column of one of the HSDS tables, with what it looks up looked up once.

    Readers call it for every value of every record: asking the column's kind and whether the
    profile checks it, for each value, cost as much as reading most values."""
    described = TABLES[table]
    convert = _READERS.get(described.kind(column), _text)
    if column not in described.profile_column_set:

        def read(raw: Any) -> Any:
            if raw is None or raw == "":
                return None
            return convert(raw)

        return read
    verdict = profile_field_verdict(table, column)

    def read_profiled(raw: Any) -> Any:
        if raw is None or raw == "":
            return None
        value = convert(raw)
        if not verdict(value):
            _check_profile_value(table, column, value)
        return value

    return read_profiled


def _text(raw: Any) -> str:
    if not isinstance(raw, str):
        raise BadValue(f"must be text, not {_shown(raw)}")
    return raw


def read_cell(table: HsdsTable, column: str, cell: str | None) -> Any:
    """The stored value of one CSV cell: a list column holds a JSON array, a flag true or false."""
    kind = table.kind(column)
    if cell is None or cell == "" or kind not in (Kind.BOOLEAN, Kind.TEXT_LIST):
        return read_value(table, column, cell)
    if kind is Kind.BOOLEAN:
        if cell not in TRUE_CELLS + FALSE_CELLS:
            raise BadValue(f"{cell!r} is not true or false")
        return read_value(table, column, cell in TRUE_CELLS)
    try:
        decoded = json.loads(cell)
    except json.JSONDecodeError:
        raise BadValue(f'{cell!r} is not a JSON array such as ["a", "b"]') from None
    return read_value(table, column, decoded)


def _check_profile_value(table: str, column: str, value: Any) -> None:
    if profile_field_verdict(table, column)(value):
        return
    for error in profile_field_validator(table, column).iter_errors(value):
        place = f"item {error.path[0] + 1}: " if error.path else ""
        shown = json.dumps(error.instance, ensure_ascii=False)
        if error.validator == "enum":
            raise BadValue(f"{place}{shown} is not one of {', '.join(map(str, error.validator_value))}")
        raise BadValue(f"{place}{error.message}")


def _shown(raw: Any) -> str:
    return repr(raw) if isinstance(raw, str) else str(raw)


def _decimal(raw: Any) -> Decimal:
    if isinstance(raw, bool):
        raise BadValue(f"must be a number, not {raw}")
    if isinstance(raw, (int, Decimal)):
        return Decimal(raw)
    if isinstance(raw, float):
        return Decimal(repr(raw))
    if isinstance(raw, str):
        try:
            value = Decimal(raw.strip())
        except InvalidOperation:
            raise BadValue(f"must be a number, not {raw!r}") from None
        if value.is_finite():
            return value
    raise BadValue(f"must be a number, not {_shown(raw)}")


def _whole_number(raw: Any) -> int:
    value = _decimal(raw)
    if value != value.to_integral_value():
        raise BadValue(f"must be a whole number, not {value:f}")
    if abs(value) >= WHOLE_NUMBER_LIMIT:
        raise BadValue(f"{value:f} is too large")
    return int(value)


def _fitted(value: Decimal, places: int, integer_digits: int) -> Decimal:
    if value.adjusted() >= integer_digits:
        raise BadValue(f"{value:f} is too large")
    rounded = value.quantize(Decimal(1).scaleb(-places))
    if rounded != value:
        raise RoundedValue(rounded, places)
    return value


def _number(raw: Any) -> Decimal:
    return _fitted(_decimal(raw), NUMBER_PLACES, NUMBER_INTEGER_DIGITS)


def _coordinate(raw: Any) -> Decimal:
    return _fitted(_decimal(raw), COORDINATE_PLACES, COORDINATE_INTEGER_DIGITS)


def _date(raw: Any) -> dt.date:
    if isinstance(raw, str) and DATE_PATTERN.match(raw):
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            pass
    raise BadValue(f"{_shown(raw)} is not a date written YYYY-MM-DD")


def _time(raw: Any) -> str:
    if isinstance(raw, str) and TIME_PATTERN.match(raw):
        return raw
    raise BadValue(f"{_shown(raw)} is not a time written HH:MM or HH:MM:SS, with an optional Z or ±HH:MM")


def _date_time(raw: Any) -> str:
    if isinstance(raw, str) and DATE_TIME_PATTERN.match(raw):
        try:
            dt.datetime.fromisoformat(raw)
            return raw
        except ValueError:
            pass
    raise BadValue(f"{_shown(raw)} is not an RFC 3339 date and time such as 2024-09-25T14:23:06Z")


def _boolean(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    raise BadValue(f"must be true or false, not {_shown(raw)}")


def _text_list(raw: Any) -> list[str]:
    if isinstance(raw, list) and all(isinstance(item, str) for item in raw):
        return list(raw)
    if isinstance(raw, list):
        raise BadValue(f"must be a list of text, not {json.dumps(raw, default=str)}")
    raise BadValue(f"must be a list, not {_shown(raw)}")


_READERS = {
    Kind.WHOLE_NUMBER: _whole_number,
    Kind.NUMBER: _number,
    Kind.COORDINATE: _coordinate,
    Kind.DATE: _date,
    Kind.TIME: _time,
    Kind.DATE_TIME: _date_time,
    Kind.BOOLEAN: _boolean,
    Kind.TEXT_LIST: _text_list,
}


def schedule_problems(values: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(field, problem) for each recurrence part a calendar could not use."""
    problems: list[tuple[str, str]] = []
    freq, wkst = values.get("freq"), values.get("wkst")
    if freq is not None and freq not in FREQUENCIES:
        problems.append(("freq", f"{freq!r} is not one of {', '.join(FREQUENCIES)}"))
    if wkst is not None and wkst not in WEEKDAYS:
        problems.append(("wkst", f"{wkst!r} is not one of {', '.join(WEEKDAYS)}"))
    if values.get("byday") is not None:
        problems += [("byday", problem) for problem in _byday_problems(values["byday"], freq)]
    for column, limit in (("byweekno", 53), ("bymonthday", 31), ("byyearday", 366)):
        if values.get(column) is not None:
            problems += [(column, problem) for problem in _numbered_list_problems(values[column], limit)]
    for column in ("interval", "count"):
        if values.get(column) is not None and values[column] < 1:
            problems.append((column, f"must be 1 or more, not {values[column]}"))
    timezone = values.get("timezone")
    if timezone is not None and not -12 <= timezone <= 14:
        problems.append(("timezone", f"{timezone:f} is not a UTC offset in hours (-12 to +14)"))
    valid_from, valid_to = values.get("valid_from"), values.get("valid_to")
    if valid_from is not None and valid_to is not None and valid_to < valid_from:
        problems.append(("valid_to", f"{valid_to} is before valid_from {valid_from}"))
    return problems


def _byday_problems(byday: str, freq: str | None) -> list[str]:
    problems = []
    for part in byday.split(","):
        match = BYDAY_PART.match(part.strip())
        if match is None:
            problems.append(f"{part!r} is not a weekday (MO, TU, WE, TH, FR, SA, SU), optionally numbered")
        elif match.group(1) is not None:
            occurrence = int(match.group(1))
            if freq != "MONTHLY":
                problems.append(f"{part!r}: a numbered weekday needs freq MONTHLY")
            elif not 1 <= abs(occurrence) <= 5:
                problems.append(f"{part!r}: a month has no occurrence {occurrence} of a weekday")
    return problems


def _numbered_list_problems(listing: str, limit: int) -> list[str]:
    problems = []
    for part in listing.split(","):
        try:
            number = int(part.strip())
        except ValueError:
            problems.append(f"{part!r} is not a whole number")
            continue
        if not 1 <= abs(number) <= limit:
            problems.append(f"{number} is outside 1 to {limit} (or -1 to -{limit})")
    return problems


def position_problems(values: Mapping[str, Any]) -> tuple[bool, list[tuple[str, str]]]:
    """Whether the location can be placed on a map, and why not when it has coordinates."""
    latitude, longitude = values.get("latitude"), values.get("longitude")
    if latitude is None and longitude is None:
        return False, []
    problems = []
    if latitude is None or longitude is None:
        given = "latitude" if longitude is None else "longitude"
        missing = "longitude" if longitude is None else "latitude"
        problems.append((given, f"is given without a {missing}"))
    if latitude is not None and not -90 <= latitude <= 90:
        problems.append(("latitude", f"{latitude:f} is outside -90 to 90"))
    if longitude is not None and not -180 <= longitude <= 180:
        problems.append(("longitude", f"{longitude:f} is outside -180 to 180"))
    kept = "; the location is kept, without a position on the map"
    return not problems, [(column, problem + kept) for column, problem in problems]


def check_record(table: str, values: dict[str, Any]) -> list[tuple[str, str, Severity]]:
    """(field, problem, severity) from the checks beyond the schema; sets a location's position_usable."""
    if table == "schedule":
        return [(field, problem, Severity.ERROR) for field, problem in schedule_problems(values)]
    if table == "location":
        usable, problems = position_problems(values)
        values["position_usable"] = usable
        return [(field, problem, Severity.WARNING) for field, problem in problems]
    return []
