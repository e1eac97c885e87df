"""Forms on the progress pages. They only parse; the service decides what is allowed and its
refusals are put back beside the field they name (`show_problem`)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from carepath.errors import FieldProblem
from carepath.outcomes.models import Pathway

# Service field names → form field names, where they differ.
_FORM_FIELD = {"service": "service_id"}


def _date_input() -> forms.DateInput:
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class StartEpisodeForm(forms.Form):
    pathway = forms.ChoiceField(
        label=_("Kind of support"),
        choices=[("", _("Choose one")), *Pathway.choices],
        error_messages={"required": _("Choose the kind of support.")},
    )
    started_on = forms.DateField(
        label=_("Start date"),
        help_text=_("The day this support began, or today."),
        widget=_date_input(),
        error_messages={
            "required": _("Enter the start date."),
            "invalid": _("Enter a date like 2026-03-01."),
        },
    )
    requested_on = forms.DateField(
        label=_("When you first asked for this help (optional)"),
        required=False,
        widget=_date_input(),
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
        widget=_date_input(),
        error_messages={"required": _("Enter the end date."), "invalid": _("Enter a date like 2026-03-01.")},
    )


def show_problem(form: forms.Form, problem: FieldProblem) -> None:
    """Put a service's refusal beside its field, in a sentence rather than `field: problem`."""
    field = _FORM_FIELD.get(problem.field, problem.field)
    message = problem.problem[:1].upper() + problem.problem[1:] + "."
    form.add_error(field if field in form.fields else None, message)
