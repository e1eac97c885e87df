"""The coordinators' directory pages through the test client: who may open them, filters, forms."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from carepath.audit.models import AuditAction, AuditEvent
from carepath.directory.models import Address, Location, Organization, Service
from carepath.directory.services.search_index import rebuild_search_index
from tests.sign_in import sign_in

pytestmark = pytest.mark.django_db

OTHER_ROLES = ["help_seeker", "peer_supporter", "professional"]


def signed_in(account: Any) -> Client:
    client = Client()
    sign_in(client, account)
    return client


@pytest.fixture
def coordinator(personas: dict[str, Any]) -> Client:
    return signed_in(personas["coordinator"])


@pytest.fixture
def organization(db: Any) -> Organization:
    return Organization.objects.create(name="Harbour Peers", description="Peer support by the sea.")


def old_date(days: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days)


@pytest.fixture
def stale_service(organization: Organization) -> Service:
    return Service.objects.create(
        organization_id=organization.pk, name="Stale group", status="active", assured_date=old_date(181)
    )


@pytest.fixture
def fresh_service(organization: Organization) -> Service:
    modified = f"{old_date(10).isoformat()}T09:00:00Z"
    return Service.objects.create(
        organization_id=organization.pk, name="Fresh group", status="active", last_modified=modified
    )


@pytest.fixture
def location(organization: Organization) -> Location:
    place = Location.objects.create(
        organization_id=organization.pk, location_type="physical", name="Quay hall"
    )
    Address.objects.create(
        location_id=place.pk,
        address_type="physical",
        address_1="1 Quay Road",
        city="Plymouth",
        state_province="Devon",
        postal_code="PL1 2AA",
        country="GB",
    )
    return place


def page_urls(organization: Organization, service: Service, location: Location) -> dict[str, list[str]]:
    """Pages without a record (403 for others) and pages of a record (404 for others)."""
    return {
        "pages": [
            reverse("manage_services"),
            reverse("manage_organizations"),
            reverse("manage_organization_add"),
        ],
        "records": [
            reverse("manage_organization", args=[organization.pk]),
            reverse("manage_organization_edit", args=[organization.pk]),
            reverse("manage_service_add", args=[organization.pk]),
            reverse("manage_location_add", args=[organization.pk]),
            reverse("manage_service_edit", args=[service.pk]),
            reverse("manage_location_edit", args=[location.pk]),
            reverse("manage_service", args=[service.pk]),
            reverse("manage_hours", args=[service.pk]),
            reverse("manage_cost_option_add", args=[service.pk]),
            reverse("manage_language_add", args=[service.pk]),
        ],
    }


def test_anonymous_people_are_sent_to_log_in(
    client: Client, organization: Organization, stale_service: Service, location: Location
) -> None:
    urls = page_urls(organization, stale_service, location)
    for url in urls["pages"] + urls["records"]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url
    response = client.post(reverse("manage_service_checked", args=[stale_service.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_other_roles_get_403_for_pages_and_404_for_records(
    personas: dict[str, Any],
    role: str,
    organization: Organization,
    stale_service: Service,
    location: Location,
) -> None:
    client = signed_in(personas[role])
    urls = page_urls(organization, stale_service, location)
    for url in urls["pages"]:
        assert client.get(url).status_code == 403, url
    for url in urls["records"]:
        assert client.get(url).status_code == 404, url
    assert (
        client.post(reverse("manage_organization_add"), {"name": "X", "description": "Y"}).status_code == 403
    )
    assert client.post(reverse("manage_service_checked", args=[stale_service.pk])).status_code == 404
    assert not Organization.objects.filter(name="X").exists()
    assert Service.objects.get(pk=stale_service.pk).assured_date == old_date(181)


def test_coordinators_open_every_page(
    coordinator: Client, organization: Organization, stale_service: Service, location: Location
) -> None:
    urls = page_urls(organization, stale_service, location)
    for url in urls["pages"] + urls["records"]:
        response = coordinator.get(url)
        assert response.status_code == 200, url
        assert "Need help now?" in response.content.decode()


def test_a_missing_record_is_404_for_coordinators(coordinator: Client) -> None:
    assert coordinator.get(reverse("manage_service_edit", args=["no-such-id"])).status_code == 404
    assert coordinator.get(reverse("manage_organization", args=["no-such-id"])).status_code == 404


def test_stale_listings_are_flagged_in_words_with_their_last_checked_date(
    coordinator: Client, stale_service: Service, fresh_service: Service
) -> None:
    page = coordinator.get(reverse("manage_services")).content.decode()
    assert "Stale group" in page and "Fresh group" in page
    assert (
        "Needs checking:" in page
        and f"last checked {old_date(181).isoformat()}, more than 180 days ago" in page
    )
    assert f"Last checked {old_date(10).isoformat()}." in page
    assert page.count("Needs checking:") == 1


def test_never_checked_is_flagged_too(coordinator: Client, organization: Organization) -> None:
    Service.objects.create(organization_id=organization.pk, name="Unknown age", status="active")
    page = coordinator.get(reverse("manage_services")).content.decode()
    assert "no record of it ever being checked" in page


def test_the_stale_filter_and_the_threshold_setting(
    coordinator: Client, stale_service: Service, fresh_service: Service, settings: Any
) -> None:
    page = coordinator.get(reverse("manage_services"), {"stale": "1"}).content.decode()
    assert "Stale group" in page and "Fresh group" not in page
    settings.CAREPATH_STALE_LISTING_DAYS = 5
    page = coordinator.get(reverse("manage_services"), {"stale": "1"}).content.decode()
    assert "Stale group" in page and "Fresh group" in page and "more than 5 days ago" in page
    settings.CAREPATH_STALE_LISTING_DAYS = 365
    page = coordinator.get(reverse("manage_services"), {"stale": "1"}).content.decode()
    assert "No listing here needs checking." in page


def test_the_text_filter_matches_names_or_an_exact_id(
    coordinator: Client, stale_service: Service, fresh_service: Service
) -> None:
    rebuild_search_index()  # names are found through the text index, which every write path updates
    page = coordinator.get(reverse("manage_services"), {"q": "fresh"}).content.decode()
    assert "Fresh group" in page and "Stale group" not in page
    page = coordinator.get(reverse("manage_services"), {"q": stale_service.pk}).content.decode()
    assert "Stale group" in page and "Fresh group" not in page
    page = coordinator.get(reverse("manage_organizations"), {"q": "harbour"}).content.decode()
    assert "Harbour Peers" in page


def test_the_listing_is_paged_with_a_fixed_number_of_queries(
    coordinator: Client, organization: Organization, django_assert_max_num_queries: Any
) -> None:
    Service.objects.bulk_create(
        Service(organization_id=organization.pk, name=f"Group {number:02d}", status="active")
        for number in range(30)
    )
    with django_assert_max_num_queries(5):  # session, user, two-factor device, count, one page
        first = coordinator.get(reverse("manage_services"), {"stale": "1"}).content.decode()
    assert first.count('<li class="listing') == 25 and 'rel="next"' in first and 'rel="prev"' not in first
    second = coordinator.get(reverse("manage_services"), {"stale": "1", "page": "2"}).content.decode()
    assert second.count('<li class="listing') == 5 and 'rel="prev"' in second and 'rel="next"' not in second
    assert "stale=1" in second  # the pager keeps the filters
    weird = coordinator.get(reverse("manage_services"), {"page": "-3"})
    assert weird.status_code == 200


def test_an_organisation_page_lists_its_services_and_locations(
    coordinator: Client, organization: Organization, stale_service: Service, location: Location
) -> None:
    page = coordinator.get(reverse("manage_organization", args=[organization.pk])).content.decode()
    assert "Stale group" in page and "Needs checking:" in page
    assert "Quay hall" in page and "1 Quay Road" in page
    assert reverse("manage_service_add", args=[organization.pk]) in page
    assert reverse("manage_location_add", args=[organization.pk]) in page


def test_a_coordinator_adds_an_organisation(coordinator: Client, personas: dict[str, Any]) -> None:
    response = coordinator.post(
        reverse("manage_organization_add"), {"name": "Riverside", "description": "Counselling.", "email": ""}
    )
    organization = Organization.objects.get(name="Riverside")
    assert response.status_code == 302 and response["Location"] == reverse(
        "manage_organization", args=[organization.pk]
    )
    event = AuditEvent.objects.get(action=AuditAction.DIRECTORY_RECORD_CREATED)
    assert event.actor == personas["coordinator"]


def test_problems_are_shown_beside_their_fields_and_nothing_is_saved(coordinator: Client) -> None:
    response = coordinator.post(
        reverse("manage_organization_add"),
        {"name": "", "description": "x", "email": "nobody", "website": "ftp://x"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_name_error"' in page and 'id="id_email_error"' in page and 'id="id_website_error"' in page
    assert 'aria-invalid="true"' in page and 'aria-describedby="id_email_error"' in page
    assert "Nothing was saved." in page and 'href="#id_email"' in page
    assert not Organization.objects.exists()


def test_hsds_checks_show_beside_the_field(coordinator: Client, organization: Organization) -> None:
    data = {"name": "Group", "status": "active", "minimum_age": "30", "maximum_age": "18"}
    response = coordinator.post(reverse("manage_service_add", args=[organization.pk]), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_maximum_age_error"' in page and "is below the minimum age (30)" in page
    assert not Service.objects.exists()


def service_form(service: Service, **changes: str) -> dict[str, str]:
    return {"name": service.name, "status": service.status, **changes}


def test_editing_a_service_and_checking_it_today_clears_the_stale_flag(
    coordinator: Client, stale_service: Service
) -> None:
    listing = reverse("manage_services") + "?stale=1"
    response = coordinator.post(
        reverse("manage_service_edit", args=[stale_service.pk]),
        {
            **service_form(stale_service, description="Meets on Tuesdays."),
            "support_type": "peer",
            "lived_experience_topics": "depression, bereavement, depression",
            "confidentiality_limits": ["risk_to_life", "court_order"],
            "crisis_capable": "false",
            "checked_today": "on",
            "next": listing,
        },
    )
    assert response.status_code == 302 and response["Location"] == listing
    stored = Service.objects.get(pk=stale_service.pk)
    assert stored.assured_date == timezone.localdate() and stored.description == "Meets on Tuesdays."
    assert stored.lived_experience_topics == ["depression", "bereavement"]
    assert stored.confidentiality_limits == ["risk_to_life", "court_order"] and stored.crisis_capable is False
    assert "Stale group" not in coordinator.get(listing).content.decode()
    edit_page = coordinator.get(reverse("manage_service_edit", args=[stale_service.pk])).content.decode()
    assert 'value="depression, bereavement"' in edit_page and "Last checked" in edit_page


def test_an_outside_next_address_is_ignored(coordinator: Client, stale_service: Service) -> None:
    response = coordinator.post(
        reverse("manage_service_edit", args=[stale_service.pk]),
        {**service_form(stale_service), "next": "https://evil.example/"},
    )
    assert response.status_code == 302 and response["Location"].startswith("/directory/manage/")


def test_the_mark_checked_button(coordinator: Client, stale_service: Service) -> None:
    here = reverse("manage_services") + "?stale=1"
    response = coordinator.post(reverse("manage_service_checked", args=[stale_service.pk]), {"next": here})
    assert response.status_code == 302 and response["Location"] == here
    assert Service.objects.get(pk=stale_service.pk).assured_date == timezone.localdate()
    assert coordinator.get(reverse("manage_service_checked", args=[stale_service.pk])).status_code == 405


def test_a_location_form_refuses_coordinates_out_of_range(
    coordinator: Client, organization: Organization
) -> None:
    data = {"location_type": "physical", "name": "Pier", "latitude": "91", "longitude": "-4.1"}
    response = coordinator.post(reverse("manage_location_add", args=[organization.pk]), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_latitude_error"' in page and "91 is outside -90 to 90" in page
    assert not Location.objects.exists()


def test_a_location_is_edited_with_its_address(
    coordinator: Client, organization: Organization, location: Location
) -> None:
    url = reverse("manage_location_edit", args=[location.pk])
    assert 'value="1 Quay Road"' in coordinator.get(url).content.decode()
    data = {
        "location_type": "physical",
        "name": "Quay hall",
        "latitude": "50.37",
        "longitude": "-4.14",
        "address_1": "3 Quay Road",
        "city": "Plymouth",
        "state_province": "Devon",
        "postal_code": "PL1 2AA",
        "country": "gb",
    }
    response = coordinator.post(url, data)
    assert response.status_code == 302 and response["Location"] == reverse(
        "manage_organization", args=[organization.pk]
    )
    stored = Location.objects.get(pk=location.pk)
    assert stored.position_usable is True
    address = Address.objects.get(location_id=location.pk)
    assert address.address_1 == "3 Quay Road" and address.country == "GB"


def test_the_coordinator_home_counts_stale_listings_and_links_the_pages(
    coordinator: Client, stale_service: Service, fresh_service: Service
) -> None:
    page = coordinator.get(reverse("role_home")).content.decode()
    assert "1 listing needs checking:" in page
    assert f'href="{reverse("manage_services")}?stale=1"' in page
    assert f'href="{reverse("manage_organizations")}"' in page


def test_a_coordinator_adds_a_service_offered_at_a_location(
    coordinator: Client, organization: Organization, location: Location
) -> None:
    from carepath.directory.models import ServiceAtLocation

    form_page = coordinator.get(reverse("manage_service_add", args=[organization.pk])).content.decode()
    assert "Offered at" in form_page and "Quay hall (Physical)" in form_page
    response = coordinator.post(
        reverse("manage_service_add", args=[organization.pk]),
        {"name": "Drop-in", "status": "active", "locations": [location.pk], "checked_today": "on"},
    )
    assert response.status_code == 302
    service = Service.objects.get(name="Drop-in")
    assert service.assured_date == timezone.localdate()
    assert ServiceAtLocation.objects.filter(service_id=service.pk, location_id=location.pk).exists()
    edit_page = coordinator.get(reverse("manage_service_edit", args=[service.pk])).content.decode()
    assert f'value="{location.pk}" id="id_locations_0" checked' in edit_page
