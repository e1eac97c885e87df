"""The JSON API under /api/v1/: schema, errors as JSON, crisis data, the signed-in account."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.sign_in import sign_in


def test_openapi_schema_lists_the_endpoints(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.1")
    assert {
        "/api/v1/health",
        "/api/v1/crisis/regions",
        "/api/v1/crisis/regions/{code}",
        "/api/v1/accounts/me",
    } <= set(schema["paths"])


@pytest.mark.django_db
def test_health_reports_the_database(client: Client) -> None:
    assert client.get("/api/v1/health").json() == {"status": "ok", "database": "ok"}


def test_crisis_regions_and_one_region(client: Client) -> None:
    codes = [region["code"] for region in client.get("/api/v1/crisis/regions").json()]
    assert "US" in codes and "INTL" in codes
    us = client.get("/api/v1/crisis/regions/US").json()
    assert us["emergency"]["number"] == "911"
    first = us["resources"][0]
    assert first["name"] == "988 Suicide & Crisis Lifeline"
    assert {"method": "call", "value": "988", "label": "Call 988", "keyword": ""} in first["contacts"]


def test_an_unknown_region_is_a_json_404_naming_the_problem(client: Client) -> None:
    response = client.get("/api/v1/crisis/regions/ATLANTIS")
    assert response.status_code == 404
    assert response.json() == {"detail": "region: no crisis resources are known for 'ATLANTIS'"}


def test_unknown_api_paths_are_json_404s(client: Client) -> None:
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert "detail" in response.json()


@pytest.mark.django_db
def test_me_needs_a_login_and_returns_only_safe_fields(client: Client, personas: dict[str, Any]) -> None:
    anonymous = client.get("/api/v1/accounts/me")
    assert anonymous.status_code == 401 and anonymous.json() == {"detail": "Log in to use this endpoint."}
    sign_in(client, personas["professional"])
    assert client.get("/api/v1/accounts/me").json() == {
        "username": "pro",
        "display_name": "",
        "role": "professional",
    }
