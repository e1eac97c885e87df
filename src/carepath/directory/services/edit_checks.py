"""Checking a directory record a coordinator typed in, by the importer's own rules and a few more.

Values arrive as Python values, one per HSDS column (text, Decimal, int, date, True/False/None,
a list of text). Each is read by `interop.hsds_values.read_value` as though it came from an HSDS
JSON document (so a profile field is checked against the Carepath profile), the record is
validated against its HSDS JSON Schema (required fields, enumerations, formats), and
`check_record` runs the checks beyond the schema and works out a location's `position_usable`
exactly as an import does.

Edits are held to more than imports, because a person is there to put things right: a value
that needs rounding, a coordinate out of range or without its partner, an age range the wrong
way round, a date checked in the future, a web address without http(s) are refused rather than
kept with a warning.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils import timezone
from jsonschema import ValidationError as SchemaError

from carepath.directory.models import HSDS_MODELS
from carepath.errors import FieldProblem
from carepath.interop.hsds_schema import record_validator
from carepath.interop.hsds_tables import TABLES, Kind
from carepath.interop.hsds_values import (
    COORDINATE_PLACES,
    NUMBER_PLACES,
    BadValue,
    RoundedValue,
    check_record,
    read_value,
)

Problems = list[tuple[str, str]]  # (HSDS column, what is wrong with it)

EDITABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "organization": (
        *("name", "alternate_name", "description", "email", "website", "tax_status", "tax_id"),
        *("year_incorporated", "legal_status", "logo", "uri"),
    ),
    "service": (
        *("name", "alternate_name", "description", "url", "email", "status", "interpretation_services"),
        *("application_process", "fees_description", "wait_time", "fees", "accreditations"),
        *("eligibility_description", "minimum_age", "maximum_age", "assured_date", "assurer_email"),
        *("licenses", "alert"),
        *TABLES["service"].profile_columns,
    ),
    "location": (
        *("location_type", "name", "alternate_name", "description", "transportation", "url"),
        *("latitude", "longitude", "external_identifier", "external_identifier_type"),
    ),
    "address": (
        *("attention", "address_1", "address_2", "city", "region", "state_province", "postal_code"),
        *("country", "address_type"),
    ),
    # What describes a service (`editing_details`, `editing_hours`): the columns its pages edit.
    "cost_option": ("option", "amount", "currency", "amount_description", "valid_from", "valid_to"),
    "language": ("name", "code", "note"),
    "schedule": ("freq", "byday", "opens_at", "closes_at", "timezone", "description", "attending_type"),
}
WEB_ADDRESS_COLUMNS = ("website", "url", "logo")
URI_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")
COUNTRY_CODE = re.compile(r"^[A-Z]{2}$")
# The schemas require an id; the record's real id is never typed in, so any valid one stands in.
PLACEHOLDER_ID = "00000000-0000-4000-8000-000000000000"
REQUIRED_PROPERTY = re.compile(r"^'(.+)' is a required property$")


class InvalidRecord(FieldProblem):
    """Input that cannot be stored; `problems` lists every (field, problem), the first as the message."""

    def __init__(self, problems: Problems) -> None:
        self.problems = problems
        super().__init__(*problems[0])


def checked_values(table: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """The values to store for `table` (column -> stored value), or InvalidRecord listing every problem."""
    stored, problems = check_values(table, values)
    if problems:
        raise InvalidRecord(problems)
    return stored


def check_values(table: str, values: Mapping[str, Any]) -> tuple[dict[str, Any], Problems]:
    """(values to store, problems): empty values become what the model stores for empty."""
    editable = EDITABLE_COLUMNS[table]
    problems: Problems = [(column, "cannot be edited here") for column in values if column not in editable]
    stored: dict[str, Any] = {}
    given: dict[str, Any] = {}  # the non-empty values, as an HSDS JSON record would hold them
    for column, value in values.items():
        if column not in editable:
            continue
        raw = _as_json(value)
        if raw is None or raw == "":
            stored[column] = _empty(table, column)
            continue
        given[column] = raw
        try:
            stored[column] = read_value(TABLES[table], column, raw)
        except RoundedValue:
            places = COORDINATE_PLACES if TABLES[table].kind(column) is Kind.COORDINATE else NUMBER_PLACES
            problems.append((column, f"has more than {places} decimal places"))
        except BadValue as bad:
            problems.append((column, bad.problem))
    problems += _schema_problems(table, given)
    problems += _edit_problems(table, stored)
    problems += _record_problems(table, stored)
    return stored, _first_per_field(problems)


def _as_json(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return value.strip()
    return value


def _empty(table: str, column: str) -> Any:
    """What the model stores for an empty value: empty text for a text field, else None."""
    field = HSDS_MODELS[table]._meta.get_field(column)
    return None if isinstance(field, models.Field) and field.null else ""


def _schema_problems(table: str, given: Mapping[str, Any]) -> Problems:
    record = {"id": PLACEHOLDER_ID, **given}
    return [_described(error) for error in record_validator(table).iter_errors(record)]


def _described(error: SchemaError) -> tuple[str, str]:
    if error.validator == "required":
        match = REQUIRED_PROPERTY.match(error.message)
        return (match.group(1) if match else "", "is required")
    path = [step for step in error.absolute_path if isinstance(step, str)]
    field = path[0] if path else ""
    shown = json.dumps(error.instance, default=str, ensure_ascii=False)
    if error.validator == "enum":
        return field, f"{shown} is not one of {', '.join(map(str, error.validator_value))}"
    if error.validator == "format":
        return field, f"{shown} is not a valid {error.validator_value}"
    return field, str(error.message)


def _edit_problems(table: str, stored: Mapping[str, Any]) -> Problems:
    problems = [(column, _web_problem(stored, column)) for column in WEB_ADDRESS_COLUMNS]
    problems = [(column, problem) for column, problem in problems if problem]
    if stored.get("uri") and not URI_PATTERN.match(stored["uri"]):
        problems.append(("uri", "must be a URI that starts with its scheme, such as https: or urn:"))
    if table == "service":
        problems += _service_problems(stored)
    if table == "organization":
        year = stored.get("year_incorporated")
        if year is not None and year > timezone.localdate().year:
            problems.append(("year_incorporated", f"{year} is in the future"))
    if table == "address" and stored.get("country") and not COUNTRY_CODE.match(stored["country"]):
        problems.append(("country", "must be a two-letter country code in capitals (ISO 3166-1), such as GB"))
    return problems


def _web_problem(stored: Mapping[str, Any], column: str) -> str:
    if not stored.get(column):
        return ""
    try:
        URLValidator(schemes=["http", "https"])(stored[column])
    except ValidationError:
        return "must be a web address starting with https:// or http://"
    return ""


def _service_problems(stored: Mapping[str, Any]) -> Problems:
    problems: Problems = []
    low, high = stored.get("minimum_age"), stored.get("maximum_age")
    for column, age in (("minimum_age", low), ("maximum_age", high)):
        if isinstance(age, Decimal) and age < 0:
            problems.append((column, "must be 0 or more"))
    if isinstance(low, Decimal) and isinstance(high, Decimal) and high < low:
        problems.append(("maximum_age", f"is below the minimum age ({low:f})"))
    assured = stored.get("assured_date")
    if isinstance(assured, dt.date) and assured > timezone.localdate():
        problems.append(("assured_date", f"{assured} is in the future"))
    return problems


def _record_problems(table: str, stored: dict[str, Any]) -> Problems:
    """The importer's checks beyond the schema. A location's position is worked out here too."""
    present = {column: value for column, value in stored.items() if value is not None and value != ""}
    # On import a bad coordinate is a warning and the location is kept off the map; an edit is
    # refused instead, so only the problem itself is shown, not what an import would do about it.
    problems = [(field, problem.split(";")[0]) for field, problem, _severity in check_record(table, present)]
    if "position_usable" in present:
        stored["position_usable"] = present["position_usable"]
    return problems


def _first_per_field(problems: Problems) -> Problems:
    seen: set[str] = set()
    kept: Problems = []
    for field, problem in problems:
        if field not in seen:
            seen.add(field)
            kept.append((field, problem))
    return kept
