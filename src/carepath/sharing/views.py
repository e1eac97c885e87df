"""Pages of consent-scoped sharing: the person's "Who can see what" (/sharing/) and a supporter's
view of what one person shares with them (/sharing/people/<referral id>/)."""

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
from carepath.referrals.selectors import referral_by_id
from carepath.sharing import services
from carepath.sharing.forms import SharingChoiceForm
from carepath.sharing.recipients import parsed_recipient
from carepath.sharing.scopes import SCOPE_HINTS, SCOPE_LABELS, Scope


@login_required
def who_can_see_what(request: HttpRequest) -> HttpResponse:
    if not policy.can_manage_sharing(request.user):
        raise PermissionDenied
    if request.method != "POST":
        return _choices_page(request)
    form = SharingChoiceForm(request.POST)
    if not form.is_valid():
        problem = next(iter(form.errors.values()))[0]
        return _choices_page(request, refusal=str(problem), status=400)
    try:
        recipient = parsed_recipient(form.cleaned_data["recipient"])
        services.change_sharing(actor=request.user, recipient=recipient, scopes=form.cleaned_data["scopes"])
    except FieldProblem as problem:
        return _choices_page(request, refusal=_sentence(problem.problem), status=400)
    messages.success(request, _("Saved. It applies from now on."))
    return redirect(f"{request.path}#recipient-{recipient.kind.value}-{recipient.id}")


@login_required
@require_POST
def withdraw_everything(request: HttpRequest) -> HttpResponse:
    if not policy.can_manage_sharing(request.user):
        raise PermissionDenied
    withdrawn = services.withdraw_all(actor=request.user)
    if withdrawn:
        messages.success(request, _("You now share nothing with anyone. It applies from now on."))
    else:
        messages.success(request, _("You were not sharing anything, and still are not."))
    return redirect("who_can_see_what")


def _choices_page(request: HttpRequest, refusal: str = "", status: int = 200) -> HttpResponse:
    recipients = services.read_sharing_choices(actor=request.user)
    context = {
        "recipients": recipients,
        "scopes": [(scope.value, SCOPE_LABELS[scope], SCOPE_HINTS[scope]) for scope in Scope],
        "sharing_anything": any(r.scopes for r in recipients),
        "refusal": refusal,
    }
    return render(request, "sharing/who_can_see_what.html", context, status=status)


@login_required
def shared_with_me(request: HttpRequest, referral_id: int) -> HttpResponse:
    """What one person shares with the supporter now. 404 unless the referral is theirs, active,
    and something is shared; each opening is audited (by the service)."""
    referral = referral_by_id(referral_id)
    if referral is None or not policy.can_view_referral(request.user, referral):
        raise Http404
    try:
        shared = services.open_shared_records(actor=request.user, referral=referral)
    except NotPermitted as refused:
        raise Http404 from refused
    context: dict[str, Any] = {
        "referral": referral,
        "shared": shared,
        "scope_names": [SCOPE_LABELS[scope] for scope in shared.scopes],
    }
    return render(request, "sharing/shared_with_me.html", context)


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")
