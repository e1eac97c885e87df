"""`carepath two-factor reset`: a coordinator resets a lost authenticator, in one transaction with
an audit event naming who did it and why; anything else is refused and changes nothing."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.contrib import admin
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from carepath.accounts import two_factor_services
from carepath.accounts.two_factor_models import RecoveryCode, RecoveryCodeDevice
from carepath.audit.models import AuditAction, AuditEvent
from tests.conftest import PASSWORD
from tests.sign_in import sign_in

pytestmark = pytest.mark.django_db

REASON = "Lost phone; identity checked by video call with their team lead"


def reset(user: str, by: str, reason: str = REASON) -> str:
    out = StringIO()
    call_command("two-factor", "reset", "--user", user, "--by", by, "--reason", reason, stdout=out)
    return out.getvalue()


def with_two_factor(account: Any) -> None:
    TOTPDevice.objects.create(user=account, name="phone", confirmed=True)
    TOTPDevice.objects.create(user=account, name="half set up", confirmed=False)
    two_factor_services.renew_recovery_codes(account)


def last_sequence() -> int:
    latest = AuditEvent.objects.order_by("-sequence").first()
    return latest.sequence if latest is not None else 0


def devices_of(account: Any) -> int:
    return (
        TOTPDevice.objects.filter(user=account).count()
        + RecoveryCodeDevice.objects.filter(user=account).count()
    )


def test_a_coordinator_resets_a_professionals_lost_authenticator(personas: dict[str, Any]) -> None:
    professional, coordinator = personas["professional"], personas["coordinator"]
    with_two_factor(professional)
    with_two_factor(personas["other_help_seeker"])  # someone else's stays as it is
    before = last_sequence()

    said = reset("PRO", "coord")

    assert devices_of(professional) == 0
    assert not RecoveryCode.objects.filter(device__user=professional).exists()
    assert devices_of(personas["other_help_seeker"]) == 3
    [event] = AuditEvent.objects.filter(sequence__gt=before)
    assert event.action == AuditAction.TWO_FACTOR_DISABLED and event.outcome == "success"
    assert (event.actor_id, event.actor_label) == (coordinator.pk, "coord")
    assert (event.subject_type, event.subject_id) == ("account", str(professional.pk))
    assert event.details == {"method": "reset by a coordinator", "reason": REASON}
    assert "pro is reset" in said and "must set it up again at their next sign-in" in said
    assert "done by coord" in said


def test_after_a_reset_staff_must_set_up_again_and_verified_sessions_stop_counting(
    personas: dict[str, Any],
) -> None:
    professional = personas["professional"]
    verified = Client()
    sign_in(verified, professional)
    two_factor_services.renew_recovery_codes(professional)
    assert verified.get(reverse("role_home")).status_code == 200

    reset("pro", "coord")

    # The device this session was verified with is gone, so the session is verified no longer.
    assert verified.get(reverse("role_home"))["Location"].startswith(reverse("two_factor_set_up"))
    fresh = Client()
    fresh.post(reverse("login"), {"username": "pro", "password": PASSWORD})
    assert fresh.get(reverse("role_home"))["Location"].startswith(reverse("two_factor_set_up"))


def test_a_help_seeker_signs_in_with_the_password_alone_after_a_reset(personas: dict[str, Any]) -> None:
    with_two_factor(personas["help_seeker"])
    said = reset("seeker", "coord")
    assert "their password alone signs them in" in said
    fresh = Client()
    fresh.post(reverse("login"), {"username": "seeker", "password": PASSWORD})
    assert fresh.get(reverse("role_home")).status_code == 200


@pytest.mark.parametrize(
    ("user", "by", "reason", "message"),
    [
        ("nobody", "coord", REASON, "--user: no account is called 'nobody'"),
        ("seeker", "nobody", REASON, "--by: no account is called 'nobody'"),
        ("seeker", "pro", REASON, "--by: pro may not do this"),
        ("seeker", "peer", REASON, "--by: peer may not do this"),
        ("coord", "coord", REASON, "--by: coord may not do this"),
        ("seeker", "coord", "   ", "--reason: say why"),
        ("seeker", "coord", "x" * 501, "--reason: at most 500 characters"),
        ("other-seeker", "coord", REASON, "--user: other-seeker has no two-factor sign-in to reset"),
    ],
)
def test_refusals_name_the_option_and_change_nothing(
    personas: dict[str, Any], user: str, by: str, reason: str, message: str
) -> None:
    for name in ("help_seeker", "coordinator"):
        with_two_factor(personas[name])
    before = last_sequence()
    with pytest.raises(CommandError, match=message) as refused:
        reset(user, by, reason)
    assert refused.value.returncode == 2
    assert devices_of(personas["help_seeker"]) == 3 and devices_of(personas["coordinator"]) == 3
    assert last_sequence() == before


def test_an_inactive_coordinator_may_not_reset(personas: dict[str, Any]) -> None:
    with_two_factor(personas["help_seeker"])
    personas["coordinator"].is_active = False
    personas["coordinator"].save()
    with pytest.raises(CommandError, match="--by: coord may not do this"):
        reset("seeker", "coord")
    assert devices_of(personas["help_seeker"]) == 3


def test_nothing_is_removed_when_the_audit_event_cannot_be_written(
    personas: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    with_two_factor(personas["help_seeker"])

    def failing_record_event(**_: Any) -> None:
        raise RuntimeError("the audit trail is unavailable")

    monkeypatch.setattr(two_factor_services, "record_event", failing_record_event)
    with pytest.raises(RuntimeError):
        reset("seeker", "coord")
    assert devices_of(personas["help_seeker"]) == 3
    assert RecoveryCode.objects.filter(device__user=personas["help_seeker"]).count() == 10


def test_the_admin_has_no_two_factor_device_pages() -> None:
    # They deleted devices unaudited and could add recovery codes of one's choosing to any account.
    for model in (TOTPDevice, StaticDevice, RecoveryCodeDevice, RecoveryCode):
        assert not admin.site.is_registered(model)
    for name in ("admin:otp_totp_totpdevice_changelist", "admin:otp_static_staticdevice_changelist"):
        with pytest.raises(NoReverseMatch):
            reverse(name)
