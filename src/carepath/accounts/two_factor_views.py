"""Two-factor sign-in pages: set up, the code step at sign-in, recovery codes, turning it off.

Set-up and the code step are the only pages an account that needs two-factor sign-in can reach
before passing it (carepath.web.two_factor_required); the others need a verified session anyway.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.models import Device

from carepath import policy
from carepath.accounts import two_factor_services as services
from carepath.accounts.two_factor_forms import AppCodeForm, SignInCodeForm
from carepath.accounts.two_factor_selectors import has_two_factor, recovery_codes_left
from carepath.accounts.two_factor_setup_key import key_groups, qr_code_svg
from carepath.errors import NotPermitted
from carepath.web.requester import client_address
from carepath.web.two_factor_required import session_verified

GET_AND_POST = ["GET", "HEAD", "POST"]


def next_page(request: HttpRequest) -> str:
    """Where to go after the code step: the page first asked for, if it is one of ours."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("role_home")


def _with_next(name: str, target: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': target})}"


def _mark_verified(request: HttpRequest, device: Device) -> None:
    otp_login(request, device)
    # A new session key once the second factor is in, as at the password step: a key seen before
    # verification is worth nothing after it.
    request.session.cycle_key()


@login_required
@require_http_methods(GET_AND_POST)
def set_up(request: HttpRequest) -> HttpResponse:
    account: Any = request.user
    target = next_page(request)
    if has_two_factor(account):
        return redirect(target if session_verified(request) else _with_next("two_factor_verify", target))
    form = AppCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            turned_on = services.confirm_set_up(
                account, form.cleaned_data["code"], address=client_address(request)
            )
        except services.CodeRefused as refusal:
            form.add_error("code", str(refusal))
        except NotPermitted:
            return redirect(_with_next("two_factor_set_up", target))
        else:
            _mark_verified(request, turned_on.device)
            return _new_codes_page(request, turned_on.recovery_codes, target, just_turned_on=True)
    device = services.start_set_up(account)
    context = {
        "form": form,
        "next": target,
        "qr_code": qr_code_svg(device),
        "key_groups": key_groups(device),
        "required": policy.requires_two_factor(account),
    }
    response = render(request, "accounts/two_factor_set_up.html", context, status=_status(request))
    response["Cache-Control"] = "no-store"  # the key is on this page
    return response


@login_required
@require_http_methods(GET_AND_POST)
def verify(request: HttpRequest) -> HttpResponse:
    account: Any = request.user
    target = next_page(request)
    if session_verified(request):
        return redirect(target)
    if not has_two_factor(account):
        return redirect(
            _with_next("two_factor_set_up", target) if policy.requires_two_factor(account) else target
        )
    form = SignInCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            verified = services.verify_sign_in(
                account, form.cleaned_data["code"], address=client_address(request)
            )
        except services.CodeRefused as refusal:
            form.add_error("code", str(refusal))
        else:
            _mark_verified(request, verified.device)
            if verified.method == services.RECOVERY_CODE:
                messages.info(request, _recovery_code_used_message(recovery_codes_left(account)))
            return redirect(target)
    context = {"form": form, "next": target}
    return render(request, "accounts/two_factor_verify.html", context, status=_status(request))


@login_required
@require_http_methods(GET_AND_POST)
def recovery_codes(request: HttpRequest) -> HttpResponse:
    account: Any = request.user
    if not has_two_factor(account):
        return redirect("two_factor_set_up")
    if not session_verified(request):
        return redirect(_with_next("two_factor_verify", request.get_full_path()))
    if request.method == "POST":
        codes = services.renew_recovery_codes(account)
        return _new_codes_page(request, codes, reverse("account") + "#two-factor", just_turned_on=False)
    context = {"codes_left": recovery_codes_left(account)}
    return render(request, "accounts/two_factor_recovery_codes.html", context)


@login_required
@require_http_methods(GET_AND_POST)
def turn_off(request: HttpRequest) -> HttpResponse:
    account: Any = request.user
    if not has_two_factor(account):
        return redirect(reverse("account") + "#two-factor")
    if not session_verified(request):
        return redirect(_with_next("two_factor_verify", request.get_full_path()))
    if not policy.can_turn_off_two_factor(account):
        return render(request, "accounts/two_factor_turn_off.html", {"required": True}, status=403)
    form = SignInCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.turn_off(account, form.cleaned_data["code"], address=client_address(request))
        except services.CodeRefused as refusal:
            form.add_error("code", str(refusal))
        else:
            messages.success(request, _("Two-factor sign-in is off. Your password alone now signs you in."))
            return redirect(reverse("account") + "#two-factor")
    context = {"form": form, "required": False}
    return render(request, "accounts/two_factor_turn_off.html", context, status=_status(request))


def _new_codes_page(
    request: HttpRequest, codes: list[str], target: str, *, just_turned_on: bool
) -> HttpResponse:
    """Recovery codes are shown in this one response: never in a message, the session or a redirect."""
    context = {
        "codes": [services.shown_recovery_code(code) for code in codes],
        "next": target,
        "just_turned_on": just_turned_on,
    }
    response = render(request, "accounts/two_factor_new_codes.html", context)
    response["Cache-Control"] = "no-store"
    return response


def _status(request: HttpRequest) -> int:
    return 400 if request.method == "POST" else 200


def _recovery_code_used_message(left: int) -> str:
    return ngettext(
        "You signed in with a recovery code. It will not work again; you have %(left)d left. "
        "You can make new ones on your account page.",
        "You signed in with a recovery code. It will not work again; you have %(left)d left. "
        "You can make new ones on your account page.",
        left,
    ) % {"left": left}
