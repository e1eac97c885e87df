"""The coordinators' audit page (/audit/) and each person's own access log.

Thin: parse, ask `policy`, call one service or selector, render. A signed-in person who is not a
coordinator gets 403 on /audit/ (the page exists for the role; nothing about anyone is shown).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from carepath import policy
from carepath.audit import selectors, services
from carepath.audit.forms import PageCursorForm, TrailFilterForm
from carepath.audit.presentation import access_log_entries, trail_rows
from carepath.audit.selectors import EventPage, TrailQuery


@login_required
def audit_trail(request: HttpRequest) -> HttpResponse:
    if not policy.can_view_audit_trail(request.user):
        raise PermissionDenied
    form = TrailFilterForm(request.GET or None)
    context: dict[str, Any] = {
        "form": form,
        "head": selectors.chain_head(),
        "last_check": selectors.latest_chain_check(),
    }
    if form.is_bound and not form.is_valid():
        return render(request, "audit/trail.html", context, status=400)
    query, cursor = (form.query(), form.cleaned_data) if form.is_bound else (TrailQuery(), {})
    page = services.read_audit_trail(
        actor=request.user, query=query, before=cursor.get("before"), after=cursor.get("after")
    )
    context.update(page=page, rows=trail_rows(page.events), **_pager_links(request, page))
    return render(request, "audit/trail.html", context)


@login_required
def access_log(request: HttpRequest) -> HttpResponse:
    if not policy.can_view_own_access_log(request.user):
        raise PermissionDenied
    cursor = PageCursorForm(request.GET)
    # A cursor that is not a page number is an edited link: show the newest page instead.
    cleaned = cursor.cleaned_data if cursor.is_valid() else {}
    person = request.user
    assert person.pk is not None  # nosec B101 # type narrowing: the policy admits signed-in accounts only
    page = selectors.access_log_page(person.pk, before=cleaned.get("before"), after=cleaned.get("after"))
    context = {"entries": access_log_entries(page.events, person), "page": page}
    return render(request, "audit/access_log.html", {**context, **_pager_links(request, page)})


def _pager_links(request: HttpRequest, page: EventPage) -> dict[str, str]:
    """Links to the pages either side, keeping the filters."""
    links = {}
    for name, key, value in (("newer_url", "after", page.newer), ("older_url", "before", page.older)):
        if value is None:
            continue
        params = request.GET.copy()
        params.pop("before", None)
        params.pop("after", None)
        params[key] = str(value)
        links[name] = f"?{params.urlencode()}"
    return links
