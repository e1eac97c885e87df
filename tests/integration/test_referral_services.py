"""Referral services on a real database: asking, answering, ending, capacity, the contact log,
status history, audit events written with the change, notices and their emails."""

from __future__ import annotations

import datetime as dt
from typing import Any
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from carepath.audit.models import AuditAction, AuditEvent
from carepath.errors import FieldProblem, NotPermitted
from carepath.matching.models import PeerSupporterProfile
from carepath.referrals import selectors
from carepath.referrals.models import ContactEntry, Notification, Referral, StatusChange
from carepath.referrals.services import contacts, notices, referrals
from carepath_core.errors import InvalidData
from carepath_core.referrals import AtCapacity, TransitionRefused
from tests.referral_setup import active, ask_peer, ask_professional, peer_profile, professional_profile

pytestmark = pytest.mark.django_db


@pytest.fixture
def peer(personas: dict[str, Any]) -> PeerSupporterProfile:
    return peer_profile(personas["peer_supporter"], capacity=1)


def events(action: AuditAction) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


def test_asking_opens_a_request_with_history_audit_and_a_notice(personas: dict[str, Any], peer: Any) -> None:
    seeker = personas["help_seeker"]
    referral = ask_peer(seeker, peer)
    assert referral.status == "requested" and referral.kind == "peer"
    assert referral.supporter == personas["peer_supporter"]
    (change,) = StatusChange.objects.filter(referral=referral)
    assert (change.from_status, change.to_status, change.by_side, change.actor) == (
        "",
        "requested",
        "person",
        seeker,
    )
    (event,) = events(AuditAction.REFERRAL_REQUESTED)
    assert event.actor == seeker and event.subject_id == str(referral.pk)
    assert event.details == {"kind": "peer", "supporter": peer.user_id, "hand_off": None}
    (notice,) = Notification.objects.filter(recipient=personas["peer_supporter"])
    assert notice.text == "seeker asked you to get in touch." and notice.link == f"/supporting/{referral.pk}/"


def test_asking_twice_an_unknown_or_inactive_supporter_or_too_many_is_refused(
    personas: dict[str, Any], peer: Any, make_account: Any
) -> None:
    seeker = personas["help_seeker"]
    ask_peer(seeker, peer)
    with pytest.raises(FieldProblem, match="already asked") as twice:
        ask_peer(seeker, peer)
    assert twice.value.field == "profile"
    for wrong in ("999999", "not-a-number", None):
        with pytest.raises(FieldProblem) as unknown:
            referrals.ask_for_contact(actor=seeker, kind="peer", profile_id=wrong)
        assert unknown.value.field == "profile"
    with pytest.raises(FieldProblem) as bad_kind:
        referrals.ask_for_contact(actor=seeker, kind="friend", profile_id=peer.pk)
    assert bad_kind.value.field == "kind"
    resting = peer_profile(make_account("resting", "peer_supporter"), active=False)
    with pytest.raises(FieldProblem):
        ask_peer(seeker, resting)
    for number in range(2):
        ask_peer(seeker, peer_profile(make_account(f"more{number}", "peer_supporter")))
    with pytest.raises(FieldProblem, match="3 requests waiting"):
        ask_peer(seeker, peer_profile(make_account("fourth", "peer_supporter")))
    assert Referral.objects.filter(person=seeker).count() == 3


@pytest.mark.parametrize("role", ["peer_supporter", "professional", "coordinator"])
def test_only_help_seekers_ask(personas: dict[str, Any], peer: Any, role: str) -> None:
    with pytest.raises(NotPermitted):
        ask_peer(personas[role], peer)
    assert not Referral.objects.exists()


def test_accepting_takes_a_place_and_a_full_supporter_is_refused_with_the_reason(
    personas: dict[str, Any], peer: Any
) -> None:
    first = active(ask_peer(personas["help_seeker"], peer))
    assert first.status == "active" and first.accepted_at is not None
    peer.refresh_from_db()
    assert peer.current_load == 1
    second = ask_peer(personas["other_help_seeker"], peer)
    with pytest.raises(AtCapacity, match="already support 1 of the 1 people"):
        referrals.accept_request(actor=personas["peer_supporter"], referral=second)
    second.refresh_from_db()
    peer.refresh_from_db()
    assert second.status == "requested" and peer.current_load == 1
    assert StatusChange.objects.filter(referral=second).count() == 1  # only the request
    assert len(events(AuditAction.REFERRAL_STATUS_CHANGED)) == 1
    referrals.end_relationship(actor=personas["help_seeker"], referral=first, reason="Feeling steadier")
    peer.refresh_from_db()
    assert peer.current_load == 0
    assert active(second).status == "active"


def test_a_professional_is_full_when_their_active_referrals_reach_capacity(personas: dict[str, Any]) -> None:
    profile = professional_profile(personas["professional"], capacity=1)
    active(ask_professional(personas["help_seeker"], profile))
    waiting = ask_professional(personas["other_help_seeker"], profile)
    with pytest.raises(AtCapacity):
        referrals.accept_request(actor=personas["professional"], referral=waiting)


def test_a_supporter_without_a_profile_cannot_accept(personas: dict[str, Any], peer: Any) -> None:
    referral = ask_peer(personas["help_seeker"], peer)
    PeerSupporterProfile.objects.filter(pk=peer.pk).delete()
    with pytest.raises(AtCapacity, match="fill in your peer supporter profile"):
        referrals.accept_request(actor=personas["peer_supporter"], referral=referral)


def test_decline_withdraw_and_end_write_history_audit_and_tell_the_other_side(
    personas: dict[str, Any], make_account: Any
) -> None:
    seeker, peer_account = personas["help_seeker"], personas["peer_supporter"]
    profile = peer_profile(peer_account, capacity=3)
    declined = referrals.decline_request(
        actor=peer_account, referral=ask_peer(seeker, profile), reason="On leave until May"
    )
    assert declined.status == "declined" and declined.closed_at is not None
    assert selectors.history_of(declined)[-1].reason == "On leave until May"
    withdrawn = referrals.withdraw_request(actor=seeker, referral=ask_peer(seeker, profile))
    assert withdrawn.status == "withdrawn"
    relationship = active(ask_peer(seeker, profile))
    with pytest.raises(FieldProblem) as no_reason:
        referrals.end_relationship(actor=peer_account, referral=relationship, reason="  ")
    assert no_reason.value.field == "reason"
    ended = referrals.end_relationship(actor=peer_account, referral=relationship, reason="Moving away")
    assert ended.status == "ended"
    moves = [
        (e.details["from"], e.details["to"], e.details["by"])
        for e in events(AuditAction.REFERRAL_STATUS_CHANGED)
    ]
    assert moves == [
        ("requested", "declined", "supporter"),
        ("requested", "withdrawn", "person"),
        ("requested", "active", "supporter"),
        ("active", "ended", "supporter"),
    ]
    assert all("reason" not in e.details for e in events(AuditAction.REFERRAL_STATUS_CHANGED))
    texts = list(Notification.objects.filter(recipient=seeker).values_list("text", flat=True))
    assert (
        "peer cannot take your request at the moment." in texts
        and "peer ended your support relationship." in texts
    )
    assert "seeker withdrew their request for contact." in Notification.objects.filter(
        recipient=peer_account
    ).values_list("text", flat=True)


def test_refused_moves_change_nothing(personas: dict[str, Any], peer: Any) -> None:
    seeker, peer_account = personas["help_seeker"], personas["peer_supporter"]
    referral = referrals.decline_request(actor=peer_account, referral=ask_peer(seeker, peer))
    before = (StatusChange.objects.count(), AuditEvent.objects.count(), Notification.objects.count())
    with pytest.raises(TransitionRefused, match="declined, so it cannot be accepted"):
        referrals.accept_request(actor=peer_account, referral=referral)
    with pytest.raises(TransitionRefused):
        referrals.end_relationship(actor=seeker, referral=referral, reason="why not")
    assert (StatusChange.objects.count(), AuditEvent.objects.count(), Notification.objects.count()) == before
    assert Referral.objects.get(pk=referral.pk).status == "declined"


def test_the_wrong_people_are_refused_every_move(personas: dict[str, Any], peer: Any) -> None:
    referral = ask_peer(personas["help_seeker"], peer)
    for outsider in (personas["other_help_seeker"], personas["professional"], personas["coordinator"]):
        with pytest.raises(NotPermitted):
            referrals.accept_request(actor=outsider, referral=referral)
        with pytest.raises(NotPermitted):
            referrals.withdraw_request(actor=outsider, referral=referral)
        with pytest.raises(NotPermitted):
            referrals.end_relationship(actor=outsider, referral=referral, reason="no")
    with pytest.raises(NotPermitted):
        referrals.accept_request(actor=personas["help_seeker"], referral=referral)  # not their answer
    with pytest.raises(NotPermitted):
        referrals.withdraw_request(actor=personas["peer_supporter"], referral=referral)


def test_an_audit_failure_leaves_nothing_half_written(personas: dict[str, Any], peer: Any) -> None:
    referral = ask_peer(personas["help_seeker"], peer)
    with (
        mock.patch(
            "carepath.referrals.services.referrals.record_event", side_effect=RuntimeError("audit down")
        ),
        pytest.raises(RuntimeError),
    ):
        referrals.accept_request(actor=personas["peer_supporter"], referral=referral)
    referral.refresh_from_db()
    peer.refresh_from_db()
    assert referral.status == "requested" and peer.current_load == 0
    assert StatusChange.objects.filter(referral=referral).count() == 1


# --- the contact log ---------------------------------------------------------------------------

TODAY = timezone.localdate()
CONTACT = {"happened_on": TODAY.isoformat(), "channel": "video", "minutes": 45, "note": "Planned a walk"}


def test_peer_and_professional_notes_are_kept_apart_by_kind(personas: dict[str, Any], peer: Any) -> None:
    seeker = personas["help_seeker"]
    with_peer = active(ask_peer(seeker, peer))
    with_pro = active(ask_professional(seeker, professional_profile(personas["professional"])))
    peer_entry = contacts.log_contact(actor=personas["peer_supporter"], referral=with_peer, data=CONTACT)
    pro_entry = contacts.log_contact(
        actor=personas["professional"], referral=with_pro, data={**CONTACT, "note": "Low mood, plan CBT"}
    )
    assert (peer_entry.note_kind, pro_entry.note_kind) == ("peer", "clinical")
    (event, _) = events(AuditAction.CONTACT_LOGGED)
    assert event.details == {"contact": peer_entry.pk, "channel": "video", "with_note": True}
    assert "Planned a walk" not in str(event.details)
    hidden = selectors.contact_lines(with_pro, with_notes=False)
    assert [(line.minutes, line.note) for line in hidden] == [(45, None)]
    shown = selectors.contact_lines(with_pro, with_notes=True)
    assert shown[0].note == "Low mood, plan CBT"


def test_contacts_are_only_for_the_supporter_of_an_active_relationship(
    personas: dict[str, Any], peer: Any
) -> None:
    referral = ask_peer(personas["help_seeker"], peer)
    with pytest.raises(Exception, match="only while the relationship is active"):
        contacts.log_contact(actor=personas["peer_supporter"], referral=referral, data=CONTACT)
    active(referral)
    for outsider in ("help_seeker", "other_help_seeker", "professional", "coordinator"):
        with pytest.raises(NotPermitted):
            contacts.log_contact(actor=personas[outsider], referral=referral, data=CONTACT)
    with pytest.raises(InvalidData) as future:
        contacts.log_contact(
            actor=personas["peer_supporter"],
            referral=referral,
            data={**CONTACT, "happened_on": (TODAY + dt.timedelta(days=1)).isoformat()},
        )
    assert future.value.field == "happened_on"
    assert not ContactEntry.objects.exists()


# --- notices and email -------------------------------------------------------------------------


def test_email_goes_after_commit_only_to_people_with_an_address_and_says_nothing_private(
    personas: dict[str, Any], peer: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    supporter = personas["peer_supporter"]
    supporter.email = "priya@example.org"
    supporter.save()
    with django_capture_on_commit_callbacks(execute=False) as waiting:
        referral = ask_peer(personas["help_seeker"], peer)
    assert len(waiting) == 1 and mail.outbox == []  # nothing sent before the commit
    for callback in waiting:
        callback()
    (sent,) = mail.outbox
    assert sent.to == ["priya@example.org"] and "notice" in sent.subject
    assert "seeker" not in sent.body and "get in touch" not in sent.body
    with django_capture_on_commit_callbacks(execute=True):
        active(referral)  # the person has no email address: the notice only
    assert len(mail.outbox) == 1
    assert Notification.objects.filter(recipient=personas["help_seeker"]).count() == 1


def test_a_failed_email_does_not_undo_anything(
    personas: dict[str, Any], peer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    supporter = personas["peer_supporter"]
    supporter.email = "priya@example.org"
    supporter.save()
    with (
        mock.patch("carepath.referrals.services.notices.send_mail", side_effect=OSError("smtp down")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        referral = ask_peer(personas["help_seeker"], peer)
    assert Referral.objects.filter(pk=referral.pk).exists()


def test_notices_are_read_by_their_recipient_only(personas: dict[str, Any], peer: Any) -> None:
    ask_peer(personas["help_seeker"], peer)
    (notice,) = Notification.objects.all()
    assert selectors.unread_notice_count(personas["peer_supporter"]) == 1
    with pytest.raises(NotPermitted):
        notices.mark_read(actor=personas["help_seeker"], notice=notice)
    notices.mark_read(actor=personas["peer_supporter"], notice=notice)
    assert selectors.unread_notice_count(personas["peer_supporter"]) == 0
    assert notices.mark_all_read(actor=personas["peer_supporter"]) == 0
