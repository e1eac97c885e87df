"""Sharing through the test client: "Who can see what" for the person, the supporter's page of what
is shared with them (404, never 403, for everything hidden; the very next load after a withdrawal
is 404), the API under /api/v1/sharing, and the confidentiality notice read before asking for contact."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from carepath.audit.models import AuditAction, AuditEvent
from carepath.referrals.models import Referral
from carepath.sharing import services
from carepath.sharing.models import SharingChoice
from carepath.sharing.recipients import RecipientKey
from tests.sharing_setup import CLINICAL_NOTE, HARBOUR_POLICY, PEER_NOTE, harbour_key, sharing_world
from tests.sign_in import signed_in_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas: dict[str, Any], make_account: Any) -> dict[str, Any]:
    return sharing_world(personas, make_account)


def share(world: dict[str, Any], viewer: str, scopes: list[str]) -> None:
    services.change_sharing(
        actor=world["person"], recipient=RecipientKey.account(world[viewer].pk), scopes=scopes
    )


def test_who_can_see_what_lists_each_recipient_with_nothing_ticked(world: dict[str, Any]) -> None:
    assert Client().get("/sharing/").status_code == 302  # to the log-in page
    for viewer in ("peer", "coordinator"):
        assert signed_in_client(world[viewer]).get("/sharing/").status_code == 403
    body = signed_in_client(world["person"]).get("/sharing/").content.decode()
    for name in ("Dana", "Lee", "Harbour", "Lighthouse"):
        assert f">{name}</h2>" in body
    assert f'value="account:{world["pro"].pk}"' in body and f'value="{harbour_key(world)}"' in body
    assert " checked" not in body and "You share nothing with anyone at the moment." in body


def test_ticking_saves_the_choice_and_unticking_everything_withdraws(world: dict[str, Any]) -> None:
    person = signed_in_client(world["person"])
    recipient = f"account:{world['pro'].pk}"
    response = person.post("/sharing/", {"recipient": recipient, "scopes": ["safety_plan", "notes"]})
    assert response.status_code == 302 and response["Location"].endswith(
        f"#recipient-account-{world['pro'].pk}"
    )
    assert SharingChoice.objects.get(recipient_account=world["pro"]).scopes == {"safety_plan", "notes"}
    assert 'value="safety_plan" id="share-2-safety_plan" checked' in person.get("/sharing/").content.decode()
    person.post("/sharing/", {"recipient": recipient})
    assert SharingChoice.objects.get(recipient_account=world["pro"]).scopes == frozenset()
    assert AuditEvent.objects.filter(action=AuditAction.SHARING_WITHDRAWN).count() == 1


def test_bad_choices_are_refused_with_the_field_named(world: dict[str, Any], make_account: Any) -> None:
    person = signed_in_client(world["person"])
    stranger = make_account("stranger", "professional")
    for data, words in (
        ({"recipient": "someone", "scopes": ["notes"]}, "Name a recipient as account:"),
        (
            {"recipient": f"account:{stranger.pk}", "scopes": ["notes"]},
            "only with someone you are in touch with",
        ),
        (
            {"recipient": f"account:{world['pro'].pk}", "scopes": ["diary"]},
            "diary is not something you can share",
        ),
        ({"scopes": ["notes"]}, "Choose who the choice is for."),
    ):
        response = person.post("/sharing/", data)
        assert response.status_code == 400 and words in response.content.decode(), data
    assert not SharingChoice.objects.exists()


def test_the_withdraw_all_button(world: dict[str, Any]) -> None:
    share(world, "peer", ["safety_plan"])
    share(world, "pro", ["notes"])
    person = signed_in_client(world["person"])
    assert "Stop sharing anything with anyone" in person.get("/sharing/").content.decode()
    assert person.get("/sharing/withdraw-all/").status_code == 405
    response = person.post("/sharing/withdraw-all/", follow=True)
    assert "You now share nothing with anyone." in response.content.decode()
    assert all(not row.scopes for row in SharingChoice.objects.all())
    assert signed_in_client(world["peer"]).post("/sharing/withdraw-all/").status_code == 403


def test_the_supporter_sees_only_what_is_shared_and_each_load_is_audited(world: dict[str, Any]) -> None:
    referral = world["referrals"]["peer"]
    url = f"/sharing/people/{referral.pk}/"
    peer = signed_in_client(world["peer"])
    assert peer.get(url).status_code == 404  # nothing shared yet
    assert "shares with you" not in peer.get(f"/supporting/{referral.pk}/").content.decode()
    share(world, "peer", ["safety_plan"])
    detail = peer.get(f"/supporting/{referral.pk}/").content.decode()
    assert f'href="{url}"' in detail and "(Safety plan)" in detail
    body = peer.get(url).content.decode()
    assert "I stop answering messages" in body and "Written, not shared" in body
    assert "Tom" not in body and "PHQ" not in body and "Peer notes" not in body
    assert AuditEvent.objects.filter(action=AuditAction.SHARED_RECORD_VIEWED).count() == 1


def test_withdrawal_holds_from_the_very_next_request(world: dict[str, Any]) -> None:
    url = f"/sharing/people/{world['referrals']['peer'].pk}/"
    peer, person = signed_in_client(world["peer"]), signed_in_client(world["person"])
    person.post("/sharing/", {"recipient": f"account:{world['peer'].pk}", "scopes": ["safety_plan"]})
    assert peer.get(url).status_code == 200
    person.post("/sharing/", {"recipient": f"account:{world['peer'].pk}"})
    assert peer.get(url).status_code == 404
    person.post("/sharing/", {"recipient": f"account:{world['peer'].pk}", "scopes": ["safety_plan"]})
    assert peer.get(url).status_code == 200
    person.post("/sharing/withdraw-all/")
    assert peer.get(url).status_code == 404


def test_hidden_pages_answer_404_not_403(world: dict[str, Any]) -> None:
    share(world, "peer", ["safety_plan", "notes", "contact_details", "screening_results"])
    referral = world["referrals"]["peer"]
    url = f"/sharing/people/{referral.pk}/"
    for viewer in ("pro", "member", "outsider", "coordinator", "other_person", "person"):
        assert signed_in_client(world[viewer]).get(url).status_code == 404, viewer
    assert signed_in_client(world["peer"]).get("/sharing/people/999999/").status_code == 404
    Referral.objects.filter(pk=referral.pk).update(status="ended")
    assert signed_in_client(world["peer"]).get(url).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.SHARED_RECORD_VIEWED).exists()


def test_a_professional_never_sees_clinical_notes_through_sharing(world: dict[str, Any]) -> None:
    share(world, "member", ["notes", "contact_details"])
    body = (
        signed_in_client(world["member"])
        .get(f"/sharing/people/{world['referrals']['member'].pk}/")
        .content.decode()
    )
    assert PEER_NOTE in body and CLINICAL_NOTE not in body
    assert "No email address on their account." in body


def test_the_referral_page_links_the_person_to_their_choices(world: dict[str, Any]) -> None:
    referral = world["referrals"]["pro"]
    body = signed_in_client(world["person"]).get(f"/support/{referral.pk}/").content.decode()
    assert f'href="/sharing/#recipient-account-{world["pro"].pk}"' in body
    assert 'href="/sharing/"' in signed_in_client(world["person"]).get("/support/").content.decode()


# --- The API -------------------------------------------------------------------------------------


def put(client: Client, body: dict[str, Any]) -> Any:
    return client.put("/api/v1/sharing", data=json.dumps(body), content_type="application/json")


def test_the_person_lists_and_changes_choices_through_the_api(world: dict[str, Any]) -> None:
    person = signed_in_client(world["person"])
    listed = person.get("/api/v1/sharing").json()
    assert {line["name"] for line in listed} == {"peer", "pro", "Dana", "Lee", "Harbour", "Lighthouse"}
    response = put(person, {"recipient": str(harbour_key(world)), "scopes": ["safety_plan"]})
    assert response.status_code == 200
    [harbour] = [
        line for line in response.json() if line["kind"] == "organisation" and line["name"] == "Harbour"
    ]
    assert harbour["scopes"] == ["safety_plan"] and harbour["members"] == ["Dana"]
    assert person.post("/api/v1/sharing/withdraw-all").json() == {"withdrawn": 1}


def test_the_api_names_the_bad_field_and_refuses_supporters(world: dict[str, Any]) -> None:
    person = signed_in_client(world["person"])
    bad = put(person, {"recipient": "nobody", "scopes": []})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "recipient"
    bad = put(person, {"recipient": f"account:{world['pro'].pk}", "scopes": ["diary"]})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "scopes"
    peer = signed_in_client(world["peer"])
    assert peer.get("/api/v1/sharing").status_code == 403
    assert put(peer, {"recipient": f"account:{world['pro'].pk}", "scopes": []}).status_code == 403
    assert Client().get("/api/v1/sharing").status_code == 401


def test_the_supporter_reads_what_is_shared_through_the_api(world: dict[str, Any]) -> None:
    url = f"/api/v1/sharing/people/{world['referrals']['pro'].pk}"
    pro = signed_in_client(world["pro"])
    assert pro.get(url).status_code == 404
    share(world, "pro", ["screening_results", "safety_plan"])
    body = pro.get(url).json()
    assert body["scopes"] == ["screening_results", "safety_plan"] and body["notes"] is None
    assert body["check_ins"][0]["total"] == 16 and body["contact_details"] is None
    steps = {step["step"]: step for step in body["safety_plan"]["steps"]}
    assert steps["people_to_ask"] == {**steps["people_to_ask"], "written": True, "text": None}
    # Shared check-in results open the check-in itself too, audited as any reading of it.
    check_in = pro.get(f"/api/v1/assessments/{body['check_ins'][0]['id']}")
    assert check_in.status_code == 200 and check_in.json()["total"] == 16
    for viewer in ("peer", "coordinator", "other_person"):
        assert signed_in_client(world[viewer]).get(url).status_code == 404, viewer
    share(world, "pro", [])
    assert pro.get(url).status_code == 404
    assert pro.get(f"/api/v1/assessments/{body['check_ins'][0]['id']}").status_code == 404


# --- Confidentiality before contact --------------------------------------------------------------


def test_asking_a_professional_shows_the_service_confidentiality_before_the_confirm_button(
    world: dict[str, Any], make_account: Any
) -> None:
    from tests.referral_setup import professional_profile

    world_service = world["member"].professional_profile.service
    newcomer = make_account("newcomer", "professional", display_name="Noor")
    profile = professional_profile(newcomer, service=world_service)
    person = signed_in_client(world["other_person"])
    listing = person.get("/support/").content.decode()
    at = listing.index(">Noor</p>")
    assert listing.index(HARBOUR_POLICY, at) < listing.index("Ask Noor to get in touch", at)
    page = person.get(f"/support/ask/?kind=professional&profile={profile.pk}")
    body = page.content.decode()
    assert page.status_code == 200 and "Before you ask Noor" in body
    for words in (HARBOUR_POLICY, "when someone&#x27;s life is at risk", "when a court orders it"):
        assert body.index(words) < body.index("I have read this: ask Noor to get in touch"), words
    assert not Referral.objects.filter(person=world["other_person"]).exists()  # reading asks nothing
    unconfirmed = person.post("/support/ask/", {"kind": "professional", "profile": profile.pk})
    assert unconfirmed.status_code == 200 and "Before you ask Noor" in unconfirmed.content.decode()
    assert not Referral.objects.filter(person=world["other_person"]).exists()
    confirmed = person.post(
        "/support/ask/", {"kind": "professional", "profile": profile.pk, "confirm": "read"}
    )
    assert confirmed.status_code == 302
    assert Referral.objects.get(person=world["other_person"]).supporter == newcomer


def test_without_a_linked_service_the_page_says_none_is_published(world: dict[str, Any]) -> None:
    peer_profile = world["peer"].peer_supporter_profile
    body = (
        signed_in_client(world["other_person"])
        .get(f"/support/ask/?kind=peer&profile={peer_profile.pk}")
        .content.decode()
    )
    assert "does not link a service in the directory, so no confidentiality policy" in body
    assert "They have not written a confidentiality statement yet." in body
    lighthouse = world["outsider"].peer_supporter_profile
    body = (
        signed_in_client(world["other_person"])
        .get(f"/support/ask/?kind=peer&profile={lighthouse.pk}")
        .content.decode()
    )
    assert "This service has not published a confidentiality policy." in body
    assert "has not published when it must share information" in body


def test_asking_for_someone_unknown_is_404(world: dict[str, Any]) -> None:
    person = signed_in_client(world["other_person"])
    for query in ("kind=peer&profile=999999", "kind=nurse&profile=1", "kind=peer", ""):
        assert person.get(f"/support/ask/?{query}").status_code == 404, query
    assert signed_in_client(world["peer"]).get("/support/ask/?kind=peer&profile=1").status_code == 403


def test_each_suggested_peer_card_shows_the_service_confidentiality_before_its_button(
    world: dict[str, Any], make_account: Any
) -> None:
    from carepath.matching import services as matching_services

    seeker = world["other_person"]
    hours = {"availability": [{"days": ["TU"], "from": "18:00", "to": "21:00"}], "utc_offset": "+00:00"}
    wishes = {"languages": ["en"], "topics": ["anxiety"], "modalities": ["online"], **hours}
    robin = make_account("robin", "peer_supporter", display_name="Robin")
    profile = matching_services.save_supporter_profile(
        actor=robin, owner=robin, data={**wishes, "capacity": 2}
    )
    profile.service = world["member"].professional_profile.service  # Harbour's service
    profile.save()
    matching_services.save_matching_wishes(actor=seeker, person=seeker, data=wishes)
    body = signed_in_client(seeker).get("/matches/").content.decode()
    card = body[body.index('id="supporter-' + str(profile.pk) + '"') :]
    assert (
        card.index(HARBOUR_POLICY)
        < card.index("to protect a child from harm")
        < card.index("Ask Robin to get in touch")
    )
    form = card[card.rindex("<form", 0, card.index("Ask Robin to get in touch")) :]
    assert form.startswith('<form method="get" action="/support/ask/"')
