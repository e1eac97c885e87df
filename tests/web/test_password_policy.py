"""The password policy through the real forms: at least 12 characters, not a common password, not
all digits, not like the account's own details. A refused password is named beside its field,
with the reason; and five wrong passwords lock the log-in calmly."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from carepath.accounts.models import User
from tests.conftest import PASSWORD
from tests.sign_in import sign_in

pytestmark = pytest.mark.django_db

REFUSED = [
    ("short-pass1", "This password is too short. It must contain at least 12 characters."),
    ("password1234", "This password is too common."),
    ("739204816253", "This password is entirely numeric."),
    ("riverbank-willow", "The password is too similar to the username."),
]


def field_errors(page: str, field_id: str) -> str:
    """The text of the error block the form puts beside one field (includes/form.html)."""
    match = re.search(rf'<div class="field-error" id="{field_id}_error">(.*?)</div>', page, re.S)
    return re.sub(r"<[^>]+>", "", match.group(1)) if match else ""


def test_the_policy_is_the_one_documented() -> None:
    names = [v["NAME"].rsplit(".", 1)[1] for v in settings.AUTH_PASSWORD_VALIDATORS]
    assert names == [
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    ]
    assert settings.AUTH_PASSWORD_VALIDATORS[1]["OPTIONS"] == {"min_length": 12}


@pytest.mark.parametrize(("password", "reason"), REFUSED)
def test_sign_up_names_the_password_field_and_the_reason(client: Client, password: str, reason: str) -> None:
    form = {"username": "riverbank-willow", "password": password, "password_again": password}
    response = client.post(reverse("signup"), form)
    assert response.status_code == 400
    assert reason in field_errors(response.content.decode(), "id_password")
    assert not User.objects.exists()


@pytest.mark.parametrize(("password", "reason"), REFUSED)
def test_password_change_names_the_new_password_field_and_the_reason(
    client: Client, make_account: Any, password: str, reason: str
) -> None:
    account = make_account("riverbank-willow")
    sign_in(client, account)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": password, "new_password2": password},
    )
    assert response.status_code == 200  # the form again, not the "changed" page
    assert reason in field_errors(response.content.decode(), "id_new_password2")
    account.refresh_from_db()
    assert account.check_password(PASSWORD)


def test_twelve_characters_are_enough(client: Client) -> None:
    password = "calm-harbour"
    assert len(password) == 12
    form = {"username": "ash", "password": password, "password_again": password}
    assert client.post(reverse("signup"), form).status_code == 302


def test_the_sign_up_form_says_what_a_password_needs(client: Client) -> None:
    page = client.get(reverse("signup")).content.decode()
    assert "At least 12 characters" in page


def test_five_failures_lock_the_log_in_with_a_calm_page(client: Client, personas: dict[str, Any]) -> None:
    statuses = [
        client.post(reverse("login"), {"username": "pro", "password": "wrong-password"}).status_code
        for _ in range(5)
    ]
    assert statuses == [200] * 4 + [429]  # the fifth wrong password locks at once
    locked = client.post(reverse("login"), {"username": "pro", "password": PASSWORD})  # the right one
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "<h1>Too many attempts to log in</h1>" in page
    assert "Please try again later, or reset your password by email." in page
    assert f'href="{reverse("password_reset")}"' in page
    assert "Content-Security-Policy" in locked  # the lock-out page has the headers too
    # Another address, or another account from this address, is not locked.
    assert client.post(reverse("login"), {"username": "coord", "password": PASSWORD}).status_code == 302
