"""The safety plan: anyone can write and print it; only the person keeps and exports it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from carepath.audit.models import AuditAction, AuditEvent
from carepath.safety.models import SafetyPlan
from tests.sign_in import sign_in

pytestmark = pytest.mark.django_db

STEPS = {
    "warning_signs": "Not sleeping, pulling away from friends",
    "coping_on_my_own": "Walk by the river; music",
    "people_and_places": "The library; my cousin's kitchen",
    "people_to_ask": "Jo 07700 900123",
    "professionals_and_lines": "GP surgery; Samaritans 116 123",
    "safer_surroundings": "Ask Jo to keep my tablets",
}


def test_anyone_can_open_the_six_steps(client: Client) -> None:
    page = client.get("/safety-plan/").content.decode()
    for number in range(1, 7):
        assert f">{number}. " in page
    assert "Save my plan" not in page and "Print as PDF" in page


def test_an_anonymous_plan_prints_as_pdf_and_is_not_stored(client: Client) -> None:
    response = client.post("/safety-plan/", {**STEPS, "action": "print"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert not SafetyPlan.objects.exists()


def test_an_anonymous_save_asks_to_log_in(client: Client) -> None:
    response = client.post("/safety-plan/", {**STEPS, "action": "save"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not SafetyPlan.objects.exists()


def test_a_person_saves_edits_prints_and_exports_their_plan(client: Client, personas: dict[str, Any]) -> None:
    person = personas["help_seeker"]
    sign_in(client, person)
    client.post("/safety-plan/", {**STEPS, "action": "save"})
    client.post("/safety-plan/", {**STEPS, "people_to_ask": "Jo and Sam", "action": "save"})
    plan = SafetyPlan.objects.get(person=person)
    assert plan.people_to_ask == "Jo and Sam"
    assert "Jo and Sam" in client.get("/safety-plan/").content.decode()
    assert client.get("/safety-plan/pdf/").content.startswith(b"%PDF")
    exported = json.loads(client.get("/safety-plan/export/").content)
    assert exported["steps"][0]["id"] == "warning_signs"
    assert exported["steps"][3]["text"] == "Jo and Sam"
    saved = AuditEvent.objects.filter(action=AuditAction.SAFETY_PLAN_SAVED)
    assert saved.count() == 2
    assert "Jo" not in json.dumps(list(saved.values_list("details", flat=True)))  # the words stay private
    assert AuditEvent.objects.filter(action=AuditAction.SAFETY_PLAN_EXPORTED).count() == 2


def test_an_over_long_step_is_refused_by_field(client: Client, personas: dict[str, Any]) -> None:
    sign_in(client, personas["help_seeker"])
    response = client.post("/safety-plan/", {**STEPS, "warning_signs": "x" * 4001, "action": "save"})
    assert response.status_code == 400
    assert 'id="id_warning_signs_error"' in response.content.decode()
    assert not SafetyPlan.objects.exists()


def test_downloads_need_a_saved_plan_of_ones_own(client: Client, personas: dict[str, Any]) -> None:
    SafetyPlan.objects.create(person=personas["other_help_seeker"], warning_signs="private")
    sign_in(client, personas["help_seeker"])
    assert client.get("/safety-plan/pdf/").status_code == 404
    assert client.get("/safety-plan/export/").status_code == 404
    assert "private" not in client.get("/safety-plan/").content.decode()
