"""A result card's hours are the schedules "open now" reads: the service's own and its places'."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from carepath.directory.models import Schedule, SearchEntry
from carepath.directory.selectors.search import Hit
from carepath.directory.selectors.search_cards import ServiceCard, result_cards
from carepath.directory.selectors.search_facts import service_facts
from carepath.directory.services.hsds_bulk import insert_hsds_rows
from carepath.directory.services.search_index import refresh_search_entries
from tests.search_directory import IDS, load_search_directory

pytestmark = pytest.mark.django_db
MONDAY_10_LONDON = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
SUNDAY_11_LONDON = dt.datetime(2026, 11, 29, 11, 0, tzinfo=dt.UTC)
AT_MANCHESTER = "00000000-0000-4000-b000-000000000004"  # the recovery café at its Manchester place
AT_EAST = "00000000-0000-4000-b000-000000000009"  # the hybrid hub at its east London place
COUNSELLING_AT_EAST = "00000000-0000-4000-b000-000000000002"


def schedule(number: int, description: str, **owner: Any) -> dict[str, Any]:
    return {
        "id": f"00000000-0000-4000-9100-{number:012d}",
        "freq": "WEEKLY",
        "byday": "SU",
        "opens_at": "10:00",
        "closes_at": "14:00",
        "description": description,
        **owner,
    }


@pytest.fixture(autouse=True)
def directory() -> None:
    load_search_directory()
    rows = [
        # Sunday hours at the café's Manchester place, beside its own Saturday hours.
        schedule(1, "Sundays 10:00 to 14:00.", service_at_location_id=AT_MANCHESTER),
        # The hub's only hours are at its place. A place's row that names its service counts once.
        schedule(2, "Sunday drop-in.", service_at_location_id=AT_EAST),
        schedule(
            3, "Also Sundays.", service_id=IDS["counselling"], service_at_location_id=COUNSELLING_AT_EAST
        ),
        # A location's own hours (the building's) are not a service's hours.
        schedule(4, "Building open Sundays.", location_id=IDS["london"]),
    ]
    with transaction.atomic():
        Schedule.objects.filter(description="").update(description="Weekly hours.")
        insert_hsds_rows({"schedule": rows})
        refresh_search_entries(IDS[name] for name in ("recovery", "hybrid", "counselling", "peer_group"))


def hits(*names: str) -> list[Hit]:
    entries = dict(SearchEntry.objects.values_list("service_id", "id"))
    return [Hit(entries[IDS[name]], IDS[name], "", 0.0, None) for name in names]


def cards(*names: str, moment: dt.datetime | None = None) -> list[ServiceCard]:
    return page(hits(*names), moment)


def page(found: list[Hit], moment: dt.datetime | None = None) -> list[ServiceCard]:
    return result_cards(found, moment=moment, today=MONDAY_10_LONDON.date(), stale_after_days=365)


def test_hours_at_a_place_are_on_the_card_with_the_places_name() -> None:
    (recovery, hybrid) = cards("recovery", "hybrid")
    assert recovery.hours == ["Weekly hours.", "At manchester: Sundays 10:00 to 14:00."]
    assert hybrid.hours == ["At east: Sunday drop-in."]


def test_the_card_says_open_when_the_hours_it_shows_say_so() -> None:
    on_sunday = cards("recovery", "hybrid", "counselling", "peer_group", moment=SUNDAY_11_LONDON)
    assert [card.open_at_time for card in on_sunday] == [True, True, True, False]
    assert on_sunday[2].hours == ["Weekly hours.", "Also Sundays."]  # it names the service: its own hours
    assert on_sunday[3].hours == ["Weekly hours."]  # the building's hours are not the group's


def test_every_card_shows_the_schedules_the_index_reads() -> None:
    entries = list(SearchEntry.objects.values_list("service_id", flat=True))
    names = {service_id: name for name, service_id in IDS.items()}
    facts = service_facts(entries)
    for card in cards(*(names[service_id] for service_id in entries)):
        assert len(card.hours) == len(facts[card.service_id].schedules), card.name


def test_place_hours_add_no_query() -> None:
    found = hits("recovery", "hybrid", "counselling", "line")
    with CaptureQueriesContext(connection) as queries:
        assert len(page(found)) == 4
    assert len(queries) == 2
