"""Programme report speed: the outcomes report over 200,000 episodes and about 1,000,000 check-ins,
on SQLite and on PostgreSQL.

Run:  .venv/bin/python -m bench.bench_outcomes_report [--episodes 200000] [--runs 5] [--write]
      [--engines sqlite,postgresql]
With --write the figures replace the "Outcomes report" section of docs/benchmarks.md, in place.

Each engine runs in a child process of its own against a throwaway database: a SQLite file in a
temporary folder, and a PostgreSQL 15 cluster of the bench's own (`bench.outcomes_postgres`: initdb,
port 5511, deleted afterwards). The data: one person per episode, with the demo's trajectories
(`carepath.demo.outcomes_generator`), about five check-ins per episode (PHQ-9 and GAD-7, two or three
each, and now and then one after the episode ended), all inserted with plain INSERTs, past the
services; then the report rows are written as `migrate` writes them on an upgraded database (timed).

Timed: what the dashboard and the API do, the report service (sums from the report rows, the core,
the audit event), grouped by kind of support, by service, and for one organisation over a quarter,
beside the way every report was worked out before report rows (correlated subqueries over every
episode's check-ins, once) and a check that both give the same figures. Wall time is reported with
the CPU time of the Python process and, on PostgreSQL, of its server process (with any parallel
workers), because the machine is shared: the load average before and after is reported too.
Target: 2 s.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

TARGET_S = 2.0
QUARTER = {"from": "2026-04-01", "to": "2026-06-30"}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--episodes", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--child", help=argparse.SUPPRESS)  # where a child writes its results
    options = parser.parse_args()
    if options.child:
        Path(options.child).write_text(json.dumps(measure(options.episodes, options.runs)))
        return
    results = [run_engine(engine, options.episodes, options.runs) for engine in options.engines.split(",")]
    report = render(options.episodes, options.runs, results)
    print(report)
    if options.write:
        write_in_place("Outcomes report", report)


def run_engine(engine: str, episodes: int, runs: int) -> dict[str, Any]:
    from bench.outcomes_postgres import throwaway_cluster

    with tempfile.TemporaryDirectory(prefix="outcomes-bench-") as folder:
        Path(folder).chmod(0o711)  # the PostgreSQL server runs as `postgres` and must reach its folder
        result = Path(folder) / "result.json"
        command = [sys.executable, "-m", "bench.bench_outcomes_report", "--child", str(result)]
        command += ["--episodes", str(episodes), "--runs", str(runs)]
        env = {**os.environ, "CAREPATH_VAR_DIR": folder, "DJANGO_SETTINGS_MODULE": "carepath.config.settings"}
        if engine == "sqlite":
            env["DATABASE_URL"] = f"sqlite:///{Path(folder) / 'outcomes.sqlite3'}"
            subprocess.run(command, env=env, check=True)
        else:
            with throwaway_cluster(Path(folder) / "pg") as url:
                subprocess.run(command, env={**env, "DATABASE_URL": url}, check=True)
        return dict(json.loads(result.read_text()))


def measure(episodes: int, runs: int) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench.outcomes_data import build

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    _, check_ins = build(episodes)
    vacuum_analyze()
    build_s = time.perf_counter() - started
    backfill = timed_once(rebuild_rows)
    vacuum_analyze()
    load_before = os.getloadavg()[0]
    timings = {
        name: [timed_once(lambda q=query: read_report(q)) for _ in range(runs)] for name, query in QUERIES
    }
    load_after = os.getloadavg()[0]
    before, same = {}, True
    for group in ("pathway", "service"):
        found: dict[str, Any] = {}
        before[group] = timed_once(lambda g=group, f=found: f.setdefault("figures", old_report(g)))
        same = same and found["figures"] == new_figures(group)
    return {
        "engine": connection.vendor,
        "version": database_version(),
        "episodes": episodes,
        "check_ins": check_ins,
        "build_s": build_s,
        "backfill": backfill,
        "timings": timings,
        "before": before,
        "same_figures": same,
        "load": [load_before, load_after],
    }


QUERIES = (
    ("grouped by kind of support", {"group_by": "pathway"}),
    ("grouped by service", {"group_by": "service"}),
    (
        "one organisation, one quarter, by service",
        {"group_by": "service", **QUARTER, "organisation": "first"},
    ),
)


def query_of(raw: dict[str, str]) -> Any:
    from carepath.directory.models import Organization
    from carepath.outcomes.report_query import read_report_query

    values = dict(raw)
    if values.get("organisation") == "first":
        values["organisation"] = Organization.objects.order_by("name").values_list("id", flat=True)[0]
    return read_report_query(values)


def read_report(raw: dict[str, str]) -> None:
    from carepath.outcomes.report_services import read_outcomes_report

    report = read_outcomes_report(actor=None, query=query_of(raw), channel="bench")
    assert report.figures.groups


def rebuild_rows() -> None:
    from carepath.outcomes.report_rows import rebuild_report_rows

    assert rebuild_report_rows() > 0


def old_report(group_by: str) -> Any:
    """The report as every request worked it out before report rows (tests/outcomes_report_before)."""
    from django.conf import settings
    from tests.outcomes_report_before import programme_report_before

    from carepath.outcomes.report_selectors import report_facts
    from carepath.outcomes.selectors import talking_therapies_rules

    query = query_of({"group_by": group_by})
    rules, threshold = talking_therapies_rules(), settings.CAREPATH_SUPPRESS_BELOW
    return programme_report_before(
        report_facts(query), group_by=query.group_by, rules=rules, threshold=threshold
    )


def new_figures(group_by: str) -> Any:
    from carepath.outcomes.report_services import read_outcomes_report

    return read_outcomes_report(actor=None, query=query_of({"group_by": group_by}), channel="bench").figures


def timed_once(work: Callable[[], Any]) -> dict[str, float]:
    """Wall seconds, this process's CPU seconds and (PostgreSQL) the server's CPU seconds."""
    server = server_cpu()
    server_before = server.seconds() if server else 0.0
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    if server is None:
        return {"wall": wall, "cpu": cpu, "server_cpu": 0.0}
    from bench.outcomes_postgres import wait_for_reaping

    wait_for_reaping()
    return {"wall": wall, "cpu": cpu, "server_cpu": server.seconds() - server_before}


def server_cpu() -> Any:
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    from bench.outcomes_postgres import ServerCpu

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid(), current_setting('data_directory')")
        pid, data_dir = cursor.fetchone()
    return ServerCpu(pid, Path(data_dir))


def vacuum_analyze() -> None:
    """What autovacuum does after a bulk load, done now (PostgreSQL); SQLite is left as it is."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def database_version() -> str:
    from django.db import connection

    if connection.vendor == "sqlite":
        return f"SQLite {connection.Database.sqlite_version}"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0].split()[0]}"


# --- the section in docs/benchmarks.md -----------------------------------------------------------


def render(episodes: int, runs: int, results: list[dict[str, Any]]) -> str:
    first = results[0]
    lines = [
        "## Outcomes report",
        "",
        f"Measured {time.strftime('%Y-%m-%d')} on {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; {episodes:,} episodes (about 4 % still open) and "
        f"{first['check_ins']:,} stored check-ins, inserted in bulk past the services, then given their "
        "report rows as `migrate` does on an upgraded database. Each engine is a throwaway database: a "
        "SQLite file, and a PostgreSQL cluster of the bench's own (default planner settings, 512 MB "
        "shared buffers, fsync off for the load).",
        "",
        "**The machine is shared** (2 cores, other people's test suites running): wall time depends on "
        "their load, so each figure has the CPU time beside it: the Python process's, and on PostgreSQL "
        "the server's (the connection's process and its parallel workers). Load averages are below.",
        "",
        "Command: `.venv/bin/python -m bench.bench_outcomes_report "
        f"--episodes {episodes} --runs {runs} --write`",
        "",
        "| Engine | Report | Median wall s | Fastest wall s | Median CPU s (Python + server) | Runs |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for result in results:
        for name, runs_ in result["timings"].items():
            lines.append(_row(result["version"], name, runs_))
    lines += [
        "",
        "| Engine | Load before → after timing | Bulk load (not timed) | Rows written (as `migrate`) "
        "| Before rows, one report |",
        "|---|---|---:|---|---|",
    ]
    for result in results:
        lines.append(_context(result))
    met = all(
        statistics.median(r["wall"] for r in runs_) <= TARGET_S
        for result in results
        for runs_ in result["timings"].values()
    )
    same = all(result["same_figures"] for result in results)
    lines += [
        "",
        f"Target: every report in at most {TARGET_S:.0f} s (median wall) on both engines — "
        f"{'met' if met else 'NOT met'}. The reports from rows gave the same figures as the way before "
        f"rows, grouped both ways, at this size: {'yes' if same else 'NO'}. How it works and why: "
        "[outcomes.md, How it runs at scale](outcomes.md#how-it-runs-at-scale) and "
        "[decision 0003](decisions/0003-outcomes-report-rows.md).",
        "",
    ]
    return "\n".join(lines)


def _row(version: str, name: str, runs: list[dict[str, float]]) -> str:
    walls = [r["wall"] for r in runs]
    cpu = statistics.median(r["cpu"] + r["server_cpu"] for r in runs)
    split = statistics.median(r["cpu"] for r in runs), statistics.median(r["server_cpu"] for r in runs)
    detail = f"{cpu:.2f} ({split[0]:.2f} + {split[1]:.2f})" if split[1] else f"{cpu:.2f}"
    return (
        f"| {version} | {name} | {statistics.median(walls):.2f} | {min(walls):.2f} | {detail} | {len(runs)} |"
    )


def _seconds(figure: dict[str, float]) -> str:
    cpu = figure["cpu"] + figure["server_cpu"]
    return f"{figure['wall']:.1f} s wall, {cpu:.1f} s CPU"


def _context(result: dict[str, Any]) -> str:
    load = " → ".join(f"{value:.1f}" for value in result["load"])
    before = "; ".join(f"by {group}: {_seconds(figure)}" for group, figure in result["before"].items())
    return (
        f"| {result['version']} | {load} | {result['build_s']:.0f} s | {_seconds(result['backfill'])} "
        f"| {before} |"
    )


def write_in_place(heading: str, report: str) -> None:
    """Replace the `## heading` section where it stands (appended if missing); others untouched."""
    from bench.report import BENCHMARKS

    text = BENCHMARKS.read_text(encoding="utf-8")
    start = text.find(f"\n## {heading}\n")
    if start < 0:
        BENCHMARKS.write_text(text.rstrip("\n") + "\n\n" + report, encoding="utf-8")
        return
    end = text.find("\n## ", start + 1)
    rest = text[end + 1 :] if end >= 0 else ""
    BENCHMARKS.write_text(text[: start + 1] + report + ("\n" + rest if rest else ""), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
