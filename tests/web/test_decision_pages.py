"""The decision aid through the test client: steps, hidden answers, crisis first, result, PDF, save."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from carepath.audit.models import AuditAction, AuditEvent
from carepath.decision.models import SavedRecommendation
from carepath.screening.services import save_assessment
from carepath_core.decision import DIMENSION_IDS
from tests.sign_in import sign_in

pytestmark = pytest.mark.django_db

DECIDE = "/decide/"
CRISIS_HEADING = "Please reach out for help now"
# A PHQ-9 total of 3 and a clear lean towards peer support (the two dimensions peers are usually
# stronger on) — the rules' "low-scores" case.
PEER_LEANING = {"phq9_total": "3", "pref_emotional_connection": "4", "pref_cost": "4"}


def post(client: Client, step: int, go: str = "next", **fields: Any) -> Any:
    return client.post(DECIDE, {"step": str(step), "go": go, **fields})


def result(client: Client, **fields: Any) -> Any:
    """The result page: Continue from the last step with every answer."""
    return post(client, 3, **fields)


def hidden(name: str, value: str) -> str:
    return f'<input type="hidden" name="{name}" value="{value}">'


def text_of(response: Any) -> str:
    return str(response.content.decode())


def test_the_intro_shows_the_decision_the_options_the_dates_and_who_pays(client: Client) -> None:
    response = client.get(DECIDE)
    page = text_of(response)
    assert response.status_code == 200
    assert "Should you look for peer support, professional support, or both, right now?" in page
    for option in ("Peer support", "Professional support", "Both together"):
        assert f"<h3>{option}</h3>" in page
    assert "2026-11-25" in page and "2027-05-25" in page  # produced, next review
    assert "Carepath has no outside funding." in page
    assert "Written by volunteers" in page
    assert "This guide is not for a crisis." in page and 'href="/crisis/"' in page
    assert 'name="go" value="next"' in page and ">Start</button>" in page


def test_the_nav_and_the_home_card_lead_to_the_decision_aid(client: Client) -> None:
    page = text_of(client.get("/"))
    assert page.count('href="/decide/"') == 2


def test_each_step_shows_its_progress_and_one_group_per_question(client: Client) -> None:
    page = text_of(post(client, 0))
    assert "Step 1 of 4" in page
    assert re.search(r'<li aria-current="step" class="current">.*?Check-in</li>', page)
    assert 'name="phq9_total"' in page and 'max="27"' in page and 'max="21"' in page
    assert "Are you in danger right now, or might you act on thoughts of ending your life?" in page
    assert 'value="no" id="in_danger-no" checked' in page  # No is the default
    preferences = text_of(post(client, 1, in_danger="no"))
    assert "Step 2 of 4" in preferences
    assert preferences.count('<fieldset class="question rating') == 10
    assert preferences.count('<details class="compare">') == 10
    assert 'id="pref_cost-unsure" checked' in preferences  # "Not sure" until the person chooses


def test_moving_on_carries_every_earlier_answer_in_hidden_fields(client: Client) -> None:
    step_2 = text_of(post(client, 1, phq9_total="12", gad7_total="8", in_danger="no"))
    assert hidden("phq9_total", "12") in step_2 and hidden("gad7_total", "8") in step_2
    step_3 = text_of(
        post(client, 2, phq9_total="12", gad7_total="8", pref_cost="4", own_concerns="Near my work\nEvenings")
    )
    assert hidden("phq9_total", "12") in step_3 and hidden("pref_cost", "4") in step_3
    assert hidden("own_concerns", "Near my work\nEvenings") in step_3
    assert hidden("step", "3") in step_3


def test_back_keeps_the_answers_of_every_step(client: Client) -> None:
    answers = {"phq9_total": "12", "pref_cost": "3", "budget": "40", "modalities": ["phone", "video"]}
    step_2 = text_of(post(client, 3, go="back", **answers))
    assert 'value="3" id="pref_cost-3" checked' in step_2
    assert hidden("budget", "40") in step_2 and hidden("modalities", "video") in step_2
    step_1 = text_of(post(client, 2, go="back", **answers))
    assert 'name="phq9_total" id="phq9_total" value="12"' in step_1
    intro = text_of(post(client, 1, go="back", **answers))
    assert hidden("pref_cost", "3") in intro and "Step 1 of 4" not in intro


def test_saying_you_are_in_danger_puts_crisis_help_first_on_the_next_page_and_the_result(
    client: Client,
) -> None:
    client.cookies["carepath_region"] = "GB-ENG"
    step_2 = text_of(post(client, 1, in_danger="yes", phq9_total="4"))
    assert step_2.index(CRISIS_HEADING) < step_2.index("<h1>What matters to you</h1>")
    assert step_2.index('href="tel:999"') < step_2.index("<h1>What matters to you</h1>")
    page = text_of(result(client, in_danger="yes", phq9_total="4", pref_cost="4"))
    assert page.index(CRISIS_HEADING) < page.index("<h1>Your recommendation</h1>")
    assert "We suggest: Crisis help first" in page
    assert "Rule “risk”" in page and "Urgent help now" in page


def test_high_scores_with_no_lean_suggest_both_together_by_the_high_scores_rule(client: Client) -> None:
    page = text_of(result(client, phq9_total="16"))
    assert "We suggest: Both together" in page
    assert "Rule “high-scores” of the stepped-care rule set “carepath-default”, version 1.0.0." in page
    assert 'href="/api/v1/rules"' in page
    assert "Treatment from a trained professional" in page
    assert CRISIS_HEADING not in page


def test_a_low_score_and_a_lean_towards_peers_suggest_peer_support(client: Client) -> None:
    page = text_of(result(client, **PEER_LEANING))
    assert "We suggest: Peer support" in page and "Rule “low-scores”" in page
    reasons = re.search(r'<ul class="reasons">(.*?)</ul>', page, re.S)
    assert reasons
    kinds = re.findall(r'class="reason reason-(\w+)"', reasons.group(1))
    assert kinds == ["rule", "screening", "preference", "preference"]  # rule first, then screening, then you
    assert "Your PHQ-9 score is 3" in reasons.group(1)


def test_changing_what_matters_changes_the_recommendation(client: Client) -> None:
    towards_peers = {"phq9_total": "12", "pref_emotional_connection": "4", "pref_cost": "4"}
    first = text_of(result(client, **towards_peers))
    assert "We suggest: Both together" in first and "Rule “moderate-scores”" in first
    # "Change what matters" goes back to step 2 with every answer, then on through the limits.
    step_2 = text_of(post(client, 4, go="preferences", last_pathway="both", **towards_peers))
    assert "<h1>What matters to you</h1>" in step_2 and hidden("phq9_total", "12") in step_2
    towards_professionals = {"phq9_total": "12", "pref_evidence": "4", "pref_outcomes": "4"}
    second = text_of(result(client, last_pathway="both", **towards_professionals))
    assert "We suggest: Professional support" in second and "Rule “moderate-scores-professional”" in second
    assert "it was Both together, now it is Professional support" in second


def test_the_grid_has_ten_rows_and_marks_what_matters_most_in_words(client: Client) -> None:
    page = text_of(result(client, **PEER_LEANING, pref_evidence="2"))
    grid = re.search(r'<table class="grid">.*?</table>', page, re.S)
    assert grid and "<caption" in grid.group(0)
    rows = re.findall(r"<tr( class=\"matters-most\")?>\s*<th scope=\"row\">(.*?)</th>", grid.group(0), re.S)
    assert len(rows) == len(DIMENSION_IDS) == 10
    marked = [header for highlight, header in rows if highlight]
    assert len(marked) == 2 and all("Matters most to you" in header for header in marked)
    assert "Feeling understood" in marked[0] and "Cost" in marked[1]
    assert "How much it matters to you: 2 of 4" in grid.group(0)
    assert "How much it matters to you: not sure" in grid.group(0)
    assert grid.group(0).count('<th scope="col">') == 4


def test_own_concerns_are_listed_and_fit_is_shown_as_a_chart_with_a_table(client: Client) -> None:
    page = text_of(result(client, **PEER_LEANING, own_concerns="Someone who knows grief\n\nEvenings only"))
    concerns = re.search(r'<h2 id="own-concerns">.*?</ul>', page, re.S)
    assert concerns and "<li>Someone who knows grief</li><li>Evenings only</li>" in concerns.group(0)
    assert '<svg class="fit-chart"' in page and '<table class="fit-table">' in page
    assert '<th scope="row">Peer support</th><td>100%</td>' in page


def test_with_nothing_rated_the_fit_is_not_guessed(client: Client) -> None:
    page = text_of(result(client, phq9_total="7"))
    assert '<svg class="fit-chart"' not in page
    assert "we cannot say how well each option fits" in page


def test_evidence_notes_give_certainty_and_numbered_citations(client: Client) -> None:
    page = text_of(result(client, phq9_total="7"))
    assert page.count('<details class="evidence">') == 10
    assert "(certainty: moderate)" in page and "(certainty: low)" in page
    assert '<a href="#source-1">source 1</a>' in page
    assert '<li id="source-1">National Association of Peer Supporters' in page
    assert 'href="https://www.nice.org.uk/guidance/ng222"' in page


def test_print_as_pdf_returns_a_pdf(client: Client) -> None:
    response = post(client, 4, go="", action="pdf", **PEER_LEANING, own_concerns="Evenings only")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert not SavedRecommendation.objects.exists()


def test_a_signed_in_person_saves_the_recommendation_only_when_they_choose(
    client: Client, personas: dict[str, Any]
) -> None:
    person = personas["help_seeker"]
    sign_in(client, person)
    page = text_of(result(client, phq9_total="16"))
    assert "Save this recommendation" in page
    assert not SavedRecommendation.objects.exists()  # seeing a result stores nothing

    saved_page = text_of(post(client, 4, go="", action="save", phq9_total="16"))
    assert "Your recommendation is saved. Only you can see it." in saved_page
    saved = SavedRecommendation.objects.get(person=person)
    assert (saved.pathway, saved.rule_id) == ("both", "high-scores")
    assert (saved.rule_set_id, saved.rule_set_version) == ("carepath-default", "1.0.0")
    assert saved.inputs["screenings"] == [{"instrument": "phq9", "total": 16}]
    event = AuditEvent.objects.get(action=AuditAction.RECOMMENDATION_SAVED)
    assert event.action == "recommendation.saved" and event.subject_id == str(saved.pk)


def test_an_anonymous_save_stores_nothing_and_points_to_log_in(client: Client) -> None:
    page = text_of(result(client, phq9_total="16"))
    assert "Save this recommendation" not in page and 'href="/accounts/login/?next=/decide/"' in page
    response = post(client, 4, go="", action="save", phq9_total="16")
    assert "Nothing was saved: you need to log in to save a recommendation." in text_of(response)
    assert not SavedRecommendation.objects.exists() and not AuditEvent.objects.exists()


def test_a_kept_check_in_is_offered_and_used_when_chosen(client: Client, personas: dict[str, Any]) -> None:
    person = personas["help_seeker"]
    save_assessment(
        person=person, instrument_code="phq9", answers={f"phq9_{i}": 2 for i in range(1, 9)} | {"phq9_9": 0}
    )
    sign_in(client, person)
    step_1 = text_of(post(client, 0))
    assert re.search(r"Use my check-in from \d+ \w+ \d{4}: PHQ-9 16</label>", step_1)
    page = text_of(result(client, use_kept="yes"))
    assert "Your PHQ-9 score is 16" in page and "We suggest: Both together" in page
    typed = text_of(result(client, use_kept="yes", phq9_total="3"))  # a typed total wins
    assert "Your PHQ-9 score is 3" in typed


def test_a_kept_check_in_with_a_risk_answer_puts_crisis_help_first(
    client: Client, personas: dict[str, Any]
) -> None:
    person = personas["help_seeker"]
    save_assessment(
        person=person, instrument_code="phq9", answers={f"phq9_{i}": 0 for i in range(1, 9)} | {"phq9_9": 1}
    )
    sign_in(client, person)
    step_2 = text_of(post(client, 1, use_kept="yes", in_danger="no"))
    assert step_2.index(CRISIS_HEADING) < step_2.index("<h1>What matters to you</h1>")


def test_anonymous_people_are_not_offered_kept_check_ins(client: Client) -> None:
    page = text_of(result(client, use_kept="yes"))
    assert "Your PHQ-9 score" not in page  # nothing to use, so nothing is used


@pytest.mark.parametrize(
    ("step", "field", "value", "message"),
    [
        (1, "phq9_total", "30", "PHQ-9 total must be a whole number from 0 to 27."),
        (1, "gad7_total", "-2", "GAD-7 total must be a whole number from 0 to 21."),
        (1, "phq9_total", "twelve", "PHQ-9 total must be a whole number from 0 to 27."),
        (3, "budget", "-5", "Budget per month must be a number of 0 or more."),
        (3, "max_travel_km", "far", "How far you can travel must be a number of 0 or more."),
        (3, "modalities", "carrier pigeon", "Ways to meet &#x27;carrier pigeon&#x27; is not one of"),
    ],
)
def test_bad_input_shows_that_step_again_with_the_problem_beside_the_field(
    client: Client, step: int, field: str, value: str, message: str
) -> None:
    response = post(client, step, **{field: value})
    page = text_of(response)
    assert response.status_code == 400
    assert f"Step {step} of 4" in page
    assert f'<p class="field-error" id="{field}-error">' in page and message in page
    assert f'<a href="#{field}">' in page  # the summary links to the field


def test_a_bad_total_caught_at_the_last_step_goes_back_to_the_check_in(client: Client) -> None:
    response = result(client, phq9_total="28", pref_cost="4")
    page = text_of(response)
    assert response.status_code == 400 and "Step 1 of 4" in page
    assert hidden("pref_cost", "4") in page  # the later answers stay
    assert 'name="phq9_total" id="phq9_total" value="28"' in page


def test_a_tampered_rating_is_named(client: Client) -> None:
    response = post(client, 2, pref_cost="9")
    assert response.status_code == 400
    assert "Your answer for “Cost” must be a whole number from 0 to 4" in text_of(response)
    assert 'id="pref_cost-error"' in text_of(response)
