"""Anonymous use stores nothing (issue 8): screening, the decision aid, the safety plan's print,
directory search and crisis help work without an account and leave no row in any table — not even
a session — unless the person signs in and chooses to keep something."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.test import Client

from tests.search_directory import load_search_directory

pytestmark = pytest.mark.django_db

RISK_ANSWERS = {f"phq9_{n}": "1" for n in range(1, 9)} | {"phq9_9": "2"}  # the risk item answered
PLAN = {"warning_signs": "Anon canary: I stop eating", "coping_on_my_own": "A walk by the river"}


def row_counts() -> dict[str, int]:
    """Rows in every table Django knows, the session table included."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed
    }


def anonymous_journey(client: Client) -> list[Any]:
    return [
        client.get("/"),
        client.get("/crisis/"),
        client.post("/check-in/questions/", {"instrument": "phq9", "in_danger": "no", **RISK_ANSWERS}),
        client.post("/decide/", {"step": "3", "go": "next", "phq9_total": "12", "pref_cost": "4"}),
        client.post("/decide/", {"step": "4", "go": "", "action": "pdf", "phq9_total": "12"}),
        client.post("/safety-plan/", {**PLAN, "action": "print"}),
        client.get("/find/", {"q": "anxiety", "near": "London"}),
        client.get("/api/v1/services/search", {"q": "anxiety", "near": "London"}),
        client.post(
            "/api/v1/instruments/phq9/score",
            {"answers": {item: int(value) for item, value in RISK_ANSWERS.items()}},
            content_type="application/json",
        ),
    ]


def test_an_anonymous_journey_leaves_no_row_anywhere() -> None:
    load_search_directory()
    client = Client()
    before = row_counts()
    responses = anonymous_journey(client)
    assert [r.status_code for r in responses] == [200] * len(responses)
    after = row_counts()
    assert {label: (before[label], n) for label, n in after.items() if n != before[label]} == {}
    assert "sessionid" not in client.cookies  # no session was started for the visitor


def test_the_risk_answer_still_shows_crisis_help_when_nothing_is_kept() -> None:
    page = Client().post("/check-in/questions/", {"instrument": "phq9", "in_danger": "no", **RISK_ANSWERS})
    assert page.status_code == 200 and "Please reach out for help now" in page.content.decode()
