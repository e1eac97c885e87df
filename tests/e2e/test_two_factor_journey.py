"""A coordinator sets up two-factor sign-in in a real browser, logs out, and logs in with a code.

The test plays the authenticator app: it reads the key printed on the set-up page and works out
the code from it. axe checks every page, at a desktop width and at 320 px.
"""

from __future__ import annotations

import re
from base64 import b32decode
from typing import Any

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from carepath.demo.services import DEMO_PASSWORD
from tests.e2e.pages import check_page
from tests.sign_in import fresh_code

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo_data")]

USERNAME = "demo-coordinator"


def app_code(key_text: str) -> str:
    key = key_text.replace(" ", "")
    return f"{TOTP(b32decode(key + '=' * (-len(key) % 8))).token():06d}"


def password_step(page: Page, base: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(USERNAME)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Log in").click()


@pytest.mark.parametrize("width", [1280, 320])
def test_a_coordinator_sets_up_then_signs_in_with_a_code(page: Page, live_server: Any, width: int) -> None:
    base = live_server.url
    page.set_viewport_size({"width": width, "height": 900})
    password_step(page, base)

    # First sign-in: nothing but set-up until it is done, and the page asked for is kept.
    expect(page).to_have_url(f"{base}/accounts/two-factor/set-up/?next=%2Fhome%2F")
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor sign-in")
    expect(page.get_by_role("img", name="QR code to add Carepath to an authenticator app")).to_be_visible()
    check_page(page, f"set-up page at {width}px")
    page.goto(f"{base}/directory/manage/")
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/set-up/\?next=%2Fdirectory%2Fmanage%2F$"))

    right = app_code(page.locator("#two-factor-key").inner_text())
    page.get_by_label("Code from your app").fill("000000" if right != "000000" else "111111")
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.get_by_role("main")).to_contain_text("That code was not accepted")
    check_page(page, f"set-up page with a refused code at {width}px")
    page.wait_for_timeout(1100)  # after one wrong code the next is looked at only a second later

    right = app_code(page.locator("#two-factor-key").inner_text())  # the same key, perhaps a new code
    page.get_by_label("Code from your app").fill(right)
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-factor sign-in is on")
    expect(page.get_by_role("main").locator("ol li")).to_have_count(10)
    check_page(page, f"recovery codes at {width}px")
    page.get_by_role("link", name="I have kept them safe, continue").click()
    expect(page).to_have_url(f"{base}/directory/manage/")

    page.goto(f"{base}/accounts/me/")
    expect(page.get_by_role("heading", name="Two-factor sign-in")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("You have 10 recovery codes left.")
    check_page(page, f"account page with two-factor sign-in on at {width}px")
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You have logged out")

    # Second sign-in: the password, then the code step.
    password_step(page, base)
    expect(page).to_have_url(f"{base}/accounts/two-factor/code/?next=%2Fhome%2F")
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your sign-in code")
    check_page(page, f"code page at {width}px")
    device = TOTPDevice.objects.get(user__username=USERNAME, confirmed=True)
    page.get_by_label("Code", exact=True).fill(fresh_code(device))
    page.get_by_role("main").get_by_role("button", name="Continue").click()
    expect(page).to_have_url(f"{base}/home/")
    expect(page.get_by_role("heading", name="Organisations in the directory")).to_be_visible()
