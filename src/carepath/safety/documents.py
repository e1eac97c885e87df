"""The safety plan as a printable PDF (WeasyPrint) and as portable JSON."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from carepath.crisis.selectors import region_for
from carepath.safety.forms import STEP_HINTS
from carepath.safety.models import PLAN_STEP_TITLES, PLAN_STEPS


def plan_steps(values: Mapping[str, str]) -> list[dict[str, Any]]:
    return [
        {
            "id": step,
            "title": str(PLAN_STEP_TITLES[step]),
            "hint": str(STEP_HINTS[step]),
            "text": values.get(step, ""),
        }
        for step in PLAN_STEPS
    ]


def plan_pdf(request: HttpRequest, values: Mapping[str, str]) -> bytes:
    # Imported here: WeasyPrint needs Pango from the system, and only this page uses it.
    from weasyprint import HTML

    html = render_to_string(
        "safety/plan_pdf.html",
        {"steps": plan_steps(values), "region": region_for(request), "printed_at": timezone.now()},
        request=request,
    )
    return bytes(HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf())


def plan_json(values: Mapping[str, str], updated_at: Any) -> dict[str, Any]:
    return {
        "format": "carepath-safety-plan",
        "version": 1,
        "updated_at": updated_at.isoformat() if updated_at else None,
        "steps": [{"id": s["id"], "title": s["title"], "text": s["text"]} for s in plan_steps(values)],
    }
