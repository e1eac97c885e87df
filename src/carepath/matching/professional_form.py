"""The form of a professional's own profile: licence, ways of meeting, cost and insurance, hours,
languages, capacity and the linked service. Like the peer supporter's form it only parses; the
service decides what is allowed, and its refusals are shown beside the field they name."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from carepath.matching.forms import HoursAndWays, hours_initial

KEPT = (
    "licence_type", "licence_body", "licence_number", "cost", "insurance", "capacity", "service_id",
    "active",
)  # fmt: skip


def _line(label: Any, max_length: int, help_text: Any = "") -> forms.CharField:
    return forms.CharField(label=label, help_text=help_text, required=False, max_length=max_length)


def _text(label: Any, help_text: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ProfessionalProfileForm(HoursAndWays):
    licence_type = _line(_("Licence or registration type"), 120, _("For example: clinical psychologist."))
    licence_body = _line(_("Licensing body"), 200, _("The body you are registered with."))
    licence_number = _line(_("Registration number"), 60)
    cost = _text(_("Cost"), _("What a session costs, any sliding scale, and whether some sessions are free."))
    insurance = _text(
        _("Insurance accepted (optional)"), _("Insurers or schemes that pay for your sessions.")
    )
    capacity = forms.IntegerField(
        label=_("Most people you can see at once"),
        help_text=_("0 stops new referrals for now. People you already see are counted for you."),
        min_value=0,
        error_messages={"required": _("Enter a number, 0 or more."), "invalid": _("Enter a whole number.")},
    )
    service_id = forms.CharField(
        label=_("Service id from the directory (optional)"),
        help_text=_("If you see people through a listed service, its id links your profile to it."),
        required=False,
        max_length=100,
    )
    active = forms.BooleanField(label=_("Taking referrals"), required=False, initial=True)

    GROUPS = (
        (_("Your licence"), ("licence_type", "licence_body", "licence_number")),
        (_("Languages and ways of meeting"), ("languages", "modalities")),
        (_("When you work each week"), ("days", "time_from", "time_to", "utc_offset")),
        (_("Cost and insurance"), ("cost", "insurance")),
        (_("Referrals"), ("capacity", "active", "service_id")),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Lived-experience topics are what peers are matched on, not professionals.
        del self.fields["topics"]
        self.fields["languages"].label = _("Languages you work in")
        self.fields["time_from"].label = _("From (your time)")
        self.fields["time_to"].label = _("Until (your time)")
        self.fields["modalities"].required = True
        self.fields["modalities"].error_messages["required"] = _("Choose at least one way of meeting.")

    def document(self) -> dict[str, Any]:
        document = {key: value for key, value in self.matching_document().items() if key != "topics"}
        return {**document, **{name: self.cleaned_data[name] for name in KEPT}}


def professional_initial(profile: Any) -> dict[str, Any]:
    initial = {key: value for key, value in hours_initial(profile).items() if key != "topics"}
    return {
        **initial,
        **{name: getattr(profile, name) for name in KEPT if name != "service_id"},
        "service_id": profile.service_id or "",
    }
