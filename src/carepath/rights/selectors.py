"""Reading everything held about one account: the JSON document and the FHIR Bundle's facts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.utils import timezone

from carepath.interop.fhir_bundle import (
    CheckInFacts,
    ConsentFacts,
    PersonFacts,
    SafetyPlanFacts,
    entry_url,
    personal_data_bundle,
)
from carepath.interop.fhir_common import JSON
from carepath.interop.fhir_service_request import Party, ReferralFacts
from carepath.referrals.models import Referral
from carepath.referrals.selectors import instrument_total_codes
from carepath.rights.erasure_context import ErasureContext
from carepath.rights.json_values import plain
from carepath.rights.registry import Erasure, installed_sources, sections
from carepath.safety.models import PLAN_STEP_TITLES, PLAN_STEPS, RiskAlertConsent, SafetyPlan
from carepath.screening.models import Assessment
from carepath.screening.selectors import instrument_registry
from carepath_core.errors import DomainError
from carepath_core.instruments import score
from carepath_core.referrals import snapshot_from_document

DOCUMENT_FORMAT = "carepath-personal-data"
DOCUMENT_VERSION = 1


def personal_data_document(account: Any, now: dt.datetime) -> dict[str, Any]:
    """One JSON document: every section of the registry, in its order, under stable keys."""
    return {
        "format": DOCUMENT_FORMAT,
        "version": DOCUMENT_VERSION,
        "exported_at": plain(now),
        "account_id": account.pk,
        "sections": {section: export(account) for section, export in sections()},
    }


def personal_data_fhir(account: Any, now: dt.datetime) -> JSON:
    patient_url = entry_url("Patient", account.pk)
    return personal_data_bundle(
        person=PersonFacts(account.pk, account.get_username(), account.display_name, account.email),
        check_ins=_check_ins(account),
        safety_plan=_safety_plan(account),
        referrals=_referrals(account, patient_url),
        consents=_consents(account),
        timestamp=now,
    )


def _check_ins(account: Any) -> list[CheckInFacts]:
    registry, found = instrument_registry(), []
    for assessment in Assessment.objects.filter(person=account).order_by("completed_at"):
        instrument = registry.get(assessment.instrument)
        if instrument is None:
            continue  # a questionnaire no longer offered: the JSON export still has it
        try:
            result = score(instrument, assessment.answers) if instrument.is_scorable else None
        except DomainError:
            result = None
        found.append(
            CheckInFacts(assessment.pk, instrument, assessment.answers, assessment.completed_at, result)
        )
    return found


def _safety_plan(account: Any) -> SafetyPlanFacts | None:
    plan = SafetyPlan.objects.filter(person=account).first()
    if plan is None:
        return None
    steps = [(str(PLAN_STEP_TITLES[step]), getattr(plan, step)) for step in PLAN_STEPS if getattr(plan, step)]
    return SafetyPlanFacts(steps, plan.updated_at)


def _referrals(account: Any, patient_url: str) -> list[ReferralFacts]:
    """The person's own requests and hand-offs (a supporter's referrals are other people's records)."""
    found = Referral.objects.filter(person=account).select_related("supporter", "hand_off", "hand_off__peer")
    codes = instrument_total_codes()
    titles = {key: str(title) for key, title in PLAN_STEP_TITLES.items()}
    facts = []
    for referral in found.order_by("created_at", "id"):
        subject = Party(patient_url, account.shown_name)
        hand_off = referral.hand_off
        peer = hand_off.peer if hand_off is not None else None
        facts.append(
            ReferralFacts(
                referral_id=referral.pk,
                status=referral.status,
                kind=referral.kind,
                authored=referral.created_at,
                subject=subject,
                requester=Party(f"Practitioner/{peer.pk}", peer.shown_name) if peer is not None else subject,
                performer=Party(f"Practitioner/{referral.supporter_id}", referral.supporter.shown_name),
                snapshot=snapshot_from_document(hand_off.snapshot)
                if hand_off and hand_off.snapshot
                else None,
                shared_at=hand_off.answered_at if hand_off is not None else None,
                total_codes=codes,
                plan_step_titles=titles,
            )
        )
    return facts


def _consents(account: Any) -> list[ConsentFacts]:
    found = []
    risk = RiskAlertConsent.objects.filter(person=account).first()
    if risk is not None:
        granted = ["be told when a check-in shows risk"] if risk.granted else []
        found.append(ConsentFacts("risk-alerts", granted, "A coordinator of the programme", risk.changed_at))
    if apps.is_installed("carepath.sharing"):
        found.extend(_sharing_consents(account))
    return found


def _sharing_consents(account: Any) -> list[ConsentFacts]:
    model = apps.get_model("sharing", "SharingChoice")
    choices = model._default_manager.filter(person=account).select_related("recipient_account")
    found = []
    for choice in choices.order_by("id"):
        scopes = [
            f"see {field.verbose_name}"
            for field in choice._meta.concrete_fields
            if field.get_internal_type() == "BooleanField" and getattr(choice, field.name)
        ]
        recipient = choice.recipient_account
        who = (
            recipient.shown_name
            if recipient is not None
            else f"Organisation {choice.recipient_organization_id}"
        )
        found.append(ConsentFacts(f"sharing-{choice.pk}", scopes, who, choice.changed_at))
    return found


def _organisation_name(organization_id: Any) -> str:
    organizations = apps.get_model("directory", "Organization")._default_manager
    name = organizations.filter(pk=organization_id).values_list("name", flat=True).first()
    return str(name) if name else "An organisation that is no longer listed"


@dataclass(frozen=True)
class Holding:
    """One kind of data the account has, and what erasure would do with it."""

    title: str
    erasure: Erasure
    reason: str


def holdings(account: Any) -> list[Holding]:
    """What erasing would delete and what it would keep, for the kinds of data the account has."""
    context = ErasureContext.of(account, timezone.now())
    found: dict[str, Holding] = {}
    for source in installed_sources():
        rows = source.rows(context)
        always = source.model in _ALWAYS_SHOWN
        if (always or (rows is not None and rows.exists())) and str(source.title) not in found:
            found[str(source.title)] = Holding(str(source.title), source.erasure, str(source.reason or ""))
    return list(found.values())


# Every account has these, though they are not found by rows of its own.
_ALWAYS_SHOWN = frozenset({"sessions.Session", "audit.AuditEvent", "accounts.User"})
