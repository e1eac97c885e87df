"""Check-in pages: pick questionnaires, answer them, see results — crisis help first on risk."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from carepath import policy
from carepath.crisis.selectors import region_for
from carepath.screening import selectors, services
from carepath.screening.forms import chosen_codes, read_posted_check_in
from carepath_core.instruments import Instrument, InvalidAnswers, ScoreResult, risk_flags, score
from carepath_core.safety import decide_safety

DEFAULT_CHOICE = ("phq9", "gad7")


@dataclass
class FormOutcome:
    instrument: Instrument
    result: ScoreResult | None
    problems: dict[str, str]


def start(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "screening/start.html",
        {"instruments": selectors.scorable_instruments(), "default_choice": DEFAULT_CHOICE},
    )


def questions(request: HttpRequest) -> HttpResponse:
    known = [i.code for i in selectors.scorable_instruments()]
    source = request.POST if request.method == "POST" else request.GET
    codes = chosen_codes(source, known)
    if not codes:
        return redirect("check_in")
    instruments = [selectors.instrument(code) for code in codes]
    if request.method != "POST":
        return render(request, "screening/questions.html", _form_context(request, instruments, {}, {}))
    posted = read_posted_check_in(request.POST, instruments)
    outcomes = [_score(i, posted.answers[i.code]) for i in instruments]
    all_risk = [item for i in instruments for item in risk_flags(i, posted.answers[i.code])]
    decision = decide_safety(all_risk, says_in_danger=posted.says_in_danger)
    context = {"decision": decision, "region": region_for(request)}
    if any(outcome.problems for outcome in outcomes):
        problems = {item: text for outcome in outcomes for item, text in outcome.problems.items()}
        answers = {item: value for code in codes for item, value in posted.answers[code].items()}
        context.update(_form_context(request, instruments, answers, problems))
        return render(request, "screening/questions.html", context, status=400)
    kept = posted.keep and policy.can_keep_assessments(request.user)
    if kept:
        for instrument in instruments:
            services.save_assessment(
                person=request.user,
                instrument_code=instrument.code,
                answers=posted.answers[instrument.code],
                says_in_danger=posted.says_in_danger,
            )
    context.update(outcomes=outcomes, kept=kept, history=_history(request, codes))
    return render(request, "screening/result.html", context)


@login_required
def history(request: HttpRequest) -> HttpResponse:
    known = [i.code for i in selectors.scorable_instruments()]
    return render(request, "screening/history.html", {"history": _history(request, known)})


def _score(instrument: Instrument, answers: dict[str, object]) -> FormOutcome:
    try:
        result = score(instrument, answers, caseness_cutoff=selectors.caseness_cutoff(instrument.code))
    except InvalidAnswers as error:
        return FormOutcome(instrument, None, {p.item: p.problem for p in error.problems})
    return FormOutcome(instrument, result, {})


def _form_context(
    request: HttpRequest, instruments: list[Instrument], answers: dict[str, object], problems: dict[str, str]
) -> dict[str, Any]:
    forms = [
        {
            "instrument": instrument,
            "items": [
                {
                    "item": item,
                    "selected": str(answers.get(item.id, "")),
                    "problem": problems.get(item.id, ""),
                }
                for item in instrument.items
            ],
        }
        for instrument in instruments
    ]
    return {
        "forms": forms,
        "chosen": [instrument.code for instrument in instruments],
        "problem_count": len(problems),
        "can_keep": policy.can_keep_assessments(request.user),
    }


def _history(request: HttpRequest, codes: list[str]) -> list[dict[str, Any]]:
    if not policy.can_keep_assessments(request.user):
        return []
    rows: list[dict[str, Any]] = []
    shown: dict[str, int] = {}
    for code in codes:
        kept = list(selectors.assessments_of(request.user, code)[:20])
        if kept:
            rows.append({"instrument": selectors.instrument(code), "assessments": kept})
            shown[code] = len(kept)
    if shown:
        services.record_history_read(actor=request.user, shown=shown)
    return rows
