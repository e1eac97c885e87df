"""The consent-scoped sharing matrix: every scope by granted or withdrawn by relationship active or
ended by each kind of viewer, every cell checked through `policy.can_see_shared`, and through the
record-level rules it feeds (`can_view_assessment`, `can_view_safety_plan`) and the supporter's
page rule (`can_open_shared_records`).

Viewers: the peer supporter and the professional in a relationship with the person (each granted
as an account), a professional of the Harbour organisation (granted through the organisation),
a peer of another organisation (who only ever sees the Harbour grant, so never anything), a
coordinator and another person looking for support (each given a choice row directly, as if it
had got there, to show that no row opens a door the policy keeps shut), and the person themself.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from carepath import policy
from carepath.referrals.models import Referral
from carepath.safety.models import SafetyPlan
from carepath.screening.models import Assessment
from carepath.sharing.models import SharingChoice
from carepath.sharing.scopes import Scope
from tests.sharing_setup import sharing_world

pytestmark = pytest.mark.django_db

# viewer -> (how the grant names them, may they ever see a granted scope)
VIEWERS = {
    "peer": ("account", True),
    "pro": ("account", True),
    "member": ("harbour", True),
    "outsider": ("harbour", False),  # not a member of Harbour: the Harbour grant is not theirs
    "coordinator": ("account", False),
    "other_person": ("account", False),
    "person": ("account", False),  # their own records are theirs by other rules, not by sharing
}


@pytest.fixture
def world(personas: dict[str, Any], make_account: Any) -> dict[str, Any]:
    return sharing_world(personas, make_account)


def _set_state(world: dict[str, Any], viewer: str, scope: Scope, granted: bool, active: bool) -> None:
    """Exactly one choice row exists: the one naming this viewer (or Harbour), with only `scope`
    on when granted and with everything off when withdrawn. Every relationship is active or ended."""
    SharingChoice.objects.all().delete()
    target, _ever = VIEWERS[viewer]
    recipient = (
        {"recipient_organization": world["harbour"]}
        if target == "harbour"
        else {"recipient_account": world[viewer]}
    )
    row = SharingChoice(person=world["person"], **recipient)
    row.set_scopes(frozenset({scope}) if granted else frozenset())
    row.save()
    Referral.objects.filter(person=world["person"]).update(status="active" if active else "ended")


CELLS = list(itertools.product(Scope, (True, False), (True, False), VIEWERS))


def test_the_matrix_has_every_cell() -> None:
    assert len(CELLS) == 4 * 2 * 2 * 7


@pytest.mark.parametrize(("granted", "active"), [(True, True), (True, False), (False, True), (False, False)])
def test_every_cell(world: dict[str, Any], granted: bool, active: bool) -> None:
    person = world["person"]
    assessment = Assessment.objects.get(person=person)
    plan = SafetyPlan.objects.get(person=person)
    checked = 0
    for scope, viewer in itertools.product(Scope, VIEWERS):
        _set_state(world, viewer, scope, granted, active)
        account = world[viewer]
        may_see = granted and active and VIEWERS[viewer][1]
        for asked in Scope:  # the granted scope only; never another one alongside it
            seen = policy.can_see_shared(account, person, asked)
            assert seen is (may_see and asked is scope), (viewer, scope, asked, granted, active)
        own = viewer == "person"
        shows_check_ins = own or (may_see and scope is Scope.SCREENING_RESULTS)
        assert policy.can_view_assessment(account, assessment) is shows_check_ins, (viewer, scope)
        shows_plan = own or (may_see and scope is Scope.SAFETY_PLAN)
        assert policy.can_view_safety_plan(account, plan) is shows_plan, (viewer, scope)
        for referral in Referral.objects.filter(person=person):  # as stored now
            opens = policy.can_open_shared_records(account, referral)
            assert opens is (active and referral.supporter_id == account.pk), (viewer, referral.pk)
        checked += 1
    assert checked == 4 * 7


def test_an_account_grant_is_only_for_that_account(world: dict[str, Any]) -> None:
    """Granted to the peer: the professional, the Harbour member and everyone else see nothing."""
    row = SharingChoice(person=world["person"], recipient_account=world["peer"])
    row.set_scopes(frozenset(Scope))
    row.save()
    for viewer in VIEWERS:
        for scope in Scope:
            assert policy.can_see_shared(world[viewer], world["person"], scope) is (viewer == "peer")


def test_an_organisation_grant_needs_the_members_own_active_relationship(world: dict[str, Any]) -> None:
    row = SharingChoice(person=world["person"], recipient_organization=world["harbour"])
    row.set_scopes(frozenset({Scope.SAFETY_PLAN}))
    row.save()
    assert policy.can_see_shared(world["member"], world["person"], Scope.SAFETY_PLAN)
    # Ending only the member's relationship closes the door, though the peer's is still active.
    Referral.objects.filter(pk=world["referrals"]["member"].pk).update(status="ended")
    assert not policy.can_see_shared(world["member"], world["person"], Scope.SAFETY_PLAN)


def test_a_changed_role_closes_the_door_at_once(world: dict[str, Any]) -> None:
    row = SharingChoice(person=world["person"], recipient_account=world["peer"])
    row.set_scopes(frozenset({Scope.SAFETY_PLAN}))
    row.save()
    peer = world["peer"]
    assert policy.can_see_shared(peer, world["person"], Scope.SAFETY_PLAN)
    peer.role = "professional"  # the peer relationship needs a peer supporter's role
    peer.save()
    assert not policy.can_see_shared(peer, world["person"], Scope.SAFETY_PLAN)
    peer.role, peer.is_active = "peer_supporter", False
    peer.save()
    assert not policy.can_see_shared(peer, world["person"], Scope.SAFETY_PLAN)


def test_only_people_looking_for_support_manage_sharing(world: dict[str, Any]) -> None:
    assert policy.can_manage_sharing(world["person"])
    for viewer in ("peer", "pro", "member", "coordinator"):
        assert not policy.can_manage_sharing(world[viewer])
