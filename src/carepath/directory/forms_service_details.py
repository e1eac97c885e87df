"""The forms coordinators add and edit a service's cost options and languages with.

Field names are HSDS column names, as in `forms`. `clean` runs the checks the editing services
run (`editing_details`), so every problem shows beside its field before anything is saved.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from carepath.directory.forms import DirectoryRecordForm, decimal, text
from carepath.directory.models import CostOption, Service
from carepath.directory.selectors.service_details import cost_kinds_of
from carepath.directory.services.edit_checks import InvalidRecord, Problems
from carepath.directory.services.editing_details import KINDS_FIELD, cost_option_values, language_values
from carepath.web.forms import date_input
from carepath_core.search.costs import CostKind

COST_KIND_LABELS = (
    (CostKind.FREE, _("Free")),
    (CostKind.SLIDING_SCALE, _("Sliding scale (the price depends on income)")),
    (CostKind.INSURANCE, _("Insurance accepted")),
)


def _date(label: Any) -> forms.DateField:
    return forms.DateField(
        label=label, required=False, help_text=_("Written YYYY-MM-DD."), widget=date_input()
    )


class CostOptionForm(DirectoryRecordForm):
    """One price of a service; `kinds` are what search finds it under (free, sliding scale, insurance)."""

    table = "cost_option"
    form_only = (KINDS_FIELD,)
    option = text(
        _("What the price is for"),
        hint=_("Such as: per session, under-18s, couples. May be left empty when it is the only price."),
    )
    amount = decimal(_("Amount"), _("A number, such as 40 or 12.50; 0 means free."))
    currency = text(_("Currency"), hint=_("Three letters (ISO 4217), such as GBP, EUR or USD."))
    amount_description = text(
        _("About the amount"), hint=_("Such as: per 50-minute session, or from 10 to 40 depending on income.")
    )
    kinds = forms.MultipleChoiceField(
        label=_("Found in search as"),
        help_text=_(
            "People filter by these. Search reads them from the words and the amount: "
            "a kind you tick is added to the words when they do not say it yet."
        ),
        required=False,
        choices=COST_KIND_LABELS,
        widget=forms.CheckboxSelectMultiple,
    )
    valid_from = _date(_("Price applies from"))
    valid_to = _date(_("Price applies until"))
    sections = (
        (_("The price"), ("option", "amount", "currency", "amount_description")),
        (_("Search filters"), (KINDS_FIELD,)),
        (_("When it applies (leave empty if always)"), ("valid_from", "valid_to")),
    )

    @classmethod
    def for_option(cls, option: CostOption, **kwargs: Any) -> CostOptionForm:
        form = cls.from_record(option, **kwargs)
        form.initial[KINDS_FIELD] = sorted(cost_kinds_of(option))
        if option.amount is not None:  # as typed (40), not as stored (40.000000)
            form.initial["amount"] = f"{option.amount.normalize():f}"
        return form

    def chosen_kinds(self) -> list[str]:
        return list(self.cleaned_data.get(KINDS_FIELD) or [])

    def problems(self) -> Problems:
        try:
            cost_option_values(self.values(), self.chosen_kinds())
        except InvalidRecord as invalid:
            return invalid.problems
        return []


class LanguageForm(DirectoryRecordForm):
    """A language the service is given in; the code is what the search's language filter matches."""

    table = "language"
    code = text(
        _("Language code"),
        required=True,
        hint=_(
            "Two letters (ISO 639-1), such as en, cy, pl or ur; three letters (ISO 639-3) for a "
            "language without two, such as yue."
        ),
    )
    name = text(
        _("Name of the language"),
        hint=_("May be left empty for a language the search form lists: its English name is filled in."),
    )
    note = text(_("Note"), hint=_("Such as: with an interpreter, on request; or the region, such as Brazil."))
    sections = ((_("The language"), ("code", "name", "note")),)

    def __init__(self, *args: Any, service: Service, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.service = service

    def problems(self) -> Problems:
        try:
            language_values(self.service, self.values())
        except InvalidRecord as invalid:
            return invalid.problems
        return []
