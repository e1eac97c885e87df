"""Check-ins and safety plans in a real browser: crisis help first on risk, with axe on every page."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from playwright.sync_api import APIResponse, Locator, Page, Route, expect

from tests.e2e.pages import check_page, log_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo_data")]

CRISIS_HEADING = "Please reach out for help now"
SEVERAL_DAYS = "Several days"
ITEM_9 = "Thoughts that you would be better off dead, or of hurting yourself in some way"
PLAN = {
    "1. Signs that a crisis may be building": "Not sleeping, pulling away from friends",
    "2. Things I can do on my own to cope": "A walk by the river, loud music",
    "3. People and places that take my mind off things": "The library, my cousin's kitchen",
    "4. People I can ask for help": "Jo 07700 900123",
    "5. Professionals and crisis lines I can contact": "My GP, Samaritans 116 123",
    "6. Making my surroundings safer": "Ask Jo to keep my tablets",
}


@pytest.fixture(autouse=True)
def region_england(settings: Any) -> None:
    # Pin the deployment's default region so the crisis numbers shown are known.
    settings.CAREPATH_REGION = "GB-ENG"


def questions_of(page: Page, short_name: str) -> Locator:
    """The question groups (fieldsets) of one questionnaire on the check-in form."""
    return page.get_by_role("region", name=short_name).get_by_role("group")


def click_answer(question: Locator, answer: str) -> None:
    """Answer by clicking the option's label, as a person would, and check the radio took it."""
    question.get_by_text(answer, exact=True).click()
    expect(question.get_by_role("radio", name=answer, exact=True)).to_be_checked()


def open_check_in(page: Page, *, keep: tuple[str, ...]) -> None:
    """From any page: the main nav's "Check in", tick just `keep`, then "Start"."""
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Check in", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check in with yourself")
    check_page(page, "check-in start page")
    for short_name in ("PHQ-9", "GAD-7"):
        choice = page.get_by_role("checkbox", name=re.compile(rf"^{short_name} "))
        choice.set_checked(short_name in keep)
    page.get_by_role("button", name="Start").click()
    expect(page.get_by_role("heading", name="Check-in questions")).to_be_visible()
    check_page(page, f"check-in questions ({', '.join(keep)})")


def answer_phq9(page: Page, item_9: str, *, keyboard: bool = False) -> None:
    """All nine PHQ-9 items (total 3 + item 9); leaves the optional difficulty question blank.

    With `keyboard`, question 2 is answered as a keyboard user would: Tab from question 1 into
    the group, then an arrow key to choose.
    """
    questions = questions_of(page, "PHQ-9")
    click_answer(questions.nth(0), "Not at all")
    if keyboard:
        questions.nth(0).get_by_role("radio", name="Not at all", exact=True).focus()
        page.keyboard.press("Tab")
        expect(questions.nth(1).get_by_role("radio", name="Not at all", exact=True)).to_be_focused()
        page.keyboard.press("ArrowDown")
        expect(questions.nth(1).get_by_role("radio", name=SEVERAL_DAYS)).to_be_focused()
        expect(questions.nth(1).get_by_role("radio", name=SEVERAL_DAYS)).to_be_checked()
    else:
        click_answer(questions.nth(1), SEVERAL_DAYS)
    answers_3_to_8 = ["Not at all", SEVERAL_DAYS, "Not at all", "Not at all", "Not at all", SEVERAL_DAYS]
    for index, answer in enumerate(answers_3_to_8, start=2):
        click_answer(questions.nth(index), answer)
    click_answer(page.get_by_role("group", name=ITEM_9), item_9)


def assert_crisis_help_comes_first(page: Page, score_text: str) -> Locator:
    crisis = page.get_by_role("region", name=CRISIS_HEADING)
    heading = crisis.get_by_role("heading", level=1, name=CRISIS_HEADING)
    score = page.locator(".score").filter(has_text=score_text)
    expect(heading).to_be_visible()
    expect(score).to_be_visible()
    before_in_dom = heading.evaluate(
        "(h, other) => Boolean(h.compareDocumentPosition(other) & Node.DOCUMENT_POSITION_FOLLOWING)",
        score.element_handle(),
    )
    assert before_in_dom, "the crisis heading must come before the score in the page"
    heading_box, score_box = heading.bounding_box(), score.bounding_box()
    assert heading_box and score_box and heading_box["y"] < score_box["y"]
    expect(crisis.locator(".emergency").get_by_role("link", name="999", exact=True)).to_be_visible()
    expect(crisis.get_by_role("heading", name="Samaritans")).to_be_visible()
    expect(crisis.get_by_role("link", name="Call 116 123")).to_be_visible()
    expect(crisis.get_by_role("link", name="Make a safety plan")).to_be_visible()
    return crisis


def fill_plan(page: Page) -> None:
    for label, text in PLAN.items():
        page.get_by_label(label).fill(text)


def test_anonymous_check_in_with_risk_shows_crisis_help_first_then_prints_a_plan(
    page: Page, live_server: Any
) -> None:
    base = live_server.url
    page.goto(f"{base}/")
    check_page(page, "home page")
    open_check_in(page, keep=("PHQ-9",))
    expect(page.get_by_role("region", name="GAD-7")).to_have_count(0)
    expect(page.get_by_text("Nothing you answer here is stored.")).to_be_visible()

    answer_phq9(page, item_9=SEVERAL_DAYS, keyboard=True)
    page.get_by_role("button", name="See my results").click()
    expect(page).to_have_title(re.compile(f"^{CRISIS_HEADING}"))
    crisis = assert_crisis_help_comes_first(page, "Score 4 out of 27")
    expect(page.get_by_role("heading", name="Your check-ins over time")).to_have_count(0)
    check_page(page, "result page with crisis help first")

    crisis.get_by_role("link", name="Make a safety plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your safety plan")
    expect(page.get_by_role("button", name="Save my plan")).to_have_count(0)
    check_page(page, "safety plan page (anonymous)")
    fill_plan(page)
    # Chromium shows a PDF in its own viewer, so the page only sees the viewer's wrapper: keep
    # the bytes the server sent by passing the POST through a route.
    printed: list[APIResponse] = []

    def keep_the_pdf(route: Route) -> None:
        if route.request.method != "POST":
            route.fallback()
            return
        printed.append(route.fetch())
        route.fulfill(response=printed[-1])

    page.route("**/safety-plan/", keep_the_pdf)
    with page.expect_response(lambda r: "/safety-plan/" in r.url and r.request.method == "POST") as posted:
        page.get_by_role("button", name="Print as PDF").click()
    assert posted.value.status == 200
    assert posted.value.headers["content-type"] == "application/pdf"
    assert len(printed) == 1 and printed[0].body().startswith(b"%PDF")


def test_an_incomplete_check_in_shows_crisis_help_and_names_each_missing_answer(
    page: Page, live_server: Any
) -> None:
    base = live_server.url
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(f"{base}/check-in/")
    check_page(page, "check-in start page at 320px")
    page.get_by_role("checkbox", name=re.compile(r"^GAD-7 ")).uncheck()
    page.get_by_role("button", name="Start").click()
    check_page(page, "check-in questions at 320px")

    item_9 = page.get_by_role("group", name=ITEM_9)
    click_answer(item_9, SEVERAL_DAYS)
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.get_by_role("button", name="See my results").click()
    assert posted.value.status == 400

    crisis_heading = page.get_by_role("heading", level=1, name=CRISIS_HEADING)
    form_heading = page.get_by_role("heading", level=1, name="Check-in questions")
    expect(crisis_heading).to_be_visible()
    expect(page.get_by_role("region", name=CRISIS_HEADING).get_by_role("link", name="999")).to_be_visible()
    crisis_box, form_box = crisis_heading.bounding_box(), form_heading.bounding_box()
    assert crisis_box and form_box and crisis_box["y"] < form_box["y"]

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("8 answers need your attention")
    expect(summary.get_by_role("link")).to_have_count(8)
    question_2 = questions_of(page, "PHQ-9").nth(1)
    expect(question_2).to_contain_text("This question is missing.")
    expect(question_2).to_have_accessible_description(re.compile("This question is missing"))
    expect(item_9.get_by_role("radio", name=SEVERAL_DAYS)).to_be_checked()  # answers given are kept
    check_page(page, "incomplete check-in at 320px")

    # The summary's links take you to the question; answering it there is a label click away.
    summary.get_by_role("link", name=re.compile(r"PHQ-9, question 2:")).click()
    expect(question_2.get_by_role("radio", name="Not at all", exact=True)).to_be_focused()


def test_a_signed_in_person_keeps_check_ins_and_a_coordinator_reviews_the_risk_flag(
    page: Page, live_server: Any
) -> None:
    base = live_server.url
    log_in(page, base, "demo-seeker")
    check_page(page, "help-seeker home")

    open_check_in(page, keep=("PHQ-9", "GAD-7"))
    for question in range(9):
        click_answer(questions_of(page, "PHQ-9").nth(question), "Not at all")
    for question in range(7):
        click_answer(questions_of(page, "GAD-7").nth(question), SEVERAL_DAYS)
    expect(page.get_by_role("checkbox", name=re.compile("^Keep these answers"))).to_be_checked()
    page.get_by_role("button", name="See my results").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your results")
    expect(page.get_by_role("heading", name=CRISIS_HEADING)).to_have_count(0)
    expect(page.get_by_role("region", name=re.compile("^PHQ-9: "))).to_contain_text("Score 0 out of 27")
    expect(page.get_by_role("region", name=re.compile("^GAD-7: "))).to_contain_text("Score 7 out of 21")
    expect(page.get_by_role("status")).to_contain_text("Your answers are kept in your history")
    history = page.get_by_role("region", name="Your check-ins over time")
    expect(history.get_by_role("table")).to_have_count(2)
    check_page(page, "result page with history")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Your account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    check_page(page, "account page")
    consent = page.get_by_role("group", name="Tell a coordinator when my answers show risk")
    click_answer(consent, "Yes, I agree")
    page.get_by_role("button", name="Save my choice").click()
    expect(page.get_by_role("status")).to_have_text("Your choice about risk alerts is saved.")
    expect(page.get_by_role("radio", name="Yes, I agree")).to_be_checked()
    check_page(page, "account page after consenting")

    open_check_in(page, keep=("PHQ-9",))
    answer_phq9(page, item_9="More than half the days")
    page.get_by_role("button", name="See my results").click()
    assert_crisis_help_comes_first(page, "Score 5 out of 27")
    check_page(page, "kept result with crisis help first")

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You have logged out")
    check_page(page, "logged-out page")

    log_in(page, base, "demo-coordinator")
    flagged = page.get_by_role("region", name="Flagged risk")
    expect(flagged).to_contain_text("1 flag waits for review.")
    check_page(page, "coordinator home with a flag")
    flagged.get_by_role("link", name="Review risk flags").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Risk flags")
    flag = page.get_by_role("listitem").filter(has=page.get_by_role("heading", name=re.compile("Sam")))
    expect(flag.get_by_role("heading")).to_contain_text("Waiting for review")
    check_page(page, "risk flags page")
    flag.get_by_label("What was done (optional)").fill("Phoned Sam, who is safe; GP visit booked")
    flag.get_by_role("button", name="Mark as reviewed").click()
    expect(page.get_by_role("status")).to_have_text("The flag is marked as reviewed.")
    expect(flag.get_by_role("heading")).to_contain_text("Reviewed")
    expect(flag).to_contain_text("Phoned Sam, who is safe; GP visit booked")
    expect(flag.get_by_role("button", name="Mark as reviewed")).to_have_count(0)
    check_page(page, "risk flags page after review")


def test_a_signed_in_person_saves_a_safety_plan_and_can_take_it_away(page: Page, live_server: Any) -> None:
    base = live_server.url
    log_in(page, base, "demo-seeker")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Safety plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your safety plan")
    expect(page.get_by_role("link", name=re.compile("^Download your saved plan"))).to_have_count(0)
    first_step = page.get_by_label("1. Signs that a crisis may be building")
    expect(first_step).to_have_accessible_description(re.compile("^Thoughts, feelings, situations"))
    check_page(page, "empty safety plan page")

    fill_plan(page)
    page.get_by_role("button", name="Save my plan").click()
    expect(page.get_by_role("status")).to_have_text("Your safety plan is saved. Only you can see it.")
    for label, text in PLAN.items():
        expect(page.get_by_label(label)).to_have_value(text)
    expect(page.get_by_text(re.compile(r"^Last saved .* \(UTC\)\.$"))).to_be_visible()
    check_page(page, "saved safety plan page")

    pdf_link = page.get_by_role("link", name="Download your saved plan as a PDF")
    json_link = page.get_by_role("link", name="Download your saved plan as a data file (JSON)")
    pdf = page.request.get(f"{base}{pdf_link.get_attribute('href')}")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF")
    with page.expect_download() as download:
        json_link.click()
    assert download.value.suggested_filename == "safety-plan.json"
    exported = json.loads(download.value.path().read_text(encoding="utf-8"))
    assert [step["text"] for step in exported["steps"]] == list(PLAN.values())
