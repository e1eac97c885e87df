"""Matching over HTTP: the suggest API (who may ask, 422 naming the field, nothing private in the
answer, listed in OpenAPI) and the pages (wishes and suggestions, a supporter's own profile)."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from django.test import Client

from carepath.audit.models import AuditAction, AuditEvent
from carepath.matching import services
from carepath.matching.models import MatchingWishes, PeerSupporterProfile
from tests.sign_in import sign_in

pytestmark = pytest.mark.django_db

SUGGEST = "/api/v1/matches/suggest"
PRIVATE_PLACE = {"latitude": 51.5211, "longitude": -0.1022}
WISHES = {
    "languages": ["en"],
    "topics": ["bereavement", "anxiety"],
    "availability": [{"days": ["TU"], "from": "18:00", "to": "20:00"}],
    "utc_offset": "+01:00",
    "modalities": ["online"],
}


def signed_in(client: Client, account: Any) -> Client:
    sign_in(client, account)
    return client


def post_json(client: Client, body: Any, url: str = SUGGEST) -> Any:
    return client.post(url, data=json.dumps(body), content_type="application/json")


def make_supporter(make_account: Any, name: str, **changes: Any) -> PeerSupporterProfile:
    account = make_account(name.lower(), "peer_supporter", display_name=name)
    data = {
        "languages": ["en"],
        "topics": ["bereavement"],
        "availability": [{"days": ["TU", "TH"], "from": "17:00", "to": "21:00"}],
        "utc_offset": "+01:00",
        "modalities": ["online", "in_person"],
        "location": PRIVATE_PLACE,
        "capacity": 2,
        "experience": "I lost my mother and learned to live with grief",
        "supervisor_name": "Secret Supervisor",
        "training": "Hidden training course",
        **changes,
    }
    return services.save_supporter_profile(actor=account, owner=account, data=data, today=dt.date(2026, 3, 1))


@pytest.fixture
def supporters(make_account: Any) -> list[PeerSupporterProfile]:
    return [
        make_supporter(make_account, "Robin", shared_identity="A father of two"),
        make_supporter(make_account, "Ash", topics=["anxiety", "bereavement"]),
        make_supporter(make_account, "Noor", languages=["ar"]),
        make_supporter(make_account, "Full", current_load=2),
    ]


# --- the API -----------------------------------------------------------------------------------


def test_suggest_returns_ranked_supporters_with_reasons_and_what_was_left_out(
    client: Client, personas: dict[str, Any], supporters: list[PeerSupporterProfile]
) -> None:
    response = post_json(signed_in(client, personas["help_seeker"]), WISHES)
    assert response.status_code == 200
    body = response.json()
    names = [item["display_name"] for item in body["suggestions"]]
    assert names == ["Ash", "Robin"]  # Ash shares both topics
    first = body["suggestions"][0]
    assert first["supporter"] == str(supporters[1].pk) and 0 < first["score"] <= 1
    assert first["reasons"][0] == "You both have lived experience of anxiety and bereavement and grief"
    assert first["shared_topics"] == ["anxiety", "bereavement"]
    left = {item["reason"]: item["sentence"] for item in body["left_out"]}
    assert left == {
        "FULL": "1 has no free places at the moment",
        "LANGUAGE": "1 speaks none of your languages",
    }
    assert body["considered"] == 4
    assert not MatchingWishes.objects.exists()  # wishes in the body are used, not stored


def test_suggest_never_returns_private_fields(
    client: Client, personas: dict[str, Any], supporters: list[PeerSupporterProfile]
) -> None:
    near = {**WISHES, "modalities": ["in_person"], "location": {"latitude": 51.52, "longitude": -0.10}}
    body = post_json(signed_in(client, personas["help_seeker"]), near).json()
    text = json.dumps(body)
    for secret in ("51.5211", "latitude", "Secret Supervisor", "Hidden training", "current_load", "capacity"):
        assert secret not in text
    robin = next(item for item in body["suggestions"] if item["display_name"] == "Robin")
    ash = next(item for item in body["suggestions"] if item["display_name"] == "Ash")
    assert robin["shared_identity"] == "A father of two" and ash["shared_identity"] is None
    assert any(re.fullmatch(r"(About \d+ km|Less than 1 km) from you", reason) for reason in robin["reasons"])
    assert set(robin) == {
        "supporter", "display_name", "score", "reasons", "shared_topics", "languages", "modalities",
        "experience", "shared_identity", "certification", "confidentiality_statement",
    }  # fmt: skip


def test_an_empty_body_uses_the_saved_wishes(
    client: Client, personas: dict[str, Any], supporters: list[PeerSupporterProfile]
) -> None:
    seeker = personas["help_seeker"]
    signed_in(client, seeker)
    refused = client.post(SUGGEST, data="", content_type="application/json")
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "languages"
    excluded = str(supporters[1].pk)
    services.save_matching_wishes(
        actor=seeker, person=seeker, data={**WISHES, "excluded_supporters": [excluded]}
    )
    for body in ("", "{}", json.dumps({"limit": 1})):
        answer = client.post(SUGGEST, data=body, content_type="application/json").json()
        assert [item["display_name"] for item in answer["suggestions"]] == ["Robin"]
    answer = post_json(client, {}).json()
    assert {
        "reason": "REQUESTED",
        "count": 1,
        "sentence": "1 is someone you asked not to be matched with",
    } in answer["left_out"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**WISHES, "topics": ["anxeity"]}, "topics[0]"),
        ({**WISHES, "languages": "en"}, "languages"),
        ({**WISHES, "utc_offset": "one hour"}, "utc_offset"),
        ({**WISHES, "availability": [{"days": ["TU"], "from": "18:00"}]}, "availability[0]"),
        ({**WISHES, "modalities": ["telepathy"]}, "modalities[0]"),
        ({**WISHES, "max_distance_km": -3}, "max_distance_km"),
        ({**WISHES, "excluded_supporters": ["99999"]}, "excluded_supporters[0]"),
        ({**WISHES, "location": {"latitude": "north"}}, "location.latitude"),
        ({**WISHES, "limit": 51}, "limit"),
        ({**WISHES, "limit": 0}, "limit"),
        ({**WISHES, "limit": "ten"}, "limit"),
    ],
)
def test_bad_wishes_get_422_naming_the_field(
    client: Client, personas: dict[str, Any], body: dict[str, Any], field: str
) -> None:
    response = post_json(signed_in(client, personas["help_seeker"]), body)
    assert response.status_code == 422
    problem = response.json()
    assert problem["errors"][0]["field"] == field and problem["detail"].startswith(field)


def test_only_signed_in_help_seekers_may_ask(client: Client, personas: dict[str, Any]) -> None:
    assert post_json(client, WISHES).status_code == 401
    for role in ("peer_supporter", "professional", "coordinator"):
        response = post_json(signed_in(Client(), personas[role]), WISHES)
        assert response.status_code == 403, role
        assert "detail" in response.json()


def test_the_api_needs_the_csrf_token_with_a_session(personas: dict[str, Any]) -> None:
    strict = signed_in(Client(enforce_csrf_checks=True), personas["help_seeker"])
    assert post_json(strict, WISHES).status_code == 403


def test_openapi_lists_suggest(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/matches/suggest"]["post"]
    assert "reasons in words" in operation["summary"]
    assert "matching" in operation["tags"]


# --- the matches page ---------------------------------------------------------------------------


def page_form(**changes: Any) -> dict[str, Any]:
    form: dict[str, Any] = {
        "topics": ["bereavement"],
        "languages": ["en"],
        "days": ["TU"],
        "time_from": "18:00",
        "time_to": "20:00",
        "utc_offset": "+01:00",
        "modalities": ["online"],
        "experience": "",
        "stated_preferences": "",
    }
    form.update(changes)
    return form


def test_a_person_states_wishes_and_sees_suggestions_with_reasons(
    client: Client, personas: dict[str, Any], supporters: list[PeerSupporterProfile]
) -> None:
    seeker = personas["help_seeker"]
    signed_in(client, seeker)
    empty = client.get("/matches/").content.decode()
    assert "Find a peer supporter" in empty and "Suggested for you" not in empty
    assert "<legend>Experiences you would like your supporter to have lived through</legend>" in empty
    response = client.post("/matches/", page_form())
    assert response.status_code == 302 and response["Location"] == "/matches/"
    page = client.get("/matches/").content.decode()
    assert "Suggested for you" in page and "Your wishes are saved." in page
    assert "You both have lived experience of bereavement and grief" in page
    assert "1 has no free places at the moment" in page
    assert "Secret Supervisor" not in page and "51.52" not in page
    wishes = MatchingWishes.objects.get(person=seeker)
    assert wishes.hours == [{"days": ["TU"], "from": "18:00", "to": "20:00"}]
    assert AuditEvent.objects.filter(action=AuditAction.MATCHING_WISHES_SAVED).count() == 1
    assert re.search(r'<input[^>]*value="TU"[^>]*checked', page)  # the form shows the saved days


def test_saving_on_the_page_keeps_what_the_page_does_not_ask(
    client: Client, personas: dict[str, Any], supporters: list[PeerSupporterProfile]
) -> None:
    seeker = personas["help_seeker"]
    excluded = str(supporters[0].pk)
    services.save_matching_wishes(
        actor=seeker, person=seeker, data={**WISHES, "excluded_supporters": [excluded], "max_distance_km": 3}
    )
    assert signed_in(client, seeker).post("/matches/", page_form()).status_code == 302
    wishes = MatchingWishes.objects.get(person=seeker)
    assert wishes.excluded_supporters == [excluded] and wishes.max_distance_km == 3
    assert wishes.topics == ["bereavement"]


def test_problems_are_listed_and_linked_to_their_fields(client: Client, personas: dict[str, Any]) -> None:
    signed_in(client, personas["help_seeker"])
    response = client.post("/matches/", page_form(languages=[], time_from=""))
    assert response.status_code == 400
    page = response.content.decode()
    assert '<a href="#id_languages_0">Languages you can talk in: Choose at least one language.</a>' in page
    assert '<a href="#id_time_from">Free from (your time): Enter the times you are free.</a>' in page
    assert 'id="id_languages_0"' in page and 'aria-invalid="true"' in page
    assert not MatchingWishes.objects.exists()


def test_the_matches_page_is_for_signed_in_help_seekers(client: Client, personas: dict[str, Any]) -> None:
    response = client.get("/matches/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    for role in ("peer_supporter", "professional", "coordinator"):
        assert signed_in(Client(), personas[role]).get("/matches/").status_code == 403


def test_the_forms_need_the_csrf_token(personas: dict[str, Any]) -> None:
    strict = signed_in(Client(enforce_csrf_checks=True), personas["help_seeker"])
    assert strict.post("/matches/", page_form()).status_code == 403
    peer = signed_in(Client(enforce_csrf_checks=True), personas["peer_supporter"])
    assert peer.post("/supporter/profile/", {}).status_code == 403
    assert not MatchingWishes.objects.exists() and not PeerSupporterProfile.objects.exists()


# --- the supporter profile page ----------------------------------------------------------------


def profile_form(**changes: Any) -> dict[str, Any]:
    form: dict[str, Any] = {
        "topics": ["anxiety", "loneliness"],
        "experience": "Years of panic attacks, and what helped",
        "shared_identity": "",
        "languages": ["en", "cy"],
        "modalities": ["online", "phone"],
        "days": ["MO", "WE"],
        "time_from": "19:00",
        "time_to": "21:30",
        "utc_offset": "+00:00",
        "capacity": "3",
        "current_load": "0",
        "active": "on",
        "training": "Peer support course",
        "trained_on": "2025-05-01",
        "certification": "",
        "certified_on": "",
        "supervisor_name": "Jo",
        "confidentiality_statement": "Private unless someone is at risk.",
        "service_id": "",
    }
    form.update(changes)
    return form


def test_a_supporter_edits_their_own_profile(client: Client, personas: dict[str, Any]) -> None:
    peer = personas["peer_supporter"]
    signed_in(client, peer)
    first = client.get("/supporter/profile/").content.decode()
    assert "<legend>Training and supervision</legend>" in first
    response = client.post("/supporter/profile/", profile_form())
    assert response.status_code == 302 and response["Location"] == "/supporter/profile/"
    profile = PeerSupporterProfile.objects.get(user=peer)
    assert profile.languages == ["en", "cy"] and profile.availability[0] == [1140, 1290]
    page = client.get("/supporter/profile/").content.decode()
    assert "Your profile is saved." in page and "Years of panic attacks" in page
    assert client.get(f"/supporter/profiles/{profile.pk}/").status_code == 200


def test_profile_problems_name_the_field(client: Client, personas: dict[str, Any]) -> None:
    signed_in(client, personas["peer_supporter"])
    response = client.post("/supporter/profile/", profile_form(current_load="5", trained_on="2099-01-01"))
    page = response.content.decode()
    assert response.status_code == 400
    assert '<a href="#id_current_load">' in page and "Cannot be more than" in page
    response = client.post("/supporter/profile/", profile_form(trained_on="2099-01-01"))
    assert response.status_code == 400 and '<a href="#id_trained_on">' in response.content.decode()
    assert "Cannot be in the future." in response.content.decode()
    assert not PeerSupporterProfile.objects.exists()


def test_someone_elses_profile_is_not_found_and_the_edit_page_is_for_supporters(
    client: Client, personas: dict[str, Any], make_account: Any
) -> None:
    profile = make_supporter(make_account, "Robin")
    for role in ("help_seeker", "peer_supporter", "professional"):
        assert (
            signed_in(Client(), personas[role]).get(f"/supporter/profiles/{profile.pk}/").status_code == 404
        )
    coordinator_view = signed_in(Client(), personas["coordinator"]).get(f"/supporter/profiles/{profile.pk}/")
    assert coordinator_view.status_code == 200 and "Secret Supervisor" in coordinator_view.content.decode()
    for role in ("help_seeker", "professional", "coordinator"):
        assert signed_in(Client(), personas[role]).get("/supporter/profile/").status_code == 403
    assert client.get("/supporter/profile/").status_code == 302
