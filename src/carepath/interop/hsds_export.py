"""Writing the directory as HSDS 3.1: nested JSON pages, or a Tabular Data Package.

JSON: a folder of single-page HSDS lists, each item fully nested as the official examples are.
`services.json` holds every service, each with its organisation (and the organisation's
locations, programmes, contacts…), programme, locations, schedules and the rest. The other files
hold only what no earlier file reached: `organizations.json` organisations without services,
then `locations.json`, `taxonomy_terms.json`, `taxonomies.json`. A record linked to its parent
by nesting leaves that link column out; every other link column is written. Records linked to
nothing that is exported (an orphan phone, a capacity of an unknown service) have no place in
nested JSON: `JsonExport.orphans` names them, and the tabular export carries them.

Tabular: one CSV per HSDS table, every column in the official order, then the columns of the
Carepath HSDS profile (a list as a JSON array in its cell, a flag as true or false), and the
corrected HSDS descriptor with those columns as datapackage.json.

A profile field is written only when it is set, so a plain HSDS record comes out exactly as it
went in.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from carepath.interop.hsds_schema import profile_descriptor
from carepath.interop.hsds_tables import TABLES, HsdsTable, children_of, embedded_of

Rows = Mapping[str, list[dict[str, Any]]]  # table -> rows (HSDS column -> stored value)
JSON_FILES = (
    ("services.json", "service"),
    ("organizations.json", "organization"),
    ("locations.json", "location"),
    ("taxonomy_terms.json", "taxonomy_term"),
    ("taxonomies.json", "taxonomy"),
)


@dataclass
class JsonExport:
    pages: dict[str, dict[str, Any]] = field(default_factory=dict)  # file name -> HSDS page
    orphans: dict[str, list[str]] = field(default_factory=dict)  # table -> ids no document holds


def json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def page(contents: list[dict[str, Any]]) -> dict[str, Any]:
    """One page holding every item: the shape of an HSDS API list response."""
    return {
        "total_items": len(contents),
        "total_pages": 1,
        "page_number": 1,
        "size": len(contents),
        "first_page": True,
        "last_page": True,
        "empty": not contents,
        "contents": contents,
    }


class Nester:
    """Builds fully nested HSDS records from flat table rows; the export and the /hsds/ API share it."""

    def __init__(self, rows: Rows) -> None:
        self.by_id = {table: {row["id"]: row for row in rows.get(table, [])} for table in TABLES}
        self.children: dict[tuple[str, str], dict[str, list[dict[str, Any]]]] = defaultdict(dict)
        for table in TABLES.values():
            for child in {*children_of(table, top_level=True)}:
                self._index(child.table, child.link, rows)
        self.reached: set[tuple[str, str]] = set()

    def _index(self, table: str, link: str, rows: Rows) -> None:
        if (table, link) in self.children:
            return
        index: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in rows.get(table, []):
            if row.get(link):
                index[row[link]].append(row)
        self.children[(table, link)] = index

    def nest(
        self, table: HsdsTable, row: dict[str, Any], *, omit: str = "", top_level: bool = False
    ) -> dict[str, Any]:
        self.reached.add((table.name, row["id"]))
        out = {
            column: json_value(row[column])
            for column in table.all_columns
            if column != omit and row.get(column) not in (None, "")
        }
        for embedded in embedded_of(table, top_level=top_level):
            target = self.by_id[embedded.table].get(row.get(embedded.link) or "")
            if target is not None:
                out.pop(embedded.link, None)
                out[embedded.key] = self.nest(TABLES[embedded.table], target)
        for child in children_of(table, top_level=top_level):
            items = self.children[(child.table, child.link)].get(row["id"], [])
            if items:
                child_table = TABLES[child.table]
                out[child.key] = [self.nest(child_table, item, omit=child.link) for item in items]
        return out

    def top_level(self, table: str) -> list[dict[str, Any]]:
        rows = [
            row for row_id, row in sorted(self.by_id[table].items()) if (table, row_id) not in self.reached
        ]
        return [self.nest(TABLES[table], row, top_level=True) for row in rows]


def json_export(rows: Rows) -> JsonExport:
    nester = Nester(rows)
    export = JsonExport()
    for file_name, table in JSON_FILES:
        export.pages[file_name] = page(nester.top_level(table))
    for table in TABLES:
        missing = sorted(row_id for row_id in nester.by_id[table] if (table, row_id) not in nester.reached)
        if missing:
            export.orphans[table] = missing
    return export


def write_json_export(rows: Rows, folder: Path) -> JsonExport:
    export = json_export(rows)
    folder.mkdir(parents=True, exist_ok=True)
    for file_name, document in export.pages.items():
        text = json.dumps(document, indent=2, ensure_ascii=False, sort_keys=False)
        (folder / file_name).write_text(text + "\n", encoding="utf-8")
    return export


def write_tabular_export(rows: Rows, folder: Path) -> dict[str, int]:
    """One CSV per HSDS table plus datapackage.json; returns the rows written per table."""
    folder.mkdir(parents=True, exist_ok=True)
    written = {}
    for table in TABLES.values():
        with (folder / table.path).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(table.all_columns)
            for row in sorted(rows.get(table.name, []), key=lambda row: row["id"]):
                writer.writerow([csv_value(row.get(column)) for column in table.all_columns])
        written[table.name] = len(rows.get(table.name, []))
    descriptor = json.dumps(profile_descriptor(), indent=2, ensure_ascii=False)
    (folder / "datapackage.json").write_text(descriptor + "\n", encoding="utf-8")
    return written
