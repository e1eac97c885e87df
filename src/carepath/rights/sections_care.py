"""Export sections for the person's own care records: check-ins, safety, decisions, episodes, matching.

Each function reads one personal-data source (carepath.rights.registry) for one account and
returns it as plain JSON. Reading through the ORM gives plaintext, encrypted fields included.
"""

from __future__ import annotations

from typing import Any

from carepath.decision.models import RuleSetVersion, SavedRecommendation
from carepath.matching.models import MatchingWishes, PeerSupporterProfile, ProfessionalProfile
from carepath.outcomes.models import Episode
from carepath.rights.json_values import row
from carepath.safety.models import PLAN_STEPS, RiskAlertConsent, RiskFlag, SafetyPlan
from carepath.screening.models import Assessment

_HOURS = ("languages", "hours", "utc_offset", "modalities", "updated_at")


def check_ins(account: Any) -> list[dict[str, Any]]:
    fields: tuple[str, ...] = (
        "id",
        "instrument",
        "instrument_version",
        "completed_at",
        "answers",
        "total",
        "band_label",
        "caseness",
        "risk_items",
        "said_in_danger",
    )
    return [row(item, fields) for item in Assessment.objects.filter(person=account).order_by("completed_at")]


def safety_plan(account: Any) -> dict[str, Any] | None:
    plan = SafetyPlan.objects.filter(person=account).first()
    return row(plan, (*PLAN_STEPS, "updated_at")) if plan is not None else None


def risk_alert_consent(account: Any) -> dict[str, Any] | None:
    consent = RiskAlertConsent.objects.filter(person=account).first()
    return row(consent, ("granted", "changed_at")) if consent is not None else None


def risk_flags(account: Any) -> list[dict[str, Any]]:
    fields: tuple[str, ...] = (
        "id",
        "assessment_id",
        "reasons",
        "raised_at",
        "status",
        "reviewed_at",
        "review_note",
    )
    return [row(flag, fields) for flag in RiskFlag.objects.filter(person=account).order_by("raised_at")]


def risk_flags_reviewed(account: Any) -> list[dict[str, Any]]:
    """A coordinator's reviews: when, never whose flag or the note (those are the person's record)."""
    flags = RiskFlag.objects.filter(reviewed_by=account).order_by("reviewed_at")
    return [row(flag, ("id", "reviewed_at")) for flag in flags]


def rule_sets_loaded(account: Any) -> list[dict[str, Any]]:
    rule_sets = RuleSetVersion.objects.filter(loaded_by=account).order_by("loaded_at")
    return [row(item, ("rule_set_id", "version", "loaded_at", "active")) for item in rule_sets]


def recommendations(account: Any) -> list[dict[str, Any]]:
    fields: tuple[str, ...] = ("id", "created_at", "inputs", "pathway", "minimum_level", "rule_set_id")
    fields += ("rule_set_version", "rule_id", "reasons", "fit")
    saved = SavedRecommendation.objects.filter(person=account).order_by("created_at")
    return [row(item, fields) for item in saved]


def episodes(account: Any) -> list[dict[str, Any]]:
    fields: tuple[str, ...] = ("id", "pathway", "started_on", "ended_on", "sessions_attended", "requested_on")
    fields += ("first_contact_on", "cost")
    found = Episode.objects.filter(person=account).select_related("service").order_by("started_on", "id")
    return [
        {**row(episode, fields), "service": episode.service.name if episode.service else None}
        for episode in found
    ]


def matching_wishes(account: Any) -> dict[str, Any] | None:
    wishes = MatchingWishes.objects.filter(person=account).first()
    if wishes is None:
        return None
    fields: tuple[str, ...] = (
        "topics",
        "experience",
        "latitude",
        "longitude",
        "max_distance_km",
        "stated_preferences",
    )
    return row(wishes, (*fields, "excluded_supporters", *_HOURS))


def peer_supporter_profile(account: Any) -> dict[str, Any] | None:
    profile = PeerSupporterProfile.objects.filter(user=account).first()
    if profile is None:
        return None
    fields: tuple[str, ...] = (
        "topics",
        "experience",
        "shared_identity",
        "latitude",
        "longitude",
        "max_distance_km",
    )
    fields += ("capacity", "current_load", "training", "trained_on", "certification", "certified_on")
    fields += ("supervisor_name", "confidentiality_statement", "service_id", "active")
    return row(profile, (*fields, *_HOURS))


def professional_profile(account: Any) -> dict[str, Any] | None:
    profile = ProfessionalProfile.objects.filter(user=account).first()
    if profile is None:
        return None
    fields: tuple[str, ...] = (
        "licence_type",
        "licence_body",
        "licence_number",
        "cost",
        "insurance",
        "capacity",
    )
    return row(profile, (*fields, "service_id", "active", *_HOURS))
