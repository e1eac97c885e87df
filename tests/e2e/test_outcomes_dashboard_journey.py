"""The coordinator's programme outcomes dashboard in a real browser: from the home page to the
figures, a filter, a mistake in a filter, and the CSV link; axe on every page, at 1280 and 320 px."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from carepath.demo.services import load_demo_outcomes
from carepath.directory.models import Service
from tests.e2e.pages import check_page, log_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo_data")]


@pytest.fixture
def demo_outcomes(demo_data: None) -> None:
    # Six services, as the demo directory would give, so that the per-service view has small groups.
    for number in range(6):
        Service.objects.create(name=f"Demo service {number + 1}", status="active")
    load_demo_outcomes(episodes=300, seed=1, today=timezone.localdate())


def test_a_coordinator_reads_programme_outcomes(page: Page, live_server: object, demo_outcomes: None) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, base, "demo-coordinator")
    page.get_by_role("link", name="See programme outcomes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Programme outcomes")

    chart = page.get_by_role("img", name="Recovery rate per group, with 95% confidence intervals")
    expect(chart).to_be_visible()
    expect(chart).to_have_accessible_description(re.compile(r"^Each group has a dot at its recovery rate"))
    for name in ("Peer support", "Professional support", "Peer and professional support"):
        table = page.get_by_role("table", name=name, exact=True)
        expect(table).to_be_visible()
        recovery = table.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Recovery rate"))
        expect(recovery).to_contain_text(re.compile(r"\d+\.\d% to \d+\.\d%"))
    check_page(page, "programme outcomes at 1280px")

    page.get_by_label("Show figures per").select_option(label="service")
    page.get_by_role("button", name="Show the figures").click()
    expect(page).to_have_url(re.compile(r"group_by=service"))
    expect(page.get_by_role("table", name="Demo service 1", exact=True)).to_be_visible()
    expect(page.get_by_role("cell", name=re.compile(r"fewer than 5")).first).to_be_visible()
    expect(page.get_by_role("link", name="Download these figures (CSV)")).to_have_attribute(
        "href", re.compile(r"^/programme/outcomes\.csv\?.*group_by=service")
    )
    check_page(page, "programme outcomes per service at 1280px")

    page.set_viewport_size({"width": 320, "height": 800})
    box = chart.bounding_box()
    assert box and box["width"] <= 320
    check_page(page, "programme outcomes per service at 320px")

    page.get_by_label("Ended on or after").fill("2026-06-01")
    page.get_by_label("Ended on or before").fill("2026-01-01")
    page.get_by_role("button", name="Show the figures").click()
    expect(page.get_by_text("cannot be before 'from'")).to_be_visible()
    expect(page.get_by_label("Ended on or before")).to_have_attribute("aria-invalid", "true")
    check_page(page, "programme outcomes with a bad filter at 320px")
