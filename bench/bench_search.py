"""The people-facing directory search at 1,000,000 services, on SQLite and on PostgreSQL.

Run:  .venv/bin/python -m bench.bench_search [--backends sqlite,postgresql] [--rebuild] [--write]

Each database is built once with `carepath demo-directory --services N --seed 1` (which also indexes
every service for search) in --data-dir, outside the repository, and reused by later runs; --rebuild
builds it again. PostgreSQL runs in a cluster of its own in --data-dir/pg (bench/search_database.py).
Each run keeps its figures in --data-dir; with --write the "Directory search" section of
docs/benchmarks.md is made from the latest figures of both databases.

Targets (issue 5): radius-only (10 km, top 20) p95 <= 10 ms; words + 25 km + two filters + open
now p95 <= 50 ms; no query shape over 1 s; web worker under 500 MB resident. Latencies are measured
in-process (bench/search_inprocess.py), the throughput over HTTP (bench/search_http.py), and the
speed-up against a search without any index (bench/search_naive.py).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench import search_database as databases
from bench import search_queries as queries
from bench.report import write_section
from bench.search_http import HEALTH, SEARCH, measure_http

ROOT = Path(__file__).resolve().parents[1]
NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
RADIUS_TARGET_MS, TEXT_TARGET_MS, WORST_TARGET_MS, RSS_TARGET_MB = 10.0, 50.0, 1000.0, 500.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--services", type=int, default=1_000_000)
    parser.add_argument("--data-dir", type=Path, default=Path("/work/bench-data"))
    parser.add_argument("--rebuild", action="store_true", help="build the databases again")
    parser.add_argument("--searches", type=int, default=200, help="searches per realistic shape")
    parser.add_argument("--naive", type=int, default=5, help="searches per shape for the naive baseline")
    parser.add_argument("--worst-repeat", type=int, default=3)
    parser.add_argument("--again", type=int, default=2, help="measured passes after the first, p95 only")
    parser.add_argument("--http-seconds", type=float, default=20.0)
    parser.add_argument("--http-threads", type=int, default=4)
    parser.add_argument("--skip-http", action="store_true")
    parser.add_argument("--keep-postgres", action="store_true", help="leave the PostgreSQL cluster running")
    parser.add_argument("--write", action="store_true")
    options = parser.parse_args()
    for backend in options.backends.split(","):
        if backend not in NAMES:
            raise SystemExit(f"--backends: '{backend}' is not one of {', '.join(NAMES)}")
        try:
            figures = run_backend(backend, options)
        finally:
            if backend == "postgresql" and not options.keep_postgres:
                databases.stop_postgres(options.data_dir)
        results_path(options, backend).write_text(json.dumps(figures, indent=2))
        print(json.dumps(figures, indent=2))
    report = render(options)
    print(report)
    if options.write:
        write_section(heading(options.services), report)


def results_path(options: argparse.Namespace, backend: str) -> Path:
    return options.data_dir / f"search-{databases.label(options.services)}.{backend}.results.json"


def heading(services: int) -> str:
    return f"Directory search ({services:,} services)"


def run_backend(backend: str, options: argparse.Namespace) -> dict[str, Any]:
    url, build = databases.ensure_database(options.data_dir, backend, options.services, options.rebuild)
    figures: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": machine(),
        "version": database_version(backend, url),
        "build": None if build is None else {**build.__dict__, "per_second": build.services_per_second},
        "load_before": os.getloadavg()[0],
    }
    child = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.search_inprocess",
            f"--searches={options.searches}",
            f"--naive={options.naive}",
            f"--worst-repeat={options.worst_repeat}",
            f"--again={options.again}",
        ],
        env={**os.environ, "DATABASE_URL": url},
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    figures["inprocess"] = json.loads(child.stdout)
    if not options.skip_http:
        mix = queries.radius_only(options.searches // 2) + queries.text_radius_filters_open(
            options.searches // 2
        )
        mix = [mix[i // 2 + (i % 2) * (len(mix) // 2)] for i in range(len(mix))]  # alternate the shapes
        figures["http"] = measure_http(
            url,
            [SEARCH + search.http_query() for search in mix],
            [SEARCH + search.http_query() for search in queries.worst_shapes().values()],
            options.http_seconds,
            options.http_threads,
        )
    figures["load_after"] = os.getloadavg()[0]
    return figures


def machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def database_version(backend: str, url: str) -> str:
    if backend == "sqlite":
        return f"SQLite {sqlite3.sqlite_version}"
    done = subprocess.run(
        ["psql", url, "-tAc", "SHOW server_version"], check=True, capture_output=True, text=True
    )
    return f"PostgreSQL {done.stdout.strip().split()[0]}"


# The report: one table with a column per database, from each database's latest figures.


def render(options: argparse.Namespace) -> str:
    found = {
        backend: json.loads(results_path(options, backend).read_text())
        for backend in NAMES
        if results_path(options, backend).exists()
    }
    columns = list(found)
    lines = [f"## {heading(options.services)}", ""]
    for backend, figures in found.items():
        lines.append(
            f"{NAMES[backend]}: measured {figures['date']} on {figures['machine']}, {figures['version']}; "
            f"load average {figures['load_before']:.1f} before, {figures['load_after']:.1f} after "
            "(the machine is shared)."
        )
    lines += ["", "Commands:", ""]
    lines += [f"    .venv/bin/python -m bench.bench_search --backends {backend} --write" for backend in NAMES]
    lines += ["", _method(options), ""]
    lines += ["| Measure | " + " | ".join(NAMES[c] for c in columns) + " | Target |"]
    lines += ["|---|" + "---:|" * len(columns) + "---|"]
    for label, target, read in _rows():
        cells = []
        for backend in columns:
            try:
                cells.append(read(found[backend]))
            except (KeyError, TypeError):
                cells.append("—")
        lines.append(f"| {label} | " + " | ".join(cells) + f" | {target} |")
    lines += [
        "",
        f"Worst shapes, in-process, ms: the first run (caches as they come, the place gazetteers "
        f"loaded first as a web worker does), then the slowest of {options.worst_repeat} more; the "
        "1 s target is checked against the slower of the two.",
        "",
    ]
    lines += ["| Query | " + " | ".join(f"{NAMES[c]} first | {NAMES[c]}" for c in columns) + " |"]
    lines += ["|---|" + "---:|---:|" * len(columns)]
    for name in queries.worst_shapes():
        cells = [_cell(found[c]["inprocess"]["worst"].get(name)) for c in columns]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += ["", *_verdicts(found), ""]
    return "\n".join(lines)


def _cell(worst: dict[str, Any] | None) -> str:
    if worst is None:
        return "— | —"
    return f"{worst['first']:.0f} | {worst['max']:.1f}" + (" (capped)" if worst["capped"] else "")


def _method(options: argparse.Namespace) -> str:
    return (
        "In-process: `find_services` (read the query, find the place, search, make the cards) after a "
        f"warm-up pass, the p95 target checked against the first measured pass ({options.again} more "
        "passes beside it show how much it moves); "
        f"{options.searches} searches per shape from towns drawn like the data (with London, "
        "Dublin, Auckland and four of the smallest towns), topic words, pairs of filters (support type, "
        "language, cost); open now = Wednesday 11:00 in the town's time zone (03:00 for the worst shapes). "
        "Naive baseline: `icontains` on name and description and the distance to every location, no index "
        f"(bench/search_naive.py), on the first {options.naive} searches of each shape, compared with the "
        f"indexed search on the same searches. HTTP: `carepath serve` (gunicorn, 2 workers) on loopback, "
        f"{options.http_threads} client threads for {options.http_seconds:.0f} s per endpoint, the search "
        "mix alternating the two shapes; memory read from /proc after the mix and every worst shape."
    )


def _ms(path: list[str]) -> Any:
    def read(figures: dict[str, Any]) -> str:
        value: Any = figures
        for key in path:
            value = value[key]
        return f"{value:.1f}"

    return read


def _again(shape: str) -> Any:
    def read(figures: dict[str, Any]) -> str:
        return " / ".join(f"{p95:.1f}" for p95 in figures["inprocess"][f"{shape}_again"])

    return read


def _cpu(shape: str) -> Any:
    def read(figures: dict[str, Any]) -> str:
        measured = figures["inprocess"][shape]
        return f"{measured['cpu_median']:.1f} / {measured['cpu_p95']:.1f}"

    return read


def _rows() -> list[tuple[str, str, Any]]:
    def build_seconds(f: dict[str, Any]) -> str:
        return f"{f['build']['seconds']:,.0f}"

    def build_rate(f: dict[str, Any]) -> str:
        return f"{f['build']['per_second']:,.0f}"

    def ratio(shape: str) -> Any:
        def read(f: dict[str, Any]) -> str:
            measured = f["inprocess"]
            return (
                f"{measured[f'naive_{shape}']['p95'] / measured[f'indexed_{shape}_same']['p95']:,.0f} times"
            )

        return read

    def worst(f: dict[str, Any]) -> str:
        return f"{_slowest(f['inprocess']['worst']):.0f}"

    def rate(key: str) -> Any:
        return lambda f: f"{f['http'][key]['requests_per_s']:,.0f}"

    return [
        ("build: demo directory and search index, s", "", build_seconds),
        ("build: services per second", "", build_rate),
        ("radius only, 10 km, top 20: median ms", "", _ms(["inprocess", "radius", "median"])),
        (
            "radius only, 10 km, top 20: p95 ms",
            f"≤ {RADIUS_TARGET_MS:.0f}",
            _ms(["inprocess", "radius", "p95"]),
        ),
        ("… p95 of the passes after it, ms", "", _again("radius")),
        (
            "… the search alone (`search_services`): p95 ms",
            "",
            _ms(["inprocess", "radius_parts", "search", "p95"]),
        ),
        (
            "… the result cards (`result_cards`): p95 ms",
            "",
            _ms(["inprocess", "radius_parts", "cards", "p95"]),
        ),
        ("… processor time, this process: median / p95 ms", "", _cpu("radius")),
        ("… processor time, PostgreSQL server: mean ms", "", _ms(["inprocess", "radius", "server_cpu_mean"])),
        ("words + 25 km + two filters + open now: median ms", "", _ms(["inprocess", "text", "median"])),
        (
            "words + 25 km + two filters + open now: p95 ms",
            f"≤ {TEXT_TARGET_MS:.0f}",
            _ms(["inprocess", "text", "p95"]),
        ),
        ("… p95 of the passes after it, ms", "", _again("text")),
        (
            "… the search alone (`search_services`): p95 ms",
            "",
            _ms(["inprocess", "text_parts", "search", "p95"]),
        ),
        ("… the result cards (`result_cards`): p95 ms", "", _ms(["inprocess", "text_parts", "cards", "p95"])),
        ("… processor time, this process: median / p95 ms", "", _cpu("text")),
        ("… processor time, PostgreSQL server: mean ms", "", _ms(["inprocess", "text", "server_cpu_mean"])),
        ("naive, radius only: p95 ms", "", _ms(["inprocess", "naive_radius", "p95"])),
        ("indexed, same searches: p95 ms", "", _ms(["inprocess", "indexed_radius_same", "p95"])),
        ("speed-up over naive, radius only (p95)", "", ratio("radius")),
        ("naive, words + radius + filters: p95 ms", "", _ms(["inprocess", "naive_text", "p95"])),
        ("indexed, same searches: p95 ms", "", _ms(["inprocess", "indexed_text_same", "p95"])),
        ("speed-up over naive, words + radius (p95)", "", ratio("text")),
        ("slowest worst shape, in-process, ms", f"≤ {WORST_TARGET_MS:.0f}", worst),
        ("HTTP search: requests/s", "", rate("search_load")),
        ("HTTP search under load: p95 ms", "", _ms(["http", "search_load", "p95"])),
        (f"HTTP {HEALTH}: requests/s", "", rate("health_load")),
        (f"HTTP {HEALTH} under load: p95 ms", "", _ms(["http", "health_load", "p95"])),
        ("HTTP search, one at a time: p95 ms", "", _ms(["http", "search_sequential", "p95"])),
        ("HTTP health, one at a time: p95 ms", "", _ms(["http", "health_sequential", "p95"])),
        ("HTTP slowest worst shape, ms", f"≤ {WORST_TARGET_MS:.0f}", _ms(["http", "worst_max"])),
        ("web worker resident memory after the searches, MB", "", _ms(["http", "memory", "rss_max"])),
        (
            "web worker peak resident memory, MB",
            f"< {RSS_TARGET_MB:.0f}",
            _ms(["http", "memory", "peak_max"]),
        ),
    ]


def _slowest(worst: dict[str, Any]) -> float:
    """The slowest run of any worst shape, its first (cold) run included: a person may send it first."""
    return max(max(w["first"], w["max"]) for w in worst.values())


def _verdicts(found: dict[str, dict[str, Any]]) -> list[str]:
    lines = []
    for backend, f in found.items():
        measured = f["inprocess"]
        checks = [
            ("radius-only p95", measured["radius"]["p95"], RADIUS_TARGET_MS),
            ("words + radius + filters + open now p95", measured["text"]["p95"], TEXT_TARGET_MS),
            ("slowest shape", _slowest(measured["worst"]), WORST_TARGET_MS),
        ]
        if "http" in f:
            checks.append(("worker peak memory", f["http"]["memory"]["peak_max"], RSS_TARGET_MB))
        parts = [
            f"{name} {'met' if value <= target else 'NOT met'} ({value:,.1f})"
            for name, value, target in checks
        ]
        lines.append(f"Targets on {NAMES[backend]}: " + "; ".join(parts) + ".")
        lines.append("")
    return lines


if __name__ == "__main__":
    main()
