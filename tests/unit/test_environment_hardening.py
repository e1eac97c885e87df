"""The cache URL read from the environment (the rate limits count in this cache)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from carepath.config import environment
from carepath.config.environment import cache_config


@pytest.mark.parametrize(
    ("value", "backend", "location"),
    [
        (None, "django.core.cache.backends.locmem.LocMemCache", "carepath"),
        ("locmem://", "django.core.cache.backends.locmem.LocMemCache", "carepath"),
        ("db://carepath_cache", "django.core.cache.backends.db.DatabaseCache", "carepath_cache"),
        (
            "redis://cache.internal:6379/1",
            "django.core.cache.backends.redis.RedisCache",
            "redis://cache.internal:6379/1",
        ),
    ],
)
def test_cache_urls(value: str | None, backend: str, location: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(environment, "installed", lambda package: package == "redis")
    env = {} if value is None else {"CAREPATH_CACHE_URL": value}
    assert cache_config(env, "CAREPATH_CACHE_URL") == {"BACKEND": backend, "LOCATION": location}


@pytest.mark.parametrize(
    "value", ["memcached://x:11211", "db://", "db://drop table", "locmem://x", "redis://"]
)
def test_an_unknown_cache_url_stops_start_up_naming_the_variable(value: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=r"CAREPATH_CACHE_URL must be locmem://, db://TABLE_NAME"):
        cache_config({"CAREPATH_CACHE_URL": value}, "CAREPATH_CACHE_URL")


def test_a_redis_cache_without_its_client_package_stops_start_up_saying_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(environment, "installed", lambda package: False)
    with pytest.raises(
        ImproperlyConfigured, match=r"the `redis` package is not installed: `pip install redis`"
    ):
        cache_config({"CAREPATH_CACHE_URL": "redis://cache.internal:6379/1"}, "CAREPATH_CACHE_URL")
