"""Result cards: a page's facts read in a fixed number of queries, shown as the ORM would give them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from carepath.directory.models import CostOption, SearchEntry
from carepath.directory.selectors.search import Hit
from carepath.directory.selectors.search_cards import ServiceCard, result_cards
from carepath.directory.services.search_index import refresh_search_entries
from tests.search_directory import IDS, load_search_directory

pytestmark = pytest.mark.django_db
MONDAY_10_LONDON = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
SUNDAY_10_LONDON = dt.datetime(2026, 11, 29, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def directory() -> None:
    load_search_directory()


def hits(*service_ids: str) -> list[Hit]:
    entries = dict(SearchEntry.objects.filter(service_id__in=service_ids).values_list("service_id", "id"))
    return [Hit(entries[service_id], service_id, "", 0.0, None) for service_id in service_ids]


def cards(found: list[Hit], moment: dt.datetime | None = None) -> list[ServiceCard]:
    return result_cards(found, moment=moment, today=MONDAY_10_LONDON.date(), stale_after_days=365)


def test_a_page_of_cards_takes_one_query_however_many_results() -> None:
    every = sorted(SearchEntry.objects.values_list("service_id", flat=True))
    for found in (hits(every[0]), hits(*every)):
        with CaptureQueriesContext(connection) as queries:
            page = cards(found)
        assert [card.service_id for card in page] == [hit.service_id for hit in found]
        assert len(queries) == 1


def test_costs_come_cheapest_first_with_amounts_as_entered() -> None:
    service = IDS["counselling"]  # already "Sliding scale", 20 GBP
    for option, amount in (
        ("Per session", Decimal("12.50")),
        ("Group session", Decimal("7.25")),
        ("Ask us", None),
        ("First session", Decimal("0")),
    ):
        CostOption.objects.create(service_id=service, option=option, currency="GBP", amount=amount)
    with transaction.atomic():  # as every change to a listing does
        refresh_search_entries([service])
    (card,) = cards(hits(service))
    # The ORM's order: by amount, then id, with no amount where the engine sorts NULL.
    expected = CostOption.objects.filter(service_id=service).order_by("amount", "id")
    assert [line.split(":")[0] for line in card.costs] == [cost.option for cost in expected]
    assert "Group session: 7.25 GBP" in card.costs and "Per session: 12.5 GBP" in card.costs
    assert "First session: free" in card.costs and "Ask us" in card.costs
    assert "Sliding scale: 20 GBP — from 20 to 60 depending on income" in card.costs


def test_open_at_the_time_asked_is_read_from_the_weekly_windows() -> None:
    group, line, recovery = IDS["peer_group"], IDS["line"], IDS["recovery"]  # weekdays 9-17, 24/7, Sat
    assert [card.open_at_time for card in cards(hits(group, line))] == [None, None]  # no time asked
    monday = cards(hits(group, line, recovery), MONDAY_10_LONDON)
    assert [card.open_at_time for card in monday] == [True, True, False]
    sunday = cards(hits(group, line, recovery), SUNDAY_10_LONDON)
    assert [card.open_at_time for card in sunday] == [False, True, False]
