"""Referral pages through the test client: who may open what (404 for unrelated people), CSRF,
errors beside the field they name, the hand-off consent page, notices and the header count."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from carepath.audit.models import AuditAction, AuditEvent
from carepath.matching import services as matching_services
from carepath.referrals.models import HandOff, Notification, Referral
from carepath.referrals.services import contacts, hand_offs
from tests.referral_setup import (
    active,
    ask_peer,
    keep_check_in,
    keep_plan,
    peer_profile,
    professional_profile,
)
from tests.sign_in import sign_in

pytestmark = pytest.mark.django_db


def as_user(account: Any, *, csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    sign_in(client, account)
    return client


@pytest.fixture
def world(personas: dict[str, Any]) -> dict[str, Any]:
    seeker = personas["help_seeker"]
    keep_check_in(seeker)
    keep_plan(seeker)
    peer = peer_profile(personas["peer_supporter"], capacity=1)
    pro = professional_profile(personas["professional"])
    return {"seeker": seeker, "peer": peer, "pro": pro, "relationship": active(ask_peer(seeker, peer))}


def page(client: Client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def test_pages_need_a_login_and_the_right_role(personas: dict[str, Any]) -> None:
    for url in ("/support/", "/supporting/", "/notifications/"):
        response = Client().get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert as_user(personas["peer_supporter"]).get("/support/").status_code == 403
    assert as_user(personas["help_seeker"]).get("/supporting/").status_code == 403
    assert as_user(personas["coordinator"]).get("/supporting/").status_code == 403
    coordinator = as_user(personas["coordinator"])
    assert coordinator.get("/notifications/").status_code == 403  # coordinators get no notices
    assert "Notices" not in page(coordinator, "/home/")


@pytest.mark.parametrize("outsider", ["other_help_seeker", "professional", "coordinator"])
def test_unrelated_people_get_404(personas: dict[str, Any], world: dict[str, Any], outsider: str) -> None:
    hand_off = hand_offs.ask_for_hand_off(
        actor=personas["peer_supporter"],
        referral=world["relationship"],
        professional_id=world["pro"].pk,
        reason="r",
    )
    client = as_user(personas[outsider])
    pk = world["relationship"].pk
    for url in (
        f"/support/{pk}/",
        f"/supporting/{pk}/",
        f"/supporting/{pk}/shared/",
        f"/support/hand-offs/{hand_off.pk}/",
    ):
        assert client.get(url).status_code == 404, url
    for url in (f"/supporting/{pk}/accept/", f"/supporting/{pk}/contacts/", f"/support/{pk}/end/"):
        assert client.post(url, {"reason": "x"}).status_code == 404, url
    notice = Notification.objects.filter(recipient=personas["help_seeker"]).first()
    assert notice is not None
    assert client.post(f"/notifications/{notice.pk}/read/").status_code == 404


def test_the_peer_cannot_open_the_consent_screen(personas: dict[str, Any], world: dict[str, Any]) -> None:
    hand_off = hand_offs.ask_for_hand_off(
        actor=personas["peer_supporter"],
        referral=world["relationship"],
        professional_id=world["pro"].pk,
        reason="r",
    )
    assert as_user(personas["peer_supporter"]).get(f"/support/hand-offs/{hand_off.pk}/").status_code == 404


def test_forms_refuse_without_the_csrf_token(personas: dict[str, Any], world: dict[str, Any]) -> None:
    waiting = ask_peer(personas["other_help_seeker"], world["peer"])
    strict = as_user(personas["peer_supporter"], csrf=True)
    assert strict.post(f"/supporting/{waiting.pk}/accept/").status_code == 403
    assert Referral.objects.get(pk=waiting.pk).status == "requested"
    assert (
        as_user(personas["help_seeker"], csrf=True).post("/support/ask/", {"kind": "peer"}).status_code == 403
    )


def test_asking_from_the_matches_page_and_seeing_it_asked(
    personas: dict[str, Any], make_account: Any
) -> None:
    seeker = personas["other_help_seeker"]
    supporter = make_account("robin", "peer_supporter", display_name="Robin")
    profile = matching_services.save_supporter_profile(
        actor=supporter,
        owner=supporter,
        data={
            "languages": ["en"], "topics": ["anxiety"], "modalities": ["online"], "capacity": 2,
            "availability": [{"days": ["TU"], "from": "18:00", "to": "21:00"}], "utc_offset": "+00:00",
        },
    )  # fmt: skip
    matching_services.save_matching_wishes(
        actor=seeker,
        person=seeker,
        data={
            "languages": ["en"], "topics": ["anxiety"], "modalities": ["online"],
            "availability": [{"days": ["TU"], "from": "18:00", "to": "21:00"}], "utc_offset": "+00:00",
        },
    )  # fmt: skip
    client = as_user(seeker)
    matches = page(client, "/matches/")
    assert "Ask Robin to get in touch" in matches and f'name="profile" value="{profile.pk}"' in matches
    # Two steps: the button opens the confidentiality notice; its confirm button sends the request.
    notice = page(client, f"/support/ask/?kind=peer&profile={profile.pk}")
    assert 'name="confirm" value="read"' in notice and not Referral.objects.filter(person=seeker).exists()
    response = client.post("/support/ask/", {"kind": "peer", "profile": str(profile.pk), "confirm": "read"})
    referral = Referral.objects.get(person=seeker)
    assert response.status_code == 302 and response["Location"] == f"/support/{referral.pk}/"
    after = page(client, "/matches/")
    assert "You asked Robin to get in touch" in after and "Ask Robin to get in touch" not in after
    again = client.post("/support/ask/", {"kind": "peer", "profile": str(profile.pk), "confirm": "read"})
    assert again.status_code == 400 and "You have already asked them" in again.content.decode()


def test_a_full_supporter_sees_why_accepting_was_refused(
    personas: dict[str, Any], world: dict[str, Any]
) -> None:
    waiting = ask_peer(personas["other_help_seeker"], world["peer"])
    response = as_user(personas["peer_supporter"]).post(f"/supporting/{waiting.pk}/accept/")
    body = response.content.decode()
    assert response.status_code == 400 and 'role="alert"' in body
    assert "You already support 1 of the 1 people your profile allows" in body


def test_contact_errors_sit_beside_the_field_they_name(
    personas: dict[str, Any], world: dict[str, Any]
) -> None:
    client = as_user(personas["peer_supporter"])
    url = f"/supporting/{world['relationship'].pk}/contacts/"
    response = client.post(url, {"happened_on": "2999-01-01", "channel": "phone", "minutes": "20"})
    body = response.content.decode()
    assert response.status_code == 400 and "Cannot be in the future." in body
    assert 'id="id_happened_on_error"' in body and 'aria-invalid="true"' in body
    missing = client.post(url, {"channel": "phone"}).content.decode()
    assert "Give the date of the contact." in missing and "Give the length in minutes." in missing
    ok = client.post(
        url,
        {
            "happened_on": timezone.localdate().isoformat(),
            "channel": "phone",
            "minutes": "20",
            "note": "Walked",
        },
    )
    assert ok.status_code == 302
    assert "Walked" in page(client, f"/supporting/{world['relationship'].pk}/")
    assert "Walked" in page(
        as_user(personas["help_seeker"]), f"/support/{world['relationship'].pk}/"
    )  # peer notes


def test_ending_needs_a_reason(personas: dict[str, Any], world: dict[str, Any]) -> None:
    response = as_user(personas["help_seeker"]).post(
        f"/support/{world['relationship'].pk}/end/", {"end-reason": ""}
    )
    assert response.status_code == 400 and "Say why the relationship is ending." in response.content.decode()
    assert Referral.objects.get(pk=world["relationship"].pk).status == "active"


def test_the_hand_off_from_ask_to_consent_to_the_professional(
    personas: dict[str, Any], world: dict[str, Any]
) -> None:
    peer, seeker, pro = (as_user(personas[r]) for r in ("peer_supporter", "help_seeker", "professional"))
    detail = f"/supporting/{world['relationship'].pk}/"
    empty = peer.post(
        f"{detail}hand-off/", {"hand_off-professional": "", "hand_off-reason": ""}
    ).content.decode()
    assert "Choose a professional." in empty and "Say why you think a professional could help." in empty
    assert (
        peer.post(
            f"{detail}hand-off/",
            {"hand_off-professional": world["pro"].pk, "hand_off-reason": "Sleep is bad"},
        ).status_code
        == 302
    )
    hand_off = HandOff.objects.get()
    waiting_page = page(peer, detail)
    assert "Waiting for seeker" in waiting_page and "If you are worried about their safety" in waiting_page
    assert 'href="/find/"' in waiting_page and 'href="/crisis/"' in waiting_page

    consent = page(seeker, f"/support/hand-offs/{hand_off.pk}/")
    assert "Sleep is bad" in consent and "16 out of 27" in consent
    assert "I stop answering messages" in consent and "Written, not shared" in consent
    assert "07700" not in consent and "Tom" not in consent
    assert AuditEvent.objects.filter(action=AuditAction.HAND_OFF_CONSENT_VIEWED).count() == 1
    fingerprint = consent.split('name="fingerprint" value="')[1].split('"')[0]
    agreed = seeker.post(
        f"/support/hand-offs/{hand_off.pk}/", {"answer": "agree", "fingerprint": fingerprint}
    )
    assert agreed.status_code == 302
    referral = Referral.objects.get(kind="professional")
    assert page(pro, "/supporting/").count("Accept seeker") == 1
    pro_detail = page(pro, f"/supporting/{referral.pk}/")
    assert (
        "Handed on by peer" in pro_detail and f"/api/v1/referrals/{referral.pk}/service-request" in pro_detail
    )
    shared = page(pro, f"/supporting/{referral.pk}/shared/")
    assert "Sleep is bad" in shared and "I stop answering messages" in shared
    assert AuditEvent.objects.filter(
        action=AuditAction.HAND_OFF_SNAPSHOT_VIEWED, actor=personas["professional"]
    ).exists()
    assert page(peer, f"/supporting/{referral.pk}/", status=404)


def test_a_declined_hand_off_shows_crisis_help_and_the_directory(
    personas: dict[str, Any], world: dict[str, Any]
) -> None:
    hand_off = hand_offs.ask_for_hand_off(
        actor=personas["peer_supporter"],
        referral=world["relationship"],
        professional_id=world["pro"].pk,
        reason="r",
    )
    declined = as_user(personas["help_seeker"]).post(
        f"/support/hand-offs/{hand_off.pk}/", {"answer": "decline"}
    )
    assert declined.status_code == 302
    body = page(as_user(personas["peer_supporter"]), f"/supporting/{world['relationship'].pk}/")
    assert "chose not to be handed on" in body and "Nothing was shared." in body
    assert "If a life is in danger" in body and 'href="/find/"' in body


def test_peers_never_see_clinical_notes_or_their_count(
    personas: dict[str, Any], world: dict[str, Any]
) -> None:
    with_pro = active(
        Referral.objects.create(
            person=world["seeker"], supporter=personas["professional"], kind="professional"
        )
    )
    for n in range(3):
        contacts.log_contact(
            actor=personas["professional"],
            referral=with_pro,
            data={
                "happened_on": timezone.localdate(),
                "channel": "video",
                "minutes": 50,
                "note": f"Formulation {n}",
            },
        )
    peer = as_user(personas["peer_supporter"])
    for url in ("/supporting/", f"/supporting/{world['relationship'].pk}/", "/home/", "/notifications/"):
        body = page(peer, url)
        assert "Formulation" not in body and "Clinical note" not in body
    person_view = page(as_user(personas["help_seeker"]), f"/support/{with_pro.pk}/")
    assert "Formulation" not in person_view and "clinical notes are private" in person_view
    assert "Formulation 2" in page(as_user(personas["professional"]), f"/supporting/{with_pro.pk}/")


def test_notices_page_marks_read_and_the_header_counts_in_one_query(
    personas: dict[str, Any], world: dict[str, Any]
) -> None:
    seeker = as_user(personas["help_seeker"])
    assert "Notices (1 new)" in page(seeker, "/home/")  # "peer accepted your request"
    with CaptureQueriesContext(connection) as queries:
        page(seeker, "/home/")
    assert sum("referrals_notification" in q["sql"] for q in queries.captured_queries) == 1
    listing = page(seeker, "/notifications/")
    assert "peer accepted your request for contact." in listing
    notice = Notification.objects.get(recipient=personas["help_seeker"])
    assert seeker.post(f"/notifications/{notice.pk}/read/").status_code == 302
    after = page(seeker, "/home/")
    assert "Notices (1 new)" not in after and ">Notices</a>" in after
    anonymous = page(Client(), "/")
    assert "Notices" not in anonymous


def test_role_homes_link_the_new_pages_with_counts(personas: dict[str, Any], world: dict[str, Any]) -> None:
    assert 'href="/support/"' in page(as_user(personas["help_seeker"]), "/home/")
    assert "Supporting you now: 1" in page(as_user(personas["help_seeker"]), "/home/")
    peer_home = page(as_user(personas["peer_supporter"]), "/home/")
    assert 'href="/supporting/"' in peer_home and "Active relationships: 1" in peer_home
    assert 'href="/supporting/"' in page(as_user(personas["professional"]), "/home/")


def test_list_pages_ask_the_database_the_same_few_times_however_many_referrals(
    personas: dict[str, Any], make_account: Any
) -> None:
    peer = peer_profile(personas["peer_supporter"], capacity=50)
    seeker = personas["help_seeker"]
    professional_profile(personas["professional"])

    def queries(client: Client, url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            page(client, url)
        return len(captured)

    ask_peer(seeker, peer)
    few = (
        queries(as_user(personas["peer_supporter"]), "/supporting/"),
        queries(as_user(seeker), "/support/"),
    )
    for number in range(12):
        person = make_account(f"person{number}")
        referral = ask_peer(person, peer)
        if number % 2:
            active(referral)
    for number in range(4):
        professional_profile(make_account(f"pro{number}", "professional"))
    many = (
        queries(as_user(personas["peer_supporter"]), "/supporting/"),
        queries(as_user(seeker), "/support/"),
    )
    # Recording each listed referral's read (issue 8) adds a fixed five: savepoint, chain head,
    # one insert of all the events, head update, release.
    assert many == few and max(many) <= 15
