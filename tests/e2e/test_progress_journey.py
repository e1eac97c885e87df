"""A person's progress in a real browser: start an episode, see the chart and its table, record a
session, end it; axe on every page, at 1280 and 320 pixels wide."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from carepath.accounts.models import User
from carepath.screening.models import Assessment
from tests.e2e.pages import check_page, log_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo_data")]

# Days before today, PHQ-9 and GAD-7 totals: a course that ends below both cut-offs.
CHECK_INS = ((40, 17, 13), (26, 12, 9), (12, 7, 5))


@pytest.fixture
def kept_check_ins(demo_data: None) -> None:
    """Sam's stored check-ins over the last six weeks, as the check-in pages would have kept them."""
    sam = User.objects.get(username="demo-seeker")
    now = timezone.now()
    for days_ago, phq9, gad7 in CHECK_INS:
        for code, total in (("phq9", phq9), ("gad7", gad7)):
            Assessment.objects.create(
                person=sam,
                instrument=code,
                instrument_version="1",
                answers={},
                total=total,
                band_index=0,
                band_label="",
                completed_at=now - dt.timedelta(days=days_ago),
            )


def test_a_person_starts_an_episode_and_follows_their_progress(
    page: Page, live_server: Any, kept_check_ins: None
) -> None:
    base = live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, base, "demo-seeker")
    page.get_by_role("link", name="Your progress and episodes of support").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your progress")
    expect(page.get_by_text("No episodes yet.")).to_be_visible()
    check_page(page, "progress page without episodes")

    started = timezone.localdate() - dt.timedelta(days=45)
    page.get_by_label("Kind of support").select_option(label="Peer support")
    page.get_by_label("Start date").fill(started.isoformat())
    page.get_by_role("button", name="Start the episode").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your progress: Peer support")
    expect(page.get_by_role("status")).to_have_text("Your episode of support is started.")
    for name, first, last, rows in (
        ("PHQ-9", "17", "7", ["No", "No", "Yes, better"]),
        ("GAD-7", "13", "5", ["No", "Yes, better", "Yes, better"]),  # 13 → 9 is already 4
    ):
        chart = page.get_by_role("img", name=f"Chart of your {name} scores in this episode")
        expect(chart).to_be_visible()
        expect(chart).to_have_accessible_description(re.compile(r"^3 scores from "))
        table = page.get_by_role("table", name=re.compile(f"^{name} scores"))
        expect(table.get_by_role("row")).to_have_count(4)
        expect(table.get_by_role("row").nth(1)).to_contain_text(first)
        expect(table.get_by_role("row").nth(3)).to_contain_text(last)
        for index, reliable in enumerate(rows, start=1):
            expect(table.get_by_role("row").nth(index).get_by_role("cell").last).to_have_text(reliable)
    summary = page.get_by_role("region", name="In short")
    expect(summary).to_contain_text("Your PHQ-9 score has come down from 17 to 7.")
    expect(summary).to_contain_text("Services call this reliable recovery.")
    check_page(page, "episode page at 1280px")

    page.set_viewport_size({"width": 320, "height": 800})
    chart_box = page.get_by_role("img", name="Chart of your PHQ-9 scores in this episode").bounding_box()
    assert chart_box and chart_box["width"] <= 320
    check_page(page, "episode page at 320px")

    page.get_by_role("button", name="Add one attended session").click()
    expect(page.get_by_role("status")).to_have_text("The session is recorded.")
    expect(page.get_by_role("definition").filter(has_text=re.compile(r"^1$"))).to_be_visible()

    end_date = page.get_by_label("End date")
    end_date.fill((started - dt.timedelta(days=1)).isoformat())
    page.get_by_role("button", name="End the episode").click()
    expect(page.get_by_text("Cannot be before the start date.")).to_be_visible()
    expect(page.get_by_label("End date")).to_have_attribute("aria-invalid", "true")
    check_page(page, "episode page with an error at 320px")

    page.get_by_label("End date").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="End the episode").click()
    expect(page.get_by_role("status")).to_contain_text("The episode is ended.")
    expect(page.get_by_role("button", name="End the episode")).to_have_count(0)

    page.get_by_role("link", name="All your episodes").click()
    expect(page.get_by_role("link", name=re.compile(r"^Peer support, from "))).to_be_visible()
    check_page(page, "progress page with an ended episode at 320px")
