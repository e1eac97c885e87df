"""Referrals open and close episodes of support: an episode of the right pathway starts when a
relationship becomes active and ends when it ends, through the outcomes services, audited, in
the referral's own transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any
from unittest import mock

import pytest
from django.utils import timezone

from carepath.audit.models import AuditAction, AuditEvent
from carepath.directory.models import Organization, Service
from carepath.matching.models import PeerSupporterProfile, ReferralEpisode
from carepath.outcomes.models import Episode, EpisodeReportRow
from carepath.outcomes.services import end_episode
from carepath.referrals.models import Referral
from carepath.referrals.services import referrals
from tests.referral_setup import active, ask_peer, ask_professional, peer_profile, professional_profile

pytestmark = pytest.mark.django_db


def episode_events(action: AuditAction) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action, subject_type="episode").order_by("sequence"))


def test_accepting_starts_a_peer_episode_for_the_person(personas: dict[str, Any]) -> None:
    person, peer = personas["help_seeker"], personas["peer_supporter"]
    referral = ask_peer(person, peer_profile(peer))
    assert not Episode.objects.exists()  # a request alone is not support yet
    active(referral)
    episode = Episode.objects.get()
    assert (episode.person, episode.pathway, episode.is_open) == (person, "peer", True)
    assert episode.started_on == timezone.localdate()
    assert episode.requested_on == timezone.localdate(referral.created_at)
    assert ReferralEpisode.objects.get(referral=referral).episode == episode
    assert EpisodeReportRow.objects.filter(episode=episode).exists()
    (started,) = episode_events(AuditAction.EPISODE_STARTED)
    assert started.actor_ref == str(peer.pk)  # the supporter accepted: they started it
    assert started.subject_id == str(episode.pk) and started.details["referral"] == referral.pk


def test_a_professional_referral_starts_a_professional_episode_at_their_service(
    personas: dict[str, Any],
) -> None:
    organization = Organization.objects.create(id="org-1", name="Talking Therapies")
    service = Service.objects.create(id="svc-1", organization=organization, name="Counselling")
    pro = personas["professional"]
    referral = ask_professional(personas["help_seeker"], professional_profile(pro, service=service))
    active(referral)
    episode = Episode.objects.get()
    assert (episode.pathway, episode.service_id) == ("professional", "svc-1")


def test_ending_the_relationship_ends_its_episode(personas: dict[str, Any]) -> None:
    person = personas["help_seeker"]
    referral = active(ask_peer(person, peer_profile(personas["peer_supporter"])))
    referrals.end_relationship(actor=person, referral=referral, reason="I feel better now")
    episode = Episode.objects.get()
    assert episode.ended_on == timezone.localdate()
    (ended,) = episode_events(AuditAction.EPISODE_ENDED)
    assert ended.actor_ref == str(person.pk) and ended.details["referral"] == referral.pk
    assert EpisodeReportRow.objects.get(episode=episode).ended_on == episode.ended_on


@pytest.mark.parametrize("answer", ["decline", "withdraw"])
def test_a_request_that_never_becomes_active_starts_no_episode(personas: dict[str, Any], answer: str) -> None:
    person, peer = personas["help_seeker"], personas["peer_supporter"]
    referral = ask_peer(person, peer_profile(peer))
    if answer == "decline":
        referrals.decline_request(actor=peer, referral=referral, reason="I am full")
    else:
        referrals.withdraw_request(actor=person, referral=referral)
    assert not Episode.objects.exists() and not ReferralEpisode.objects.exists()


def test_an_episode_the_person_already_ended_is_left_as_they_recorded_it(personas: dict[str, Any]) -> None:
    person = personas["help_seeker"]
    referral = active(ask_peer(person, peer_profile(personas["peer_supporter"])))
    episode = Episode.objects.get()
    end_episode(actor=person, episode=episode, ended_on=episode.started_on)
    referrals.end_relationship(actor=person, referral=referral, reason="Finished")
    assert len(episode_events(AuditAction.EPISODE_ENDED)) == 1  # theirs, not a second one


def test_an_episode_still_open_with_the_same_supporter_carries_on(personas: dict[str, Any]) -> None:
    person, peer = personas["help_seeker"], personas["peer_supporter"]
    profile = peer_profile(peer)
    earlier = active(ask_peer(person, profile))
    episode = Episode.objects.get()
    # The earlier relationship closed without ending its episode (as happened before episodes
    # followed referrals): a new one with the same supporter continues that episode.
    Referral.objects.filter(pk=earlier.pk).update(status="ended", closed_at=timezone.now())
    PeerSupporterProfile.objects.filter(pk=profile.pk).update(current_load=0)
    later = active(ask_peer(person, profile))
    assert Episode.objects.count() == 1
    assert ReferralEpisode.objects.get(referral=later).episode == episode
    assert len(episode_events(AuditAction.EPISODE_STARTED)) == 1


def test_nothing_is_kept_when_the_move_fails_after_the_episode_started(personas: dict[str, Any]) -> None:
    referral = ask_peer(personas["help_seeker"], peer_profile(personas["peer_supporter"]))
    with (
        mock.patch("carepath.referrals.services.referrals._tell_the_other_side", side_effect=RuntimeError),
        pytest.raises(RuntimeError),
    ):
        active(referral)
    assert Referral.objects.get(pk=referral.pk).status == "requested"
    assert not Episode.objects.exists() and not episode_events(AuditAction.EPISODE_STARTED)


def test_an_episode_ends_no_earlier_than_it_started(personas: dict[str, Any]) -> None:
    person = personas["help_seeker"]
    referral = active(ask_peer(person, peer_profile(personas["peer_supporter"])))
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    Episode.objects.update(started_on=tomorrow)  # clocks differ between machines
    referrals.end_relationship(actor=person, referral=referral, reason="Finished")
    assert Episode.objects.get().ended_on == tomorrow
