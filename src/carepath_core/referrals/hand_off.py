"""A peer supporter's hand-off of a person to a professional, and what the person agrees to share.

The person decides. What they are shown on the consent screen is built here from plain values,
turned into a JSON document, and fingerprinted; agreeing sends the fingerprint back, so what is
frozen and shared is exactly what was on their screen, never something that changed since.

The safety plan is summarised, not copied whole: the steps about the person themself (warning
signs, coping on their own, making surroundings safer) are shared in their own words, while the
steps that name other people (friends, places, their own professionals) say only whether they
are written. Those other people never agreed to be shared with someone new.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from carepath_core.errors import DomainError, InvalidData

PLAN_STEPS_SHARED_IN_FULL = ("warning_signs", "coping_on_my_own", "safer_surroundings")
PLAN_STEPS_NAMED_ONLY = ("people_and_places", "people_to_ask", "professionals_and_lines")
PLAN_STEP_ORDER = (
    "warning_signs",
    "coping_on_my_own",
    "people_and_places",
    "people_to_ask",
    "professionals_and_lines",
    "safer_surroundings",
)
MAX_REASON_LENGTH = 2000


class HandOffStatus(StrEnum):
    ASKED = "asked"
    AGREED = "agreed"
    DECLINED = "declined"


class HandOffAnswer(StrEnum):
    AGREE = "agree"
    DECLINE = "decline"


_ANSWERS = {HandOffAnswer.AGREE: HandOffStatus.AGREED, HandOffAnswer.DECLINE: HandOffStatus.DECLINED}


class HandOffRefused(DomainError):
    """An answer to a hand-off that has already been answered, or to one that changed since."""


def answered_status(current: HandOffStatus, answer: HandOffAnswer) -> HandOffStatus:
    """Only a waiting hand-off can be answered, and only once."""
    if current is not HandOffStatus.ASKED:
        raise HandOffRefused(f"this hand-off was already answered ({current.value}), so it cannot change")
    return _ANSWERS[answer]


@dataclass(frozen=True)
class SharedScore:
    instrument: str
    name: str
    total: int
    max_total: int
    band: str
    completed_on: str  # ISO date: the day matters to a professional, the hour does not


@dataclass(frozen=True)
class SharedPlanStep:
    step: str
    written: bool
    text: str | None  # None: only whether it is written is shared


@dataclass(frozen=True)
class Snapshot:
    reason: str
    scores: tuple[SharedScore, ...]
    plan_updated_on: str | None
    plan_steps: tuple[SharedPlanStep, ...]

    @property
    def has_plan(self) -> bool:
        return self.plan_updated_on is not None


def checked_reason(reason: str) -> str:
    text = reason.strip()
    if not text:
        raise InvalidData("reason", "write why you think a professional could help; the person reads it")
    if len(text) > MAX_REASON_LENGTH:
        raise InvalidData("reason", f"must be at most {MAX_REASON_LENGTH} characters")
    return text


def build_snapshot(
    reason: str,
    scores: Sequence[SharedScore],
    plan: Mapping[str, str] | None,
    plan_updated_on: str | None,
) -> Snapshot:
    """What would be shared: the reason, the latest score per questionnaire, the plan summary."""
    steps: tuple[SharedPlanStep, ...] = ()
    if plan is not None:
        steps = tuple(_plan_step(key, plan.get(key, "")) for key in PLAN_STEP_ORDER)
    ordered = tuple(sorted(scores, key=lambda s: s.instrument))
    return Snapshot(checked_reason(reason), ordered, plan_updated_on if plan is not None else None, steps)


def _plan_step(key: str, text: str) -> SharedPlanStep:
    written = bool(text.strip())
    shown = text.strip() if written and key in PLAN_STEPS_SHARED_IN_FULL else None
    return SharedPlanStep(step=key, written=written, text=shown)


def snapshot_document(snapshot: Snapshot) -> dict[str, Any]:
    """The snapshot as plain JSON, the form it is stored and fingerprinted in."""
    return {
        "reason": snapshot.reason,
        "scores": [vars(score) for score in snapshot.scores],
        "plan_updated_on": snapshot.plan_updated_on,
        "plan_steps": [vars(step) for step in snapshot.plan_steps],
    }


def snapshot_from_document(document: Mapping[str, Any]) -> Snapshot:
    return Snapshot(
        reason=str(document["reason"]),
        scores=tuple(SharedScore(**item) for item in document.get("scores", [])),
        plan_updated_on=document.get("plan_updated_on"),
        plan_steps=tuple(SharedPlanStep(**item) for item in document.get("plan_steps", [])),
    )


def fingerprint(snapshot: Snapshot) -> str:
    """A short hash of exactly what is shown: any change to the content changes it."""
    canonical = json.dumps(snapshot_document(snapshot), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:32]


def check_fingerprint(snapshot: Snapshot, agreed_to: str) -> None:
    if fingerprint(snapshot) != agreed_to.strip():
        raise InvalidData(
            "fingerprint",
            "what would be shared has changed since you looked; please read it again before agreeing",
        )
