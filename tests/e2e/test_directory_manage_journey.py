"""A coordinator keeps the directory right in a real browser: finds a stale listing, edits it,
marks it checked, and the stale flag is gone; gives a service a cost option, a language and
opening hours by keyboard, and people's search finds it by them. axe and the no-sideways-scroll
check run on every page, at 1280px and 320px."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from carepath.directory.models import Organization, Service
from tests.e2e.pages import check_page, log_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo_data")]


@pytest.fixture
def stale_listing(demo_data: None) -> Service:
    organization = Organization.objects.get(name="Harbour Peer Network (demo)")
    checked = timezone.localdate() - dt.timedelta(days=400)
    return Service.objects.create(
        organization_id=organization.pk,
        name="Tuesday evening peer group",
        status="active",
        support_type="peer",
        assured_date=checked,
    )


def test_a_coordinator_checks_a_stale_listing_and_the_flag_goes(
    page: Page, live_server: Any, stale_listing: Service
) -> None:
    base = live_server.url
    page.set_viewport_size({"width": 320, "height": 800})
    log_in(page, base, "demo-coordinator")
    expect(page.get_by_text("1 listing needs checking:")).to_be_visible()
    check_page(page, "coordinator home with a stale listing at 320px")

    page.get_by_role("link", name="Check stale listings").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Listings that need checking")
    card = page.locator(".listing", has_text="Tuesday evening peer group")
    expect(card.get_by_text("Needs checking:")).to_be_visible()
    expect(card).to_contain_text("more than 180 days ago")
    check_page(page, "stale listings at 320px")

    card.get_by_role("link", name="Tuesday evening peer group").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit service: Tuesday evening peer group")
    check_page(page, "service form at 320px")

    # A mistake first: the problem is shown beside its field, and nothing is saved.
    page.get_by_label("Youngest age (years)").fill("30")
    page.get_by_label("Oldest age (years)").fill("18")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#id_maximum_age_error")).to_contain_text("is below the minimum age (30)")
    expect(page.get_by_label("Oldest age (years)")).to_have_attribute("aria-invalid", "true")
    check_page(page, "service form with a problem at 320px")

    page.get_by_label("Oldest age (years)").fill("")
    page.get_by_label("Description").fill("A relaxed group for people living with low mood.")
    page.get_by_label("Safeguarding a child").check()
    page.get_by_label("I checked this listing today").check()
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Listings that need checking")
    expect(page.get_by_role("status")).to_contain_text("Saved.")
    expect(page.get_by_text("Tuesday evening peer group")).to_have_count(0)
    check_page(page, "stale listings after the check at 320px")

    page.get_by_role("navigation", name="Directory management").get_by_role("link", name="Services").click()
    card = page.locator(".listing", has_text="Tuesday evening peer group")
    expect(card).to_contain_text(f"Last checked {timezone.localdate().isoformat()}.")
    expect(card.get_by_text("Needs checking:")).to_have_count(0)
    stored = Service.objects.get(pk=stale_listing.pk)
    assert stored.confidentiality_limits == ["safeguarding_child"] and stored.minimum_age == 30


def test_organisation_and_location_pages_pass_axe_at_320px(page: Page, live_server: Any) -> None:
    base = live_server.url
    page.set_viewport_size({"width": 320, "height": 800})
    log_in(page, base, "demo-coordinator")
    page.goto(f"{base}/directory/manage/organisations/")
    check_page(page, "organisations at 320px")
    page.get_by_role("link", name="Riverside Counselling Clinic (demo)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Riverside Counselling Clinic (demo)")
    check_page(page, "an organisation at 320px")

    page.get_by_role("link", name="Add a location").click()
    page.get_by_label("Kind of place").select_option("physical")
    page.get_by_label("Name", exact=True).fill("Riverside rooms")
    page.get_by_label("Latitude").fill("91")
    page.get_by_label("Longitude").fill("-1.5")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#id_latitude_error")).to_contain_text("91 is outside -90 to 90")
    check_page(page, "location form with a problem at 320px")
    page.get_by_label("Latitude").fill("53.8")
    page.get_by_label("Address line 1").fill("4 Mill Lane")
    page.get_by_label("Town or city").fill("Leeds")
    page.get_by_label("County, state or province").fill("West Yorkshire")
    page.get_by_label("Postcode").fill("LS1 4AP")
    page.get_by_label("Country code").fill("gb")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Riverside Counselling Clinic (demo)")
    expect(page.locator(".listing", has_text="Riverside rooms")).to_contain_text("4 Mill Lane, Leeds LS1 4AP")
    check_page(page, "an organisation with its new location at 320px")

    page.get_by_role("link", name="Add a service").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a service")
    page.get_by_label("Name", exact=True).fill("Evening counselling")
    page.get_by_label("Kind of support").select_option("professional")
    page.get_by_label("Riverside rooms (Physical)").check()
    page.get_by_label("A risk to someone's life").check()
    check_page(page, "service form with places at 320px")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("The service is added.")
    card = page.locator(".listing", has_text="Evening counselling")
    expect(card.get_by_text("Needs checking:")).to_have_count(0)  # a new listing counts as changed today
    service = Service.objects.get(name="Evening counselling")
    assert service.service_at_locations.get().location.name == "Riverside rooms"


@pytest.fixture
def listening_circle(demo_data: None) -> Service:
    from carepath.accounts.models import User
    from carepath.directory.services import editing

    organization = Organization.objects.get(name="Harbour Peer Network (demo)")
    return editing.create_service(
        actor=User.objects.get(username="demo-coordinator"),
        organization=organization,
        values={"name": "Kittiwake listening circle", "status": "active", "support_type": "peer"},
        checked_today=True,
    )


def type_time(page: Page, label: str, keys: str) -> None:
    """Chromium's time field takes digits, then A or P for the morning or the afternoon."""
    page.get_by_role("textbox", name=label, exact=True).press_sequentially(keys)


def tab_out_of(page: Page, element_id: str) -> None:
    """Tab past the field's own stops (Chromium's time field has its segments and a picker button)."""
    for _ in range(5):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") != element_id:
            return
    raise AssertionError(f"Tab never left #{element_id}")


def test_a_coordinator_adds_costs_a_language_and_hours_by_keyboard(
    page: Page, live_server: Any, listening_circle: Service
) -> None:
    base = live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, base, "demo-coordinator")
    page.goto(f"{base}/directory/manage/?q=Kittiwake")
    page.get_by_role("link", name="Kittiwake listening circle").press("Enter")
    page.get_by_role("link", name="Costs, languages and opening hours of this service").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kittiwake listening circle")
    check_page(page, "a service's page without costs, languages or hours at 1280px")

    # A cost option, found under "sliding scale": the tick is written into its words.
    page.get_by_role("link", name="Add a cost option").press("Enter")
    page.get_by_label("What the price is for").press_sequentially("Evening group")
    page.get_by_label("Amount", exact=True).press_sequentially("5")
    page.get_by_label("Currency", exact=True).press_sequentially("gbp")
    page.get_by_label("Sliding scale (the price depends on income)").press("Space")
    check_page(page, "the cost option form at 1280px")
    page.get_by_role("button", name="Save").press("Enter")
    expect(page.get_by_role("status")).to_contain_text("The cost option is added.")
    costs = page.get_by_role("region", name="Costs")
    expect(costs).to_contain_text("Evening group (sliding scale)")
    expect(costs).to_contain_text("5 GBP")

    # A language by its code; Enter in the field sends the form.
    page.get_by_role("link", name="Add a language").press("Enter")
    page.get_by_label("Language code").press_sequentially("cy")
    page.get_by_label("Language code").press("Enter")
    expect(page.get_by_role("status")).to_contain_text("The language is added.")
    expect(page.get_by_role("region", name="Languages")).to_contain_text("Welsh (cy)")

    # Hours: a split Monday, a mistake on Tuesday shown beside its field, then corrected.
    page.get_by_role("link", name="Change the hours wherever it is offered").press("Enter")
    type_time(page, "Monday, time 1: opens", "0900A")
    tab_out_of(page, "id_mo_1_opens")
    assert page.evaluate("document.activeElement.id") == "id_mo_1_closes"  # next in the tab order
    page.keyboard.type("1200P")
    type_time(page, "Monday, time 2: opens", "0100P")
    type_time(page, "Monday, time 2: closes", "0500P")
    type_time(page, "Tuesday, time 1: opens", "1000A")
    type_time(page, "Tuesday, time 1: closes", "1000A")
    page.get_by_role("button", name="Save").press("Enter")
    expect(page.locator("#id_tu_1_closes_error")).to_contain_text("Must differ from the opening time")
    closes = page.get_by_role("textbox", name="Tuesday, time 1: closes", exact=True)
    expect(closes).to_have_attribute("aria-invalid", "true")
    check_page(page, "the hours form with a problem at 1280px")
    type_time(page, "Tuesday, time 1: closes", "0400P")
    page.get_by_role("button", name="Save").press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Saved.")
    hours = page.get_by_role("region", name="Opening hours")
    expect(hours).to_contain_text("09:00 to 12:00 and 13:00 to 17:00")
    expect(hours).to_contain_text("10:00 to 16:00")
    check_page(page, "a service's page with costs, a language and hours at 1280px")

    page.set_viewport_size({"width": 320, "height": 800})
    check_page(page, "a service's page with costs, a language and hours at 320px")
    page.get_by_role("link", name="Change the hours wherever it is offered").press("Enter")
    check_page(page, "the hours form at 320px")
    page.go_back()
    page.get_by_role("link", name="Edit Evening group (sliding scale)").press("Enter")
    check_page(page, "the cost option form at 320px")

    # People find it: open on a Monday morning in November (London is on UTC), by cost and language.
    search = f"{base}/find/?q=kittiwake&tz=Europe/London&open=at"
    page.goto(f"{search}&at=2026-11-23T10:30&cost=sliding_scale&language=cy")
    card = page.locator(".service-card", has_text="Kittiwake listening circle")
    expect(card.get_by_text("Open at the time you chose")).to_be_visible()
    expect(card).to_contain_text("Monday: 09:00 to 12:00 and 13:00 to 17:00.")
    check_page(page, "search results with the new hours at 320px")
    page.goto(f"{search}&at=2026-11-23T12:30")
    expect(page.locator(".service-card", has_text="Kittiwake listening circle")).to_have_count(0)
