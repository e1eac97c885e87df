"""A service's cost options, languages and opening hours through the test client: who may open the
pages, checks beside their fields, CSRF, and the people's search following every save."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from carepath.audit.models import AuditEvent
from carepath.directory.models import (
    CostOption,
    Language,
    Location,
    Organization,
    Schedule,
    Service,
    ServiceAtLocation,
)
from carepath.directory.services.search_index import refresh_search_entries
from tests.sign_in import sign_in

pytestmark = pytest.mark.django_db

OTHER_ROLES = ["help_seeker", "peer_supporter", "professional"]
NAME = "Kittiwake listening circle"


def signed_in(account: Any, **options: Any) -> Client:
    client = Client(**options)
    sign_in(client, account)
    return client


@pytest.fixture
def coordinator(personas: dict[str, Any]) -> Client:
    return signed_in(personas["coordinator"])


@pytest.fixture
def service(db: Any) -> Service:
    organization = Organization.objects.create(name="Harbour Peers", description="Peer support.")
    with transaction.atomic():
        created = Service.objects.create(
            organization_id=organization.pk, name=NAME, status="active", support_type="peer"
        )
        refresh_search_entries([created.pk])
    return created


@pytest.fixture
def cost_option(service: Service) -> CostOption:
    return CostOption.objects.create(service_id=service.pk, option="Per session", amount=40, currency="GBP")


@pytest.fixture
def language(service: Service) -> Language:
    return Language.objects.create(service_id=service.pk, code="en", name="English")


def record_pages(service: Service, cost_option: CostOption) -> list[str]:
    return [
        reverse("manage_service", args=[service.pk]),
        reverse("manage_cost_option_add", args=[service.pk]),
        reverse("manage_cost_option_edit", args=[cost_option.pk]),
        reverse("manage_language_add", args=[service.pk]),
        reverse("manage_hours", args=[service.pk]),
    ]


def removals(cost_option: CostOption, language: Language) -> list[str]:
    return [
        reverse("manage_cost_option_remove", args=[cost_option.pk]),
        reverse("manage_language_remove", args=[language.pk]),
    ]


def search(client: Client, **params: str) -> str:
    return client.get("/find/", {"q": "kittiwake", **params}).content.decode()


# Who may open the pages ----------------------------------------------------------------------------


def test_anonymous_people_are_sent_to_log_in(
    client: Client, service: Service, cost_option: CostOption, language: Language
) -> None:
    for url in record_pages(service, cost_option):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url
    for url in removals(cost_option, language):
        assert client.post(url).status_code == 302
    assert CostOption.objects.exists() and Language.objects.exists()


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_other_roles_get_404_and_change_nothing(
    personas: dict[str, Any], role: str, service: Service, cost_option: CostOption, language: Language
) -> None:
    client = signed_in(personas[role])
    for url in record_pages(service, cost_option):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"code": "cy", "option": "Free", "time_zone": "UTC"}).status_code == 404, url
    for url in removals(cost_option, language):
        assert client.post(url).status_code == 404, url
    assert CostOption.objects.count() == 1 and Language.objects.count() == 1 and not Schedule.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="directory.").exists()


def test_coordinators_open_every_page_and_missing_records_are_404(
    coordinator: Client, service: Service, cost_option: CostOption
) -> None:
    for url in record_pages(service, cost_option):
        response = coordinator.get(url)
        assert response.status_code == 200 and "Need help now?" in response.content.decode(), url
    for name in ("manage_service", "manage_cost_option_edit", "manage_hours"):
        assert coordinator.get(reverse(name, args=["no-such-id"])).status_code == 404
    assert coordinator.get(reverse("manage_hours_at", args=[service.pk, "no-such-link"])).status_code == 404
    assert coordinator.get(reverse("manage_cost_option_remove", args=[cost_option.pk])).status_code == 405


def test_the_service_form_links_to_the_service_page(coordinator: Client, service: Service) -> None:
    page = coordinator.get(reverse("manage_service_edit", args=[service.pk])).content.decode()
    assert f'href="{reverse("manage_service", args=[service.pk])}"' in page


def test_posts_need_the_csrf_token(personas: dict[str, Any], service: Service, language: Language) -> None:
    client = signed_in(personas["coordinator"], enforce_csrf_checks=True)
    url = reverse("manage_language_add", args=[service.pk])
    assert client.post(url, {"code": "cy"}).status_code == 403
    assert client.post(reverse("manage_language_remove", args=[language.pk])).status_code == 403
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', client.get(url).content.decode())
    assert token is not None
    assert client.post(url, {"code": "cy", "csrfmiddlewaretoken": token[1]}).status_code == 302
    assert set(Language.objects.values_list("code", flat=True)) == {"en", "cy"}


# Cost options -------------------------------------------------------------------------------------


def test_a_cost_option_with_problems_shows_them_beside_the_fields(
    coordinator: Client, service: Service
) -> None:
    url = reverse("manage_cost_option_add", args=[service.pk])
    response = coordinator.post(url, {"option": "Free taster", "amount": "20", "currency": "pounds"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_currency_error"' in page and "three-letter currency code" in page
    assert 'id="id_kinds_error"' in page and "tick Free" in page
    assert "Nothing was saved." in page and 'href="#id_currency"' in page and 'aria-invalid="true"' in page
    assert not CostOption.objects.exists()


def test_a_sliding_scale_option_is_found_by_the_cost_filter(coordinator: Client, service: Service) -> None:
    assert NAME not in search(coordinator, cost="sliding_scale")
    response = coordinator.post(
        reverse("manage_cost_option_add", args=[service.pk]),
        {
            "option": "",
            "amount": "10",
            "currency": "gbp",
            "amount_description": "up to 40",
            "kinds": "sliding_scale",
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("#costs-heading")
    assert NAME in search(coordinator, cost="sliding_scale") and NAME in search(coordinator, max_cost="10")
    assert NAME not in search(coordinator, cost="free")
    page = coordinator.get(reverse("manage_service", args=[service.pk])).content.decode()
    assert (
        "Sliding scale" in page and "10 GBP" in page and "Sliding scale (the price depends on income)" in page
    )


def test_editing_and_removing_a_cost_option(
    coordinator: Client, service: Service, cost_option: CostOption
) -> None:
    url = reverse("manage_cost_option_edit", args=[cost_option.pk])
    assert 'value="Per session"' in coordinator.get(url).content.decode()
    form = {"option": "Per session", "amount": "0", "currency": "GBP", "kinds": "free"}
    assert coordinator.post(url, form).status_code == 302
    assert CostOption.objects.get(pk=cost_option.pk).amount == 0 and NAME in search(coordinator, cost="free")
    coordinator.post(url, form)
    follow = coordinator.get(reverse("manage_service", args=[service.pk])).content.decode()
    assert "Nothing was changed." in follow
    response = coordinator.post(reverse("manage_cost_option_remove", args=[cost_option.pk]))
    assert response.status_code == 302 and not CostOption.objects.exists()
    assert NAME not in search(coordinator, cost="free")


# Languages ----------------------------------------------------------------------------------------


def test_a_language_code_with_a_region_is_refused_beside_the_field(
    coordinator: Client, service: Service
) -> None:
    response = coordinator.post(reverse("manage_language_add", args=[service.pk]), {"code": "pt-BR"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_code_error"' in page and "give the language alone (pt)" in page
    response = coordinator.post(reverse("manage_language_add", args=[service.pk]), {"code": ""})
    assert 'id="id_code_error"' in response.content.decode() and not Language.objects.exists()


def test_an_added_language_is_found_by_the_language_filter(coordinator: Client, service: Service) -> None:
    assert NAME not in search(coordinator, language="cy")
    response = coordinator.post(
        reverse("manage_language_add", args=[service.pk]),
        {"code": "cy", "note": "Sessions in Welsh on request."},
    )
    assert response.status_code == 302 and response["Location"].endswith("#languages-heading")
    assert NAME in search(coordinator, language="cy") and NAME not in search(coordinator, language="pl")
    page = coordinator.get(reverse("manage_service", args=[service.pk])).content.decode()
    assert "Welsh (cy)" in page and "Sessions in Welsh on request." in page
    language = Language.objects.get()
    assert coordinator.post(reverse("manage_language_remove", args=[language.pk])).status_code == 302
    assert NAME not in search(coordinator, language="cy")


# Opening hours ------------------------------------------------------------------------------------


def hours_form(**times: str) -> dict[str, str]:
    return {"slots": "2", "time_zone": "Europe/London", "attending_type": "In person", **times}


def test_saved_hours_are_what_open_at_finds(coordinator: Client, service: Service) -> None:
    response = coordinator.post(
        reverse("manage_hours", args=[service.pk]),
        hours_form(mo_1_opens="09:00", mo_1_closes="12:00", mo_2_opens="13:00", mo_2_closes="17:00"),
    )
    assert response.status_code == 302 and response["Location"].endswith("#hours-heading")
    at = {"open": "at", "tz": "Europe/London"}
    assert NAME in search(coordinator, at="2026-11-23T10:30", **at)  # a Monday
    assert NAME not in search(coordinator, at="2026-11-23T12:30", **at)  # the lunch break
    assert NAME not in search(coordinator, at="2026-11-24T10:30", **at)  # Tuesday: closed
    page = coordinator.get(reverse("manage_service", args=[service.pk])).content.decode()
    assert "09:00 to 12:00 and 13:00 to 17:00" in page and "Closed" in page
    form_page = coordinator.get(reverse("manage_hours", args=[service.pk])).content.decode()
    assert 'name="slots" value="3"' in form_page  # one more row than Monday needs
    assert 'name="mo_2_opens" value="13:00"' in form_page and 'value="Europe/London"' in form_page


def test_hours_problems_are_shown_beside_their_fields(coordinator: Client, service: Service) -> None:
    response = coordinator.post(
        reverse("manage_hours", args=[service.pk]),
        {
            **hours_form(mo_1_opens="09:00", mo_1_closes="12:00", mo_2_opens="11:00", mo_2_closes="13:00"),
            "tu_1_opens": "09:00",
            "we_1_opens": "10:00",
            "we_1_closes": "10:00",
            "th_1_opens": "25:00",
            "time_zone": "Europe/Atlantis",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    for field in ("mo_2_opens", "tu_1_closes", "we_1_closes", "th_1_opens", "time_zone"):
        assert f'id="id_{field}_error"' in page and f'href="#id_{field}"' in page, field
    assert "Overlaps 09:00 to 12:00 on the same day." in page and "is not a time zone" in page
    assert "Monday, time 2: opens" in page  # the summary names the day and the row
    assert not Schedule.objects.exists()


def test_another_row_of_times_is_added_without_javascript_or_saving(
    coordinator: Client, service: Service
) -> None:
    response = coordinator.post(
        reverse("manage_hours", args=[service.pk]), {**hours_form(mo_1_opens="09:00"), "more": "1"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="slots" value="3"' in page and 'name="su_3_closes"' in page and 'value="09:00"' in page
    assert "Nothing was saved." not in page and not Schedule.objects.exists()


def test_hours_the_form_cannot_show_are_listed_and_kept(coordinator: Client, service: Service) -> None:
    monthly = Schedule.objects.create(
        service_id=service.pk, freq="MONTHLY", byday="1SA", opens_at="10:00", closes_at="12:00",
        description="First Saturday of the month.",
    )  # fmt: skip
    page = coordinator.get(reverse("manage_hours", args=[service.pk])).content.decode()
    assert "First Saturday of the month." in page and "keeps them exactly as they are" in page
    coordinator.post(
        reverse("manage_hours", args=[service.pk]), hours_form(fr_1_opens="09:00", fr_1_closes="17:00")
    )
    assert Schedule.objects.filter(pk=monthly.pk).exists() and Schedule.objects.count() == 2


def test_hours_at_one_place_of_the_service(coordinator: Client, service: Service) -> None:
    hall = Location.objects.create(
        organization_id=service.organization_id, location_type="physical", name="Quay hall"
    )
    link = ServiceAtLocation.objects.create(service_id=service.pk, location_id=hall.pk)
    page = coordinator.get(reverse("manage_service", args=[service.pk])).content.decode()
    url = reverse("manage_hours_at", args=[service.pk, link.pk])
    assert "At Quay hall" in page and url in page
    response = coordinator.post(url, hours_form(sa_1_opens="10:00", sa_1_closes="13:00"))
    assert response.status_code == 302
    assert Schedule.objects.get().service_at_location_id == link.pk
    assert NAME in search(coordinator, open="at", at="2026-11-28T11:00", tz="Europe/London")


def test_the_service_page_reads_a_fixed_number_of_queries_whatever_its_places(
    coordinator: Client, service: Service, cost_option: CostOption, language: Language
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert coordinator.get(reverse("manage_service", args=[service.pk])).status_code == 200
        return sum("django_session" not in query["sql"] for query in captured)  # sessions vary by time

    def add_place(name: str) -> None:
        place = Location.objects.create(
            organization_id=service.organization_id, location_type="physical", name=name
        )
        link = ServiceAtLocation.objects.create(service_id=service.pk, location_id=place.pk)
        Schedule.objects.create(
            service_at_location_id=link.pk, freq="WEEKLY", byday="MO", opens_at="09:00", closes_at="10:00"
        )

    add_place("Hall 1")
    one = queries()
    for number in range(2, 6):
        add_place(f"Hall {number}")
    assert queries() == one
    assert "At Hall 5" in coordinator.get(reverse("manage_service", args=[service.pk])).content.decode()


def test_the_coordinators_own_words_are_shown_with_the_listing_and_kept(
    coordinator: Client, service: Service
) -> None:
    url = reverse("manage_hours", args=[service.pk])
    words = "Weekday mornings; closed on public holidays."
    form = hours_form(mo_1_opens="09:00", mo_1_closes="12:00", fr_1_opens="09:00", fr_1_closes="12:00")
    assert coordinator.post(url, {**form, "description": words}).status_code == 302
    assert [row.description for row in Schedule.objects.order_by("id")] == [words]
    assert words in search(coordinator)  # the result card shows the words
    assert f"{words}</textarea>" in coordinator.get(url).content.decode()
    coordinator.post(url, {**form, "description": words})
    assert (
        "Nothing was changed."
        in coordinator.get(reverse("manage_service", args=[service.pk])).content.decode()
    )
    response = coordinator.post(url, hours_form(description=words))
    assert response.status_code == 400 and 'id="id_description_error"' in response.content.decode()
