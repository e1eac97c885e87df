"""A NUL character is refused before any view, naming where it was: PostgreSQL cannot store or
compare text holding one, and SQLite cuts the text at it (see carepath/web/null_bytes.py)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

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
