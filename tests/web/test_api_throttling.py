"""API rate limits: per address for anonymous clients, per account or token for signed-in ones;
429 with a JSON body and Retry-After; pages are not limited."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory

from carepath.accounts import token_services
from carepath.web.requester import client_address
from carepath.web.throttling import WINDOW_SECONDS, take
from tests.sign_in import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def low_limits(settings: Any) -> Iterator[None]:
    settings.CAREPATH_API_RATE_ANONYMOUS = 3
    settings.CAREPATH_API_RATE_SIGNED_IN = 5
    cache.clear()
    yield
    cache.clear()


def hits(client: Client, path: str, times: int, **extra: Any) -> list[int]:
    return [client.get(path, **extra).status_code for _ in range(times)]


def test_an_anonymous_address_gets_429_with_json_and_retry_after(client: Client) -> None:
    assert hits(client, "/api/v1/health", 3) == [200, 200, 200]
    refused = client.get("/api/v1/health")
    assert refused.status_code == 429
    body = refused.json()
    assert body["errors"] == [] and "3 requests a minute" in body["detail"]
    assert 1 <= int(refused["Retry-After"]) <= WINDOW_SECONDS
    assert f"Try again in {refused['Retry-After']} seconds" in body["detail"]
    assert "default-src 'self'" in refused["Content-Security-Policy"]


def test_the_hsds_api_is_limited_too_and_shares_the_addresss_budget(client: Client) -> None:
    assert hits(client, "/hsds/", 2) == [200, 200]
    assert hits(client, "/api/v1/health", 2) == [200, 429]


def test_addresses_are_counted_apart(client: Client) -> None:
    assert hits(client, "/api/v1/health", 4, REMOTE_ADDR="192.0.2.1")[-1] == 429
    assert hits(client, "/api/v1/health", 1, REMOTE_ADDR="192.0.2.2") == [200]


def test_pages_are_not_limited(client: Client) -> None:
    assert set(hits(client, "/crisis/", 6)) == {200}


def test_signed_in_accounts_have_their_own_budget(personas: dict[str, Any]) -> None:
    seeker, other = Client(), Client()
    sign_in(seeker, personas["help_seeker"])
    sign_in(other, personas["other_help_seeker"])
    assert hits(seeker, "/api/v1/accounts/me", 6) == [200] * 5 + [429]
    assert hits(other, "/api/v1/accounts/me", 1) == [200]  # same address, another account
    assert hits(Client(), "/api/v1/health", 1) == [200]  # and anonymous use is counted apart


def test_each_token_has_its_own_budget(client: Client, personas: dict[str, Any]) -> None:
    _, first = token_services.create_token(owner=personas["help_seeker"], name="first")
    _, second = token_services.create_token(owner=personas["help_seeker"], name="second")
    assert hits(client, "/api/v1/accounts/me", 6, HTTP_AUTHORIZATION=f"Bearer {first}")[-2:] == [200, 429]
    assert hits(client, "/api/v1/accounts/me", 1, HTTP_AUTHORIZATION=f"Bearer {second}") == [200]


def test_refused_tokens_count_against_the_address(client: Client) -> None:
    guesses = [
        client.get("/api/v1/health", HTTP_AUTHORIZATION=f"Bearer cpat_guess{n}").status_code for n in range(4)
    ]
    assert guesses == [401, 401, 401, 429]


def test_the_window_resets_each_minute() -> None:
    start = 1_000_020.5  # 0.5 s into a window that began at 1_000_020
    assert [take("unit", 2, now=start).allowed for _ in range(3)] == [True, True, False]
    assert take("unit", 2, now=start).retry_after == 60
    assert take("unit", 2, now=start + 59).retry_after == 1
    assert take("unit", 2, now=start + 60).allowed


@pytest.mark.parametrize(
    ("proxies", "forwarded", "counted_as"),
    [
        (0, "198.51.100.7", "127.0.0.1"),  # no proxy of ours: the header is the client's to invent
        (1, "203.0.113.9, 198.51.100.7", "198.51.100.7"),  # one proxy: the last entry is the client
        (2, "203.0.113.9, 198.51.100.7, 10.0.0.2", "198.51.100.7"),
        (2, "198.51.100.7", "127.0.0.1"),  # fewer entries than proxies: not through our proxies
    ],
)
def test_the_client_address_behind_proxies(
    settings: Any, proxies: int, forwarded: str, counted_as: str
) -> None:
    settings.CAREPATH_PROXY_COUNT = proxies
    request = RequestFactory().get("/api/v1/health", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == counted_as


def test_a_cache_that_cannot_be_reached_lets_requests_through_and_logs_only_the_error_kind(
    client: Client, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def unreachable(*args: Any, **kwargs: Any) -> None:
        raise ConnectionError("Error 111 connecting to cache.internal:6379. Connection refused.")

    monkeypatch.setattr(cache, "add", unreachable)
    with caplog.at_level("WARNING", logger="carepath.web.throttling"):
        assert hits(client, "/api/v1/health", 5, REMOTE_ADDR="192.0.2.9") == [200] * 5
    warnings = [record.getMessage() for record in caplog.records]
    assert warnings == ["API rate limit not counted: the cache failed (ConnectionError)"] * 5
    assert not any("192.0.2.9" in warning or "cache.internal" in warning for warning in warnings)
