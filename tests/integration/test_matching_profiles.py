"""Matching profiles against a real database: saving, refusals that name the field, audit, rows
read back as the core's `Supporter` and `Seeker`, and who may change what."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from carepath import policy
from carepath.audit.models import AuditAction, AuditEvent
from carepath.errors import FieldProblem, NotPermitted
from carepath.matching import selectors, services
from carepath.matching.models import MatchingWishes, PeerSupporterProfile, ProfessionalProfile
from carepath.matching.suggestions import suggestions_for
from carepath_core.matching import Modality, Seeker, Supporter, WeeklyWindow, local_windows
from carepath_core.search.geo import Point

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 31)
EVENINGS = [{"days": ["TU", "TH"], "from": "18:00", "to": "21:00"}]


def supporter_data(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "languages": ["en", "pl"],
        "topics": ["anxiety", "bereavement"],
        "availability": EVENINGS,
        "utc_offset": "+01:00",
        "modalities": ["online", "in_person"],
        "location": {"latitude": 51.52, "longitude": -0.10},
        "experience": "After my father died I could not sleep for months",
        "shared_identity": "Polish, in my forties",
        "capacity": 3,
        "current_load": 1,
        "training": "Peer support foundation course",
        "trained_on": "2025-06-01",
        "certification": "Certified peer supporter",
        "certified_on": dt.date(2025, 9, 1),
        "supervisor_name": "Jo Reed",
        "confidentiality_statement": "What you tell me stays between us unless someone is in danger.",
    }
    data.update(changes)
    return data


def wishes_data(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "languages": ["pl", "en"],
        "topics": ["bereavement"],
        "availability": [{"days": ["TU"], "from": "18:00", "to": "20:00"}],
        "utc_offset": "+01:00",
        "modalities": ["online"],
        "experience": "I lost my father last year and cannot sleep",
        "stated_preferences": "Someone older than me",
    }
    data.update(changes)
    return data


@pytest.fixture
def peer(personas: dict[str, Any]) -> Any:
    return personas["peer_supporter"]


@pytest.fixture
def seeker(personas: dict[str, Any]) -> Any:
    return personas["help_seeker"]


@pytest.fixture
def profile(peer: Any) -> PeerSupporterProfile:
    return services.save_supporter_profile(actor=peer, owner=peer, data=supporter_data(), today=TODAY)


# --- peer supporter profiles -------------------------------------------------------------------


def test_a_supporter_saves_their_profile_with_hours_in_utc_and_an_audit_event(
    peer: Any, profile: PeerSupporterProfile
) -> None:
    profile.refresh_from_db()
    assert profile.user == peer and profile.topics == ["anxiety", "bereavement"]
    # Tuesday 18:00 at +01:00 is Tuesday 17:00 UTC: minute 1440 + 1020.
    assert profile.availability == [
        [w.start, w.end] for w in local_windows(["TU", "TH"], "18:00", "21:00", 60)
    ]
    assert profile.availability[0] == [2460, 2640]
    assert profile.hours == EVENINGS and profile.utc_offset == "+01:00"
    assert profile.trained_on == dt.date(2025, 6, 1) and profile.certified_on == dt.date(2025, 9, 1)
    event = AuditEvent.objects.get(action=AuditAction.SUPPORTER_PROFILE_SAVED)
    assert event.actor == peer and event.subject_id == str(profile.pk)
    assert event.details["created"] is True and "topics" in event.details["fields"]
    assert "anxiety" not in str(event.details)  # field names only, never what the person wrote


def test_saving_again_updates_the_one_profile(peer: Any, profile: PeerSupporterProfile) -> None:
    services.save_supporter_profile(actor=peer, owner=peer, data=supporter_data(capacity=5), today=TODAY)
    assert PeerSupporterProfile.objects.get().capacity == 5
    assert AuditEvent.objects.filter(action=AuditAction.SUPPORTER_PROFILE_SAVED).count() == 2


@pytest.mark.parametrize(
    ("changes", "field", "problem"),
    [
        ({"topics": ["anxeity"]}, "topics[0]", "not a known lived-experience topic"),
        ({"languages": []}, "languages", "at least one"),
        ({"languages": ["English"]}, "languages[0]", "not a language code"),
        ({"modalities": ["carrier pigeon"]}, "modalities[0]", "is not one of"),
        ({"availability": [{"days": ["XX"], "from": "18:00", "to": "20:00"}]}, "availability[0]", "day code"),
        ({"availability": [{"days": ["MO"], "from": "25:00", "to": "26:00"}]}, "availability[0]", "time"),
        ({"utc_offset": "+25:00"}, "utc_offset", "further from UTC"),
        ({"capacity": -1}, "capacity", "negative"),
        ({"capacity": 500}, "capacity", "50 or fewer"),
        ({"current_load": 4}, "current_load", "capacity"),
        ({"location": {"latitude": 100, "longitude": 0}}, "location", "not a place on Earth"),
        ({"trained_on": "2099-01-01"}, "trained_on", "future"),
        ({"certified_on": "1 May"}, "certified_on", "not a date"),
        ({"service_id": "no-such-service"}, "service_id", "no service"),
        ({"max_distance_km": 0}, "max_distance_km", "more than 0"),
        ({"supervisor_name": "x" * 121}, "supervisor_name", "keep it to 120"),
        ({"active": "yes"}, "active", "true or false"),
        ({"langauges": ["en"]}, "langauges", "is not a field"),
    ],
)
def test_bad_profiles_are_refused_naming_the_field_and_nothing_is_written(
    peer: Any, changes: dict[str, Any], field: str, problem: str
) -> None:
    with pytest.raises(FieldProblem) as refused:
        services.save_supporter_profile(actor=peer, owner=peer, data=supporter_data(**changes), today=TODAY)
    assert refused.value.field == field and problem in refused.value.problem
    assert not PeerSupporterProfile.objects.exists() and not AuditEvent.objects.exists()


def test_only_the_supporter_themself_may_change_their_profile(personas: dict[str, Any], peer: Any) -> None:
    for role in ("help_seeker", "professional", "coordinator"):
        with pytest.raises(NotPermitted):
            services.save_supporter_profile(actor=personas[role], owner=peer, data=supporter_data())
    with pytest.raises(NotPermitted):  # a help-seeker cannot make themself a supporter
        services.save_supporter_profile(
            actor=personas["help_seeker"], owner=personas["help_seeker"], data=supporter_data()
        )
    assert not PeerSupporterProfile.objects.exists()


# --- professionals ------------------------------------------------------------------------------


def test_a_professional_saves_their_licence_cost_and_hours(personas: dict[str, Any]) -> None:
    pro = personas["professional"]
    data = {
        "licence_type": "Counselling psychologist",
        "licence_body": "Health and Care Professions Council",
        "licence_number": "PYL12345",
        "modalities": ["in_person", "online"],
        "cost": "60 per session; sliding scale from 20",
        "insurance": "Most major insurers",
        "languages": ["en"],
        "availability": [{"days": ["MO", "WE"], "from": "09:00", "to": "17:00"}],
        "capacity": 12,
    }
    profile = services.save_professional_profile(actor=pro, owner=pro, data=data)
    assert ProfessionalProfile.objects.get() == profile and profile.licence_number == "PYL12345"
    assert AuditEvent.objects.filter(action=AuditAction.PROFESSIONAL_PROFILE_SAVED).count() == 1
    with pytest.raises(FieldProblem, match="topics"):
        services.save_professional_profile(actor=pro, owner=pro, data={**data, "topics": ["anxiety"]})
    with pytest.raises(NotPermitted):
        services.save_professional_profile(actor=personas["peer_supporter"], owner=pro, data=data)


# --- wishes -------------------------------------------------------------------------------------


def test_a_person_states_their_wishes_and_can_exclude_a_supporter(
    seeker: Any, profile: PeerSupporterProfile
) -> None:
    wishes = services.save_matching_wishes(
        actor=seeker, person=seeker, data=wishes_data(excluded_supporters=[profile.pk])
    )
    assert MatchingWishes.objects.get() == wishes and wishes.excluded_supporters == [str(profile.pk)]
    assert wishes.stated_preferences == "Someone older than me"
    assert AuditEvent.objects.filter(action=AuditAction.MATCHING_WISHES_SAVED, actor=seeker).count() == 1


def test_wishes_are_refused_naming_the_field(seeker: Any) -> None:
    with pytest.raises(FieldProblem) as refused:
        services.save_matching_wishes(
            actor=seeker, person=seeker, data=wishes_data(excluded_supporters=[999])
        )
    assert refused.value.field == "excluded_supporters[0]" and "no supporter" in refused.value.problem
    with pytest.raises(FieldProblem) as refused:
        services.save_matching_wishes(actor=seeker, person=seeker, data=wishes_data(topics=["x"]))
    assert refused.value.field == "topics[0]"
    assert not MatchingWishes.objects.exists()


def test_nobody_states_wishes_for_someone_else(personas: dict[str, Any], seeker: Any) -> None:
    for role in ("other_help_seeker", "peer_supporter", "professional", "coordinator"):
        with pytest.raises(NotPermitted):
            services.save_matching_wishes(actor=personas[role], person=seeker, data=wishes_data())
    assert not MatchingWishes.objects.exists()


# --- selectors: rows as core objects ------------------------------------------------------------


def test_active_profiles_become_core_supporters(peer: Any, profile: PeerSupporterProfile) -> None:
    [supporter] = selectors.active_supporters()
    assert supporter == Supporter(
        id=str(profile.pk),
        languages=("en", "pl"),
        capacity=3,
        current_load=1,
        topics=frozenset({"anxiety", "bereavement"}),
        availability=(WeeklyWindow(2460, 2640), WeeklyWindow(5340, 5520)),
        modalities=frozenset({Modality.ONLINE, Modality.IN_PERSON}),
        location=Point(51.52, -0.10),
        experience="After my father died I could not sleep for months",
    )
    profile.active = False
    profile.save()
    assert selectors.active_supporters() == []
    profile.active = True
    profile.save()
    peer.role = "help_seeker"  # no longer a peer supporter: out of matching, profile kept
    peer.save()
    assert selectors.active_supporters() == []


def test_wishes_become_a_core_seeker(seeker: Any, profile: PeerSupporterProfile) -> None:
    wishes = services.save_matching_wishes(
        actor=seeker,
        person=seeker,
        data=wishes_data(excluded_supporters=[str(profile.pk)], max_distance_km=5),
    )
    assert selectors.as_seeker(wishes) == Seeker(
        id=f"person-{seeker.pk}",
        languages=("pl", "en"),
        topics=frozenset({"bereavement"}),
        availability=(WeeklyWindow(2460, 2580),),
        modalities=frozenset({Modality.ONLINE}),
        max_distance_km=5.0,
        excluded_supporter_ids=frozenset({str(profile.pk)}),
        experience="I lost my father last year and cannot sleep",
        utc_offset_minutes=60,
    )
    assert selectors.offset_minutes("-05:30") == -330


def test_suggestions_come_from_stored_profiles_with_reasons_and_the_left_out_counted(
    make_account: Any, seeker: Any, profile: PeerSupporterProfile
) -> None:
    other = make_account("peer-2", "peer_supporter", display_name="Kai")
    services.save_supporter_profile(
        actor=other, owner=other, data=supporter_data(languages=["es"], shared_identity=""), today=TODAY
    )
    wishes = services.save_matching_wishes(actor=seeker, person=seeker, data=wishes_data())
    found = suggestions_for(selectors.as_seeker(wishes))
    [only] = found.supporters
    assert only.supporter == str(profile.pk) and only.shared_topics == ["bereavement"]
    assert only.reasons[0] == "You both have lived experience of bereavement and grief"
    assert only.shared_identity == "Polish, in my forties"
    assert [(left.reason, left.count) for left in found.left_out] == [("LANGUAGE", 1)]
    assert found.left_out[0].sentence == "1 speaks none of your languages"
    assert found.considered == 2


# --- policy -------------------------------------------------------------------------------------


def test_profile_policy(personas: dict[str, Any]) -> None:
    peer, seeker = personas["peer_supporter"], personas["help_seeker"]
    coordinator = personas["coordinator"]
    assert policy.can_edit_supporter_profile(peer, peer)
    assert not policy.can_edit_supporter_profile(coordinator, peer)
    assert policy.can_view_supporter_profile(coordinator, peer)
    assert not policy.can_view_supporter_profile(seeker, peer)
    assert policy.can_keep_matching_wishes(seeker, seeker)
    assert not policy.can_keep_matching_wishes(seeker, personas["other_help_seeker"])
    assert policy.can_ask_for_matches(seeker) and not policy.can_ask_for_matches(peer)


# --- demo supporters ----------------------------------------------------------------------------


def test_demo_supporters_give_the_demo_seeker_real_suggestions(capsys: pytest.CaptureFixture[str]) -> None:
    from django.core.management import call_command

    from carepath.accounts.models import User
    from carepath.demo.services import load_demo_data
    from carepath.demo.supporters_generator import demo_supporters

    load_demo_data()
    call_command("demo-supporters", "--count", "40", "--seed", "1")
    call_command("demo-supporters", "--if-empty")
    assert "not loaded again" in capsys.readouterr().out
    assert PeerSupporterProfile.objects.count() == 40
    assert [s.profile for s in demo_supporters(40, 1)] == [s.profile for s in demo_supporters(40, 1)]
    assert [s.profile for s in demo_supporters(5, 2)] != [s.profile for s in demo_supporters(5, 1)]
    sam = User.objects.get(username="demo-seeker")
    wishes = services.save_matching_wishes(
        actor=sam,
        person=sam,
        data={
            "languages": ["en"],
            "topics": ["anxiety", "loneliness"],
            "availability": [{"days": ["MO", "TU", "WE", "TH"], "from": "18:00", "to": "21:00"}],
            "modalities": ["online"],
        },
    )
    found = suggestions_for(selectors.as_seeker(wishes))
    assert len(found.supporters) == 10
    assert any("lived experience of anxiety" in s.reasons[0] for s in found.supporters)
    assert {left.reason for left in found.left_out} >= {"FULL", "LANGUAGE"}
    assert AuditEvent.objects.filter(action=AuditAction.DEMO_LOADED, subject_type="matching").count() == 1
