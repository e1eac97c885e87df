"""`bench/import_floor.py` still runs against the schema as it is now.

Nothing else runs the benchmarks, and this one replays every row an import writes into a migrated
database table by table: a new table that points at another, or a table triggers fill, broke it
unseen once (docs/benchmarks.md, "The databases' own floor"). A run at a few dozen services on
SQLite (the PostgreSQL form starts a cluster of its own, which the PostgreSQL suite already holds).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.faults.real_databases import suite_vendor

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(suite_vendor() != "sqlite", reason="the SQLite suite runs it")
def test_the_import_floor_replays_an_imports_write() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bench.import_floor", "--services", "40", "--repeat", "1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = done.stdout
    for table in (
        "directory_service",
        "directory_searchentry",
        "directory_searchcard",
        "directory_searchpoint",
    ):
        assert f"| {table} |" in report, table
    assert "directory_search_cell_positions" not in report  # the triggers write it
    assert "Floor (median wall, whole write)" in report
