"""Consent-scoped sharing in a real browser: a person reads a service's confidentiality policy and
its limits before confirming a request for contact; then shares their safety plan with their peer
supporter, who reads it; the person withdraws, and the supporter's next load is "not found".
axe on every page, at 1280 and 320 pixels wide."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from carepath.demo.services import DEMO_PASSWORD
from tests.e2e.pages import check_page, log_in
from tests.referral_setup import active, ask_peer, keep_plan, peer_profile, professional_profile
from tests.sharing_setup import HARBOUR_POLICY, PLAN, service_of

pytestmark = pytest.mark.browser


@pytest.fixture
def people(transactional_db: Any, make_account: Any) -> dict[str, Any]:
    harbour = service_of("Harbour", policy=HARBOUR_POLICY, limits=["risk_to_life", "court_order"])
    person = make_account("sam-shares", display_name="Sam")
    peer = make_account("pat-peer", "peer_supporter", display_name="Pat")
    noor = make_account("noor-pro", "professional", display_name="Noor")
    for account in (person, peer, noor):
        account.set_password(DEMO_PASSWORD)
        account.save()
    keep_plan(person, PLAN)
    referral = active(ask_peer(person, peer_profile(peer, capacity=2)))
    professional_profile(noor, service=harbour)
    return {"referral": referral}


@pytest.fixture
def other_page(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def both_widths(page: Page, name: str) -> None:
    page.set_viewport_size({"width": 320, "height": 800})
    check_page(page, f"{name} at 320px")
    page.set_viewport_size({"width": 1280, "height": 900})
    check_page(page, f"{name} at 1280px")


def comes_before(page: Page, first: Any, second: Any) -> bool:
    """Is `first` earlier in the page than `second` (document order, as a screen reader reads)?"""
    return bool(
        page.evaluate(
            "([a, b]) => Boolean(a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING)",
            [first.element_handle(), second.element_handle()],
        )
    )


def test_confidentiality_before_contact_then_share_see_and_withdraw(
    page: Page, other_page: Page, live_server: Any, people: dict[str, Any]
) -> None:
    base = live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, base, "sam-shares")

    # Read, then confirm: the policy and its limits come before the only button that asks.
    page.goto(f"{base}/support/")
    both_widths(page, "my support with a professional to ask")
    page.get_by_role("button", name="Ask Noor to get in touch").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Before you ask Noor")
    confidentiality = page.get_by_role("region", name="Confidentiality and its limits")
    expect(confidentiality).to_contain_text(HARBOUR_POLICY)
    expect(confidentiality).to_contain_text("when someone's life is at risk")
    expect(confidentiality).to_contain_text("when a court orders it")
    confirm = page.get_by_role("button", name="I have read this: ask Noor to get in touch")
    assert comes_before(page, confidentiality.get_by_text(HARBOUR_POLICY), confirm)
    both_widths(page, "before you ask")
    confirm.click()
    expect(page.get_by_role("status")).to_contain_text("Your request went to Noor")

    # The person shares their safety plan with Pat.
    page.goto(f"{base}/support/")
    page.get_by_role("link", name="Who can see what: choose what each of them may see").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Who can see what")
    both_widths(page, "who can see what, nothing shared")
    choices = page.get_by_role("group", name="What Pat may see")
    choices.get_by_label("Safety plan").check()
    page.get_by_role("button", name="Save what Pat may see").click()
    expect(page.get_by_role("status")).to_have_text("Saved. It applies from now on.")
    expect(page.get_by_role("group", name="What Pat may see").get_by_label("Safety plan")).to_be_checked()
    both_widths(page, "who can see what, the plan shared")

    # Pat sees it, from the referral page.
    peer = other_page
    peer.set_viewport_size({"width": 1280, "height": 900})
    log_in(peer, base, "pat-peer")
    peer.goto(f"{base}/supporting/{people['referral'].pk}/")
    peer.get_by_role("link", name="See what Sam shares with you").click()
    expect(peer.get_by_role("heading", level=1)).to_have_text("What Sam shares with you")
    plan = peer.get_by_role("region", name="Safety plan")
    expect(plan).to_contain_text("I stop answering messages")
    expect(plan).to_contain_text("Written, not shared")
    expect(plan).not_to_contain_text("07700")
    both_widths(peer, "what the person shares")
    shared_url = peer.url

    # Sam withdraws everything; Pat's very next load finds nothing.
    page.get_by_role("button", name="Stop sharing anything with anyone").click()
    expect(page.get_by_role("status")).to_contain_text("You now share nothing with anyone.")
    both_widths(page, "who can see what, after withdrawing")
    response = peer.goto(shared_url)
    assert response is not None and response.status == 404
    expect(peer.get_by_role("main")).not_to_contain_text("I stop answering messages")
