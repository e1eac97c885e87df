"""Building blocks for the referral tests: profiles with capacity, requests in each status, and a
person's kept check-ins and safety plan (through the real services, so audit rows are real)."""

from __future__ import annotations

from typing import Any

from carepath.matching.models import PeerSupporterProfile, ProfessionalProfile
from carepath.referrals.models import Referral
from carepath.referrals.services import referrals
from carepath.safety.services import save_safety_plan
from carepath.screening.services import save_assessment

PHQ9_ANSWERS = {f"phq9_{n}": 2 for n in range(1, 9)} | {"phq9_9": 0}  # total 16, no risk item
PLAN_STEPS = {
    "warning_signs": "I stop answering messages",
    "coping_on_my_own": "Cold water on my face, then a walk",
    "people_to_ask": "My brother Tom, 07700 900456",
}


def peer_profile(
    account: Any, *, capacity: int = 2, current_load: int = 0, **extra: Any
) -> PeerSupporterProfile:
    values = {
        "languages": ["en"],
        "topics": ["anxiety"],
        "modalities": ["online"],
        "capacity": capacity,
        "current_load": current_load,
        **extra,
    }
    return PeerSupporterProfile.objects.create(user=account, **values)


def professional_profile(account: Any, *, capacity: int = 2, **extra: Any) -> ProfessionalProfile:
    values = {"languages": ["en"], "licence_type": "Counselling psychologist", "capacity": capacity, **extra}
    return ProfessionalProfile.objects.create(user=account, **values)


def ask_peer(person: Any, profile: PeerSupporterProfile) -> Referral:
    return referrals.ask_for_contact(actor=person, kind="peer", profile_id=profile.pk)


def ask_professional(person: Any, profile: ProfessionalProfile) -> Referral:
    return referrals.ask_for_contact(actor=person, kind="professional", profile_id=profile.pk)


def active(referral: Referral) -> Referral:
    return referrals.accept_request(actor=referral.supporter, referral=referral)


def keep_check_in(person: Any, answers: dict[str, int] | None = None) -> Any:
    return save_assessment(person=person, instrument_code="phq9", answers=answers or PHQ9_ANSWERS).assessment


def keep_plan(person: Any, steps: dict[str, str] | None = None) -> Any:
    return save_safety_plan(person=person, steps=steps or PLAN_STEPS)
