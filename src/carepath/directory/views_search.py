"""The "Find support" page: search the directory by words, place, hours, cost and more; no account needed.

A plain GET form, so a search is a link a person can keep or share, and nothing is stored.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from carepath.directory.api_search import home_country
from carepath.directory.selectors.find import find_services
from carepath_core.errors import InvalidData
from carepath_core.search.costs import CostKind
from carepath_core.search.query import DEFAULT_RADIUS_KM
from carepath_core.vocabulary import lived_experience_topics, search_languages

RADIUS_CHOICES = (2, 5, 10, 25, 50, 100)
SEARCH_FIELDS = (
    "q", "near", "radius_km", "virtual", "open", "at", "tz", "cost", "max_cost", "language", "modality",
    "support_type", "topic", "age", "capacity", "sort", "per_page",
)  # fmt: skip


def _choices() -> dict[str, Any]:
    return {
        "radius_choices": RADIUS_CHOICES,
        "support_type_choices": (
            ("peer", "Peer support"),
            ("professional", "Professional support"),
            ("hybrid", "Peer and professional together"),
            ("self_help", "Self-help"),
            ("crisis", "Crisis support"),
        ),
        "modality_choices": (("in_person", "In person"), ("online", "Online"), ("phone", "By phone")),
        "cost_choices": (
            (CostKind.FREE, "Free"),
            (CostKind.SLIDING_SCALE, "Sliding scale"),
            (CostKind.INSURANCE, "Insurance accepted"),
        ),
        "topic_choices": tuple(lived_experience_topics().items()),
        "language_choices": tuple(search_languages().items()),
    }


def _page_link(request: HttpRequest, page: int) -> str:
    params = request.GET.copy()
    params["page"] = str(page)
    return "?" + params.urlencode()


def find(request: HttpRequest) -> HttpResponse:
    asked = any(request.GET.get(name) for name in SEARCH_FIELDS)
    context: dict[str, Any] = {
        **_choices(),
        "asked": asked,
        "values": request.GET,
        "chosen": {
            name: request.GET.getlist(name)
            for name in ("cost", "language", "modality", "support_type", "topic")
        },
        "radius": request.GET.get("radius_km") or str(int(DEFAULT_RADIUS_KM)),
        "error": None,
        "found": None,
    }
    status = 200
    if asked:
        try:
            found = find_services(
                dict(request.GET.lists()), home_country=home_country(request), now=timezone.now()
            )
        except InvalidData as problem:
            context["error"] = problem
            status = 422
        else:
            context["found"] = found
            page = found.query.page
            context["previous_link"] = _page_link(request, page - 1) if page > 1 else ""
            context["next_link"] = _page_link(request, page + 1) if found.has_more else ""
    return render(request, "directory/search.html", context, status=status)
