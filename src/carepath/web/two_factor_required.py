"""Until a session passes two-factor sign-in, an account that needs it reaches only the way there.

An account needs it when its role requires it (`policy.requires_two_factor`: professionals and
coordinators) or when its owner turned it on. Until the session is verified such an account may
open only the two-factor set-up and code pages, log out, static files, crisis help (pages and API:
nothing stands between a person and crisis help) and the health check. Any other page redirects
to set-up (no device yet) or the code page, keeping `?next=` so the person lands where they were
going; a session-authenticated API call gets 403 with a JSON body saying what to do.

Requests signed with an API token are not sessions and pass untouched; making a token in the
first place needs a verified session for those roles (`policy.can_create_api_token`).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from carepath import policy
from carepath.accounts.two_factor_selectors import has_two_factor
from carepath.web.requester import signed_in_user
from carepath.web.throttling import API_PREFIXES

API_OPEN_PATHS = ("/api/v1/health",)
API_OPEN_PREFIXES = ("/api/v1/crisis/",)


def session_verified(request: HttpRequest) -> bool:
    """True once this session passed the second factor (django-otp's middleware keeps the device)."""
    is_verified = getattr(request.user, "is_verified", None)
    return bool(is_verified()) if callable(is_verified) else False


@cache
def _open_paths() -> tuple[frozenset[str], tuple[str, ...]]:
    """Exact paths and path prefixes reachable before the second factor (read once URLs load)."""
    exact = frozenset(
        {reverse("two_factor_set_up"), reverse("two_factor_verify"), reverse("logout"), *API_OPEN_PATHS}
    )
    static = "/" + str(settings.STATIC_URL).lstrip("/")
    return exact, (static, reverse("crisis_help"), *API_OPEN_PREFIXES)


def is_open_before_second_factor(path: str) -> bool:
    exact, prefixes = _open_paths()
    return path in exact or path.startswith(prefixes)


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if getattr(request, "api_token", None) is None and not is_open_before_second_factor(
            request.path_info
        ):
            account = signed_in_user(request)
            if account is not None and not session_verified(request):
                has_device = has_two_factor(account)
                if has_device or policy.requires_two_factor(account):
                    return _second_factor_first(request, has_device=has_device)
        return self.get_response(request)


def _second_factor_first(request: HttpRequest, *, has_device: bool) -> HttpResponse:
    if request.path_info.startswith(API_PREFIXES):
        detail = _(
            "This account signs in with two factors. Finish signing in on the two-factor page in "
            "your browser, then try again; programs can use an API token instead."
        )
        return JsonResponse({"detail": detail, "errors": []}, status=403)
    target = reverse("two_factor_verify" if has_device else "two_factor_set_up")
    # Only a page being read is worth returning to; a form sent now was not kept.
    if request.method in ("GET", "HEAD"):
        target = f"{target}?{urlencode({'next': request.get_full_path()})}"
    return redirect(target)
