"""Staff sign-ins end after a spell without activity; help-seekers keep the ordinary session length.

Peer supporters, professionals and coordinators see other people's records, often on shared or
unattended computers, so after CAREPATH_STAFF_IDLE_MINUTES without a request their session ends
and the log-in page says why. People seeking support see only their own records and keep
Django's session length, so a check-in left open over lunch is not lost.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import ngettext

from carepath.web.requester import signed_in_user
from carepath.web.throttling import API_PREFIXES
from carepath_core.roles import Role

LAST_SEEN_KEY = "carepath_last_seen"
# Writing the session on every request would cost a database write each time; a minute's
# precision is plenty for a limit counted in minutes.
RECORD_EVERY_SECONDS = 60


def has_idle_limit(user: Any) -> bool:
    """Every role that works with other people's records; everyone but the person seeking support."""
    return user is not None and bool(user.is_authenticated) and user.role != Role.HELP_SEEKER


@receiver(user_logged_in, dispatch_uid="carepath-idle-clock")
def start_the_idle_clock(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """Log-in is activity: noted in the session being saved anyway, so the first page writes nothing."""
    if request is not None and hasattr(request, "session"):
        request.session[LAST_SEEN_KEY] = int(time.time())


class StaffIdleTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if has_idle_limit(signed_in_user(request)):
            ended = self._end_if_idle(request)
            if ended is not None:
                return ended
        return self.get_response(request)

    def _end_if_idle(self, request: HttpRequest) -> HttpResponse | None:
        """Log out a session idle for too long (answering where to go), or note this request."""
        now = int(time.time())
        minutes: int = settings.CAREPATH_STAFF_IDLE_MINUTES
        last_seen = request.session.get(LAST_SEEN_KEY)
        if isinstance(last_seen, int) and now - last_seen > minutes * 60:
            logout(request)
            if request.path_info.startswith(API_PREFIXES):
                return None  # the API answers as for anyone signed out: 401 where a login is needed
            messages.info(request, _timed_out_message(minutes))
            # Only a page that was being read is worth returning to; a form post was not kept.
            if request.method in ("GET", "HEAD"):
                return redirect_to_login(request.get_full_path())
            return redirect(settings.LOGIN_URL)
        if not isinstance(last_seen, int) or now - last_seen >= RECORD_EVERY_SECONDS:
            request.session[LAST_SEEN_KEY] = now
        return None


def _timed_out_message(minutes: int) -> str:
    return ngettext(
        "You were logged out because nothing happened for %(minutes)d minute. This keeps the "
        "records you work with private on a shared or unattended computer. Please log in again.",
        "You were logged out because nothing happened for %(minutes)d minutes. This keeps the "
        "records you work with private on a shared or unattended computer. Please log in again.",
        minutes,
    ) % {"minutes": minutes}
