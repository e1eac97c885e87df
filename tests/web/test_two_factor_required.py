"""Accounts that need two-factor sign-in reach nothing but the way through it until they pass it."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from carepath import policy
from carepath.accounts import token_services
from carepath.accounts.token_models import ApiToken
from tests.conftest import PASSWORD
from tests.sign_in import app_device_for, fresh_code, sign_in

pytestmark = pytest.mark.django_db

REQUIRED = ["professional", "coordinator"]
CODE_STEP = reverse("two_factor_verify")
SET_UP = reverse("two_factor_set_up")
CLOSED_PAGES = [
    "/",
    "/home/",
    "/accounts/me/",
    "/check-in/",
    "/find/",
    "/admin/",
    "/accounts/password/change/",
]
OPEN_PAGES = ["/crisis/", "/api/v1/health", "/static/carepath/site.css", SET_UP]


def password_only(client: Client, account: Any) -> None:
    """Signed in with the password and nothing more: the log-in form, and no code yet."""
    assert (
        client.post(reverse("login"), {"username": account.username, "password": PASSWORD}).status_code == 302
    )


@pytest.mark.parametrize("role", REQUIRED)
def test_without_a_device_every_page_leads_to_set_up(
    client: Client, personas: dict[str, Any], role: str
) -> None:
    password_only(client, personas[role])
    for path in CLOSED_PAGES:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(f"{SET_UP}?next="), path
    assert client.get("/accounts/me/?tab=1")["Location"] == f"{SET_UP}?next=%2Faccounts%2Fme%2F%3Ftab%3D1"
    for path in OPEN_PAGES:
        assert client.get(path).status_code == 200, path
    assert client.get(CODE_STEP)["Location"] == f"{SET_UP}?next=%2Fhome%2F"


@pytest.mark.parametrize("role", REQUIRED)
def test_with_a_device_every_page_leads_to_the_code_step(
    client: Client, personas: dict[str, Any], role: str
) -> None:
    app_device_for(personas[role])
    password_only(client, personas[role])
    for path in CLOSED_PAGES:
        assert client.get(path)["Location"].startswith(f"{CODE_STEP}?next="), path
    assert client.get(CODE_STEP).status_code == 200
    # A password alone cannot replace the device: set-up sends such a session to the code step.
    assert client.get(SET_UP)["Location"] == f"{CODE_STEP}?next=%2Fhome%2F"
    assert "You have logged out" in client.post(reverse("logout")).content.decode()  # always possible


def test_a_form_sent_before_the_code_step_is_not_carried_over(
    client: Client, personas: dict[str, Any]
) -> None:
    app_device_for(personas["coordinator"])
    password_only(client, personas["coordinator"])
    response = client.post(reverse("api_token_create"), {"token-name": "script"})
    assert response.status_code == 302 and response["Location"] == CODE_STEP
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("role", REQUIRED)
def test_the_session_api_is_refused_with_a_clear_json_message(
    client: Client, personas: dict[str, Any], role: str
) -> None:
    password_only(client, personas[role])
    response = client.get("/api/v1/accounts/me")
    assert response.status_code == 403 and response["Content-Type"] == "application/json"
    assert "Finish signing in on the two-factor page" in response.json()["detail"]
    assert client.get("/hsds/services").status_code == 403
    assert client.get("/api/v1/health").status_code == 200
    assert client.get("/api/v1/crisis/regions").status_code == 200  # crisis help is never held back


def test_after_the_code_step_the_session_api_works(client: Client, personas: dict[str, Any]) -> None:
    sign_in(client, personas["coordinator"])
    assert client.get("/api/v1/accounts/me").json()["username"] == "coord"


def test_api_tokens_are_not_sessions_and_pass(client: Client, personas: dict[str, Any]) -> None:
    _, text = token_services.create_token(owner=personas["professional"], name="script")
    response = client.get("/api/v1/accounts/me", headers={"Authorization": f"Bearer {text}"})
    assert response.status_code == 200 and response.json()["username"] == "pro"


@pytest.mark.parametrize("role", REQUIRED)
def test_making_a_token_needs_a_verified_session_for_staff(
    client: Client, personas: dict[str, Any], role: str
) -> None:
    account = personas[role]
    assert not policy.can_create_api_token(account, session_verified=False)
    assert policy.can_create_api_token(account, session_verified=True)
    sign_in(client, account)
    response = client.post(reverse("api_token_create"), {"token-name": "script", "token-expires_days": "30"})
    assert response.status_code == 200 and ApiToken.objects.filter(owner=account).count() == 1


@pytest.mark.parametrize("role", ["help_seeker", "peer_supporter"])
def test_other_roles_use_carepath_with_a_password_until_they_turn_it_on(
    client: Client, personas: dict[str, Any], role: str
) -> None:
    account = personas[role]
    assert not policy.requires_two_factor(account) and policy.can_turn_off_two_factor(account)
    assert policy.can_create_api_token(account, session_verified=False)
    password_only(client, account)
    assert client.get(reverse("role_home")).status_code == 200
    assert client.get("/api/v1/accounts/me").status_code == 200
    page = client.get(reverse("account")).content.decode()
    assert "Two-factor sign-in is off" in page and f'href="{SET_UP}?next=/accounts/me/"' in page


def test_the_log_in_form_then_the_code_lands_on_the_page_first_asked_for(
    client: Client, personas: dict[str, Any]
) -> None:
    device = app_device_for(personas["coordinator"])
    asked = client.get("/accounts/me/")
    assert asked["Location"] == "/accounts/login/?next=/accounts/me/"
    response = client.post(
        reverse("login"), {"username": "coord", "password": PASSWORD, "next": "/accounts/me/"}
    )
    assert response["Location"] == "/accounts/me/"
    code_step = client.get("/accounts/me/")["Location"]
    assert code_step == f"{CODE_STEP}?next=%2Faccounts%2Fme%2F"
    page = client.get(code_step).content.decode()
    assert 'name="next" value="/accounts/me/"' in page and 'autocomplete="one-time-code"' in page
    response = client.post(CODE_STEP, {"code": fresh_code(device), "next": "/accounts/me/"})
    assert response["Location"] == "/accounts/me/"


def test_the_code_step_never_sends_people_to_another_site(client: Client, personas: dict[str, Any]) -> None:
    device = app_device_for(personas["coordinator"])
    password_only(client, personas["coordinator"])
    response = client.post(CODE_STEP, {"code": fresh_code(device), "next": "https://elsewhere.example/"})
    assert response["Location"] == reverse("role_home")


def test_a_professional_sets_up_from_the_redirect_and_continues(
    client: Client, personas: dict[str, Any]
) -> None:
    from tests.web.test_two_factor import code_from_page

    password_only(client, personas["professional"])
    page = client.get(f"{SET_UP}?next=/accounts/me/").content.decode()
    assert "Your role works with other people's records" in page
    response = client.post(SET_UP, {"code": code_from_page(page), "next": "/accounts/me/"})
    assert response.status_code == 200 and 'href="/accounts/me/"' in response.content.decode()
    assert client.get(reverse("role_home")).status_code == 200
