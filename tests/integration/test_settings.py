"""Security-relevant settings as shipped (the suite itself swaps in a fast hasher)."""

from __future__ import annotations

from django.contrib.auth.hashers import check_password, make_password

from carepath.config import settings as shipped


def test_passwords_are_hashed_with_argon2() -> None:
    assert shipped.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    hashed = make_password("a-long-test-passphrase", hasher="argon2")
    assert hashed.startswith("argon2$argon2id$")
    assert check_password("a-long-test-passphrase", hashed)


def test_debug_is_off_and_lockout_is_on_by_default() -> None:
    assert shipped.DEBUG is False
    assert shipped.AXES_FAILURE_LIMIT == 5
    assert shipped.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert shipped.AUTH_USER_MODEL == "accounts.User"
