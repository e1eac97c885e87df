"""The HSDS API (/hsds/) at 1,000,000 services, on SQLite and on PostgreSQL: every request under 1 s.

Run:  .venv/bin/python -m bench.bench_hsds_api [--backends sqlite,postgresql] [--repeat 15] [--write]
          [--sqlite-url sqlite:///…] [--postgresql-url postgres://…]

By default it reads the search benchmark's million-service databases (bench/search_database.py), and
only reads them: SQLite opened with mode=ro, PostgreSQL in read-only transactions. They need the
directory migration 0008 (the lookups the API uses); a database without it is refused, naming what to
apply. Each backend runs in a child process of its own (Django's settings are per process). Each
request goes through Django's test client in-process (routing, selectors, nesting, JSON), is made once
to warm the caches (the "first" figure), then --repeat more times for the median, p95 and maximum.
With --write the "HSDS API (1,000,000 services)" section of docs/benchmarks.md is made from the
figures of the backends of this run. The machine is shared: the load average is kept beside them.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

from bench import search_database as databases

ROOT = Path(__file__).resolve().parents[1]
NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
TARGET_MS = 1000.0
NEEDED = ("directory", "0007_hsds_api_lookups")
HEADING = "HSDS API (1,000,000 services)"
UNKNOWN_TERM = "3f7b145d-84af-42d7-8fae-eaca714b02b2"  # the demo directory has no attributes


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--data-dir", type=Path, default=Path("/work/bench-data"))
    parser.add_argument("--sqlite-url", default="")
    parser.add_argument("--postgresql-url", default="")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--note", default="", help="a sentence for the report: where the databases came from")
    parser.add_argument("--child", default="", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        print(json.dumps(measure(options.child, options.repeat)))
        return
    found = {}
    for backend in options.backends.split(","):
        if backend not in NAMES:
            raise SystemExit(f"--backends: '{backend}' is not one of {', '.join(NAMES)}")
        found[backend] = run_backend(backend, _url(backend, options), options.repeat)
    report = render(found, options)
    print(report)
    if options.write:
        from bench.report import write_section

        write_section(HEADING, report)


def _url(backend: str, options: argparse.Namespace) -> str:
    if backend == "sqlite":
        return options.sqlite_url or databases.sqlite_url(options.data_dir, 1_000_000)
    return options.postgresql_url or databases.postgres_url(1_000_000)


def run_backend(backend: str, url: str, repeat: int) -> dict[str, Any]:
    load_before = os.getloadavg()
    child = subprocess.run(
        [sys.executable, "-m", "bench.bench_hsds_api", f"--child={url}", f"--repeat={repeat}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if child.returncode != 0:
        raise SystemExit(f"{NAMES[backend]} ({url}): {child.stderr.strip() or child.stdout.strip()}")
    return {
        "date": time.strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "version": _version(backend, url),
        "load_before": load_before,
        "load_after": os.getloadavg(),
        "requests": json.loads(child.stdout),
    }


def _version(backend: str, url: str) -> str:
    if backend == "sqlite":
        return f"SQLite {sqlite3.sqlite_version}"
    done = subprocess.run(
        ["psql", url, "-tAc", "SHOW server_version"], check=True, capture_output=True, text=True
    )
    return f"PostgreSQL {done.stdout.strip().split()[0]}"


# The child: one database, read-only -------------------------------------------------------------


def _read_only(url: str) -> None:
    """Point Django at the database and make sure nothing can write to it."""
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carepath.config.settings")
    os.environ["CAREPATH_API_RATE_ANONYMOUS"] = "1000000"  # the requests' own cost, not the rate limit
    from django.conf import settings

    database = settings.DATABASES["default"]
    if url.startswith("sqlite:"):
        database["NAME"] = f"file:{database['NAME']}?mode=ro"  # Django opens SQLite names as URIs
    else:
        database.setdefault("OPTIONS", {})["options"] = "-c default_transaction_read_only=on"
    settings.ALLOWED_HOSTS = ["testserver"]


def _check_migrated() -> None:
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder

    if NEEDED not in MigrationRecorder(connection).applied_migrations():
        raise SystemExit(
            f"this database lacks migration {NEEDED[0]}.{NEEDED[1]}: apply it first "
            "(`DATABASE_URL=… .venv/bin/carepath migrate directory`; about 1-3 minutes at 1,000,000 "
            "services), or point --sqlite-url / --postgresql-url at a migrated copy"
        )


def requests() -> dict[str, str]:
    """Representative requests, with ids and values found in the database (reading only)."""
    from carepath.directory.models import Address, Attribute, Service

    first = Service.objects.order_by("pk").values("id", "organization_id").first() or {}
    organization = first.get("organization_id") or "00000000-0000-4000-8000-000000000000"
    term = Attribute.objects.exclude(taxonomy_term_id=None).values_list("taxonomy_term_id", flat=True).first()
    latest = Service.objects.order_by("-last_modified").values_list("last_modified", flat=True).first() or ""
    recent = f"{latest[:10]}T00:00:00Z" if latest else "2025-12-20T00:00:00Z"
    codes = Address.objects.filter(address_type="physical", location__position_usable=True)
    postcode = quote(codes.exclude(postal_code="").values_list("postal_code", flat=True).first() or "N1")
    return {
        "services, page 1": "/hsds/services",
        "services, last page (20,000 at 50)": "/hsds/services?page=20000",
        "services, minimal, last page (10,000 at 100)": "/hsds/services?minimal=true&per_page=100&page=10000",
        "services, full, page 1": "/hsds/services?full=true",
        "services, search a common word (support)": "/hsds/services?search=support",
        "services, search support, last served page": "/hsds/services?search=support&per_page=100&page=10",
        "services, search a rarer word (newcastle)": "/hsds/services?search=newcastle",
        "services, search two words (kingfisher peer)": "/hsds/services?search=kingfisher%20peer",
        "services, search a word in no listing": "/hsds/services?search=zanzibar",
        "services, organization_id": f"/hsds/services?organization_id={organization}",
        "services, taxonomy_term_id": f"/hsds/services?taxonomy_term_id={term or UNKNOWN_TERM}",
        "services, modified_after (the last day)": f"/hsds/services?modified_after={recent}",
        "services, modified_after (every service)": "/hsds/services?modified_after=2000-01-01T00:00:00Z",
        "services, modified_after (every service), last served page": (
            "/hsds/services?modified_after=2000-01-01T00:00:00Z&per_page=100&page=10"
        ),
        "services, search + modified_after": f"/hsds/services?search=support&modified_after={recent}",
        "services by id": f"/hsds/services/{first.get('id', '')}",
        "service_at_locations, page 1": "/hsds/service_at_locations",
        "service_at_locations, search support": "/hsds/service_at_locations?search=support",
        "service_at_locations, postcode": f"/hsds/service_at_locations?postcode={postcode}",
        "service_at_locations, postcode + 5 km": (
            f"/hsds/service_at_locations?postcode={postcode}&proximity=5000"
        ),
        "service_at_locations, postcode + 200 km": (
            f"/hsds/service_at_locations?postcode={postcode}&proximity=200000"
        ),
        "organizations, page 1": "/hsds/organizations",
        "organizations, last page (8,401 at 50)": "/hsds/organizations?page=8401",
        "organizations, search harbour": "/hsds/organizations?search=harbour",
        "organizations, search a word in none": "/hsds/organizations?search=zanzibar",
        "organizations, full, page 1": "/hsds/organizations?full=true",
        "taxonomy_terms, page 1": "/hsds/taxonomy_terms",
    }


def measure(url: str, repeat: int) -> dict[str, Any]:
    _read_only(url)
    import django

    django.setup()
    from django.test import Client

    _check_migrated()
    client = Client()
    results: dict[str, Any] = {}
    for label, path in requests().items():
        first_ms, _, body, status = _timed(client, path)
        runs = [_timed(client, path) for _ in range(repeat)]
        ordered = sorted(run[0] for run in runs)
        results[label] = {
            "path": path,
            "status": status,
            "total_items": body.get("total_items"),
            "capped": body.get("capped"),
            "first": first_ms,
            "median": statistics.median(ordered),
            "p95": ordered[max(0, int(len(ordered) * 0.95 + 0.5) - 1)],
            "max": ordered[-1],
            "cpu": statistics.median(run[1] for run in runs),
        }
    return results


def _timed(client: Any, path: str) -> tuple[float, float, dict[str, Any], int]:
    """Wall-clock ms, and CPU ms spent on it by this process and its database server process."""
    cpu_before = time.process_time() + _server_cpu()
    started = time.perf_counter()
    response = client.get(path)
    elapsed = (time.perf_counter() - started) * 1000
    cpu = (time.process_time() + _server_cpu() - cpu_before) * 1000
    return elapsed, cpu, response.json(), response.status_code


def _server_cpu() -> float:
    """Seconds of CPU the PostgreSQL backend serving this connection has used (0 for SQLite): with
    the machine shared, CPU time shows the work a request needs, whatever else is running."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0
    if not hasattr(_server_cpu, "pid"):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            _server_cpu.pid = cursor.fetchone()[0]  # type: ignore[attr-defined]
    try:
        nanoseconds = Path(f"/proc/{_server_cpu.pid}/schedstat").read_text().split()[0]  # type: ignore[attr-defined]
    except OSError:  # the server on another machine
        return 0.0
    return int(nanoseconds) / 1e9


# The report -------------------------------------------------------------------------------------


def render(found: dict[str, dict[str, Any]], options: argparse.Namespace) -> str:
    lines = [f"## {HEADING}", ""]
    for backend, figures in found.items():
        before, after = figures["load_before"], figures["load_after"]
        lines.append(
            f"{NAMES[backend]}: measured {figures['date']} on {figures['machine']}, {figures['version']}; "
            f"load average (1, 5, 15 min) {_load(before)} before and {_load(after)} after: the machine is "
            "shared (2 means both cores busy with other work), so the times are noisy and higher than alone."
        )
    lines += ["", "Command:", ""]
    urls = " ".join(f"--{backend}-url <url>" for backend in found)
    lines += [f"    .venv/bin/python -m bench.bench_hsds_api --backends {','.join(found)} {urls} --write", ""]
    lines += [
        "In-process through Django's test client (routing, selectors, nesting, JSON), reading only, on "
        "the search benchmark's million-service demo directory (1,000,000 services, 420,024 "
        f"organisations) with migration directory.0008 applied. Each request once to warm the caches "
        f"(first), then {options.repeat} times: median, p95, max in ms; CPU is the median CPU time of "
        "the request in the benchmark's process and, for PostgreSQL, in its server process (what the "
        "request costs whatever else runs). The demo directory has no attributes, so "
        "`taxonomy_term_id` measures an empty answer only; all its services are active, so the "
        "unlisted index is empty. A filtered list serves its first 1,000 records: `capped` lists "
        "count 1,000. The API's rate limit is lifted for the run.",
        "",
    ]
    if options.note:
        lines += [options.note, ""]
    header = "| Request | " + " | ".join(f"{NAMES[b]} first | median | p95 | max | CPU" for b in found) + " |"
    lines += [header, "|---|" + "---:|---:|---:|---:|---:|" * len(found)]
    labels = next(iter(found.values()))["requests"]
    slowest = {backend: 0.0 for backend in found}
    for label in labels:
        cells = []
        for backend, figures in found.items():
            item = figures["requests"][label]
            slowest[backend] = max(slowest[backend], item["max"])
            note = f" ({item['status']})" if item["status"] != 200 else ""
            timings = " | ".join(f"{item[key]:.1f}" for key in ("median", "p95", "max", "cpu"))
            cells.append(f"{item['first']:.0f}{note} | {timings}")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines.append("")
    for backend, worst in slowest.items():
        verdict = "met" if worst <= TARGET_MS else "NOT met"
        lines.append(
            f"Target on {NAMES[backend]}: no request over 1 s after warm-up — {verdict} "
            f"(slowest {worst:.0f} ms wall-clock)."
        )
    lines.append("")
    return "\n".join(lines)


def _load(values: tuple[float, float, float]) -> str:
    return ", ".join(f"{value:.1f}" for value in values)


if __name__ == "__main__":
    main()
