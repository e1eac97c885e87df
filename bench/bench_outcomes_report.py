"""Programme report speed: the outcomes report over 200,000 episodes and 1,000,000 stored check-ins.

Run:  .venv/bin/python -m bench.bench_outcomes_report [--episodes 200000] [--runs 3] [--write]
With --write the figures replace the "Outcomes report" section of docs/benchmarks.md.

The data goes into a throwaway SQLite file (or, when DATABASE_URL names a PostgreSQL database, into
that database, which must be empty and is left filled): one person per episode, with the demo's
trajectories (`carepath.demo.outcomes_generator`), about five check-ins per episode (PHQ-9 and GAD-7,
two or three each, and now and then one after the episode ended), all inserted with plain INSERTs.
The timed part is what the dashboard and the API do: the report service (selector, core, audit
event), grouped by kind of support and by service. Target: 2 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

TARGET_S = 2.0
BATCH = 20_000
SERVICES = 40


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--episodes", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--write", action="store_true")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        os.environ.setdefault("DATABASE_URL", f"sqlite:///{Path(folder) / 'outcomes.sqlite3'}")
        os.environ.update(CAREPATH_VAR_DIR=folder, DJANGO_SETTINGS_MODULE="carepath.config.settings")
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        load_before = os.getloadavg()[0]
        started = time.perf_counter()
        episodes, check_ins = build(options.episodes)
        build_s = time.perf_counter() - started
        timings = {group_by: time_report(group_by, options.runs) for group_by in ("pathway", "service")}
        report = render(episodes, check_ins, build_s, timings, (load_before, os.getloadavg()[0]))
    print(report)
    if options.write:
        from bench.report import write_section

        write_section("Outcomes report", report)


def insert(model: Any, rows: Iterator[dict[str, Any]]) -> int:
    """Plain multi-row INSERTs through Django's cursor, values prepared by the model's own fields."""
    from django.db import connection

    fields = [f for f in model._meta.concrete_fields]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({columns}) VALUES ({marks})"
    count, batch = 0, []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(
                [
                    f.get_db_prep_save(row[f.attname] if f.attname in row else f.get_default(), connection)
                    for f in fields
                ]
            )
            if len(batch) == BATCH:
                cursor.executemany(sql, batch)
                count, batch = count + len(batch), []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def build(episodes: int) -> tuple[int, int]:
    from django.db import connection, transaction

    from carepath.accounts.models import User
    from carepath.demo.outcomes_generator import demo_episodes
    from carepath.directory.models import Service
    from carepath.outcomes.models import Episode
    from carepath.screening.models import Assessment

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous = OFF")  # a throwaway file: durability does not matter
    rng = random.Random(2026)  # repeatable bench data
    # The demo's trajectories (recover, unchanged, worsen, mild, drop out, ongoing), so scores are
    # spread as in a programme, not uniformly at random.
    generated = demo_episodes(episodes, 2026, dt.date(2026, 11, 1))
    joined = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    with transaction.atomic():
        services = Service.objects.bulk_create(
            Service(name=f"Bench service {i}", status="active") for i in range(SERVICES)
        )
        service_ids = [service.pk for service in services]
        insert(
            User,
            (
                {
                    "id": n + 1,
                    "username": f"bench-{n}",
                    "password": "!",
                    "role": "help_seeker",
                    "date_joined": joined,
                }
                for n in range(episodes)
            ),
        )
        insert(Episode, (_episode(item, service_ids) for item in generated))
        check_ins = insert(Assessment, (row for item in generated for row in _check_ins(item, rng)))
    return episodes, check_ins


def _episode(item: Any, service_ids: list[str]) -> dict[str, Any]:
    now = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    return {
        "id": item.number + 1,
        "person_id": item.number + 1,
        "pathway": item.pathway,
        "service_id": service_ids[item.service_index % len(service_ids)],
        "started_on": item.started_on,
        "ended_on": item.ended_on,
        "sessions_attended": item.sessions_attended,
        "requested_on": item.requested_on,
        "first_contact_on": item.first_contact_on,
        "cost": item.cost,
        "created_at": now,
        "updated_at": now,
    }


def _check_ins(item: Any, rng: random.Random) -> Iterator[dict[str, Any]]:
    """First and last of each measure, half the time one between, and half the time a check-in after
    the episode ended (which the report must leave out): about five per episode."""
    person = item.number + 1
    for code in ("phq9", "gad7"):
        series = [c for c in item.check_ins if c.instrument == code]
        kept = [series[0], series[-1]] if len(series) > 1 else series
        if len(series) > 2 and rng.random() < 0.5:
            kept.insert(1, series[len(series) // 2])
        for check_in in kept:
            yield _check_in(person, code, check_in.total, check_in.day, rng)
    if item.ended_on is not None and rng.random() < 0.5:
        yield _check_in(person, "phq9", rng.randint(0, 27), item.ended_on + dt.timedelta(days=30), rng)


def _check_in(person: int, code: str, total: int, day: dt.date, rng: random.Random) -> dict[str, Any]:
    return {
        "id": uuid.UUID(int=rng.getrandbits(128)),
        "person_id": person,
        "instrument": code,
        "instrument_version": "1",
        "answers": {},
        "total": total,
        "band_index": 0,
        "band_label": "",
        "caseness": None,
        "risk_items": [],
        "said_in_danger": False,
        "completed_at": dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC),
    }


def time_report(group_by: str, runs: int) -> list[float]:
    from carepath.outcomes.report_query import read_report_query
    from carepath.outcomes.report_services import read_outcomes_report

    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        report = read_outcomes_report(
            actor=None, query=read_report_query({"group_by": group_by}), channel="bench"
        )
        seconds.append(time.perf_counter() - started)
        assert report.figures.groups
    return seconds


def render(
    episodes: int, check_ins: int, build_s: float, timings: dict[str, list[float]], load: tuple[float, float]
) -> str:
    from django.db import connection

    best = statistics.median(timings["pathway"])
    database = connection.vendor + (
        f" {connection.Database.sqlite_version}"
        if connection.vendor == "sqlite"
        else f" {connection.pg_version}"
    )
    lines = [
        "## Outcomes report",
        "",
        f"Measured {time.strftime('%Y-%m-%d')} on {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, {database}; {episodes:,} episodes (about 4 % still open) "
        f"and {check_ins:,} stored check-ins inserted in bulk ({build_s:.0f} s, not timed). "
        f"The machine was shared: load average {load[0]:.1f} before and {load[1]:.1f} after the run.",
        "",
        f"Command: `.venv/bin/python -m bench.bench_outcomes_report --episodes {episodes} --write`",
        "",
        "| Report (all ended episodes, no filter) | Median s | Fastest s | Runs |",
        "|---|---:|---:|---:|",
    ]
    for group_by, seconds in timings.items():
        lines.append(
            f"| grouped by {group_by} | {statistics.median(seconds):.2f} | {min(seconds):.2f} "
            f"| {len(seconds)} |"
        )
    lines += [
        "",
        f"Target: the report in under {TARGET_S:.0f} s — {'met' if best < TARGET_S else 'NOT met'} "
        "(grouped by kind of support). Where the time goes, and what would close the gap: "
        "[outcomes.md, How it runs at scale](outcomes.md#how-it-runs-at-scale).",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
