"""Forms for signing up; the sign-in and password forms are Django's own."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class SignUpForm(forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_("You will use this to log in. It does not need to be your real name."),
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    display_name = forms.CharField(
        label=_("Name to show (optional)"),
        max_length=120,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    email = forms.EmailField(
        label=_("Email (optional)"),
        required=False,
        help_text=_("Only used to reset your password if you forget it."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = forms.CharField(
        label=_("Password"),
        help_text=_(
            "At least 12 characters, not a common password, not all numbers and not like your username."
        ),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_again = forms.CharField(
        label=_("Password again"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("password") and cleaned.get("password") != cleaned.get("password_again"):
            self.add_error("password_again", _("The two passwords do not match."))
        return cleaned


class ApiTokenForm(forms.Form):
    """Names a new API token and how long it lasts; the token itself is made by the service."""

    prefix = "token"

    name = forms.CharField(
        label=_("What the token is for"),
        max_length=80,
        help_text=_("A name to recognise it by later, such as the program that will use it."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    expires_days = forms.TypedChoiceField(
        label=_("Stops working"),
        choices=[
            ("30", _("After 30 days")),
            ("90", _("After 90 days")),
            ("365", _("After a year")),
            ("", _("Only when you revoke it")),
        ],
        coerce=int,
        empty_value=None,
        required=False,
        initial="90",
    )
