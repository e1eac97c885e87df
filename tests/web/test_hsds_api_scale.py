"""The HSDS API's `search` as full text, and the bounds that keep every list fast at a million services.

- `search` finds services by the words of their name and description through the full-text indexes:
  stemmed, case- and accent-insensitive, every word in one service; services people's search does
  not list (not active) are found too, through the unlisted index.
- A filtered list serves its first FILTERED_LIMIT records by id, says when more match (`capped`),
  and refuses a page past them naming `page`; an unfiltered list is counted exactly and paged to its
  end.
- SQLite is told which filter drives its plan (`hsds_filters._driver`); every plan gives the same
  answer, checked here by forcing each.
Timings are measured by bench/bench_hsds_api.py, never asserted here.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from carepath.directory.models import (
    Address,
    Attribute,
    Location,
    Organization,
    SearchEntry,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
    UnlistedEntry,
)
from carepath.directory.selectors import hsds_filters, hsds_places
from carepath.directory.services.search_index import rebuild_search_index, refresh_search_entries
from carepath.interop.hsds_schema import page_validator

pytestmark = pytest.mark.django_db


def get_json(client: Client, url: str, status: int = 200) -> Any:
    response = client.get(url)
    assert response.status_code == status, response.content[:500]
    return response.json()


def names(client: Client, url: str) -> list[str]:
    return [item["name"] for item in get_json(client, url)["contents"]]


def service(name: str, description: str = "", status: str = "active", **fields: Any) -> Service:
    return Service.objects.create(name=name, description=description, status=status, **fields)


@pytest.fixture
def worded(db: Any) -> dict[str, Service]:
    made = {
        "cafe": service("Café Counselling", "Talking therapies for young people."),
        "zoe": service("Zoë's peer circle", "Peers who have been there, meeting weekly."),
        "walk": service("Walking group", "A walk and a talk, outdoors."),
        "closed": service("Harbour counsellor", "Counselling by the sea, closed for now.", "inactive"),
        "gone": service("Old drop-in café", "A café that closed its doors.", "defunct"),
    }
    rebuild_search_index()
    return made


# Words --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("cafe", ["Café Counselling", "Old drop-in café"]),  # accents folded on both sides
        ("CAFÉ", ["Café Counselling", "Old drop-in café"]),
        ("therapy", ["Café Counselling"]),  # stemmed: "therapies"
        ("zoe", ["Zoë's peer circle"]),
        ("peer", ["Zoë's peer circle"]),  # "Peers" too, in the same service
        ("walking", ["Walking group"]),  # stemmed: "walk"
        ("walk talk", ["Walking group"]),  # every word, in one service
        ("walk therapy", []),
        ("therap", []),  # words, not text inside them (the API's search before full text)
        ("!!!", []),  # no word at all: nothing to find
    ],
)
def test_search_matches_words_stemmed_and_without_accents(
    client: Client, worded: dict[str, Service], text: str, expected: list[str]
) -> None:
    found = get_json(client, f"/hsds/services?search={text}")
    assert sorted(item["name"] for item in found["contents"]) == sorted(expected)
    assert found["total_items"] == len(expected) and found["capped"] is False


def test_search_finds_services_people_cannot_find(client: Client, worded: dict[str, Service]) -> None:
    closed, gone = worded["closed"], worded["gone"]
    # People's search lists active services only; the unlisted index holds the others' words.
    assert not SearchEntry.objects.filter(service_id__in=[closed.pk, gone.pk]).exists()
    assert set(UnlistedEntry.objects.values_list("service_id", flat=True)) == {closed.pk, gone.pk}
    assert names(client, "/hsds/services?search=harbour") == ["Harbour counsellor"]
    assert sorted(names(client, "/hsds/services?search=counselling")) == [
        "Café Counselling",
        "Harbour counsellor",
    ]

    # A status change moves a service between the indexes; either way it is found.
    with transaction.atomic():
        Service.objects.filter(pk=closed.pk).update(status="active")
        Service.objects.filter(pk=worded["walk"].pk).update(status="temporarily closed")
        refresh_search_entries([closed.pk, worded["walk"].pk])
    assert SearchEntry.objects.filter(service_id=closed.pk).exists()
    assert UnlistedEntry.objects.filter(service_id=worded["walk"].pk).exists()
    assert names(client, "/hsds/services?search=harbour") == ["Harbour counsellor"]
    assert names(client, "/hsds/services?search=walking") == ["Walking group"]

    # A deleted service leaves both indexes.
    with transaction.atomic():
        Service.objects.filter(pk=gone.pk).delete()
        refresh_search_entries([gone.pk])
    assert not UnlistedEntry.objects.filter(service_id=gone.pk).exists()
    assert names(client, "/hsds/services?search=doors") == []


def test_services_at_locations_search_their_service_words(client: Client, worded: dict[str, Service]) -> None:
    place = Location.objects.create(location_type="physical", name="Quayside")
    at = ServiceAtLocation.objects.create(service=worded["closed"], location=place)
    ServiceAtLocation.objects.create(service=worded["walk"], location=place)
    page = get_json(client, "/hsds/service_at_locations?search=sea")
    assert [item["id"] for item in page["contents"]] == [at.pk]


def test_organizations_still_match_text_inside_their_names(client: Client, db: Any) -> None:
    Organization.objects.create(name="Riverside Peer Network")
    Organization.objects.create(name="City Clinic")
    assert names(client, "/hsds/organizations?search=IVERSID") == ["Riverside Peer Network"]


# Served records, counts and paging ----------------------------------------------------------------


@pytest.fixture
def many_words(db: Any) -> list[str]:
    """Seven services with the word "river" (two not active) and three without it."""
    for number in range(7):
        service(f"River group {number}", status="active" if number < 5 else "inactive")
    for number in range(3):
        service(f"Lake group {number}")
    rebuild_search_index()
    return sorted(Service.objects.filter(name__startswith="River").values_list("id", flat=True))


@pytest.mark.parametrize("listed_at_most", [0, 10**9], ids=["probed", "listed"])
def test_search_pages_are_in_id_order_and_stable(
    client: Client, many_words: list[str], monkeypatch: pytest.MonkeyPatch, listed_at_most: int
) -> None:
    monkeypatch.setattr(hsds_filters, "LISTED_AT_MOST", listed_at_most)
    pages = [get_json(client, f"/hsds/services?search=river&per_page=3&page={n}") for n in (1, 2, 3)]
    assert [item["id"] for page in pages for item in page["contents"]] == many_words
    assert [(page["total_items"], page["total_pages"], page["last_page"]) for page in pages] == [
        (7, 3, False),
        (7, 3, False),
        (7, 3, True),
    ]
    again = get_json(client, "/hsds/services?search=river&per_page=3&page=2")
    assert again == pages[1]


def test_a_filtered_list_serves_its_first_records_and_says_when_more_match(
    client: Client, many_words: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(hsds_filters, "FILTERED_LIMIT", 4)
    first = get_json(client, "/hsds/services?search=river&per_page=3")
    assert [page_field(first, name) for name in ("total_items", "total_pages", "capped", "last_page")] == [
        4,
        2,
        True,
        False,
    ]
    assert [error.message for error in page_validator().iter_errors(first)] == []
    second = get_json(client, "/hsds/services?search=river&per_page=3&page=2")
    assert [item["id"] for item in first["contents"] + second["contents"]] == many_words[:4]
    assert second["size"] == 1 and second["last_page"] is True and second["capped"] is True

    refused = get_json(client, "/hsds/services?search=river&per_page=3&page=3", status=422)
    assert [error["field"] for error in refused["errors"]] == ["page"]
    assert "first 4 records" in refused["detail"] and "pages 1 to 2" in refused["detail"]

    # Exactly as many as it serves: not capped. Unfiltered: counted exactly, paged to the end.
    exact = get_json(client, "/hsds/services?search=river%20group%200")
    assert (exact["total_items"], exact["capped"]) == (1, False)
    everything = get_json(client, "/hsds/services?per_page=3&page=4")
    assert (everything["total_items"], everything["capped"], everything["size"]) == (10, False, 1)


def test_the_limit_refuses_before_reading_anything(
    client: Client, db: Any, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(0):
        body = get_json(client, "/hsds/taxonomy_terms?search=x&per_page=100&page=11", status=422)
    assert body["errors"][0]["field"] == "page" and body["detail"].startswith("page: ")


def page_field(page: dict[str, Any], name: str) -> Any:
    return page[name]


# Every plan gives the same answer -------------------------------------------------------------


@pytest.fixture
def tagged(db: Any) -> dict[str, Any]:
    """Services with words, organisations, a taxonomy, last_modified moments and places."""
    kinds = Taxonomy.objects.create(name="Kinds")
    peer = TaxonomyTerm.objects.create(code="peer", name="Peer", taxonomy_detail=kinds)
    north = Organization.objects.create(name="North")
    south = Organization.objects.create(name="South")
    centre = (Decimal("51.5007"), Decimal("-0.1246"))
    made = []
    for number in range(12):
        word = "river" if number % 2 else "lake"
        status = "inactive" if number % 5 == 0 else "active"
        made.append(
            service(
                f"{word.title()} support {number}",
                f"Meets by the {word}.",
                status,
                organization=north if number % 3 else south,
                last_modified=f"2024-05-{1 + number:02d}T09:00:00+02:00",
            )
        )
        if number % 4 == 0:
            Attribute.objects.create(link_id=made[-1].pk, link_entity="service", taxonomy_term=peer)
        offset = Decimal(number) / 100  # about 1.1 km north per step
        place = Location.objects.create(
            location_type="physical", latitude=centre[0] + offset, longitude=centre[1], position_usable=True
        )
        Address.objects.create(
            location=place,
            address_1="1 Street",
            city="London",
            state_province="London",
            postal_code="SW1A 0AA" if number == 0 else f"N{number}",
            country="GB",
            address_type="physical",
        )
        ServiceAtLocation.objects.create(service=made[-1], location=place)
    rebuild_search_index()
    return {"peer": peer, "north": north, "south": south}


def _queries(tagged: dict[str, Any]) -> list[str]:
    return [
        "services?search=river",
        f"services?search=river&organization_id={tagged['north'].pk}",
        f"services?search=support&taxonomy_term_id={tagged['peer'].pk}",
        "services?search=support&modified_after=2024-05-06T07:00:00Z",
        "services?modified_after=2024-05-06T07:00:00Z",
        f"services?taxonomy_term_id={tagged['peer'].pk}&modified_after=2024-05-03T07:00:00Z",
        "service_at_locations?search=lake",
        "service_at_locations?postcode=SW1A%200AA&proximity=5000",
        "service_at_locations?postcode=SW1A%200AA&proximity=5000&search=river",
        f"service_at_locations?taxonomy_term_id={tagged['peer'].pk}&modified_after=2024-05-02T07:00:00Z",
        f"organizations?search=orth&taxonomy_term_id={tagged['peer'].pk}",
    ]


def test_every_plan_gives_the_same_answer(
    client: Client, tagged: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = []
    for listed_at_most in (0, 3, 10**9):  # every filter probed; the fewest listed when under 3; listed
        monkeypatch.setattr(hsds_filters, "LISTED_AT_MOST", listed_at_most)
        answers.append(
            [
                [item["id"] for item in get_json(client, f"/hsds/{url}")["contents"]]
                for url in _queries(tagged)
            ]
        )
    assert answers[0] == answers[1] == answers[2]
    assert [len(found) for found in answers[0]] == [6, 4, 3, 7, 7, 2, 6, 5, 2, 2, 0]


def test_word_matches_need_every_word_in_the_name_or_description(
    client: Client, tagged: dict[str, Any]
) -> None:
    assert len(names(client, "/hsds/services?search=river%20support")) == 6
    assert names(client, "/hsds/services?search=river%20lake") == []
    assert len(names(client, "/hsds/services?search=meets")) == 12


# The box around a circle --------------------------------------------------------------------------


def test_the_box_around_a_circle_drops_what_it_cannot_bound() -> None:
    near_london = hsds_places.box(51.5, -0.12, 10_000)
    assert "longitude" in str(near_london) and "latitude" in str(near_london)
    assert "longitude" not in str(hsds_places.box(89.99, 10.0, 10_000))  # reaches the pole
    assert "longitude" not in str(hsds_places.box(0.0, 179.99, 10_000))  # crosses 180°
    assert str(hsds_places.box(0.0, 0.0, 20_000_000)) == "(AND: )"  # half the Earth: no box


def test_proximity_finds_a_place_just_inside_the_circle(client: Client, db: Any) -> None:
    centre = Location.objects.create(
        location_type="physical", latitude=Decimal("0"), longitude=Decimal("0"), position_usable=True
    )
    Address.objects.create(
        location=centre,
        address_1="1",
        city="Nowhere",
        state_province="-",
        postal_code="ZERO",
        country="GB",
        address_type="physical",
    )
    # 0.0089932° of latitude is 999.99 m along the mean radius: inside 1,000 m, on the box's edge.
    edge = Location.objects.create(
        location_type="physical", latitude=Decimal("0.0089932"), longitude=Decimal("0"), position_usable=True
    )
    for place in (centre, edge):
        ServiceAtLocation.objects.create(service=service(f"At {place.pk}"), location=place)
    found = get_json(client, "/hsds/service_at_locations?postcode=ZERO&proximity=1000")
    assert found["total_items"] == 2
    assert get_json(client, "/hsds/service_at_locations?postcode=ZERO&proximity=999")["total_items"] == 1


def test_moments_are_compared_not_text_on_every_plan(
    client: Client, tagged: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    after = (dt.datetime(2024, 5, 6, 7, tzinfo=dt.UTC)).isoformat().replace("+00:00", "Z")
    for listed_at_most in (0, 10**9):
        monkeypatch.setattr(hsds_filters, "LISTED_AT_MOST", listed_at_most)
        found = names(client, f"/hsds/services?modified_after={after}&per_page=100")
        # 2024-05-06T09:00:00+02:00 is 07:00Z: on the moment, so in.
        assert sorted(int(name.split()[-1]) for name in found) == list(range(5, 12))
