"""The card facts stored with each search entry follow every change a coordinator can make.

A result card is read from `SearchCard`, not from the records, so each way of changing a listing
(the editing services, the admin, a rebuild, the migration that first wrote them) must leave the
card a fresh read of the records would give (`card_facts`).
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction

from carepath.directory.models import Organization, Phone, SearchCard, SearchEntry, Service
from carepath.directory.selectors.card_facts import card_facts
from carepath.directory.selectors.find import find_services
from carepath.directory.selectors.search_cards import ServiceCard
from carepath.directory.services import editing, editing_details
from carepath.directory.services.admin_changes import delete_from_admin, save_from_admin
from carepath.directory.services.search_index import (
    rebuild_search_index,
    refresh_search_entries,
    write_missing_cards,
)

pytestmark = pytest.mark.django_db
MONDAY = dt.datetime(2026, 11, 23, 10, 30, tzinfo=dt.UTC)


@pytest.fixture
def coordinator(personas: dict[str, Any]) -> Any:
    return personas["coordinator"]


@pytest.fixture
def organization(db: Any) -> Organization:
    return Organization.objects.create(name="Harbour Peers", description="Peer support.")


@pytest.fixture
def service(organization: Organization) -> Service:
    with transaction.atomic():
        created = Service.objects.create(
            organization_id=organization.pk,
            name="Kittiwake listening circle",
            description="A weekly circle.",
            status="active",
            support_type="peer",
        )
        refresh_search_entries([created.pk])
    return created


def card() -> ServiceCard:
    (found,) = find_services({"q": ["kittiwake"]}, home_country="GB", now=MONDAY).cards
    return found


def stored(service: Service) -> dict[str, Any]:
    entry = SearchEntry.objects.get(service_id=service.pk)
    return dict(json.loads(SearchCard.objects.get(entry=entry).facts))


def fresh(service: Service) -> dict[str, Any]:
    """The facts as read from the records now, through JSON as they are stored."""
    return dict(json.loads(json.dumps(card_facts([service.pk])[service.pk])))


def test_a_renamed_organisation_is_on_its_services_cards(
    coordinator: Any, organization: Organization, service: Service
) -> None:
    assert card().organization_name == "Harbour Peers"
    editing.update_organization(actor=coordinator, organization=organization, values={"name": "Tern Peers"})
    assert card().organization_name == "Tern Peers"
    assert stored(service) == fresh(service)


def test_costs_and_languages_added_and_removed_show_at_once(coordinator: Any, service: Service) -> None:
    option = editing_details.add_cost_option(
        actor=coordinator,
        service=service,
        values={"option": "Per session", "amount": Decimal("12.50"), "currency": "GBP"},
    )
    editing_details.add_language(actor=coordinator, service=service, values={"code": "cy"})
    shown = card()
    assert shown.costs == ["Per session: 12.5 GBP"] and shown.languages == ["Welsh"]
    editing_details.update_cost_option(actor=coordinator, option=option, values={"amount": Decimal("0")})
    assert card().costs == ["Per session: free"]
    editing_details.remove_cost_option(actor=coordinator, option=option)
    assert card().costs == []
    assert stored(service) == fresh(service)


def test_an_edited_service_shows_its_new_words_and_a_safe_link_only(
    coordinator: Any, service: Service
) -> None:
    editing.update_service(
        actor=coordinator,
        service=service,
        values={"description": "Kittiwake circle, now twice a week. " * 20, "url": "https://example.org/k"},
    )
    shown = card()
    assert shown.url == "https://example.org/k"
    assert shown.description.endswith("…") and len(shown.description) <= 281
    Service.objects.filter(pk=service.pk).update(url="javascript:alert(1)")
    with transaction.atomic():
        refresh_search_entries([service.pk])
    assert card().url == ""


def test_an_admin_change_reaches_the_card(coordinator: Any, service: Service) -> None:
    phone = Phone(service_id=service.pk, number="01632 960 001")
    save_from_admin(actor=coordinator, record=phone, created=True, fields=["number"])
    assert card().phone == "01632 960 001"
    delete_from_admin(actor=coordinator, records=[phone])
    assert card().phone == ""


def test_a_closed_service_has_no_card_and_a_rebuild_writes_the_same_ones(
    coordinator: Any, organization: Organization, service: Service
) -> None:
    before = stored(service)
    rebuild_search_index()
    assert stored(service) == before
    editing.update_service(actor=coordinator, service=service, values={"status": "defunct"})
    assert not SearchCard.objects.exists()


def test_entries_written_before_cards_were_stored_get_theirs(service: Service) -> None:
    before = stored(service)
    SearchCard.objects.all().delete()  # as the index was before migration 0011
    assert write_missing_cards(batch=1) == 1
    assert stored(service) == before
    assert write_missing_cards() == 0
