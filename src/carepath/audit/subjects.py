"""Which audit events are about a given person: their account, and the records they own.

Services name an event's subject by type and id ("assessment", 42). For a person's access log and
the audit page's "whose records" filter, each type that is a person's record is mapped here to its
model and owner field. Models are looked up by label when a query is built, so the audit app does
not import the apps that write to it (they import it). tests/integration/test_audit_subjects.py
checks each entry against the models and fails when a service writes a person's record under a
subject type missing from this table.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db.models import CharField, Func, Model, Q, UUIDField
from django.db.models.functions import Cast

ACCOUNT = "account"  # subject id is the person's account id itself

# subject type -> (model label, field naming the person who owns the record)
PERSON_RECORDS: dict[str, tuple[str, str]] = {
    "assessment": ("screening.Assessment", "person"),
    "safety_plan": ("safety.SafetyPlan", "person"),
    "risk_flag": ("safety.RiskFlag", "person"),
    "recommendation": ("decision.SavedRecommendation", "person"),
    "episode": ("outcomes.Episode", "person"),
    "matching_wishes": ("matching.MatchingWishes", "person"),
    "peer_supporter_profile": ("matching.PeerSupporterProfile", "user"),
    "professional_profile": ("matching.ProfessionalProfile", "user"),
    "referral": ("referrals.Referral", "person"),
    "hand_off": ("referrals.HandOff", "person"),
    "api_token": ("accounts.ApiToken", "owner"),
}


class UUIDText(Func):
    """A UUID column as the text str(uuid) gives (SQLite keeps UUIDs as 32 hex digits, no hyphens)."""

    output_field = CharField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        hyphenated = "||'-'||".join(
            f"substr(%(expressions)s, {start}, {length})"
            for start, length in ((1, 8), (9, 4), (13, 4), (17, 4), (21, 12))
        )
        return self.as_sql(compiler, connection, template=f"lower({hyphenated})", **extra)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, template="CAST(%(expressions)s AS text)", **extra)


def _id_as_text(model: type[Model]) -> Func:
    if isinstance(model._meta.pk, UUIDField):
        return UUIDText("pk")
    return Cast("pk", output_field=CharField())


def about_person(person_id: int) -> Q:
    """Events whose subject is the person's account or one of their records (one SQL query)."""
    condition = Q(subject_type=ACCOUNT, subject_id=str(person_id))
    for subject_type, (label, owner) in PERSON_RECORDS.items():
        model = apps.get_model(label)
        # subject_id is text (str(pk) when written); compare with the record ids as that same text.
        ids = model._default_manager.filter(**{owner: person_id}).annotate(id_text=_id_as_text(model))
        condition |= Q(subject_type=subject_type, subject_id__in=ids.values("id_text"))
    return condition
