"""A coordinator proposes a batch assignment for the people waiting and from a file, fixing a bad
file from the error summary and saving the result; a professional fills in their profile. axe on
every page, at 1280 and 320 pixels wide."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from carepath.accounts.models import User
from carepath.demo.services import load_demo_supporters
from carepath.matching import services
from tests.e2e.pages import check_page, log_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo_data")]


@pytest.fixture
def people_waiting(demo_data: None) -> None:
    load_demo_supporters(count=40, seed=1, today=timezone.localdate())
    for number, topics in enumerate((["anxiety"], ["bereavement"], ["loneliness", "depression"])):
        person = User.objects.create_user(
            f"waiting-{number}", role="help_seeker", display_name=f"Person {number}"
        )
        wishes = {"languages": ["en"], "topics": topics, "modalities": ["online"]}
        services.save_matching_wishes(actor=person, person=person, data=wishes)


def both_widths(page: Page, name: str) -> None:
    page.set_viewport_size({"width": 320, "height": 800})
    check_page(page, f"{name} at 320px")
    page.set_viewport_size({"width": 1280, "height": 900})
    check_page(page, f"{name} at 1280px")


def test_a_coordinator_proposes_an_assignment(
    page: Page, live_server: Any, people_waiting: None, tmp_path: Path
) -> None:
    base = live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, base, "demo-coordinator")
    page.goto(f"{base}/coordinator/assignment/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Batch assignment of peer supporters")
    both_widths(page, "batch assignment page")

    page.get_by_role("button", name="Propose an assignment for everyone waiting").click()
    expect(page.get_by_role("heading", name="Proposed assignment")).to_be_visible()
    placements = page.get_by_role("region", name="Each person, their proposed supporter, the match score")
    expect(placements.get_by_role("row", name=re.compile("Person 0"))).to_contain_text("Speaks English")
    both_widths(page, "batch assignment proposal")

    broken = tmp_path / "programme.json"
    broken.write_text(json.dumps({"seekers": [{"id": "a"}, {"id": "a"}], "supporters": []}))
    page.get_by_label("Instance file (JSON)").set_input_files(str(broken))
    page.get_by_role("button", name="Assign from this file").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("seekers[1].id: 'a' is listed twice")
    summary.get_by_role("link").click()
    expect(page.get_by_label("Instance file (JSON)")).to_be_focused()
    both_widths(page, "batch assignment with a bad file")

    good = tmp_path / "fixed.json"
    good.write_text(
        json.dumps(
            {
                "seekers": [{"id": "a", "languages": ["en"]}, {"id": "b", "languages": ["fr"]}],
                "supporters": [{"id": "p", "capacity": 1, "languages": ["en"], "modalities": ["online"]}],
            }
        )
    )
    page.get_by_label("Instance file (JSON)").set_input_files(str(good))
    page.get_by_role("button", name="Assign from this file").click()
    expect(page.get_by_text("For the file fixed.json.")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the result (JSON)").click()
    saved = Path(download.value.path())
    result = json.loads(saved.read_text())
    assert [item["supporter"] for item in result["assignments"]] == ["p", None]
    both_widths(page, "batch assignment from a file")


def test_a_professional_fills_in_their_profile(page: Page, live_server: Any) -> None:
    base = live_server.url
    page.set_viewport_size({"width": 320, "height": 800})
    log_in(page, base, "demo-professional")
    page.goto(f"{base}/professional/profile/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your professional profile")
    both_widths(page, "professional profile page")

    page.get_by_label("Licence or registration type").fill("Clinical psychologist")
    page.get_by_label("Licensing body").fill("Health and Care Professions Council")
    page.get_by_label("Most people you can see at once").fill("60")
    ways = page.get_by_role("group", name="Ways of meeting")
    ways.get_by_label("Online").check()
    page.get_by_role("button", name="Save your profile").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Nothing was saved.")
    summary.get_by_role("link", name=re.compile("Most people you can see at once")).click()
    expect(page.get_by_label("Most people you can see at once")).to_be_focused()
    both_widths(page, "professional profile with a problem")

    page.get_by_label("Most people you can see at once").fill("8")
    page.get_by_role("button", name="Save your profile").click()
    expect(page.get_by_role("status")).to_have_text("Your profile is saved.")
    expect(page.get_by_label("Licence or registration type")).to_have_value("Clinical psychologist")
    both_widths(page, "professional profile saved")
