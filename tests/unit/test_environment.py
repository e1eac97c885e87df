"""Settings from the environment, and production's refusal to run with a development secret."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from carepath.config.environment import DEVELOPMENT_SECRET_PREFIX, flag, host_list, is_production, secret_key

STRONG = "x" * 64


def test_development_secret_is_generated_once_and_kept(tmp_path: Path) -> None:
    first = secret_key({}, production=False, var_dir=tmp_path)
    assert first.startswith(DEVELOPMENT_SECRET_PREFIX)
    assert secret_key({}, production=False, var_dir=tmp_path) == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("configured", ["", "short", DEVELOPMENT_SECRET_PREFIX + "y" * 64])
def test_production_refuses_a_missing_short_or_development_secret(tmp_path: Path, configured: str) -> None:
    with pytest.raises(ImproperlyConfigured, match="Set SECRET_KEY"):
        secret_key({"SECRET_KEY": configured}, production=True, var_dir=tmp_path)
    assert not (tmp_path / "secret_key").exists()


def test_production_uses_the_configured_secret(tmp_path: Path) -> None:
    assert secret_key({"SECRET_KEY": STRONG}, production=True, var_dir=tmp_path) == STRONG


@pytest.mark.parametrize(("raw", "expected"), [("1", True), ("true", True), ("off", False), ("", False)])
def test_flags(raw: str, expected: bool) -> None:
    assert flag({"DEBUG": raw}, "DEBUG") is expected


def test_a_flag_that_is_not_yes_or_no_is_an_error_naming_it() -> None:
    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        flag({"DEBUG": "sometimes"}, "DEBUG")


def test_debug_is_off_unless_asked_for() -> None:
    assert flag({}, "DEBUG") is False


def test_hosts_and_mode() -> None:
    assert host_list({"ALLOWED_HOSTS": "a.org, b.org,"}, "ALLOWED_HOSTS", []) == ["a.org", "b.org"]
    assert is_production({"CAREPATH_ENV": "production"}) is True
    assert is_production({}) is False
    with pytest.raises(ImproperlyConfigured, match="CAREPATH_ENV"):
        is_production({"CAREPATH_ENV": "staging"})


def test_stale_listing_days_default_and_range() -> None:
    from carepath.config.environment import whole_number

    name = "CAREPATH_STALE_LISTING_DAYS"
    assert whole_number({}, name, default=180, minimum=1, maximum=3650) == 180
    assert whole_number({name: " 90 "}, name, default=180, minimum=1, maximum=3650) == 90
    for bad in ("0", "-5", "ninety", "3651", "1.5"):
        with pytest.raises(ImproperlyConfigured, match=name):
            whole_number({name: bad}, name, default=180, minimum=1, maximum=3650)
