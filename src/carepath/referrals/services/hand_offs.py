"""A peer supporter's consented hand-off of a person to a professional.

Nothing about the person moves until they agree. The consent screen builds what would be shared
from their records at that moment and fingerprints it; agreeing checks the fingerprint against a
fresh build, so what is frozen is exactly what they read (if anything changed in between, they
are asked to read it again). Only then is the snapshot stored and a referral to the professional
made, carrying it. Asking, showing the consent screen, agreeing, declining and every reading of
the shared snapshot are audited in the transaction of the step.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from carepath import policy
from carepath.audit.models import AuditAction
from carepath.audit.services import record_event
from carepath.errors import FieldProblem, NotPermitted
from carepath.referrals import selectors
from carepath.referrals.models import HandOff, NoticeKind, Referral
from carepath.referrals.services.notices import notify
from carepath.referrals.services.referrals import open_request
from carepath_core.errors import DomainError
from carepath_core.referrals import (
    HandOffAnswer,
    HandOffStatus,
    Snapshot,
    Status,
    SupportKind,
    answered_status,
    build_snapshot,
    check_fingerprint,
    checked_reason,
    fingerprint,
    snapshot_document,
    snapshot_from_document,
)


def ask_for_hand_off(*, actor: Any, referral: Referral, professional_id: object, reason: str) -> HandOff:
    if not policy.can_ask_for_hand_off(actor, referral):
        raise NotPermitted("only the peer supporter in this relationship can suggest a hand-off")
    if referral.status != Status.ACTIVE.value:
        raise DomainError("a hand-off can be suggested only while the relationship is active")
    text = checked_reason(reason)
    wanted = str(professional_id if professional_id is not None else "").strip()
    profile = selectors.professional_taking_referrals(wanted) if wanted.isdigit() else None
    if profile is None:
        raise FieldProblem("professional", "choose a professional from the list")
    if selectors.open_referral_between(referral.person, profile.user) is not None:
        raise FieldProblem("professional", "the person is already in touch with this professional")
    with transaction.atomic():
        try:
            with transaction.atomic():
                hand_off = HandOff.objects.create(
                    peer_referral=referral,
                    person_id=referral.person_id,
                    peer=actor,
                    professional=profile.user,
                    reason=text,
                )
        except IntegrityError as clash:
            raise FieldProblem("professional", "you already asked; wait for the person's answer") from clash
        record_event(
            actor=actor,
            action=AuditAction.HAND_OFF_ASKED,
            subject_type="hand_off",
            subject_id=hand_off.pk,
            details={"referral": referral.pk, "professional": profile.user_id},
        )
        notify(
            referral.person,
            NoticeKind.HAND_OFF_ASKED,
            gettext("%(peer)s suggests a professional could help too. See what would be shared, then decide.")
            % {"peer": actor.shown_name},
            reverse("hand_off_consent", args=[hand_off.pk]),
        )
    return hand_off


@dataclass(frozen=True)
class ConsentScreen:
    hand_off: HandOff
    snapshot: Snapshot
    fingerprint: str


def open_consent_screen(*, actor: Any, hand_off: HandOff) -> ConsentScreen:
    """What would be shared, as of now (or, once agreed, what was): for the person only."""
    if not policy.can_answer_hand_off(actor, hand_off):
        raise NotPermitted("only the person can see what would be shared")
    shown = _frozen(hand_off) if hand_off.snapshot is not None else _would_share(hand_off)
    with transaction.atomic():
        record_event(
            actor=actor,
            action=AuditAction.HAND_OFF_CONSENT_VIEWED,
            subject_type="hand_off",
            subject_id=hand_off.pk,
            details={"status": hand_off.status, "fingerprint": fingerprint(shown)},
        )
    return ConsentScreen(hand_off, shown, fingerprint(shown))


def agree_to_hand_off(*, actor: Any, hand_off: HandOff, agreed_fingerprint: str) -> Referral:
    if not policy.can_answer_hand_off(actor, hand_off):
        raise NotPermitted("only the person can agree to share")
    with transaction.atomic():
        locked = _locked(hand_off, HandOffAnswer.AGREE)
        snapshot = _would_share(locked)
        check_fingerprint(snapshot, agreed_fingerprint)
        locked.snapshot = snapshot_document(snapshot)
        locked.save(update_fields=["status", "answered_at", "snapshot"])
        record_event(
            actor=actor,
            action=AuditAction.HAND_OFF_AGREED,
            subject_type="hand_off",
            subject_id=locked.pk,
            details={
                "fingerprint": fingerprint(snapshot),
                "professional": locked.professional_id,
                "scores": [score.instrument for score in snapshot.scores],
                "safety_plan": snapshot.has_plan,
            },
        )
        referral = open_request(
            person=actor,
            supporter=locked.professional,
            kind=SupportKind.PROFESSIONAL,
            actor=actor,
            hand_off=locked,
        )
        _tell_the_peer(
            locked, NoticeKind.HAND_OFF_AGREED, gettext("%(name)s agreed to be put in touch with %(pro)s.")
        )
    hand_off.status, hand_off.snapshot = locked.status, locked.snapshot
    return referral


def decline_hand_off(*, actor: Any, hand_off: HandOff) -> HandOff:
    if not policy.can_answer_hand_off(actor, hand_off):
        raise NotPermitted("only the person can decline")
    with transaction.atomic():
        locked = _locked(hand_off, HandOffAnswer.DECLINE)
        locked.save(update_fields=["status", "answered_at"])
        record_event(
            actor=actor,
            action=AuditAction.HAND_OFF_DECLINED,
            subject_type="hand_off",
            subject_id=locked.pk,
            details={"professional": locked.professional_id, "shared": False},
        )
        _tell_the_peer(
            locked,
            NoticeKind.HAND_OFF_DECLINED,
            gettext("%(name)s chose not to be handed on. Nothing was shared."),
        )
    hand_off.status = locked.status
    return hand_off


def open_shared_snapshot(*, actor: Any, referral: Referral) -> Snapshot:
    """What the person agreed to share, for the receiving professional (and the person)."""
    if not policy.can_view_shared_snapshot(actor, referral) or referral.hand_off is None:
        raise NotPermitted("this was not shared with you")
    with transaction.atomic():
        record_event(
            actor=actor,
            action=AuditAction.HAND_OFF_SNAPSHOT_VIEWED,
            subject_type="hand_off",
            subject_id=referral.hand_off.pk,
            details={"referral": referral.pk},
        )
    return _frozen(referral.hand_off)


def _locked(hand_off: HandOff, answer: HandOffAnswer) -> HandOff:
    locked = HandOff.objects.select_for_update().get(pk=hand_off.pk)
    locked.status = answered_status(HandOffStatus(locked.status), answer)
    locked.answered_at = timezone.now()
    # The relations the notices and the referral need, without locking their rows.
    locked.person, locked.peer, locked.professional = hand_off.person, hand_off.peer, hand_off.professional
    locked.peer_referral = hand_off.peer_referral
    return locked


def _would_share(hand_off: HandOff) -> Snapshot:
    plan, plan_updated_on = selectors.safety_plan_steps(hand_off.person)
    return build_snapshot(hand_off.reason, selectors.latest_scores(hand_off.person), plan, plan_updated_on)


def _frozen(hand_off: HandOff) -> Snapshot:
    if hand_off.snapshot is None:
        raise NotPermitted("nothing was shared on this hand-off")
    return snapshot_from_document(hand_off.snapshot)


def _tell_the_peer(hand_off: HandOff, kind: NoticeKind, text: str) -> None:
    if hand_off.peer is None or hand_off.peer_referral_id is None:
        return  # the peer has left Carepath; there is nobody to tell
    names = {"name": hand_off.person.shown_name, "pro": hand_off.professional.shown_name}
    notify(hand_off.peer, kind, text % names, reverse("supporting_detail", args=[hand_off.peer_referral_id]))
