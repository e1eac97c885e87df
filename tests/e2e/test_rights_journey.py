"""The person's rights in a real browser: download everything from the account page, then delete
the account (after a wrong password first). axe and the sideways-scrolling check run on every page,
at 1280 and 320 px."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from carepath.demo.services import DEMO_PASSWORD
from tests.e2e.pages import check_page, log_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo_data")]


def both_widths(page: Page, name: str) -> None:
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        check_page(page, f"{name} at {width}px")


def test_a_person_downloads_their_data_then_deletes_their_account(page: Page, live_server: Any) -> None:
    base = live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, base, "demo-seeker")
    page.get_by_role("link", name="Your account").click()
    expect(page.get_by_role("heading", name="Your data")).to_be_visible()
    both_widths(page, "account page")

    with page.expect_download() as download:
        page.get_by_role("button", name="Download as JSON").click()
    assert download.value.suggested_filename.endswith(".json")
    document = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert document["sections"]["account"]["username"] == "demo-seeker"
    with page.expect_download() as fhir:
        page.get_by_role("button", name="Download for health systems (FHIR)").click()
    assert json.loads(Path(fhir.value.path()).read_text(encoding="utf-8"))["resourceType"] == "Bundle"

    page.get_by_role("link", name="Delete my account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete your account")
    expect(page.get_by_role("heading", name="What stays, and why")).to_be_visible()
    both_widths(page, "erasure page")

    page.get_by_label("Your password").fill("not the password")
    page.get_by_role("button", name="Delete my account for good").click()
    expect(page.locator("#id_password_error")).to_contain_text("Is not the password of this account.")
    both_widths(page, "erasure page with a wrong password")

    page.get_by_label("Your password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Delete my account for good").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account is deleted")
    both_widths(page, "account deleted page")

    page.goto(f"{base}/accounts/me/")
    expect(page).to_have_url(f"{base}/accounts/login/?next=/accounts/me/")
