"""Sending one request of the matrix and naming the kind of answer it got."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlencode

from django.db import transaction
from django.test import Client

from tests.security.routes import Route

ALLOW = "allow"  # 2xx/3xx as the route normally answers; for a write, also 400/422 (input refused)
NOT_FOUND = "404"
FORBIDDEN = "403"
LOGIN = "login"  # a redirect to a sign-in page (the site's or the admin's)
NOT_ALLOWED = "405"
UNAUTHORIZED = "401"  # the JSON API's answer to a request with no account
ANSWER_CLASSES = (ALLOW, NOT_FOUND, FORBIDDEN, LOGIN, NOT_ALLOWED, UNAUTHORIZED)
DENIALS = (NOT_FOUND, FORBIDDEN, LOGIN, NOT_ALLOWED, UNAUTHORIZED)
LOGIN_PATHS = ("/accounts/login/", "/admin/login/")
READS = ("GET", "HEAD", "OPTIONS")


class _RolledBack(Exception):
    """Raised to undo what one request wrote, so every cell meets the same records."""


@dataclass(frozen=True)
class Answer:
    status: int
    location: str
    text: str
    content_type: str = ""
    observed: Any = None  # what `observe` saw after the request, before it was rolled back


def classify(response: Answer, method: str) -> str:
    status = response.status
    if status in (301, 302, 303, 307, 308) and response.location.startswith(LOGIN_PATHS):
        return LOGIN
    if 200 <= status < 400:
        return ALLOW
    if status in (400, 422) and method not in READS:
        return ALLOW
    return str(status)


def send(
    client: Client,
    route: Route,
    method: str,
    values: dict[str, Any],
    body: Any = None,
    query: Mapping[str, str] | None = None,
    *,
    headers: Mapping[str, str] | None = None,
    observe: Callable[[], Any] | None = None,
) -> Answer:
    """One request, its writes rolled back afterwards. API writes carry JSON, page writes a form."""
    path = route.path(values) + (f"?{urlencode(query)}" if query else "")
    cookies = SimpleCookie(client.cookies)
    with _undone():
        extra = dict(headers or {})
        if method in READS:
            response = client.generic(method, path, headers=extra)
        elif route.is_api:
            data = json.dumps(body if body is not None else {})
            response = client.generic(method, path, data, content_type="application/json", headers=extra)
        elif method == "POST":
            response = client.post(path, body or {}, headers=extra)
        else:
            response = client.generic(method, path, headers=extra)
        # Read while the records it may stream from still exist.
        raw = b"".join(response.streaming_content) if response.streaming else response.content
        answer = Answer(
            response.status_code,
            response.get("Location", ""),
            raw.decode("utf-8", "replace"),
            response.get("Content-Type", ""),
            observe() if observe is not None else None,
        )
    # Signing out or in changes the cookie; the session rows it touched are rolled back with it.
    client.cookies = cookies
    return answer


@contextmanager
def _undone() -> Iterator[None]:
    try:
        with transaction.atomic():
            yield
            raise _RolledBack
    except _RolledBack:
        pass


def fill(body: Any, values: dict[str, Any]) -> Any:
    """A form body with its "{name}" placeholders replaced by values of the world."""
    if not isinstance(body, dict):
        return body
    return {name: str(value).format(**values) for name, value in body.items()}
