"""Reading referrals, their histories, contact logs, hand-offs and notices.

Selectors do not decide who may see what (`carepath.policy` does); where the answer depends on
it, the caller passes the decision in, e.g. `contact_lines(referral, with_notes=...)`, and a note
that may not be shown is not even read from the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from carepath.matching.models import PeerSupporterProfile, ProfessionalProfile
from carepath.referrals.models import (
    OPEN,
    ContactEntry,
    HandOff,
    Notification,
    Referral,
    StatusChange,
)
from carepath.safety.models import PLAN_STEPS
from carepath.safety.selectors import safety_plan_of
from carepath.screening.selectors import assessments_of, instrument_registry
from carepath_core.referrals import HandOffStatus, SharedScore, Status, SupportKind
from carepath_core.roles import Role

_REFERRAL_RELATED = ("person", "supporter", "hand_off", "hand_off__peer")


def referral_by_id(referral_id: Any) -> Referral | None:
    return Referral.objects.filter(pk=referral_id).select_related(*_REFERRAL_RELATED).first()


def referrals_of_person(person: Any) -> list[Referral]:
    return list(Referral.objects.filter(person_id=person.pk).select_related(*_REFERRAL_RELATED))


def referrals_of_supporter(supporter: Any) -> list[Referral]:
    return list(Referral.objects.filter(supporter_id=supporter.pk).select_related(*_REFERRAL_RELATED))


def history_of(referral: Referral) -> list[StatusChange]:
    return list(StatusChange.objects.filter(referral_id=referral.pk))


def open_referral_between(person: Any, supporter: Any) -> Referral | None:
    return Referral.objects.filter(person_id=person.pk, supporter_id=supporter.pk, status__in=OPEN).first()


def waiting_requests_of(person: Any) -> int:
    return Referral.objects.filter(person_id=person.pk, status=Status.REQUESTED.value).count()


@dataclass(frozen=True)
class ContactLine:
    id: int
    happened_on: Any
    channel: str
    channel_label: str
    minutes: int
    note: str | None  # None: the viewer may not read notes in this relationship


def contact_lines(referral: Referral, *, with_notes: bool) -> list[ContactLine]:
    fields = ["id", "happened_on", "channel", "minutes"] + (["note"] if with_notes else [])
    entries = ContactEntry.objects.filter(referral_id=referral.pk).only(*fields)
    return [
        ContactLine(
            id=entry.pk,
            happened_on=entry.happened_on,
            channel=entry.channel,
            channel_label=entry.get_channel_display(),
            minutes=entry.minutes,
            note=entry.note if with_notes else None,
        )
        for entry in entries
    ]


def hand_off_by_id(hand_off_id: Any) -> HandOff | None:
    related = ("person", "peer", "professional", "peer_referral")
    return HandOff.objects.filter(pk=hand_off_id).select_related(*related).first()


def hand_offs_waiting_for(person: Any) -> list[HandOff]:
    found = HandOff.objects.filter(person_id=person.pk, status=HandOffStatus.ASKED.value)
    return list(found.select_related("peer", "professional"))


def hand_offs_of(referral: Referral) -> list[HandOff]:
    return list(HandOff.objects.filter(peer_referral_id=referral.pk).select_related("professional"))


def professionals_taking_referrals() -> QuerySet[ProfessionalProfile]:
    return (
        ProfessionalProfile.objects.filter(
            active=True, user__is_active=True, user__role=Role.PROFESSIONAL.value
        )
        .select_related("user", "service")
        .order_by("user__display_name", "user__username")
    )


def professional_taking_referrals(profile_id: Any) -> ProfessionalProfile | None:
    return professionals_taking_referrals().filter(pk=profile_id).first()


def peer_taking_part(profile_id: Any) -> PeerSupporterProfile | None:
    return (
        PeerSupporterProfile.objects.filter(
            pk=profile_id, active=True, user__is_active=True, user__role=Role.PEER_SUPPORTER.value
        )
        .select_related("user")
        .first()
    )


def asked_peer_profile_ids(person: Any) -> set[str]:
    """Peer supporter profiles this person has an open request or relationship with (one query)."""
    found = PeerSupporterProfile.objects.filter(
        user__referrals_received__person_id=person.pk, user__referrals_received__status__in=OPEN
    ).values_list("pk", flat=True)
    return {str(pk) for pk in found}


def asked_professional_ids(person: Any) -> set[int]:
    found = Referral.objects.filter(person_id=person.pk, status__in=OPEN, kind=SupportKind.PROFESSIONAL.value)
    return set(found.values_list("supporter_id", flat=True))


def active_professional_load(supporter: Any) -> int:
    return Referral.objects.filter(supporter_id=supporter.pk, status=Status.ACTIVE.value).count()


def load_and_capacity(supporter: Any, kind: SupportKind) -> tuple[int, int] | None:
    """(people supported now, most at once) as the supporter's profile counts them; None: no profile."""
    if kind is SupportKind.PEER:
        peer = PeerSupporterProfile.objects.filter(user_id=supporter.pk).first()
        return None if peer is None else (peer.current_load, peer.capacity)
    pro = ProfessionalProfile.objects.filter(user_id=supporter.pk).first()
    return None if pro is None else (active_professional_load(supporter), pro.capacity)


def latest_scores(person: Any) -> list[SharedScore]:
    """The most recent kept check-in of each questionnaire the person has used."""
    registry = instrument_registry()
    latest: dict[str, SharedScore] = {}
    for found in assessments_of(person).order_by("-completed_at"):
        if found.instrument in latest or found.instrument not in registry:
            continue
        instrument = registry[found.instrument]
        latest[found.instrument] = SharedScore(
            instrument=instrument.code,
            name=instrument.short_name,
            total=found.total,
            max_total=instrument.max_total,
            band=found.band_label,
            completed_on=found.completed_at.date().isoformat(),
        )
    return list(latest.values())


def instrument_total_codes() -> dict[str, tuple[str, str]]:
    """Each questionnaire's LOINC total-score code, where it has one (never a panel code)."""
    return {
        code: (found.total_code.code, found.total_code.display)
        for code, found in instrument_registry().items()
        if found.total_code is not None
    }


def safety_plan_steps(person: Any) -> tuple[dict[str, str] | None, str | None]:
    """The plan's six steps as text, and the day it was last saved; (None, None) without a plan."""
    plan = safety_plan_of(person)
    if plan is None:
        return None, None
    return {step: getattr(plan, step) for step in PLAN_STEPS}, plan.updated_at.date().isoformat()


def unread_notice_count(user: Any) -> int:
    return Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()


def notices_of(user: Any, limit: int = 100) -> list[Notification]:
    return list(Notification.objects.filter(recipient_id=user.pk)[:limit])


def notice_by_id(notice_id: Any) -> Notification | None:
    return Notification.objects.filter(pk=notice_id).first()


def status_counts(user: Any, *, as_supporter: bool) -> dict[str, int]:
    """How many referrals of each status one account has, on one side: a home page's summary."""
    side = Q(supporter_id=user.pk) if as_supporter else Q(person_id=user.pk)
    rows = Referral.objects.filter(side).values("status").annotate(n=Count("id"))
    return {row["status"]: row["n"] for row in rows}
