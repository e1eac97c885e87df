"""The content security policy in a real browser: the main pages of every role load with no
violation reported; making an API token on the account page and the log-in lock-out page pass axe."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from carepath.demo.services import load_demo_outcomes
from tests.e2e.pages import check_page, log_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo_data")]

# Runs before any page script; the browser fires this event for every blocked load or inline use.
WATCH_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`);
});
"""

PUBLIC_PAGES = [
    "/",
    "/crisis/",
    "/check-in/",
    "/decide/",
    "/find/?q=support",
    "/safety-plan/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/no-such-page/",
    "/api/v1/docs",
    "/hsds/docs",
]
PAGES_BY_ROLE = {
    "demo-seeker": ["/home/", "/accounts/me/", "/check-in/history/", "/progress/", "/support/", "/matches/"],
    "demo-peer": ["/home/", "/supporting/", "/supporter/profile/", "/notifications/"],
    "demo-professional": ["/home/", "/supporting/"],
    "demo-coordinator": [
        "/home/",
        "/programme/outcomes/",
        "/directory/manage/",
        "/risk-flags/",
        "/decide/rules/",
        "/admin/",
        "/admin/audit/auditevent/",
        "/admin/accounts/user/",
    ],
}


@pytest.fixture
def watched_page(page: Page) -> Iterator[tuple[Page, list[str]]]:
    """The page, and the CSP complaints Chromium writes to its console."""
    console: list[str] = []
    page.context.add_init_script(WATCH_VIOLATIONS)
    page.on("console", lambda message: console.append(message.text))
    yield page, console


def assert_no_violations(page: Page, console: list[str], where: str) -> None:
    page.wait_for_load_state("load")
    reported = page.evaluate("window.__cspViolations || []")
    complaints = [line for line in console if "Content Security Policy" in line]
    assert reported == [] and complaints == [], f"{where}: {reported or complaints}"


def visit(page: Page, console: list[str], url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status < 500, url
    assert "default-src 'self'" in (response.header_value("content-security-policy") or ""), url
    assert_no_violations(page, console, url)


def test_the_main_pages_load_without_a_policy_violation(
    watched_page: tuple[Page, list[str]], live_server: Any
) -> None:
    page, console = watched_page
    base = live_server.url
    load_demo_outcomes(episodes=60, seed=1, today=timezone.localdate())  # so the programme chart is drawn
    for path in PUBLIC_PAGES:
        visit(page, console, base + path)
    # The watch works: an inline style added to a page is blocked, and reported.
    page.goto(f"{base}/")
    page.evaluate(
        "document.head.append(Object.assign(document.createElement('style'), {textContent: 'p {}'}))"
    )
    page.wait_for_function("window.__cspViolations.length > 0")
    assert page.evaluate("window.__cspViolations")[0].startswith("style-src")
    for _ in range(50):  # and Chromium's console says so too (its message may come a moment later)
        if any("Content Security Policy" in line for line in console):
            break
        page.wait_for_timeout(100)
    assert any("Content Security Policy" in line for line in console)
    page.evaluate("window.__cspViolations = []")
    console.clear()
    # The API documentation is a script-driven page: it must have drawn itself under the policy.
    page.goto(f"{base}/api/v1/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Carepath API")
    assert_no_violations(page, console, "API documentation")

    for username, paths in PAGES_BY_ROLE.items():
        log_in(page, base, username)
        for path in paths:
            visit(page, console, base + path)
        page.goto(f"{base}/home/")
        page.get_by_role("button", name="Log out").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("You have logged out")
    page.goto(f"{base}/programme/outcomes/")  # signed out again: sent to log in


def test_making_an_api_token_on_the_account_page(
    watched_page: tuple[Page, list[str]], live_server: Any
) -> None:
    page, console = watched_page
    base = live_server.url
    log_in(page, base, "demo-seeker")
    page.get_by_role("link", name="Your account").click()
    expect(page.get_by_role("heading", name="API tokens")).to_be_visible()
    expect(page.get_by_text("You have no API tokens.")).to_be_visible()
    page.get_by_label("What the token is for").fill("My spreadsheet")
    page.get_by_label("Stops working").select_option(label="After 30 days")
    page.get_by_role("button", name="Make token").click()

    shown = page.get_by_label("Your new token “My spreadsheet”")
    expect(shown).to_have_value(re.compile(r"^cpat_[A-Za-z0-9_-]{43}$"))
    expect(shown).to_have_attribute("readonly", "")
    expect(page.get_by_role("heading", name="My spreadsheet", level=3)).to_be_visible()
    check_page(page, "account page with a new token at 1280px")
    page.set_viewport_size({"width": 320, "height": 800})
    check_page(page, "account page with a new token at 320px")
    assert_no_violations(page, console, "account page")

    page.get_by_role("button", name="Revoke My spreadsheet").click()
    expect(page.get_by_role("status")).to_contain_text("The token “My spreadsheet” is revoked.")
    expect(page.get_by_label("Your new token “My spreadsheet”")).to_have_count(0)
    expect(page.get_by_role("button", name="Revoke My spreadsheet")).to_have_count(0)
    check_page(page, "account page with a revoked token at 320px")


def test_five_wrong_passwords_lead_to_a_calm_accessible_lock_out_page(
    watched_page: tuple[Page, list[str]], live_server: Any
) -> None:
    page, console = watched_page
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    for _ in range(5):
        page.get_by_label("Username").fill("demo-professional")
        page.get_by_label("Password", exact=True).fill("not-the-password")
        page.get_by_role("main").get_by_role("button", name="Log in").click()
        if page.get_by_role("heading", name="Too many attempts to log in").count():
            break
    expect(page.get_by_role("heading", level=1)).to_have_text("Too many attempts to log in")
    expect(page.get_by_role("alert")).to_contain_text(
        "Please try again later, or reset your password by email."
    )
    expect(page.get_by_role("link", name="Reset your password")).to_be_visible()
    check_page(page, "lock-out page")
    assert_no_violations(page, console, "lock-out page")
