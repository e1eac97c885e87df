"""The coordinators' lists found by name at a million services: words through the full-text indexes.

A service is found by the words of its name (stemmed, accent-insensitive, whatever its status), an
organisation by text inside its name; a pasted id finds its record. The lists' other behaviour is
in tests/web/test_directory_manage.py.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from carepath.directory.models import Organization, Service
from carepath.directory.record_words import words_condition
from carepath.directory.selectors import listings
from carepath.directory.services.search_index import rebuild_search_index
from tests.sign_in import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(personas: dict[str, Any]) -> Client:
    client = Client()
    sign_in(client, personas["coordinator"])
    return client


@pytest.fixture
def harbour(db: Any) -> dict[str, Service]:
    organization = Organization.objects.create(name="Harbour Peers", description="Peer support by the sea.")
    made = {
        name: Service.objects.create(organization_id=organization.pk, name=name, status=status)
        for name, status in [
            ("Walking group", "active"),
            ("Café drop-in", "inactive"),
            ("Evening circle", "temporarily closed"),
            ("Morning circle", "active"),
        ]
    }
    rebuild_search_index()
    return made


def listed(client: Client, url: str, **query: str) -> str:
    response = client.get(url, query)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("text", "shown", "hidden"),
    [
        ("walk", ["Walking group"], ["Morning circle"]),  # stemmed
        ("CAFE", ["Café drop-in"], ["Walking group"]),  # case and accents folded; not active, still found
        ("circle", ["Evening circle", "Morning circle"], ["Walking group"]),
        ("evening circle", ["Evening circle"], ["Morning circle"]),  # every word
        ("circ", [], ["Evening circle", "Morning circle"]),  # words, not text inside them
    ],
)
@pytest.mark.parametrize("few", [0, 20_000], ids=["probed", "listed"])
def test_services_are_found_by_the_words_of_their_name(
    coordinator: Client,
    harbour: dict[str, Service],
    monkeypatch: pytest.MonkeyPatch,
    text: str,
    shown: list[str],
    hidden: list[str],
    few: int,
) -> None:
    monkeypatch.setattr(
        listings, "words_condition", lambda words, parts: words_condition(words, parts, few=few)
    )
    page = listed(coordinator, reverse("manage_services"), q=text)
    assert all(name in page for name in shown) and not any(name in page for name in hidden)


def test_a_pasted_id_still_finds_its_service(coordinator: Client, harbour: dict[str, Service]) -> None:
    wanted = harbour["Evening circle"]
    page = listed(coordinator, reverse("manage_services"), q=f"  {wanted.pk.upper()} ")
    assert "Evening circle" in page and "Morning circle" not in page


def test_words_within_one_organisation_keep_its_name_order(
    coordinator: Client, harbour: dict[str, Service]
) -> None:
    organization = Organization.objects.get(name="Harbour Peers")
    page = listed(coordinator, reverse("manage_services"), q="circle", organization=organization.pk)
    assert page.index("Evening circle") < page.index("Morning circle") and "Walking group" not in page


def test_a_name_search_costs_a_few_queries(
    coordinator: Client, harbour: dict[str, Service], django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(8):  # session and user, two word counts, the page, names
        listed(coordinator, reverse("manage_services"), q="circle")


def test_organisations_are_found_by_text_inside_their_name(
    coordinator: Client, harbour: dict[str, Service]
) -> None:
    Organization.objects.create(name="Riverside Clinic")
    page = listed(coordinator, reverse("manage_organizations"), q="ARBOU")
    assert "Harbour Peers" in page and "Riverside Clinic" not in page
