"""Naming a recipient in forms, the API and audit details: `account:12` or `organisation:<HSDS id>`."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from carepath.errors import FieldProblem


class RecipientKind(StrEnum):
    ACCOUNT = "account"
    ORGANISATION = "organisation"


@dataclass(frozen=True)
class RecipientKey:
    kind: RecipientKind
    id: str

    def __str__(self) -> str:
        return f"{self.kind.value}:{self.id}"

    @classmethod
    def account(cls, account_id: object) -> RecipientKey:
        return cls(RecipientKind.ACCOUNT, str(account_id))

    @classmethod
    def organisation(cls, organisation_id: object) -> RecipientKey:
        return cls(RecipientKind.ORGANISATION, str(organisation_id))


def parsed_recipient(value: object, field: str = "recipient") -> RecipientKey:
    """`account:12` or `organisation:<id>`; anything else is refused, naming the field."""
    text = str(value if value is not None else "").strip()
    kind, _, ident = text.partition(":")
    if kind == RecipientKind.ACCOUNT and ident.isdigit():
        return RecipientKey.account(int(ident))
    if kind == RecipientKind.ORGANISATION and 0 < len(ident) <= 36 and ident.replace("-", "").isalnum():
        return RecipientKey.organisation(ident)
    raise FieldProblem(field, "name a recipient as account:<id> or organisation:<id>")
