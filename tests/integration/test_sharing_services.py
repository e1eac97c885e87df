"""Changing what is shared and reading it: every change and every read audited, withdrawal
immediate, new scopes only for people the person is in touch with, clinical notes never reached,
and the confidentiality notice a person reads before asking for contact."""

from __future__ import annotations

from typing import Any

import pytest

from carepath import policy
from carepath.audit.models import AuditAction, AuditEvent
from carepath.errors import FieldProblem, NotPermitted
from carepath.matching.models import PeerSupporterProfile
from carepath.referrals.models import Referral
from carepath.sharing import services
from carepath.sharing.models import SharingChoice
from carepath.sharing.recipients import RecipientKey, parsed_recipient
from carepath.sharing.scopes import Scope
from carepath.sharing.selectors.confidentiality import ask_target
from carepath.sharing.selectors.grants import recipients_of
from tests.sharing_setup import CLINICAL_NOTE, HARBOUR_POLICY, PEER_NOTE, harbour_key, sharing_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas: dict[str, Any], make_account: Any) -> dict[str, Any]:
    return sharing_world(personas, make_account)


def _events(action: AuditAction) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("sequence"))


def test_grant_change_and_withdraw_are_each_audited_with_the_scopes(world: dict[str, Any]) -> None:
    person, peer = world["person"], RecipientKey.account(world["peer"].pk)
    services.change_sharing(actor=person, recipient=peer, scopes=["safety_plan"])
    services.change_sharing(actor=person, recipient=peer, scopes=["safety_plan", "screening_results"])
    services.change_sharing(actor=person, recipient=peer, scopes=[])
    granted, changed, withdrawn = (
        _events(AuditAction.SHARING_GRANTED),
        _events(AuditAction.SHARING_CHANGED),
        _events(AuditAction.SHARING_WITHDRAWN),
    )
    assert [e.details for e in granted] == [{"recipient": str(peer), "scopes": ["safety_plan"], "before": []}]
    assert [e.details for e in changed] == [
        {"recipient": str(peer), "scopes": ["screening_results", "safety_plan"], "before": ["safety_plan"]}
    ]
    assert [e.details for e in withdrawn] == [
        {"recipient": str(peer), "scopes": [], "before": ["screening_results", "safety_plan"]}
    ]
    for event in granted + changed + withdrawn:
        assert (event.subject_type, event.subject_id, event.actor_id) == (
            "account",
            str(person.pk),
            person.pk,
        )
    row = SharingChoice.objects.get(person=person, recipient_account=world["peer"])
    assert row.scopes == frozenset()  # the row stays, holding the current state


def test_saving_the_same_choice_again_changes_and_records_nothing(world: dict[str, Any]) -> None:
    person, peer = world["person"], RecipientKey.account(world["peer"].pk)
    services.change_sharing(actor=person, recipient=peer, scopes=["notes"])
    stamp = SharingChoice.objects.get(person=person).changed_at
    services.change_sharing(actor=person, recipient=peer, scopes=["notes"])
    assert SharingChoice.objects.get(person=person).changed_at == stamp
    assert len(_events(AuditAction.SHARING_GRANTED)) == 1 and not _events(AuditAction.SHARING_CHANGED)
    assert (
        services.change_sharing(actor=person, recipient=RecipientKey.account(world["pro"].pk), scopes=[])
        is None
    )
    assert SharingChoice.objects.count() == 1  # nothing asked, no row made


def test_withdrawing_everything_takes_effect_on_the_next_check(world: dict[str, Any]) -> None:
    person = world["person"]
    services.change_sharing(
        actor=person, recipient=RecipientKey.account(world["peer"].pk), scopes=list(Scope)
    )
    services.change_sharing(actor=person, recipient=harbour_key(world), scopes=["safety_plan"])
    assert policy.can_see_shared(world["member"], person, Scope.SAFETY_PLAN)
    assert services.withdraw_all(actor=person) == 2
    for viewer in ("peer", "member"):
        assert not any(policy.can_see_shared(world[viewer], person, s) for s in Scope)
    assert len(_events(AuditAction.SHARING_WITHDRAWN)) == 2
    assert services.withdraw_all(actor=person) == 0  # nothing left: no more events
    assert len(_events(AuditAction.SHARING_WITHDRAWN)) == 2


def test_new_scopes_only_for_someone_the_person_is_in_touch_with(
    world: dict[str, Any], make_account: Any
) -> None:
    person, stranger = world["person"], make_account("stranger", "professional")
    for key in (RecipientKey.account(stranger.pk), RecipientKey.account(world["coordinator"].pk)):
        with pytest.raises(FieldProblem) as refused:
            services.change_sharing(actor=person, recipient=key, scopes=["safety_plan"])
        assert refused.value.field == "recipient"
    with pytest.raises(FieldProblem):
        services.change_sharing(
            actor=person, recipient=RecipientKey.organisation("no-such-org"), scopes=["notes"]
        )
    # Once the relationship ends, what was shared can still be taken back, but nothing added.
    peer = RecipientKey.account(world["peer"].pk)
    services.change_sharing(actor=person, recipient=peer, scopes=["notes", "safety_plan"])
    Referral.objects.filter(pk=world["referrals"]["peer"].pk).update(status="ended")
    with pytest.raises(FieldProblem):
        services.change_sharing(
            actor=person, recipient=peer, scopes=["notes", "safety_plan", "contact_details"]
        )
    services.change_sharing(actor=person, recipient=peer, scopes=["notes"])
    assert SharingChoice.objects.get(person=person).scopes == {Scope.NOTES}
    assert not AuditEvent.objects.filter(details__recipient=f"account:{stranger.pk}").exists()


def test_only_the_person_changes_their_choices_and_bad_input_names_the_field(world: dict[str, Any]) -> None:
    for viewer in ("peer", "coordinator"):
        with pytest.raises(NotPermitted):
            services.change_sharing(actor=world[viewer], recipient=RecipientKey.account(1), scopes=[])
        with pytest.raises(NotPermitted):
            services.withdraw_all(actor=world[viewer])
    with pytest.raises(FieldProblem) as refused:
        services.change_sharing(
            actor=world["person"], recipient=RecipientKey.account(world["peer"].pk), scopes=["diary"]
        )
    assert refused.value.field == "scopes" and "'diary'" in refused.value.problem
    for bad in ("", "account:", "account:x", "person:3", "organisation:", "organisation:a b"):
        with pytest.raises(FieldProblem) as refused:
            parsed_recipient(bad)
        assert refused.value.field == "recipient"
    assert not SharingChoice.objects.exists()


def test_reading_is_audited_with_the_scopes_shown_and_no_content(world: dict[str, Any]) -> None:
    person, referral = world["person"], world["referrals"]["pro"]
    with pytest.raises(NotPermitted):  # nothing shared yet
        services.open_shared_records(actor=world["pro"], referral=referral)
    services.change_sharing(
        actor=person, recipient=RecipientKey.account(world["pro"].pk), scopes=["safety_plan", "notes"]
    )
    shared = services.open_shared_records(actor=world["pro"], referral=referral)
    assert shared.scopes == (Scope.SAFETY_PLAN, Scope.NOTES)
    assert shared.check_ins is None and shared.contact is None  # not shared: not even read
    assert shared.plan is not None and shared.notes is not None
    steps = {step.step: step for _title, step in shared.plan.steps}
    assert steps["warning_signs"].text == "I stop answering messages"
    assert steps["people_to_ask"].written and steps["people_to_ask"].text is None  # names other people
    assert [n.text for n in shared.notes] == [PEER_NOTE]
    viewed = _events(AuditAction.SHARED_RECORD_VIEWED)
    assert [(e.subject_type, e.subject_id, e.details) for e in viewed] == [
        ("referral", str(referral.pk), {"scopes": ["safety_plan", "notes"]})
    ]
    assert "walk" not in str(viewed[0].details) and "Tom" not in str(viewed[0].details)


def test_no_consent_reaches_clinical_notes(world: dict[str, Any]) -> None:
    person = world["person"]
    for viewer in ("peer", "member"):
        services.change_sharing(
            actor=person, recipient=RecipientKey.account(world[viewer].pk), scopes=["notes"]
        )
        shared = services.open_shared_records(actor=world[viewer], referral=world["referrals"][viewer])
        assert CLINICAL_NOTE not in [n.text for n in shared.notes or []], viewer
    # The peer's own relationship's notes are theirs already; shared notes are the others'.
    peer_view = services.open_shared_records(actor=world["peer"], referral=world["referrals"]["peer"])
    assert peer_view.notes == []


def test_check_in_results_and_contact_details(world: dict[str, Any]) -> None:
    person = world["person"]
    person.email = "sam@example.org"
    person.save()
    services.change_sharing(
        actor=person,
        recipient=harbour_key(world),
        scopes=["screening_results", "contact_details"],
    )
    shared = services.open_shared_records(actor=world["member"], referral=world["referrals"]["member"])
    [result] = shared.check_ins or []
    assert (result.instrument, result.total, result.max_total) == ("phq9", 16, 27)
    assert shared.contact is not None and shared.contact.email == "sam@example.org"
    with pytest.raises(NotPermitted):  # the outsider's organisation is not Harbour
        services.open_shared_records(actor=world["outsider"], referral=world["referrals"]["outsider"])


def test_the_person_sees_each_supporter_and_organisation_to_choose_for(world: dict[str, Any]) -> None:
    lines = {line.name: line for line in recipients_of(world["person"])}
    assert set(lines) == {"peer", "pro", "Dana", "Lee", "Harbour", "Lighthouse"}
    assert lines["Harbour"].members == ("Dana",) and lines["Harbour"].kind == "organisation"
    assert all(line.connected and line.active and not line.scopes for line in lines.values())


def test_the_notice_before_contact_comes_from_the_linked_service(world: dict[str, Any]) -> None:
    member_profile = world["member"].professional_profile
    target = ask_target("professional", member_profile.pk)
    assert target is not None and target.name == "Dana"
    assert target.notice.policy == HARBOUR_POLICY and target.notice.organisation_name == "Harbour"
    assert target.notice.limits == (
        "when someone's life is at risk",
        "to protect a child from harm",
        "when a court orders it",
    )
    peer_profile = PeerSupporterProfile.objects.get(user=world["peer"])
    plain = ask_target("peer", peer_profile.pk)
    assert plain is not None and not plain.notice.published and plain.notice.service_name == ""
    assert ask_target("professional", "x") is None and ask_target("nurse", member_profile.pk) is None
