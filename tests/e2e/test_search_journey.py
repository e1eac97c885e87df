"""Finding support in a real browser: words and a place, filters, result cards, pages, a refusal.

axe and the no-sideways-scroll check run on every page, at desktop width and at 320 px.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.pages import check_page
from tests.search_directory import load_search_directory

pytestmark = pytest.mark.browser


@pytest.fixture
def directory(transactional_db: Any) -> None:
    load_search_directory()


@pytest.mark.parametrize("width", [1280, 320])
def test_a_person_finds_a_peer_group_near_them(
    page: Page, live_server: Any, directory: None, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Find support").click()
    expect(page.get_by_role("heading", level=1, name="Find support")).to_be_visible()
    check_page(page, "the search form")

    page.get_by_label("What are you looking for?").fill("anxiety group")
    page.get_by_label("Near (town or postcode)").fill("London")
    page.get_by_label("Within").select_option("5")
    page.get_by_text("More filters").click()
    page.get_by_role("group", name="Kind of support").get_by_text("Peer support", exact=True).click()
    page.get_by_role("button", name="Search").click()

    results = page.get_by_role("region", name="Services found")
    expect(results.get_by_role("status")).to_contain_text("near London, GB")
    card = results.get_by_role("article", name="Harbour Anxiety Peer Group")
    expect(card).to_contain_text("Peer support")
    expect(card).to_contain_text("What you say stays in the group.")
    expect(card).to_contain_text("when someone's life is at risk")
    expect(card).to_contain_text("Free — No charge.")
    expect(card).to_contain_text("Listing last checked")
    expect(results.get_by_role("article", name="Quayside Counselling")).to_have_count(0)  # professional
    check_page(page, "search results")
    # The search is a plain link: it can be kept or shared, and the form keeps what was asked.
    assert "q=anxiety+group" in page.url and "support_type=peer" in page.url
    expect(page.get_by_label("What are you looking for?")).to_have_value("anxiety group")


def test_a_place_that_is_not_known_is_explained_beside_the_field(
    page: Page, live_server: Any, directory: None
) -> None:
    page.goto(f"{live_server.url}/find/")
    page.get_by_label("Near (town or postcode)").fill("Nowhere Atall")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("alert")).to_contain_text("no town or postal code")
    expect(page.locator("#near-error")).to_be_visible()
    check_page(page, "a refused search")


def test_results_come_in_pages(page: Page, live_server: Any, directory: None) -> None:
    page.goto(f"{live_server.url}/find/?near=London&per_page=2")
    page.get_by_role("navigation", name="Result pages").get_by_role("link", name="Next page").click()
    expect(page.get_by_role("region", name="Services found").get_by_role("status")).to_contain_text("page 2")
    check_page(page, "a second page of results")
