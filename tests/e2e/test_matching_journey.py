"""Matching in a real browser: a person states their wishes, fixes a mistake from the error
summary and reads suggested peer supporters with the reasons; a peer supporter fills in their
profile. axe on every page, at 1280 and 320 pixels wide."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from carepath.demo.services import load_demo_supporters
from tests.e2e.pages import check_page, log_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo_data")]


@pytest.fixture
def demo_supporters(demo_data: None) -> None:
    load_demo_supporters(count=40, seed=1, today=timezone.localdate())


def test_a_person_finds_peer_supporters_with_reasons(
    page: Page, live_server: Any, demo_supporters: None
) -> None:
    base = live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, base, "demo-seeker")
    page.get_by_role("link", name="Find a peer supporter who has been through something like you").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Find a peer supporter")
    check_page(page, "matches page without wishes at 1280px")

    topics = page.get_by_role("group", name="Experiences you would like your supporter to have lived through")
    topics.get_by_label("Anxiety", exact=True).check()
    topics.get_by_label("Loneliness").check()
    languages = page.get_by_role("group", name="Languages you can talk in")
    languages.get_by_label("English").uncheck()
    days = page.get_by_role("group", name="Days")
    for day in ("Monday", "Tuesday", "Wednesday", "Thursday"):
        days.get_by_label(day).check()
    page.get_by_label("Free from (your time)").fill("18:00")
    page.get_by_label("Free until (your time)").fill("21:00")
    page.get_by_role("group", name="Ways of meeting").get_by_label("Online").check()
    page.get_by_role("button", name="Save and see suggestions").click()

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Nothing was saved.")
    summary.get_by_role("link", name="Languages you can talk in: Choose at least one language.").click()
    expect(languages.get_by_label("English")).to_be_focused()
    check_page(page, "matches page with a problem at 1280px")
    page.set_viewport_size({"width": 320, "height": 800})
    check_page(page, "matches page with a problem at 320px")

    languages.get_by_label("English").check()
    page.get_by_role("button", name="Save and see suggestions").click()
    expect(page.get_by_role("status")).to_have_text("Your wishes are saved. Your suggestions are below.")
    suggestions = page.get_by_role("region", name="Suggested for you")
    expect(suggestions.get_by_role("article")).to_have_count(10)
    first = suggestions.get_by_role("article").first
    expect(first.get_by_role("list")).to_contain_text("You both have lived experience of")
    expect(
        suggestions.get_by_text(re.compile(r"has no free places at the moment|have no free places"))
    ).to_be_visible()
    check_page(page, "matches page with suggestions at 320px")
    page.set_viewport_size({"width": 1280, "height": 900})
    check_page(page, "matches page with suggestions at 1280px")


def test_a_peer_supporter_fills_in_their_profile(page: Page, live_server: Any) -> None:
    base = live_server.url
    page.set_viewport_size({"width": 320, "height": 800})
    log_in(page, base, "demo-peer")
    page.get_by_role("link", name="Edit your peer supporter profile").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your peer supporter profile")
    check_page(page, "supporter profile page at 320px")

    lived = page.get_by_role("group", name="What you have lived through and can talk about")
    lived.get_by_label("Bereavement and grief").check()
    page.get_by_label("Your experience, in your own words").fill(
        "I lost my father at twenty and found my way back"
    )
    page.get_by_role("group", name="Ways of meeting").get_by_label("Online").check()
    page.get_by_role("group", name="Days").get_by_label("Tuesday").check()
    page.get_by_label("Free from (your time)").fill("18:00")
    page.get_by_label("Free until (your time)").fill("20:00")
    page.get_by_label("Most people you can support at once").fill("2")
    page.get_by_label("People you support now").fill("3")
    page.get_by_role("button", name="Save your profile").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Cannot be more than the most people you can support at once."
    )
    expect(page.get_by_label("People you support now")).to_have_attribute("aria-invalid", "true")
    check_page(page, "supporter profile page with a problem at 320px")

    page.get_by_label("People you support now").fill("1")
    page.get_by_role("button", name="Save your profile").click()
    expect(page.get_by_role("status")).to_have_text("Your profile is saved.")
    page.set_viewport_size({"width": 1280, "height": 900})
    check_page(page, "supporter profile page saved at 1280px")
    page.get_by_role("link", name="See your whole profile as coordinators see it").click()
    expect(page.get_by_role("definition").filter(has_text="Bereavement and grief")).to_be_visible()
    check_page(page, "whole supporter profile at 1280px")
