"""A result card's hours are the schedules "open now" reads: the service's own and its places'.

A schedule with a description shows it; one given only as rules shows them in words.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from carepath.directory.models import Schedule, SearchCard, SearchEntry
from carepath.directory.selectors.card_facts import SCHEDULE
from carepath.directory.selectors.search import Hit
from carepath.directory.selectors.search_cards import ServiceCard, result_cards
from carepath.directory.selectors.search_facts import service_facts
from carepath.directory.services.hsds_bulk import insert_hsds_rows
from carepath.directory.services.search_index import refresh_search_entries, rewrite_dated_schedule_cards
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
    assert len(queries) == 1


def rules_only(number: int, **rule: Any) -> dict[str, Any]:
    return {"id": f"00000000-0000-4000-9200-{number:012d}", "description": "", **rule}


def test_a_schedule_given_only_as_rules_is_in_words_on_the_card() -> None:
    rows = [
        # The hub's place: Mondays to Fridays, into the night, in the directory's own offset.
        rules_only(
            1, service_at_location_id=AT_EAST, freq="WEEKLY", byday="MO,TU,WE,TH,FR",
            opens_at="18:00", closes_at="23:59", timezone=Decimal("0"),
        ),
        # The group's own: every day for the winter, written an hour ahead of UTC.
        rules_only(
            2, service_id=IDS["peer_group"], freq="WEEKLY", byday="MO,TU,WE,TH,FR,SA,SU",
            opens_at="10:00", closes_at="16:00",
            timezone=Decimal("1"), valid_from=dt.date(2026, 12, 1), valid_to=dt.date(2027, 2, 28),
        ),
        # Every other week: "open now" cannot read it, so the card says nothing of it.
        rules_only(
            3, service_id=IDS["peer_group"], freq="WEEKLY", interval=2, byday="SA",
            opens_at="10:00", closes_at="12:00",
        ),
        # A description wins over the rules.
        rules_only(4, service_id=IDS["line"], freq="WEEKLY", byday="SU", opens_at="20:00", closes_at="02:00")
        | {"description": "Sunday nights."},
        # Ended before the day the search is made: no longer hours at all.
        rules_only(
            5, service_id=IDS["peer_group"], freq="WEEKLY", byday="TU", opens_at="09:00",
            closes_at="11:00", valid_to=dt.date(2026, 11, 22),
        ),
    ]  # fmt: skip
    with transaction.atomic():
        insert_hsds_rows({"schedule": rows})
        refresh_search_entries(IDS[name] for name in ("hybrid", "peer_group", "line"))
    monday_evening = dt.datetime(2026, 11, 23, 19, 0, tzinfo=dt.UTC)
    hybrid, peer_group, line = cards("hybrid", "peer_group", "line", moment=monday_evening)
    assert hybrid.hours == ["At east: Sunday drop-in.", "At east: Monday to Friday, 18:00 to midnight."]
    assert hybrid.open_at_time is True  # what the card says is what makes it open
    assert peer_group.hours == [
        "Weekly hours.",
        "Every day, 10:00 to 16:00 (UTC+1), from 1 December 2026 to 28 February 2027.",
    ]
    assert "Sunday nights." in line.hours
    assert not any("20:00" in text for text in line.hours)


def test_rules_in_words_add_no_query() -> None:
    with transaction.atomic():  # as every change to a listing does
        Schedule.objects.update(description="")
        refresh_search_entries(SearchEntry.objects.values_list("service_id", flat=True))
    found = hits("recovery", "hybrid", "counselling", "peer_group", "ecoute")
    with CaptureQueriesContext(connection) as queries:
        shown = page(found)
    assert len(queries) == 1
    assert [card.hours for card in shown] == [
        ["Saturday, 10:00 to 13:00.", "At manchester: Sunday, 10:00 to 14:00."],
        ["At east: Sunday, 10:00 to 14:00."],
        ["Tuesday, 18:00 to 20:00.", "Sunday, 10:00 to 14:00."],
        ["Monday to Friday, 09:00 to 17:00."],
        ["Monday to Friday, 09:00 to 17:00 (UTC-5)."],
    ]


def dated(number: int, description: str, **more: Any) -> dict[str, Any]:
    return schedule(number, description, service_id=IDS["peer_group"]) | {
        "id": f"00000000-0000-4000-9300-{number:012d}",
        **more,
    }


def add_dated_schedules() -> None:
    rows = [
        dated(1, "Summer evenings.", valid_to=dt.date(2026, 9, 30)),  # ended before the search
        dated(2, "Winter mornings.", valid_from=dt.date(2026, 12, 1)),  # begins after it
        dated(3, "Autumn term.", dtstart=dt.date(2026, 9, 1), until=dt.date(2026, 12, 18)),  # applies
        # At a place: the same judgement for a place's hours.
        schedule(4, "Closed for works.", service_at_location_id=AT_EAST) | {
            "id": "00000000-0000-4000-9300-000000000004", "valid_to": dt.date(2026, 1, 31),
        },
    ]  # fmt: skip
    with transaction.atomic():
        insert_hsds_rows({"schedule": rows})
        refresh_search_entries([IDS["peer_group"], IDS["hybrid"]])


def test_a_described_schedule_is_shown_while_its_dates_apply() -> None:
    add_dated_schedules()
    hybrid, peer_group = cards("hybrid", "peer_group")
    assert peer_group.hours == [
        "Weekly hours.",
        "From 1 December 2026: Winter mornings.",
        "Autumn term.",
    ]
    assert hybrid.hours == ["At east: Sunday drop-in."]  # not "Closed for works.", which has ended


def test_migration_0013_rewrites_the_cards_stored_without_a_described_schedules_dates() -> None:
    add_dated_schedules()
    before = dict(SearchCard.objects.values_list("entry_id", "facts"))
    for card in SearchCard.objects.all():  # as cards were stored before: no rule beside a description
        facts = json.loads(card.facts)
        for detail in facts["details"]:
            if detail[0] == SCHEDULE and detail[1].strip():
                detail[5] = None
        card.facts = json.dumps(facts)
        card.save()
    # Without the dates a card shows every description as written, ended or not yet begun.
    assert cards("peer_group")[0].hours == [
        "Weekly hours.",
        "Summer evenings.",
        "Winter mornings.",
        "Autumn term.",
    ]
    assert rewrite_dated_schedule_cards() == 2  # the group's card and the hub's (its place)
    assert cards("peer_group")[0].hours == [
        "Weekly hours.",
        "From 1 December 2026: Winter mornings.",
        "Autumn term.",
    ]
    rewritten = dict(SearchCard.objects.values_list("entry_id", "facts"))
    assert {entry: json.loads(facts) for entry, facts in rewritten.items()} == {
        entry: json.loads(facts) for entry, facts in before.items()
    }
