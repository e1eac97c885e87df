"""The official HSDS 3.1 schemas, as shipped with Carepath, ready to validate against.

The JSON Schemas and the tabular descriptor are copied unchanged from the Open Referral
specification (see `carepath/directory/hsds_spec/README.md`; a test keeps them identical to
the snapshot in `shared/hsds`). JSON records are validated against the canonical per-object
schemas, composed exactly as the official `schema/compiled/*.json` files compose them (an
organization at the top lists its services; a service_at_location at the top embeds its
service). The official compiled *list* schemas are broken, so a page is checked by its Page
fields and each item of `contents` against its object's schema.

The official tabular descriptor has defects that make it unusable as it is (see docs/hsds.md);
`tabular_descriptor()` returns it with those corrected; `profile_descriptor()` adds the fields of
the Carepath HSDS profile, and is what imports are validated against and exports describe
themselves with.

The Carepath HSDS profile (`carepath.interop.hsds_profile`, docs/hsds-profile.md) only adds
optional fields, so records are validated against the profile's schemas where it patches one
(`service`): every plain HSDS record is still valid, and a profile field with a wrong value is not.

Each validator has a *verdict* twin (`record_verdict`, `profile_field_verdict`): the same schema
compiled into a fast yes-or-no check (`carepath.interop.json_schema_verdict`). Readers ask the
verdict first and the validator only for what it refuses, to name every error.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from carepath.interop.hsds_profile import profile_meta, shipped_schema
from carepath.interop.hsds_tables import TABLES, Kind
from carepath.interop.json_schema_verdict import Check, Uncompilable, compile_verdict

SPEC_PACKAGE = "carepath.directory.hsds_spec"
TIME_OF_DAY_COLUMNS = ("opens_at", "closes_at")

PAGE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": [
        "total_items",
        "total_pages",
        "page_number",
        "size",
        "first_page",
        "last_page",
        "empty",
        "contents",
    ],
    "properties": {
        "total_items": {"type": "integer", "minimum": 0},
        "total_pages": {"type": "integer", "minimum": 0},
        "page_number": {"type": "integer", "minimum": 0},
        "size": {"type": "integer", "minimum": 0},
        "first_page": {"type": "boolean"},
        "last_page": {"type": "boolean"},
        "empty": {"type": "boolean"},
        "contents": {"type": "array", "items": {"type": "object"}},
    },
}


def spec_text(*parts: str) -> str:
    return resources.files(SPEC_PACKAGE).joinpath(*parts).read_text(encoding="utf-8")


@cache
def object_schema(table: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(spec_text("schema", f"{table}.json"))
    return loaded


@cache
def profiled_schema(table: str) -> dict[str, Any]:
    """The Carepath profile's schema of the object where the profile patches it, else the official one."""
    if f"{table}.json" in profile_meta()["patches"]:
        return shipped_schema(f"schema/{table}.json")
    return object_schema(table)


@cache
def _registry() -> Registry[Any]:
    schemas = [
        (f"{name}.json", Resource.from_contents(profiled_schema(name), default_specification=DRAFT202012))
        for name in TABLES
    ]
    return Registry().with_resources(schemas)


def _top_level_schema(kind: str) -> dict[str, Any]:
    schema: dict[str, Any] = {"$ref": f"{kind}.json"}
    if kind == "organization":
        schema["properties"] = {"services": {"type": "array", "items": {"$ref": "service.json"}}}
    elif kind == "service_at_location":
        schema["properties"] = {"service": {"$ref": "service.json"}}
    return schema


@cache
def record_validator(kind: str) -> Draft202012Validator:
    """A validator for one top-level record of `kind`, checking formats such as uuid and email."""
    return Draft202012Validator(
        _top_level_schema(kind), registry=_registry(), format_checker=Draft202012Validator.FORMAT_CHECKER
    )


@cache
def record_verdict(kind: str) -> Check:
    """Whether a top-level record of `kind` is valid, as `record_validator(kind)` says, only faster."""
    validator = record_validator(kind)
    try:
        return compile_verdict(
            validator.schema,
            validator_class=Draft202012Validator,
            registry=_registry(),
            format_checker=Draft202012Validator.FORMAT_CHECKER,
        )
    except Uncompilable:
        return _is_valid(validator)


@cache
def page_validator() -> Draft202012Validator:
    return Draft202012Validator(PAGE_SCHEMA)


FRICTIONLESS_TYPES = {
    Kind.WHOLE_NUMBER: "number",
    Kind.NUMBER: "number",
    Kind.COORDINATE: "number",
    Kind.DATE: "date",
    Kind.TIME: "string",  # see TIME_OF_DAY_COLUMNS
    Kind.DATE_TIME: "datetime",
    Kind.BOOLEAN: "boolean",
    Kind.TEXT_LIST: "array",
}


def _field_from_schema(table: str, column: str) -> dict[str, Any]:
    """A Table Schema field for a column the official descriptor leaves out, from its JSON Schema."""
    schema = object_schema(table)
    source = schema["properties"][column]
    described: dict[str, Any] = {
        "name": column,
        "type": FRICTIONLESS_TYPES.get(TABLES[table].kind(column), "string"),
        "description": source.get("description", ""),
        "constraints": {"required": column in schema.get("required", [])},
    }
    if source.get("format") in ("uuid", "uri", "email"):
        described["format"] = source["format"]
    return described


@cache
def _corrected_descriptor() -> dict[str, Any]:
    descriptor: dict[str, Any] = json.loads(spec_text("datapackage.json"))
    for resource in descriptor["resources"]:
        table = TABLES[resource["name"]]
        fields = resource["schema"]["fields"]
        if [field["name"] for field in fields] != list(table.columns):
            # service_capacity and unit: the official descriptor lists 2 and 0 of their columns.
            known = {field["name"]: field for field in fields}
            fields = [known.get(column) or _field_from_schema(table.name, column) for column in table.columns]
            resource["schema"]["fields"] = fields
        if table.name == "program":
            # The official descriptor says one programme per organisation (organization_id unique).
            fields[1]["constraints"]["unique"] = False
        for described in fields:
            if described["name"] in TIME_OF_DAY_COLUMNS and table.name == "schedule":
                # Typed "time", which frictionless reads as HH:MM:SS only; HSDS asks for HH:MM
                # with an offset. Checked as text by carepath.interop.hsds_values instead.
                described["type"] = "string"
                described.pop("format", None)
    return descriptor


def tabular_descriptor() -> dict[str, Any]:
    """The HSDS 3.1 Tabular Data Package descriptor, corrected; a fresh copy each time."""
    return copy.deepcopy(_corrected_descriptor())


def required_columns(table: str) -> tuple[str, ...]:
    """Columns a CSV file of this table must have: HSDS's required and tabular-required fields."""
    schema = object_schema(table)
    wanted = set(schema.get("required", [])) | set(schema.get("tabular_required", []))
    return tuple(column for column in TABLES[table].columns if column in wanted)


@cache
def _profile_properties(table: str) -> dict[str, Any]:
    """The properties of the profile's compiled schema of `table` (read once; not to be changed)."""
    properties: dict[str, Any] = shipped_schema(f"schema/compiled/{table}.json")["properties"]
    return properties


@cache
def profile_field_validator(table: str, column: str) -> Draft202012Validator:
    """A validator for one value of a profile field, from the profile's compiled schema."""
    return Draft202012Validator(copy.deepcopy(_profile_properties(table)[column]))


@cache
def profile_field_verdict(table: str, column: str) -> Check:
    """Whether a value of a profile field is valid, as `profile_field_validator` says, only faster."""
    validator = profile_field_validator(table, column)
    try:
        return compile_verdict(validator.schema, validator_class=Draft202012Validator)
    except Uncompilable:
        return _is_valid(validator)


def _is_valid(validator: Draft202012Validator) -> Check:
    def check(instance: Any) -> bool:
        return bool(validator.is_valid(instance))

    return check


def _profile_field(table: str, column: str) -> dict[str, Any]:
    """A Table Schema field for a profile column: string, array (a JSON array in the cell) or boolean."""
    source = _profile_properties(table)[column]
    constraints: dict[str, Any] = {"required": False}
    if "enum" in source:
        constraints["enum"] = list(source["enum"])
    return {
        "name": column,
        "type": FRICTIONLESS_TYPES.get(TABLES[table].kind(column), "string"),
        "title": source.get("title", column),
        "description": source.get("description", ""),
        "constraints": constraints,
    }


@cache
def _profile_descriptor() -> dict[str, Any]:
    descriptor = tabular_descriptor()
    for resource in descriptor["resources"]:
        table = TABLES[resource["name"]]
        resource["schema"]["fields"] += [
            _profile_field(table.name, column) for column in table.profile_columns
        ]
    return descriptor


def profile_descriptor() -> dict[str, Any]:
    """The corrected descriptor with the Carepath profile's columns after the official ones; a fresh copy."""
    return copy.deepcopy(_profile_descriptor())
