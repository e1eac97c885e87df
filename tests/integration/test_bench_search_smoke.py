"""`bench/bench_search.py` still runs: a few searches of each shape against a small demo directory.

The benchmark's figures come from a million services (docs/benchmarks.md), which the tests cannot
build; this runs the same code end to end (the database built by `carepath demo-directory`, the
in-process measurements in a child process, the report) at 300 services on SQLite, without the
HTTP half (`carepath serve` under load), so that a change to the search or to the benchmark that
breaks it is caught here rather than in the next round's run.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.faults.real_databases import suite_vendor

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(suite_vendor() != "sqlite", reason="the SQLite suite runs it")
def test_the_search_benchmark_runs_end_to_end(tmp_path: Path) -> None:
    command = [
        sys.executable, "-m", "bench.bench_search", "--backends", "sqlite", "--services", "300",
        "--data-dir", str(tmp_path), "--searches", "6", "--naive", "1", "--worst-repeat", "1",
        "--again", "2", "--skip-http",
    ]  # fmt: skip
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    figures = json.loads((tmp_path / "search-300.sqlite.results.json").read_text())
    measured = figures["inprocess"]
    assert figures["build"]["services"] == 300
    for shape in ("radius", "text"):
        assert measured[shape]["count"] == 6
        assert len(measured[f"{shape}_again"]) == 2 and all(p95 > 0 for p95 in measured[f"{shape}_again"])
    assert measured["naive_text"]["count"] == 1 and measured["worst"]
    report = done.stdout
    assert "## Directory search (300 services)" in report
    assert report.count("| … p95 of the passes after it, ms |") == 2
    assert "Targets on SQLite:" in report
