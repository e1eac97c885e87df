"""Django's sign-in signals, handed to the audit trail's sign-in events (carepath.audit.auth_events)."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from carepath.audit import auth_events
from carepath.web import requester


def client_address(request: HttpRequest | None) -> str | None:
    """The client's address, read through the trusted proxies as the rate limits and lock-out read it."""
    return requester.client_address(request) or None if request is not None else None


@receiver(user_logged_in)
def _logged_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    auth_events.record_login(user, client_address(request))


@receiver(user_logged_out)
def _logged_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    auth_events.record_logout(user, client_address(request))


@receiver(user_login_failed)
def _login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    auth_events.record_failed_login(str(credentials.get("username", "")), client_address(request))


@receiver(user_locked_out)
def _locked_out(sender: Any, request: HttpRequest | None, username: str | None = None, **kwargs: Any) -> None:
    auth_events.record_failed_login(username or "", client_address(request), locked_out=True)
