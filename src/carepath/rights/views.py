"""The account page's rights: download everything (JSON or FHIR), and erase the account.

Downloads are POSTed from the account page, so a link cannot be prefetched or followed into an
audited export, and answered as attachments that no cache may keep.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_POST

from carepath.errors import FieldProblem
from carepath.rights.forms import EraseForm
from carepath.rights.selectors import holdings
from carepath.rights.services.erasure import erase_account
from carepath.rights.services.exports import ExportFormat, export_account

_DOWNLOADS = {
    ExportFormat.JSON: ("application/json", "carepath-{date}.json"),
    ExportFormat.FHIR: ("application/fhir+json", "carepath-{date}.fhir.json"),
}


@login_required
@require_POST
def export_json(request: HttpRequest) -> HttpResponse:
    return _download(request, ExportFormat.JSON)


@login_required
@require_POST
def export_fhir(request: HttpRequest) -> HttpResponse:
    return _download(request, ExportFormat.FHIR)


def _download(request: HttpRequest, export_format: ExportFormat) -> HttpResponse:
    document = export_account(actor=request.user, account=request.user, export_format=export_format)
    content_type, filename = _DOWNLOADS[export_format]
    response = HttpResponse(
        json.dumps(document, indent=2, ensure_ascii=False), content_type=f"{content_type}; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename.format(date=timezone.localdate())}"'
    no_store(response)
    return response


def no_store(response: HttpResponse) -> None:
    add_never_cache_headers(response)  # no-cache, no-store, must-revalidate, private, max-age=0


@login_required
def erase(request: HttpRequest) -> HttpResponse:
    form = EraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            erase_account(actor=request.user, account=request.user, password=form.cleaned_data["password"])
        except FieldProblem as problem:
            form.add_error("password", problem.problem.capitalize() + ".")
        else:
            logout(request)
            return redirect("account_erased")
    status = 400 if request.method == "POST" else 200
    return _erase_page(request, form, status)


def _erase_page(request: HttpRequest, form: EraseForm, status: int) -> HttpResponse:
    found = holdings(request.user)
    context: dict[str, Any] = {
        "form": form,
        "goes": [item for item in found if item.erasure == "delete"],
        "stays": [item for item in found if item.erasure != "delete"],
    }
    response = render(request, "rights/erase.html", context, status=status)
    no_store(response)
    return response


def erased(request: HttpRequest) -> HttpResponse:
    return render(request, "rights/erased.html")
