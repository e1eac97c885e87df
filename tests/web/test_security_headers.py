"""Every URL the project has answers with the security headers, whatever its status: pages, API,
HSDS, admin, static files, redirects to log in, 404, 405, the CSRF failure page and the 500 page."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.regex_helper import normalize

from tests.sign_in import sign_in

pytestmark = pytest.mark.django_db

EXPECTED = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}
CSP_DIRECTIVES = {
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "frame-ancestors 'none'",
    "form-action 'self'",
    "base-uri 'none'",
    "object-src 'none'",
}
# Values tried for each path parameter: an id that may exist, an admin app label, a plain word.
CANDIDATE_VALUES = ("1", "accounts", "x")


def _patterns(patterns: list[Any], prefix: str = "") -> Iterator[str]:
    """The full regular expression of every URL pattern, walking included URL confs."""
    for pattern in patterns:
        regex = prefix + pattern.pattern.regex.pattern.removeprefix("^")
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern.url_patterns, regex)
        elif isinstance(pattern, URLPattern):
            yield regex


def _sample_path(regex: str) -> str | None:
    """A concrete path the pattern matches, with its parameters filled from CANDIDATE_VALUES."""
    compiled = re.compile("^" + regex)
    for template, params in normalize(regex):
        for values in itertools.product(CANDIDATE_VALUES, repeat=len(params)):
            path = "/" + template % dict(zip(params, values, strict=True))
            if compiled.fullmatch(path[1:]):
                return path
    return None


def every_url() -> list[str]:
    paths = {_sample_path(regex) for regex in _patterns(get_resolver().url_patterns)}
    assert None not in paths, "a URL pattern could not be filled in"
    return sorted(p for p in paths if p is not None)


def assert_security_headers(response: Any, where: str) -> None:
    for name, value in EXPECTED.items():
        assert response.get(name) == value, f"{where}: {name} is {response.get(name)!r}"
    assert response.get("Permissions-Policy", "").startswith("accelerometer=()"), where
    policy = response.get("Content-Security-Policy", "")
    assert {part.strip() for part in policy.split(";")} == CSP_DIRECTIVES, f"{where}: CSP is {policy!r}"
    assert "unsafe-inline" not in policy


def test_the_walk_finds_the_project_urls() -> None:
    urls = every_url()
    assert len(urls) > 100
    assert {"/", "/accounts/login/", "/api/v1/health", "/hsds/services", "/admin/"} <= set(urls)
    assert "/api/v1/referrals/1/accept" in urls and "/admin/accounts/" in urls


@pytest.mark.parametrize("who", ["anonymous", "coordinator", "help_seeker"])
def test_every_url_answers_with_the_security_headers(
    client: Client, personas: dict[str, Any], who: str
) -> None:
    if who != "anonymous":
        sign_in(client, personas[who])
    statuses: dict[int, int] = {}
    for url in every_url():
        response = client.get(url)
        assert response.status_code < 500, f"{url} failed for {who}: {response.status_code}"
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
        assert_security_headers(response, f"GET {url} as {who} ({response.status_code})")
    # The walk met pages, redirects to log in, refusals and missing records, not only one kind.
    assert statuses.get(200) and (statuses.get(404) or statuses.get(302))


def test_method_not_allowed_and_unknown_paths_have_the_headers(client: Client) -> None:
    for response, status in [
        (client.get("/accounts/logout/"), 405),
        (client.delete("/api/v1/health"), 405),
        (client.get("/no-such-page/"), 404),
        (client.get("/api/v1/no-such-thing"), 404),
        (client.get("/hsds/no-such-thing"), 404),
    ]:
        assert response.status_code == status
        assert_security_headers(response, f"{response.request['PATH_INFO']} ({status})")


def test_the_csrf_failure_page_has_the_headers() -> None:
    response = Client(enforce_csrf_checks=True).post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "This form has expired" in response.content.decode()
    assert_security_headers(response, "CSRF failure")


def test_static_files_have_the_headers(client: Client) -> None:
    response = client.get("/static/carepath/site.css")
    assert response.status_code == 200
    assert_security_headers(response, "static file")


@pytest.mark.urls("tests.web.boom_urls")
def test_the_server_error_page_has_the_headers() -> None:
    client = Client(raise_request_exception=False)
    response = client.get("/test-boom/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
    assert_security_headers(response, "500 page")


def test_the_api_documentation_page_uses_its_own_static_files(client: Client) -> None:
    # With "ninja" installed the Swagger page loads its scripts from /static/, not from a CDN with
    # an inline script (which the policy would block).
    page = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn.jsdelivr.net" not in page
    assert not re.search(r"<script>", page)
