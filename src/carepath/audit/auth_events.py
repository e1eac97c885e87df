"""Sign-in events for the audit trail: log-in, log-out, failed log-in and lock-out.

Nothing a person typed is kept unless it names a real account: a failed attempt under a name no
account has stores only a keyed marker of that name (the same name always gives the same marker,
so repeated guessing shows, but the name cannot be read back). Network addresses are kept the same
way. Markers are keyed with the deployment's SECRET_KEY, so rotating it starts new markers.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.crypto import salted_hmac

from carepath.audit.models import AuditAction, AuditOutcome
from carepath.audit.services import record_event
from carepath.audit.subjects import ACCOUNT

_MARKER_SALT = "carepath.audit.marker"
_MARKER_LENGTH = 16  # 64 bits: plenty to tell attempts apart, too short to be worth reversing


def pseudonymous_marker(value: str) -> str:
    return salted_hmac(_MARKER_SALT, value, algorithm="sha256").hexdigest()[:_MARKER_LENGTH]


def _where(address: str | None) -> dict[str, Any]:
    return {"network_marker": pseudonymous_marker(address)} if address else {}


def record_login(account: Any, address: str | None) -> None:
    with transaction.atomic():
        record_event(
            actor=account,
            action=AuditAction.LOGIN,
            subject_type=ACCOUNT,
            subject_id=account.pk,
            details=_where(address),
        )


def record_logout(account: Any | None, address: str | None) -> None:
    if account is None:  # logging out when not logged in changes nothing
        return
    with transaction.atomic():
        record_event(
            actor=account,
            action=AuditAction.LOGOUT,
            subject_type=ACCOUNT,
            subject_id=account.pk,
            details=_where(address),
        )


def record_failed_login(typed_username: str, address: str | None, *, locked_out: bool = False) -> None:
    """Never the password; the account's own username only if the typed name matches one."""
    typed = typed_username.strip()
    account = get_user_model()._default_manager.filter(username__iexact=typed).first() if typed else None
    details = _where(address)
    if account is None and typed:
        details["name_marker"] = pseudonymous_marker(typed.casefold())
    with transaction.atomic():
        record_event(
            actor=None,
            actor_label=account.get_username() if account is not None else "",
            action=AuditAction.LOCKED_OUT if locked_out else AuditAction.LOGIN_FAILED,
            outcome=AuditOutcome.DENIED if locked_out else AuditOutcome.FAILURE,
            subject_type=ACCOUNT if account is not None else "",
            subject_id=account.pk if account is not None else "",
            details=details,
        )
