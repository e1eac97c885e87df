"""A result card in a real browser: hours kept at a service's place, hours given only as rules, and a
language sent as `eng`.

axe and the no-sideways-scroll check run at desktop width and at 320 px.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from playwright.sync_api import Page, expect

from carepath.directory.services.hsds_bulk import insert_hsds_rows
from carepath.directory.services.search_index import refresh_search_entries
from tests.e2e.pages import check_page
from tests.search_directory import IDS, load_search_directory

pytestmark = pytest.mark.browser
AT_MANCHESTER = "00000000-0000-4000-b000-000000000004"  # the recovery café at its Manchester place


@pytest.fixture
def directory(transactional_db: Any) -> None:
    load_search_directory()
    with transaction.atomic():
        insert_hsds_rows(
            {
                "schedule": [
                    {
                        "id": "00000000-0000-4000-9100-000000000001",
                        "service_at_location_id": AT_MANCHESTER,
                        "freq": "WEEKLY",
                        "byday": "SU",
                        "opens_at": "10:00",
                        "closes_at": "14:00",
                        "description": "Sundays 10:00 to 14:00.",
                    }
                ],
                "language": [
                    {
                        "id": "00000000-0000-4000-d100-000000000001",
                        "service_id": IDS["recovery"],
                        "code": "eng",
                    }
                ],
            }
        )
        refresh_search_entries([IDS["recovery"]])


@pytest.mark.parametrize("width", [1280, 320])
def test_a_card_shows_hours_at_a_place_and_in_words_and_names_a_three_letter_language(
    page: Page, live_server: Any, directory: None, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/find/")
    page.get_by_label("What are you looking for?").fill("recovery")
    page.get_by_label("Near (town or postcode)").fill("Manchester")
    page.get_by_text("More filters").click()
    page.get_by_role("group", name="Language").get_by_text("English", exact=True).click()
    page.get_by_role("button", name="Search").click()

    card = page.get_by_role("region", name="Services found").get_by_role(
        "article", name="Mill Town Recovery Café"
    )
    expect(card).to_contain_text("At manchester: Sundays 10:00 to 14:00.")
    # The café's own Saturday hours have no description: the card puts their rules into words.
    expect(card).to_contain_text("Saturday, 10:00 to 13:00.")
    expect(card).to_contain_text("English")
    check_page(page, f"a card with a place's hours at {width}px")
