"""The forms coordinators edit organisations, services and locations with.

Field names are HSDS column names. Django reads each field's type (a number, a date, a yes/no);
`clean` then runs the very checks the editing services run (`edit_checks`), so every problem
shows beside its field before anything is saved. A form's `sections` group its fields under
headings for the page.
"""

from __future__ import annotations

from typing import Any, ClassVar, Self

from django import forms
from django.utils.translation import gettext_lazy as _

from carepath.directory.models import Address, LocationType, ServiceStatus, SupportType
from carepath.directory.services.edit_checks import Problems, check_values
from carepath.interop.hsds_schema import profile_field_validator

Section = tuple[Any, tuple[str, ...]]  # (heading, field names)
LIST_COLUMNS = ("lived_experience_topics", "outcome_measures")  # free lists of codes, typed comma-separated
CONFIDENTIALITY_LIMIT_LABELS = {
    "risk_to_life": _("A risk to someone's life"),
    "safeguarding_child": _("Safeguarding a child"),
    "safeguarding_adult": _("Safeguarding an adult at risk"),
    "court_order": _("A court order"),
    "serious_crime": _("Preventing or reporting a serious crime"),
    "public_health": _("Public health law"),
    "other": _("Other reasons the service explains"),
}


def _names(spaced: str) -> tuple[str, ...]:
    return tuple(spaced.split())


def text(label: Any, *, required: bool = False, long: bool = False, hint: Any = "") -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": 4}) if long else forms.TextInput()
    return forms.CharField(label=label, required=required, widget=widget, help_text=hint)


def web_address(label: Any) -> forms.URLField:
    return forms.URLField(label=label, required=False, assume_scheme="https")


def decimal(label: Any, hint: Any = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label, required=False, help_text=hint, widget=forms.NumberInput(attrs={"step": "any"})
    )


def yes_no_unknown(label: Any) -> forms.NullBooleanField:
    return forms.NullBooleanField(label=label, required=False, widget=forms.NullBooleanSelect())


def code_list(label: Any, hint: Any) -> forms.CharField:
    return forms.CharField(label=label, required=False, help_text=hint)


def confidentiality_limit_choices() -> list[tuple[str, Any]]:
    """The codes the Carepath profile allows, with words for each (the profile is the source)."""
    codes = profile_field_validator("service", "confidentiality_limits").schema["items"]["enum"]
    return [(code, CONFIDENTIALITY_LIMIT_LABELS.get(code, code)) for code in codes]


class DirectoryRecordForm(forms.Form):
    """A form over one HSDS record: its fields are that table's columns, checked by `edit_checks`."""

    table: ClassVar[str]
    sections: ClassVar[tuple[Section, ...]]
    form_only: ClassVar[tuple[str, ...]] = ()  # fields that are not columns of the record

    @classmethod
    def from_record(cls, record: Any, **kwargs: Any) -> Self:
        initial = {name: _shown(getattr(record, name, None), name) for name in cls.base_fields}
        return cls(initial=initial, **kwargs)

    def values(self) -> dict[str, Any]:
        """The record's columns from the cleaned form, as the editing services take them."""
        names = [name for name in self.fields if name not in self.form_only]
        return {name: self.cleaned_data.get(name) for name in names}

    def grouped(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [(heading, [self[name] for name in names]) for heading, names in self.sections]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors:
            self.add_problems(self.problems())
        return cleaned

    def problems(self) -> Problems:
        return check_values(self.table, self.values())[1]

    def add_problems(self, problems: Problems) -> None:
        """Show each problem beside its field (or above the form when no field shows it)."""
        for field, problem in problems:
            if field in self.fields and field not in self.errors:
                self.add_error(field, problem)
            elif field not in self.fields:
                self.add_error(None, f"{field}: {problem}")


def _shown(value: Any, name: str) -> Any:
    if name in LIST_COLUMNS:
        return ", ".join(value or [])
    return value


def _codes(raw: str) -> list[str] | None:
    codes = list(dict.fromkeys(part.strip() for part in raw.split(",") if part.strip()))
    return codes or None


class OrganizationForm(DirectoryRecordForm):
    table = "organization"
    name = text(_("Name"), required=True)
    alternate_name = text(_("Other name"), hint=_("Another name it is known by, if any."))
    description = text(_("Description"), required=True, long=True, hint=_("What the organisation does."))
    website = web_address(_("Website"))
    email = forms.EmailField(label=_("Email"), required=False)
    legal_status = text(_("Legal status"), hint=_("For example: registered charity, company, public body."))
    tax_status = text(_("Tax status"))
    tax_id = text(_("Tax identifier"))
    year_incorporated = forms.IntegerField(label=_("Year incorporated"), required=False)
    logo = web_address(_("Logo (web address of the image)"))
    uri = text(_("Persistent identifier (URI)"), hint=_("A URI that names the organisation, if it has one."))
    sections = (
        (_("About the organisation"), _names("name alternate_name description website email")),
        (_("Legal details"), _names("legal_status tax_status tax_id year_incorporated logo uri")),
    )


class ServiceForm(DirectoryRecordForm):
    """A service; with `location_choices` (its organisation's locations) also where it is offered."""

    table = "service"
    form_only = ("checked_today", "locations")
    name = text(_("Name"), required=True)
    alternate_name = text(_("Other name"))
    description = text(_("Description"), long=True)
    status = forms.ChoiceField(label=_("Status"), choices=ServiceStatus.choices)
    support_type = forms.ChoiceField(
        label=_("Kind of support"), required=False, choices=[("", _("Not stated")), *SupportType.choices]
    )
    url = web_address(_("Web page"))
    email = forms.EmailField(label=_("Email"), required=False)
    eligibility_description = text(_("Who it is for"), long=True)
    minimum_age = decimal(_("Youngest age (years)"))
    maximum_age = decimal(_("Oldest age (years)"))
    application_process = text(_("How to start"), long=True, hint=_("How a person asks for this service."))
    wait_time = text(_("Waiting time"))
    interpretation_services = text(_("Interpreting"), hint=_("Interpreters or other language help."))
    crisis_capable = yes_no_unknown(_("Can respond to a person in crisis"))
    hours_24_7 = yes_no_unknown(_("Open every hour of every day (24/7)"))
    fees_description = text(_("Costs"), long=True, hint=_("What it costs, and any help with costs."))
    licence_type = text(_("Licence or registration of the practitioners"))
    licensing_body = text(_("Licensing body"))
    peer_certification = text(_("Peer certification"))
    training_standard = text(_("Training standard"))
    supervision = text(_("Supervision"), hint=_("Who supervises the people giving support, and how often."))
    accreditations = text(_("Accreditations"))
    licenses = text(_("Licences of the service"))
    lived_experience_topics = code_list(
        _("Lived-experience topics"),
        _("Short codes separated by commas, such as: depression, bereavement, addiction_recovery."),
    )
    confidentiality_policy = text(_("What stays private"), long=True)
    confidentiality_limits = forms.MultipleChoiceField(
        label=_("When the service must share information without consent"),
        required=False,
        choices=confidentiality_limit_choices,
        widget=forms.CheckboxSelectMultiple,
    )
    evidence_notes = text(_("Evidence notes"), long=True, hint=_("What is known about how well it works."))
    outcome_measures = code_list(
        _("Outcome measures used"), _("Questionnaire codes separated by commas, such as: phq9, gad7, who5.")
    )
    alert = text(_("Alert"), hint=_("A short notice shown with the listing, such as a temporary change."))
    assured_date = forms.DateField(
        label=_("Date last checked"),
        required=False,
        help_text=_("Written YYYY-MM-DD."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    assurer_email = forms.EmailField(label=_("Email of the person who checked it"), required=False)
    checked_today = forms.BooleanField(
        label=_("I checked this listing today"),
        required=False,
        help_text=_("Sets the date last checked to today, so the listing is no longer flagged as stale."),
    )
    sections = (
        (_("About the service"), _names("name alternate_name description status support_type url email")),
        (
            _("Who it is for and how to start"),
            _names(
                "eligibility_description minimum_age maximum_age application_process wait_time "
                "interpretation_services crisis_capable hours_24_7 fees_description"
            ),
        ),
        (
            _("Qualifications and training"),
            _names(
                "licence_type licensing_body peer_certification training_standard supervision "
                "accreditations licenses lived_experience_topics"
            ),
        ),
        (_("Confidentiality"), _names("confidentiality_policy confidentiality_limits")),
        (_("Evidence and outcomes"), _names("evidence_notes outcome_measures alert")),
        (_("Checking the listing"), _names("assured_date assurer_email checked_today")),
    )

    def __init__(
        self, *args: Any, location_choices: list[tuple[str, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if location_choices:
            self.fields["locations"] = forms.MultipleChoiceField(
                label=_("Offered at"),
                help_text=_("Tick each of the organisation's locations where people can use this service."),
                required=False,
                choices=location_choices,
                widget=forms.CheckboxSelectMultiple,
            )

    def grouped(self) -> list[tuple[Any, list[forms.BoundField]]]:
        groups = super().grouped()
        if "locations" in self.fields:
            groups.insert(1, (_("Places"), [self["locations"]]))
        return groups

    def location_ids(self) -> list[str] | None:
        """The locations ticked, or None when the form did not offer them (links are left as they are)."""
        return list(self.cleaned_data["locations"]) if "locations" in self.fields else None

    def clean_lived_experience_topics(self) -> list[str] | None:
        return _codes(self.cleaned_data.get("lived_experience_topics", ""))

    def clean_outcome_measures(self) -> list[str] | None:
        return _codes(self.cleaned_data.get("outcome_measures", ""))

    def clean_confidentiality_limits(self) -> list[str] | None:
        return list(self.cleaned_data.get("confidentiality_limits") or []) or None

    def values(self) -> dict[str, Any]:
        values = super().values()
        if self.cleaned_data.get("checked_today"):
            values.pop("assured_date")  # the service sets today's date
        return values


ADDRESS_FIELDS = _names("attention address_1 address_2 city region state_province postal_code country")


class LocationForm(DirectoryRecordForm):
    """A location and its physical address; leaving every address field empty means no address."""

    table = "location"
    form_only = ADDRESS_FIELDS
    location_type = forms.ChoiceField(label=_("Kind of place"), choices=LocationType.choices)
    name = text(_("Name"))
    alternate_name = text(_("Other name"))
    description = text(_("Description"), long=True)
    transportation = text(
        _("Getting there"), long=True, hint=_("Public transport, parking, step-free routes.")
    )
    url = web_address(_("Web page"))
    latitude = decimal(_("Latitude"), _("Decimal degrees from -90 (south) to 90 (north), such as 51.5072."))
    longitude = decimal(_("Longitude"), _("Decimal degrees from -180 (west) to 180 (east), such as -0.1276."))
    external_identifier = text(_("Identifier elsewhere"))
    external_identifier_type = text(_("Kind of identifier elsewhere"), hint=_("For example: UPRN."))
    attention = text(_("For the attention of"))
    address_1 = text(_("Address line 1"))
    address_2 = text(_("Address line 2"))
    city = text(_("Town or city"))
    region = text(_("Region"))
    state_province = text(_("County, state or province"))
    postal_code = text(_("Postcode"))
    country = text(_("Country code"), hint=_("Two letters, such as GB, IE, US, CA, AU or NZ."))
    sections = (
        (_("About the place"), _names("location_type name alternate_name description transportation url")),
        (_("Position on the map"), _names("latitude longitude")),
        (_("Physical address"), ADDRESS_FIELDS),
        (_("Identifiers"), _names("external_identifier external_identifier_type")),
    )

    @classmethod
    def for_location(cls, location: Any, address: Address | None, **kwargs: Any) -> LocationForm:
        initial = {name: getattr(location, name) for name in cls.base_fields if name not in ADDRESS_FIELDS}
        if address is not None:
            initial.update({name: getattr(address, name) for name in ADDRESS_FIELDS})
        return cls(initial=initial, **kwargs)

    def clean_country(self) -> str:
        return str(self.cleaned_data.get("country", "")).strip().upper()

    def address_values(self) -> dict[str, Any] | None:
        values = {name: self.cleaned_data.get(name, "") for name in ADDRESS_FIELDS}
        return values if any(values.values()) else None

    def problems(self) -> Problems:
        problems = super().problems()
        address = self.address_values()
        if address is not None:
            problems += check_values("address", {**address, "address_type": LocationType.PHYSICAL.value})[1]
        return problems
