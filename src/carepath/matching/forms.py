"""Forms for matching wishes and a supporter's profile. They only parse and turn the answers into
the plain document the services read; the services decide what is allowed, and their refusals
are put back beside the field they name (`show_problem`).

Hours are entered as one set of days with one time range, in the person's own time and UTC
offset: enough for most people, and the services keep whatever the API sends as a list.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from carepath.errors import FieldProblem
from carepath.matching.models import Modality
from carepath.web.forms import date_input
from carepath.web.forms import show_problem as shared_show_problem
from carepath_core.vocabulary import lived_experience_topics, search_languages

DAYS = [
    ("MO", _("Monday")), ("TU", _("Tuesday")), ("WE", _("Wednesday")), ("TH", _("Thursday")),
    ("FR", _("Friday")), ("SA", _("Saturday")), ("SU", _("Sunday")),
]  # fmt: skip
# Whole and half hours from UTC-12:00 to UTC+14:00: every offset in use but a handful of
# quarter-hour ones, which the API accepts.
OFFSETS = [
    (
        f"{'-' if m < 0 else '+'}{abs(m) // 60:02d}:{abs(m) % 60:02d}",
        f"UTC{'-' if m < 0 else '+'}{abs(m) // 60:02d}:{abs(m) % 60:02d}",
    )
    for m in range(-12 * 60, 14 * 60 + 1, 30)
]
_CHECKBOXES = forms.CheckboxSelectMultiple


def _time_input() -> forms.TimeInput:
    return forms.TimeInput(format="%H:%M", attrs={"type": "time"})


def _text(label: Any, help_text: Any = "", max_length: int = 1000, rows: int = 4) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}) if max_length > 200 else forms.TextInput(),
    )


class HoursAndWays(forms.Form):
    """Topics, languages, hours and ways of meeting: what wishes and profiles both say."""

    topics = forms.MultipleChoiceField(label=_("Lived experience"), required=False, widget=_CHECKBOXES)
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        widget=_CHECKBOXES,
        error_messages={"required": _("Choose at least one language.")},
    )
    days = forms.MultipleChoiceField(label=_("Days"), choices=DAYS, required=False, widget=_CHECKBOXES)
    time_from = forms.TimeField(
        label=_("Free from (your time)"),
        required=False,
        widget=_time_input(),
        error_messages={"invalid": _("Enter a time like 18:00.")},
    )
    time_to = forms.TimeField(
        label=_("Free until (your time)"),
        required=False,
        widget=_time_input(),
        error_messages={"invalid": _("Enter a time like 21:00.")},
    )
    utc_offset = forms.ChoiceField(
        label=_("Your time zone (difference from UTC)"),
        help_text=_("The United Kingdom is UTC+00:00 in winter and UTC+01:00 in summer."),
        choices=OFFSETS,
        initial="+00:00",
    )
    modalities = forms.MultipleChoiceField(
        label=_("Ways of meeting"), choices=Modality.choices, required=False, widget=_CHECKBOXES
    )

    GROUPS: tuple[tuple[Any, tuple[str, ...]], ...] = ()  # (legend, field names), shown in this order

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The vocabularies are read when a form is made, so a coordinator's additions show at once.
        self._choices("topics", list(lived_experience_topics().items()))
        self._choices("languages", list(search_languages().items()))

    def _choices(self, name: str, choices: list[tuple[str, str]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.MultipleChoiceField)  # nosec B101 # type narrowing for mypy, not a check
        field.choices = choices

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        days, starts, ends = cleaned.get("days"), cleaned.get("time_from"), cleaned.get("time_to")
        if days and (starts is None or ends is None) and not self.errors.get("time_from"):
            self.add_error("time_from" if starts is None else "time_to", _("Enter the times you are free."))
        if not days and (starts or ends):
            self.add_error("days", _("Choose the days you are free at these times."))
        return cleaned

    def grouped(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [(legend, [self[name] for name in names]) for legend, names in self.GROUPS]

    def matching_document(self) -> dict[str, Any]:
        data = self.cleaned_data
        hours = []
        if data["days"]:
            ends = data["time_to"].strftime("%H:%M")
            hours = [{"days": data["days"], "from": data["time_from"].strftime("%H:%M"), "to": ends}]
        return {
            "topics": data.get("topics", []),  # a professional's form has no topics
            "languages": data["languages"],
            "availability": hours,
            "utc_offset": data["utc_offset"],
            "modalities": data["modalities"],
        }


def hours_initial(stored: Any) -> dict[str, Any]:
    """Form values from a stored profile or wishes: the first window entered as days and times."""
    first = next((entry for entry in stored.hours if isinstance(entry, dict)), None)
    initial = {
        "topics": getattr(stored, "topics", []),
        "languages": stored.languages,
        "utc_offset": stored.utc_offset,
        "modalities": stored.modalities,
    }
    if first is not None:
        initial.update(days=first["days"], time_from=first["from"], time_to=first["to"])
    return initial


class WishesForm(HoursAndWays):
    experience = _text(
        _("What you would like to talk about (optional)"),
        _("In your own words. Supporters whose own experience uses the same words come higher."),
        max_length=4000,
    )
    stated_preferences = _text(
        _("Anything else you would like in a supporter (optional)"),
        _("Only what you want to say. It is kept with your wishes; it does not change the order."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topics"].label = _("Experiences you would like your supporter to have lived through")
        self.fields["topics"].help_text = _("Choose any that matter to you, or none.")
        self.fields["languages"].label = _("Languages you can talk in")
        self.fields["modalities"].help_text = _("Choose none if any way suits you.")

    GROUPS = (
        (_("What you would like to have in common"), ("topics", "experience")),
        (_("Languages and ways of meeting"), ("languages", "modalities")),
        (_("When you are free each week"), ("days", "time_from", "time_to", "utc_offset")),
        (_("Anything else"), ("stated_preferences",)),
    )

    def document(self) -> dict[str, Any]:
        return {
            **self.matching_document(),
            "experience": self.cleaned_data["experience"],
            "stated_preferences": self.cleaned_data["stated_preferences"],
        }


# Service field names → form field names, where they differ.
_FORM_FIELD = {"availability": "time_from"}


def show_problem(form: forms.Form, problem: FieldProblem) -> None:
    shared_show_problem(form, problem, _FORM_FIELD)


def _date(label: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        widget=date_input(),
        error_messages={"invalid": _("Enter a date like 2026-03-01.")},
    )


def _places(label: Any, help_text: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        help_text=help_text,
        min_value=0,
        error_messages={"required": _("Enter a number, 0 or more."), "invalid": _("Enter a whole number.")},
    )


class SupporterProfileForm(HoursAndWays):
    """A peer supporter's own profile. Groups are shown in this order, each in a fieldset."""

    experience = _text(
        _("Your experience, in your own words"),
        _("People looking for support see this. Share only what you are comfortable sharing."),
        max_length=4000,
    )
    shared_identity = _text(
        _("Anything about yourself you choose to share (optional)"),
        _("For example your age group, faith or community. Leave it empty to share nothing."),
    )
    capacity = _places(_("Most people you can support at once"), _("0 takes you out of suggestions for now."))
    current_load = _places(
        _("People you support now"),
        _("Requests you accept here are counted for you; add anyone you support outside Carepath."),
    )
    training = _text(_("Training (optional)"), max_length=200)
    trained_on = _date(_("Training completed on (optional)"))
    certification = _text(_("Certification (optional)"), max_length=200)
    certified_on = _date(_("Certified on (optional)"))
    supervisor_name = _text(_("Your supervisor (optional)"), max_length=120)
    confidentiality_statement = _text(
        _("Your confidentiality statement"),
        _("What you keep private, and when you would have to share something. People see it before contact."),
        max_length=4000,
    )
    service_id = forms.CharField(
        label=_("Service id from the directory (optional)"),
        help_text=_("If you support people through a listed service, its id links your profile to it."),
        required=False,
        max_length=100,
    )
    active = forms.BooleanField(label=_("Include me in suggestions"), required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topics"].label = _("What you have lived through and can talk about")
        self.fields["languages"].label = _("Languages you can support people in")
        self.fields["modalities"].required = True
        self.fields["modalities"].error_messages["required"] = _("Choose at least one way of meeting.")

    GROUPS = (
        (_("Your lived experience"), ("topics", "experience", "shared_identity")),
        (_("Languages and ways of meeting"), ("languages", "modalities")),
        (_("When you are free each week"), ("days", "time_from", "time_to", "utc_offset")),
        (_("People you support"), ("capacity", "current_load", "active")),
        (
            _("Training and supervision"),
            ("training", "trained_on", "certification", "certified_on", "supervisor_name"),
        ),
        (_("Confidentiality and service"), ("confidentiality_statement", "service_id")),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        capacity, load = cleaned.get("capacity"), cleaned.get("current_load")
        if capacity is not None and load is not None and load > capacity:
            self.add_error("current_load", _("Cannot be more than the most people you can support at once."))
        return cleaned

    def document(self) -> dict[str, Any]:
        data = self.cleaned_data
        kept = (
            "experience", "shared_identity", "capacity", "current_load", "training", "certification",
            "supervisor_name", "confidentiality_statement", "service_id", "active",
        )  # fmt: skip
        return {
            **self.matching_document(),
            **{name: data[name] for name in kept},
            "trained_on": data["trained_on"],
            "certified_on": data["certified_on"],
        }


def profile_initial(profile: Any) -> dict[str, Any]:
    names = (
        "experience", "shared_identity", "capacity", "current_load", "training", "trained_on",
        "certification", "certified_on", "supervisor_name", "confidentiality_statement", "active",
    )  # fmt: skip
    return {
        **hours_initial(profile),
        **{n: getattr(profile, n) for n in names},
        "service_id": profile.service_id or "",
    }
