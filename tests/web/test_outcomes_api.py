"""The outcome calculators over the JSON API: /api/v1/outcomes/classify and /api/v1/outcomes/rci."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

CLASSIFY = "/api/v1/outcomes/classify"
RCI = "/api/v1/outcomes/rci"


def post(client: Client, path: str, body: Any) -> Any:
    return client.post(path, json.dumps(body), content_type="application/json")


def course(**changes: Any) -> dict[str, Any]:
    return {"phq9": [18, 6], "gad7": [14, 5], "sessions_attended": 8, **changes}


def rci_body(**changes: Any) -> dict[str, Any]:
    return {"before": 18, "after": 10, "sd": 5, "reliability": 0.84, **changes}


@pytest.mark.django_db
def test_classify_returns_every_flag_and_stores_nothing(
    client: Client, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(0):
        response = post(client, CLASSIFY, course())
    assert response.status_code == 200
    assert response.json() == {
        "finished": True,
        "caseness_start": True,
        "caseness_end": False,
        "recovered": True,
        "reliable_improvement": True,
        "reliable_recovery": True,
        "reliable_deterioration": False,
    }


def test_classify_applies_the_cut_offs_and_the_paired_rule(client: Client) -> None:
    # PHQ-9 15 -> 5 (-10) with GAD-7 3 -> 7 (+4): below both cut-offs at the end, so recovered, but the
    # reliable rise in anxiety cancels the improvement, so not reliably recovered.
    body = post(client, CLASSIFY, course(phq9=[15, 5], gad7=[3, 7], sessions_attended=1)).json()
    assert body == {
        "finished": False,
        "caseness_start": True,
        "caseness_end": False,
        "recovered": True,
        "reliable_improvement": False,
        "reliable_recovery": False,
        "reliable_deterioration": False,
    }


def test_classify_reports_reliable_deterioration(client: Client) -> None:
    body = post(client, CLASSIFY, course(phq9=[5, 12], gad7=[3, 9], sessions_attended=2)).json()
    assert body["reliable_deterioration"] and not body["reliable_improvement"]
    assert (body["caseness_start"], body["caseness_end"], body["finished"]) == (False, True, True)


@pytest.mark.parametrize(
    ("changes", "field", "problem"),
    [
        ({"phq9": [28, 6]}, "phq9[0]", "must be between 0 and 27"),
        ({"gad7": [14, 22]}, "gad7[1]", "must be between 0 and 21"),
        ({"gad7": [14, -1]}, "gad7[1]", "must be between 0 and 21"),
        ({"phq9": [True, 6]}, "phq9[0]", "must be a whole number"),
        ({"phq9": ["18", 6]}, "phq9[0]", "must be a whole number"),
        ({"gad7": [14, 5.5]}, "gad7[1]", "must be a whole number"),
        ({"phq9": [18]}, "phq9", "must be a list of two totals: [first, last]"),
        ({"phq9": "18,6"}, "phq9", "must be a list of two totals: [first, last]"),
        ({"gad7": None}, "gad7", "must be a list of two totals: [first, last]"),
        ({"sessions_attended": -1}, "sessions_attended", "must not be negative"),
        ({"sessions_attended": True}, "sessions_attended", "must be a whole number"),
        ({"sessions_attended": "3"}, "sessions_attended", "must be a whole number"),
    ],
)
def test_classify_refuses_bad_values_with_422_naming_the_field(
    client: Client, changes: dict[str, Any], field: str, problem: str
) -> None:
    response = post(client, CLASSIFY, course(**changes))
    assert response.status_code == 422
    assert response.json() == {
        "detail": f"{field}: {problem}",
        "errors": [{"field": field, "problem": problem}],
    }


def test_classify_names_a_missing_field(client: Client) -> None:
    body = course()
    del body["gad7"]
    response = post(client, CLASSIFY, body)
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"].endswith("gad7") and error["problem"]


def test_classify_needs_a_json_object(client: Client) -> None:
    assert post(client, CLASSIFY, [[18, 6], [14, 5], 8]).status_code == 422


@pytest.mark.django_db
def test_rci_worked_example_and_nothing_stored(client: Client, django_assert_num_queries: Any) -> None:
    # SD 5, r 0.84: SE = 5 x 0.4 = 2; S_diff = sqrt(8) = 2.828427; RCI = (10 - 18) / 2.828427 = -2.828427
    with django_assert_num_queries(0):
        response = post(client, RCI, rci_body())
    assert response.status_code == 200
    body = response.json()
    assert body["rci"] == pytest.approx(-2.828427, abs=1e-6)
    assert (body["reliable"], body["direction"]) == (True, "improved")


def test_rci_direction_follows_lower_is_better(client: Client) -> None:
    assert post(client, RCI, rci_body(lower_is_better=False)).json()["direction"] == "deteriorated"
    small = post(client, RCI, rci_body(after=15)).json()  # -3 / 2.828427 = -1.06
    assert (small["reliable"], small["direction"]) == (False, "no reliable change")


@pytest.mark.parametrize(
    ("changes", "field", "problem"),
    [
        ({"reliability": 1}, "reliability", "must be greater than 0 and less than 1"),
        ({"reliability": 0}, "reliability", "must be greater than 0 and less than 1"),
        ({"reliability": True}, "reliability", "must be a number"),
        ({"sd": 0}, "sd", "must be greater than 0"),
        ({"sd": -2.5}, "sd", "must be greater than 0"),
        ({"before": "18"}, "before", "must be a number"),
        ({"after": False}, "after", "must be a number"),
        ({"after": None}, "after", "must be a number"),
        ({"lower_is_better": "yes"}, "lower_is_better", "must be true or false"),
        ({"lower_is_better": 0}, "lower_is_better", "must be true or false"),
    ],
)
def test_rci_refuses_bad_values_with_422_naming_the_field(
    client: Client, changes: dict[str, Any], field: str, problem: str
) -> None:
    response = post(client, RCI, rci_body(**changes))
    assert response.status_code == 422
    assert response.json() == {
        "detail": f"{field}: {problem}",
        "errors": [{"field": field, "problem": problem}],
    }


def test_rci_names_a_missing_field(client: Client) -> None:
    body = rci_body()
    del body["sd"]
    response = post(client, RCI, body)
    assert response.status_code == 422
    assert [e["field"].rsplit(".", 1)[-1] for e in response.json()["errors"]] == ["sd"]


def test_both_endpoints_are_in_the_openapi_schema(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    for path, request, reply in [(CLASSIFY, "ClassifyIn", "ClassifyOut"), (RCI, "RciIn", "RciOut")]:
        operation = schema["paths"][path]["post"]
        assert operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(request)
        assert operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith(reply)
    components = schema["components"]["schemas"]
    assert set(components["ClassifyIn"]["required"]) == {"phq9", "gad7", "sessions_attended"}
    assert components["ClassifyIn"]["properties"]["phq9"]["type"] == "array"
    assert set(components["ClassifyOut"]["properties"]) == {
        "finished",
        "caseness_start",
        "caseness_end",
        "recovered",
        "reliable_improvement",
        "reliable_recovery",
        "reliable_deterioration",
    }
    assert set(components["RciIn"]["required"]) == {"before", "after", "sd", "reliability"}
    assert components["RciIn"]["properties"]["lower_is_better"]["default"] is True
    assert set(components["Change"]["enum"]) == {"improved", "deteriorated", "no reliable change"}
