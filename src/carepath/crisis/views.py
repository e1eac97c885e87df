"""The crisis help page. It reads only shipped data and a cookie: no database at all."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from carepath.crisis.selectors import REGION_COOKIE, REGION_COOKIE_MAX_AGE, crisis_registry, region_for


@transaction.non_atomic_requests
def crisis_help(request: HttpRequest) -> HttpResponse:
    region = region_for(request)
    response = render(
        request,
        "crisis/help.html",
        {"region": region, "regions": crisis_registry().regions, "compiled": crisis_registry().compiled},
    )
    if request.GET.get("region") == region.code:
        response.set_cookie(REGION_COOKIE, region.code, max_age=REGION_COOKIE_MAX_AGE, samesite="Lax")
    return response
