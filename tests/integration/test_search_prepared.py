"""On PostgreSQL the search keeps its fixed-text queries prepared (selectors/prepared.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carepath.directory.selectors.find import find_services
from tests.search_directory import load_search_directory

pytestmark = pytest.mark.django_db
MONDAY_10_LONDON = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
NEAR_LONDON = {"near": ["London"], "radius_km": ["10"], "sort": ["distance"]}


def _runs(start: str) -> int:
    """How many times the prepared statements starting with `start` have run on this connection."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COALESCE(SUM(generic_plans + custom_plans), 0) FROM pg_prepared_statements "
            "WHERE NOT from_sql AND statement LIKE %s",
            [start.replace("%", "") + "%"],
        )
        return int(cursor.fetchone()[0])


CARD_QUERY = "SELECT e.id, e.service_id, c.facts"
NEAREST_FIRST = "WITH near AS"


def test_the_cards_and_the_nearest_first_query_are_prepared_and_find_the_same() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    load_search_directory()
    before = (_runs(CARD_QUERY), _runs(NEAREST_FIRST))
    with CaptureQueriesContext(connection):  # recording queries: Django's own cursor, unprepared
        recorded = find_services(NEAR_LONDON, home_country="GB", now=MONDAY_10_LONDON).cards
    assert (_runs(CARD_QUERY), _runs(NEAREST_FIRST)) == before

    prepared = find_services(NEAR_LONDON, home_country="GB", now=MONDAY_10_LONDON).cards
    assert _runs(CARD_QUERY) > before[0] and _runs(NEAREST_FIRST) > before[1]
    assert prepared == recorded and len(prepared) >= 3
