"""The supporter's side (/supporting/): requests to answer, relationships, the contact log with
peer or clinical notes, ending, and a peer supporter's hand-off to a professional."""

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
from carepath.referrals.forms import ContactForm, DeclineForm, EndForm, HandOffForm, show_refusal
from carepath.referrals.services import contacts, hand_offs, reads, referrals
from carepath.referrals.views.context import referral_or_404, relationship_context, sentence, shown_snapshot
from carepath.sharing import services as sharing
from carepath.sharing.scopes import SCOPE_LABELS
from carepath_core.errors import DomainError, InvalidData
from carepath_core.referrals import HandOffStatus, Side, Status, SupportKind, allowed_actions
from carepath_core.roles import Role


@login_required
def people(request: HttpRequest) -> HttpResponse:
    if not policy.can_support_people(request.user):
        raise PermissionDenied
    return _people_page(request)


def _people_page(request: HttpRequest, refusal: str = "", status: int = 200) -> HttpResponse:
    found = selectors.referrals_of_supporter(request.user)
    reads.record_list_read(actor=request.user, referrals=found, listed_on="supporting")
    is_peer = getattr(request.user, "role", "") == Role.PEER_SUPPORTER.value
    kind = SupportKind.PEER if is_peer else SupportKind.PROFESSIONAL
    context = {
        "requests": [
            (r, DeclineForm(prefix=f"r{r.pk}")) for r in found if r.status == Status.REQUESTED.value
        ],
        "active": [r for r in found if r.status == Status.ACTIVE.value],
        "earlier": [r for r in found if r.status not in (Status.REQUESTED.value, Status.ACTIVE.value)],
        "load": selectors.load_and_capacity(request.user, kind),
        "is_peer": kind is SupportKind.PEER,
        "refusal": refusal,
    }
    return render(request, "referrals/people.html", context, status=status)


@login_required
def supporting_detail(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = referral_or_404(request, referral_id)
    if request.user.pk == referral.person_id:
        return redirect("my_support_detail", referral_id=referral.pk)
    return _detail_page(request, referral)


def _detail_page(request: HttpRequest, referral: Any, status: int = 200, **forms: Any) -> HttpResponse:
    user = request.user
    context = relationship_context(request, referral)
    clinical = referral.kind == SupportKind.PROFESSIONAL.value
    context.update(
        actions=[a.value for a in allowed_actions(referral.status_enum, Side.SUPPORTER)],
        contact_form=forms.get("contact_form") or ContactForm(clinical=clinical),
        decline_form=forms.get("decline_form") or DeclineForm(),
        end_form=forms.get("end_form") or EndForm(prefix="end"),
        refusal=forms.get("refusal", ""),
        can_hand_off=policy.can_ask_for_hand_off(user, referral),
        can_see_shared=policy.can_view_shared_snapshot(user, referral),
        shared_scopes=[
            str(SCOPE_LABELS[scope]) for scope in sharing.scopes_shared_with(actor=user, referral=referral)
        ],
    )
    if context["can_hand_off"]:
        earlier = selectors.hand_offs_of(referral)
        context["hand_offs"] = earlier
        context["hand_off_waiting"] = any(h.status == HandOffStatus.ASKED.value for h in earlier)
        context["nothing_shared"] = any(h.status != HandOffStatus.AGREED.value for h in earlier)
        context["hand_off_form"] = forms.get("hand_off_form") or _hand_off_form()
    return render(request, "referrals/supporting_detail.html", context, status=status)


def _hand_off_form(data: Any = None) -> HandOffForm:
    choices = [
        (str(p.pk), f"{p.user.shown_name}{f' ({p.licence_type})' if p.licence_type else ''}")
        for p in selectors.professionals_taking_referrals()
    ]
    # Prefixed: the end form on the same page also has a "reason".
    return HandOffForm(data, professionals=choices, prefix="hand_off")


@login_required
@require_POST
def accept_request(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = referral_or_404(request, referral_id)
    try:
        referrals.accept_request(actor=request.user, referral=referral)
    except NotPermitted as refused:
        raise PermissionDenied from refused
    except DomainError as refused:
        return _people_page(request, refusal=sentence(refused), status=400)
    messages.success(
        request, _("You accepted. %(name)s has been told.") % {"name": referral.person.shown_name}
    )
    return redirect("supporting_detail", referral_id=referral.pk)


@login_required
@require_POST
def decline_request(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = referral_or_404(request, referral_id)
    # The people page has one decline form per request, each with its own prefix.
    prefix = f"r{referral.pk}" if f"r{referral.pk}-reason" in request.POST else None
    form = DeclineForm(request.POST, prefix=prefix)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        referrals.decline_request(actor=request.user, referral=referral, reason=reason)
    except NotPermitted as refused:
        raise PermissionDenied from refused
    except (FieldProblem, DomainError) as refused:
        return _people_page(request, refusal=sentence(refused), status=400)
    messages.success(
        request, _("You declined. %(name)s has been told.") % {"name": referral.person.shown_name}
    )
    return redirect("people_i_support")


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
            return _detail_page(request, referral, 400, refusal=sentence(refused))
        else:
            messages.success(request, _("The relationship has ended."))
            return redirect("supporting_detail", referral_id=referral.pk)
    return _detail_page(request, referral, 400, end_form=form)


@login_required
@require_POST
def log_contact(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = referral_or_404(request, referral_id)
    form = ContactForm(request.POST, clinical=referral.kind == SupportKind.PROFESSIONAL.value)
    if form.is_valid():
        try:
            contacts.log_contact(actor=request.user, referral=referral, data=form.document())
        except NotPermitted as refused:
            raise PermissionDenied from refused
        except (FieldProblem, InvalidData) as problem:
            show_refusal(form, problem)
        except DomainError as refused:
            return _detail_page(request, referral, 400, refusal=sentence(refused))
        else:
            messages.success(request, _("The contact is logged."))
            return redirect("supporting_detail", referral_id=referral.pk)
    return _detail_page(request, referral, 400, contact_form=form)


@login_required
@require_POST
def ask_hand_off(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = referral_or_404(request, referral_id)
    form = _hand_off_form(request.POST)
    if form.is_valid():
        try:
            hand_offs.ask_for_hand_off(
                actor=request.user,
                referral=referral,
                professional_id=form.cleaned_data["professional"],
                reason=form.cleaned_data["reason"],
            )
        except NotPermitted as refused:
            raise PermissionDenied from refused
        except (FieldProblem, InvalidData) as problem:
            show_refusal(form, problem)
        except DomainError as refused:
            return _detail_page(request, referral, 400, refusal=sentence(refused))
        else:
            messages.success(
                request,
                _("Your suggestion went to %(name)s. Nothing is shared unless they agree.")
                % {"name": referral.person.shown_name},
            )
            return redirect("supporting_detail", referral_id=referral.pk)
    return _detail_page(request, referral, 400, hand_off_form=form)


@login_required
def shared_snapshot(request: HttpRequest, referral_id: int) -> HttpResponse:
    """What the person agreed to share on a hand-off; reading it is audited."""
    referral = referral_or_404(request, referral_id)
    try:
        snapshot = hand_offs.open_shared_snapshot(actor=request.user, referral=referral)
    except NotPermitted as refused:
        raise Http404 from refused
    context = {"referral": referral, "shared": shown_snapshot(snapshot)}
    return render(request, "referrals/shared.html", context)
