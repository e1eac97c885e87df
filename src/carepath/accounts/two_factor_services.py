"""Two-factor sign-in: turning it on and off, checking a code at sign-in, renewing recovery codes,
and a coordinator's reset for someone who lost their app.

Every step writes its audit event in the same transaction as the change, a refused code included
(with why it was refused, never the code typed). Codes are checked by django-otp devices, which
refuse a code already used (an app code's time step must be later than the last one accepted; a
recovery code's hash is deleted when used, carepath.accounts.two_factor_models) and back off after
each wrong code: 1, 2, 4, 8… seconds must pass before the next code is even looked at.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice

from carepath import policy
from carepath.accounts.two_factor_models import RecoveryCode, RecoveryCodeDevice, new_recovery_code
from carepath.accounts.two_factor_selectors import has_two_factor
from carepath.audit.auth_events import pseudonymous_marker
from carepath.audit.models import AuditAction, AuditOutcome
from carepath.audit.services import record_event
from carepath.audit.subjects import ACCOUNT
from carepath.errors import ApplicationError, FieldProblem, NotPermitted

RECOVERY_CODE_COUNT = 10
APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"
APP = "app"
RECOVERY_CODE = "recovery code"
RESET = "reset by a coordinator"
REASON_MAX_LENGTH = 500
SHOWN_GROUP = 4


class CodeRefused(ApplicationError):
    """A code that was not accepted. The message is safe to show and never repeats the code."""

    def __init__(self, message: str, *, reason: str) -> None:
        self.reason = reason
        super().__init__(message)


class NothingToReset(ApplicationError):
    """The account has no two-factor device or recovery codes."""


@dataclass(frozen=True)
class TurnedOn:
    device: TOTPDevice
    recovery_codes: list[str]


@dataclass(frozen=True)
class Verified:
    device: Device
    method: str


def normalised_code(typed: str) -> str:
    """Spaces and dashes people copy along with a code are not part of it; recovery codes are lower case."""
    return "".join(typed.split()).replace("-", "").lower()


def shown_recovery_code(code: str) -> str:
    """Recovery codes are shown in groups of four so they are easier to copy by hand."""
    return "-".join(code[start : start + SHOWN_GROUP] for start in range(0, len(code), SHOWN_GROUP))


def start_set_up(account: Any) -> TOTPDevice:
    """The device being set up, made on first visit and kept, so the key shown stays the same."""
    if has_two_factor(account):
        raise NotPermitted("two-factor sign-in is already on")
    with transaction.atomic():
        device = TOTPDevice.objects.filter(user=account, confirmed=False).order_by("-pk").first()
        if device is None:
            device = TOTPDevice.objects.create(user=account, name=APP_DEVICE_NAME, confirmed=False)
    return device


def confirm_set_up(account: Any, typed_code: str, *, address: str | None = None) -> TurnedOn:
    """The first code from the app turns two-factor sign-in on and makes fresh recovery codes."""
    code = normalised_code(typed_code)
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=account, confirmed=False)
            .order_by("-pk")
            .first()
        )
        if device is None or has_two_factor(account):
            raise NotPermitted("there is no set-up in progress")
        refusal = _check(device, code)
        if refusal is None:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=account, confirmed=False).delete()
            codes = _new_recovery_codes(account)
            _audit(AuditAction.TWO_FACTOR_ENABLED, account, address, method=APP)
        else:
            _audit_refusal(account, address, step="set-up", method=APP, reason=refusal.reason)
    if refusal is not None:
        raise refusal
    return TurnedOn(device=device, recovery_codes=codes)


def verify_sign_in(account: Any, typed_code: str, *, address: str | None = None) -> Verified:
    """Check the second factor at sign-in: a code from the app, or one of the recovery codes."""
    code = normalised_code(typed_code)
    with transaction.atomic():
        device, method = _locked_device_for(account, code)
        refusal = _check(device, code)
        if refusal is None and device is None:  # _check refuses a missing device; never trust that alone
            raise NotPermitted("two-factor sign-in is not set up")
        if refusal is None:
            extra = {"recovery_codes_left": _codes_left(device)} if method == RECOVERY_CODE else {}
            _audit(AuditAction.TWO_FACTOR_VERIFIED, account, address, method=method, **extra)
        else:
            _audit_refusal(account, address, step="sign-in", method=method, reason=refusal.reason)
    if refusal is not None:
        raise refusal
    return Verified(device=device, method=method)


def turn_off(account: Any, typed_code: str, *, address: str | None = None) -> None:
    """Remove the app device and recovery codes, after a current code; never for roles that need it."""
    if not policy.can_turn_off_two_factor(account):
        raise NotPermitted("two-factor sign-in is required for this role")
    code = normalised_code(typed_code)
    with transaction.atomic():
        device, method = _locked_device_for(account, code)
        refusal = _check(device, code)
        if refusal is None:
            _remove_devices(account)
            _audit(AuditAction.TWO_FACTOR_DISABLED, account, address, method=method)
        else:
            _audit_refusal(account, address, step="turn off", method=method, reason=refusal.reason)
    if refusal is not None:
        raise refusal


def renew_recovery_codes(account: Any) -> list[str]:
    """New recovery codes; the old ones stop working in the same transaction."""
    if not has_two_factor(account):
        raise NotPermitted("two-factor sign-in is not on")
    with transaction.atomic():
        codes = _new_recovery_codes(account)
        _audit(AuditAction.RECOVERY_CODES_RENEWED, account, None)
    return codes


def reset(actor: Any, account: Any, reason: str) -> None:
    """A coordinator removes the two-factor sign-in of someone who lost their app and codes.

    Their sessions stop counting as verified at once (the device they were verified with is gone).
    Professionals and coordinators must set it up again at their next request; anyone else signs
    in with the password alone until they turn it on again. The reason is kept in the audit event:
    a reset is how an impostor would take an account over, so who did it and why must be on record.
    """
    reason = " ".join(reason.split())
    if not reason:
        raise FieldProblem("reason", _("say why, e.g. how the person's identity was checked"))
    if len(reason) > REASON_MAX_LENGTH:
        raise FieldProblem("reason", _("at most %(count)d characters") % {"count": REASON_MAX_LENGTH})
    if not policy.can_reset_two_factor(actor, account):
        raise NotPermitted("only a coordinator may reset two-factor sign-in, and not their own")
    with transaction.atomic():
        locked = type(account).objects.select_for_update().get(pk=account.pk)
        if not (
            TOTPDevice.objects.filter(user=locked).exists()
            or RecoveryCodeDevice.objects.filter(user=locked).exists()
        ):
            raise NothingToReset(_("%(name)s has no two-factor sign-in to reset") % {"name": locked})
        _remove_devices(locked)
        record_event(
            actor=actor,
            action=AuditAction.TWO_FACTOR_DISABLED,
            subject_type=ACCOUNT,
            subject_id=locked.pk,
            details={"method": RESET, "reason": reason},
        )


def _locked_device_for(account: Any, code: str) -> tuple[Device | None, str]:
    """Six digits are an app code; anything else can only be a recovery code."""
    if len(code) == 6 and code.isdigit():
        app = TOTPDevice.objects.select_for_update().filter(user=account, confirmed=True).first()
        return app, APP
    recovery = RecoveryCodeDevice.objects.select_for_update().filter(user=account, confirmed=True).first()
    return recovery, RECOVERY_CODE


def _check(device: Device | None, code: str) -> CodeRefused | None:
    if device is None or not code:
        return _wrong_code()
    allowed, why = device.verify_is_allowed()
    if not allowed:
        return _wait_refusal(why)
    if device.verify_token(code):
        return None
    return _wrong_code()


def _wrong_code() -> CodeRefused:
    return CodeRefused(
        _(
            "That code was not accepted. Type the code your app shows for Carepath now. Each code "
            "works only once, so if you have just used one, wait for the next."
        ),
        reason="wrong or used code",
    )


def _wait_refusal(why: dict[str, Any] | None) -> CodeRefused:
    locked_until = (why or {}).get("locked_until")
    seconds = max(1, int((locked_until - timezone.now()).total_seconds()) + 1) if locked_until else 1
    message = ngettext(
        "There have been several wrong codes in a row, so Carepath is waiting before it checks "
        "another. Please try again in %(seconds)d second.",
        "There have been several wrong codes in a row, so Carepath is waiting before it checks "
        "another. Please try again in %(seconds)d seconds.",
        seconds,
    ) % {"seconds": seconds}
    return CodeRefused(message, reason="too many wrong codes")


def _new_recovery_codes(account: Any) -> list[str]:
    """Only the codes' hashes are stored; the codes themselves are returned to be shown once."""
    RecoveryCodeDevice.objects.filter(user=account).delete()
    device = RecoveryCodeDevice.objects.create(user=account, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes: set[str] = set()
    while len(codes) < RECOVERY_CODE_COUNT:
        codes.add(new_recovery_code())
    RecoveryCode.objects.bulk_create(RecoveryCode.for_code(device, code) for code in codes)
    return sorted(codes)


def _remove_devices(account: Any) -> None:
    """The app device (a confirmed one and any being set up) and the recovery codes."""
    TOTPDevice.objects.filter(user=account).delete()
    RecoveryCodeDevice.objects.filter(user=account).delete()


def _codes_left(device: Device) -> int:
    return int(RecoveryCode.objects.filter(device_id=device.pk).count())


def _audit(action: AuditAction, account: Any, address: str | None, **details: Any) -> None:
    if address:
        details["network_marker"] = pseudonymous_marker(address)
    record_event(actor=account, action=action, subject_type=ACCOUNT, subject_id=account.pk, details=details)


def _audit_refusal(account: Any, address: str | None, *, step: str, method: str, reason: str) -> None:
    details: dict[str, Any] = {"step": step, "method": method, "reason": reason}
    if address:
        details["network_marker"] = pseudonymous_marker(address)
    record_event(
        actor=account,
        action=AuditAction.TWO_FACTOR_FAILED,
        outcome=AuditOutcome.FAILURE,
        subject_type=ACCOUNT,
        subject_id=account.pk,
        details=details,
    )
