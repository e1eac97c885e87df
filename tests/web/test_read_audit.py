"""Every read of a sensitive record writes an audit event (issue 8), and the person whose record
it is finds that read in their own access log: who looked, at what, when."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from carepath.audit.models import AuditAction, AuditEvent
from carepath.matching.models import PeerSupporterProfile
from carepath.outcomes.services import start_episode
from carepath.referrals.services import contacts
from tests.referral_setup import active, ask_peer, keep_check_in, keep_plan, peer_profile
from tests.sign_in import signed_in_client

pytestmark = pytest.mark.django_db


def reads_after(since: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(sequence__gt=since).order_by("sequence"))


def last_sequence() -> int:
    newest = AuditEvent.objects.order_by("-sequence").first()
    return newest.sequence if newest else 0


@pytest.fixture
def relationship(personas: dict[str, Any]) -> Any:
    seeker, peer = personas["help_seeker"], personas["peer_supporter"]
    referral = active(ask_peer(seeker, peer_profile(peer)))
    contacts.log_contact(
        actor=peer,
        referral=referral,
        data={
            "happened_on": timezone.localdate(),
            "channel": "phone",
            "minutes": 20,
            "note": "Talked it over",
        },
    )
    return referral


def test_the_safety_plan_page_records_a_read_without_the_plan_text(personas: dict[str, Any]) -> None:
    seeker = personas["help_seeker"]
    plan = keep_plan(seeker)
    client = signed_in_client(seeker)  # signing in is itself recorded, before the read
    since = last_sequence()
    assert client.get("/safety-plan/").status_code == 200
    [event] = reads_after(since)
    assert (event.action, event.subject_type, event.subject_id) == (
        AuditAction.SAFETY_PLAN_VIEWED,
        "safety_plan",
        str(plan.pk),
    )
    assert event.actor_id == seeker.pk and event.outcome == "success"
    assert "Cold water" not in str(event.details) and "coping_on_my_own" in event.details["steps_filled"]


def test_no_plan_no_read(personas: dict[str, Any]) -> None:
    client = signed_in_client(personas["help_seeker"])
    since = last_sequence()
    assert client.get("/safety-plan/").status_code == 200
    assert reads_after(since) == []


def test_the_supporter_reading_notes_is_recorded_and_shown_in_the_persons_access_log(
    personas: dict[str, Any], relationship: Any
) -> None:
    peer = signed_in_client(personas["peer_supporter"])
    since = last_sequence()
    assert peer.get(f"/supporting/{relationship.pk}/").status_code == 200
    event, consent = reads_after(since)  # the page also tells the peer what the person shares
    assert consent.action == AuditAction.SHARING_VIEWED and consent.details["scopes"] == []
    assert event.action == AuditAction.NOTES_VIEWED and event.actor_id == personas["peer_supporter"].pk
    assert event.details == {"contact_lines": 1, "notes": True}
    assert "Talked it over" not in str(event.details)

    log = signed_in_client(personas["help_seeker"]).get("/accounts/me/access-log/")
    body = log.content.decode()
    assert log.status_code == 200 and "Notes viewed" in body and personas["peer_supporter"].username in body


def test_the_api_records_each_referral_and_contact_log_read(
    personas: dict[str, Any], relationship: Any
) -> None:
    seeker = signed_in_client(personas["help_seeker"])
    since = last_sequence()
    assert seeker.get("/api/v1/referrals").status_code == 200
    assert seeker.get(f"/api/v1/referrals/{relationship.pk}").status_code == 200
    assert seeker.get(f"/api/v1/referrals/{relationship.pk}/contacts").status_code == 200
    actions = [(e.action, e.subject_id) for e in reads_after(since)]
    referral = str(relationship.pk)
    assert actions == [
        (AuditAction.REFERRAL_VIEWED, referral),
        (AuditAction.REFERRAL_VIEWED, referral),
        (AuditAction.NOTES_VIEWED, referral),  # the person reads the peer's notes with them
    ]


def test_a_refused_read_records_nothing_and_answers_404(personas: dict[str, Any], relationship: Any) -> None:
    outsider = signed_in_client(personas["other_help_seeker"])
    since = last_sequence()
    assert outsider.get(f"/support/{relationship.pk}/").status_code == 404
    assert outsider.get(f"/api/v1/referrals/{relationship.pk}/contacts").status_code == 404
    assert reads_after(since) == []


def test_check_in_history_and_episode_pages_record_reads(personas: dict[str, Any]) -> None:
    seeker = personas["help_seeker"]
    keep_check_in(seeker)
    episode = start_episode(person=seeker, pathway="peer", started_on=dt.date(2026, 11, 1))
    client = signed_in_client(seeker)
    since = last_sequence()
    assert client.get("/check-in/history/").status_code == 200
    assert client.get(f"/progress/{episode.pk}/").status_code == 200
    history, episode_read = reads_after(since)
    assert (history.action, history.subject_type, history.details) == (
        AuditAction.ASSESSMENT_VIEWED,
        "account",
        {"check_ins": {"phq9": 1}},
    )
    assert (episode_read.action, episode_read.subject_id) == (AuditAction.EPISODE_VIEWED, str(episode.pk))


def test_the_supporters_list_records_each_referral_it_shows_and_the_person_sees_it(
    personas: dict[str, Any], relationship: Any, make_account: Any
) -> None:
    peer_account = personas["peer_supporter"]
    second = ask_peer(make_account("second-person"), PeerSupporterProfile.objects.get(user=peer_account))
    peer = signed_in_client(peer_account)
    since = last_sequence()
    assert peer.get("/supporting/").status_code == 200
    events = reads_after(since)
    assert {(e.action, e.subject_type, e.subject_id) for e in events} == {
        (AuditAction.REFERRAL_VIEWED, "referral", str(relationship.pk)),
        (AuditAction.REFERRAL_VIEWED, "referral", str(second.pk)),
    }
    assert {(e.actor_id, str(e.details)) for e in events} == {(peer_account.pk, "{'list': 'supporting'}")}

    log = signed_in_client(personas["help_seeker"]).get("/accounts/me/access-log/").content.decode()
    assert "Referral viewed" in log and peer_account.username in log
    other_log = (
        signed_in_client(personas["other_help_seeker"]).get("/accounts/me/access-log/").content.decode()
    )
    assert "Referral viewed" not in other_log  # someone with no referral there sees no read


def test_the_persons_own_list_is_recorded_like_their_own_referral_page(
    personas: dict[str, Any], relationship: Any
) -> None:
    seeker = signed_in_client(personas["help_seeker"])
    since = last_sequence()
    assert seeker.get("/support/").status_code == 200
    [event] = reads_after(since)
    assert (event.action, event.subject_id, event.actor_id, event.details) == (
        AuditAction.REFERRAL_VIEWED,
        str(relationship.pk),
        personas["help_seeker"].pk,
        {"list": "support"},
    )


def test_an_empty_list_records_nothing(personas: dict[str, Any]) -> None:
    peer = signed_in_client(personas["peer_supporter"])
    since = last_sequence()
    assert peer.get("/supporting/").status_code == 200
    assert peer.get("/api/v1/referrals").json() == []
    assert reads_after(since) == []


def test_the_api_list_records_the_supporters_reads_in_one_batch(
    personas: dict[str, Any], relationship: Any
) -> None:
    peer = signed_in_client(personas["peer_supporter"])
    since = last_sequence()
    assert [r["id"] for r in peer.get("/api/v1/referrals").json()] == [relationship.pk]
    [event] = reads_after(since)
    assert (event.action, event.subject_id, event.details) == (
        AuditAction.REFERRAL_VIEWED,
        str(relationship.pk),
        {"list": "api"},
    )
