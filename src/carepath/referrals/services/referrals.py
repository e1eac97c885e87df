"""Asking for contact, and the answers and endings that follow.

Which move is allowed from which status is the core's table (`carepath_core.referrals`); here a
move is made under a row lock, so two quick clicks, or both sides at once, cannot both succeed.
Accepting takes a place in the supporter's capacity and ending gives it back, in the same
transaction as the status change, its history row, its audit event and the other side's notice.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from carepath import policy
from carepath.audit.models import AuditAction
from carepath.audit.services import record_event
from carepath.directory.models import Service
from carepath.errors import FieldProblem, NotPermitted
from carepath.matching.models import PeerSupporterProfile, ProfessionalProfile, ReferralEpisode
from carepath.outcomes.models import Episode, Pathway
from carepath.outcomes.services import end_referral_episode, start_referral_episode
from carepath.referrals import selectors
from carepath.referrals.models import HandOff, NoticeKind, Referral, StatusChange
from carepath.referrals.services.notices import notify
from carepath_core.referrals import (
    REASON_REQUIRED,
    Action,
    AtCapacity,
    Side,
    Status,
    SupportKind,
    check_room,
    next_status,
)

MAX_WAITING_REQUESTS = 3  # enough to ask around; few enough that supporters are not spammed
MAX_REASON_LENGTH = 1000


def ask_for_contact(*, actor: Any, kind: object, profile_id: object) -> Referral:
    """A person asks a peer supporter or professional (named by their profile id) to get in touch."""
    if not policy.can_ask_for_contact(actor):
        raise NotPermitted("only people looking for support ask for contact")
    support = _kind(kind)
    supporter = _supporter_account(support, profile_id)
    if selectors.waiting_requests_of(actor) >= MAX_WAITING_REQUESTS:
        raise FieldProblem(
            "profile",
            f"you already have {MAX_WAITING_REQUESTS} requests waiting for an answer; "
            "wait for one or withdraw one first",
        )
    with transaction.atomic():
        return open_request(person=actor, supporter=supporter, kind=support, actor=actor)


def open_request(
    *, person: Any, supporter: Any, kind: SupportKind, actor: Any, hand_off: HandOff | None = None
) -> Referral:
    """Create the request, its first history row, its audit event and the supporter's notice.
    Callers check the policy and hold the transaction (a hand-off makes its referral inside its own)."""
    if selectors.open_referral_between(person, supporter) is not None:
        raise FieldProblem("profile", "you have already asked them; your request is on your support page")
    try:
        with transaction.atomic():
            referral = Referral.objects.create(
                person=person, supporter=supporter, kind=kind, hand_off=hand_off
            )
    except IntegrityError as clash:  # the same request sent twice at once
        raise FieldProblem("profile", "you have already asked them") from clash
    StatusChange.objects.create(
        referral=referral, actor=actor, by_side=Side.PERSON, to_status=Status.REQUESTED
    )
    record_event(
        actor=actor,
        action=AuditAction.REFERRAL_REQUESTED,
        subject_type="referral",
        subject_id=referral.pk,
        details={
            "kind": kind.value,
            "supporter": supporter.pk,
            "hand_off": hand_off.pk if hand_off else None,
        },
    )
    text = gettext("%(name)s asked you to get in touch.") % {"name": person.shown_name}
    if hand_off is not None:
        peer_name = hand_off.peer.shown_name if hand_off.peer is not None else gettext("A peer supporter")
        text = gettext("%(peer)s handed %(name)s on to you, with their consent.") % {
            "peer": peer_name,
            "name": person.shown_name,
        }
    notify(supporter, NoticeKind.REQUESTED, text, reverse("supporting_detail", args=[referral.pk]))
    return referral


def accept_request(*, actor: Any, referral: Referral) -> Referral:
    if not policy.can_respond_to_referral(actor, referral):
        raise NotPermitted("only the supporter who was asked can answer")
    return _move(actor=actor, referral=referral, action=Action.ACCEPT, side=Side.SUPPORTER)


def decline_request(*, actor: Any, referral: Referral, reason: str = "") -> Referral:
    if not policy.can_respond_to_referral(actor, referral):
        raise NotPermitted("only the supporter who was asked can answer")
    return _move(actor=actor, referral=referral, action=Action.DECLINE, side=Side.SUPPORTER, reason=reason)


def withdraw_request(*, actor: Any, referral: Referral) -> Referral:
    if not policy.can_withdraw_referral(actor, referral):
        raise NotPermitted("only the person who asked can withdraw a request")
    return _move(actor=actor, referral=referral, action=Action.WITHDRAW, side=Side.PERSON)


def end_relationship(*, actor: Any, referral: Referral, reason: str) -> Referral:
    if not policy.can_end_referral(actor, referral):
        raise NotPermitted("only the two people in a relationship can end it")
    side = Side.PERSON if actor.pk == referral.person_id else Side.SUPPORTER
    return _move(actor=actor, referral=referral, action=Action.END, side=side, reason=reason)


def _move(*, actor: Any, referral: Referral, action: Action, side: Side, reason: str = "") -> Referral:
    with transaction.atomic():
        locked = Referral.objects.select_for_update().get(pk=referral.pk)
        before = locked.status_enum
        after = next_status(before, action, side)
        reason = _checked_reason(action, reason)
        if action is Action.ACCEPT:
            _take_place(locked)
        if after is Status.ENDED:
            _give_place_back(locked)
        now = timezone.now()
        locked.status = after
        locked.accepted_at = now if after is Status.ACTIVE else locked.accepted_at
        locked.closed_at = now if after not in (Status.ACTIVE, Status.REQUESTED) else None
        locked.save(update_fields=["status", "accepted_at", "closed_at"])
        _follow_with_episode(locked, actor, before, after)
        StatusChange.objects.create(
            referral=locked, actor=actor, by_side=side, from_status=before, to_status=after, reason=reason
        )
        record_event(
            actor=actor,
            action=AuditAction.REFERRAL_STATUS_CHANGED,
            subject_type="referral",
            subject_id=locked.pk,
            # Never the reason: it may be personal, and coordinators read the audit log.
            details={"from": before.value, "to": after.value, "by": side.value, "kind": locked.kind},
        )
        _tell_the_other_side(referral, actor, after)
    referral.status, referral.accepted_at, referral.closed_at = (
        locked.status,
        locked.accepted_at,
        locked.closed_at,
    )
    return referral


def _follow_with_episode(referral: Referral, actor: Any, before: Status, after: Status) -> None:
    """An active relationship is an episode of support for the person: it starts on acceptance
    and ends with the relationship (docs/matching.md). An episode still open with the same
    supporter carries on rather than a second one starting beside it."""
    today = timezone.localdate()
    if after is Status.ACTIVE:
        episode = _episode_open_with(referral) or start_referral_episode(
            actor=actor,
            person=referral.person,
            pathway=Pathway(referral.kind),
            started_on=today,
            requested_on=timezone.localdate(referral.created_at),
            service=_supporters_service(referral),
            referral_id=referral.pk,
        )
        ReferralEpisode.objects.create(referral=referral, episode=episode)
    elif before is Status.ACTIVE and after is Status.ENDED:
        link = ReferralEpisode.objects.filter(referral=referral).select_related("episode").first()
        if link is not None:  # relationships active before episodes followed them have none
            end_referral_episode(actor=actor, episode=link.episode, ended_on=today, referral_id=referral.pk)


def _episode_open_with(referral: Referral) -> Episode | None:
    link = (
        ReferralEpisode.objects.filter(
            referral__person_id=referral.person_id,
            referral__supporter_id=referral.supporter_id,
            episode__ended_on__isnull=True,
        )
        .select_related("episode")
        .first()
    )
    return link.episode if link is not None else None


def _supporters_service(referral: Referral) -> Service | None:
    profiles = PeerSupporterProfile if referral.kind == SupportKind.PEER else ProfessionalProfile
    profile = profiles.objects.filter(user_id=referral.supporter_id).select_related("service").first()
    return profile.service if profile is not None else None


def _checked_reason(action: Action, reason: str) -> str:
    text = (reason or "").strip()
    if action in REASON_REQUIRED and not text:
        raise FieldProblem("reason", "say why the relationship is ending; the other side will read it")
    if len(text) > MAX_REASON_LENGTH:
        raise FieldProblem("reason", f"must be at most {MAX_REASON_LENGTH} characters")
    return text


def _take_place(referral: Referral) -> None:
    """Refuse with the reason when the supporter is full; otherwise count one more person."""
    if referral.kind == SupportKind.PEER:
        peer = PeerSupporterProfile.objects.select_for_update().filter(user_id=referral.supporter_id).first()
        if peer is None:
            raise AtCapacity(
                "fill in your peer supporter profile, with how many people you can support, first"
            )
        check_room(capacity=peer.capacity, load=peer.current_load)
        # The profile's load also counts people supported outside Carepath, so it moves by one.
        PeerSupporterProfile.objects.filter(pk=peer.pk).update(current_load=F("current_load") + 1)
        return
    pro = ProfessionalProfile.objects.select_for_update().filter(user_id=referral.supporter_id).first()
    if pro is None:
        raise AtCapacity("fill in your professional profile, with how many people you can see, first")
    check_room(capacity=pro.capacity, load=selectors.active_professional_load(referral.supporter))


def _give_place_back(referral: Referral) -> None:
    if referral.kind == SupportKind.PEER:
        PeerSupporterProfile.objects.filter(user_id=referral.supporter_id, current_load__gt=0).update(
            current_load=F("current_load") - 1
        )


_NOTICES = {
    Status.ACTIVE: (NoticeKind.ACCEPTED, gettext_noop("%(name)s accepted your request for contact.")),
    Status.DECLINED: (NoticeKind.DECLINED, gettext_noop("%(name)s cannot take your request at the moment.")),
    Status.WITHDRAWN: (NoticeKind.WITHDRAWN, gettext_noop("%(name)s withdrew their request for contact.")),
    Status.ENDED: (NoticeKind.ENDED, gettext_noop("%(name)s ended your support relationship.")),
}


def _tell_the_other_side(referral: Referral, actor: Any, after: Status) -> None:
    kind, text = _NOTICES[after]
    to_person = actor.pk != referral.person_id
    recipient = referral.person if to_person else referral.supporter
    link = reverse("my_support_detail" if to_person else "supporting_detail", args=[referral.pk])
    notify(recipient, kind, gettext(text) % {"name": actor.shown_name}, link)


def _kind(value: object) -> SupportKind:
    # Checked as text first: a JSON object or list here is a wrong kind, not a server error.
    if not isinstance(value, str) or value not in {k.value for k in SupportKind}:
        raise FieldProblem("kind", "must be peer or professional")
    return SupportKind(str(value))


def _supporter_account(kind: SupportKind, profile_id: object) -> Any:
    wanted = str(profile_id if profile_id is not None else "").strip()
    found: PeerSupporterProfile | ProfessionalProfile | None = None
    if wanted.isdigit():
        found = (
            selectors.peer_taking_part(wanted)
            if kind is SupportKind.PEER
            else selectors.professional_taking_referrals(wanted)
        )
    if found is None:
        who = "peer supporter" if kind is SupportKind.PEER else "professional"
        raise FieldProblem("profile", f"no {who} taking requests has the id '{wanted}'")
    return found.user
