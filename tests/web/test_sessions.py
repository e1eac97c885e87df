"""Sessions: a new session key at log-in, cookie flags, and the staff inactivity time-out."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client
from django.urls import reverse

from carepath.audit.models import AuditAction, AuditEvent
from carepath.web.idle_timeout import LAST_SEEN_KEY
from tests.conftest import PASSWORD
from tests.sign_in import sign_in

pytestmark = pytest.mark.django_db

STAFF = ["peer_supporter", "professional", "coordinator"]


def idle_for(client: Client, seconds: int) -> None:
    session = client.session
    session[LAST_SEEN_KEY] = int(time.time()) - seconds
    session.save()


def test_logging_in_renews_the_session_key(client: Client, personas: dict[str, Any]) -> None:
    session = client.session  # an anonymous session, as a check-in in progress would have
    session["check_in"] = "started"
    session.save()
    before = client.cookies["sessionid"].value
    response = client.post(reverse("login"), {"username": "seeker", "password": PASSWORD})
    assert response.status_code == 302
    after = client.cookies["sessionid"].value
    assert after != before
    assert not SessionStore().exists(before)  # the old key is gone, so it cannot be fixed upon


def test_session_and_csrf_cookies_are_http_only_and_same_site_lax(
    client: Client, personas: dict[str, Any]
) -> None:
    client.get(reverse("login"))
    client.post(reverse("login"), {"username": "seeker", "password": PASSWORD})
    session_cookie, csrf_cookie = client.cookies["sessionid"], client.cookies["csrftoken"]
    assert session_cookie["samesite"] == "Lax" and session_cookie["httponly"]
    assert csrf_cookie["samesite"] == "Lax"


@pytest.mark.parametrize("role", STAFF)
def test_staff_are_logged_out_after_30_idle_minutes_with_a_calm_message(
    client: Client, personas: dict[str, Any], role: str
) -> None:
    sign_in(client, personas[role])
    assert client.get(reverse("role_home")).status_code == 200
    idle_for(client, 31 * 60)
    response = client.get(reverse("role_home"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={reverse('role_home')}"
    login_page = client.get(response["Location"]).content.decode()
    assert "You were logged out because nothing happened for 30 minutes" in login_page
    assert 'class="messages" role="status"' in login_page
    assert client.get(reverse("role_home")).status_code == 302  # signed out for good
    assert AuditEvent.objects.filter(action=AuditAction.LOGOUT, actor=personas[role]).exists()


def test_staff_activity_within_the_limit_keeps_them_signed_in(
    client: Client, personas: dict[str, Any]
) -> None:
    sign_in(client, personas["professional"])
    idle_for(client, 29 * 60)
    assert client.get(reverse("role_home")).status_code == 200
    assert abs(client.session[LAST_SEEN_KEY] - time.time()) < 5  # the clock starts again


def test_last_activity_is_written_at_most_once_a_minute(client: Client, personas: dict[str, Any]) -> None:
    sign_in(client, personas["coordinator"])
    idle_for(client, 30)
    recorded = client.session[LAST_SEEN_KEY]
    client.get(reverse("role_home"))
    assert client.session[LAST_SEEN_KEY] == recorded


def test_help_seekers_keep_the_ordinary_session(client: Client, personas: dict[str, Any]) -> None:
    sign_in(client, personas["help_seeker"])
    idle_for(client, 8 * 60 * 60)
    assert client.get(reverse("role_home")).status_code == 200


def test_the_limit_comes_from_the_setting(client: Client, personas: dict[str, Any], settings: Any) -> None:
    settings.CAREPATH_STAFF_IDLE_MINUTES = 5
    sign_in(client, personas["peer_supporter"])
    idle_for(client, 6 * 60)
    response = client.get(reverse("role_home"), follow=True)
    assert "nothing happened for 5 minutes" in response.content.decode()


def test_an_idle_api_session_gets_401_not_a_redirect(client: Client, personas: dict[str, Any]) -> None:
    sign_in(client, personas["coordinator"])
    idle_for(client, 31 * 60)
    response = client.get("/api/v1/accounts/me")
    assert response.status_code == 401 and response.json() == {"detail": "Log in to use this endpoint."}


def test_a_form_sent_after_the_time_out_goes_to_log_in_without_a_return_address(
    client: Client, personas: dict[str, Any]
) -> None:
    sign_in(client, personas["coordinator"])
    idle_for(client, 31 * 60)
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response["Location"] == reverse("login")


def test_the_idle_clock_starts_at_log_in_so_the_first_page_writes_no_session(
    client: Client, personas: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    client.post(reverse("login"), {"username": "coord", "password": PASSWORD})
    assert abs(client.session[LAST_SEEN_KEY] - time.time()) < 5
    with django_assert_max_num_queries(3) as queries:  # session, account, the page's own (none)
        client.get(reverse("crisis_help"))
    assert not any("UPDATE" in query["sql"] for query in queries.captured_queries)
