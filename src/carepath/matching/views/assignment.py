"""The coordinators' batch-assignment page (/coordinator/assignment/).

It proposes an assignment, for the programme's people waiting for a peer supporter or for an
uploaded instance file, and changes nothing: the people still ask for contact themselves.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from carepath import policy
from carepath.matching.assignment_form import InstanceUploadForm
from carepath.matching.services import assignment as batch
from carepath_core.errors import InvalidData

MOST_ROWS_SHOWN = 500  # a page stays readable; the download holds every row


@dataclass(frozen=True)
class ShownRow:
    person: str
    supporter: str | None
    score: float | None
    reasons: tuple[str, ...]


@login_required
def batch_assignment(request: HttpRequest) -> HttpResponse:
    if not policy.can_run_batch_assignment(request.user):
        raise PermissionDenied
    if request.method != "POST":
        return _page(request, InstanceUploadForm())
    if request.POST.get("source") == "stored":
        result = batch.assign_stored_programme(actor=request.user)
        return _page(request, InstanceUploadForm(), result, source="stored")
    form = InstanceUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, form, status=400)
    upload = form.cleaned_data["instance"]
    try:
        result = batch.assign_uploaded(actor=request.user, content=upload.read())
    except InvalidData as error:
        form.add_error("instance", f"{upload.name}: {error}")
        return _page(request, form, status=400)
    return _page(request, InstanceUploadForm(), result, source=upload.name)


def _page(
    request: HttpRequest,
    form: InstanceUploadForm,
    result: batch.BatchResult | None = None,
    *,
    source: str = "",
    status: int = 200,
) -> HttpResponse:
    context: dict[str, Any] = {"form": form, "source": source, "result": result}
    if result is not None:
        context.update(_shown(result))
    return render(request, "matching/batch_assignment.html", context, status=status)


def _shown(result: batch.BatchResult) -> dict[str, Any]:
    names = result.names

    def name(identifier: str) -> str:
        return names.get(identifier, identifier)

    placements = result.assignment.placements
    rows = [
        ShownRow(name(p.seeker_id), name(p.supporter_id) if p.supporter_id else None, p.score, p.reasons)
        for p in placements[:MOST_ROWS_SHOWN]
    ]
    loads = [
        (name(supporter), load, result.capacities.get(supporter, load))
        for supporter, load in result.assignment.loads.items()
    ]
    document = json.dumps(result.document, ensure_ascii=False, indent=1).encode("utf-8")
    return {
        "rows": rows,
        "loads": loads[:MOST_ROWS_SHOWN],
        "people": len(placements),
        "assigned": sum(p.supporter_id is not None for p in placements),
        "rows_cut": len(placements) > MOST_ROWS_SHOWN or len(loads) > MOST_ROWS_SHOWN,
        # A data link: the browser saves the file itself, so nothing needs keeping on the server.
        "download": base64.b64encode(document).decode("ascii"),
    }
