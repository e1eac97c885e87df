"""Shared fixtures. Every database test runs on SQLite and, in `make test`, on PostgreSQL too."""

from __future__ import annotations

import os
from typing import Any

import pytest

# Tests keep their generated files (secret key) in a throwaway place, never in the repo's var/.
os.environ.setdefault("CAREPATH_VAR_DIR", os.path.join(os.path.dirname(__file__), "..", "var", "test"))

PASSWORD = "a-long-test-passphrase"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    # Argon2 is the production hasher (tested in test_settings); MD5 keeps the suite fast.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.Argon2PasswordHasher",
    ]


@pytest.fixture
def make_account(db: Any) -> Any:
    from carepath.accounts.models import User

    def make(username: str, role: str = "help_seeker", **extra: Any) -> User:
        account = User(username=username, role=role, **extra)
        account.set_password(PASSWORD)
        account.save()
        return account

    return make


@pytest.fixture
def personas(make_account: Any) -> dict[str, Any]:
    """One account per role, plus a second help-seeker to test 'someone else's record'."""
    return {
        "help_seeker": make_account("seeker"),
        "other_help_seeker": make_account("other-seeker"),
        "peer_supporter": make_account("peer", "peer_supporter"),
        "professional": make_account("pro", "professional"),
        "coordinator": make_account("coord", "coordinator"),
    }


def pytest_report_header(config: Any) -> str:
    from django.conf import settings

    return f"carepath database: {settings.DATABASES['default']['ENGINE']}"
