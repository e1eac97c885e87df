"""Who a request comes from, as the security middleware sees it: the signed-in account and the address.

The signed-in account is read defensively: when the database cannot be reached the request goes on
as anonymous, so pages that must never fail (crisis help above all) still render.

The address is the one the rate limits and the log-in lock-out count.

Behind reverse proxies every request arrives from the nearest proxy, so each proxy's address would
stand for all of its clients. Each proxy appends the address it saw to X-Forwarded-For; with
CAREPATH_PROXY_COUNT proxies of our own in front, the entry that many places from the right is the
client's. Entries further left were written by the client and are never trusted.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest


def signed_in_user(request: HttpRequest) -> Any | None:
    """The signed-in account, or None: anonymous, no session, or the database is unreachable."""
    try:
        user = getattr(request, "user", None)
        return user if user is not None and user.is_authenticated else None
    except DatabaseError:
        return None


def client_address(request: HttpRequest) -> str:
    proxies: int = settings.CAREPATH_PROXY_COUNT
    remote = str(request.META.get("REMOTE_ADDR", "") or "")
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")]
    forwarded = [part for part in forwarded if part]
    # A request that did not pass through every proxy (say, straight to the app) keeps its own address.
    return forwarded[-proxies] if len(forwarded) >= proxies else remote
