"""The audit trail in a real browser: a coordinator filters the audit page (and makes a mistake in a
filter); the person whose records they looked at then sees that on their own access log. axe and
the sideways-scrolling check run on every page, at 1280 and 320 px."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.pages import check_page, log_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo_data")]


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You have logged out")


def test_a_coordinator_filters_the_audit_trail_and_the_person_sees_it(page: Page, live_server: Any) -> None:
    base = live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, base, "demo-seeker")  # gives the trail an event about the help-seeker
    log_out(page)

    log_in(page, base, "demo-coordinator")
    page.get_by_role("link", name="See the full audit trail").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit trail")
    events = page.get_by_role("table", name="Recorded events, newest first")
    expect(events).to_contain_text("demo-seeker")
    expect(page.get_by_text("Events in the chain")).to_be_visible()
    check_page(page, "audit trail at 1280px")

    page.get_by_label("Whose records (username)").fill("demo-seeker")
    page.get_by_label("What happened").select_option(label="Logged in")
    page.get_by_role("button", name="Show events").click()
    expect(page).to_have_url(re.compile(r"person=demo-seeker"))
    rows = events.get_by_role("row")
    expect(rows).to_have_count(2)  # the header and the help-seeker's one log-in
    expect(rows.nth(1)).to_contain_text("demo-seeker")
    expect(rows.nth(1)).to_contain_text("Logged in")
    check_page(page, "audit trail filtered to one person at 1280px")

    page.set_viewport_size({"width": 320, "height": 800})
    check_page(page, "audit trail filtered to one person at 320px")

    page.get_by_label("Who acted (username)").fill("nobody-by-this-name")
    page.get_by_role("button", name="Show events").click()
    expect(page.locator("#id_actor_error")).to_contain_text("No account has this username.")
    expect(page.get_by_label("Who acted (username)")).to_have_attribute("aria-invalid", "true")
    check_page(page, "audit trail with a bad filter at 320px")
    log_out(page)

    log_in(page, base, "demo-seeker")
    page.get_by_role("link", name="Your account").click()
    page.get_by_role("link", name="Who has seen your records").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Who has seen your records")
    looked = page.locator(".listing", has_text="Audit trail read")
    expect(looked).to_have_count(1)
    expect(looked).to_contain_text("Chris (demo coordinator), Coordinator")
    expect(looked).to_contain_text("Your account")
    expect(page.locator(".listing", has_text="Logged in").first).to_contain_text("You")
    check_page(page, "access log at 320px")

    page.set_viewport_size({"width": 1280, "height": 900})
    check_page(page, "access log at 1280px")
