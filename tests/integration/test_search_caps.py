"""A ranked search counts its words' matches beyond those it examines only when its rows cannot tell."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carepath.directory.selectors import search
from carepath.directory.selectors.find import SearchPage, find_services
from tests.search_directory import load_search_directory

pytestmark = pytest.mark.django_db
MONDAY_10_LONDON = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
EVERY_LISTING = {"q": ["london"], "per_page": ["1"]}  # every listing here names the city


@pytest.fixture(autouse=True)
def directory() -> None:
    load_search_directory()


def searched(params: dict[str, list[str]]) -> tuple[SearchPage, int]:
    """The page, and how many times the matches beyond those examined were counted."""
    with CaptureQueriesContext(connection) as queries:
        page = find_services(params, home_country="GB", now=MONDAY_10_LONDON)
    return page, sum(") enough" in query["sql"] for query in queries)


def test_rows_beyond_the_ranked_cap_say_capped_without_counting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "RANKED_MATCH_CAP", 1)
    page, counts = searched(EVERY_LISTING)
    assert page.capped and page.has_more and counts == 0


def test_fewer_rows_than_the_ranked_cap_count_the_matches_beyond_those_examined(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    page, counts = searched(EVERY_LISTING)
    assert not page.capped and counts == 1  # all eight matches examined: nothing left out
    monkeypatch.setattr(search, "TEXT_MATCH_CAP", 2)
    page, counts = searched(EVERY_LISTING)
    assert page.capped and counts == 1  # two examined of eight


def test_an_order_not_by_relevance_counts_before_it_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "TEXT_MATCH_CAP", 2)
    page, counts = searched({**EVERY_LISTING, "sort": ["name"]})
    assert page.capped and counts == 1
