"""Saving profiles and matching wishes. Each save is checked whole before anything is written,
names the field at fault when refused, and is audited in the same transaction.

Audit details list which fields were saved, never their values: topics and identity are
sensitive, and the audit log is read by coordinators.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, TypeVar

from django.db import transaction
from django.utils import timezone

from carepath import policy
from carepath.audit.models import AuditAction
from carepath.audit.services import record_event
from carepath.directory.models import Service
from carepath.errors import FieldProblem, NotPermitted
from carepath.matching import profile_input as read
from carepath.matching import selectors
from carepath.matching.models import MatchingWishes, PeerSupporterProfile, ProfessionalProfile

SUPPORTER_PROFILE = "a peer supporter profile"


def save_supporter_profile(
    *, actor: Any, owner: Any, data: Mapping[str, Any], today: dt.date | None = None
) -> PeerSupporterProfile:
    if not policy.can_edit_supporter_profile(actor, owner):
        raise NotPermitted("only the peer supporter may change their own profile")
    read.only_known(data, read.SUPPORTER_KEYS, SUPPORTER_PROFILE)
    _, matching = read.read_supporter_fields(data)
    today = today or timezone.localdate()
    values = {
        **_matching_values(matching),
        "topics": matching.topics,
        "latitude": matching.latitude,
        "longitude": matching.longitude,
        "experience": read.text(data, "experience"),
        "shared_identity": read.text(data, "shared_identity"),
        "max_distance_km": read.distance(data),
        "capacity": data.get("capacity", 0),
        "current_load": data.get("current_load", 0),
        "training": read.text(data, "training"),
        "trained_on": read.past_date(data, "trained_on", today),
        "certification": read.text(data, "certification"),
        "certified_on": read.past_date(data, "certified_on", today),
        "supervisor_name": read.text(data, "supervisor_name"),
        "confidentiality_statement": read.text(data, "confidentiality_statement"),
        "service": _service(data.get("service_id")),
        "active": read.flag(data, "active"),
    }
    return _save(
        PeerSupporterProfile,
        {"user": owner},
        values,
        actor=actor,
        action=AuditAction.SUPPORTER_PROFILE_SAVED,
        data=data,
    )


def save_professional_profile(*, actor: Any, owner: Any, data: Mapping[str, Any]) -> ProfessionalProfile:
    if not policy.can_edit_professional_profile(actor, owner):
        raise NotPermitted("only the professional may change their own profile")
    read.only_known(data, read.PROFESSIONAL_KEYS, "a professional profile")
    _, matching = read.read_supporter_fields(data)
    values = {
        **_matching_values(matching),
        "licence_type": read.text(data, "licence_type"),
        "licence_body": read.text(data, "licence_body"),
        "licence_number": read.text(data, "licence_number"),
        "cost": read.text(data, "cost"),
        "insurance": read.text(data, "insurance"),
        "capacity": data.get("capacity", 0),
        "service": _service(data.get("service_id")),
        "active": read.flag(data, "active"),
    }
    return _save(
        ProfessionalProfile,
        {"user": owner},
        values,
        actor=actor,
        action=AuditAction.PROFESSIONAL_PROFILE_SAVED,
        data=data,
    )


def save_matching_wishes(*, actor: Any, person: Any, data: Mapping[str, Any]) -> MatchingWishes:
    if not policy.can_keep_matching_wishes(actor, person):
        raise NotPermitted("only the person may state their own wishes")
    read.only_known(data, read.WISHES_KEYS, "matching wishes")
    _, matching = read.read_seeker_fields(data, selectors.supporter_ids())
    values = {
        **_matching_values(matching),
        "topics": matching.topics,
        "latitude": matching.latitude,
        "longitude": matching.longitude,
        "experience": read.text(data, "experience"),
        "max_distance_km": read.distance(data),
        "excluded_supporters": [str(item) for item in data.get("excluded_supporters") or []],
        "stated_preferences": read.text(data, "stated_preferences"),
    }
    return _save(
        MatchingWishes,
        {"person": person},
        values,
        actor=actor,
        action=AuditAction.MATCHING_WISHES_SAVED,
        data=data,
    )


def _matching_values(matching: read.MatchingFields) -> dict[str, Any]:
    return {
        "languages": matching.languages,
        "hours": matching.hours,
        "utc_offset": matching.utc_offset,
        "availability": matching.availability,
        "modalities": matching.modalities,
    }


def _service(service_id: Any) -> Service | None:
    wanted = str(service_id or "").strip()
    if not wanted:
        return None
    service = Service.objects.filter(pk=wanted).first()
    if service is None:
        raise FieldProblem("service_id", f"no service in the directory has the id '{wanted}'")
    return service


_Saved = TypeVar("_Saved", PeerSupporterProfile, ProfessionalProfile, MatchingWishes)
SUBJECT_TYPES = {
    PeerSupporterProfile: "peer_supporter_profile",
    ProfessionalProfile: "professional_profile",
    MatchingWishes: "matching_wishes",
}


def _save(
    model: type[_Saved],
    owner: dict[str, Any],
    values: dict[str, Any],
    *,
    actor: Any,
    action: AuditAction,
    data: Mapping[str, Any],
) -> _Saved:
    """Create or update the owner's record and audit it (which fields were sent, never their
    values) in the same transaction."""
    with transaction.atomic():
        record, created = model.objects.update_or_create(**owner, defaults=values)
        record_event(
            actor=actor,
            action=action,
            subject_type=SUBJECT_TYPES[model],
            subject_id=record.pk,
            details={"created": created, "fields": sorted(data)},
        )
    return record
