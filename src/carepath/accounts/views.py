"""Account pages: sign up, role homes, password change and reset (audited through services)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from carepath import policy
from carepath.accounts import services
from carepath.accounts.forms import ApiTokenForm, SignUpForm
from carepath.accounts.models import User
from carepath.accounts.token_selectors import tokens_of
from carepath.accounts.two_factor_selectors import two_factor_summary
from carepath.errors import FieldProblem
from carepath.safety.selectors import risk_alerts_allowed

_SIGNUP_FIELDS = {"username", "email", "display_name", "password", "password_again"}


def sign_up(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("role_home")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account = services.sign_up_help_seeker(
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
                email=form.cleaned_data["email"],
                display_name=form.cleaned_data["display_name"],
            )
        except FieldProblem as problem:
            form.add_error(problem.field if problem.field in _SIGNUP_FIELDS else None, problem.problem)
        else:
            login(request, account, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome to Carepath. Your account is ready."))
            return redirect("role_home")
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/signup.html", {"form": form}, status=status)


@login_required
def account_page(request: HttpRequest) -> HttpResponse:
    return render_account_page(request)


def render_account_page(request: HttpRequest, *, status: int = 200, **extra: Any) -> HttpResponse:
    """The account page; the API-token views add their form and, once, a new token's text."""
    context = {
        "account": request.user,
        "risk_alerts": risk_alerts_allowed(request.user),
        "api_tokens": tokens_of(request.user),  # type: ignore[arg-type]
        "token_form": ApiTokenForm(),
        "two_factor": two_factor_summary(request.user),
        "two_factor_required": policy.requires_two_factor(request.user),
        **extra,
    }
    return render(request, "accounts/account.html", context, status=status)


class PasswordChange(auth_views.PasswordChangeView):
    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("password_change_done")

    def form_valid(self, form: Any) -> HttpResponse:
        account: User = form.user
        services.change_password(account=account, new_password=form.cleaned_data["new_password1"])
        update_session_auth_hash(self.request, account)
        return HttpResponseRedirect(str(self.get_success_url()))


class PasswordResetConfirm(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        account: User = form.user
        services.change_password(
            account=account, new_password=form.cleaned_data["new_password1"], by_reset_link=True
        )
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        return HttpResponseRedirect(str(self.get_success_url()))
