"""Recovery codes are kept only as salted hashes, work once, back off after wrong codes, and a new
set replaces the old one entirely (carepath.accounts.two_factor_models)."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from carepath.accounts import two_factor_services as services
from carepath.accounts.two_factor_models import RecoveryCode, RecoveryCodeDevice
from carepath.audit.models import AuditAction, AuditEvent
from carepath.rights.selectors import personal_data_document
from carepath.rights.services.erasure import erase_account
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def with_codes(account: Any) -> list[str]:
    """Two-factor sign-in on (a confirmed app device) and a fresh set of recovery codes."""
    TOTPDevice.objects.create(user=account, name="phone", confirmed=True)
    return services.renew_recovery_codes(account)


def every_stored_value() -> str:
    """Every column of every row of the recovery-code tables, ours and django-otp's, as raw text."""
    tables = [RecoveryCodeDevice, RecoveryCode, StaticDevice, StaticToken]
    with connection.cursor() as cursor:
        rows: list[Any] = []
        for model in tables:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(model._meta.db_table)}")
            rows += cursor.fetchall()
    return " ".join(str(value) for row in rows for value in row)


def back_off_over(account: Any) -> None:
    device = RecoveryCodeDevice.objects.get(user=account)
    if device.throttling_failure_timestamp is not None:
        device.throttling_failure_timestamp -= dt.timedelta(hours=1)
        device.save(update_fields=["throttling_failure_timestamp"])


def test_codes_are_random_with_60_bits_and_shown_in_groups_of_four(personas: dict[str, Any]) -> None:
    codes = with_codes(personas["help_seeker"])
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(re.fullmatch(r"[a-z2-7]{12}", code) for code in codes)  # 12 characters of 5 bits
    assert re.fullmatch(r"[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}", services.shown_recovery_code(codes[0]))


def test_the_database_holds_no_recovery_code_only_salted_hashes(personas: dict[str, Any]) -> None:
    codes = with_codes(personas["help_seeker"])
    stored = every_stored_value()
    for code in codes:
        assert code not in stored and code.upper() not in stored
        assert services.shown_recovery_code(code) not in stored
    hashes = list(RecoveryCode.objects.values_list("salt", "digest"))
    assert len(hashes) == 10 and len({salt for salt, _ in hashes}) == 10  # a salt of its own each
    assert not StaticToken.objects.exists() and not StaticDevice.objects.exists()


def test_the_same_code_for_two_people_is_stored_differently(personas: dict[str, Any]) -> None:
    first, second = (
        RecoveryCodeDevice.objects.create(user=personas[name]) for name in ("help_seeker", "professional")
    )
    one = RecoveryCode.for_code(first, "abcdabcdabcd")
    other = RecoveryCode.for_code(second, "abcdabcdabcd")
    assert one.digest != other.digest and one.matches("abcdabcdabcd") and other.matches("abcdabcdabcd")
    assert not one.matches("abcdabcdabce")


def test_a_code_works_once(personas: dict[str, Any]) -> None:
    seeker = personas["help_seeker"]
    codes = with_codes(seeker)
    shown = services.shown_recovery_code(codes[3]).upper()  # as a person might type it
    verified = services.verify_sign_in(seeker, shown)
    assert verified.method == services.RECOVERY_CODE
    assert isinstance(verified.device, RecoveryCodeDevice)
    assert RecoveryCode.objects.count() == 9
    assert RecoveryCodeDevice.objects.get(user=seeker).last_used_at is not None
    with pytest.raises(services.CodeRefused) as refused:
        services.verify_sign_in(seeker, codes[3])
    assert refused.value.reason == "wrong or used code"
    back_off_over(seeker)
    assert services.verify_sign_in(seeker, codes[4]).method == services.RECOVERY_CODE


def test_a_code_is_only_good_for_its_own_account(personas: dict[str, Any]) -> None:
    mine = with_codes(personas["help_seeker"])
    with_codes(personas["other_help_seeker"])
    with pytest.raises(services.CodeRefused):
        services.verify_sign_in(personas["other_help_seeker"], mine[0])
    assert RecoveryCode.objects.count() == 20


def test_wrong_codes_make_it_wait_even_for_a_right_one(personas: dict[str, Any]) -> None:
    seeker = personas["help_seeker"]
    codes = with_codes(seeker)
    for attempt in range(1, 4):
        with pytest.raises(services.CodeRefused) as refused:
            services.verify_sign_in(seeker, "wrongwrongwr")
        assert refused.value.reason == "wrong or used code"
        assert RecoveryCodeDevice.objects.get(user=seeker).throttling_failure_count == attempt
        back_off_over(seeker)
    with pytest.raises(services.CodeRefused):
        services.verify_sign_in(seeker, "wrongwrongwr")
    with pytest.raises(services.CodeRefused) as waiting:
        services.verify_sign_in(seeker, codes[0])  # right, but within the 8-second back-off
    assert waiting.value.reason == "too many wrong codes"
    assert RecoveryCode.objects.count() == 10  # a code refused unread is not used up
    back_off_over(seeker)
    services.verify_sign_in(seeker, codes[0])
    assert RecoveryCodeDevice.objects.get(user=seeker).throttling_failure_count == 0
    reasons = [
        event.details["reason"]
        for event in AuditEvent.objects.filter(action=AuditAction.TWO_FACTOR_FAILED).order_by("sequence")
    ]
    assert reasons == ["wrong or used code"] * 4 + ["too many wrong codes"]


def test_renewing_replaces_every_code(personas: dict[str, Any]) -> None:
    seeker = personas["help_seeker"]
    old = with_codes(seeker)
    services.verify_sign_in(seeker, old[0])
    new = services.renew_recovery_codes(seeker)
    assert not set(new) & set(old)
    assert RecoveryCodeDevice.objects.filter(user=seeker).count() == 1
    assert RecoveryCode.objects.filter(device__user=seeker).count() == 10
    for code in old[1:]:
        with pytest.raises(services.CodeRefused):
            services.verify_sign_in(seeker, code)
        back_off_over(seeker)
    assert services.verify_sign_in(seeker, new[0]).method == services.RECOVERY_CODE


def test_the_device_refuses_what_is_not_text(personas: dict[str, Any]) -> None:
    device = RecoveryCodeDevice.objects.create(user=personas["help_seeker"])
    RecoveryCode.for_code(device, "abcdabcdabcd").save()
    assert device.verify_token(None) is False and device.verify_token(b"abcdabcdabcd") is False
    assert device.verify_token("abcdabcdabcd") is True


def test_the_export_lists_the_recovery_codes_without_their_hashes(personas: dict[str, Any]) -> None:
    seeker = personas["help_seeker"]
    with_codes(seeker)
    [device] = personal_data_document(seeker, timezone.now())["sections"]["two_factor_recovery_codes"]
    assert device["name"] == services.RECOVERY_DEVICE_NAME and device["confirmed"] is True
    text = json.dumps(device)
    assert not any(
        salt in text or digest in text for salt, digest in RecoveryCode.objects.values_list("salt", "digest")
    )


def test_erasing_the_account_removes_its_recovery_codes(personas: dict[str, Any]) -> None:
    seeker = personas["help_seeker"]
    with_codes(seeker)
    with_codes(personas["other_help_seeker"])
    erase_account(actor=seeker, account=seeker, password=PASSWORD)
    assert not RecoveryCodeDevice.objects.filter(user=seeker).exists()
    assert RecoveryCode.objects.count() == 10  # the other person's stay
