"""Safety plan pages, the risk-alert consent switch, and the coordinators' review of risk flags."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carepath import policy
from carepath.safety import documents, selectors, services
from carepath.safety.forms import SafetyPlanForm
from carepath.safety.models import PLAN_STEPS, SafetyPlan

SAVE, PRINT = "save", "print"


def safety_plan(request: HttpRequest) -> HttpResponse:
    """Anyone may write and print a plan; only a signed-in person can keep it."""
    keeps = policy.can_keep_safety_plan(request.user)
    plan = selectors.safety_plan_of(request.user) if keeps else None
    if request.method != "POST":
        if plan is not None:
            services.record_safety_plan_read(actor=request.user, plan=plan)
        form = SafetyPlanForm.from_plan(plan)
        return render(request, "safety/plan.html", {"form": form, "plan": plan, "can_keep": keeps})
    form = SafetyPlanForm(request.POST)
    if not form.is_valid():
        return render(
            request, "safety/plan.html", {"form": form, "plan": plan, "can_keep": keeps}, status=400
        )
    steps = {step: form.cleaned_data[step] for step in PLAN_STEPS}
    if request.POST.get("action") == PRINT:
        return _pdf_response(request, steps)
    if not keeps:
        return redirect(f"{reverse('login')}?next={reverse('safety_plan')}")
    services.save_safety_plan(person=request.user, steps=steps)
    messages.success(request, _("Your safety plan is saved. Only you can see it."))
    return redirect("safety_plan")


@login_required
def safety_plan_pdf(request: HttpRequest) -> HttpResponse:
    plan = _own_plan(request)
    services.record_safety_plan_export(person=request.user, plan=plan, export_format="pdf")
    return _pdf_response(request, {step: getattr(plan, step) for step in PLAN_STEPS})


@login_required
def safety_plan_export(request: HttpRequest) -> HttpResponse:
    plan = _own_plan(request)
    services.record_safety_plan_export(person=request.user, plan=plan, export_format="json")
    document = documents.plan_json({step: getattr(plan, step) for step in PLAN_STEPS}, plan.updated_at)
    response = HttpResponse(
        json.dumps(document, indent=2, ensure_ascii=False), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="safety-plan.json"'
    return response


@login_required
@require_POST
def risk_alert_consent(request: HttpRequest) -> HttpResponse:
    granted = request.POST.get("granted") == "yes"
    services.set_risk_alert_consent(person=request.user, granted=granted)
    messages.success(request, _("Your choice about risk alerts is saved."))
    return redirect("account")


@login_required
def risk_flags(request: HttpRequest) -> HttpResponse:
    if not policy.can_review_risk_flags(request.user):
        raise Http404
    return render(request, "safety/risk_flags.html", {"flags": selectors.recent_risk_flags()})


@login_required
@require_POST
def review_risk_flag(request: HttpRequest, flag_id: int) -> HttpResponse:
    flag = selectors.risk_flag_by_id(flag_id)
    if flag is None or not policy.can_review_risk_flags(request.user):
        raise Http404
    services.review_risk_flag(actor=request.user, flag=flag, note=request.POST.get("note", "")[:2000])
    messages.success(request, _("The flag is marked as reviewed."))
    return redirect("risk_flags")


def _own_plan(request: HttpRequest) -> SafetyPlan:
    plan = selectors.safety_plan_of(request.user)
    if plan is None or not policy.can_view_safety_plan(request.user, plan):
        raise Http404
    return plan


def _pdf_response(request: HttpRequest, steps: dict[str, str]) -> HttpResponse:
    response = HttpResponse(documents.plan_pdf(request, steps), content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="safety-plan.pdf"'
    return response
