"""Reading an account's two-factor sign-in: its authenticator-app device and recovery codes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django_otp.plugins.otp_totp.models import TOTPDevice

from carepath.accounts.two_factor_models import RecoveryCode


@dataclass(frozen=True)
class TwoFactorSummary:
    """What the account page says about two-factor sign-in."""

    on: bool
    turned_on_at: Any  # datetime | None
    recovery_codes_left: int


def app_device(account: Any) -> TOTPDevice | None:
    """The confirmed authenticator-app device; there is at most one."""
    return TOTPDevice.objects.filter(user=account, confirmed=True).order_by("pk").first()


def pending_app_device(account: Any) -> TOTPDevice | None:
    """A device being set up: its key has been shown, but no code from it has been accepted yet."""
    return TOTPDevice.objects.filter(user=account, confirmed=False).order_by("-pk").first()


def has_two_factor(account: Any) -> bool:
    """Two-factor sign-in is on once an app device is confirmed (recovery codes come with it)."""
    return bool(TOTPDevice.objects.filter(user=account, confirmed=True).exists())


def recovery_codes_left(account: Any) -> int:
    return int(RecoveryCode.objects.filter(device__user=account, device__confirmed=True).count())


def two_factor_summary(account: Any) -> TwoFactorSummary:
    device = app_device(account)
    if device is None:
        return TwoFactorSummary(on=False, turned_on_at=None, recovery_codes_left=0)
    return TwoFactorSummary(
        on=True, turned_on_at=device.created_at, recovery_codes_left=recovery_codes_left(account)
    )
