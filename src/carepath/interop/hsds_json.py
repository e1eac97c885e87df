"""Reading HSDS nested JSON: one record, a list of records, or a page of a paged list.

Each top-level record is validated against its official schema (Draft 2020-12, with formats);
a valid one is taken apart into flat records per HSDS table, the links that nesting expresses
filled in (a phone inside a service gets that service's id as `service_id`). The same record
may appear in several places, as in the official examples; every sighting must agree.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Callable
from contextlib import suppress
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import orjson
from jsonschema import ValidationError

from carepath.interop.hsds_records import ImportBatch, ParsedRecord, Problem, Severity
from carepath.interop.hsds_schema import page_validator, record_validator, record_verdict
from carepath.interop.hsds_tables import (
    DOCUMENT_KINDS,
    POLYMORPHIC_ENTITY,
    PROFILE_LIST_COLUMNS,
    TABLES,
    Child,
    HsdsTable,
    Kind,
    children_of,
    embedded_of,
)
from carepath.interop.hsds_values import BadValue, RoundedValue, check_record, value_reader

REQUIRED_PROPERTY = re.compile(r"^'(.+)' is a required property$")


class UnknownKind(Exception):
    """The document's kind of record cannot be told from its name or its content."""


def read_json_file(path: Path, kind: str | None = None, batch: ImportBatch | None = None) -> ImportBatch:
    """The file's records, added to `batch` when given (a folder's files, or a streamed batch)."""
    if batch is None:
        batch = ImportBatch()
    batch.files.append(path.name)
    try:
        document = parse_json(path.read_bytes())
    except json.JSONDecodeError as error:
        where = f"line {error.lineno} column {error.colno}"
        batch.report(Problem(path.name, where, "", f"is not valid JSON: {error.msg}", origins=(path.name,)))
        return batch
    except (OSError, UnicodeDecodeError) as error:
        batch.report(Problem(path.name, "", "", f"cannot be read: {error}", origins=(path.name,)))
        return batch
    items = _items(document, path.name, batch)
    if items:
        try:
            record_kind = kind or kind_of(path.name, items[0][1])
        except UnknownKind as error:
            batch.report(Problem(path.name, "", "", str(error), origins=(path.name,)))
            return batch
        _read_items(items, record_kind, path.name, batch)
    return batch


# Every digit and the decimal point as "0": a number written with more digits than a double keeps
# exactly shows as LONG_NUMBER (so do some ids and other text, which only costs the slower parser).
_NUMBER_CHARACTERS = bytes.maketrans(b"0123456789.", b"00000000000")
LONG_NUMBER = b"0" * 16


def parse_json(data: bytes) -> Any:
    """The document, as `json.loads(text, parse_float=Decimal)` reads it, in about half the time.

    orjson parses the usual document; its numbers with a fraction come as floats, which hold any
    number of up to 15 significant digits exactly, and `hsds_values` reads a float by its shortest
    repr, so the value stored is the same. A document with a longer number, or one orjson refuses
    (which the standard parser may accept, as NaN, or explain with its own message), goes through
    the standard parser, with every number exact as written."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    if LONG_NUMBER not in data.translate(_NUMBER_CHARACTERS):
        with suppress(orjson.JSONDecodeError):
            return orjson.loads(data)
    return json.loads(data.decode("utf-8"), parse_float=Decimal)


def _items(document: Any, file: str, batch: ImportBatch) -> list[tuple[str, Any]]:
    """(path, record) for each top-level record: the document itself, a list's items or a page's."""
    if isinstance(document, list):
        return [(f"[{index}]", item) for index, item in enumerate(document)]
    if isinstance(document, dict) and "contents" in document:
        return _page_items(document, file, batch)
    if isinstance(document, dict):
        return [("", document)]
    batch.report(
        Problem(file, "", "", "must hold an HSDS record, a list of records or a page", origins=(file,))
    )
    return []


def _page_items(document: dict[str, Any], file: str, batch: ImportBatch) -> list[tuple[str, Any]]:
    """A page is checked by its Page fields (the official list schemas are broken), then its items."""
    errors = list(page_validator().iter_errors(document))
    for error in errors:
        field, where, problem = _described(error, "")
        batch.report(Problem(file, where or "page", field, problem, origins=(file,)))
    if errors:
        return []
    if document["total_pages"] > 1:
        note = f"is page {document['page_number']} of {document['total_pages']}; only its records are read"
        batch.report(Problem(file, "page", "page_number", note, Severity.WARNING))
    return [(f"contents[{index}]", item) for index, item in enumerate(document["contents"])]


def kind_of(file_name: str, sample: Any) -> str:
    """The kind of record a document holds: from its file name, else from its first record."""
    stem = file_name.lower()
    for kind in DOCUMENT_KINDS:
        if stem.startswith(kind) or stem.startswith(kind.replace("_", "-")):
            return kind
    plural = {
        "services": "service",
        "organizations": "organization",
        "locations": "location",
        "taxonomies": "taxonomy",
        "taxonomy_terms": "taxonomy_term",
    }
    for prefix, kind in plural.items():
        if stem.startswith(prefix):
            return kind
    return _kind_from_content(file_name, sample)


def _kind_from_content(file_name: str, sample: Any) -> str:
    keys = set(sample) if isinstance(sample, dict) else set()
    clues = (
        ("location", {"location_type"}),
        ("service", {"status"}),
        ("service_at_location", {"service", "location", "service_id", "location_id"}),
        ("taxonomy_term", {"taxonomy_detail", "taxonomy_id", "parent_id", "code", "term_uri"}),
        (
            "organization",
            {
                "services",
                "locations",
                "programs",
                "website",
                "legal_status",
                "organization_identifiers",
                "year_incorporated",
                "parent_organization_id",
            },
        ),
    )
    for kind, telling in clues:
        if keys & telling:
            return kind
    raise UnknownKind(
        f"cannot tell which HSDS object {file_name} holds; name the file after it "
        "(service…, organization…, service_at_location…, location…, taxonomy_term…, taxonomy…) "
        "or pass --kind"
    )


def _read_items(items: list[tuple[str, Any]], kind: str, file: str, batch: ImportBatch) -> None:
    first_seen: dict[str, str] = {}
    batch.expected += len(items)
    verdict, validator = record_verdict(kind), record_validator(kind)
    taken_apart: TakenApart = {}
    for path, item in items:
        origin = f"{file}#{path or 'record'}"
        batch.origins.append(origin)
        # The fast verdict passes most records; jsonschema names the errors of the others.
        valid = verdict(item)
        errors = (
            [] if valid else sorted(validator.iter_errors(item), key=lambda error: list(error.absolute_path))
        )
        for error in errors:
            field, where, problem = _described(error, path)
            batch.report(Problem(file, where, field, problem, origins=(origin,)))
        if errors:
            continue
        record_id = item["id"]
        if record_id in first_seen:
            problem = (
                f"{kind} '{record_id}' appears twice at the top of the file (also at {first_seen[record_id]})"
            )
            batch.report(Problem(file, path, "id", problem, origins=(origin,)))
            continue
        first_seen[record_id] = path or "record"
        _Flattener(batch, file, origin, taken_apart).flatten(item, TABLES[kind], path, top_level=True)


def _described(error: ValidationError, prefix: str) -> tuple[str, str, str]:
    """(field, where, problem) for one schema error, the where as a path such as phones[0]."""
    steps = list(error.absolute_path)
    if error.validator == "required":
        match = REQUIRED_PROPERTY.match(error.message)
        return (match.group(1) if match else "", _joined(prefix, steps), "is required")
    if len(steps) >= 2 and isinstance(steps[-1], int) and steps[-2] in PROFILE_LIST_COLUMNS:
        # An item of a profile list (confidentiality_limits[2]): name the field, then the item.
        item = steps.pop()
        return str(steps.pop()), _joined(prefix, steps), f"item {item + 1}: {_problem_text(error)}"
    field = str(steps.pop()) if steps and isinstance(steps[-1], str) else ""
    return field, _joined(prefix, steps), _problem_text(error)


def _joined(prefix: str, steps: list[Any]) -> str:
    path = prefix
    for step in steps:
        path += f"[{step}]" if isinstance(step, int) else (f".{step}" if path else str(step))
    return path


def _problem_text(error: ValidationError) -> str:
    shown = json.dumps(error.instance, default=str)
    shown = shown if len(shown) <= 60 else shown[:57] + "..."
    if error.validator == "type":
        return f"must be of type {error.validator_value}, not {shown}"
    if error.validator == "enum":
        return f"{shown} is not one of {', '.join(map(str, error.validator_value))}"
    if error.validator == "format":
        return f"{shown} is not a valid {error.validator_value}"
    return str(error.message)


# A nested record already taken apart without a problem, by (table, id, what it is nested in):
# the JSON object, and the (table, id) of each record it gave. An organisation is embedded in each
# of its services, with its locations and their addresses: a third of a directory's nested records
# are such repeats. One equal to that sighting gives the same records again, and the batch holds
# each of them with at least those values (`ImportBatch.add` only adds columns a record lacks), so
# adding them again would change nothing but their origins: only its origin is added to them.
# (Python's == takes True for 1; not a worry here, as every field of the schemas, which each record
# has passed, has a type, so a flag and a number never stand in the same place.)
Given = list[tuple[str, str]]
TakenApart = dict[tuple[str, Any, Any], tuple[dict[str, Any], Given]]


class _Flattener:
    """Takes one valid top-level record apart into flat records, one per HSDS table row."""

    def __init__(self, batch: ImportBatch, file: str, origin: str, taken_apart: TakenApart) -> None:
        self.batch, self.file, self.origin = batch, file, origin
        self.taken_apart = taken_apart
        self.given: Given = []  # (table, id) of each record given, in order

    def problem(self, where: str, field: str, text: str, severity: Severity = Severity.ERROR) -> None:
        origins = (self.origin,) if severity is Severity.ERROR else ()
        self.batch.report(Problem(self.file, where, field, text, severity, origins))

    def flatten(
        self,
        raw: dict[str, Any],
        table: HsdsTable,
        where: str,
        *,
        top_level: bool = False,
        parent: tuple[HsdsTable, str, Child] | None = None,
    ) -> None:
        if top_level:
            self._flatten(raw, table, where, top_level=True)
            return
        nested_in = None if parent is None else (parent[0].name, parent[1], parent[2].key)
        key = (table.name, raw.get("id"), nested_in)
        seen = self.taken_apart.get(key)
        if seen is not None and seen[0] == raw:
            records = self.batch.records
            for record_key in seen[1]:
                records[record_key].origins.add(self.origin)
            return
        problems, given = len(self.batch.problems), len(self.given)
        self._flatten(raw, table, where, top_level=False, parent=parent)
        if len(self.batch.problems) == problems:
            self.taken_apart[key] = (raw, self.given[given:])

    def _flatten(
        self,
        raw: dict[str, Any],
        table: HsdsTable,
        where: str,
        *,
        top_level: bool = False,
        parent: tuple[HsdsTable, str, Child] | None = None,
    ) -> None:
        values = self._values(raw, table, where, top_level=top_level)
        if parent is not None:
            self._link_to_parent(values, table, where, parent)
        for embedded in embedded_of(table, top_level=top_level):
            inner = raw.get(embedded.key)
            if isinstance(inner, dict):
                self._set_link(values, embedded.link, inner["id"], where, table)
                self.flatten(inner, TABLES[embedded.table], _joined(where, [embedded.key]))
        for child in children_of(table, top_level=top_level):
            for index, item in enumerate(raw.get(child.key) or []):
                self.flatten(
                    item,
                    TABLES[child.table],
                    _joined(where, [child.key, index]),
                    parent=(table, values["id"], child),
                )
        for field, problem, severity in check_record(table.name, values):
            self.problem(where, field, problem, severity)
        record = ParsedRecord(table.name, values, self.file, where, {self.origin})
        self.batch.add(record)
        self.given.append((record.table, record.id))

    def _values(
        self, raw: dict[str, Any], table: HsdsTable, where: str, *, top_level: bool
    ) -> dict[str, Any]:
        handlers = _handlers(table.name, top_level=top_level)
        values: dict[str, Any] = {}
        for key, raw_value in raw.items():
            handler = handlers.get(key, _UNKNOWN)
            if handler is _PLAIN_TEXT:
                if isinstance(raw_value, str):
                    if raw_value:  # what read_value gives for text: the text, empty text none
                        values[key] = raw_value
                    continue
                handler = value_reader(table.name, key)
            elif handler is _NESTED:
                continue
            elif handler is _UNKNOWN:
                note = f"is not a field of HSDS 3.1 {table.name} and is not kept"
                self.problem(where, key, note, Severity.WARNING)
                continue
            try:
                value = handler(raw_value)
            except RoundedValue as rounded:
                self.problem(where, key, rounded.problem, Severity.WARNING)
                value = rounded.value
            except BadValue as bad:
                self.problem(where, key, bad.problem)
                continue
            if value is not None:
                values[key] = value
        return values

    def _link_to_parent(
        self, values: dict[str, Any], table: HsdsTable, where: str, parent: tuple[HsdsTable, str, Child]
    ) -> None:
        parent_table, parent_id, child = parent
        self._set_link(values, child.link, parent_id, where, table)
        entity_column = POLYMORPHIC_ENTITY.get(table.name)
        if entity_column is not None:
            values.setdefault(entity_column, parent_table.name)

    def _set_link(
        self, values: dict[str, Any], column: str, target: str, where: str, table: HsdsTable
    ) -> None:
        given = values.setdefault(column, target)
        if given != target:
            self.problem(
                where, column, f"is '{given}' but the {table.name} is nested in or embeds '{target}'"
            )


def _plain_text(_raw: Any) -> Any:
    """Marks an official text column: its text is its value (`_values` reads it inline)."""
    raise NotImplementedError


def _nested(_raw: Any) -> Any:
    """Marks a key holding nested records, taken apart by `flatten`."""
    raise NotImplementedError


def _unknown(_raw: Any) -> Any:
    """Marks a key that is no field of the table."""
    raise NotImplementedError


_PLAIN_TEXT, _NESTED, _UNKNOWN = _plain_text, _nested, _unknown


@cache
def _handlers(table: str, *, top_level: bool) -> dict[str, Callable[[Any], Any]]:
    """For each key a record of `table` may have: how its value is read (`value_reader`), or a mark
    for an official text column (the text as given), or for nested records."""
    described = TABLES[table]
    handlers: dict[str, Callable[[Any], Any]] = {
        key: _NESTED for key in _nested_keys(table, top_level=top_level)
    }
    for column in described.all_columns:
        plain = column in described.columns and described.kind(column) is Kind.TEXT
        handlers[column] = _PLAIN_TEXT if plain else value_reader(table, column)
    return handlers


def _nested_keys(table: str, *, top_level: bool) -> frozenset[str]:
    """The keys of a record of `table` that hold nested records rather than values."""
    children = children_of(TABLES[table], top_level=top_level)
    embedded = embedded_of(TABLES[table], top_level=top_level)
    return frozenset(child.key for child in children) | frozenset(item.key for item in embedded)


def read_json_folder(folder: Path, kind: str | None = None, batch: ImportBatch | None = None) -> ImportBatch:
    """Every *.json file of a folder (such as a Carepath JSON export), read as one import."""
    if batch is None:
        batch = ImportBatch()
    files = sorted(folder.glob("*.json"))
    if not files:
        batch.report(
            Problem(folder.name, "", "", "holds no .json file and no data package", origins=(folder.name,))
        )
    for file in files:
        read_json_file(file, kind, batch)
    return batch
