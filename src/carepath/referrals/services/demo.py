"""Demo referrals for the demo personas: Sam has asked Priya, Priya accepted and logged a first
contact, and Dr Morgan takes requests, so a hand-off can be tried at once. Written through the
real services, so history, audit events and notices are real. Refused in production mode by the
command."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from carepath.accounts.models import User
from carepath.matching.models import PeerSupporterProfile, ProfessionalProfile
from carepath.matching.services import save_professional_profile, save_supporter_profile
from carepath.referrals.models import Referral
from carepath.referrals.services.contacts import log_contact
from carepath.referrals.services.referrals import accept_request, ask_for_contact

_HOURS = {"availability": [{"days": ["TU", "TH"], "from": "18:00", "to": "21:00"}], "utc_offset": "+00:00"}


def demo_referrals_exist() -> bool:
    return Referral.objects.filter(person__username="demo-seeker").exists()


def load_demo_referrals() -> str:
    people = {
        u.username: u
        for u in User.objects.filter(username__in=["demo-seeker", "demo-peer", "demo-professional"])
    }
    if len(people) < 3:
        return "The demo personas are missing: run `carepath demo` first."
    seeker, peer, pro = people["demo-seeker"], people["demo-peer"], people["demo-professional"]
    with transaction.atomic():
        _profiles(peer, pro)
        profile = PeerSupporterProfile.objects.get(user=peer)
        referral = accept_request(
            actor=peer, referral=ask_for_contact(actor=seeker, kind="peer", profile_id=profile.pk)
        )
        log_contact(
            actor=peer,
            referral=referral,
            data={
                "happened_on": timezone.localdate(),
                "channel": "video",
                "minutes": 40,
                "note": "A first hello (demo).",
            },
        )
    return "Demo referral ready: demo-seeker is supported by demo-peer; demo-professional takes requests."


def _profiles(peer: User, pro: User) -> None:
    """Profiles with room for the two demo supporters, unless they already wrote their own."""
    if not PeerSupporterProfile.objects.filter(user=peer).exists():
        peer_data = {"languages": ["en"], "topics": ["anxiety", "depression"], "modalities": ["online"]}
        save_supporter_profile(actor=peer, owner=peer, data={**peer_data, "capacity": 3, **_HOURS})
    if not ProfessionalProfile.objects.filter(user=pro).exists():
        pro_data = {"languages": ["en"], "licence_type": "Counselling psychologist (demo)"}
        ways = {"modalities": ["online", "in_person"], "capacity": 5}
        save_professional_profile(actor=pro, owner=pro, data={**pro_data, **ways, **_HOURS})
