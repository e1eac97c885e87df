"""A professional's own profile: the page (/professional/profile/) and the API
(`GET`/`PUT /api/v1/matching/professional-profile`): only professionals, their own profile,
refusals naming the field with nothing saved, audited saves, and listed in OpenAPI."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from carepath.audit.models import AuditAction, AuditEvent
from carepath.matching.models import ProfessionalProfile
from tests.sign_in import sign_in

pytestmark = pytest.mark.django_db

PAGE = "/professional/profile/"
API = "/api/v1/matching/professional-profile"
FORM = {
    "licence_type": "Clinical psychologist",
    "licence_body": "Health and Care Professions Council",
    "licence_number": "PYL01234",
    "languages": ["en", "pl"],
    "modalities": ["online", "in_person"],
    "days": ["MO", "WE"],
    "time_from": "09:00",
    "time_to": "17:00",
    "utc_offset": "+00:00",
    "cost": "£60 a session; sliding scale from £20",
    "insurance": "Bupa, AXA",
    "capacity": "12",
    "service_id": "",
    "active": "on",
}
BODY = {
    "licence_type": "Counsellor",
    "licence_body": "BACP",
    "licence_number": "123456",
    "modalities": ["phone"],
    "languages": ["en"],
    "availability": [{"days": ["TU"], "from": "18:00", "to": "20:00"}],
    "utc_offset": "+01:00",
    "cost": "Free through the service",
    "capacity": 5,
}


def as_user(client: Client, account: Any) -> Client:
    sign_in(client, account)
    return client


def put(client: Client, body: Any) -> Any:
    return client.put(API, data=json.dumps(body), content_type="application/json")


def test_a_professional_fills_in_their_profile_on_the_page(client: Client, personas: dict[str, Any]) -> None:
    pro = personas["professional"]
    as_user(client, pro)
    empty = client.get(PAGE)
    assert empty.status_code == 200 and "Your professional profile" in empty.content.decode()
    assert 'name="topics"' not in empty.content.decode()  # professionals are not matched on lived experience
    response = client.post(PAGE, FORM)
    assert response.status_code == 302 and response["Location"] == PAGE
    profile = ProfessionalProfile.objects.get(user=pro)
    assert (profile.licence_number, profile.capacity, profile.languages) == ("PYL01234", 12, ["en", "pl"])
    assert profile.modalities == ["online", "in_person"] and profile.insurance == "Bupa, AXA"
    assert profile.hours == [{"days": ["MO", "WE"], "from": "09:00", "to": "17:00"}]
    assert profile.availability[0] == [9 * 60, 17 * 60]
    shown = client.get(PAGE).content.decode()
    assert 'value="PYL01234"' in shown and "Your profile is saved." in shown
    event = AuditEvent.objects.get(action=AuditAction.PROFESSIONAL_PROFILE_SAVED)
    assert "PYL01234" not in json.dumps(event.details)  # which fields, never their values


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"capacity": "51"}, "capacity", "must be 50 or fewer"),
        ({"service_id": "no-such-service"}, "service_id", "no service in the directory has the id"),
        ({"modalities": []}, "modalities", "Choose at least one way of meeting."),
        ({"time_to": ""}, "time_to", "Enter the times you are free."),
    ],
)
def test_a_refused_page_names_the_field_and_saves_nothing(
    client: Client, personas: dict[str, Any], change: dict[str, Any], field: str, message: str
) -> None:
    as_user(client, personas["professional"])
    response = client.post(PAGE, {**FORM, **change})
    page = response.content.decode()
    assert response.status_code == 400 and "Nothing was saved." in page
    assert f'id="id_{field}_error"' in page and message.lower() in page.lower()
    assert not ProfessionalProfile.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.PROFESSIONAL_PROFILE_SAVED).exists()


@pytest.mark.parametrize("role", ["help_seeker", "peer_supporter", "coordinator"])
def test_only_professionals_have_the_page_and_the_api(
    client: Client, personas: dict[str, Any], role: str
) -> None:
    as_user(client, personas[role])
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, FORM).status_code == 403
    assert client.get(API).status_code == 403
    assert put(client, BODY).status_code == 403
    assert not ProfessionalProfile.objects.exists()


def test_signed_out_people_are_sent_to_log_in(client: Client) -> None:
    assert client.get(PAGE)["Location"].startswith("/accounts/login/")
    assert client.get(API).status_code == 401


def test_the_api_saves_and_returns_the_whole_profile(client: Client, personas: dict[str, Any]) -> None:
    pro = personas["professional"]
    as_user(client, pro)
    assert client.get(API).status_code == 404  # nothing saved yet
    saved = put(client, BODY)
    assert saved.status_code == 200
    body = saved.json()
    assert body["licence_body"] == "BACP" and body["capacity"] == 5 and body["active"] is True
    assert body["availability"] == BODY["availability"] and body["utc_offset"] == "+01:00"
    assert body["insurance"] == "" and body["service_id"] is None
    assert client.get(API).json() == body
    # PUT is the whole profile: what is left out takes its empty value.
    again = put(client, {"languages": ["en"], "modalities": ["online"], "capacity": 1})
    assert again.json()["licence_type"] == "" and again.json()["availability"] == []
    assert ProfessionalProfile.objects.get(user=pro).availability == []
    assert AuditEvent.objects.filter(action=AuditAction.PROFESSIONAL_PROFILE_SAVED).count() == 2


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"languages": ["english"]}, "languages[0]"),
        ({"capacity": -1}, "capacity"),
        ({"capacity": "five"}, "capacity"),
        ({"modalities": ["carrier pigeon"]}, "modalities[0]"),
        ({"utc_offset": "GMT"}, "utc_offset"),
        ({"licence_number": "x" * 61}, "licence_number"),
    ],
)
def test_the_api_refuses_bad_values_with_422_naming_the_field(
    client: Client, personas: dict[str, Any], change: dict[str, Any], field: str
) -> None:
    as_user(client, personas["professional"])
    response = put(client, {**BODY, **change})
    assert response.status_code == 422, response.content
    assert response.json()["errors"][0]["field"] == field
    assert not ProfessionalProfile.objects.exists()


def test_the_api_is_in_the_openapi_schema(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    operations = schema["paths"]["/api/v1/matching/professional-profile"]
    assert set(operations) == {"get", "put"}
    properties = schema["components"]["schemas"]["ProfessionalProfileIn"]["properties"]
    assert {"licence_type", "cost", "insurance", "availability", "capacity", "service_id"} <= set(properties)
