"""Hardening settings as a production start-up reads them, in a fresh process each time."""

from __future__ import annotations

import json
import os
import subprocess
import sys

PRODUCTION = {
    "CAREPATH_ENV": "production",
    "SECRET_KEY": "x" * 64,
    "ALLOWED_HOSTS": "carepath.example",
    "CAREPATH_ENCRYPTION_KEYS": "l2b3vQm0S0zY8n6kFJ4gqH1rXyT5wP9aZc7dE2fGh0I=",
}
HARDENING_VARIABLES = (
    "CAREPATH_STAFF_IDLE_MINUTES",
    "CAREPATH_API_RATE_ANONYMOUS",
    "CAREPATH_API_RATE_SIGNED_IN",
    "CAREPATH_CACHE_URL",
    "CAREPATH_PROXY_COUNT",
)


def settings_in_a_new_process(names: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    code = (
        "import json; from carepath.config import settings as s; "
        f"print(json.dumps([getattr(s, n) for n in {names!r}]))"
    )
    clean = {k: v for k, v in os.environ.items() if k not in HARDENING_VARIABLES and k != "CAREPATH_ENV"}
    return subprocess.run(
        [sys.executable, "-c", code], env={**clean, **env}, capture_output=True, text=True, check=False
    )


def test_production_cookies_are_secure_and_same_site_lax() -> None:
    names = ["SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_SAMESITE", "CSRF_COOKIE_SAMESITE"]
    result = settings_in_a_new_process([*names, "SECURE_HSTS_SECONDS"], **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [True, True, "Lax", "Lax", 31536000]


def test_the_defaults() -> None:
    result = settings_in_a_new_process(
        [
            "CAREPATH_STAFF_IDLE_MINUTES",
            "CAREPATH_API_RATE_ANONYMOUS",
            "CAREPATH_API_RATE_SIGNED_IN",
            "CACHES",
        ]
    )
    idle, anonymous, signed_in, caches = json.loads(result.stdout)
    assert (idle, anonymous, signed_in) == (30, 120, 600)
    assert caches["default"]["BACKEND"].endswith("LocMemCache")


def test_the_variables_are_read() -> None:
    result = settings_in_a_new_process(
        ["CAREPATH_STAFF_IDLE_MINUTES", "CAREPATH_API_RATE_ANONYMOUS", "CAREPATH_PROXY_COUNT", "CACHES"],
        CAREPATH_STAFF_IDLE_MINUTES="15",
        CAREPATH_API_RATE_ANONYMOUS="30",
        CAREPATH_PROXY_COUNT="1",
        CAREPATH_CACHE_URL="db://carepath_cache",
    )
    idle, anonymous, proxies, caches = json.loads(result.stdout)
    assert (idle, anonymous, proxies) == (15, 30, 1)
    assert caches["default"] == {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "carepath_cache",
    }


def test_a_bad_value_stops_start_up_naming_the_variable() -> None:
    result = settings_in_a_new_process(["DEBUG"], CAREPATH_STAFF_IDLE_MINUTES="0")
    assert result.returncode != 0
    assert "CAREPATH_STAFF_IDLE_MINUTES must be a whole number from 1 to 1440 (got '0')" in result.stderr


def test_postgresql_prepared_statements_are_on_unless_turned_off_for_a_pooling_proxy() -> None:
    postgres = {"DATABASE_URL": "postgres://carepath@db.internal:5432/carepath"}

    def options(**env: str) -> dict[str, object]:
        result = settings_in_a_new_process(["DATABASES"], **postgres, **env)
        assert result.returncode == 0, result.stderr
        return dict(json.loads(result.stdout)[0]["default"].get("OPTIONS", {}))

    assert options()["prepare_threshold"] == 5
    assert "prepare_threshold" not in options(CAREPATH_PREPARED_STATEMENTS="off")
    result = settings_in_a_new_process(["DATABASES"], **postgres, CAREPATH_PREPARED_STATEMENTS="sometimes")
    assert result.returncode != 0 and "CAREPATH_PREPARED_STATEMENTS must be one of" in result.stderr


def test_sqlite_connections_are_kept_with_a_page_cache_of_the_configured_size(tmp_path) -> None:
    code = (
        "import django, json, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'carepath.config.settings'; "
        "django.setup(); from django.db import connection; "
        "cursor = connection.cursor(); cursor.execute('PRAGMA cache_size'); "
        "print(json.dumps([cursor.fetchone()[0], connection.settings_dict['CONN_MAX_AGE']]))"
    )

    def run(**env: str) -> subprocess.CompletedProcess[str]:
        sqlite = {"DATABASE_URL": f"sqlite:///{tmp_path / 'carepath.sqlite3'}"}
        clean = {k: v for k, v in os.environ.items() if k != "CAREPATH_SQLITE_CACHE_MIB"}
        return subprocess.run(
            [sys.executable, "-c", code],
            env={**clean, **sqlite, **env},
            capture_output=True,
            text=True,
            check=False,
        )

    # SQLite reads a negative cache_size as KiB.
    assert json.loads(run().stdout) == [-64 * 1024, 60]
    assert json.loads(run(CAREPATH_SQLITE_CACHE_MIB="16").stdout) == [-16 * 1024, 60]
    refused = run(CAREPATH_SQLITE_CACHE_MIB="1")
    assert refused.returncode != 0
    assert "CAREPATH_SQLITE_CACHE_MIB must be a whole number from 2 to 4096 (got '1')" in refused.stderr
