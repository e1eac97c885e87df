"""The instance file a coordinator sends to the batch-assignment page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class InstanceUploadForm(forms.Form):
    instance = forms.FileField(
        label=_("Instance file (JSON)"),
        help_text=_(
            "The file the carepath assign command reads: seekers and supporters with their profiles, "
            "or their ids with scores given pair by pair."
        ),
        error_messages={"required": _("Choose the instance file to send."), "empty": _("The file is empty.")},
    )
