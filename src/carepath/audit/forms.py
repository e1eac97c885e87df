"""The audit page's filters (a GET form) and the page cursors both audit pages share."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from carepath.accounts.selectors import account_by_username
from carepath.audit.models import AuditAction, AuditOutcome
from carepath.audit.selectors import TrailQuery
from carepath.web.forms import date_input

ANY = ("", _("Any"))


class PageCursorForm(forms.Form):
    """Where a page of events starts: before or after an event's sequence number (keyset paging)."""

    before = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)
    after = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("before") and cleaned.get("after"):
            self.add_error("after", _("Give either “before” or “after”, not both."))
        return cleaned


class TrailFilterForm(PageCursorForm):
    actor = forms.CharField(
        label=_("Who acted (username)"),
        required=False,
        max_length=150,
        widget=forms.TextInput(attrs={"autocapitalize": "none", "spellcheck": "false"}),
    )
    person = forms.CharField(
        label=_("Whose records (username)"),
        required=False,
        max_length=150,
        help_text=_("Events about this person's account and the records they keep."),
        widget=forms.TextInput(attrs={"autocapitalize": "none", "spellcheck": "false"}),
    )
    action = forms.ChoiceField(label=_("What happened"), required=False, choices=[ANY, *AuditAction.choices])
    outcome = forms.ChoiceField(label=_("Result"), required=False, choices=[ANY, *AuditOutcome.choices])
    date_from = forms.DateField(label=_("From (date, UTC)"), required=False, widget=date_input())
    date_to = forms.DateField(label=_("To (date, UTC)"), required=False, widget=date_input())

    FILTERS = ("actor", "person", "action", "outcome", "date_from", "date_to")

    def clean_actor(self) -> Any:
        return self._account("actor")

    def clean_person(self) -> Any:
        return self._account("person")

    def _account(self, name: str) -> Any:
        username = self.cleaned_data.get(name, "").strip()
        if not username:
            return None
        account = account_by_username(username)
        if account is None:
            raise forms.ValidationError(_("No account has this username."), code="unknown")
        return account

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start: dt.date | None = cleaned.get("date_from")
        end: dt.date | None = cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("Must be the same as or later than the “From” date."))
        return cleaned

    def filter_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.FILTERS]

    def query(self) -> TrailQuery:
        """The filters as a query; call only once the form is valid."""
        data = self.cleaned_data
        return TrailQuery(
            actor_id=data["actor"].pk if data.get("actor") else None,
            person_id=data["person"].pk if data.get("person") else None,
            action=data.get("action") or None,
            outcome=data.get("outcome") or None,
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
