"""Facet tokens: the filters' values filed in the text index narrow a search with words exactly as
the search entry's columns do, and an index written before them gets them as a rebuild writes them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection

from carepath.directory import text_index
from carepath.directory.selectors import facet_sizes, search
from carepath.directory.selectors.find import find_services
from carepath.directory.services import search_index
from carepath.directory.services.search_index import add_facet_tokens, rebuild_search_index
from tests.search_directory import file_words_by_place

pytestmark = pytest.mark.django_db
WEDNESDAY_11_LONDON = dt.datetime(2026, 12, 2, 11, 0, tzinfo=dt.UTC)
OPEN_NOW = {"open": ["now"], "tz": ["Europe/London"]}
FILTERS: tuple[dict[str, list[str]], ...] = (
    {"support_type": ["peer"]},
    {"support_type": ["professional", "hybrid"], "language": ["en"]},
    {"language": ["fr", "pl"]},
    {"topic": ["anxiety"]},
    {"topic": ["bereavement", "self_harm"], "modality": ["in_person"]},
    {"modality": ["online", "phone"]},
    {"cost": ["free"]},
    {"cost": ["sliding_scale"], "max_cost": ["40"]},  # either will do: the cost kind stays a column
    {"age": ["17"]},
    {"capacity": ["true"]},
    OPEN_NOW,
    {
        "support_type": ["peer"],
        "language": ["en"],
        "cost": ["free"],
        "open": ["now"],
        "tz": ["Europe/London"],
    },
)
PLACES: tuple[dict[str, list[str]], ...] = (
    {"near": ["London"], "radius_km": ["50"]},
    {"near": ["Manchester"], "radius_km": ["100"], "sort": ["distance"]},
    {"near": ["Birmingham"], "radius_km": ["200"], "sort": ["name"]},
    {"near": ["London"], "radius_km": ["25"], "virtual": ["only"]},
    {},  # words alone
)


@pytest.fixture
def demo_directory() -> None:
    from carepath.demo.services import load_demo_directory

    load_demo_directory(services=400, seed=3)  # clustered round real towns, every kind of listing


def _searches() -> Iterator[dict[str, list[str]]]:
    for words in ("support", "anxiety group"):
        for place in PLACES:
            for filters in FILTERS:
                if place.get("virtual") == ["only"] and filters.get("modality") == ["in_person"]:
                    continue  # refused: in person and online only
                yield {"q": [words], **place, **filters, "per_page": ["50"]}


def _page(params: dict[str, list[str]]) -> tuple[Any, ...]:
    page = find_services(params, home_country="GB", now=WEDNESDAY_11_LONDON)
    cards = tuple((card.service_id, card.score, card.distance_km) for card in page.cards)
    return cards, page.has_more, page.capped, page.searched_radius_km


def _without_facets(monkeypatch: pytest.MonkeyPatch) -> None:
    """The search as it was before facet tokens: every filter checked on the entry's columns."""
    every_filter = search._filters
    monkeypatch.setattr(search, "query_facets", lambda query: {})
    monkeypatch.setattr(search, "_filters", lambda query, without=frozenset(): every_filter(query))


@pytest.mark.parametrize("narrow", [facet_sizes.NARROW_FACET, 60])
def test_words_and_filters_find_what_the_entry_columns_alone_find(
    demo_directory: None, monkeypatch: pytest.MonkeyPatch, narrow: int
) -> None:
    # At 60 listings some values go to the index and common ones stay with the columns.
    monkeypatch.setattr(facet_sizes, "NARROW_FACET", narrow)
    monkeypatch.setattr(facet_sizes, "_known", {})
    params = list(_searches())
    with_facets = [_page(one) for one in params]
    _without_facets(monkeypatch)
    assert with_facets == [_page(one) for one in params]
    found = [bool(page[0]) for page in with_facets]
    # The comparison means something: more than half the searches find listings, and every kind of
    # filter is among them.
    assert sum(found) > len(found) // 2
    for filters in FILTERS:
        if "capacity" not in filters:  # the demo directory has no places free now
            assert any(
                page[0]
                for page, one in zip(with_facets, params, strict=True)
                if filters.items() <= one.items()
            )


def test_a_filter_is_asked_of_the_index_only_when_few_listings_hold_it(
    demo_directory: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(facet_sizes, "_known", {})
    monkeypatch.setattr(facet_sizes, "NARROW_FACET", 60)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE directory_searchentry")  # the estimate reads the planner's statistics
    groups = {"languages": ["zzlen0"], "none": ["zzlxx0"], "with_a_common_one": ["zzlen0", "zzlxx0"]}
    assert set(facet_sizes.narrow_facets(groups)) == {"none"}
    if connection.vendor == "sqlite":  # counted exactly, and no further than the bound
        assert facet_sizes._known[(str(connection.settings_dict["NAME"]), "zzlen0")][1] == 61


def test_a_filter_no_listing_passes_finds_nothing_with_words(demo_directory: None) -> None:
    page = find_services({"q": ["support"], "language": ["xx"]}, home_country="GB", now=WEDNESDAY_11_LONDON)
    assert page.cards == [] and not page.has_more


def _documents() -> dict[str, Any]:
    """Each listed service's text-index document, by service id."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT e.service_id, t.name, t.keywords, t.body, t.places FROM directory_search_text t "
                "JOIN directory_searchentry e ON e.id = t.rowid"
            )
            return {row[0]: row[1:] for row in cursor.fetchall()}
        cursor.execute("SELECT service_id, document::text FROM directory_searchentry")
        return dict(cursor.fetchall())


def test_an_index_written_before_facets_gets_the_documents_a_rebuild_writes(
    demo_directory: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    rebuild_search_index()
    rebuilt = _documents()
    with monkeypatch.context() as before_facets:
        before_facets.setattr(search_index, "entry_facets", lambda entry: [])
        before_facets.setattr(text_index, "word_places", lambda places: [])  # filed by place later
        rebuild_search_index()
    older = _documents()
    assert older != rebuilt and older.keys() == rebuilt.keys()
    assert add_facet_tokens(batch=37) == len(rebuilt)  # a batch size that splits the entries unevenly
    file_words_by_place()  # then the migration after, 0012
    assert _documents() == rebuilt
