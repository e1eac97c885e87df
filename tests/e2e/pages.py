"""Helpers shared by the browser journeys: the per-page accessibility check and logging in."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]
from playwright.sync_api import Page, expect

from carepath.demo.services import DEMO_PASSWORD

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
    """Log in through the form with the demo password; lands on the person's home."""
    page.goto(f"{base_url}/accounts/login/")
    check_page(page, "log-in page")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{base_url}/home/")
