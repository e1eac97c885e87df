"""Reading whatever HSDS a path holds: a JSON file, a folder of JSON files, or a data package."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from carepath.interop.hsds_json import read_json_file, read_json_folder
from carepath.interop.hsds_records import ImportBatch, Problem
from carepath.interop.hsds_tabular import is_tabular_package, read_tabular_package


def read_hsds(path: Path, kind: str | None = None, batch: ImportBatch | None = None) -> ImportBatch:
    """Everything the path holds, added to `batch` when given (`hsds_stream.StreamedBatch`)."""
    if batch is None:
        batch = ImportBatch()
    if not path.exists():
        batch.report(Problem(str(path), "", "", "does not exist", origins=(str(path),)))
        return batch
    if is_tabular_package(path):
        return read_tabular_package(path, batch)
    if path.is_dir():
        return read_json_folder(path, kind, batch)
    return read_json_file(path, kind, batch)


@contextmanager
def garbage_collection_paused() -> Iterator[None]:
    """Python's cycle collector off for the length of a large import, on again after.

    Reading and writing a directory makes millions of small objects that live until the end, and
    the collector would walk all of them again and again: about half the time of a large import.
    Those objects hold no reference cycles, so waiting costs no memory worth having.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
