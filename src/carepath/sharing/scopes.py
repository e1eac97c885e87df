"""The four things a person may share with a supporter, professional or organisation.

Each scope is also the name of a yes/no column on `SharingChoice`, so a grant is read and written
by the same word everywhere (policy, services, pages, API, audit details).
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from carepath.errors import FieldProblem


class Scope(StrEnum):
    SCREENING_RESULTS = "screening_results"
    SAFETY_PLAN = "safety_plan"
    NOTES = "notes"
    CONTACT_DETAILS = "contact_details"


SCOPE_LABELS = {
    Scope.SCREENING_RESULTS: _("Check-in results"),
    Scope.SAFETY_PLAN: _("Safety plan"),
    Scope.NOTES: _("Peer notes"),
    Scope.CONTACT_DETAILS: _("Contact details"),
}

SCOPE_HINTS = {
    Scope.SCREENING_RESULTS: _("The scores and bands of the check-ins you kept, with their dates."),
    Scope.SAFETY_PLAN: _(
        "Your warning signs, ways of coping and how you make your surroundings safer. Steps that name "
        "other people show only whether they are written."
    ),
    Scope.NOTES: _(
        "The notes your peer supporters wrote with you, which you can already read. Clinical notes are "
        "never shared."
    ),
    Scope.CONTACT_DETAILS: _("The email address on your account."),
}


def checked_scopes(values: Iterable[object], field: str = "scopes") -> frozenset[Scope]:
    """Scope names as sent by a form or the API; an unknown name is refused, naming it."""
    found: set[Scope] = set()
    for value in values:
        text = str(value).strip()
        try:
            found.add(Scope(text))
        except ValueError as unknown:
            known = ", ".join(scope.value for scope in Scope)
            raise FieldProblem(
                field, f"'{text[:40]}' is not something you can share (choose from {known})"
            ) from unknown
    return frozenset(found)


def in_order(scopes: Iterable[Scope]) -> list[Scope]:
    """Scopes in the order the pages list them, so audit details and payloads read the same way."""
    chosen = set(scopes)
    return [scope for scope in Scope if scope in chosen]
