"""The decision aid in a real browser: four steps, the grid, iteration, PDF, saving, crisis first.

axe and the no-sideways-scroll check run on every page the journeys reach.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import APIResponse, Locator, Page, Route, expect

from tests.e2e.pages import check_page, log_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo_data")]

CRISIS_HEADING = "Please reach out for help now"
DANGER = "Are you in danger right now, or might you act on thoughts of ending your life?"


@pytest.fixture(autouse=True)
def region_england(settings: Any) -> None:
    settings.CAREPATH_REGION = "GB-ENG"


def expect_step(page: Page, number: int, heading: str) -> None:
    expect(page.get_by_role("heading", level=1, name=heading)).to_be_visible()
    expect(page.get_by_text(f"Step {number} of 4", exact=True)).to_be_visible()
    current = page.locator('.progress-steps [aria-current="step"]')
    expect(current).to_have_count(1)
    expect(current).to_contain_text(heading)


def rate(page: Page, title: str, answer: str) -> None:
    group = page.get_by_role("group", name=re.compile(rf"^\d+\. {re.escape(title)}"))
    group.get_by_text(answer, exact=True).click()
    expect(group.get_by_role("radio", name=answer, exact=True)).to_be_checked()


def rated(page: Page, title: str) -> Locator:
    return page.get_by_role("group", name=re.compile(rf"^\d+\. {re.escape(title)}"))


def grid_rows(page: Page) -> Locator:
    return page.get_by_role("table", name=re.compile("^Peer support, professional support and both")).locator(
        "tbody tr"
    )


def keep_pdf(page: Page) -> list[APIResponse]:
    """Chromium shows a PDF in its viewer: pass the POST through a route to keep the bytes sent."""
    printed: list[APIResponse] = []

    def keep(route: Route) -> None:
        if route.request.method != "POST" or "action=pdf" not in (route.request.post_data or ""):
            route.fallback()
            return
        printed.append(route.fetch())
        route.fulfill(response=printed[-1])

    page.route("**/decide/", keep)
    return printed


def test_check_in_totals_preferences_and_limits_lead_to_a_recommendation_a_grid_and_a_pdf(
    page: Page, live_server: Any
) -> None:
    base = live_server.url
    page.goto(f"{base}/")
    check_page(page, "home page")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Decide").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Peer support, professional support, or both?")
    expect(page.get_by_text("Carepath has no outside funding.")).to_be_visible()
    check_page(page, "decision aid intro")
    page.get_by_role("button", name="Start").click()

    expect_step(page, 1, "Check-in")
    check_page(page, "step 1: check-in")
    page.get_by_label("PHQ-9 total").fill("30")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("alert")).to_contain_text("PHQ-9 total must be a whole number from 0 to 27.")
    expect(page.get_by_label("PHQ-9 total")).to_have_accessible_description(re.compile("must be a whole"))
    check_page(page, "step 1 with an error")

    page.get_by_label("PHQ-9 total").fill("12")
    page.get_by_label("GAD-7 total").fill("8")
    expect(page.get_by_role("group", name=DANGER).get_by_role("radio", name="No")).to_be_checked()
    # Keyboard: from the last number, Tab passes the danger question and reaches Continue.
    page.keyboard.press("Tab")
    expect(page.get_by_role("radio", name="No")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Continue")).to_be_focused()
    page.keyboard.press("Enter")

    expect_step(page, 2, "What matters to you")
    expect(page.get_by_role("heading", name=CRISIS_HEADING)).to_have_count(0)
    rated(page, "Feeling understood").get_by_text("What each option is like").click()
    expect(rated(page, "Feeling understood").get_by_text("Benefits").first).to_be_visible()
    check_page(page, "step 2: what matters")
    rate(page, "Feeling understood", "A lot")
    rate(page, "Cost", "A lot")
    rate(page, "Research behind it", "Somewhat")
    page.get_by_label("Anything else that matters to you?").fill("Someone who knows grief\nEvenings only")
    page.get_by_role("button", name="Continue").click()

    expect_step(page, 3, "Practical limits")
    check_page(page, "step 3: practical limits")
    page.get_by_label("Budget per month").fill("0")
    page.get_by_label("Currency").select_option("GBP")
    page.get_by_role("checkbox", name="By phone").check()
    page.get_by_role("checkbox", name="By video call").check()
    page.get_by_label("Languages you would like support in").fill("English, Polish")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your recommendation")
    expect(page.get_by_role("heading", name="We suggest: Both together")).to_be_visible()
    expect(page.get_by_text("Rule “moderate-scores”")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text="Your PHQ-9 score is 12")).to_be_visible()
    rows = grid_rows(page)
    expect(rows).to_have_count(10)
    marked = rows.filter(has=page.get_by_role("rowheader").get_by_text("Matters most to you", exact=True))
    expect(marked).to_have_count(2)
    expect(marked).to_have_class(["matters-most", "matters-most"])
    expect(page.get_by_role("row", name=re.compile("^Cost")).get_by_role("rowheader")).to_contain_text(
        "Matters most to you"
    )
    own = page.get_by_role("region", name="Your own concerns")
    expect(own.get_by_role("listitem")).to_have_text(["Someone who knows grief", "Evenings only"])
    expect(page.get_by_role("table", name="Fit with what matters to you")).to_contain_text("Peer support")
    page.get_by_text("Research behind it (certainty").click()
    check_page(page, "result page")

    page.get_by_role("button", name="Change what matters").click()
    expect_step(page, 2, "What matters to you")
    expect(rated(page, "Cost").get_by_role("radio", name="A lot", exact=True)).to_be_checked()
    expect(page.get_by_label("Anything else that matters to you?")).to_have_value(
        "Someone who knows grief\nEvenings only"
    )
    check_page(page, "step 2 again")
    rate(page, "Feeling understood", "Not at all")
    rate(page, "Cost", "Not sure")
    rate(page, "Research behind it", "A lot")
    rate(page, "Results", "A lot")
    page.get_by_role("button", name="Continue").click()
    expect_step(page, 3, "Practical limits")
    expect(page.get_by_label("Languages you would like support in")).to_have_value("English, Polish")
    expect(page.get_by_role("checkbox", name="By phone")).to_be_checked()
    check_page(page, "step 3 again")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="We suggest: Professional support")).to_be_visible()
    expect(page.get_by_role("status")).to_have_text(
        "Your answers changed the recommendation: it was Both together, now it is Professional support."
    )
    check_page(page, "result page after changing what matters")

    printed = keep_pdf(page)
    with page.expect_response(lambda r: "/decide/" in r.url and r.request.method == "POST") as posted:
        page.get_by_role("button", name="Print as PDF").click()
    assert posted.value.status == 200
    assert posted.value.headers["content-type"] == "application/pdf"
    assert len(printed) == 1 and printed[0].body().startswith(b"%PDF")


def test_a_signed_in_person_in_danger_sees_crisis_help_first_then_saves_at_320px(
    page: Page, live_server: Any
) -> None:
    from carepath.accounts.models import User
    from carepath.screening.services import save_assessment

    seeker = User.objects.get(username="demo-seeker")
    save_assessment(person=seeker, instrument_code="phq9", answers={f"phq9_{i}": 2 for i in range(1, 10)})
    base = live_server.url
    log_in(page, base, "demo-seeker")
    page.goto(f"{base}/decide/")
    check_page(page, "intro, signed in")
    page.get_by_role("button", name="Start").click()
    expect_step(page, 1, "Check-in")
    kept = page.get_by_role("checkbox", name=re.compile(r"^Use my check-in from .*: PHQ-9 18$"))
    kept.check()
    page.get_by_role("group", name=DANGER).get_by_text("Yes", exact=True).click()
    check_page(page, "step 1, signed in")
    page.get_by_role("button", name="Continue").click()

    crisis = page.get_by_role("region", name=CRISIS_HEADING)
    expect(crisis.locator(".emergency").get_by_role("link", name="999", exact=True)).to_be_visible()
    expect_step(page, 2, "What matters to you")
    crisis_box = crisis.bounding_box()
    form_box = page.get_by_role("heading", level=1, name="What matters to you").bounding_box()
    assert crisis_box and form_box and crisis_box["y"] < form_box["y"]
    check_page(page, "step 2 with crisis help first")
    page.get_by_role("button", name="Continue").click()
    expect_step(page, 3, "Practical limits")
    check_page(page, "step 3 with crisis help first")

    page.set_viewport_size({"width": 320, "height": 800})
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="We suggest: Crisis help first")).to_be_visible()
    heading_box = page.get_by_role("heading", level=1, name=CRISIS_HEADING).bounding_box()
    result_box = page.get_by_role("heading", level=1, name="Your recommendation").bounding_box()
    assert heading_box and result_box and heading_box["y"] < result_box["y"]
    # At 320px each row of the grid stacks as a card, and stays a table row with its header.
    grid = page.get_by_role("table", name=re.compile("^Peer support, professional support and both"))
    expect(grid.get_by_role("rowheader")).to_have_count(10)
    expect(grid.get_by_role("columnheader")).to_have_count(4)
    expect(grid.get_by_role("row", name=re.compile("^Cost")).get_by_role("cell")).to_have_count(3)
    check_page(page, "result page with crisis help first at 320px")

    page.get_by_role("button", name="Save this recommendation").click()
    expect(page.get_by_role("status").filter(has_text="saved")).to_have_text(
        "Your recommendation is saved. Only you can see it."
    )
    expect(page.get_by_role("button", name="Save this recommendation")).to_have_count(0)
    check_page(page, "result page after saving at 320px")


def test_a_coordinator_reviews_the_rules_and_a_refused_upload_changes_nothing(
    page: Page, live_server: Any, tmp_path: Any
) -> None:
    log_in(page, live_server.url, "demo-coordinator")
    page.get_by_role("link", name="Stepped-care rules").click()
    expect(page.get_by_role("heading", name="Active: carepath-default, version 1.0.0")).to_be_visible()
    check_page(page, "stepped-care rules")
    broken = tmp_path / "broken.json"
    broken.write_text('{"id": "x", "version": "2", "title": "t", "rules": []}', encoding="utf-8")
    page.get_by_label("Rules file (JSON)").set_input_files(str(broken))
    page.get_by_role("button", name="Check and load").click()
    expect(page.get_by_role("alert")).to_contain_text("The active rules are unchanged")
    check_page(page, "refused rules upload")
