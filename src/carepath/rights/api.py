"""The person's export over the JSON API: GET /api/v1/me/export?format=json|fhir (audited)."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers
from ninja import Router
from ninja.security import django_auth

from carepath.rights.services.exports import ExportFormat, export_account

router = Router(tags=["rights"])


@router.get(
    "/export",
    response=dict[str, Any],
    auth=django_auth,
    summary="Everything Carepath holds about you: one JSON document, or a FHIR R4 Bundle (format=fhir)",
)
def export(request: HttpRequest, response: HttpResponse, format: Literal["json", "fhir"] = "json") -> Any:
    add_never_cache_headers(response)
    return export_account(actor=request.user, account=request.user, export_format=ExportFormat(format))
