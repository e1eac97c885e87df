"""The account page's downloads, the export API and the erasure page, through the test client."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from fhir.resources.R4B.bundle import Bundle

from carepath.accounts import token_services
from carepath.accounts.models import User
from carepath.screening.models import Assessment
from tests.conftest import PASSWORD
from tests.referral_setup import keep_check_in, keep_plan
from tests.sign_in import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeker(personas: dict[str, Any]) -> Any:
    person = personas["help_seeker"]
    keep_check_in(person)
    keep_plan(person)
    return person


@pytest.fixture
def client_of(seeker: Any) -> Client:
    client = Client()
    sign_in(client, seeker)
    return client


def assert_not_cached(response: Any) -> None:
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_the_account_page_offers_both_downloads_and_the_erasure_page(client_of: Client) -> None:
    page = client_of.get("/accounts/me/").content.decode()
    assert 'action="/accounts/me/export.json"' in page and 'action="/accounts/me/export.fhir.json"' in page
    assert 'href="/accounts/me/erase/"' in page


def test_the_json_download_is_an_uncached_attachment_with_every_section(client_of: Client) -> None:
    response = client_of.post("/accounts/me/export.json")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="carepath-')
    assert_not_cached(response)
    document = json.loads(response.content)
    assert document["format"] == "carepath-personal-data" and len(document["sections"]["check_ins"]) == 1


def test_the_fhir_download_is_a_bundle(client_of: Client) -> None:
    response = client_of.post("/accounts/me/export.fhir.json")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/fhir+json")
    assert response["Content-Disposition"].endswith('.fhir.json"')
    Bundle.model_validate(json.loads(response.content))


def test_downloads_are_posted_and_need_a_login(client_of: Client) -> None:
    assert client_of.get("/accounts/me/export.json").status_code == 405
    anonymous = Client().post("/accounts/me/export.json")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


def test_the_api_exports_json_or_fhir_by_session_or_token(client_of: Client, seeker: Any) -> None:
    response = client_of.get("/api/v1/me/export")
    assert response.status_code == 200 and "check_ins" in response.json()["sections"]
    assert_not_cached(response)
    fhir = client_of.get("/api/v1/me/export", {"format": "fhir"}).json()
    assert fhir["resourceType"] == "Bundle"
    _, token = token_services.create_token(owner=seeker, name="export script")
    by_token = Client().get("/api/v1/me/export", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert by_token.json()["sections"]["account"]["username"] == seeker.username
    assert Client().get("/api/v1/me/export").status_code == 401
    assert client_of.get("/api/v1/me/export", {"format": "pdf"}).status_code == 422


def test_the_erasure_page_says_what_goes_and_what_stays(client_of: Client) -> None:
    response = client_of.get("/accounts/me/erase/")
    page = response.content.decode()
    assert response.status_code == 200 and "Your check-ins and their answers" in page
    assert "Your safety plan" in page and "What stays, and why" in page
    assert "Peer supporter profile" not in page  # only what this account has
    assert 'autocomplete="current-password"' in page
    assert_not_cached(response)


def test_a_wrong_password_is_refused_beside_the_field_and_nothing_changes(
    client_of: Client, seeker: Any
) -> None:
    response = client_of.post("/accounts/me/erase/", {"password": "not my password"})
    assert response.status_code == 400
    assert "Is not the password of this account." in response.content.decode()
    assert User.objects.get(pk=seeker.pk).is_active and Assessment.objects.filter(person=seeker).exists()
    assert client_of.get("/accounts/me/").status_code == 200


def test_erasing_logs_out_and_says_so(client_of: Client, seeker: Any) -> None:
    response = client_of.post("/accounts/me/erase/", {"password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/accounts/erased/"
    assert "Your account is deleted" in client_of.get("/accounts/erased/").content.decode()
    assert client_of.get("/accounts/me/").status_code == 302  # logged out
    assert not Assessment.objects.filter(person_id=seeker.pk).exists()
    assert User.objects.get(pk=seeker.pk).username.startswith("erased-")
