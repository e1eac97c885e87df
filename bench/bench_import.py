"""HSDS import throughput: `carepath import-hsds` on a generated directory, JSON and tabular.

Run:  .venv/bin/python -m bench.bench_import [--services 20000] [--repeat 3] [--postgres] [--write]
With --write the figures replace the "HSDS import" section of docs/benchmarks.md.

The data set is the demo directory (`demo_directory(N, seed 1)`) written by the exporter in both
forms, as `carepath export-hsds` writes them. Each measurement runs in a child process
(bench/import_inprocess.py) on a fresh, empty, migrated database: a new SQLite file, or, with
--postgres, a throwaway PostgreSQL 15 cluster (scripts/with-throwaway-postgres) emptied between runs.
Times are in-process (reading, checking and writing, as the command does after Django has started:
a forked process reads while the benchmark's child writes, `hsds_pipeline`), wall clock and the CPU
of each process; the best of --repeat runs is reported, since the machine is shared. Then the same
file is imported again (every record unchanged) and a revised copy (every record changed). The whole command,
Django start-up included, is timed once per form on SQLite.

Target (the issue): at least 5,000 services a second.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.report import write_section

ROOT = Path(__file__).resolve().parents[1]
CAREPATH = str(Path(sys.executable).with_name("carepath"))
TARGET_SERVICES_PER_SECOND = 5000.0
FORMS = ("json", "tabular")
REVISED = " (revised)"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--services", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--postgres", action="store_true", help="also measure on a throwaway PostgreSQL 15")
    parser.add_argument("--write", action="store_true")
    options = parser.parse_args()
    load_before = load_average()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        env = {**os.environ, "CAREPATH_VAR_DIR": folder, "DJANGO_SETTINGS_MODULE": "carepath.config.settings"}
        counts = write_data_sets(options.services, work)
        template = work / "template.sqlite3"
        migrate(template, env)
        results: dict[str, Any] = {"sqlite": measure_sqlite(work, template, env, options.repeat)}
        results["command"] = {form: time_command(work, template, env, form) for form in FORMS}
        print(json.dumps(results), flush=True)
        if options.postgres:
            results["postgresql"] = measure_postgres(work, env, options.repeat)
    results["load"] = (load_before, load_average())
    report = render(options.services, counts, results, options)
    print(report)
    if options.write:
        write_section("HSDS import", report)


def load_average() -> float:
    """The machine's load over the last 15 minutes (0 where it cannot be read): others' work competes."""
    try:
        return float(Path("/proc/loadavg").read_text().split()[2])
    except (OSError, IndexError, ValueError):
        return 0.0


def write_data_sets(services: int, work: Path) -> dict[str, int]:
    """The demo directory as JSON and as a package, and a revised copy changing every record."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carepath.config.settings")
    from carepath.demo.directory_generator import demo_directory
    from carepath.interop.hsds_export import write_json_export, write_tabular_export

    rows: dict[str, list[dict[str, Any]]] = {}
    for batch in demo_directory(services, seed=1):
        for table, table_rows in batch.rows.items():
            rows.setdefault(table, []).extend(table_rows)
    revised = {table: [revise(table, row) for row in table_rows] for table, table_rows in rows.items()}
    for name, data in (("original", rows), ("revised", revised)):
        write_json_export(data, work / name / "json")
        write_tabular_export(data, work / name / "tabular")
    return {table: len(table_rows) for table, table_rows in rows.items()}


def revise(table: str, row: dict[str, Any]) -> dict[str, Any]:
    """The row with one text field changed, so that importing it updates the record."""
    from carepath.interop.hsds_tables import TABLES

    columns = TABLES[table].columns
    column = next(
        name for name in ("description", "note", "amount_description", "address_2", "name") if name in columns
    )
    return {**row, column: f"{row.get(column) or ''}{REVISED}"}


def migrate(database: Path, env: dict[str, str]) -> None:
    subprocess.run(
        [CAREPATH, "migrate", "-v0"], env={**env, "DATABASE_URL": f"sqlite:///{database}"}, check=True
    )


def measure_sqlite(work: Path, template: Path, env: dict[str, str], repeat: int) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    for form in FORMS:
        runs = []
        for number in range(repeat):
            database = work / f"run-{form}-{number}.sqlite3"
            shutil.copyfile(template, database)
            runs += child(work, form, {**env, "DATABASE_URL": f"sqlite:///{database}"}, [])
            database.unlink()
        figures[form] = best(runs)
    return figures


def measure_postgres(work: Path, env: dict[str, str], repeat: int) -> dict[str, Any]:
    figures = {}
    for form in FORMS:
        script = ROOT / "scripts" / "with-throwaway-postgres"
        command = [str(script), sys.executable, "-m", "bench.import_inprocess", "--repeat", str(repeat)]
        figures[form] = best(child(work, form, env, ["--migrate"], prefix=command))
    return figures


def child(
    work: Path, form: str, env: dict[str, str], extra: list[str], prefix: list[str] | None = None
) -> list[dict[str, Any]]:
    """The runs of one child process (bench/import_inprocess.py): phase -> figures."""
    command = prefix or [sys.executable, "-m", "bench.import_inprocess"]
    command += [str(work / "original" / form), str(work / "revised" / form), *extra]
    done = subprocess.run(command, env=env, cwd=ROOT, check=True, capture_output=True, text=True)
    # The last line that is a JSON list (the PostgreSQL wrapper prints its own lines around it).
    line = next(line for line in reversed(done.stdout.splitlines()) if line.startswith("["))
    runs: list[dict[str, Any]] = json.loads(line)
    return runs


def best(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The fastest of several runs, phase by phase."""
    return {
        phase: min((run[phase] for run in runs), key=lambda figures: figures["seconds"]) for phase in runs[0]
    }


def time_command(work: Path, template: Path, env: dict[str, str], form: str) -> float:
    database = work / f"command-{form}.sqlite3"
    shutil.copyfile(template, database)
    started = time.perf_counter()
    subprocess.run(
        [CAREPATH, "import-hsds", str(work / "original" / form)],
        env={**env, "DATABASE_URL": f"sqlite:///{database}"},
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def render(
    services: int, counts: dict[str, int], results: dict[str, Any], options: argparse.Namespace
) -> str:
    records = sum(counts.values())
    lines = [
        "## HSDS import",
        "",
        f"Measured {time.strftime('%Y-%m-%d')} on {platform.machine()}, {os.cpu_count()} cores (shared), "
        f"Python {platform.python_version()}; the demo directory of {services:,} services "
        f"({records:,} HSDS records: "
        + ", ".join(f"{count:,} {table}" for table, count in sorted(counts.items()))
        + "), each form imported into a fresh empty database; in-process times, best of "
        f"{options.repeat} runs. Load average (15 min) before and after: "
        f"{results['load'][0]:.1f} and {results['load'][1]:.1f} on {os.cpu_count()} cores.",
        "",
        "Command: `.venv/bin/python -m bench.bench_import"
        + (f" --services {services}" if services != 20_000 else "")
        + (" --postgres" if options.postgres else "")
        + " --write`",
        "",
        "| Database | Form | Import | s | CPU s, writer | CPU s, reader | services/s | records/s "
        "| peak memory (MB) | load (1 min) |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    names = {"sqlite": "SQLite", "postgresql": "PostgreSQL 15"}
    for database, name in names.items():
        for form, phases in results.get(database, {}).items():
            for phase, label in (
                ("fresh", "new"),
                ("unchanged", "again, unchanged"),
                ("updated", "revised, all updated"),
            ):
                figures = phases[phase]
                lines.append(
                    f"| {name} | {form} | {label} | {figures['seconds']:.2f} | {figures['cpu_seconds']:.2f} "
                    f"| {figures['reader_cpu_seconds']:.2f} | {services / figures['seconds']:,.0f} "
                    f"| {records / figures['seconds']:,.0f} | {figures['peak_mb']:.0f} "
                    f"| {figures['load']:.1f} |"
                )
    fresh = [phases["fresh"]["seconds"] for phases in results["sqlite"].values()]
    rate = services / max(fresh)
    lines += [
        "",
        "The whole command, `carepath import-hsds PATH` on SQLite with Django's start-up: "
        + ", ".join(
            f"{form} {seconds:.1f} s ({services / seconds:,.0f} services/s)"
            for form, seconds in results["command"].items()
        )
        + ".",
        "",
        f"Target: at least {TARGET_SERVICES_PER_SECOND:,.0f} services/s — "
        f"{'met' if rate >= TARGET_SERVICES_PER_SECOND else 'NOT met'} on SQLite "
        f"(the slower form, {rate:,.0f} services/s).",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
