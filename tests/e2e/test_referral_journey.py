"""Referrals in a real browser: a person asks a suggested peer supporter for contact, the peer
accepts, logs a contact and asks to hand the person on; the person sees exactly what would be
shared and agrees; the professional reads it. axe on every page, at 1280 and 320 pixels wide."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from carepath.accounts.models import User
from carepath.matching import services as matching
from tests.e2e.pages import check_page, log_in
from tests.referral_setup import keep_check_in, keep_plan, professional_profile

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo_data")]
HOURS = {"availability": [{"days": ["TU", "TH"], "from": "18:00", "to": "21:00"}], "utc_offset": "+00:00"}
PEER = "Priya (demo peer supporter)"
PERSON = "Sam (demo)"
PRO = "Dr Alex Morgan (demo)"
REASON = "Sam has not slept properly for weeks. A counsellor could help alongside our chats."


@pytest.fixture
def ready(demo_data: None) -> None:
    """Sam's wishes, check-in and safety plan; Priya's and Dr Morgan's profiles with room."""
    seeker = User.objects.get(username="demo-seeker")
    peer = User.objects.get(username="demo-peer")
    wishes = {"languages": ["en"], "topics": ["anxiety"], "modalities": ["online"], **HOURS}
    matching.save_matching_wishes(actor=seeker, person=seeker, data=wishes)
    matching.save_supporter_profile(actor=peer, owner=peer, data={**wishes, "capacity": 3})
    professional_profile(User.objects.get(username="demo-professional"), capacity=5)
    keep_check_in(seeker)
    keep_plan(seeker)


@pytest.fixture
def other_page(browser: Any) -> Iterator[Any]:
    """A second browser, so two people can be signed in at once."""
    context = browser.new_context()
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def both_widths(page: Page, name: str) -> None:
    page.set_viewport_size({"width": 320, "height": 800})
    check_page(page, f"{name} at 320px")
    page.set_viewport_size({"width": 1280, "height": 900})
    check_page(page, f"{name} at 1280px")


def test_ask_accept_log_hand_off_consent_and_the_professional_reads_it(
    page: Page, other_page: Page, live_server: Any, ready: None
) -> None:
    base = live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, base, "demo-seeker")
    page.get_by_role("link", name="Find a peer supporter who has been through something like you").click()
    page.get_by_role("button", name=f"Ask {PEER} to get in touch").click()
    # Asking is two steps: the confidentiality notice first, then the confirm button.
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Before you ask {PEER}")
    both_widths(page, "before you ask")
    page.get_by_role("button", name=f"I have read this: ask {PEER} to get in touch").click()
    expect(page.get_by_role("status")).to_contain_text(f"Your request went to {PEER}")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Support from {PEER}")
    both_widths(page, "a waiting request")

    peer = other_page
    peer.set_viewport_size({"width": 1280, "height": 900})
    log_in(peer, base, "demo-peer")
    expect(peer.get_by_role("link", name="Notices (1 new)")).to_be_visible()
    peer.get_by_role("link", name="Requests, relationships, contact logs and hand-offs").click()
    expect(peer.get_by_role("heading", level=1)).to_have_text("People I support")
    both_widths(peer, "people I support, one request")
    peer.get_by_role("button", name=f"Accept {PERSON}").click()
    expect(peer.get_by_role("status")).to_contain_text("You accepted.")
    both_widths(peer, "an active relationship")

    peer.get_by_label("Date of the contact").fill(timezone.localdate().isoformat())
    peer.get_by_label("How you were in touch").select_option("video")
    peer.get_by_label("Length in minutes").fill("")
    peer.get_by_label("Peer note").fill("We talked about a wind-down routine.")
    peer.get_by_role("button", name="Log the contact").click()
    expect(peer.get_by_label("Length in minutes")).to_have_attribute("aria-invalid", "true")
    check_page(peer, "a contact with a problem at 1280px")
    peer.get_by_label("Length in minutes").fill("40")
    peer.get_by_role("button", name="Log the contact").click()
    expect(peer.get_by_role("status")).to_have_text("The contact is logged.")
    expect(peer.get_by_role("region", name="Contact log")).to_contain_text(
        "We talked about a wind-down routine."
    )

    peer.get_by_label("Professional", exact=True).select_option(label=f"{PRO} (Counselling psychologist)")
    peer.get_by_label("Why you think a professional could help").fill(REASON)
    peer.get_by_role("button", name="Ask to hand on").click()
    expect(peer.get_by_role("status")).to_contain_text("Nothing is shared unless they agree.")
    expect(peer.get_by_role("region", name="If you are worried about their safety")).to_be_visible()
    both_widths(peer, "a hand-off waiting for the person")

    page.goto(f"{base}/notifications/")
    both_widths(page, "the person's notices")
    page.goto(f"{base}/support/")
    page.get_by_role("link", name=f"See what would be shared with {PRO}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Before anything is shared")
    shared = page.get_by_role("region", name="What would be shared")
    expect(shared).to_contain_text(REASON)
    expect(shared).to_contain_text("PHQ-9")
    expect(shared).to_contain_text("16 out of 27")
    expect(shared).to_contain_text("I stop answering messages")
    expect(shared).to_contain_text("Written, not shared")
    expect(shared).not_to_contain_text("07700")
    both_widths(page, "the consent screen")
    page.get_by_role("button", name=f"Agree and share this with {PRO}").click()
    expect(page.get_by_role("status")).to_contain_text("What you saw is now shared")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Support from {PRO}")
    both_widths(page, "the new professional referral")

    pro = other_page
    pro.context.clear_cookies()
    log_in(pro, base, "demo-professional")
    pro.get_by_role("link", name="Your referrals, the people you see, and your clinical notes").click()
    expect(pro.get_by_role("region", name="Requests waiting for your answer")).to_contain_text(
        f"Handed on by {PEER}, with the person's consent."
    )
    pro.get_by_role("link", name=PERSON).click()
    pro.get_by_role("link", name=f"See what {PERSON} agreed to share").click()
    shared_with_pro = pro.get_by_role("region", name="Shared with you")
    expect(shared_with_pro).to_contain_text(REASON)
    expect(shared_with_pro).to_contain_text("16 out of 27")
    expect(shared_with_pro).not_to_contain_text("07700")
    both_widths(pro, "what the professional was shared")
