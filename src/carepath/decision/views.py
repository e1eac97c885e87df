"""The decision aid as web pages: four steps on one URL, answers carried in hidden fields.

Every step posts to /decide/ with the answers so far; nothing is stored unless a signed-in
person chooses "Save this recommendation". Crisis help comes first on every page once risk shows.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from carepath import policy
from carepath.crisis.selectors import region_for
from carepath.decision import documents, forms, selectors, services
from carepath.decision.errors import RuleSetRefused
from carepath.decision.forms import RESULT_STEP, Answers
from carepath.decision.inputs import DecisionRequest, read_request
from carepath.screening.models import Assessment
from carepath.screening.selectors import assessments_of, instrument
from carepath_core.decision import Recommendation
from carepath_core.errors import DomainError, InvalidData

PDF, SAVE = "pdf", "save"
MAX_RULES_FILE_BYTES = 512 * 1024
TEMPLATES = {
    0: "decision/intro.html",
    1: "decision/checkin.html",
    2: "decision/preferences.html",
    3: "decision/limits.html",
}


def decide(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _step_page(request, Answers(), 0)
    answers = forms.read_answers(request.POST)
    step = forms.posted_step(request.POST)
    action = request.POST.get("action", "")
    target = RESULT_STEP if action in (PDF, SAVE) else forms.target_step(step, request.POST.get("go", ""))
    if target <= step and target != RESULT_STEP:
        return _step_page(request, answers, target)  # going back never checks, so nothing is lost
    return _go_on(request, answers, target, action)


def _go_on(request: HttpRequest, answers: Answers, target: int, action: str) -> HttpResponse:
    """Check every answer so far; then the next step, or the result and its actions."""
    data = forms.request_data(answers, _kept_answers(request))
    try:
        decision_request, recommendation = recommendation_for(data)
    except InvalidData as error:
        return _invalid(request, answers, forms.form_field(error.field, data), error.problem)
    if target != RESULT_STEP:
        return _step_page(request, answers, target)
    if action == PDF:
        return _pdf(request, decision_request, recommendation)
    if action == SAVE:
        return _save(request, answers, data, decision_request, recommendation)
    return _result_page(request, answers, decision_request, recommendation)


def recommendation_for(data: dict[str, Any]) -> tuple[DecisionRequest, Recommendation]:
    """Read the request and apply the active rules, exactly as the JSON API does."""
    decision_request = read_request(data)
    return decision_request, selectors.recommendation_for(decision_request)


def _step_page(
    request: HttpRequest,
    answers: Answers,
    step: int,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    context: dict[str, Any] = {
        "step": step,
        "steps": forms.STEPS[1:],
        "heading": forms.STEPS[step],
        "answers": answers,
        "hidden": forms.hidden_fields(answers, step),
        "crisis_first": request.method == "POST" and _at_risk(request, answers),
        "region": region_for(request),
        "errors": errors or {},
        "aid": selectors.decision_aid(),
    }
    context.update(_STEP_CONTEXT[step](request, answers, errors or {}))
    return render(request, TEMPLATES[step], context, status=status)


def _intro_context(request: HttpRequest, answers: Answers, errors: dict[str, str]) -> dict[str, Any]:
    return {}


def _check_in_context(request: HttpRequest, answers: Answers, errors: dict[str, str]) -> dict[str, Any]:
    kept = _kept_check_ins(request)
    return {
        "kept": [
            (instrument(code).short_name, kept[code].total) for code in forms.INSTRUMENTS if code in kept
        ],
        "kept_date": max((a.completed_at for a in kept.values()), default=None),
        "totals": [
            {
                "name": f"{code}_total",
                "label": forms.FIELD_LABELS[f"{code}_total"],
                "max": instrument(code).max_total,
                "value": answers.get(f"{code}_total"),
                "error": errors.get(f"{code}_total", ""),
            }
            for code in forms.INSTRUMENTS
        ],
    }


def _preferences_context(request: HttpRequest, answers: Answers, errors: dict[str, str]) -> dict[str, Any]:
    return {
        "dimensions": [
            {
                "content": dimension,
                "field": f"pref_{dimension.id}",
                "rating": answers.rating(dimension.id),
                "error": errors.get(f"pref_{dimension.id}", ""),
            }
            for dimension in selectors.decision_aid().dimensions
        ],
        "rating_choices": forms.RATING_CHOICES,
    }


def _limits_context(request: HttpRequest, answers: Answers, errors: dict[str, str]) -> dict[str, Any]:
    return {
        "currencies": forms.CURRENCIES,
        "modality_choices": forms.MODALITY_CHOICES,
        "support_choices": forms.SUPPORT_CHOICES,
    }


_STEP_CONTEXT = {0: _intro_context, 1: _check_in_context, 2: _preferences_context, 3: _limits_context}


def _invalid(request: HttpRequest, answers: Answers, field: str, problem: str) -> HttpResponse:
    message = _("%(field)s %(problem)s.") % {"field": _label(field), "problem": problem}
    return _step_page(request, answers, forms.step_of(field), {field: message}, status=400)


def _label(field: str) -> str:
    titles = {f"pref_{d.id}": d.title for d in selectors.decision_aid().dimensions}
    if field in titles:
        return _("Your answer for “%(title)s”") % {"title": titles[field]}
    return str(forms.FIELD_LABELS.get(field, _("This answer")))


def _result_page(
    request: HttpRequest,
    answers: Answers,
    decision_request: DecisionRequest,
    recommendation: Recommendation,
    **extra: Any,
) -> HttpResponse:
    aid = selectors.decision_aid()
    pathway = recommendation.pathway.value
    before = answers.last_pathway if answers.last_pathway not in ("", pathway) else ""
    context = {
        **documents.result_context(aid, recommendation),
        "step": RESULT_STEP,
        "steps": forms.STEPS[1:],
        "crisis_first": decision_request.risk,
        "region": region_for(request),
        "hidden": forms.hidden_fields(replace(answers, last_pathway=pathway), RESULT_STEP),
        "changed_from": documents.pathway_name(aid, before),
        "can_keep": policy.can_keep_recommendations(request.user),
        **extra,
    }
    return render(request, "decision/result.html", context)


def _pdf(
    request: HttpRequest, decision_request: DecisionRequest, recommendation: Recommendation
) -> HttpResponse:
    aid = selectors.decision_aid()
    context = {**documents.result_context(aid, recommendation), "crisis_first": decision_request.risk}
    response = HttpResponse(documents.recommendation_pdf(request, context), content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="carepath-recommendation.pdf"'
    return response


def _save(
    request: HttpRequest,
    answers: Answers,
    data: dict[str, Any],
    decision_request: DecisionRequest,
    recommendation: Recommendation,
) -> HttpResponse:
    if not policy.can_keep_recommendations(request.user):
        return _result_page(request, answers, decision_request, recommendation, log_in_to_save=True)
    services.save_recommendation(
        person=request.user, request=decision_request, recommendation=recommendation, inputs=data
    )
    messages.success(request, _("Your recommendation is saved. Only you can see it."))
    return _result_page(request, answers, decision_request, recommendation, saved=True)


def _kept_check_ins(request: HttpRequest) -> dict[str, Assessment]:
    """The person's latest kept PHQ-9 and GAD-7, when signed in."""
    if not policy.can_keep_assessments(request.user):
        return {}
    latest = {code: assessments_of(request.user, code).first() for code in forms.INSTRUMENTS}
    return {code: assessment for code, assessment in latest.items() if assessment is not None}


def _kept_answers(request: HttpRequest) -> dict[str, dict[str, Any]]:
    return {code: dict(a.answers) for code, a in _kept_check_ins(request).items()}


def _at_risk(request: HttpRequest, answers: Answers) -> bool:
    if answers.in_danger:
        return True
    if not answers.use_kept:
        return False
    try:
        return read_request(forms.request_data(answers, _kept_answers(request))).risk
    except InvalidData:
        return False


@login_required
def rules_page(request: HttpRequest) -> HttpResponse:
    """Coordinators see the active stepped-care rules and may upload a replacement file."""
    if not policy.can_manage_rules(request.user):
        raise Http404
    problems: list[str] = []
    if request.method == "POST":
        problems = _load_uploaded_rules(request)
        if not problems:
            messages.success(request, _("The new rules are checked and active."))
            return redirect("decision_rules")
    context = {
        "rule_set": selectors.active_rule_set(),
        "history": selectors.rule_set_history(),
        "problems": problems,
    }
    return render(request, "decision/rules.html", context, status=400 if problems else 200)


def _load_uploaded_rules(request: HttpRequest) -> list[str]:
    upload = request.FILES.get("rules_file")
    if upload is None:
        return [_("Choose a rules file (JSON) to upload.")]
    try:
        document = json.loads(upload.read(MAX_RULES_FILE_BYTES + 1)[:MAX_RULES_FILE_BYTES])
    except ValueError:
        return [_("The file is not valid JSON.")]
    try:
        services.load_rule_set(actor=request.user, document=document)
    except RuleSetRefused as refusal:
        return [str(problem) for problem in refusal.problems]
    except DomainError as error:
        return [str(error)]
    return []
