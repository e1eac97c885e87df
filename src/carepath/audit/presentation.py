"""Audit events in words: rows for the coordinators' audit page, and for the person they are about,
who acted on which of their records.

Staff (peer supporters, professionals, coordinators) are named with their role; another person
using Carepath is never named; sign-in attempts by someone not logged in are said to be so.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from carepath.accounts.models import RoleChoices
from carepath.audit.models import AuditAction, AuditEvent, AuditOutcome
from carepath_core.roles import Role

_STAFF_ROLES = frozenset({Role.PEER_SUPPORTER.value, Role.PROFESSIONAL.value, Role.COORDINATOR.value})
_SIGN_IN_ATTEMPTS = frozenset({AuditAction.LOGIN_FAILED.value, AuditAction.LOCKED_OUT.value})

RECORD_NAMES: dict[str, Promise] = {
    "account": gettext_lazy("Your account"),
    "assessment": gettext_lazy("A check-in you kept"),
    "safety_plan": gettext_lazy("Your safety plan"),
    "risk_flag": gettext_lazy("A risk flag from your answers"),
    "recommendation": gettext_lazy("A recommendation you saved"),
    "episode": gettext_lazy("An episode of your support"),
    "matching_wishes": gettext_lazy("What you asked of a peer supporter"),
    "peer_supporter_profile": gettext_lazy("Your peer supporter profile"),
    "professional_profile": gettext_lazy("Your professional profile"),
    "referral": gettext_lazy("Your request for contact"),
    "hand_off": gettext_lazy("A hand-off to a professional"),
    "api_token": gettext_lazy("An API token of yours"),
}

# Consent events name the person's account as their subject; the log says which part of it.
_CONSENT_ACTIONS = frozenset(
    {
        AuditAction.SHARING_GRANTED.value,
        AuditAction.SHARING_CHANGED.value,
        AuditAction.SHARING_WITHDRAWN.value,
        AuditAction.SHARING_VIEWED.value,
    }
)
SHARING_CHOICES_NAME = gettext_lazy("Your choices of who can see what")


@dataclass(frozen=True)
class AccessLogEntry:
    sequence: int
    occurred_at: dt.datetime
    who: str
    what: str
    record: str
    result: str  # empty when it succeeded, as most do


def access_log_entries(events: Iterable[AuditEvent], viewer: Any) -> list[AccessLogEntry]:
    return [
        AccessLogEntry(
            sequence=event.sequence,
            occurred_at=event.occurred_at,
            who=who_acted(event, viewer),
            what=event.get_action_display(),
            record=record_name(event),
            result="" if event.outcome == AuditOutcome.SUCCESS else event.get_outcome_display(),
        )
        for event in events
    ]


def record_name(event: AuditEvent) -> str:
    if event.action in _CONSENT_ACTIONS:
        return str(SHARING_CHOICES_NAME)
    return str(RECORD_NAMES.get(event.subject_type, _("One of your records")))


def who_acted(event: AuditEvent, viewer: Any) -> str:
    if event.actor_ref and event.actor_ref == str(viewer.pk):
        return _("You")
    if event.actor_role in _STAFF_ROLES:
        name = event.actor.shown_name if event.actor is not None else event.actor_label
        if event.erased_at is not None or not name:  # the account was erased since
            name = _("Someone who has left Carepath")
        role = dict(RoleChoices.choices).get(event.actor_role, event.actor_role)
        return _("%(name)s, %(role)s") % {"name": name, "role": role}
    if event.actor_ref:
        return _("Another person using Carepath")
    if event.action in _SIGN_IN_ATTEMPTS:
        return _("Someone who was not logged in")
    return _("Carepath itself (an automatic or administrative task)")


@dataclass(frozen=True)
class TrailRow:
    event: AuditEvent
    role: str
    subject: str
    details: str


def trail_rows(events: Iterable[AuditEvent]) -> list[TrailRow]:
    roles = dict(RoleChoices.choices)
    return [
        TrailRow(
            event=event,
            role=str(roles.get(event.actor_role, event.actor_role)),
            subject=f"{event.subject_type} {event.subject_id}".strip(),
            details="; ".join(f"{key}: {json.dumps(value)}" for key, value in sorted(event.details.items())),
        )
        for event in events
    ]
