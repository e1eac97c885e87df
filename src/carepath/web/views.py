"""Home pages and error pages. Errors under /api/ are JSON; everywhere else they are pages."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from carepath import policy
from carepath.accounts.selectors import accounts_per_role
from carepath.audit.selectors import recent_events
from carepath.directory.selectors import organizations
from carepath.directory.selectors.listings import STALE_COUNT_CAP, stale_after_days, stale_service_count
from carepath.safety.selectors import open_risk_flags
from carepath_core.roles import Role

API_PREFIX = "/api/"
_ROLE_TEMPLATES = {
    Role.HELP_SEEKER: "web/home_help_seeker.html",
    Role.PEER_SUPPORTER: "web/home_peer_supporter.html",
    Role.PROFESSIONAL: "web/home_professional.html",
    Role.COORDINATOR: "web/home_coordinator.html",
}


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html")


@login_required
def role_home(request: HttpRequest) -> HttpResponse:
    role = Role(request.user.role)  # type: ignore[union-attr]
    context: dict[str, Any] = {"role": role}
    if policy.can_view_audit_trail(request.user):
        context["recent_events"] = recent_events(limit=10)
    if policy.can_review_risk_flags(request.user):
        context["open_risk_flags"] = open_risk_flags().count()
    if policy.can_manage_directory(request.user):
        context["organizations"] = organizations()
        context["stale_listings"] = stale_service_count()
        context["stale_count_capped"] = context["stale_listings"] >= STALE_COUNT_CAP
        context["stale_days"] = stale_after_days()
        context["accounts_per_role"] = accounts_per_role()
    return render(request, _ROLE_TEMPLATES[role], context)


def _error(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": message, "status": status}, status=status)
    body: str
    try:
        body = render_to_string(
            "web/error.html", {"title": title, "message": message, "status": status}, request
        )
    except Exception:  # noqa: BLE001 - the error page itself must never fail
        body = f"<!doctype html><html lang='en'><title>{title}</title><h1>{title}</h1><p>{message}</p></html>"
    return HttpResponse(body, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request, 400, _("Something in the request was not right"), _("Please go back and try again.")
    )


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 403, _("You cannot open this page"), _("Your account does not give access to it."))


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request,
        404,
        _("Page not found"),
        _("We could not find that page. It may have moved, or the link may be wrong."),
    )


def server_error(request: HttpRequest) -> HttpResponse:
    return _error(
        request,
        500,
        _("Something went wrong on our side"),
        _("The problem has been logged. Please try again in a few minutes."),
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _error(
        request,
        403,
        _("This form has expired"),
        _("For your safety, forms time out. Go back, reload the page and send it again."),
    )
