"""The quick CSV screen never passes what frictionless would fault: reading a package with it and
without it (frictionless on every file) gives the same records and the same problems."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carepath.demo.directory_generator import demo_directory
from carepath.interop import hsds_tabular
from carepath.interop.hsds_export import write_tabular_export
from carepath.interop.hsds_records import ImportBatch
from carepath.interop.hsds_tabular_screen import (
    USUAL_DATE_TIME,
    USUAL_EMAIL,
    USUAL_URI,
    USUAL_UUID,
    frictionless_cell_reader,
    screen_csv,
)


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    rows: dict[str, list[dict[str, Any]]] = {}
    for batch in demo_directory(12, seed=3):
        for table, table_rows in batch.rows.items():
            rows.setdefault(table, []).extend(table_rows)
    folder = tmp_path_factory.mktemp("package")
    write_tabular_export(rows, folder)
    return folder


def read_both_ways(folder: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[ImportBatch, ImportBatch]:
    screened = hsds_tabular.read_tabular_package(folder)
    with monkeypatch.context() as patch:
        patch.setattr(hsds_tabular, "screen_csv", lambda table, file: None)
        checked = hsds_tabular.read_tabular_package(folder)
    return screened, checked


def assert_same(screened: ImportBatch, checked: ImportBatch) -> None:
    assert screened.problems == checked.problems
    assert screened.origins == checked.origins
    assert {key: record.values for key, record in screened.records.items()} == {
        key: record.values for key, record in checked.records.items()
    }


def test_a_faultless_export_passes_the_screen_and_reads_as_frictionless_reads_it(
    package: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for table in ("organization", "service", "location", "schedule", "phone", "cost_option"):
        path = package / hsds_tabular.TABLES[table].path
        assert screen_csv(table, path) is not None, table
    screened, checked = read_both_ways(package, monkeypatch)
    assert screened.problems == []
    assert_same(screened, checked)


def edit_line(number: int, change: Callable[[list[str], list[str]], list[str]]) -> Callable[[str], str]:
    """A change to line `number` (0 is the header) of a CSV text without quoted line breaks."""

    def edit(text: str) -> str:
        import csv
        import io

        rows = list(csv.reader(io.StringIO(text, newline="")))
        header = rows[0]
        rows[number] = change(header, rows[number])
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        return out.getvalue()

    return edit


def set_cell(number: int, column: str, value: str) -> Callable[[str], str]:
    def change(header: list[str], row: list[str]) -> list[str]:
        return [value if label == column else cell for label, cell in zip(header, row, strict=True)]

    return edit_line(number, change)


CHANGES: dict[str, Callable[[str], str]] = {
    "bad uuid": set_cell(1, "id", "not-a-uuid"),
    "uuid without hyphens": set_cell(1, "id", "2bc1c94f0deb43e992a14775189ec9f8"),
    "upper-case uuid": set_cell(1, "id", "2BC1C94F-0DEB-43E9-92A1-4775189EC9F8"),
    "empty id": set_cell(1, "id", ""),
    "status not listed": set_cell(1, "status", "open"),
    "status missing": set_cell(1, "status", ""),
    "bad email": set_cell(1, "email", "nobody-at-example.org"),
    "odd but valid email": set_cell(1, "email", "o'neil+list@example.org"),
    "uri without scheme": set_cell(1, "url", "example.org/listening"),
    "mailto uri": set_cell(1, "url", "mailto:someone@example.org"),
    "impossible date-time": set_cell(1, "last_modified", "2024-02-30T10:00:00Z"),
    "date-time without seconds": set_cell(1, "last_modified", "2024-02-03T10:00Z"),
    "date-time with fraction": set_cell(1, "last_modified", "2024-02-03T10:00:00.5+01:00"),
    "age not a number": set_cell(1, "minimum_age", "eighteen"),
    "age with spaces": set_cell(1, "minimum_age", " 18 "),
    "flag not true or false": set_cell(1, "crisis_capable", "yes"),
    "flag written 1": set_cell(1, "crisis_capable", "1"),
    "list not JSON": set_cell(1, "confidentiality_limits", "risk_to_life"),
    "support type not listed": set_cell(1, "support_type", "friend"),
    "duplicate id": lambda text: text + text.splitlines(keepends=True)[1],
    "short row": edit_line(1, lambda header, row: row[:-2]),
    "long row": edit_line(1, lambda header, row: [*row, "extra"]),
    "blank row": edit_line(1, lambda header, row: ["" for _ in row]),
    "empty line": lambda text: text.replace("\n", "\n\n", 2),
    "spaced label": lambda text: text.replace("id,", " id,", 1),
    "repeated label": edit_line(0, lambda header, row: [*row[:-1], "name"]),
    "unknown column": lambda text: (
        "\n".join(
            line + (",note" if index == 0 else ",x") for index, line in enumerate(text.splitlines()) if line
        )
        + "\n"
    ),
    "required column missing": lambda text: "\n".join(
        ",".join(cells[:1] + cells[2:]) for cells in (line.split(",") for line in text.splitlines())
    ),
    "semicolons": lambda text: text.replace(",", ";"),
    "byte order mark": lambda text: "\ufeff" + text,
    "windows line ends": lambda text: text.replace("\n", "\r\n"),
    "header only": lambda text: text.splitlines(keepends=True)[0],
    "empty file": lambda text: "",
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_changed_services_file_reads_as_frictionless_reads_it(
    change: str, package: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "changed"
    folder.mkdir()
    for file in package.iterdir():
        (folder / file.name).write_bytes(file.read_bytes())
    services = folder / "services.csv"
    services.write_text(CHANGES[change](services.read_text(encoding="utf-8")), encoding="utf-8", newline="")

    screened, checked = read_both_ways(folder, monkeypatch)

    assert_same(screened, checked)


def test_a_file_in_another_encoding_goes_to_frictionless(package: Path, tmp_path: Path) -> None:
    text = (package / "services.csv").read_text(encoding="utf-8")
    latin = tmp_path / "services.csv"
    latin.write_bytes(text.replace("Demo listing", "Démo listing").encode("latin-1", errors="replace"))
    assert screen_csv("service", latin) is None


def accepted_by_frictionless(table: str, column: str, cell: str) -> bool:
    _value, notes = frictionless_cell_reader(table, column)(cell)
    return not notes


@settings(max_examples=300, deadline=None)
@given(
    st.from_regex(
        r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}", fullmatch=True
    )
)
def test_every_usual_uuid_is_accepted_by_frictionless(cell: str) -> None:
    assert USUAL_UUID.match(cell)
    assert accepted_by_frictionless("service", "id", cell)


@settings(max_examples=300, deadline=None)
@given(st.from_regex(r"[a-zA-Z][a-zA-Z0-9+.-]{0,8}:[\x21-\x7e]{0,40}", fullmatch=True))
def test_every_usual_uri_is_accepted_by_frictionless(cell: str) -> None:
    assert USUAL_URI.match(cell)
    assert accepted_by_frictionless("service", "url", cell)


@settings(max_examples=300, deadline=None)
@given(
    st.from_regex(
        r"[a-zA-Z0-9]{1,12}([._-][a-zA-Z0-9]{1,6}){0,2}@([a-zA-Z0-9]{1,10}(-[a-zA-Z0-9]{1,5})?\.){1,3}[a-zA-Z]{2,8}",
        fullmatch=True,
    ).filter(lambda cell: USUAL_EMAIL.match(cell) is not None)
)
def test_every_usual_email_is_accepted_by_frictionless(cell: str) -> None:
    assert accepted_by_frictionless("service", "email", cell)


@settings(max_examples=300, deadline=None)
@given(
    st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31)),
    st.sampled_from(["", "Z", "+05:30", "-11:00", "+00:00"]),
)
def test_every_usual_date_time_is_accepted_by_frictionless(moment: dt.datetime, offset: str) -> None:
    cell = moment.strftime("%Y-%m-%dT%H:%M:%S") + offset
    cell = cell.rjust(19 + len(offset), "0")
    if USUAL_DATE_TIME.match(cell):
        assert accepted_by_frictionless("service", "last_modified", cell)
