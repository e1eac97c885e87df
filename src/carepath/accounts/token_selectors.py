"""Reading API tokens: a person's own list, and the token a request presents."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from carepath.accounts.models import User
from carepath.accounts.token_models import TOKEN_PREFIX, ApiToken, ApiTokenState, token_digest

# Longer than any token Carepath makes; anything longer is refused before it is hashed.
MAX_TOKEN_LENGTH = 100


def tokens_of(owner: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(owner=owner)


def token_by_id(token_id: int) -> ApiToken | None:
    return ApiToken.objects.select_related("owner").filter(pk=token_id).first()


def usable_token(token_text: str, now: dt.datetime | None = None) -> ApiToken | None:
    """The active token with this text and an active owner, or None (unknown, revoked or expired)."""
    if not token_text.startswith(TOKEN_PREFIX) or len(token_text) > MAX_TOKEN_LENGTH:
        return None
    token = ApiToken.objects.select_related("owner").filter(digest=token_digest(token_text)).first()
    if token is None or not token.owner.is_active:
        return None
    return token if token.state_at(now or timezone.now()) is ApiTokenState.ACTIVE else None
