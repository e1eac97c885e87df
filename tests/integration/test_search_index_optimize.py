"""`carepath search-index optimize`: the text index merged after a bulk load, every search the same."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection

from carepath.directory import cell_positions
from carepath.directory.selectors.find import find_services
from carepath.directory.services.search_index import refresh_search_entries
from carepath.directory.text_index import SQLITE_TABLE
from tests.search_directory import IDS, load_search_directory

pytestmark = pytest.mark.django_db
MONDAY_10_LONDON = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
SEARCHES = (
    {"q": ["anxiety"]},
    {"q": ["group"], "near": ["London"], "radius_km": ["10"]},
    {"near": ["London"], "radius_km": ["10"], "sort": ["distance"]},
)


def _found() -> list[list[tuple[str, float]]]:
    return [
        [(card.name, card.score) for card in find_services(s, home_country="GB", now=MONDAY_10_LONDON).cards]
        for s in SEARCHES
    ]


def _pieces() -> int:
    """Rows of FTS5's own storage: each segment has its own, so merged segments leave fewer."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {SQLITE_TABLE}_data")
        return int(cursor.fetchone()[0])


def test_optimize_merges_the_text_index_and_changes_no_search(capsys: pytest.CaptureFixture[str]) -> None:
    load_search_directory()
    for service in ("recovery", "counselling", "hybrid"):  # each write a segment of its own on SQLite
        refresh_search_entries([IDS[service]])
    before, pieces = _found(), _pieces() if connection.vendor == "sqlite" else 0
    assert any(before)
    if connection.vendor == "postgresql":  # each edit added rows to the counts of positions per cell
        assert _cells_with_several_count_rows() > 0

    call_command("search-index", "optimize")
    assert "merged" in capsys.readouterr().out
    assert _found() == before
    if connection.vendor == "sqlite":
        assert _pieces() < pieces
    assert _cells_with_several_count_rows() == 0


def _cells_with_several_count_rows() -> int:
    with connection.cursor() as cursor:
        several = f"SELECT cell FROM {cell_positions.TABLE} GROUP BY cell HAVING COUNT(*) > 1"
        cursor.execute(f"SELECT COUNT(*) FROM ({several}) c")
        return int(cursor.fetchone()[0])


def test_a_rebuild_ends_merged(capsys: pytest.CaptureFixture[str]) -> None:
    load_search_directory()
    before = _found()
    call_command("search-index", "rebuild")
    assert "Indexed 8 active services" in capsys.readouterr().out
    assert _found() == before
