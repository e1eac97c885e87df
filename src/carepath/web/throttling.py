"""Rate limits on the JSON APIs (/api/v1/ and /hsds/): a fixed one-minute window over Django's cache.

A client is counted per API token when it sends one, per account when it is signed in through the
browser, and per address otherwise (CAREPATH_API_RATE_SIGNED_IN and CAREPATH_API_RATE_ANONYMOUS
requests a minute). Past the limit it gets 429 with a JSON body and Retry-After.

The counts live in the default cache. A local-memory cache (the default) is per process: with
several server processes each counts on its own, so a client may make that many requests per
process. Production with more than one process sets CAREPATH_CACHE_URL to a shared cache
(db://… or redis://…); see docs/security.md. Pages are not limited here: the log-in form has its
own lock-out (django-axes).

When the shared cache cannot be reached (a Redis server down, say), requests are let through
unlimited and a warning is logged: a 500 on every API request would take the directory and the
check-ins down with the cache, and the limit is a guard against abuse, not a control on access.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse

from carepath.web.requester import client_address, signed_in_user

logger = logging.getLogger(__name__)

API_PREFIXES = ("/api/v1/", "/hsds/")
WINDOW_SECONDS = 60


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    limit: int
    retry_after: int  # whole seconds until the current window ends


def take(key: str, limit: int, now: float | None = None) -> Verdict:
    """Count one request for `key` in the current window; allowed while the count is within `limit`."""
    now = time.time() if now is None else now
    window = int(now // WINDOW_SECONDS)
    cache_key = f"carepath-throttle:{key}:{window}"
    # The minute is in the key, so a counter is never read after its minute; the timeout only lets
    # the cache drop it afterwards. add() leaves an existing counter alone.
    cache.add(cache_key, 0, timeout=WINDOW_SECONDS * 2)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # evicted between add() and incr()
        cache.set(cache_key, 1, timeout=WINDOW_SECONDS * 2)
        count = 1
    retry_after = max(1, math.ceil((window + 1) * WINDOW_SECONDS - now))
    return Verdict(allowed=count <= limit, limit=limit, retry_after=retry_after)


def address_key(request: HttpRequest) -> str:
    return f"ip:{client_address(request)}"


def client_key_and_limit(request: HttpRequest) -> tuple[str, int]:
    """Who is asking, for counting: the token, else the signed-in account, else the address."""
    token = getattr(request, "api_token", None)
    if token is not None:
        return f"token:{token.pk}", settings.CAREPATH_API_RATE_SIGNED_IN
    user = signed_in_user(request)
    if user is not None:
        return f"user:{user.pk}", settings.CAREPATH_API_RATE_SIGNED_IN
    return address_key(request), settings.CAREPATH_API_RATE_ANONYMOUS


def too_many_requests(verdict: Verdict) -> HttpResponse:
    detail = (
        f"Too many requests: this client may make {verdict.limit} requests a minute. "
        f"Try again in {verdict.retry_after} seconds."
    )
    response = JsonResponse({"detail": detail, "errors": []}, status=429)
    response["Retry-After"] = str(verdict.retry_after)
    return response


class ApiThrottleMiddleware:
    """Counts every request under the API prefixes; placed after authentication and API tokens."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith(API_PREFIXES):
            key, limit = client_key_and_limit(request)
            try:
                verdict = take(key, limit)
            except Exception as error:  # noqa: BLE001 - any cache backend's connection error
                # The kind of error only: the key names an account, a token or an address.
                logger.warning("API rate limit not counted: the cache failed (%s)", type(error).__name__)
                return self.get_response(request)
            if not verdict.allowed:
                return too_many_requests(verdict)
        return self.get_response(request)
