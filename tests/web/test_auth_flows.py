"""Sign up, log in, lock-out, log out, change and reset a password — through real requests."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from carepath.accounts.models import User
from carepath.audit.models import AuditAction, AuditEvent
from tests.conftest import PASSWORD
from tests.sign_in import app_device_for, fresh_code, sign_in

pytestmark = pytest.mark.django_db


def test_sign_up_logs_the_person_in_as_a_help_seeker(client: Client) -> None:
    response = client.post(
        reverse("signup"),
        {
            "username": "willow",
            "password": PASSWORD,
            "password_again": PASSWORD,
            "email": "",
            "display_name": "Wil",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("role_home")
    assert "Welcome, Wil" in response.content.decode()
    assert User.objects.get(username="willow").role == "help_seeker"
    assert AuditEvent.objects.filter(action=AuditAction.SIGNUP).count() == 1


def test_sign_up_cannot_choose_a_role(client: Client) -> None:
    client.post(
        reverse("signup"),
        {"username": "sly", "password": PASSWORD, "password_again": PASSWORD, "role": "coordinator"},
    )
    assert User.objects.get(username="sly").role == "help_seeker"


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"username": "", "password": PASSWORD, "password_again": PASSWORD}, "This field is required."),
        ({"username": "x", "password": PASSWORD, "password_again": "different-phrase"}, "do not match"),
        ({"username": "x", "password": "password1234", "password_again": "password1234"}, "too common"),
        ({"username": "x", "password": "123456789012", "password_again": "123456789012"}, "entirely numeric"),
        ({"username": "seeker", "password": PASSWORD, "password_again": PASSWORD}, "already taken"),
    ],
)
def test_bad_sign_up_shows_the_problem_beside_the_field(
    client: Client, personas: dict[str, Any], form: dict[str, str], message: str
) -> None:
    before = User.objects.count()
    response = client.post(reverse("signup"), form)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page and 'class="field-error"' in page
    assert User.objects.count() == before


def test_log_in_and_out_are_audited(client: Client, personas: dict[str, Any]) -> None:
    device = app_device_for(personas["professional"])
    response = client.post(reverse("login"), {"username": "pro", "password": PASSWORD}, follow=True)
    assert "Enter your sign-in code" in response.content.decode()  # professionals have a second step
    response = client.post(reverse("two_factor_verify"), {"code": fresh_code(device)}, follow=True)
    assert "Referrals" in response.content.decode()
    response = client.post(reverse("logout"), follow=True)
    assert "You have logged out" in response.content.decode()
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions == [AuditAction.LOGIN, AuditAction.TWO_FACTOR_VERIFIED, AuditAction.LOGOUT]


def test_a_wrong_password_is_refused_and_audited(client: Client, personas: dict[str, Any]) -> None:
    response = client.post(reverse("login"), {"username": "pro", "password": "wrong-password"})
    assert response.status_code == 200
    assert "enter a correct username and password" in response.content.decode()
    event = AuditEvent.objects.get()
    assert (event.action, event.outcome, event.actor_label) == (AuditAction.LOGIN_FAILED, "failure", "pro")


def test_five_failures_lock_the_account_with_a_clear_message(
    client: Client, personas: dict[str, Any]
) -> None:
    for _ in range(5):
        client.post(reverse("login"), {"username": "pro", "password": "wrong-password"})
    response = client.post(reverse("login"), {"username": "pro", "password": PASSWORD})
    assert response.status_code == 429
    assert "locked for one hour" in response.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.LOCKED_OUT).exists()
    assert not AuditEvent.objects.filter(action=AuditAction.LOGIN).exists()


def test_password_change(client: Client, personas: dict[str, Any]) -> None:
    sign_in(client, personas["help_seeker"])
    new = "a-brand-new-passphrase"
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
        follow=True,
    )
    assert "Your password has been changed" in response.content.decode()
    assert client.get(reverse("role_home")).status_code == 200  # still signed in
    personas["help_seeker"].refresh_from_db()
    assert personas["help_seeker"].check_password(new)
    assert AuditEvent.objects.filter(action=AuditAction.PASSWORD_CHANGED).count() == 1


def test_password_reset_by_email_link(client: Client, make_account: Any) -> None:
    make_account("river", email="river@example.org")
    client.post(reverse("password_reset"), {"email": "river@example.org"})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/password/reset/\S+)", mail.outbox[0].body)
    assert link is not None
    form_page = client.get(link.group(1), follow=True)
    new = "reset-passphrase-here"
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}, follow=True
    )
    assert "Your new password is saved" in response.content.decode()
    assert User.objects.get(username="river").check_password(new)
    assert AuditEvent.objects.filter(action=AuditAction.PASSWORD_RESET).count() == 1


def test_password_reset_does_not_reveal_whether_an_email_is_known(client: Client) -> None:
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"}, follow=True)
    assert "If an account uses that address" in response.content.decode()
    assert mail.outbox == []
