"""The API-token part of the account page: make a token (its text shown once) and revoke one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carepath import policy
from carepath.accounts import token_selectors, token_services
from carepath.accounts.forms import ApiTokenForm
from carepath.accounts.views import render_account_page
from carepath.errors import FieldProblem
from carepath.web.two_factor_required import session_verified

_FORM_FIELDS = {"name", "expires_days"}


@login_required
@require_POST
def api_token_create(request: HttpRequest) -> HttpResponse:
    if not policy.can_create_api_token(request.user, session_verified=session_verified(request)):
        raise PermissionDenied  # the two-factor middleware sends such sessions to the code step first
    form = ApiTokenForm(request.POST)
    if form.is_valid():
        try:
            token, text = token_services.create_token(
                owner=request.user,  # type: ignore[arg-type]
                name=form.cleaned_data["name"],
                expires_days=form.cleaned_data["expires_days"],
                actor=request.user,  # type: ignore[arg-type]
            )
        except FieldProblem as problem:
            form.add_error(problem.field if problem.field in _FORM_FIELDS else None, problem.problem)
        else:
            # Shown in this response only: never put in a message cookie, the session or a redirect.
            response = render_account_page(request, new_token=text, new_token_name=token.name)
            response["Cache-Control"] = "no-store"
            return response
    return render_account_page(request, token_form=form, status=400)


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = token_selectors.token_by_id(token_id)
    if token is None or not policy.can_manage_api_token(request.user, token):
        raise Http404  # someone else's token is as unknown as a missing one
    token_services.revoke_token(token=token, actor=request.user)  # type: ignore[arg-type]
    messages.success(
        request, _("The token “%(name)s” is revoked. It no longer works.") % {"name": token.name}
    )
    return redirect(reverse("account") + "#api-tokens")
