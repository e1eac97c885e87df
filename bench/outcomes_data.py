"""The outcomes report benchmark's data: episodes and check-ins in bulk, inserted past the services."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Iterator
from typing import Any

BATCH = 20_000
SERVICES = 40
ORGANISATIONS = 4


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
    from carepath.directory.models import Organization, Service
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
        organisations = Organization.objects.bulk_create(
            Organization(name=f"Bench organisation {i}", description="") for i in range(ORGANISATIONS)
        )
        services = Service.objects.bulk_create(
            Service(name=f"Bench service {i}", status="active", organization=organisations[i % ORGANISATIONS])
            for i in range(SERVICES)
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
