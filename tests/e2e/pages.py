"""Helpers shared by the browser journeys: the per-page accessibility check and logging in."""

from __future__ import annotations

import re
from typing import Any

from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]
from playwright.sync_api import Page, expect

from carepath.demo.services import DEMO_PASSWORD
from tests.sign_in import app_device_for, fresh_code

AXE = Axe()


def check_page(page: Page, name: str) -> None:
    """No axe violations, and nothing wider than the viewport (no sideways scrolling)."""
    # The stylesheet must have loaded, or axe would judge colours and layout of a bare page.
    expect(page.locator(".skip-link")).to_have_css("position", "absolute")
    results = AXE.run(page)
    assert results.violations_count == 0, f"axe found problems on {name}:\n{results.generate_report()}"
    scroll_width, width = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert scroll_width <= width, f"{name} scrolls sideways in {width}px: content is {scroll_width}px wide"


def log_in(page: Page, base_url: str, username: str) -> None:
    """Log in through the form with the demo password; lands on the person's home.

    Professionals and coordinators then pass the code step: their account gets an authenticator
    device in the database if it has none (as if set up before), and the code is worked out from
    its key, as the person's app would. tests/e2e/test_two_factor_journey.py does set-up itself.
    """
    device = _app_device_of(username)
    page.goto(f"{base_url}/accounts/login/")
    check_page(page, "log-in page")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Log in").click()
    if device is not None:
        expect(page).to_have_url(re.compile(r"/accounts/two-factor/code/"))
        page.get_by_label("Code", exact=True).fill(fresh_code(device))
        page.get_by_role("main").get_by_role("button", name="Continue").click()
    expect(page).to_have_url(f"{base_url}/home/")


def _app_device_of(username: str) -> Any | None:
    from carepath.accounts.models import User

    return app_device_for(User.objects.get(username=username))
