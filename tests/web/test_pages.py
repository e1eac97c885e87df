"""Pages through the test client: every page carries crisis help; each role gets its own home."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD
from tests.sign_in import sign_in

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["home", "crisis_help", "login", "signup", "password_reset"]
ROLE_HOME_MARKERS = {
    "help_seeker": "Your check-ins",
    "peer_supporter": "People you support",
    "professional": "Referrals",
    "coordinator": "Organisations in the directory",
}


def signed_in(account: Any) -> Client:
    client = Client()
    sign_in(client, account)
    return client


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_every_public_page_offers_crisis_help_and_says_we_are_not_an_emergency_service(
    client: Client, name: str
) -> None:
    response = client.get(reverse(name))
    assert response.status_code == 200
    page = response.content.decode()
    assert f'href="{reverse("crisis_help")}"' in page and "Need help now?" in page
    assert "not a crisis or emergency service" in page
    assert 'class="skip-link" href="#main"' in page and '<main id="main"' in page


@pytest.mark.parametrize("role", sorted(ROLE_HOME_MARKERS))
def test_each_role_lands_on_its_own_home(personas: dict[str, Any], role: str) -> None:
    page = signed_in(personas[role]).get(reverse("role_home")).content.decode()
    assert ROLE_HOME_MARKERS[role] in page
    assert "Need help now?" in page
    for other_role, marker in ROLE_HOME_MARKERS.items():
        if other_role != role:
            assert marker not in page


def test_role_home_needs_a_login(client: Client) -> None:
    response = client.get(reverse("role_home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_coordinator_home_shows_real_counts_and_activity(
    personas: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    client = signed_in(personas["coordinator"])
    Client().post(reverse("login"), {"username": "seeker", "password": PASSWORD})
    with django_assert_max_num_queries(8):
        page = client.get(reverse("role_home")).content.decode()
    assert "<td>2</td>" in page  # two active help-seekers in the persona set
    assert "Logged in" in page


@pytest.mark.parametrize("role", ["help_seeker", "peer_supporter", "professional"])
def test_the_coordinator_panels_stay_hidden_from_other_roles(personas: dict[str, Any], role: str) -> None:
    page = signed_in(personas[role]).get(reverse("role_home")).content.decode()
    assert "Recent activity" not in page and "Active accounts" not in page


def test_account_page_shows_the_persons_own_details(personas: dict[str, Any]) -> None:
    page = signed_in(personas["peer_supporter"]).get(reverse("account")).content.decode()
    assert "peer" in page and "Peer supporter" in page


def test_not_found_is_a_page_with_a_way_home(client: Client) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode() and "Need help now?" in response.content.decode()


def test_server_errors_render_a_calm_page(rf: Any) -> None:
    from carepath.web.views import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500 and "Something went wrong on our side" in response.content.decode()


def test_an_expired_form_gets_a_clear_403(personas: dict[str, Any]) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "seeker", "password": PASSWORD})
    assert response.status_code == 403
    assert "This form has expired" in response.content.decode()


@pytest.mark.parametrize("role", ["help_seeker", "peer_supporter", "professional"])
def test_only_coordinators_reach_the_admin(personas: dict[str, Any], role: str) -> None:
    response = signed_in(personas[role]).get("/admin/accounts/user/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_coordinators_manage_accounts_in_the_admin_and_role_changes_are_audited(
    personas: dict[str, Any],
) -> None:
    from carepath.audit.models import AuditAction, AuditEvent

    client = signed_in(personas["coordinator"])
    target = personas["help_seeker"]
    assert client.get("/admin/accounts/user/").status_code == 200
    form = {
        "username": target.username,
        "display_name": "",
        "email": "",
        "role": "peer_supporter",
        "is_active": "on",
    }
    response = client.post(f"/admin/accounts/user/{target.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    target.refresh_from_db()
    assert target.role == "peer_supporter"
    event = AuditEvent.objects.get(action=AuditAction.ROLE_CHANGED)
    assert event.actor == personas["coordinator"] and event.details["to"] == "peer_supporter"
    assert client.get("/admin/audit/auditevent/").status_code == 200


def test_the_stylesheet_is_served(client: Client) -> None:
    from django.contrib.staticfiles import finders

    assert finders.find("carepath/site.css") is not None
    assert "/static/carepath/site.css" in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize(
    ("handler", "status"),
    [("bad_request", 400), ("forbidden", 403), ("not_found", 404), ("server_error", 500)],
)
def test_error_handlers_answer_pages_and_json_under_the_api(rf: Any, handler: str, status: int) -> None:
    from carepath.web import views

    respond = getattr(views, handler)
    page = (
        respond(rf.get("/somewhere/")) if handler == "server_error" else respond(rf.get("/somewhere/"), None)
    )
    assert page.status_code == status and "<h1>" in page.content.decode()
    api_request = rf.get("/api/v1/somewhere")
    api = respond(api_request) if handler == "server_error" else respond(api_request, None)
    assert api.status_code == status and api["Content-Type"] == "application/json"
