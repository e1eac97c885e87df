"""Making, revoking and noting the use of API tokens. Making and revoking are audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from carepath.accounts.models import User
from carepath.accounts.token_models import (
    NAME_MAX_LENGTH,
    SHOWN_CHARACTERS,
    ApiToken,
    new_token_text,
    token_digest,
)
from carepath.audit.models import AuditAction
from carepath.audit.services import record_event
from carepath.errors import FieldProblem

SUBJECT = "api_token"
DEFAULT_NAME = "API token"
MAX_EXPIRY_DAYS = 3650
# last_used_at is a hint for the owner ("is this token still in use?"), not a log: one write a
# minute per token is plenty, and saves a database write on almost every API request.
LAST_USED_PRECISION = dt.timedelta(minutes=1)


def create_token(
    *, owner: User, name: str = "", expires_days: int | None = None, actor: User | None = None
) -> tuple[ApiToken, str]:
    """A new token for `owner` and its text, which is returned this once and never stored.

    `actor` is who asked (the owner on the account page); None means the command line.
    """
    name = name.strip() or DEFAULT_NAME
    if len(name) > NAME_MAX_LENGTH:
        raise FieldProblem("name", f"is too long; use at most {NAME_MAX_LENGTH} characters")
    if expires_days is not None and not 1 <= expires_days <= MAX_EXPIRY_DAYS:
        raise FieldProblem("expires_days", f"must be a whole number of days from 1 to {MAX_EXPIRY_DAYS}")
    if not owner.is_active:
        raise FieldProblem("user", "is not an active account")
    text = new_token_text()
    expires_at = timezone.now() + dt.timedelta(days=expires_days) if expires_days is not None else None
    with transaction.atomic():
        token = ApiToken.objects.create(
            owner=owner,
            name=name,
            prefix=text[:SHOWN_CHARACTERS],
            digest=token_digest(text),
            expires_at=expires_at,
        )
        expiry = expires_at.isoformat() if expires_at else None
        _audit(AuditAction.TOKEN_CREATED, token, actor, expires_at=expiry)
    return token, text


def revoke_token(*, token: ApiToken, actor: User | None = None) -> ApiToken:
    """Stop a token working at once. Revoking a revoked token changes nothing and records nothing."""
    with transaction.atomic():
        locked = ApiToken.objects.select_for_update().get(pk=token.pk)
        if locked.revoked_at is None:
            locked.revoked_at = timezone.now()
            locked.save(update_fields=["revoked_at"])
            _audit(AuditAction.TOKEN_REVOKED, locked, actor)
    return locked


def note_token_used(token: ApiToken, now: dt.datetime | None = None) -> None:
    now = now or timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


def _audit(action: AuditAction, token: ApiToken, actor: User | None, **details: Any) -> None:
    record_event(
        actor=actor,
        actor_label="" if actor is not None else "command line",
        action=action,
        subject_type=SUBJECT,
        subject_id=token.pk,
        # The owner's id, the name and the shown characters identify the token; its text is never
        # recorded, nor the owner's username (the audit trail keeps no personal data in details).
        details={"owner_id": token.owner_id, "name": token.name, "prefix": token.prefix, **details},
    )
