"""Check-in pages through the test client: scores, crisis help first on risk, keeping history."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from carepath.audit.models import AuditAction, AuditEvent
from carepath.safety.models import RiskFlag
from carepath.screening.models import Assessment
from tests.sign_in import sign_in

pytestmark = pytest.mark.django_db

QUESTIONS = "/check-in/questions/"


def phq9(*values: int) -> dict[str, str]:
    return {f"phq9_{i}": str(v) for i, v in enumerate(values, start=1)}


def post(client: Client, answers: dict[str, str], **extra: str) -> Any:
    return client.post(QUESTIONS, {"instrument": "phq9", "in_danger": "no", **answers, **extra})


def test_the_start_page_offers_the_five_questionnaires(client: Client) -> None:
    page = client.get("/check-in/").content.decode()
    for name in ("PHQ-9", "GAD-7", "PHQ-2", "GAD-2", "WHO-5"):
        assert name in page
    assert "C-SSRS" not in page  # licensed: metadata only, never offered as a form


def test_questions_are_fieldsets_with_legends_and_labelled_radios(client: Client) -> None:
    page = client.get(QUESTIONS, {"instrument": ["phq9", "gad7"]}).content.decode()
    assert page.count("<fieldset") == 9 + 1 + 7 + 1  # PHQ-9 (+ difficulty), GAD-7, the danger question
    assert '<label for="phq9_1-0">Not at all</label>' in page
    assert "Little interest or pleasure in doing things" in page


def test_an_anonymous_result_is_shown_and_nothing_is_stored(client: Client) -> None:
    response = post(client, phq9(0, 1, 2, 0, 1, 0, 0, 1, 0))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Score 5 out of 27" in page and "Mild" in page
    assert "not a diagnosis" in page
    assert "Please reach out for help now" not in page
    assert not Assessment.objects.exists() and not AuditEvent.objects.exists()


def test_a_risk_answer_puts_crisis_help_before_any_score(client: Client) -> None:
    client.cookies["carepath_region"] = "GB-ENG"
    page = post(client, phq9(0, 0, 0, 0, 0, 0, 0, 0, 1)).content.decode()
    crisis, score = page.index("Please reach out for help now"), page.index("Score 1 out of 27")
    assert crisis < score
    assert page.index('href="tel:999"') < score
    assert "Make a safety plan" in page


def test_saying_you_are_in_danger_is_never_silent_even_with_low_scores(client: Client) -> None:
    page = post(client, phq9(0, 0, 0, 0, 0, 0, 0, 0, 0), in_danger="yes").content.decode()
    assert page.index("Please reach out for help now") < page.index("Score 0 out of 27")


def test_an_incomplete_form_names_the_missing_questions_and_still_shows_crisis_help(client: Client) -> None:
    response = post(client, {"phq9_9": "2", "phq9_1": "1"})
    page = response.content.decode()
    assert response.status_code == 400
    assert page.index("Please reach out for help now") < page.index("<h1>Check-in questions</h1>")
    assert "7 answers need your attention" in page
    assert 'id="phq9_2-error"' in page and "This question is missing." in page
    assert 'value="2" id="phq9_9-2" checked' in page  # answers given are kept
    assert not Assessment.objects.exists()


def test_a_tampered_answer_is_refused_by_name(client: Client) -> None:
    response = post(client, {**phq9(0, 0, 0, 0, 0, 0, 0, 0, 0), "phq9_3": "7"})
    assert response.status_code == 400
    assert "This question answer 7 is not one of 0, 1, 2, 3." in response.content.decode()


def test_a_signed_in_person_keeps_results_and_sees_history(client: Client, personas: dict[str, Any]) -> None:
    sign_in(client, personas["help_seeker"])
    post(client, phq9(1, 1, 1, 1, 1, 1, 1, 1, 0), keep="yes")
    page = post(client, phq9(0, 0, 0, 0, 0, 0, 0, 0, 0), keep="yes").content.decode()
    assert Assessment.objects.filter(person=personas["help_seeker"]).count() == 2
    assert AuditEvent.objects.filter(action=AuditAction.ASSESSMENT_SAVED).count() == 2
    assert "Your check-ins over time" in page and "<td>8</td>" in page
    assert "<td>8</td>" in client.get("/check-in/history/").content.decode()


def test_not_ticking_keep_stores_nothing(client: Client, personas: dict[str, Any]) -> None:
    sign_in(client, personas["help_seeker"])
    post(client, phq9(1, 1, 1, 1, 1, 1, 1, 1, 0))
    assert not Assessment.objects.exists()


def test_risk_is_flagged_to_coordinators_only_with_consent(client: Client, personas: dict[str, Any]) -> None:
    seeker = personas["help_seeker"]
    sign_in(client, seeker)
    post(client, phq9(0, 0, 0, 0, 0, 0, 0, 0, 2), keep="yes")
    assert not RiskFlag.objects.exists()
    client.post("/account/risk-alerts/", {"granted": "yes"})
    assert AuditEvent.objects.filter(action=AuditAction.RISK_CONSENT_CHANGED).count() == 1
    post(client, phq9(0, 0, 0, 0, 0, 0, 0, 0, 2), keep="yes")
    flag = RiskFlag.objects.get()
    assert flag.person == seeker and "phq9_9" in flag.reasons
    assert AuditEvent.objects.filter(action=AuditAction.RISK_FLAG_RAISED).count() == 1


def test_a_coordinator_reviews_a_flag_and_the_review_is_audited(
    client: Client, personas: dict[str, Any]
) -> None:
    flag = RiskFlag.objects.create(person=personas["help_seeker"], reasons=["risk_item", "phq9_9"])
    coordinator = Client()
    sign_in(coordinator, personas["coordinator"])
    assert "1 flag waits for review" in coordinator.get("/home/").content.decode()
    assert "Waiting for review" in coordinator.get("/risk-flags/").content.decode()
    coordinator.post(f"/risk-flags/{flag.pk}/review/", {"note": "Phoned, safe, booked a GP visit"})
    flag.refresh_from_db()
    assert flag.status == "reviewed" and flag.reviewed_by == personas["coordinator"] and flag.reviewed_at
    event = AuditEvent.objects.get(action=AuditAction.RISK_FLAG_REVIEWED)
    assert event.actor == personas["coordinator"] and event.subject_id == str(flag.pk)


@pytest.mark.parametrize("role", ["help_seeker", "peer_supporter", "professional"])
def test_only_coordinators_see_or_review_risk_flags(
    client: Client, personas: dict[str, Any], role: str
) -> None:
    flag = RiskFlag.objects.create(person=personas["other_help_seeker"], reasons=["risk_item"])
    sign_in(client, personas[role])
    assert client.get("/risk-flags/").status_code == 404
    assert client.post(f"/risk-flags/{flag.pk}/review/").status_code == 404
    flag.refresh_from_db()
    assert flag.status == "open"
