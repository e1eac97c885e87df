"""Stored XSS: a corpus of script-injection payloads written into every free-text field people fill
in, then every page that shows them opened in Chromium. Nothing may run, no payload may become
markup, no stored link may be a `javascript:` URL, and each payload must read as plain text.

The safety plan, the peer's contact note and the hand-off reason (the message a request carries
to the professional) go through the real forms in the browser; the rest is stored through the
services, which is what the forms call.

How a run is judged, on each page (`problems`):
- `window.__xss`: every payload that runs sets it; an init script turns it into a trap that records
  the attempt, and a dialog handler records any `alert()`;
- `[data-xss]`: every element a payload carries is marked so; finding one means the payload became
  markup. This is what catches an escaping bug even though the content security policy (no inline
  scripts or handlers) would stop most of these payloads from running;
- `securitypolicyviolation` events: the policy had to block something, so something got in;
- links, frames and forms whose address starts with `javascript:`.

`test_the_detector_catches_an_unsafe_page` proves the checks can fail: a test-only page renders the
corpus with `|safe`, once under the real policy (the payloads become markup and the policy
reports them, but nothing runs) and once with the policy removed (the payloads run).
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import cycle
from typing import Any

import pytest
from csp.decorators import csp_exempt
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import path
from django.utils import timezone
from playwright.sync_api import Page, expect

from carepath.accounts.models import User
from carepath.accounts.token_services import create_token
from carepath.config import urls as project_urls
from carepath.directory.models import Organization, Service
from carepath.directory.services import editing
from carepath.directory.services.search_index import refresh_search_entries
from carepath.matching.services.profiles import save_matching_wishes, save_supporter_profile
from carepath.referrals.models import HandOff, Referral
from carepath.referrals.services import referrals
from tests.e2e.pages import log_in
from tests.referral_setup import keep_check_in, professional_profile

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo_data")]

# Each payload sets window.__xss if it runs and marks every element it carries with data-xss.
# All are under 60 characters, so they fit the shortest free-text fields.
PAYLOADS = [
    '<script data-xss>window.__xss="script"</script>',
    "<img src=x data-xss onerror=\"window.__xss='img'\">",
    '"><svg data-xss onload="window.__xss=\'svg\'">',
    "'><svg data-xss onload=window.__xss='svg2'>",
    '</textarea><script data-xss>window.__xss="ta"</script>',
    '</title><script data-xss>window.__xss="title"</script>',
    '" data-xss="1" autofocus onfocus="window.__xss=\'attr\'',
    "' data-xss='1' autofocus onfocus='window.__xss=1'",
    'javascript:window.__xss="jsurl"',
    '{{ 7|add:"42" }} {% now "Y" %} ${7*7} #{7*7}',
    '[click me](javascript:window.__xss="md")',
    "<a data-xss href=\"javascript:window.__xss='a'\">link</a>",
    '<iframe data-xss srcdoc="<script>parent.__xss=1</script>">',
    "<details data-xss open ontoggle=\"window.__xss='tg'\">x",
    "\u202egnp.<b data-xss>exe</b>\u202c \u200bzero-width",
    '&lt;script data-xss&gt;window.__xss="entity"&lt;/script&gt;',
]
JAVASCRIPT_URL = "javascript:window.__xss='stored-link'"

# Runs before any page script. Scripts, handlers and frames of the page all write to this window.
TRAP = """
window.__xssHits = [];
Object.defineProperty(window, "__xss", {
  configurable: false,
  get() { return undefined; },
  set(value) { window.__xssHits.push(String(value)); },
});
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective}: ${event.sample || event.blockedURI}`);
});
"""
INSPECT = """() => ({
  hits: window.__xssHits || [],
  violations: window.__cspViolations || [],
  markup: [...document.querySelectorAll("[data-xss]")].map((e) => e.outerHTML.slice(0, 100)),
  scriptLinks: [...document.querySelectorAll("[href], [src], [action], [formaction]")]
    .map((e) => e.getAttribute("href") ?? e.getAttribute("src") ?? e.getAttribute("action")
      ?? e.getAttribute("formaction"))
    .filter((address) => /^\\s*javascript:/i.test(address)),
  text: [document.title, document.body.innerText,
    ...[...document.querySelectorAll("textarea, input")].map((e) => e.value)].join("\\n"),
})"""


@pytest.fixture
def guarded(page: Page) -> Iterator[tuple[Page, list[str]]]:
    """The page with the trap installed, and the dialogs any payload managed to open."""
    dialogs: list[str] = []
    page.context.add_init_script(TRAP)

    def record(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", record)
    page.set_viewport_size({"width": 1280, "height": 900})
    yield page, dialogs


def problems(page: Page, dialogs: list[str]) -> tuple[list[str], str]:
    """What the page shows of an injection (empty when safe), and its visible text."""
    page.wait_for_load_state("load")
    seen = page.evaluate(INSPECT)
    found = [f"script ran: {hit}" for hit in seen["hits"]]
    found += [f"dialog opened: {message}" for message in dialogs]
    found += [f"payload became markup: {element}" for element in seen["markup"]]
    found += [f"policy had to block: {violation}" for violation in seen["violations"]]
    found += [f"javascript: address: {address}" for address in seen["scriptLinks"]]
    return found, seen["text"]


# --- the stored data --------------------------------------------------------------------------


@pytest.fixture
def accounts() -> dict[str, User]:
    names = {"seeker": "demo-seeker", "peer": "demo-peer", "pro": "demo-professional"}
    found = {role: User.objects.get(username=name) for role, name in names.items()}
    found["coordinator"] = User.objects.get(username="demo-coordinator")
    return found


def store_everything_but_the_browser_forms(accounts: dict[str, User]) -> dict[str, Any]:
    """Every other free-text field, through the services: the payloads in turn, one per field."""
    payload = cycle(PAYLOADS)
    seeker, peer, pro, coordinator = (accounts[r] for r in ("seeker", "peer", "pro", "coordinator"))
    User.objects.filter(pk=seeker.pk).update(display_name=next(payload))
    User.objects.filter(pk=peer.pk).update(display_name=next(payload))
    hours = {"availability": [{"days": ["TU"], "from": "18:00", "to": "21:00"}], "utc_offset": "+00:00"}
    wishes = {"languages": ["en"], "topics": ["anxiety"], "modalities": ["online"], **hours}
    save_matching_wishes(
        actor=seeker,
        person=seeker,
        data={**wishes, "experience": next(payload), "stated_preferences": next(payload)},
    )
    profile_text = {
        name: next(payload)
        for name in (
            "experience",
            "shared_identity",
            "training",
            "certification",
            "supervisor_name",
            "confidentiality_statement",
        )
    }
    peer_profile = save_supporter_profile(
        actor=peer, owner=peer, data={**wishes, "capacity": 3, **profile_text}
    )
    pro_text = {name: next(payload) for name in ("licence_type", "licence_body", "cost", "insurance")}
    pro_profile = professional_profile(pro, capacity=5, licence_number=PAYLOADS[8], **pro_text)
    create_token(owner=seeker, name=next(payload), actor=seeker)
    keep_check_in(seeker)
    asked_pro = referrals.ask_for_contact(actor=seeker, kind="professional", profile_id=pro_profile.pk)
    referrals.decline_request(actor=pro, referral=asked_pro, reason=next(payload))
    relationship = referrals.accept_request(
        actor=peer,
        referral=referrals.ask_for_contact(actor=seeker, kind="peer", profile_id=peer_profile.pk),
    )
    service = store_directory(coordinator, payload)
    return {
        "relationship": relationship,
        "peer_profile": peer_profile,
        "pro_profile": pro_profile,
        "service": service,
    }


def store_directory(coordinator: User, payload: Iterator[str]) -> Service:
    """An organisation and a service as an import could leave them: any text, `javascript:` links."""
    organization = editing.create_organization(
        actor=coordinator, values={"name": "Harbour Trust", "description": "A trust"}
    )
    service = editing.create_service(
        actor=coordinator,
        organization=organization,
        values={"name": "Harbour listening", "status": "active", "description": "Listening"},
    )
    Organization.objects.filter(pk=organization.pk).update(
        name=f"Harbour Trust {next(payload)}",
        description=next(payload),
        email=next(payload),
        website=JAVASCRIPT_URL,
    )
    Service.objects.filter(pk=service.pk).update(
        name=f"Harbour listening {next(payload)}",
        description=next(payload),
        url=JAVASCRIPT_URL,
        email=next(payload),
        application_process=next(payload),
        fees_description=next(payload),
        eligibility_description=next(payload),
        alert=next(payload),
    )
    with transaction.atomic():  # the index changes only inside the change it follows
        refresh_search_entries([service.pk])
    return service


# --- the journey ------------------------------------------------------------------------------


def write_safety_plan(page: Page, base: str) -> None:
    page.goto(f"{base}/safety-plan/")
    steps = page.locator("textarea")
    assert steps.count() == 6
    for index in range(6):
        steps.nth(index).fill(PAYLOADS[index])
    page.locator("button[name=action][value=save]").click()
    expect(page.get_by_text("saved", exact=False).first).to_be_visible()


def write_note_and_hand_off(page: Page, base: str, stored: dict[str, Any]) -> None:
    detail = f"{base}/supporting/{stored['relationship'].pk}/"
    page.goto(detail)
    page.get_by_label("Date of the contact").fill(timezone.localdate().isoformat())
    page.get_by_label("How you were in touch").select_option("phone")
    page.get_by_label("Length in minutes").fill("30")
    page.get_by_label("Peer note").fill(PAYLOADS[6])
    page.get_by_role("button", name="Log the contact").click()
    page.get_by_label("Professional", exact=True).select_option(value=str(stored["pro_profile"].pk))
    page.get_by_label("Why you think a professional could help").fill(PAYLOADS[7])
    page.get_by_role("button", name="Ask to hand on").click()
    expect(page).to_have_url(detail)


def visit_all(page: Page, dialogs: list[str], base: str, urls: list[str]) -> tuple[list[str], str]:
    found, texts = [], []
    for url in urls:
        response = page.goto(f"{base}{url}")
        assert response is not None and response.status == 200, url
        seen, text = problems(page, dialogs)
        found += [f"{url}: {problem}" for problem in seen]
        texts.append(text)
    return found, "\n".join(texts)


def test_no_stored_payload_runs_or_becomes_markup_anywhere(
    guarded: tuple[Page, list[str]], browser: Any, live_server: Any, accounts: dict[str, User]
) -> None:
    page, dialogs = guarded
    base = live_server.url
    stored = store_everything_but_the_browser_forms(accounts)
    relationship, service = stored["relationship"], stored["service"]

    log_in(page, base, "demo-seeker")
    write_safety_plan(page, base)
    peer_context = browser.new_context()
    peer_context.add_init_script(TRAP)
    peer = peer_context.new_page()
    peer.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    log_in(peer, base, "demo-peer")
    write_note_and_hand_off(peer, base, stored)
    hand_off = HandOff.objects.get(peer_referral=relationship)
    declined = Referral.objects.get(person=accounts["seeker"], kind="professional")

    found, text = visit_all(
        page,
        dialogs,
        base,
        [
            "/home/",
            "/safety-plan/",
            "/matches/",
            "/support/",
            f"/support/{relationship.pk}/",
            f"/support/{declined.pk}/",
            f"/support/hand-offs/{hand_off.pk}/",
            "/notifications/",
            "/accounts/me/",
            "/find/?q=harbour",
        ],
    )
    peer_found, peer_text = visit_all(
        peer,
        dialogs,
        base,
        [
            "/home/",
            "/supporting/",
            f"/supporting/{relationship.pk}/",
            "/supporter/profile/",
            "/notifications/",
        ],
    )
    peer_context.close()
    page.context.clear_cookies()
    log_in(page, base, "demo-professional")
    pro_found, pro_text = visit_all(page, dialogs, base, ["/home/", "/professional/profile/", "/supporting/"])
    page.context.clear_cookies()
    log_in(page, base, "demo-coordinator")
    coordinator_found, coordinator_text = visit_all(
        page,
        dialogs,
        base,
        [
            "/home/",
            "/directory/manage/?q=harbour",
            "/directory/manage/organisations/",
            f"/directory/manage/services/{service.pk}/",
            f"/directory/manage/services/{service.pk}/edit/",
            f"/directory/manage/organisations/{service.organization_id}/edit/",
        ],
    )
    everything = found + peer_found + pro_found + coordinator_found
    assert not everything, "\n".join(everything)
    shown = text + peer_text + pro_text + coordinator_text
    missing = [payload for payload in PAYLOADS if payload not in shown]
    assert not missing, f"these payloads were never shown as text: {missing}"


# --- proof that the checks can fail -------------------------------------------------------------

UNSAFE_PAGE = engines["django"].from_string(
    "<!doctype html><html lang='en'><title>unsafe</title><body><main>"
    "{% for payload in payloads %}<p>{{ payload|safe }}</p>{% endfor %}"
    "<a href='{{ link }}'>link</a></main></body></html>"
)


def _unsafe(request: HttpRequest) -> HttpResponse:
    return HttpResponse(UNSAFE_PAGE.render({"payloads": PAYLOADS, "link": JAVASCRIPT_URL}))


urlpatterns = [
    path("test-unsafe/", _unsafe),
    path("test-unsafe-without-policy/", csp_exempt()(_unsafe)),
    *project_urls.urlpatterns,
]


@pytest.mark.urls(__name__)
def test_the_detector_catches_an_unsafe_page(guarded: tuple[Page, list[str]], live_server: Any) -> None:
    page, dialogs = guarded
    page.goto(f"{live_server.url}/test-unsafe/")
    with_policy, _ = problems(page, dialogs)
    assert any("became markup" in problem for problem in with_policy)
    assert any("policy had to block" in problem for problem in with_policy)
    assert any("javascript: address" in problem for problem in with_policy)
    assert not any("script ran" in problem for problem in with_policy), "the policy should stop scripts"

    page.goto(f"{live_server.url}/test-unsafe-without-policy/")
    page.wait_for_timeout(300)  # onerror, onload and ontoggle fire just after the load event
    without_policy, _ = problems(page, dialogs)
    ran = {problem for problem in without_policy if problem.startswith("script ran")}
    assert {"script ran: script", "script ran: img", "script ran: svg", "script ran: ta"} <= ran, ran
