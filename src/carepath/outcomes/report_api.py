"""The programme report over the JSON API: `GET /api/v1/reports/outcomes` (coordinators only).

Anonymous callers get 401 (the API's sign-in check) and signed-in people who are not coordinators
403: the report is one resource for a role, not an object whose existence needs hiding. Bad filters
get 422 naming the parameter, in the project's error shape (config/api.py).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.security import django_auth

from carepath import policy
from carepath.outcomes.report_exports import report_payload
from carepath.outcomes.report_query import read_report_query
from carepath.outcomes.report_services import read_outcomes_report

router = Router(tags=["reports"])


class OutcomesReportQuery(Schema):
    # Plain text on purpose: the report's own parser checks each value and names the parameter,
    # so a bad date reads "from: must be a date written as YYYY-MM-DD" like every other 422 here.
    date_from: str | None = Field(
        None, alias="from", description="episodes that ended on or after (YYYY-MM-DD)"
    )
    date_to: str | None = Field(None, alias="to", description="episodes that ended on or before (YYYY-MM-DD)")
    service: str | None = Field(None, description="a directory service id")
    organisation: str | None = Field(None, description="a directory organisation id")
    pathway: str | None = Field(None, description="peer, professional or both")
    group_by: str | None = Field(None, description="pathway (default) or service")


@router.get(
    "/outcomes",
    auth=django_auth,
    response=dict[str, Any],
    summary="Programme outcomes per kind of support or service, small numbers suppressed (coordinators)",
)
def outcomes_report(request: HttpRequest, filters: Query[OutcomesReportQuery]) -> dict[str, Any]:
    if not policy.can_view_programme_outcomes(request.user):
        raise HttpError(403, "Only coordinators can read programme reports.")
    raw = {
        "from": filters.date_from,
        "to": filters.date_to,
        "service": filters.service,
        "organisation": filters.organisation,
        "pathway": filters.pathway,
        "group_by": filters.group_by,
    }
    report = read_outcomes_report(actor=request.user, query=read_report_query(raw), channel="api")
    return report_payload(report)
