"""Reading settings from the environment, with errors that say what to set.

Kept apart from settings.py so the rules (production refuses a development secret) are plain
functions that tests can call with any environment.
"""

from __future__ import annotations

import importlib.util
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import ImproperlyConfigured

DEVELOPMENT_SECRET_PREFIX = "carepath-dev-"  # nosec B105 # a prefix that marks development secrets, not a secret
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def flag(env: Mapping[str, str], name: str, default: bool = False) -> bool:
    raw = env.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0, true/false, yes/no, on/off (got '{raw}').")


def host_list(env: Mapping[str, str], name: str, default: list[str]) -> list[str]:
    raw = env.get(name)
    if raw is None:
        return default
    return [host.strip() for host in raw.split(",") if host.strip()]


def is_production(env: Mapping[str, str]) -> bool:
    mode = env.get("CAREPATH_ENV", "development").strip().lower()
    if mode not in ("development", "production"):
        raise ImproperlyConfigured(f"CAREPATH_ENV must be 'development' or 'production' (got '{mode}').")
    return mode == "production"


def secret_key(env: Mapping[str, str], production: bool, var_dir: Path) -> str:
    """The SECRET_KEY: from the environment, or (development only) one generated once under var/."""
    configured = env.get("SECRET_KEY", "").strip()
    if production:
        if not configured or configured.startswith(DEVELOPMENT_SECRET_PREFIX) or len(configured) < 50:
            raise ImproperlyConfigured(
                "Carepath is in production mode (CAREPATH_ENV=production) but SECRET_KEY is missing, "
                "too short or a development secret. Set SECRET_KEY to a random value of at least 50 "
                "characters, for example the output of: "
                "python -c 'import secrets; print(secrets.token_urlsafe(64))'"
            )
        return configured
    if configured:
        return configured
    return _development_secret(var_dir / "secret_key")


def _development_secret(path: Path) -> str:
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = DEVELOPMENT_SECRET_PREFIX + secrets.token_urlsafe(48)
    path.write_text(value + "\n", encoding="utf-8")
    path.chmod(0o600)
    return value


def cutoff_overrides(env: Mapping[str, str], name: str) -> dict[str, int]:
    """Parse 'phq2:2,gad2:3' into {'phq2': 2, 'gad2': 3}; anything else is an error naming it."""
    raw = env.get(name, "").strip()
    overrides: dict[str, int] = {}
    for part in filter(None, (p.strip() for p in raw.split(","))):
        code, _, value = part.partition(":")
        if not code.strip() or not value.strip().isdigit():
            raise ImproperlyConfigured(f"{name} must look like 'phq2:2,gad2:3' (problem in '{part}').")
        overrides[code.strip()] = int(value)
    return overrides


def whole_number(env: Mapping[str, str], name: str, default: int, minimum: int, maximum: int) -> int:
    """A whole number within [minimum, maximum]; anything else is an error naming the variable."""
    raw = env.get(name)
    if raw is None or not raw.strip():
        return default
    value = raw.strip()
    if not value.isdigit() or not minimum <= int(value) <= maximum:
        raise ImproperlyConfigured(
            f"{name} must be a whole number from {minimum} to {maximum} (got '{raw}')."
        )
    return int(value)


def time_zone(env: Mapping[str, str], name: str, default: str) -> str:
    """An IANA time-zone name (e.g. Europe/London); an unknown one stops start-up with a clear message."""
    value = env.get(name, "").strip() or default
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ImproperlyConfigured(
            f"{name}={value!r} is not a known time zone; use a name such as Europe/London"
        ) from None
    return value


def installed(package: str) -> bool:
    return importlib.util.find_spec(package) is not None


def cache_config(env: Mapping[str, str], name: str) -> dict[str, Any]:
    """The default cache from a URL: locmem:// (one per process), db://TABLE or redis://HOST:PORT/N.

    API rate limits count requests in this cache, so with several server processes it must be one
    they share (db:// or redis://); a local-memory cache counts in each process on its own.
    """
    raw = env.get(name, "").strip() or "locmem://"
    scheme, _, rest = raw.partition("://")
    if scheme == "locmem" and not rest:
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "carepath"}
    if scheme == "db" and rest.isidentifier():
        return {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": rest}
    if scheme in ("redis", "rediss") and rest:
        if not installed("redis"):
            raise ImproperlyConfigured(
                f"{name} is a redis:// address but the `redis` package is not installed: "
                "`pip install redis`, or use db://TABLE_NAME."
            )
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": raw}
    raise ImproperlyConfigured(
        f"{name} must be locmem://, db://TABLE_NAME (after `carepath createcachetable`) or "
        f"redis://HOST:PORT/DB (got '{raw}')."
    )
