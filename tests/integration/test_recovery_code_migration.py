"""The migration that moved recovery codes to hashes keeps every person's codes working, once each,
and leaves no plain code behind (accounts migration 0004)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from carepath.accounts import two_factor_services as services
from carepath.accounts.models import User
from carepath.accounts.two_factor_models import RecoveryCode, RecoveryCodeDevice
from tests.migration_steps import latest, migrate

BEFORE_HASHES = [("accounts", "0003_recovery_code_hashes"), ("otp_static", "0003_add_timestamps")]
PLAIN_CODES = ["abcd2345", "efgh6723", "ijkl2233"]  # django-otp's format: 8 base32 characters
MADE_AT = timezone.now() - dt.timedelta(days=40)


def write_plain_codes(old: Any) -> None:
    users = old.get_model("accounts", "User")
    devices = old.get_model("otp_static", "StaticDevice")
    tokens = old.get_model("otp_static", "StaticToken")
    person = users.objects.create(username="earlier-person", role="help_seeker")
    device = devices.objects.create(
        user=person, name="Recovery codes", confirmed=True, throttling_failure_count=2
    )
    devices.objects.filter(pk=device.pk).update(created_at=MADE_AT)
    tokens.objects.bulk_create(tokens(device=device, token=code) for code in PLAIN_CODES)
    other = users.objects.create(username="earlier-other", role="help_seeker")
    devices.objects.create(user=other, name="never confirmed", confirmed=False)


def stored_text() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT salt, digest FROM accounts_recoverycode")
        return " ".join(value for row in cursor.fetchall() for value in row)


@pytest.mark.django_db(transaction=True)
def test_plain_codes_become_hashes_that_still_work_once() -> None:
    executor = migrate(BEFORE_HASHES)
    try:
        write_plain_codes(executor.loader.project_state(BEFORE_HASHES).apps)
        migrate(latest())

        assert not StaticToken.objects.exists() and not StaticDevice.objects.exists()
        assert not any(code in stored_text() for code in PLAIN_CODES)
        person = User.objects.get(username="earlier-person")
        device = RecoveryCodeDevice.objects.get(user=person)
        assert (device.name, device.confirmed, device.throttling_failure_count) == ("Recovery codes", True, 2)
        assert device.created_at == MADE_AT
        assert RecoveryCode.objects.filter(device=device).count() == 3
        other = RecoveryCodeDevice.objects.get(user__username="earlier-other")
        assert not other.confirmed and not other.codes.exists()

        device.throttle_reset()  # the two wrong codes carried over would make the next one wait
        assert services.verify_sign_in(person, "ABCD-2345").method == services.RECOVERY_CODE
        with pytest.raises(services.CodeRefused):
            services.verify_sign_in(person, "abcd2345")
        assert RecoveryCode.objects.filter(device=device).count() == 2
    finally:
        migrate(latest())
