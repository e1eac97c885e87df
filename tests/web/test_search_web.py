"""The search over HTTP: GET /api/v1/services/search and the /find/ page."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from carepath.directory.models import Service
from carepath.directory.selectors import search
from tests.search_directory import load_search_directory

pytestmark = pytest.mark.django_db
ATTACKS = (
    "' OR 1=1 --",
    '"; DROP TABLE directory_service; --',
    "%",
    "_",
    "\\",
    "<script>alert(1)</script>",
    "\x00",
)
PARAMETERS = (
    "q", "near", "lat", "lon", "radius_km", "virtual", "open", "at", "tz", "cost", "max_cost", "language",
    "modality", "support_type", "topic", "age", "capacity", "sort", "page", "per_page",
)  # fmt: skip


@pytest.fixture(autouse=True)
def directory() -> None:
    load_search_directory()


def test_the_api_returns_cards_with_the_place(client: Client) -> None:
    response = client.get("/api/v1/services/search", {"q": "anxiety", "near": "London", "per_page": 2})
    assert response.status_code == 200
    body = response.json()
    assert (
        body["place"]["country"] == "GB" and body["page"] == 1 and body["per_page"] == 2 and body["has_more"]
    )
    first = body["results"][0]
    for key in (
        "support_type",
        "credentials",
        "confidentiality_policy",
        "costs",
        "hours",
        "capacity",
        "last_checked",
    ):
        assert key in first


def test_multi_valued_filters_can_repeat_or_use_commas(client: Client) -> None:
    repeated = client.get(
        "/api/v1/services/search", {"near": "London", "cost": ["sliding_scale", "insurance"]}
    )
    commas = client.get("/api/v1/services/search", {"near": "London", "cost": "sliding_scale,insurance"})
    assert repeated.json()["results"] == commas.json()["results"] and len(commas.json()["results"]) == 2


def test_bad_parameters_are_422_naming_the_field(client: Client) -> None:
    response = client.get("/api/v1/services/search", {"near": "London", "radius_km": "far"})
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "radius_km", "problem": "must be a number"}]


def test_the_endpoint_is_in_the_openapi_schema(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/services/search"]["get"]
    assert {parameter["name"] for parameter in operation["parameters"]} >= {
        "q",
        "near",
        "open",
        "cost",
        "language",
    }


@pytest.mark.parametrize("name", PARAMETERS)
def test_injection_strings_in_every_parameter_never_break_the_search(client: Client, name: str) -> None:
    for attack in ATTACKS:
        params = {"q": "anxiety", "near": "London", name: attack}
        response = client.get("/api/v1/services/search", params)
        assert response.status_code in (200, 422), (name, attack, response.content[:200])
        page = client.get("/find/", params)
        # A NUL is refused before any view (carepath.web.null_bytes): the 400 page.
        allowed = (400,) if "\x00" in attack else (200, 422)
        assert page.status_code in allowed and b"<script>alert(1)</script>" not in page.content
    assert Service.objects.count() == 9


def test_the_page_without_a_search_shows_only_the_form(client: Client) -> None:
    response = client.get("/find/")
    assert response.status_code == 200
    assert (
        b'<form method="get" action="/find/"' in response.content
        and b"Services found" not in response.content
    )


def test_the_page_shows_result_cards(client: Client) -> None:
    response = client.get("/find/", {"q": "anxiety peer group", "near": "London"})
    text = response.content.decode()
    assert response.status_code == 200 and "Harbour Anxiety Peer Group" in text
    for label in ("Who gives support", "Confidentiality", "Cost", "Hours", "Listing last checked"):
        assert label in text


def test_the_page_shows_the_problem_beside_the_field(client: Client) -> None:
    response = client.get("/find/", {"near": "Nowhere Atall"})
    assert response.status_code == 422
    text = response.content.decode()
    assert 'id="near-error"' in text and "no town or postal code" in text


def test_pages_link_to_each_other(client: Client) -> None:
    first = client.get("/find/", {"near": "London", "per_page": 2}).content.decode()
    assert 'rel="next"' in first and "page=2" in first and 'rel="prev"' not in first


def test_searching_stores_nothing(client: Client, django_assert_max_num_queries: Any) -> None:
    from carepath.audit.models import AuditEvent
    from carepath.directory.models import SearchEntry

    before = (AuditEvent.objects.count(), SearchEntry.objects.count())
    client.get("/find/", {"q": "anxiety", "near": "London"})
    assert (AuditEvent.objects.count(), SearchEntry.objects.count()) == before
    assert not client.cookies.get("sessionid")


def test_a_narrowed_radius_is_told_on_the_api_and_the_page(client: Client, monkeypatch: Any) -> None:
    wide = {"near": "London", "radius_km": 20, "sort": "name"}
    assert client.get("/api/v1/services/search", wide).json()["searched_radius_km"] is None
    monkeypatch.setattr(search, "POINT_BUDGET", 3)
    body = client.get("/api/v1/services/search", wide).json()
    assert body["capped"] and 0 < body["searched_radius_km"] < 5
    page = client.get("/find/", wide).content.decode()
    assert "the search looked only within" in page and f"{body['searched_radius_km']:g} km" in page
