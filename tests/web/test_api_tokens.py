"""Personal API tokens: made and revoked on the account page, and used as `Authorization: Bearer`."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from carepath.accounts import token_services
from carepath.accounts.token_models import ApiToken
from carepath.audit.models import AuditEvent
from tests.sign_in import sign_in

pytestmark = pytest.mark.django_db

PHQ9 = {f"phq9_{i}": 1 for i in range(1, 10)}


def bearer(token_text: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token_text}"}


def keep_check_in(client: Client, **extra: Any) -> Any:
    body = json.dumps({"instrument": "phq9", "answers": PHQ9})
    return client.post("/api/v1/assessments", body, content_type="application/json", **extra)


@pytest.fixture
def seeker_token(personas: dict[str, Any]) -> str:
    _, text = token_services.create_token(owner=personas["help_seeker"], name="export script")
    return text


def test_a_token_acts_as_its_owner_with_the_owners_permissions(
    personas: dict[str, Any], seeker_token: str
) -> None:
    # A client that enforces CSRF, like a real one: token requests need no CSRF token.
    api = Client(enforce_csrf_checks=True)
    created = keep_check_in(api, **bearer(seeker_token))
    assert created.status_code == 201, created.content
    record_id = created.json()["id"]
    assert api.get("/api/v1/accounts/me", **bearer(seeker_token)).json()["username"] == "seeker"
    assert [a["id"] for a in api.get("/api/v1/assessments", **bearer(seeker_token)).json()] == [record_id]
    assert api.get(f"/api/v1/assessments/{record_id}", **bearer(seeker_token)).status_code == 200

    _, other_text = token_services.create_token(owner=personas["other_help_seeker"])
    assert api.get(f"/api/v1/assessments/{record_id}", **bearer(other_text)).status_code == 404
    assert api.get("/api/v1/assessments", **bearer(other_text)).json() == []
    # A coordinator's token may not read a person's check-in either: the same policy decides.
    _, coordinator_text = token_services.create_token(owner=personas["coordinator"])
    assert api.get(f"/api/v1/assessments/{record_id}", **bearer(coordinator_text)).status_code == 404


def test_a_token_does_not_sign_in_pages_or_set_a_session(client: Client, seeker_token: str) -> None:
    page = client.get(reverse("account"), **bearer(seeker_token))
    assert page.status_code == 302 and page["Location"].startswith(reverse("login"))
    api = client.get("/api/v1/accounts/me", **bearer(seeker_token))
    assert api.status_code == 200 and "sessionid" not in api.cookies


@pytest.mark.parametrize("state", ["revoked", "expired", "unknown", "malformed", "owner inactive"])
def test_a_token_that_does_not_work_gets_401(
    client: Client, personas: dict[str, Any], seeker_token: str, state: str
) -> None:
    token = ApiToken.objects.get()
    text = seeker_token
    if state == "revoked":
        token_services.revoke_token(token=token, actor=personas["help_seeker"])
    elif state == "expired":
        ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    elif state == "unknown":
        text = seeker_token[:-4] + "abcd"
    elif state == "malformed":
        text = "not-a-carepath-token"
    else:
        personas["help_seeker"].is_active = False
        personas["help_seeker"].save()
    for path in ("/api/v1/accounts/me", "/api/v1/health", "/hsds/services"):
        response = client.get(path, **bearer(text))
        assert response.status_code == 401, (path, response.content)
        assert response.json() == {"detail": response.json()["detail"], "errors": []}
        assert "not valid" in response.json()["detail"]
        assert response["WWW-Authenticate"] == 'Bearer error="invalid_token"'


def test_session_auth_still_works_and_still_needs_csrf(personas: dict[str, Any]) -> None:
    browser = Client(enforce_csrf_checks=True)
    sign_in(browser, personas["help_seeker"])
    assert browser.get("/api/v1/accounts/me").json()["username"] == "seeker"
    assert keep_check_in(browser).status_code == 403  # a session POST without the CSRF token


def test_use_updates_last_used_at_most_once_a_minute(client: Client, seeker_token: str) -> None:
    assert ApiToken.objects.get().last_used_at is None
    client.get("/api/v1/health", **bearer(seeker_token))
    first = ApiToken.objects.get().last_used_at
    assert first is not None
    client.get("/api/v1/health", **bearer(seeker_token))
    assert ApiToken.objects.get().last_used_at == first
    ApiToken.objects.update(last_used_at=first - dt.timedelta(minutes=2))
    client.get("/api/v1/health", **bearer(seeker_token))
    assert ApiToken.objects.get().last_used_at > first  # type: ignore[operator]


def test_the_raw_token_is_never_stored(personas: dict[str, Any], seeker_token: str) -> None:
    token = ApiToken.objects.get()
    assert token.prefix == seeker_token[:12] and len(token.digest) == 64
    secret = seeker_token[12:]
    with connection.cursor() as cursor:
        for table in (ApiToken._meta.db_table, AuditEvent._meta.db_table):
            cursor.execute(f"SELECT * FROM {table}")
            for row in cursor.fetchall():
                assert not any(secret in str(value) for value in row), table


def test_the_account_page_makes_shows_once_lists_and_revokes_a_token(
    client: Client, personas: dict[str, Any]
) -> None:
    sign_in(client, personas["help_seeker"])
    page = client.get(reverse("account")).content.decode()
    assert "You have no API tokens." in page and "Make a new token" in page

    made = client.post(reverse("api_token_create"), {"token-name": "spreadsheet", "token-expires_days": "30"})
    assert made.status_code == 200 and made["Cache-Control"] == "no-store"
    shown = re.search(r'id="new-token" value="(cpat_[^"]+)"', made.content.decode())
    assert shown is not None
    text = shown.group(1)
    token = ApiToken.objects.get()
    assert (token.owner, token.name) == (personas["help_seeker"], "spreadsheet")
    assert token.expires_at is not None and token.expires_at > timezone.now() + dt.timedelta(days=29)
    assert client.get("/api/v1/accounts/me", **bearer(text)).status_code == 200

    again = client.get(reverse("account")).content.decode()
    assert text not in again and token.prefix in again and "Revoke" in again

    revoked = client.post(reverse("api_token_revoke", args=[token.pk]), follow=True)
    assert "is revoked" in revoked.content.decode()
    assert Client().get("/api/v1/accounts/me", **bearer(text)).status_code == 401
    events = AuditEvent.objects.filter(subject_type="api_token", subject_id=str(token.pk)).order_by("id")
    actions = list(events.values_list("action", "actor_label"))
    assert actions == [("account.token_created", "seeker"), ("account.token_revoked", "seeker")]


def test_a_nameless_token_is_refused_beside_the_field(client: Client, personas: dict[str, Any]) -> None:
    sign_in(client, personas["help_seeker"])
    response = client.post(reverse("api_token_create"), {"token-name": "", "token-expires_days": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_token-name_error"' in page and "This field is required." in page
    assert not ApiToken.objects.exists()


def test_nobody_can_revoke_someone_elses_token(client: Client, personas: dict[str, Any]) -> None:
    token, _ = token_services.create_token(owner=personas["help_seeker"])
    for who in ("other_help_seeker", "coordinator"):
        sign_in(client, personas[who])
        assert client.post(reverse("api_token_revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert client.get(reverse("api_token_revoke", args=[token.pk])).status_code == 405


def test_token_pages_need_a_login(client: Client) -> None:
    response = client.post(reverse("api_token_create"), {"token-name": "x"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert not ApiToken.objects.exists()


def test_the_openapi_schema_documents_bearer_tokens(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["components"]["securitySchemes"]["ApiToken"]["scheme"] == "bearer"
    assert {"ApiToken": []} in schema["paths"]["/api/v1/assessments"]["get"]["security"]
