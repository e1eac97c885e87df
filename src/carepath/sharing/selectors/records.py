"""The person's records as a supporter sees them when shared: one reader per scope.

Each reader reads only its own scope, and the caller (the sharing service) calls only the readers
of scopes the policy allowed, so a record that is not shared is never even read from the database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from carepath.referrals.models import ContactEntry, NoteKind
from carepath.safety.models import PLAN_STEP_TITLES
from carepath.safety.selectors import safety_plan_of
from carepath.screening.selectors import assessments_of, instrument_registry
from carepath_core.referrals import SharedPlanStep, SupportKind
from carepath_core.referrals.hand_off import PLAN_STEP_ORDER, PLAN_STEPS_SHARED_IN_FULL

MOST_CHECK_INS = 100
MOST_NOTES = 200


@dataclass(frozen=True)
class SharedCheckIn:
    id: str
    instrument: str
    name: str
    total: int
    max_total: int | None
    band: str
    completed_on: dt.date


@dataclass(frozen=True)
class SharedPlan:
    updated_on: dt.date
    steps: tuple[tuple[str, SharedPlanStep], ...]  # (title, step)


@dataclass(frozen=True)
class SharedNote:
    happened_on: dt.date
    written_by: str
    text: str


@dataclass(frozen=True)
class SharedContact:
    name: str
    email: str


def check_in_results(person_id: Any) -> list[SharedCheckIn]:
    """Every kept check-in's total and band, newest first: the scores, never the answers."""
    registry = instrument_registry()
    found = assessments_of(person_id).only("id", "instrument", "total", "band_label", "completed_at")
    results = []
    for assessment in found[:MOST_CHECK_INS]:
        instrument = registry.get(assessment.instrument)
        results.append(
            SharedCheckIn(
                id=str(assessment.pk),
                instrument=assessment.instrument,
                name=instrument.short_name if instrument else assessment.instrument,
                total=assessment.total,
                max_total=instrument.max_total if instrument else None,
                band=assessment.band_label,
                completed_on=assessment.completed_at.date(),
            )
        )
    return results


def safety_plan_summary(person_id: Any) -> SharedPlan | None:
    """The plan as a hand-off shares it: the person's own steps in full; the steps naming other
    people (friends, places, their own professionals) only as written or not, because those people
    never agreed to be shared (docs/sharing.md)."""
    plan = safety_plan_of(person_id)
    if plan is None:
        return None
    steps = []
    for key in PLAN_STEP_ORDER:
        text = (getattr(plan, key) or "").strip()
        shown = text if text and key in PLAN_STEPS_SHARED_IN_FULL else None
        steps.append(
            (str(PLAN_STEP_TITLES.get(key, key)), SharedPlanStep(step=key, written=bool(text), text=shown))
        )
    return SharedPlan(updated_on=plan.updated_at.date(), steps=tuple(steps))


def peer_notes(person_id: Any, *, viewer_id: Any) -> list[SharedNote]:
    """The peer notes the person can read themself, from their relationships with other supporters
    (the viewer already reads the notes of their own). Clinical notes are left out by kind, so no
    consent can reach them."""
    entries = (
        ContactEntry.objects.filter(
            referral__person_id=person_id,
            referral__kind=SupportKind.PEER.value,
            note_kind=NoteKind.PEER.value,
        )
        .exclude(referral__supporter_id=viewer_id)
        .select_related("referral__supporter")
        .only("happened_on", "note", "referral__supporter__display_name", "referral__supporter__username")
    )
    notes = []
    for entry in entries[:MOST_NOTES]:
        text = (entry.note or "").strip()
        if text:  # filtered here, not in SQL: note text is not something to query on
            notes.append(SharedNote(entry.happened_on, entry.referral.supporter.shown_name, text))
    return notes


def contact_details(person: Any) -> SharedContact:
    return SharedContact(name=person.shown_name, email=person.email)
