"""A NUL character is refused before any view, naming where it was: PostgreSQL cannot store or
compare text holding one, and SQLite cuts the text at it (see carepath/web/null_bytes.py)."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_nul_inside_a_json_body_is_refused_naming_the_field(client: Client) -> None:
    body = {"answers": {"phq9_1": 1}, "note": ["fine", "bad\x00text"]}
    response = client.post(
        "/api/v1/instruments/phq9/score", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "body.note.1", "problem": "must not contain a NUL character"}
    ]


def test_a_nul_in_a_json_key_is_refused_too(client: Client) -> None:
    body = json.dumps({"answers": {"phq9_1\x00": 1}})
    response = client.post("/api/v1/instruments/phq9/score", body, content_type="application/json")
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "body.answers.phq9_1"


def test_an_escaped_backslash_before_u0000_is_not_a_nul(client: Client) -> None:
    # The text `\\u0000` in JSON is a backslash and "u0000", not a NUL: it reaches the API.
    body = '{"answers": {"phq9_1": 1}, "note": "\\\\u0000"}'
    response = client.post("/api/v1/instruments/phq9/score", body, content_type="application/json")
    assert response.status_code != 422 or "NUL" not in response.content.decode()


def test_a_nul_in_a_query_parameter_is_refused(client: Client) -> None:
    response = client.get("/api/v1/services/search", {"q": "anx\x00iety"})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "q"


SCORE = "/api/v1/instruments/phq9/score"


def test_a_nul_in_a_multipart_field_to_the_api_is_refused_naming_the_field(client: Client) -> None:
    response = client.post(SCORE, {"answers": "fine", "note": "bad\x00text"})  # multipart by default
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "note", "problem": "must not contain a NUL character"}]


def test_a_nul_in_a_multipart_field_name_is_refused(client: Client) -> None:
    response = client.post(SCORE, {"no\x00te": "fine"})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "note"


def test_a_nul_in_a_file_field_name_is_refused_but_not_in_a_files_contents(client: Client) -> None:
    named = client.post(SCORE, {"fi\x00le": SimpleUploadedFile("notes.txt", b"fine")})
    assert named.status_code == 422 and named.json()["errors"][0]["field"] == "file"
    # A file may hold any bytes: this check leaves it alone, and the API answers as it always does
    # (it takes JSON only, so it refuses the body itself, not a NUL).
    contents = client.post(SCORE, {"file": SimpleUploadedFile("notes.txt", b"a\x00b")})
    assert contents.status_code == 400 and contents.json() == {"detail": "Cannot parse request body"}


def test_the_api_can_still_read_a_multipart_body_the_check_has_read(client: Client) -> None:
    # Parsed from the network stream, the body could not be read again and the API failed with a
    # server error; read first, the API answers with its own refusal of a body that is not JSON.
    response = client.post(SCORE, {"answers": "fine"})
    assert response.status_code == 400 and response.json() == {"detail": "Cannot parse request body"}


def test_a_nul_in_a_multipart_form_to_a_page_is_refused(client: Client) -> None:
    response = client.post(reverse("login"), {"username": "some\x00one", "password": "x"})
    assert response.status_code == 400
