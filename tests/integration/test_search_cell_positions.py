"""The position budget a search near a place checks first: SQLite answers it from a count of positions
per grid cell that triggers keep (`carepath.directory.cell_positions`); the answer must be what
counting every position in the circle's box gives, on both engines, and the counts must follow every
kind of write."""

from __future__ import annotations

import importlib
import random
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from carepath.directory import cell_positions
from carepath.directory.models import Location, SearchEntry, SearchPoint, Service
from carepath.directory.selectors import search
from carepath.directory.services.search_index import (
    compact_cell_positions,
    rebuild_search_index,
    refresh_search_entries,
)
from carepath_core.search import geo

pytestmark = pytest.mark.django_db
CENTRE = geo.Point(51.5, -0.12)


def _counted_by_cell() -> dict[int, int]:
    return {
        cell: count for cell, count in _rows("SELECT cell, COUNT(*) FROM directory_searchpoint GROUP BY cell")
    }


def _kept() -> dict[int, int]:
    summed = f"SELECT cell, SUM(positions) FROM {cell_positions.TABLE} GROUP BY cell"
    return {cell: int(count) for cell, count in _rows(summed) if count}


def _rows(sql: str) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return list(cursor.fetchall())


def _scatter(seed: int, entries: int, spread_km: float) -> None:
    """Entries around the centre, crowded near it and spread wide, some on a cell's border, some at
    two places."""
    rng = random.Random(seed)
    made = SearchEntry.objects.bulk_create(
        SearchEntry(service_id=f"00000000-0000-4000-8000-{index:012d}", located=True)
        for index in range(entries)
    )
    points = []
    for entry in made:
        for _ in range(rng.choice((1, 1, 2))):
            reach = spread_km * rng.choice((rng.random() ** 2, 1.0))  # a crowd at the centre, and spread
            latitude = CENTRE.latitude + rng.uniform(-reach, reach) / geo.KM_PER_DEGREE
            longitude = CENTRE.longitude + rng.uniform(-reach, reach) / geo.longitude_scale(CENTRE.latitude)
            if rng.random() < 0.1:  # on a cell's southern border, as far as a float can say
                latitude = round((latitude + 90) / geo.CELL_DEGREES) * geo.CELL_DEGREES - 90
            spot = geo.Point(latitude, longitude)
            points.append(
                SearchPoint(entry=entry, cell=geo.cell_of(spot), latitude=latitude, longitude=longitude)
            )
    SearchPoint.objects.bulk_create(points)


class _Editor:
    connection = connection

    def execute(self, sql: str, params: Any = None) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def _in_box(centre: geo.Point, radius: float) -> int:
    return search._positions_in(search._area(centre, radius), 10**9)


def test_the_budget_answer_is_what_counting_every_position_in_the_box_gives() -> None:
    _scatter(seed=5, entries=600, spread_km=30)
    rng = random.Random(9)
    asked = 0
    for _ in range(40):
        centre = geo.Point(
            CENTRE.latitude + rng.uniform(-0.2, 0.2), CENTRE.longitude + rng.uniform(-0.3, 0.3)
        )
        radius = rng.choice((1.0, 2.5, 5.0, 12.5, 25.0, 50.0))
        held = _in_box(centre, radius)
        for budget in {0, max(held - 1, 0), held, held + 1, rng.randint(0, 900)}:
            assert search._within_budget(centre, radius, budget) == (held <= budget), (centre, radius, budget)
            asked += 1
    assert asked > 120


def test_a_search_narrows_to_the_largest_ring_within_the_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    _scatter(seed=6, entries=300, spread_km=20)
    assert search._reachable_radius(CENTRE, 25.0) == 25.0
    rings = search._rings(25.0)
    held = [_in_box(CENTRE, ring) for ring in rings]
    assert held[2] < held[3]  # the scatter is denser near the centre, not empty
    monkeypatch.setattr(search, "POINT_BUDGET", held[2])
    assert search._reachable_radius(CENTRE, 25.0) == rings[2]


def test_the_counts_follow_every_kind_of_write() -> None:
    call_command("demo-directory", "--services", "60", "--seed", "3")  # an import into an empty directory
    assert _kept() == _counted_by_cell() and sum(_kept().values()) > 30

    location = Location.objects.filter(position_usable=True, service_at_locations__isnull=False).first()
    assert location is not None
    location.latitude, location.longitude = Decimal("52.48"), Decimal("-1.89")  # another city
    location.save()
    moved = list(Service.objects.filter(service_at_locations__location=location).values_list("id", flat=True))
    refresh_search_entries(moved)
    assert geo.cell_of(geo.Point(52.48, -1.89)) in _kept()
    assert _kept() == _counted_by_cell()

    point = SearchPoint.objects.first()
    assert point is not None
    SearchPoint.objects.filter(pk=point.pk).update(cell=point.cell + 1)  # the update trigger
    assert _kept() == _counted_by_cell()

    SearchEntry.objects.filter(pk__in=SearchEntry.objects.values("pk")[:5]).delete()  # their points go too
    assert _kept() == _counted_by_cell()

    rebuild_search_index()
    assert _kept() == _counted_by_cell()
    if connection.vendor == "postgresql":  # a rebuild merges what the writes added, one row a cell
        rows = _rows(f"SELECT cell, COUNT(*) FROM {cell_positions.TABLE} GROUP BY cell HAVING COUNT(*) > 1")
        assert rows == []


def test_the_triggers_are_in_place_after_every_migration() -> None:
    if connection.vendor == "sqlite":
        names = {name for (name,) in _rows("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        assert set(cell_positions.TRIGGERS[:3]) <= names  # no TRUNCATE on SQLite
    else:
        names = {name for (name,) in _rows("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")}
        assert set(cell_positions.TRIGGERS) <= names


def test_the_migration_counts_the_positions_already_indexed() -> None:
    _scatter(seed=7, entries=200, spread_km=40)
    migration = importlib.import_module("carepath.directory.migrations.0014_search_cell_positions")
    editor = _Editor()  # what the migration uses of a schema editor (a real one needs no transaction open)
    migration.drop_cell_positions(None, editor)
    SearchPoint.objects.filter(pk__in=SearchPoint.objects.values("pk")[:20]).delete()  # not counted now
    migration.create_cell_positions(None, editor)
    assert _kept() == _counted_by_cell() and len(_kept()) > 10


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_writers_in_the_same_cells_never_wait_for_each_other() -> None:
    """An import that has written and merged counts, not yet committed, and a coordinator's edit in
    the same cells beside it: neither waits (a lock wait would end the other after 2 s)."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite lets one writer in at a time")
    import psycopg

    _scatter(seed=8, entries=50, spread_km=3)
    cell, entry_id = SearchPoint.objects.values_list("cell", "entry_id").first() or (0, 0)
    before = _counted_by_cell()[cell]
    spot = {"cell": cell, "latitude": CENTRE.latitude, "longitude": CENTRE.longitude}
    database = connection.settings_dict
    with transaction.atomic():  # the import
        SearchPoint.objects.bulk_create([SearchPoint(entry_id=entry_id, **spot) for _ in range(3)])
        compact_cell_positions()
        with (
            psycopg.connect(
                dbname=database["NAME"],
                user=database["USER"],
                password=database["PASSWORD"],
                host=database["HOST"],
                port=database["PORT"],
            ) as other,
            other.transaction(force_rollback=True),
        ):  # the edit
            other.execute("SET LOCAL lock_timeout = '2s'")
            other.execute(
                "INSERT INTO directory_searchpoint (entry_id, cell, latitude, longitude) "
                "VALUES (%s, %s, %s, %s)",
                (entry_id, cell, CENTRE.latitude, CENTRE.longitude),
            )
            other.execute(cell_positions._COMPACT)  # skips the rows the import is merging
            seen = other.execute(
                f"SELECT SUM(positions) FROM {cell_positions.TABLE} WHERE cell = %s", (cell,)
            ).fetchone()
            assert seen == (before + 1,)  # its own row, not the import's uncommitted three
        assert _kept()[cell] == before + 3
    assert _kept() == _counted_by_cell()
