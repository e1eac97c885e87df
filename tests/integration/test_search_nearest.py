"""Nearest first without filters: the short query (positions first, then only the entries that can
be on the page) gives exactly the rows of the general one, ties at the page's edge included, and
leaving out the rings between the smallest and the whole radius in a sparse place changes nothing."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from carepath.directory.models import SearchEntry, SearchPoint
from carepath.directory.selectors import search
from carepath.directory.selectors.places import Place
from carepath.directory.selectors.search import Hit, search_services
from carepath_core.search import geo
from carepath_core.search.query import parse_query

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
CENTRE = geo.Point(51.5, -0.12)
PLACE = Place("Test centre", CENTRE, "GB")


def _directory(seed: int, entries: int, spread_km: float) -> None:
    """Entries sharing a few positions (ties on distance), some names alike (ties on name too)."""
    rng = random.Random(seed)
    spots = [
        geo.Point(
            CENTRE.latitude + rng.uniform(-spread_km, spread_km) / geo.KM_PER_DEGREE,
            CENTRE.longitude + rng.uniform(-spread_km, spread_km) / geo.KM_PER_DEGREE / 0.62,
        )
        for _ in range(max(entries // 5, 1))
    ]
    made = SearchEntry.objects.bulk_create(
        SearchEntry(
            service_id=f"00000000-0000-4000-8000-{index:012d}",
            name_key=f"name {rng.randint(0, entries // 3)}",
            located=True,
        )
        for index in range(entries)
    )
    points = []
    for entry in made:
        for spot in rng.sample(spots, k=rng.choice((1, 1, 1, 2))):  # some at two places
            at = {"cell": geo.cell_of(spot), "latitude": spot.latitude, "longitude": spot.longitude}
            points.append(SearchPoint(entry=entry, **at))
    SearchPoint.objects.bulk_create(points)


def _hits(page: int, per_page: int, radius: int, **extra: list[str]) -> tuple[list[Hit], bool]:
    params = {
        "lat": [str(CENTRE.latitude)],
        "lon": [str(CENTRE.longitude)],
        "radius_km": [str(radius)],
        "sort": ["distance"],
        "virtual": ["exclude"],
        "page": [str(page)],
        "per_page": [str(per_page)],
        **extra,
    }
    outcome = search_services(parse_query(params, now=NOW), PLACE)
    return outcome.hits, outcome.has_more


@pytest.mark.parametrize("seed", range(4))
def test_the_short_query_gives_the_general_querys_rows_page_by_page(seed: int) -> None:
    _directory(seed, entries=120, spread_km=6)
    everyone = {"age": ["30"]}  # no entry states an age limit: a filter every entry passes
    for page in range(1, 8):
        assert _hits(page, 7, 5) == _hits(page, 7, 5, **everyone)
        assert _hits(page, 20, 10) == _hits(page, 20, 10, **everyone)


def test_the_order_is_distance_then_name_then_id() -> None:
    _directory(5, entries=50, spread_km=3)
    hits, _ = _hits(1, 50, 10)
    assert len(hits) == 50
    names = dict(SearchEntry.objects.values_list("id", "name_key"))
    keys = [(hit.distance_km, names[hit.entry_id], hit.entry_id) for hit in hits]
    assert keys == sorted(keys)


@pytest.mark.parametrize("seed", range(3))
def test_leaving_out_the_middle_rings_in_a_sparse_place_changes_nothing(
    monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    _directory(seed, entries=40, spread_km=60)
    skipped = [_hits(page, 6, 100) for page in range(1, 6)]
    asked: list[bool] = []
    real = search._FewWithin.__call__

    def counted(self: search._FewWithin) -> bool:
        asked.append(real(self))
        return asked[-1]

    monkeypatch.setattr(search._FewWithin, "__call__", counted)
    assert [_hits(page, 6, 100) for page in range(1, 6)] == skipped
    assert True in asked  # the rings were left out in these searches
    monkeypatch.setattr(search, "FEW_POSITIONS", 0)  # never leave a ring out
    assert [_hits(page, 6, 100) for page in range(1, 6)] == skipped
