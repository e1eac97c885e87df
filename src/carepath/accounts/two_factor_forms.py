"""The one field every two-factor step asks for: a code."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

_CODE_ATTRS = {
    "autocomplete": "one-time-code",
    "autocapitalize": "none",
    "spellcheck": "false",
    "inputmode": "text",
}


class AppCodeForm(forms.Form):
    """At set-up only the app can give the code: recovery codes do not exist yet."""

    code = forms.CharField(
        label=_("Code from your app"),
        max_length=20,
        help_text=_("The 6-digit code your authenticator app now shows for Carepath."),
        widget=forms.TextInput(attrs={**_CODE_ATTRS, "inputmode": "numeric"}),
    )


class SignInCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_(
            "The 6-digit code your authenticator app shows for Carepath. Without your phone, "
            "type one of your recovery codes instead."
        ),
        widget=forms.TextInput(attrs=_CODE_ATTRS),
    )
