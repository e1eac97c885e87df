"""The person's side: their requests and relationships (/support/), asking for contact, and the
consent screen of a hand-off, which shows exactly what would be shared before they answer."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carepath import policy
from carepath.errors import FieldProblem, NotPermitted
from carepath.referrals import selectors
from carepath.referrals.forms import EndForm, show_refusal
from carepath.referrals.services import hand_offs, reads, referrals
from carepath.referrals.views.context import (
    hand_off_or_404,
    referral_or_404,
    relationship_context,
    sentence,
    shown_snapshot,
)
from carepath.sharing.selectors.confidentiality import ask_target
from carepath_core.errors import DomainError, InvalidData
from carepath_core.referrals import HandOffStatus, Side, allowed_actions


@login_required
def my_support(request: HttpRequest) -> HttpResponse:
    if not policy.can_ask_for_contact(request.user):
        raise PermissionDenied
    return _support_page(request)


def _support_page(request: HttpRequest, refusal: str = "", status: int = 200) -> HttpResponse:
    found = selectors.referrals_of_person(request.user)
    # The person's own list is recorded like their own single referral page (docs/security.md).
    reads.record_list_read(actor=request.user, referrals=found, listed_on="support")
    context = {
        "referrals": found,
        "waiting_hand_offs": selectors.hand_offs_waiting_for(request.user),
        "professionals": selectors.professionals_taking_referrals(),
        "asked_professionals": selectors.asked_professional_ids(request.user),
        "refusal": refusal,
    }
    return render(request, "referrals/my_support.html", context, status=status)


@login_required
def ask_for_contact(request: HttpRequest) -> HttpResponse:
    """Two steps, no script needed: every "ask" button first opens the supporter's confidentiality
    notice (docs/sharing.md); only that page's confirm button sends the request."""
    if not policy.can_ask_for_contact(request.user):
        raise PermissionDenied
    if request.method != "POST" or request.POST.get("confirm") != CONFIRMED:
        return _before_you_ask(request, request.POST if request.method == "POST" else request.GET)
    try:
        referral = referrals.ask_for_contact(
            actor=request.user, kind=request.POST.get("kind"), profile_id=request.POST.get("profile")
        )
    except FieldProblem as problem:
        return _support_page(request, refusal=sentence(problem), status=400)
    name = referral.supporter.shown_name
    messages.success(
        request, _("Your request went to %(name)s. You will see their answer here.") % {"name": name}
    )
    return redirect("my_support_detail", referral_id=referral.pk)


CONFIRMED = "read"  # the confirm button's value: the person was shown the notice first


def _before_you_ask(request: HttpRequest, asked: Any) -> HttpResponse:
    target = ask_target(asked.get("kind"), asked.get("profile"))
    if target is None:
        raise Http404
    return render(request, "sharing/before_contact.html", {"target": target, "confirmed": CONFIRMED})


@login_required
def my_support_detail(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = referral_or_404(request, referral_id)
    if request.user.pk != referral.person_id:
        return redirect("supporting_detail", referral_id=referral.pk)
    return _detail_page(request, referral)


def _detail_page(
    request: HttpRequest,
    referral: Any,
    *,
    end_form: EndForm | None = None,
    refusal: str = "",
    status: int = 200,
) -> HttpResponse:
    context = relationship_context(request, referral)
    if policy.can_view_shared_snapshot(request.user, referral):
        context["shared"] = shown_snapshot(
            hand_offs.open_shared_snapshot(actor=request.user, referral=referral)
        )
    context.update(
        actions=[a.value for a in allowed_actions(referral.status_enum, Side.PERSON)],
        end_form=end_form or EndForm(prefix="end"),
        refusal=refusal,
    )
    return render(request, "referrals/my_support_detail.html", context, status=status)


@login_required
@require_POST
def withdraw_request(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = referral_or_404(request, referral_id)
    try:
        referrals.withdraw_request(actor=request.user, referral=referral)
    except NotPermitted as refused:
        raise PermissionDenied from refused
    except DomainError as refused:
        return _detail_page(request, referral, refusal=sentence(refused), status=400)
    messages.success(request, _("Your request is withdrawn."))
    return redirect("my_support_detail", referral_id=referral.pk)


@login_required
@require_POST
def end_support(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = referral_or_404(request, referral_id)
    form = EndForm(request.POST, prefix="end")
    if form.is_valid():
        try:
            referrals.end_relationship(
                actor=request.user, referral=referral, reason=form.cleaned_data["reason"]
            )
        except FieldProblem as problem:
            show_refusal(form, problem)
        except DomainError as refused:
            return _detail_page(request, referral, refusal=sentence(refused), status=400)
        else:
            messages.success(request, _("The relationship has ended. Thank you for telling them why."))
            return redirect("my_support_detail", referral_id=referral.pk)
    return _detail_page(request, referral, end_form=form, status=400)


@login_required
def hand_off_consent(request: HttpRequest, hand_off_id: int) -> HttpResponse:
    hand_off = hand_off_or_404(request, hand_off_id)
    if request.method == "POST":
        return _answer(request, hand_off)
    return _consent_page(request, hand_off)


def _consent_page(request: HttpRequest, hand_off: Any, refusal: str = "", status: int = 200) -> HttpResponse:
    screen = hand_offs.open_consent_screen(actor=request.user, hand_off=hand_off)
    context = {
        "hand_off": hand_off,
        "shared": shown_snapshot(screen.snapshot),
        "fingerprint": screen.fingerprint,
        "waiting": hand_off.status == HandOffStatus.ASKED.value,
        "refusal": refusal,
    }
    return render(request, "referrals/consent.html", context, status=status)


def _answer(request: HttpRequest, hand_off: Any) -> HttpResponse:
    answer = request.POST.get("answer")
    if answer not in ("agree", "decline"):
        return _consent_page(request, hand_off, refusal=_("Choose to agree or to share nothing."), status=400)
    try:
        if answer == "agree":
            referral = hand_offs.agree_to_hand_off(
                actor=request.user, hand_off=hand_off, agreed_fingerprint=request.POST.get("fingerprint", "")
            )
            messages.success(
                request, _("Thank you. What you saw is now shared, and your request went to them.")
            )
            return redirect("my_support_detail", referral_id=referral.pk)
        hand_offs.decline_hand_off(actor=request.user, hand_off=hand_off)
    except (FieldProblem, InvalidData) as problem:
        return _consent_page(request, hand_off, refusal=sentence(problem), status=400)
    except DomainError as refused:
        return _consent_page(request, hand_off, refusal=sentence(refused), status=400)
    messages.success(request, _("You said no. Nothing was shared."))
    return redirect("my_support")
