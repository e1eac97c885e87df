"""What several referral pages share: finding a referral the viewer may see (404 otherwise),
a relationship's log and history as the viewer may see them, and a shared snapshot in words."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest

from carepath import policy
from carepath.referrals import selectors
from carepath.referrals.models import HandOff, Referral
from carepath.referrals.services.reads import record_relationship_read
from carepath.safety.models import PLAN_STEP_TITLES
from carepath_core.referrals import Snapshot


def referral_or_404(request: HttpRequest, referral_id: int) -> Referral:
    referral = selectors.referral_by_id(referral_id)
    if referral is None or not policy.can_view_referral(request.user, referral):
        raise Http404
    return referral


def hand_off_or_404(request: HttpRequest, hand_off_id: int) -> HandOff:
    hand_off = selectors.hand_off_by_id(hand_off_id)
    if hand_off is None or not policy.can_answer_hand_off(request.user, hand_off):
        raise Http404
    return hand_off


def relationship_context(request: HttpRequest, referral: Referral) -> dict[str, Any]:
    """The history and the contact log, with notes only where the viewer may read them."""
    user = request.user
    with_notes = policy.can_view_peer_notes(user, referral) or policy.can_view_clinical_notes(user, referral)
    contacts = list(selectors.contact_lines(referral, with_notes=with_notes))
    record_relationship_read(
        actor=user, referral=referral, contact_lines=len(contacts), notes_shown=with_notes
    )
    return {
        "referral": referral,
        "history": selectors.history_of(referral),
        "contacts": contacts,
        "notes_shown": with_notes,
    }


def sentence(refusal: Exception) -> str:
    """A refusal as a sentence for a page: a field problem's words, or the error's message."""
    text = str(getattr(refusal, "problem", "") or refusal)
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


def shown_snapshot(snapshot: Snapshot) -> dict[str, Any]:
    """A snapshot with each plan step's title, as the templates show it."""
    return {
        "reason": snapshot.reason,
        "scores": snapshot.scores,
        "has_plan": snapshot.has_plan,
        "plan_updated_on": snapshot.plan_updated_on,
        "plan_steps": [(PLAN_STEP_TITLES.get(step.step, step.step), step) for step in snapshot.plan_steps],
    }
