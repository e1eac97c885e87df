"""Building blocks for the sharing tests: a person in active relationships with a peer supporter,
a professional, a member of an organisation (through the service their profile links) and a
supporter of another organisation, with a kept check-in, a safety plan and notes of both kinds."""

from __future__ import annotations

import datetime as dt
from typing import Any

from carepath.directory.models import Organization, Service
from carepath.referrals.models import ContactEntry, NoteKind, Referral
from carepath.sharing.recipients import RecipientKey
from tests.referral_setup import (
    active,
    ask_peer,
    ask_professional,
    keep_check_in,
    keep_plan,
    peer_profile,
    professional_profile,
)

HARBOUR_POLICY = "What you tell us stays between you and your counsellor."
PLAN = {
    "warning_signs": "I stop answering messages",
    "coping_on_my_own": "Cold water on my face, then a walk",
    "people_to_ask": "My brother Tom, 07700 900456",
}
PEER_NOTE = "We planned a short walk for Thursday."
CLINICAL_NOTE = "Clinical: consider a sleep diary."


def service_of(org_name: str, *, policy: str = "", limits: list[str] | None = None) -> Service:
    organisation = Organization.objects.create(name=org_name, description="d")
    return Service.objects.create(
        organization=organisation,
        name=f"{org_name} counselling",
        status="active",
        confidentiality_policy=policy,
        confidentiality_limits=limits,
    )


def note(referral: Referral, text: str, kind: NoteKind) -> ContactEntry:
    return ContactEntry.objects.create(
        referral=referral,
        author=referral.supporter,
        happened_on=dt.date(2026, 3, 2),
        channel="video",
        minutes=30,
        note_kind=kind.value,
        note=text,
    )


def sharing_world(personas: dict[str, Any], make_account: Any) -> dict[str, Any]:
    """Accounts and relationships; nothing shared yet."""
    person = personas["help_seeker"]
    keep_check_in(person)
    keep_plan(person, PLAN)
    harbour = service_of(
        "Harbour", policy=HARBOUR_POLICY, limits=["risk_to_life", "safeguarding_child", "court_order"]
    )
    other_org = service_of("Lighthouse")
    member = make_account("harbour-pro", "professional", display_name="Dana")
    outsider = make_account("lighthouse-peer", "peer_supporter", display_name="Lee")
    peer_ref = active(ask_peer(person, peer_profile(personas["peer_supporter"], capacity=3)))
    pro_ref = active(ask_professional(person, professional_profile(personas["professional"])))
    member_ref = active(ask_professional(person, professional_profile(member, service=harbour)))
    outsider_ref = active(ask_peer(person, peer_profile(outsider, capacity=3, service=other_org)))
    note(peer_ref, PEER_NOTE, NoteKind.PEER)
    note(pro_ref, CLINICAL_NOTE, NoteKind.CLINICAL)
    return {
        "person": person,
        "peer": personas["peer_supporter"],
        "pro": personas["professional"],
        "member": member,
        "outsider": outsider,
        "coordinator": personas["coordinator"],
        "other_person": personas["other_help_seeker"],
        "harbour": harbour.organization,
        "lighthouse": other_org.organization,
        "referrals": {"peer": peer_ref, "pro": pro_ref, "member": member_ref, "outsider": outsider_ref},
    }


def harbour_key(world: dict[str, Any]) -> RecipientKey:
    return RecipientKey.organisation(world["harbour"].pk)
