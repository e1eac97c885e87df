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


def _every_ring_counted(query: Any, place: Any, radius: float) -> tuple[float, None]:
    """The plain rule the search's shortcuts must agree with: the smallest ring, counted from the
    smallest up, holding the pool, else the whole radius."""
    pool = search._at_least_a_page(query, search.RANK_POOL)
    for ring in search._rings(radius)[:-1]:
        if search._matches_within(query, place, ring, pool) >= pool:
            return ring, None
    return radius, None


@pytest.mark.parametrize("params", SEARCHES)
def test_with_a_small_pool_the_ring_is_the_one_counting_every_ring_chooses(
    monkeypatch: pytest.MonkeyPatch, params: dict[str, list[str]]
) -> None:
    monkeypatch.setattr(search, "RANK_POOL", 2)  # the centre alone holds more: a smaller ring is chosen
    small_pages = {**params, "per_page": ["1"]}
    chosen = _page(small_pages)
    monkeypatch.setattr(search, "_ranked_radius", _every_ring_counted)
    assert chosen == _page(small_pages)


DEMO_SEARCHES: tuple[dict[str, list[str]], ...] = (
    {"q": ["support"], "near": ["London"], "radius_km": ["50"]},
    {"q": ["anxiety"], "near": ["London"], "radius_km": ["100"], "virtual": ["exclude"]},
    {"q": ["peer support"], "near": ["Manchester"], "radius_km": ["100"], "open": ["now"]},
    {"q": ["demo"], "near": ["Birmingham"], "radius_km": ["200"], "support_type": ["professional"]},
)


@pytest.mark.parametrize("pool", [3, 10])
def test_on_a_spread_out_directory_the_ring_is_the_one_counting_every_ring_chooses(
    monkeypatch: pytest.MonkeyPatch, pool: int
) -> None:
    from carepath.demo.services import load_demo_directory

    load_demo_directory(services=400, seed=3)  # clustered round real towns, at every distance
    monkeypatch.setattr(search, "RANK_POOL", pool)
    pages = [{**params, "per_page": ["2"], "page": [page]} for params in DEMO_SEARCHES for page in ("1", "2")]
    chosen = [_page(params) for params in pages]
    assert any(result[-1][2] is not None for result in chosen)  # some searches chose a smaller ring
    monkeypatch.setattr(search, "_ranked_radius", _every_ring_counted)
    assert chosen == [_page(params) for params in pages]
