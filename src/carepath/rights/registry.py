"""Every place Carepath keeps data about a person, and what export and erasure do with it.

One `Source` per model (or per way of finding a model's rows) that holds data about a person: the
lookups that find the person's rows, the export section they appear in, and what erasure does:

- DELETE: the rows go.
- PSEUDONYMISE: the rows stay, linked to the emptied account (a number and a random name, no way
  to sign in), with the named columns emptied; the account's names are replaced in `redact` columns.
- KEEP: the rows stay, linked to the emptied account, for the reason given (someone else's record).

`tests/integration/test_rights_registry.py` walks every installed model and fails for any foreign
key or one-to-one to the user model that no source covers, so a new model cannot be forgotten.
Sources of apps that are not installed are skipped. docs/rights.md is the same table in words.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import partial
from typing import Any

from django.apps import apps
from django.db.models import Model, Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from carepath.rights import erasure_steps as steps
from carepath.rights import sections_account as account_sections
from carepath.rights import sections_care as care
from carepath.rights import sections_support as support
from carepath.rights.erasure_context import ErasureContext


class Erasure(StrEnum):
    DELETE = "delete"
    PSEUDONYMISE = "pseudonymise"
    KEEP = "keep"


@dataclass(frozen=True)
class Source:
    model: str  # "app_label.ModelName"
    section: str  # its key in the JSON export
    title: Promise  # what it is, in the person's words (the erasure page lists them)
    erasure: Erasure
    links: tuple[str, ...] = ()  # lookups whose value is the account's id
    export: Callable[[Any], Any] | None = None  # None: its rows are shown in another source's section
    columns: tuple[str, ...] = ()  # PSEUDONYMISE: columns emptied
    redact: tuple[str, ...] = ()  # text columns of rows that stay, where the account's names are replaced
    reason: Promise | None = None  # PSEUDONYMISE and KEEP: why the rows stay
    # Rows found some other way than a link (a username column, a session's data); and an erasure
    # step that replaces the generic one (it gets the context and the rows found).
    find: Callable[[ErasureContext], QuerySet[Any]] | None = None
    erase_step: Callable[[ErasureContext, QuerySet[Any] | None], int] | None = None

    @property
    def installed(self) -> bool:
        try:
            apps.get_app_config(self.model.split(".")[0])
        except LookupError:
            return False
        return True

    def model_class(self) -> type[Model]:
        return apps.get_model(self.model)

    def rows(self, context: ErasureContext) -> QuerySet[Any] | None:
        if self.find is not None:
            return self.find(context)
        if not self.links:
            return None
        condition = Q()
        for lookup in self.links:
            condition |= Q(**{lookup: context.account.pk})
        return self.model_class()._default_manager.filter(condition)


def _by_username(label: str) -> Callable[[ErasureContext], QuerySet[Any]]:
    def find(context: ErasureContext) -> QuerySet[Any]:
        names = Q(pk__in=[])  # no name (never an empty one) matches nothing
        for name in context.names:
            if name.strip():
                names |= Q(username__iexact=name.strip())
        rows: QuerySet[Any] = apps.get_model(label)._default_manager.filter(names)
        return rows

    return find


_OTHER_PERSONS_RECORD = _(
    "It is also the record of the person supported: the supporter's notes stay with it, your name "
    "taken out, linked to your emptied account."
)


def _sources() -> tuple[Source, ...]:
    return (
        Source(
            "accounts.ApiToken",
            "api_tokens",
            _("Your API tokens"),
            Erasure.DELETE,
            ("owner",),
            account_sections.api_tokens,
        ),
        Source(
            "screening.Assessment",
            "check_ins",
            _("Your check-ins and their answers"),
            Erasure.DELETE,
            ("person",),
            care.check_ins,
        ),
        Source(
            "safety.SafetyPlan",
            "safety_plan",
            _("Your safety plan"),
            Erasure.DELETE,
            ("person",),
            care.safety_plan,
        ),
        Source(
            "safety.RiskAlertConsent",
            "risk_alert_consent",
            _("Your choice about risk alerts"),
            Erasure.DELETE,
            ("person",),
            care.risk_alert_consent,
        ),
        Source(
            "safety.RiskFlag",
            "risk_flags",
            _("Risk flags raised from your answers"),
            Erasure.DELETE,
            ("person",),
            care.risk_flags,
        ),
        Source(
            "safety.RiskFlag",
            "risk_flags_reviewed",
            _("Risk flags you reviewed"),
            Erasure.KEEP,
            ("reviewed_by",),
            care.risk_flags_reviewed,
            reason=_(
                "They are the other person's record; your review stays, linked to your emptied account."
            ),
        ),
        Source(
            "decision.RuleSetVersion",
            "rule_sets_loaded",
            _("Stepped-care rules you loaded"),
            Erasure.KEEP,
            ("loaded_by",),
            care.rule_sets_loaded,
            reason=_("The programme must be able to show which rules were in force, and when."),
        ),
        Source(
            "decision.SavedRecommendation",
            "recommendations",
            _("Recommendations you kept"),
            Erasure.DELETE,
            ("person",),
            care.recommendations,
        ),
        Source(
            "outcomes.Episode",
            "episodes",
            _("Your episodes of support"),
            Erasure.DELETE,
            ("person",),
            care.episodes,
        ),
        Source(
            "matching.MatchingWishes",
            "matching_wishes",
            _("What you asked of a peer supporter"),
            Erasure.DELETE,
            ("person",),
            care.matching_wishes,
        ),
        Source(
            "matching.PeerSupporterProfile",
            "peer_supporter_profile",
            _("Your peer supporter profile"),
            Erasure.DELETE,
            ("user",),
            care.peer_supporter_profile,
        ),
        Source(
            "matching.ProfessionalProfile",
            "professional_profile",
            _("Your professional profile"),
            Erasure.DELETE,
            ("user",),
            care.professional_profile,
        ),
        Source(
            "referrals.Referral",
            "referrals",
            _("Your requests for contact and support relationships"),
            Erasure.KEEP,
            ("person", "supporter"),
            support.referrals,
            erase_step=steps.close_referrals,
            reason=_(
                "The other person keeps a record of the support: it stays with no name, linked to "
                "your emptied account, and open ones are closed."
            ),
        ),
        Source(
            "referrals.StatusChange",
            "status_changes_written",
            _("Reasons you gave for a change"),
            Erasure.PSEUDONYMISE,
            ("actor",),
            support.status_changes_written,
            columns=("reason",),
            reason=_(
                "The other person's history of the relationship keeps the date and the change, "
                "without your words."
            ),
        ),
        Source(
            "referrals.StatusChange",
            "referrals",
            _("Reasons the other person gave"),
            Erasure.KEEP,
            ("referral__person", "referral__supporter"),
            redact=("reason",),
            reason=_OTHER_PERSONS_RECORD,
        ),
        Source(
            "referrals.ContactEntry",
            "contact_log_written",
            _("Contacts you logged as a supporter"),
            Erasure.KEEP,
            ("author",),
            support.contact_log_written,
            redact=("note",),
            reason=_OTHER_PERSONS_RECORD,
        ),
        Source(
            "referrals.ContactEntry",
            "referrals",
            _("Notes your supporters wrote"),
            Erasure.KEEP,
            ("referral__person", "referral__supporter"),
            redact=("note",),
            reason=_(
                "A supporter keeps the notes of their work (a professional must, by law); they "
                "stay with your name taken out, linked to your emptied account."
            ),
        ),
        Source(
            "referrals.HandOff",
            "hand_offs",
            _("Hand-offs and what you agreed to share"),
            Erasure.DELETE,
            ("person",),
            support.hand_offs,
        ),
        Source(
            "referrals.HandOff",
            "hand_offs",
            _("Hand-offs you asked for or received"),
            Erasure.KEEP,
            ("peer", "professional"),
            redact=("reason",),
            reason=_OTHER_PERSONS_RECORD,
        ),
        Source(
            "referrals.Notification",
            "notifications",
            _("Your notices"),
            Erasure.DELETE,
            ("recipient",),
            support.notifications,
        ),
        Source(
            "referrals.Notification",
            "notifications",
            _("Other people's notices that name you"),
            Erasure.PSEUDONYMISE,
            find=steps.notices_naming,
            erase_step=steps.reword_notices,
            reason=_("They are the other person's notices; the words about you are replaced."),
        ),
        Source(
            "sharing.SharingChoice",
            "sharing_choices",
            _("Who you let see your records"),
            Erasure.DELETE,
            ("person",),
            support.sharing_choices,
        ),
        Source(
            "sharing.SharingChoice",
            "sharing_choices_for_you",
            _("Sharing other people chose with you"),
            Erasure.DELETE,
            ("recipient_account",),
            support.sharing_choices_for_you,
        ),
        Source(
            "otp_totp.TOTPDevice",
            "two_factor_app_devices",
            _("Your two-factor app"),
            Erasure.DELETE,
            ("user",),
            partial(account_sections.devices, model_label="otp_totp.TOTPDevice"),
        ),
        Source(
            "accounts.RecoveryCodeDevice",
            "two_factor_recovery_codes",
            _("Your recovery codes"),
            Erasure.DELETE,
            ("user",),
            partial(account_sections.devices, model_label="accounts.RecoveryCodeDevice"),
        ),
        # django-otp's plain-text recovery codes: moved to hashes by accounts migration 0004 and
        # never written since. Any row found is erased; there is none left to export.
        Source(
            "otp_static.StaticDevice",
            "two_factor_recovery_codes",
            _("Your recovery codes"),
            Erasure.DELETE,
            ("user",),
        ),
        Source(
            "axes.AccessAttempt",
            "sign_in_attempts",
            _("Failed sign-ins under your username"),
            Erasure.DELETE,
            find=_by_username("axes.AccessAttempt"),
            export=partial(account_sections.sign_in_records, model_label="axes.AccessAttempt"),
        ),
        Source(
            "axes.AccessFailureLog",
            "sign_in_failures",
            _("The log of failed sign-ins"),
            Erasure.DELETE,
            find=_by_username("axes.AccessFailureLog"),
            export=partial(account_sections.sign_in_records, model_label="axes.AccessFailureLog"),
        ),
        Source(
            "axes.AccessLog",
            "sign_ins",
            _("The log of your sign-ins"),
            Erasure.DELETE,
            find=_by_username("axes.AccessLog"),
            export=partial(account_sections.sign_in_records, model_label="axes.AccessLog"),
        ),
        Source(
            "sessions.Session",
            "sessions",
            _("Where you are signed in"),
            Erasure.DELETE,
            export=account_sections.sessions,
            erase_step=steps.end_sessions,
        ),
        Source(
            "admin.LogEntry",
            "admin_actions",
            _("Changes you made in the administration pages"),
            Erasure.KEEP,
            ("user",),
            account_sections.admin_actions,
            reason=_(
                "The programme must be able to show who changed its records; the entries name "
                "your emptied account only."
            ),
        ),
        Source(
            "admin.LogEntry",
            "admin_actions",
            _("Administration entries about your account"),
            Erasure.PSEUDONYMISE,
            find=steps.admin_entries_about,
            columns=("object_repr",),
            reason=_("They record what was done, not who you are: your username is taken out."),
        ),
        Source(
            "audit.AuditEvent",
            "audit_events",
            _("The audit trail's record of what you did"),
            Erasure.PSEUDONYMISE,
            ("actor",),
            account_sections.audit_events,
            erase_step=steps.erase_audit_events,
            reason=_(
                "The trail must show that things happened, in order, so nothing can be hidden. "
                "Your username and every detail that could name you are erased; the events keep "
                "an account number, a role, times and actions."
            ),
        ),
        # Last: the steps before it still need the account's names.
        Source(
            "accounts.User",
            "account",
            _("Your account: username, email, name and password"),
            Erasure.PSEUDONYMISE,
            ("pk",),
            account_sections.account_details,
            erase_step=steps.empty_account,
            reason=_(
                "An empty row remains under a random name so the records others keep still hold "
                "together. It can never sign in again."
            ),
        ),
    )


def installed_sources() -> tuple[Source, ...]:
    return tuple(source for source in _sources() if source.installed)


def sections() -> list[tuple[str, Callable[[Any], Any]]]:
    """(section, export) for every installed source that exports, in registry order."""
    return [(source.section, source.export) for source in installed_sources() if source.export is not None]
