"""Signing a test client in as an account, the one way every test does it.

Kept in one place because signing in is more than `force_login` for some roles: professionals
and coordinators must also pass two-factor sign-in before they can use Carepath. For them (and
anyone who turned it on) `sign_in` gives the account a confirmed authenticator-app device if it
has none and marks the session verified with it, exactly as django-otp does after a right code.
The code step itself, with its audit events, throttling and replay refusal, is tested through real
requests in tests/web/test_two_factor*.py; here it would only add audit events to other tests.
"""

from __future__ import annotations

import time
from typing import Any

TEST_DEVICE_NAME = "Test authenticator"


def sign_in(client: Any, account: Any) -> None:
    """Sign `client` in as `account`, as far as that account's role requires."""
    client.force_login(account)
    device = app_device_for(account)
    if device is not None:
        _verify_session(client, account, device)


def signed_in_client(account: Any) -> Any:
    """A new test client signed in as `account` (`sign_in`)."""
    from django.test import Client

    client = Client()
    sign_in(client, account)
    return client


def app_device_for(account: Any) -> Any | None:
    """The account's confirmed app device; one is made for roles that require two-factor sign-in."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from carepath import policy

    device = TOTPDevice.objects.filter(user=account, confirmed=True).first()
    if device is None and policy.requires_two_factor(account):
        device = TOTPDevice.objects.create(user=account, name=TEST_DEVICE_NAME, confirmed=True)
    return device


def fresh_code(device: Any) -> str:
    """A code the device will accept now: the current time step's, or a later one within the
    tolerance when the current one was already used (the device refuses a code used before)."""
    from django_otp.oath import TOTP, hotp

    while True:
        device.refresh_from_db()
        now_step = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).t()
        for step in range(now_step, now_step + device.tolerance + 1):
            if step > device.last_t:
                return f"{hotp(device.bin_key, step, digits=device.digits):0{device.digits}d}"
        time.sleep(1)  # every code within the tolerance is used: wait for the next time step


def _verify_session(client: Any, account: Any, device: Any) -> None:
    from django.http import HttpRequest
    from django_otp import login as otp_login

    session = client.session
    request = HttpRequest()
    request.session = session
    request.user = account
    otp_login(request, device)
    session.save()
