"""A journey in a real browser: crisis help, each role's log-in and log-out, with axe on every page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from carepath.crisis.selectors import REGION_COOKIE
from tests.e2e.pages import check_page, log_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo_data")]

ROLE_HOME_MARKERS = {
    "demo-seeker": "Your check-ins",
    "demo-peer": "People you support",
    "demo-professional": "Referrals",
    "demo-coordinator": "Organisations in the directory",
}


@pytest.fixture
def region_us(settings: Any) -> None:
    # Pin the deployment's default region so the page's default numbers are known.
    settings.CAREPATH_REGION = "US"


def test_crisis_help_then_every_role_logs_in_and_out(page: Page, live_server: Any, region_us: None) -> None:
    base = live_server.url
    page.goto(f"{base}/")
    check_page(page, "home page")

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"

    page.get_by_role("link", name="Need help now?").click()
    expect(page).to_have_url(f"{base}/crisis/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Need help now?")
    emergency = page.locator(".emergency")
    expect(emergency.get_by_role("link", name="911")).to_be_visible()
    expect(page.get_by_role("heading", name="988 Suicide & Crisis Lifeline")).to_be_visible()
    check_page(page, "crisis page (default region)")

    page.get_by_label("Show help for").select_option("AU")
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page).to_have_url(re.compile(r"/crisis/\?region=AU$"))
    expect(emergency.get_by_role("link", name="000")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("13 11 14")
    check_page(page, "crisis page (Australia)")

    # Coming back without ?region= shows Australia again: the choice lives in a cookie.
    assert {"name": REGION_COOKIE, "value": "AU"}.items() <= next(
        c for c in page.context.cookies() if c["name"] == REGION_COOKIE
    ).items()
    page.goto(f"{base}/crisis/")
    expect(page.get_by_label("Show help for")).to_have_value("AU")
    expect(emergency.get_by_role("link", name="000")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("13 11 14")
    check_page(page, "crisis page (remembered region)")

    for username, marker in ROLE_HOME_MARKERS.items():
        log_in(page, base, username)
        expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
        expect(page.get_by_role("heading", name=marker)).to_be_visible()
        check_page(page, f"home of {username}")

        page.get_by_role("button", name="Log out").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("You have logged out")
        expect(page.get_by_role("button", name="Log out")).to_have_count(0)
        check_page(page, f"logged-out page after {username}")

    page.goto(f"{base}/accounts/signup/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Create an account")
    check_page(page, "sign-up page")

    response = page.goto(f"{base}/no-such-page/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    check_page(page, "404 page")


def test_main_pages_fit_a_320px_screen(page: Page, live_server: Any) -> None:
    base = live_server.url
    page.set_viewport_size({"width": 320, "height": 800})
    for path, name in [("/", "home page"), ("/crisis/?region=AU", "crisis page")]:
        page.goto(f"{base}{path}")
        check_page(page, f"{name} at 320px")
    log_in(page, base, "demo-coordinator")
    expect(page.get_by_role("heading", name="Recent activity")).to_be_visible()
    check_page(page, "coordinator home at 320px")
