"""Forms on the progress pages. They only parse; the service decides what is allowed and its
refusals are put back beside the field they name (`show_problem`)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from carepath.errors import FieldProblem
from carepath.outcomes.models import Pathway
from carepath.web.forms import date_input
from carepath.web.forms import show_problem as shared_show_problem

# Service field names → form field names, where they differ.
_FORM_FIELD = {"service": "service_id"}


class StartEpisodeForm(forms.Form):
    pathway = forms.ChoiceField(
        label=_("Kind of support"),
        choices=[("", _("Choose one")), *Pathway.choices],
        error_messages={"required": _("Choose the kind of support.")},
    )
    started_on = forms.DateField(
        label=_("Start date"),
        help_text=_("The day this support began, or today."),
        widget=date_input(),
        error_messages={
            "required": _("Enter the start date."),
            "invalid": _("Enter a date like 2026-03-01."),
        },
    )
    requested_on = forms.DateField(
        label=_("When you first asked for this help (optional)"),
        required=False,
        widget=date_input(),
        error_messages={"invalid": _("Enter a date like 2026-03-01.")},
    )
    service_id = forms.CharField(
        label=_("Service id from the directory (optional)"),
        help_text=_("If the service is listed in Find support, its id links this episode to it."),
        required=False,
        max_length=100,
    )


class EndEpisodeForm(forms.Form):
    ended_on = forms.DateField(
        label=_("End date"),
        widget=date_input(),
        error_messages={"required": _("Enter the end date."), "invalid": _("Enter a date like 2026-03-01.")},
    )


def show_problem(form: forms.Form, problem: FieldProblem) -> None:
    shared_show_problem(form, problem, _FORM_FIELD)
