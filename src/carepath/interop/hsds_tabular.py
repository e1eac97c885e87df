"""Reading an HSDS Tabular Data Package: one CSV file per table, described by datapackage.json.

The package's own descriptor says which file holds which table. Cells are validated with
`frictionless` against the official HSDS 3.1 table schemas (corrected, see `hsds_schema`) and the
Carepath profile's columns (a list column holds a JSON array, a flag true or false), so a
publisher's descriptor cannot loosen the standard; references between tables are checked
later, against the package and the directory together. Rows are numbered as a spreadsheet
shows them: the header is row 1, the first record row 2.

frictionless is slow (about 100 µs a row), so a file first goes through a quick screen
(`hsds_tabular_screen`) that passes only files frictionless would find faultless; frictionless
checks the rest, and names their errors.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import frictionless

from carepath.interop.hsds_records import ImportBatch, ParsedRecord, Problem, Severity
from carepath.interop.hsds_schema import profile_descriptor, required_columns
from carepath.interop.hsds_tables import TABLES, HsdsTable, Kind
from carepath.interop.hsds_tabular_screen import Screened, screen_csv
from carepath.interop.hsds_values import BadValue, RoundedValue, check_record, read_cell

DESCRIPTOR = "datapackage.json"


def is_tabular_package(path: Path) -> bool:
    if path.is_file():
        return path.name == DESCRIPTOR
    return (path / DESCRIPTOR).exists() or any(path.glob("*.csv"))


def read_tabular_package(path: Path, batch: ImportBatch | None = None) -> ImportBatch:
    """The package's records, added to `batch` when given (a streamed batch)."""
    folder = path if path.is_dir() else path.parent
    if batch is None:
        batch = ImportBatch()
    files = _table_files(folder, batch)
    if not files:
        batch.report(
            Problem(folder.name, "", "", "holds no CSV file of an HSDS table", origins=(folder.name,))
        )
        return batch
    readable = {table: file for table, file in files.items() if _header_is_usable(table, file, batch)}
    # Files the quick screen passes have nothing for frictionless to find; it checks the others.
    screened = {table: screen_csv(table, file) for table, file in readable.items()}
    unscreened = {table: file for table, file in readable.items() if screened[table] is None}
    bad_rows = _frictionless_problems(folder, unscreened, batch) if unscreened else set()
    for table, file in readable.items():
        batch.files.append(file.name)
        _read_rows(TABLES[table], file, bad_rows, batch, screened=screened[table])
    return batch


def _table_files(folder: Path, batch: ImportBatch) -> dict[str, Path]:
    """The CSV file of each HSDS table present, named by the package's descriptor when it has one."""
    paths = {table.name: table.path for table in TABLES.values()}
    descriptor = _package_descriptor(folder, batch)
    for resource in descriptor.get("resources", []) if descriptor else []:
        if (
            isinstance(resource, dict)
            and resource.get("name") in TABLES
            and isinstance(resource.get("path"), str)
        ):
            paths[resource["name"]] = resource["path"]
    files: dict[str, Path] = {}
    for table, relative in paths.items():
        file = (folder / relative).resolve()
        if not file.is_relative_to(folder.resolve()):
            batch.report(
                Problem(
                    DESCRIPTOR, table, "path", f"'{relative}' is outside the package", origins=(DESCRIPTOR,)
                )
            )
        elif file.is_file():
            files[table] = file
    for stray in sorted(set(folder.glob("*.csv")) - {file for file in files.values()}):
        batch.report(
            Problem(stray.name, "", "", "is not a table of HSDS 3.1 and is not read", Severity.WARNING)
        )
    return files


def _package_descriptor(folder: Path, batch: ImportBatch) -> dict[str, Any] | None:
    file = folder / DESCRIPTOR
    if not file.exists():
        note = "is missing; CSV files are read by their HSDS names"
        batch.report(Problem(DESCRIPTOR, "", "", note, Severity.WARNING))
        return None
    try:
        descriptor = json.loads(file.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        descriptor = None
    if not isinstance(descriptor, dict):
        note = "is not a data package descriptor; CSV files are read by their HSDS names"
        batch.report(Problem(DESCRIPTOR, "", "", note, Severity.WARNING))
        return None
    return descriptor


def _header(file: Path) -> list[str]:
    with file.open(encoding="utf-8-sig", newline="") as handle:
        return next(csv.reader(handle), [])


def _header_is_usable(table: str, file: Path, batch: ImportBatch) -> bool:
    try:
        header = _header(file)
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        batch.report(
            Problem(file.name, "", "", f"cannot be read as UTF-8 CSV: {error}", origins=(file.name,))
        )
        return False
    missing = [column for column in required_columns(table) if column not in header]
    for column in missing:
        problem = f"column is missing; HSDS requires it in {table}"
        batch.report(Problem(file.name, "header", column, problem, origins=(file.name,)))
    for column in header:
        if column not in TABLES[table].all_columns:
            note = f"is not a column of HSDS 3.1 {table} and is not kept"
            batch.report(Problem(file.name, "header", column, note, Severity.WARNING))
    return not missing


def _frictionless_problems(folder: Path, files: dict[str, Path], batch: ImportBatch) -> set[tuple[str, int]]:
    """Validate cells, primary keys and uniqueness; returns the (file, row) pairs found wrong."""
    descriptor = profile_descriptor()
    resources = []
    for resource in descriptor["resources"]:
        if resource["name"] in files:
            resource["path"] = files[resource["name"]].relative_to(folder.resolve()).as_posix()
            resource["schema"].pop("foreignKeys", None)  # checked later, against the directory too
            resource["schema"]["fieldsMatch"] = "partial"  # optional columns may be left out
            resources.append(resource)
    descriptor["resources"] = resources
    package = frictionless.Package.from_descriptor(descriptor, basepath=str(folder.resolve()))
    report = package.validate()
    bad_rows: set[tuple[str, int]] = set()
    for task in report.tasks:
        file = Path(task.place).name
        columns = TABLES[task.name].all_columns if task.name in TABLES else ()
        for error in task.errors:
            row = getattr(error, "row_number", None)
            field = getattr(error, "field_name", "") or ""
            if field and field not in columns:
                continue  # a column HSDS does not have; already reported as not kept
            where = f"row {row}" if row else "header"
            origin = f"{file}:{where}" if row else file
            note = _note(error, TABLES.get(task.name), field)
            batch.report(Problem(file, where, field, note, origins=(origin,)))
            if row:
                bad_rows.add((file, row))
    return bad_rows


def _note(error: frictionless.Error, table: HsdsTable | None, field: str) -> str:
    if table is not None and field in table.profile_columns and error.type == "type-error":
        try:  # say what a profile cell must hold rather than frictionless's "type is array/default"
            read_cell(table, field, getattr(error, "cell", None))
        except BadValue as bad:
            return bad.problem
    return f"{error.title.lower()}: {error.note}" if error.note else error.title.lower()


def _read_rows(
    table: HsdsTable,
    file: Path,
    bad_rows: set[tuple[str, int]],
    batch: ImportBatch,
    *,
    screened: Screened | None,
) -> None:
    if screened is not None:
        _read_records(table, file.name, screened.header, screened.rows, bad_rows=bad_rows, batch=batch)
        return
    with file.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        _read_records(table, file.name, next(reader, []), reader, bad_rows=bad_rows, batch=batch)


def _read_records(
    table: HsdsTable,
    file: str,
    header: list[str],
    rows: Iterable[list[str]],
    *,
    bad_rows: set[tuple[str, int]],
    batch: ImportBatch,
) -> None:
    positions = {label: position for position, label in enumerate(header)}  # the last of a repeated label
    columns = _ColumnReader.plan(table, positions)
    id_position = positions.get("id")
    seen: dict[str, int] = {}
    for row_number, cells in enumerate(rows, start=2):
        if not cells:
            continue
        origin = f"{file}:row {row_number}"
        batch.origins.append(origin)
        if (file, row_number) in bad_rows:
            continue
        record_id = cells[id_position] if id_position is not None and id_position < len(cells) else ""
        if record_id in seen:
            problem = f"id '{record_id}' is also on row {seen[record_id]}"
            batch.report(Problem(file, f"row {row_number}", "id", problem, origins=(origin,)))
            continue
        seen[record_id] = row_number
        values = _row_values(table, columns, cells, file=file, row=row_number, batch=batch)
        batch.add(ParsedRecord(table.name, values, file, f"row {row_number}", {origin}))


@dataclass(frozen=True)
class _ColumnReader:
    column: str
    position: int
    is_link: bool
    plain_text: bool  # an official text column: the cell is the value, empty text none

    @classmethod
    def plan(cls, table: HsdsTable, positions: dict[str, int]) -> list[_ColumnReader]:
        """The table's columns the header has, in the table's order."""
        links = table.link_columns
        return [
            cls(
                column,
                positions[column],
                column in links,
                table.kind(column) is Kind.TEXT and column not in table.profile_columns,
            )
            for column in table.all_columns
            if column in positions
        ]


def _row_values(
    table: HsdsTable,
    columns: list[_ColumnReader],
    cells: list[str],
    *,
    file: str,
    row: int,
    batch: ImportBatch,
) -> dict[str, Any]:
    where, origin = f"row {row}", f"{file}:row {row}"
    values: dict[str, Any] = {}
    width = len(cells)
    for reader in columns:
        if reader.position >= width:
            continue  # a short row: the cell is absent
        cell = cells[reader.position]
        if reader.plain_text or not cell:
            value: Any = cell or None  # an empty cell is no value, whatever the column's kind
        else:
            try:
                value = read_cell(table, reader.column, cell)
            except RoundedValue as rounded:
                batch.report(Problem(file, where, reader.column, rounded.problem, Severity.WARNING))
                value = rounded.value
            except BadValue as bad:
                batch.report(Problem(file, where, reader.column, bad.problem, origins=(origin,)))
                continue
        if value is not None:
            values[reader.column] = value
        elif reader.is_link:
            values[reader.column] = None  # an empty link cell says "linked to nothing"
    for column, problem, severity in check_record(table.name, values):
        origins = (origin,) if severity is Severity.ERROR else ()
        batch.report(Problem(file, where, column, problem, severity, origins))
    return values
