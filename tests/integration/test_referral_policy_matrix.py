"""Persona matrix for referrals: every role against a relationship it is part of (its own as the
person, or assigned to it as the supporter) and one between other people.

Four referrals exist in every test: the persona help-seeker with the persona peer supporter and
with the persona professional ("own" or "assigned" for those three roles), and another person
with another peer and another professional ("unrelated" for everyone). Coordinators are never
part of a relationship, and see none of them.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from carepath import policy
from carepath.referrals.models import HandOff, Notification, Referral

ROLES = ["help_seeker", "peer_supporter", "professional", "coordinator"]
OBJECTS = ["peer", "pro", "other_peer", "other_pro"]  # see the module docstring

# rule -> role -> allowed on (peer, pro, other_peer, other_pro)
RULES: dict[str, dict[str, tuple[bool, bool, bool, bool]]] = {
    "can_view_referral": {
        "help_seeker": (True, True, False, False),
        "peer_supporter": (True, False, False, False),
        "professional": (False, True, False, False),
        "coordinator": (False, False, False, False),
    },
    "can_respond_to_referral": {
        "help_seeker": (False, False, False, False),
        "peer_supporter": (True, False, False, False),
        "professional": (False, True, False, False),
        "coordinator": (False, False, False, False),
    },
    "can_withdraw_referral": {
        "help_seeker": (True, True, False, False),
        "peer_supporter": (False, False, False, False),
        "professional": (False, False, False, False),
        "coordinator": (False, False, False, False),
    },
    "can_end_referral": {
        "help_seeker": (True, True, False, False),
        "peer_supporter": (True, False, False, False),
        "professional": (False, True, False, False),
        "coordinator": (False, False, False, False),
    },
    "can_log_contact": {
        "help_seeker": (False, False, False, False),
        "peer_supporter": (True, False, False, False),
        "professional": (False, True, False, False),
        "coordinator": (False, False, False, False),
    },
    "can_view_contact_log": {
        "help_seeker": (True, True, False, False),
        "peer_supporter": (True, False, False, False),
        "professional": (False, True, False, False),
        "coordinator": (False, False, False, False),
    },
    # Peer notes: both sides of a peer relationship. Clinical notes: the professional only.
    "can_view_peer_notes": {
        "help_seeker": (True, False, False, False),
        "peer_supporter": (True, False, False, False),
        "professional": (False, False, False, False),
        "coordinator": (False, False, False, False),
    },
    "can_view_clinical_notes": {
        "help_seeker": (False, False, False, False),
        "peer_supporter": (False, False, False, False),
        "professional": (False, True, False, False),
        "coordinator": (False, False, False, False),
    },
    "can_ask_for_hand_off": {
        "help_seeker": (False, False, False, False),
        "peer_supporter": (True, False, False, False),
        "professional": (False, False, False, False),
        "coordinator": (False, False, False, False),
    },
    # The professional referrals below came from hand-offs, so there is a snapshot to see.
    "can_view_shared_snapshot": {
        "help_seeker": (False, True, False, False),
        "peer_supporter": (False, False, False, False),
        "professional": (False, True, False, False),
        "coordinator": (False, False, False, False),
    },
}
# rule -> role -> allowed on (own hand-off, someone else's hand-off)
HAND_OFF_RULES: dict[str, dict[str, tuple[bool, bool]]] = {
    "can_answer_hand_off": {
        "help_seeker": (True, False),
        "peer_supporter": (False, False),
        "professional": (False, False),
        "coordinator": (False, False),
    },
    "can_view_hand_off": {
        "help_seeker": (True, False),
        "peer_supporter": (True, False),
        "professional": (False, False),
        "coordinator": (False, False),
    },
}
ROLE_RULES = {
    "can_ask_for_contact": {"help_seeker"},
    "can_support_people": {"peer_supporter", "professional"},
    "can_have_notifications": {"help_seeker", "peer_supporter", "professional"},
}


@pytest.fixture
def world(personas: dict[str, Any], make_account: Any) -> dict[str, Any]:
    """The four referrals (the professional ones via hand-offs) and a hand-off on each side."""
    other = personas["other_help_seeker"]
    other_peer = make_account("other-peer", "peer_supporter")
    other_pro = make_account("other-pro", "professional")

    def relationship(person: Any, peer: Any, pro: Any) -> tuple[Referral, Referral, HandOff]:
        with_peer = Referral.objects.create(person=person, supporter=peer, kind="peer", status="active")
        hand_off = HandOff.objects.create(
            peer_referral=with_peer,
            person=person,
            peer=peer,
            professional=pro,
            reason="r",
            status="agreed",
            snapshot={},
        )
        with_pro = Referral.objects.create(
            person=person, supporter=pro, kind="professional", hand_off=hand_off
        )
        return with_peer, with_pro, hand_off

    peer, pro, own_hand_off = relationship(
        personas["help_seeker"], personas["peer_supporter"], personas["professional"]
    )
    other_peer_ref, other_pro_ref, other_hand_off = relationship(other, other_peer, other_pro)
    return {
        "peer": peer,
        "pro": pro,
        "other_peer": other_peer_ref,
        "other_pro": other_pro_ref,
        "own_hand_off": own_hand_off,
        "other_hand_off": other_hand_off,
    }


@pytest.mark.django_db
@pytest.mark.parametrize("rule", sorted(RULES))
@pytest.mark.parametrize("role", ROLES)
def test_referral_rules(personas: dict[str, Any], world: dict[str, Any], rule: str, role: str) -> None:
    decide = getattr(policy, rule)
    answers = tuple(decide(personas[role], world[name]) is True for name in OBJECTS)
    assert answers == RULES[rule][role]


@pytest.mark.django_db
@pytest.mark.parametrize("rule", sorted(HAND_OFF_RULES))
@pytest.mark.parametrize("role", ROLES)
def test_hand_off_rules(personas: dict[str, Any], world: dict[str, Any], rule: str, role: str) -> None:
    decide = getattr(policy, rule)
    answers = (decide(personas[role], world["own_hand_off"]), decide(personas[role], world["other_hand_off"]))
    assert answers == HAND_OFF_RULES[rule][role]


@pytest.mark.django_db
@pytest.mark.parametrize("rule", sorted(ROLE_RULES))
@pytest.mark.parametrize("role", ROLES)
def test_role_rules(personas: dict[str, Any], rule: str, role: str) -> None:
    assert getattr(policy, rule)(personas[role]) is (role in ROLE_RULES[rule])


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_notices_are_read_by_their_recipient_only(personas: dict[str, Any], role: str) -> None:
    own = Notification(recipient=personas[role], kind="referral.requested", text="t")
    someone_elses = Notification(recipient=personas["other_help_seeker"], kind="referral.requested", text="t")
    assert policy.can_read_notification(personas[role], own) is True
    assert policy.can_read_notification(personas[role], someone_elses) is False


@pytest.mark.django_db
def test_a_peer_supporter_never_reaches_clinical_notes_even_of_their_own_person(
    personas: dict[str, Any], world: dict[str, Any]
) -> None:
    """The professional relationship is with the peer's own person, handed on by that peer."""
    assert world["pro"].hand_off.peer == personas["peer_supporter"]
    for rule in (
        "can_view_referral",
        "can_view_contact_log",
        "can_view_clinical_notes",
        "can_view_shared_snapshot",
    ):
        assert getattr(policy, rule)(personas["peer_supporter"], world["pro"]) is False


@pytest.mark.django_db
def test_a_changed_role_closes_the_door(personas: dict[str, Any], world: dict[str, Any]) -> None:
    peer = personas["peer_supporter"]
    peer.role = "help_seeker"
    peer.save()
    assert not policy.can_view_referral(peer, world["peer"]) and not policy.can_log_contact(
        peer, world["peer"]
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "rule", sorted(RULES) + sorted(HAND_OFF_RULES) + sorted(ROLE_RULES) + ["can_read_notification"]
)
def test_anonymous_and_deactivated_people_are_refused_everything(
    personas: dict[str, Any], world: dict[str, Any], rule: str
) -> None:
    decide = getattr(policy, rule)
    seeker, peer, pro = personas["help_seeker"], personas["peer_supporter"], personas["professional"]
    for account in (seeker, peer, pro):
        account.is_active = False
        account.save()
    if rule in ROLE_RULES:
        targets: list[tuple[Any, ...]] = [()]
    elif rule in HAND_OFF_RULES:
        targets = [(world["own_hand_off"],)]
    elif rule == "can_read_notification":
        targets = [(SimpleNamespace(recipient_id=account.pk),) for account in (seeker, peer, pro)]
    else:
        targets = [(world[name],) for name in OBJECTS]
    for actor in (AnonymousUser(), seeker, peer, pro):
        for target in targets:
            own_notice = rule == "can_read_notification" and not isinstance(actor, AnonymousUser)
            args = (SimpleNamespace(recipient_id=actor.pk),) if own_notice else target
            assert decide(actor, *args) is False
