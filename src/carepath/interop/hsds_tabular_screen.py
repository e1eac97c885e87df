"""A quick pass over a CSV file that frictionless would find faultless, sparing the slow full check.

frictionless checks every cell through generic row objects: exact, and about 100 µs a row, while
most packages have no error at all. `screen_csv` reads a table's file as frictionless reads it —
the encoding chosen by frictionless's own detector, the dialect by the same sniffing of the first
100 lines, the header from row 1 — and passes it only when it can tell, row by row, that
frictionless would report nothing:

- the file is UTF-8, read with the plain comma dialect; the header's labels are the names of fields
  of the table's schema, unique, without spaces around them, and name every field frictionless
  requires (the required ones and the primary key);
- every row is as long as the header, and not blank; the primary key and the unique fields hold
  no empty or repeated value;
- every cell is accepted by its field: text of any form without asking, a required text field when
  not empty, an enumerated one when listed, a UUID of the usual 8-4-4-4-12 hex form by a pattern;
  any other cell by the field's own frictionless cell reader (the same function frictionless calls).

A file it does not pass goes to frictionless as before, which names the errors. The screen never
passes a file frictionless would fault (tests/unit/test_hsds_tabular_screen.py compares them); at
worst it sends a faultless file to frictionless. It returns the rows it read, so the file is parsed
once.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import frictionless

from carepath.interop.hsds_schema import profile_descriptor

SNIFF_LINES = 100  # frictionless sniffs the dialect from the first 100 lines (formats/csv/parser.py)
SNIFF_DELIMITERS = ",\t;|"
UTF8 = ("utf-8", "utf-8-sig")
PLAIN_TEXT = (None, "default")
CellCheck = Callable[[str], bool]


def _real_moment(text: str) -> bool:
    try:
        dt.datetime.fromisoformat(text)
    except ValueError:
        return False
    return True


# The usual forms of some kinds of cell, each of which the field's frictionless reader accepts (the
# tests try many strings of each form): checked by a pattern, they skip that reader.
USUAL_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\Z")
# rfc3986, as frictionless uses it, asks only for a scheme: "[a-zA-Z][a-zA-Z0-9+.-]*:" first.
USUAL_URI = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:[\x21-\x7e]*\Z")
# A plain address of at most 64 characters (so no label of the domain is too long for `validators`).
USUAL_EMAIL = re.compile(
    r"(?=.{6,64}\Z)[a-zA-Z0-9]+(?:[._-][a-zA-Z0-9]+)*@(?:[a-zA-Z0-9]+(?:-[a-zA-Z0-9]+)*\.)+[a-zA-Z]{2,24}\Z"
)
USUAL_DATE_TIME = re.compile(
    r"\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(Z|[+-]([01]\d|2[0-3]):[0-5]\d)?\Z"
)
USUAL_FORMS: dict[tuple[str, str], CellCheck] = {
    ("string", "uuid"): lambda cell: USUAL_UUID.match(cell) is not None,
    ("string", "uri"): lambda cell: USUAL_URI.match(cell) is not None,
    ("string", "email"): lambda cell: USUAL_EMAIL.match(cell) is not None,
    ("datetime", "default"): lambda cell: USUAL_DATE_TIME.match(cell) is not None and _real_moment(cell),
}


@dataclass(frozen=True)
class Screened:
    header: list[str]
    rows: list[list[str]]  # the records after the header, as read


class _Refused(Exception):
    """The screen cannot vouch for the file; frictionless must check it."""


def screen_csv(table: str, file: Path) -> Screened | None:
    """The file's header and rows when frictionless would find no fault in it, else None."""
    plan = _plan(table)
    if plan is None:
        return None
    try:
        text = _utf8_text(file)
        if not _sniffs_as_plain_csv(text):
            return None
        reader = csv.reader(io.StringIO(text, newline=""))
        header = next(reader, None)
        if not header:
            return None
        checks = plan.row_checks(header)
        rows = list(reader)
        for row in rows:
            checks(row)
    except (_Refused, UnicodeDecodeError, OSError, csv.Error):
        return None
    return Screened(header, rows)


def _utf8_text(file: Path) -> str:
    """The file's text, when frictionless's detector reads it as UTF-8 (with or without a BOM)."""
    data = file.read_bytes()
    detector = frictionless.Detector()
    encoding = detector.detect_encoding(data[: detector.buffer_size])
    if encoding not in UTF8:
        raise _Refused(encoding)
    return data.decode("utf-8-sig")


def _sniffs_as_plain_csv(text: str) -> bool:
    """Whether frictionless's sniffing of the first lines gives the plain comma dialect."""
    sample = "".join(itertools.islice(io.StringIO(text, newline=""), SNIFF_LINES))
    try:
        dialect = csv.Sniffer().sniff(sample, SNIFF_DELIMITERS)
    except csv.Error:
        return True  # frictionless then reads with the plain (excel) dialect
    return (
        dialect.delimiter == ","
        and dialect.quotechar in ('"', "'")  # frictionless reads a sniffed ' as "
        and dialect.escapechar is None
        and not dialect.skipinitialspace
    )


class _TablePlan:
    """How to screen the rows of one table, given the descriptor's fields for it."""

    def __init__(self, schema: frictionless.Schema) -> None:
        self.fields = {field.name: field for field in schema.fields}
        self.primary_key = tuple(schema.primary_key)
        self.required = {
            field.name for field in schema.fields if field.required or field.name in self.primary_key
        }

    def row_checks(self, header: list[str]) -> Callable[[list[str]], None]:
        if len(set(header)) != len(header) or any(
            label not in self.fields or label != label.strip() for label in header
        ):
            raise _Refused("header")
        if not self.required <= set(header):
            raise _Refused("a required field is missing")
        width = len(header)
        cell_checks = [
            (position, check)
            for position, label in enumerate(header)
            if (check := _cell_check(self.fields[label])) is not None
        ]
        unique = [
            (position, set[str]())
            for position, label in enumerate(header)
            if label in self.primary_key or self.fields[label].constraints.get("unique")
        ]

        def check_row(row: list[str]) -> None:
            if len(row) != width or not any(row):
                raise _Refused("row shape")
            for position, check in cell_checks:
                if not check(row[position]):
                    raise _Refused("cell")
            for position, seen in unique:
                cell = row[position]
                if not cell or cell in seen:
                    raise _Refused("unique")
                seen.add(cell)

        return check_row


@cache
def _plan(table: str) -> _TablePlan | None:
    """The table's screening plan; None when its schema holds something the screen does not handle."""
    resource = next(item for item in profile_descriptor()["resources"] if item["name"] == table)
    described = resource["schema"]
    if "missingValues" in described:
        return None
    described.pop("foreignKeys", None)  # checked later, against the directory too
    schema = frictionless.Schema.from_descriptor(described)
    if len(schema.primary_key) > 1:
        return None
    for field in schema.fields:
        unique = field.constraints.get("unique") or field.name in schema.primary_key
        if unique and (field.type != "string" or field.format not in (*PLAIN_TEXT, "uuid")):
            return None  # frictionless compares such values after reading them; leave them to it
    return _TablePlan(schema)


def _cell_check(field: frictionless.Field) -> CellCheck | None:
    """A check of one cell as frictionless's cell reader judges it; None when every cell passes."""
    constraints = {name: value for name, value in field.constraints.items() if value is not None}
    required = bool(constraints.pop("required", False))
    constraints.pop("unique", None)  # not a cell check: see the row check
    if field.type == "string" and field.format in PLAIN_TEXT and set(constraints) <= {"enum"}:
        allowed = frozenset(constraints["enum"]) if "enum" in constraints else None
        if allowed is None:
            return (lambda cell: cell != "") if required else None
        return lambda cell: cell in allowed if cell else not required
    reader = field.create_cell_reader()
    usual = USUAL_FORMS.get((field.type, field.format)) if not constraints else None
    if usual is not None:
        return lambda cell: (usual(cell) or not reader(cell)[1]) if cell else not required
    known: dict[str, bool] = {}  # cell -> verdict: many cells repeat (flags, lists, amounts)

    def accepted(cell: str) -> bool:
        verdict = known.get(cell)
        if verdict is None:
            _value, notes = reader(cell)
            verdict = known[cell] = not notes
        return verdict

    return accepted


def frictionless_cell_reader(table: str, column: str) -> Callable[[Any], Any]:
    """The cell reader frictionless uses for a column of the table (for tests)."""
    resource = next(item for item in profile_descriptor()["resources"] if item["name"] == table)
    schema = frictionless.Schema.from_descriptor(resource["schema"])
    reader: Callable[[Any], Any] = schema.get_field(column).create_cell_reader()
    return reader
