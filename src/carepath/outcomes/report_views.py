"""The coordinators' programme outcomes dashboard and its CSV download, under /programme/outcomes/.

Thin, like every view: read the filters, ask `policy`, call the report service, render. A person
who is not a coordinator gets 403 (the page exists for the role; nothing about anyone is shown).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from carepath import policy
from carepath.outcomes import report_selectors
from carepath.outcomes.models import Pathway
from carepath.outcomes.report_exports import report_context, report_csv
from carepath.outcomes.report_query import read_report_query
from carepath.outcomes.report_services import read_outcomes_report
from carepath_core.errors import InvalidData


@login_required
def programme_outcomes(request: HttpRequest) -> HttpResponse:
    _require_coordinator(request)
    try:
        report = read_outcomes_report(
            actor=request.user, query=read_report_query(request.GET), channel="dashboard"
        )
    except InvalidData as error:
        context = {"fields": _filter_fields(request, error), "error": error}
        return render(request, "outcomes/programme.html", context, status=400)
    context = {**report_context(report), "fields": _filter_fields(request, None)}
    context["csv_query"] = request.GET.urlencode()
    return render(request, "outcomes/programme.html", context)


@login_required
def programme_outcomes_csv(request: HttpRequest) -> HttpResponse:
    _require_coordinator(request)
    try:
        report = read_outcomes_report(actor=request.user, query=read_report_query(request.GET), channel="csv")
    except InvalidData as error:
        return HttpResponse(f"{error}\n", status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(report_csv(report), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="carepath-outcomes.csv"'
    return response


def _require_coordinator(request: HttpRequest) -> None:
    if not policy.can_view_programme_outcomes(request.user):
        raise PermissionDenied


def _filter_fields(request: HttpRequest, error: InvalidData | None) -> list[dict[str, Any]]:
    """The GET form's fields with what was typed and any problem, in the order they are shown."""
    services = report_selectors.services_with_episodes()
    organisations = report_selectors.organisations_with_episodes()
    everything = [("", _("All"))]
    specs: list[tuple[str, str, str, list[tuple[str, str]]]] = [
        ("from", _("Ended on or after"), "date", []),
        ("to", _("Ended on or before"), "date", []),
        (
            "pathway",
            _("Kind of support"),
            "select",
            everything + [(v, str(label)) for v, label in Pathway.choices],
        ),
        ("organisation", _("Organisation"), "select", everything + organisations),
        ("service", _("Service"), "select", everything + services),
        (
            "group_by",
            _("Show figures per"),
            "select",
            [("pathway", _("kind of support")), ("service", _("service"))],
        ),
    ]
    return [
        {
            "name": name,
            "label": label,
            "kind": kind,
            "options": options,
            "value": request.GET.get(name, ""),
            "problem": error.problem if error is not None and error.field == name else "",
        }
        for name, label, kind, options in specs
    ]
