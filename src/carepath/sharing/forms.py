"""The form behind each recipient's checkboxes on "Who can see what". It only parses; the service
decides whether the choice is allowed and names the field when it is not."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from carepath.sharing.scopes import SCOPE_LABELS, Scope


class SharingChoiceForm(forms.Form):
    recipient = forms.CharField(
        max_length=60, error_messages={"required": _("Choose who the choice is for.")}
    )
    scopes = forms.MultipleChoiceField(
        required=False,
        choices=[(scope.value, SCOPE_LABELS[scope]) for scope in Scope],
        error_messages={"invalid_choice": _("%(value)s is not something you can share.")},
    )
