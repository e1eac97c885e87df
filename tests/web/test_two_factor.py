"""Two-factor sign-in through real requests: set-up, the code step, recovery codes, turning it off."""

from __future__ import annotations

import datetime as dt
import re
from base64 import b32decode
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from carepath.accounts.two_factor_models import RecoveryCode
from carepath.audit.models import AuditAction, AuditEvent
from tests.conftest import PASSWORD
from tests.sign_in import app_device_for, fresh_code, sign_in

pytestmark = pytest.mark.django_db

CODE_STEP = reverse("two_factor_verify")
SET_UP = reverse("two_factor_set_up")
SHOWN_CODE = r"<li><code>([a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4})</code></li>"


def log_in_with_password(client: Client, username: str, next_page: str = "") -> Any:
    data = {"username": username, "password": PASSWORD, **({"next": next_page} if next_page else {})}
    return client.post(reverse("login"), data)


def code_from_page(page: str) -> str:
    """What a person does at set-up: type the key shown on the page into an app, read its code."""
    match = re.search(r'<code id="two-factor-key">([A-Z2-7 ]+)</code>', page)
    assert match is not None, "the set-up page shows the key as text"
    key = match.group(1).replace(" ", "")
    return f"{TOTP(b32decode(key + '=' * (-len(key) % 8))).token():06d}"


def turn_on(client: Client) -> list[str]:
    """Set up from the account page as a signed-in person; returns the recovery codes shown."""
    page = client.get(SET_UP).content.decode()
    response = client.post(SET_UP, {"code": code_from_page(page), "next": reverse("account")})
    assert response.status_code == 200
    return re.findall(SHOWN_CODE, response.content.decode())


def failures(account: Any) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(action=AuditAction.TWO_FACTOR_FAILED, actor=account).order_by("sequence")
    )


def test_the_set_up_page_shows_a_qr_code_and_the_key_as_text(
    client: Client, personas: dict[str, Any]
) -> None:
    sign_in(client, personas["help_seeker"])
    response = client.get(SET_UP)
    page = response.content.decode()
    assert response["Cache-Control"] == "no-store"
    assert '<svg role="img" aria-label="QR code to add Carepath to an authenticator app"' in page
    assert "style=" not in page  # the policy forbids inline styles; the QR code is paths only
    assert "<dd>Carepath</dd>" in page and "<dd>seeker</dd>" in page
    groups = re.search(r'<code id="two-factor-key">([^<]+)</code>', page)
    assert groups is not None and all(len(group) == 4 for group in groups.group(1).split(" "))
    assert client.get(SET_UP).content.decode().count(groups.group(1)) == 1  # the same key on reload
    device = TOTPDevice.objects.get(user=personas["help_seeker"])
    assert not device.confirmed  # nothing counts until a first code is typed
    assert "otpauth" not in page  # the address is drawn into the QR code, not printed


def test_a_help_seeker_may_turn_it_on_and_then_needs_the_code(
    client: Client, personas: dict[str, Any]
) -> None:
    seeker = personas["help_seeker"]
    sign_in(client, seeker)
    codes = turn_on(client)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert AuditEvent.objects.filter(action=AuditAction.TWO_FACTOR_ENABLED, actor=seeker).count() == 1
    assert client.get(reverse("role_home")).status_code == 200  # this session is verified already
    account_page = client.get(reverse("account")).content.decode()
    assert "Two-factor sign-in is on" in account_page and "You have 10 recovery codes left." in account_page

    fresh = Client()
    log_in_with_password(fresh, "seeker")
    response = fresh.get(reverse("role_home"))
    assert response["Location"] == f"{CODE_STEP}?next=%2Fhome%2F"
    device = TOTPDevice.objects.get(user=seeker, confirmed=True)
    response = fresh.post(CODE_STEP, {"code": fresh_code(device), "next": "/home/"})
    assert response.status_code == 302 and response["Location"] == "/home/"
    assert fresh.get(reverse("role_home")).status_code == 200


def test_a_wrong_first_code_does_not_turn_it_on(client: Client, personas: dict[str, Any]) -> None:
    sign_in(client, personas["help_seeker"])
    client.get(SET_UP)
    response = client.post(SET_UP, {"code": "000000"})
    assert response.status_code == 400 and "That code was not accepted" in response.content.decode()
    assert not TOTPDevice.objects.filter(confirmed=True).exists()
    assert [event.details["step"] for event in failures(personas["help_seeker"])] == ["set-up"]


def test_a_wrong_code_is_refused_and_audited_without_the_code(
    client: Client, personas: dict[str, Any]
) -> None:
    coordinator = personas["coordinator"]
    device = app_device_for(coordinator)
    log_in_with_password(client, "coord")
    wrong = "314159" if fresh_code(device) != "314159" else "271828"
    response = client.post(CODE_STEP, {"code": wrong})
    assert response.status_code == 400
    page = response.content.decode()
    assert "That code was not accepted" in page and 'class="field-error"' in page
    assert client.get(reverse("role_home")).status_code == 302  # still not in
    [event] = failures(coordinator)
    assert event.outcome == "failure" and event.details["step"] == "sign-in"
    assert event.details["reason"] == "wrong or used code"
    stored = " ".join(
        str(value) for value in AuditEvent.objects.values_list("details", "actor_label", "subject_id")
    )
    assert wrong not in stored


def test_a_code_that_was_used_once_is_refused_the_second_time(personas: dict[str, Any]) -> None:
    device = app_device_for(personas["professional"])
    code = fresh_code(device)
    first, second = Client(), Client()
    for client in (first, second):
        log_in_with_password(client, "pro")
    assert first.post(CODE_STEP, {"code": code}).status_code == 302
    replay = second.post(CODE_STEP, {"code": code})
    assert replay.status_code == 400 and "Each code works only once" in replay.content.decode()
    assert second.get(reverse("role_home")).status_code == 302


def test_verifying_renews_the_session_key(client: Client, personas: dict[str, Any]) -> None:
    device = app_device_for(personas["coordinator"])
    log_in_with_password(client, "coord")
    before = client.cookies["sessionid"].value
    client.post(CODE_STEP, {"code": fresh_code(device)})
    after = client.cookies["sessionid"].value
    assert after != before
    assert client.get(reverse("role_home")).status_code == 200
    assert AuditEvent.objects.filter(action=AuditAction.TWO_FACTOR_VERIFIED).count() == 1


def test_a_recovery_code_works_once(client: Client, personas: dict[str, Any]) -> None:
    sign_in(client, personas["help_seeker"])
    codes = turn_on(client)
    fresh, again = Client(), Client()
    log_in_with_password(fresh, "seeker")
    response = fresh.post(
        CODE_STEP, {"code": codes[0].upper().replace("-", " "), "next": "/home/"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/home/"
    assert "You signed in with a recovery code" in response.content.decode()
    assert "you have 9 left" in response.content.decode()
    event = AuditEvent.objects.get(action=AuditAction.TWO_FACTOR_VERIFIED)
    assert event.details["method"] == "recovery code" and event.details["recovery_codes_left"] == 9
    log_in_with_password(again, "seeker")
    assert again.post(CODE_STEP, {"code": codes[0]}).status_code == 400
    assert RecoveryCode.objects.count() == 9


def test_renewing_recovery_codes_stops_the_old_ones(client: Client, personas: dict[str, Any]) -> None:
    sign_in(client, personas["help_seeker"])
    old = turn_on(client)
    page = client.get(reverse("two_factor_recovery_codes")).content.decode()
    assert "You have 10 recovery codes left." in page
    response = client.post(reverse("two_factor_recovery_codes"))
    assert response["Cache-Control"] == "no-store"
    new = re.findall(SHOWN_CODE, response.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    with_new, with_old = Client(), Client()
    log_in_with_password(with_new, "seeker")
    log_in_with_password(with_old, "seeker")
    assert with_new.post(CODE_STEP, {"code": new[0]}).status_code == 302
    assert with_old.post(CODE_STEP, {"code": old[0]}).status_code == 400


def test_repeated_wrong_codes_make_it_wait_before_checking_another(
    client: Client, personas: dict[str, Any]
) -> None:
    device = app_device_for(personas["professional"])
    log_in_with_password(client, "pro")
    right = fresh_code(device)
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(3):
        client.post(CODE_STEP, {"code": wrong})
        wait_out_the_back_off(device)  # so each wrong code is checked and counted
    device.refresh_from_db()
    assert device.throttling_failure_count == 3
    device.throttling_failure_timestamp = timezone.now()  # the third wrong code was just now
    device.save()
    refused = client.post(CODE_STEP, {"code": right})  # right, but within the 4-second back-off
    assert refused.status_code == 400
    assert "several wrong codes in a row" in refused.content.decode()
    assert failures(personas["professional"])[-1].details["reason"] == "too many wrong codes"
    wait_out_the_back_off(device)
    assert client.post(CODE_STEP, {"code": right}).status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 0  # a right code starts the count again


def wait_out_the_back_off(device: Any) -> None:
    device.refresh_from_db()
    if device.throttling_failure_timestamp is not None:
        device.throttling_failure_timestamp -= dt.timedelta(hours=1)
        device.save(update_fields=["throttling_failure_timestamp"])


def test_turning_it_off_needs_a_current_code(client: Client, personas: dict[str, Any]) -> None:
    seeker = personas["help_seeker"]
    sign_in(client, seeker)
    turn_on(client)
    turn_off = reverse("two_factor_turn_off")
    assert client.post(turn_off, {"code": ""}).status_code == 400
    assert client.post(turn_off, {"code": "12345a"}).status_code == 400
    assert TOTPDevice.objects.filter(user=seeker).exists()
    device = TOTPDevice.objects.get(user=seeker)
    response = client.post(turn_off, {"code": fresh_code(device)}, follow=True)
    assert "Two-factor sign-in is off" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=seeker).exists() and not RecoveryCode.objects.exists()
    assert AuditEvent.objects.filter(action=AuditAction.TWO_FACTOR_DISABLED, actor=seeker).count() == 1
    fresh = Client()
    log_in_with_password(fresh, "seeker")
    assert fresh.get(reverse("role_home")).status_code == 200  # the password alone again


@pytest.mark.parametrize("role", ["professional", "coordinator"])
def test_roles_that_require_it_cannot_turn_it_off(
    client: Client, personas: dict[str, Any], role: str
) -> None:
    account = personas[role]
    sign_in(client, account)
    device = TOTPDevice.objects.get(user=account)
    assert client.get(reverse("two_factor_turn_off")).status_code == 403
    response = client.post(reverse("two_factor_turn_off"), {"code": fresh_code(device)})
    assert response.status_code == 403 and "must stay on" in response.content.decode()
    assert TOTPDevice.objects.filter(user=account).exists()
    assert "Turn off two-factor sign-in" not in client.get(reverse("account")).content.decode()
