"""Forms for the referral pages. They only parse; the services decide what is allowed, and their
refusals are put back beside the field they name (`show_refusal`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from carepath.errors import FieldProblem
from carepath.referrals.models import ChannelChoices
from carepath.web.forms import date_input, show_problem
from carepath_core.errors import InvalidData
from carepath_core.referrals import MAX_MINUTES, MAX_NOTE_LENGTH

REASON_ROWS = 3


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        help_text=_("The person reads this. You do not have to give one."),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": REASON_ROWS}),
    )


class EndForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the relationship is ending"),
        help_text=_("The other side reads this."),
        max_length=1000,
        error_messages={"required": _("Say why the relationship is ending.")},
        widget=forms.Textarea(attrs={"rows": REASON_ROWS}),
    )


class ContactForm(forms.Form):
    happened_on = forms.DateField(
        label=_("Date of the contact"),
        widget=date_input(),
        error_messages={
            "required": _("Give the date of the contact."),
            "invalid": _("Give a date such as 2026-03-01."),
        },
    )
    channel = forms.ChoiceField(label=_("How you were in touch"), choices=ChannelChoices.choices)
    minutes = forms.IntegerField(
        label=_("Length in minutes"),
        min_value=1,
        max_value=MAX_MINUTES,
        error_messages={"required": _("Give the length in minutes.")},
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=MAX_NOTE_LENGTH, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, clinical: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        note = self.fields["note"]
        if clinical:
            note.label = _("Clinical note (private)")
            note.help_text = _("Only you can read clinical notes. Peer supporters never see them.")
        else:
            note.label = _("Peer note")
            note.help_text = _(
                "The person you support can read your peer notes, so write them as you would say them."
            )

    def document(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "happened_on": data["happened_on"],
            "channel": data["channel"],
            "minutes": data["minutes"],
            "note": data["note"],
        }


class HandOffForm(forms.Form):
    professional = forms.ChoiceField(
        label=_("Professional"),
        error_messages={"required": _("Choose a professional.")},
    )
    reason = forms.CharField(
        label=_("Why you think a professional could help"),
        help_text=_("The person reads this first, before they decide whether to share anything."),
        max_length=2000,
        error_messages={"required": _("Say why you think a professional could help.")},
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, professionals: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["professional"]
        assert isinstance(field, forms.ChoiceField)  # nosec B101 # type narrowing for mypy, not a check
        field.choices = [("", _("Choose a professional")), *professionals]


def show_refusal(form: forms.Form, problem: FieldProblem | InvalidData) -> None:
    """A service's or the core's refusal beside the field it names (or on the form)."""
    as_problem = (
        problem if isinstance(problem, FieldProblem) else FieldProblem(problem.field, problem.problem)
    )
    show_problem(form, as_problem)
