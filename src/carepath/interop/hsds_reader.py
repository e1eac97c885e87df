"""Reading whatever HSDS a path holds: a JSON file, a folder of JSON files, or a data package."""

from __future__ import annotations

from pathlib import Path

from carepath.interop.hsds_json import read_json_file, read_json_folder
from carepath.interop.hsds_records import ImportBatch, Problem
from carepath.interop.hsds_tabular import is_tabular_package, read_tabular_package


def read_hsds(path: Path, kind: str | None = None) -> ImportBatch:
    if not path.exists():
        batch = ImportBatch()
        batch.report(Problem(str(path), "", "", "does not exist", origins=(str(path),)))
        return batch
    if is_tabular_package(path):
        return read_tabular_package(path)
    if path.is_dir():
        return read_json_folder(path, kind)
    return read_json_file(path, kind)
