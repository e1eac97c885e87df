"""Signing API requests in with `Authorization: Bearer <token>`, as the token's owner.

Runs as middleware, after Django's session authentication, on the API paths only. A valid token
makes `request.user` its owner, so every endpoint, with `auth=django_auth` or reading
`request.user` itself, sees the owner and asks `policy` the same questions as for the owner's
browser session: a token carries exactly its owner's permissions. CSRF protects cookies a browser
sends by itself; a bearer token is never sent that way, so token requests skip the CSRF check.

A token that is unknown, revoked or expired is refused with 401 on every API path, public or not,
so a client learns at once that its token no longer works. Refusals count against the address's
anonymous rate limit, so guessing tokens is throttled like any other anonymous use.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

from carepath.accounts import token_selectors, token_services
from carepath.web.throttling import API_PREFIXES, address_key, take, too_many_requests

REFUSED = (
    "The API token is not valid: it may be mistyped, revoked or expired. Make a new one on your account page."
)


def bearer_token(request: HttpRequest) -> str | None:
    """The token text of an `Authorization: Bearer …` header; None when there is no such header."""
    scheme, _, credentials = request.headers.get("Authorization", "").strip().partition(" ")
    if scheme.lower() != "bearer":
        return None
    return credentials.strip()


class ApiTokenMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith(API_PREFIXES):
            token_text = bearer_token(request)
            if token_text is not None:
                token = token_selectors.usable_token(token_text)
                if token is None:
                    return _refused(request)
                token_services.note_token_used(token)
                request.user = token.owner
                request.api_token = token  # type: ignore[attr-defined]
                request._dont_enforce_csrf_checks = True  # type: ignore[attr-defined]
        return self.get_response(request)


def _refused(request: HttpRequest) -> HttpResponse:
    verdict = take(address_key(request), settings.CAREPATH_API_RATE_ANONYMOUS)
    if not verdict.allowed:
        return too_many_requests(verdict)
    response = JsonResponse({"detail": REFUSED, "errors": []}, status=401)
    response["WWW-Authenticate"] = 'Bearer error="invalid_token"'
    return response


BEARER_SCHEME = "ApiToken"
BEARER_DESCRIPTION = (
    "A personal API token, made on the account page or with `carepath token create`, sent as "
    "`Authorization: Bearer cpat_…`. It acts as its owner, with exactly the owner's permissions."
)


def document_bearer_tokens(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the token scheme to an OpenAPI document: every operation that takes a session takes one."""
    schemes = schema.setdefault("components", {}).setdefault("securitySchemes", {})
    schemes[BEARER_SCHEME] = {"type": "http", "scheme": "bearer", "description": BEARER_DESCRIPTION}
    for path_item in schema.get("paths", {}).values():
        for operation in path_item.values():
            security = operation.get("security") if isinstance(operation, dict) else None
            if security and {BEARER_SCHEME: []} not in security:
                security.append({BEARER_SCHEME: []})
    return schema
