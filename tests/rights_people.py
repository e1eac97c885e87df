"""A person with data in every app, and the people around them, for the rights tests (export and
erasure). Made through the services where they exist, so audit events and notices are real."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from carepath.accounts.token_services import create_token
from carepath.audit.models import AuditAction
from carepath.audit.services import record_event
from carepath.decision.models import SavedRecommendation
from carepath.matching.services import save_matching_wishes
from carepath.outcomes.services import start_episode
from carepath.referrals.services import contacts, hand_offs, referrals
from carepath.safety.services import set_risk_alert_consent
from tests.referral_setup import (
    active,
    ask_peer,
    keep_check_in,
    keep_plan,
    peer_profile,
    professional_profile,
)

CANARY = "canary-violet-harbour-7781"
USERNAME = "sam-canary-user"
EMAIL = "sam.canary@example.org"
DISPLAY_NAME = "Sammy Quillfeather"
RISK_ANSWERS = {f"phq9_{n}": 2 for n in range(1, 9)} | {"phq9_9": 1}


@dataclass
class People:
    person: Any
    other: Any
    peer: Any
    professional: Any
    coordinator: Any
    peer_referral: Any
    professional_referral: Any


def people_with_data(make_account: Any) -> People:
    person = make_account(USERNAME, email=EMAIL, display_name=DISPLAY_NAME)
    other = make_account("other-seeker", display_name="Robin")
    peer = make_account("peer", "peer_supporter", display_name="Priya")
    professional = make_account("pro", "professional", display_name="Dr Morgan")
    coordinator = make_account("coord", "coordinator")
    peer_profile(peer, capacity=3)
    pro_profile = professional_profile(professional, capacity=3)
    for someone in (person, other):
        keep_check_in(someone)
    keep_plan(other, {"warning_signs": "Robin's own words stay"})
    set_risk_alert_consent(person=person, granted=True)
    keep_check_in(person, RISK_ANSWERS)  # raises a risk flag: the person agreed to alerts
    keep_plan(person, {"warning_signs": f"I go quiet ({CANARY})", "people_to_ask": "My sister, 07700 900123"})
    start_episode(person=person, pathway="peer", started_on=timezone.localdate() - dt.timedelta(days=20))
    save_matching_wishes(
        actor=person, person=person, data={"topics": ["anxiety"], "languages": ["en"], "experience": CANARY}
    )
    SavedRecommendation.objects.create(
        person=person,
        inputs={"note": CANARY},
        pathway="peer",
        minimum_level="low",
        rule_set_id="r",
        rule_set_version="1",
        rule_id="x",
    )
    create_token(owner=person, name=f"laptop {CANARY}", actor=person)
    peer_referral = active(ask_peer(person, peer.peer_supporter_profile))
    contacts.log_contact(
        actor=peer,
        referral=peer_referral,
        data={
            "happened_on": timezone.localdate(),
            "channel": "video",
            "minutes": 30,
            "note": f"Talked with {DISPLAY_NAME} about sleep.",
        },
    )
    hand_off = hand_offs.ask_for_hand_off(
        actor=peer, referral=peer_referral, professional_id=pro_profile.pk, reason="Sleep is getting worse."
    )
    screen = hand_offs.open_consent_screen(actor=person, hand_off=hand_off)
    professional_referral = hand_offs.agree_to_hand_off(
        actor=person, hand_off=hand_off, agreed_fingerprint=screen.fingerprint
    )
    professional_referral = referrals.accept_request(actor=professional, referral=professional_referral)
    contacts.log_contact(
        actor=professional,
        referral=professional_referral,
        data={
            "happened_on": timezone.localdate(),
            "channel": "phone",
            "minutes": 50,
            "note": f"Assessment call with {DISPLAY_NAME}.",
        },
    )
    referrals.end_relationship(actor=person, referral=peer_referral, reason=f"Moving on ({CANARY})")
    _sharing_and_devices(person, professional)
    _admin_entry_and_old_events(person, coordinator)
    return People(person, other, peer, professional, coordinator, peer_referral, professional_referral)


def _sharing_and_devices(person: Any, professional: Any) -> None:
    if apps.is_installed("carepath.sharing"):
        choice = apps.get_model("sharing", "SharingChoice")
        choice.objects.create(person=person, recipient_account=professional, screening_results=True)
    if apps.is_installed("django_otp.plugins.otp_totp"):
        apps.get_model("otp_totp", "TOTPDevice").objects.create(user=person, name=f"phone {CANARY}")


def _admin_entry_and_old_events(person: Any, coordinator: Any) -> None:
    LogEntry.objects.create(
        user=coordinator,
        content_type=ContentType.objects.get_for_model(type(person)),
        object_id=str(person.pk),
        object_repr=person.get_username(),
        action_flag=CHANGE,
        change_message="[]",
    )
    with transaction.atomic():
        record_event(
            actor=None,
            actor_label="system",
            action=AuditAction.DEMO_LOADED,
            details={"personas": [USERNAME, "someone-else"]},
        )
