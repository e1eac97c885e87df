"""Relevance near a place when the whole radius holds fewer matches than the pool: where the text
index stops reading at a LIMIT (SQLite), the matches the count found are scored directly, and the
page is the one ranking every match in range gives."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carepath.directory.selectors import search
from carepath.directory.selectors.find import find_services
from carepath.directory.text_index import text_index
from tests.search_directory import load_search_directory

pytestmark = pytest.mark.django_db
MONDAY_10_LONDON = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
SEARCHES: tuple[dict[str, list[str]], ...] = (
    {"q": ["london"], "near": ["London"], "radius_km": ["20"]},
    {"q": ["anxiety"], "near": ["London"], "radius_km": ["10"], "virtual": ["exclude"]},
    {"q": ["group"], "near": ["London"], "radius_km": ["50"], "support_type": ["peer"]},
    {"q": ["counselling"], "near": ["London"], "radius_km": ["25"], "open": ["now"]},
    {"q": ["anxiety"], "near": ["London"], "radius_km": ["25"], "language": ["fr"]},  # none
    {"q": ["london"], "near": ["London"], "radius_km": ["20"], "per_page": ["2"], "page": ["2"]},
)


@pytest.fixture(autouse=True)
def directory() -> None:
    load_search_directory()


def _page(params: dict[str, list[str]]) -> list[tuple[Any, ...]]:
    page = find_services(params, home_country="GB", now=MONDAY_10_LONDON)
    return [(card.service_id, card.score, card.distance_km) for card in page.cards] + [
        (page.has_more, page.capped, page.searched_radius_km)
    ]


@pytest.mark.parametrize("params", SEARCHES)
def test_scoring_the_counted_matches_gives_the_page_ranking_them_all_gives(
    monkeypatch: pytest.MonkeyPatch, params: dict[str, list[str]]
) -> None:
    direct = _page(params)  # the test directory holds far fewer than RANK_POOL matches
    monkeypatch.setattr(search, "_ranked_radius", lambda query, place, radius: (radius, None))
    assert direct == _page(params)


def test_the_words_are_looked_up_once_near_a_place_with_few_matches() -> None:
    if not text_index().stops_early:
        pytest.skip("PostgreSQL counts the largest ring inside the radius, then ranks the radius")
    with CaptureQueriesContext(connection) as queries:
        cards = find_services(SEARCHES[0], home_country="GB", now=MONDAY_10_LONDON).cards
    assert cards
    # The place's cells are text-index tokens (zzf…, or zzc… for coarse cells): asked once.
    near_lookups = [q["sql"] for q in queries if "zzf" in q["sql"] or "zzc" in q["sql"]]
    assert len(near_lookups) == 1
