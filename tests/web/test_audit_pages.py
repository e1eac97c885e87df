"""The audit page (/audit/, coordinators only) and each person's own access log, through the test client."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from carepath.audit.models import AuditAction, AuditEvent, AuditOutcome
from carepath.audit.services import record_event
from carepath.safety.models import SafetyPlan
from tests.conftest import PASSWORD
from tests.sign_in import sign_in

pytestmark = pytest.mark.django_db

TRAIL = "/audit/"
ACCESS_LOG = "/accounts/me/access-log/"


def signed_in(account: Any) -> Client:
    client = Client()
    sign_in(client, account)  # writes a log-in event, as a real log-in would
    return client


def record(actor: Any, action: AuditAction, **fields: Any) -> AuditEvent:
    with transaction.atomic():
        return record_event(actor=actor, action=action, **fields)


def counted(captured: CaptureQueriesContext) -> int:
    """Queries the page makes itself: not the session (the staff idle timer writes it now and then)
    nor the savepoints the test's own transaction adds around writes."""
    return sum(
        1
        for query in captured.captured_queries
        if "django_session" not in query["sql"] and "SAVEPOINT" not in query["sql"]
    )


def events_shown(page: str) -> int:
    return page.count("<tr>") - 1  # minus the header row


def test_the_pages_have_the_addresses_the_links_use() -> None:
    assert (reverse("audit_trail"), reverse("access_log")) == (TRAIL, ACCESS_LOG)


@pytest.mark.parametrize("url", [TRAIL, ACCESS_LOG])
def test_both_pages_need_a_login(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", ["help_seeker", "peer_supporter", "professional"])
def test_only_coordinators_may_open_the_audit_page(personas: dict[str, Any], role: str) -> None:
    record(personas["coordinator"], AuditAction.LOGIN)
    response = signed_in(personas[role]).get(TRAIL)
    assert response.status_code == 403
    assert "coord" not in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditAction.AUDIT_TRAIL_READ).exists()


def test_a_coordinator_sees_events_newest_first_and_the_reading_is_recorded(personas: dict[str, Any]) -> None:
    coordinator = personas["coordinator"]
    client = signed_in(coordinator)
    record(
        personas["professional"],
        AuditAction.LOGIN,
        subject_type="account",
        subject_id=personas["professional"].pk,
    )
    record(None, AuditAction.DEMO_LOADED, actor_label="system", details={"personas": ["demo-seeker"]})
    page = client.get(TRAIL).content.decode()
    table = page[page.index("<tbody>") :]
    assert table.index("Demo data loaded") < table.index("Logged in")
    assert "pro" in page and "Professional" in page and "personas: [&quot;demo-seeker&quot;]" in page
    assert "Events in the chain" in page and "Not checked yet." in page
    read = AuditEvent.objects.get(action=AuditAction.AUDIT_TRAIL_READ)
    assert (read.actor, read.subject_type, read.details) == (
        coordinator,
        "audit_trail",
        {"filters": {}, "shown": 3},
    )


def test_filters_narrow_the_events(personas: dict[str, Any]) -> None:
    seeker, other, pro = personas["help_seeker"], personas["other_help_seeker"], personas["professional"]
    plan = SafetyPlan.objects.create(person=seeker)
    record(seeker, AuditAction.SAFETY_PLAN_SAVED, subject_type="safety_plan", subject_id=plan.pk)
    record(pro, AuditAction.LOGIN, subject_type="account", subject_id=pro.pk)
    record(
        None,
        AuditAction.LOGIN_FAILED,
        outcome=AuditOutcome.FAILURE,
        subject_type="account",
        subject_id=other.pk,
    )
    client = signed_in(personas["coordinator"])

    def shown(**filters: str) -> str:
        response = client.get(TRAIL, filters)
        assert response.status_code == 200
        return response.content.decode()

    assert events_shown(shown(actor="PRO")) == 1
    by_person = shown(person="seeker")
    assert events_shown(by_person) == 1 and "Safety plan saved" in by_person
    assert events_shown(shown(action=AuditAction.LOGIN_FAILED.value)) == 1
    assert events_shown(shown(outcome="failure")) == 1
    today = dt.datetime.now(dt.UTC).date()
    assert events_shown(shown(date_from=today.isoformat(), date_to=today.isoformat())) >= 3
    assert "No event matches these filters." in shown(date_to=(today - dt.timedelta(days=1)).isoformat())
    # Filtering by a person is recorded against that person, so their access log shows it.
    read = AuditEvent.objects.filter(action=AuditAction.AUDIT_TRAIL_READ, subject_id=str(seeker.pk)).get()
    assert read.subject_type == "account" and read.details["filters"] == {"person": seeker.pk}


@pytest.mark.parametrize(
    ("filters", "field", "message"),
    [
        ({"actor": "nobody-here"}, "actor", "No account has this username."),
        ({"person": "nobody-here"}, "person", "No account has this username."),
        ({"action": "made.up"}, "action", "Select a valid choice."),
        ({"date_from": "31/02/2026"}, "date_from", "Enter a valid date."),
        ({"date_from": "2026-03-02", "date_to": "2026-03-01"}, "date_to", "the same as or later than"),
        ({"before": "abc"}, "before", "Enter a whole number."),
    ],
)
def test_bad_filters_are_refused_beside_the_field(
    personas: dict[str, Any], filters: dict[str, str], field: str, message: str
) -> None:
    response = signed_in(personas["coordinator"]).get(TRAIL, filters)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page and "These filters cannot be used" in page
    if field not in ("before",):
        assert f'id="id_{field}_error"' in page and 'aria-invalid="true"' in page
    else:
        assert "before: Enter a whole number." in page
    assert not AuditEvent.objects.filter(action=AuditAction.AUDIT_TRAIL_READ).exists()


def test_pages_go_back_in_time_by_keyset_with_the_same_few_queries(personas: dict[str, Any]) -> None:
    client = signed_in(personas["coordinator"])

    def queries(**params: str) -> tuple[int, str]:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(TRAIL, {"outcome": "success", **params})
        assert response.status_code == 200
        return counted(captured), response.content.decode()

    with transaction.atomic():
        for number in range(5):
            record_event(actor=None, actor_label=f"writer {number}", action=AuditAction.DEMO_LOADED)
    client.get(TRAIL)  # the first request after logging in also saves the session
    few, _page = queries()
    with transaction.atomic():
        for number in range(5, 70):
            record_event(actor=None, actor_label=f"writer {number}", action=AuditAction.DEMO_LOADED)
    many, first = queries()
    # the user, their two-factor device, head, last check, one page; then lock, insert, head update
    assert many == few <= 8
    assert events_shown(first) == 25 and 'rel="next"' in first and 'rel="prev"' not in first
    older = first.split('href="?', 2)[-1].split('"')[0].replace("&amp;", "&")
    params = dict(part.split("=") for part in older.split("&"))
    assert params["outcome"] == "success" and "before" in params
    _n, second = queries(before=params["before"])
    assert events_shown(second) == 25 and 'rel="prev"' in second
    assert "writer 44<" in second and "writer 45<" not in second


def test_no_query_counts_the_audit_table(personas: dict[str, Any]) -> None:
    client = signed_in(personas["coordinator"])
    with CaptureQueriesContext(connection) as captured:
        client.get(TRAIL)
        client.get(ACCESS_LOG)
    sql = [query["sql"].upper() for query in captured.captured_queries]
    assert not [text for text in sql if "COUNT(" in text and "AUDIT_AUDITEVENT" in text]


def test_a_help_seeker_sees_who_acted_on_their_records_and_nothing_else(
    client: Client, personas: dict[str, Any]
) -> None:
    seeker, other, coordinator = (
        personas["help_seeker"],
        personas["other_help_seeker"],
        personas["coordinator"],
    )
    coordinator.display_name = "Chris"
    coordinator.save()
    plan = SafetyPlan.objects.create(person=seeker)
    client.post(reverse("login"), {"username": "seeker", "password": "wrong-password"})
    record(seeker, AuditAction.SAFETY_PLAN_SAVED, subject_type="safety_plan", subject_id=plan.pk)
    record(coordinator, AuditAction.ROLE_CHANGED, subject_type="account", subject_id=seeker.pk)
    record(other, AuditAction.LOGIN, subject_type="account", subject_id=other.pk)
    record(coordinator, AuditAction.ROLE_CHANGED, subject_type="account", subject_id=other.pk)
    record(None, AuditAction.DEMO_LOADED, actor_label="system")

    response = signed_in(seeker).get(ACCESS_LOG)
    assert response.status_code == 200
    page = response.content.decode()
    # Their own log-in (signed_in above), the failed attempt, their plan, the coordinator's change.
    assert page.count('<li class="listing">') == 4
    assert "Chris, Coordinator" in page and "Role changed" in page
    assert "You" in page and "Your safety plan" in page and "Logged in" in page
    assert "Someone who was not logged in" in page and "Failed login" in page
    assert "other-seeker" not in page and "Demo data loaded" not in page


def test_the_access_log_pages_with_a_fixed_number_of_queries(personas: dict[str, Any]) -> None:
    seeker = personas["help_seeker"]
    client = signed_in(seeker)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(ACCESS_LOG, {"before": "99999"}).status_code == 200
        return counted(captured)

    record(personas["coordinator"], AuditAction.ROLE_CHANGED, subject_type="account", subject_id=seeker.pk)
    client.get(ACCESS_LOG)  # the first request after logging in also saves the session
    few = queries()
    with transaction.atomic():
        for _ in range(40):
            record_event(
                actor=personas["coordinator"],
                action=AuditAction.ROLE_CHANGED,
                subject_type="account",
                subject_id=seeker.pk,
            )
    # the user, whether they use two-factor sign-in, one page of their events with the actors, the badge
    assert queries() == few <= 4
    page = client.get(ACCESS_LOG).content.decode()
    assert page.count('<li class="listing">') == 25 and 'rel="next"' in page
    assert client.get(ACCESS_LOG, {"before": "not-a-number"}).status_code == 200  # an edited link: first page


def test_the_pages_are_linked_from_the_coordinator_home_and_the_account_page(
    personas: dict[str, Any],
) -> None:
    home = signed_in(personas["coordinator"]).get(reverse("role_home")).content.decode()
    assert f'href="{TRAIL}"' in home
    account = signed_in(personas["help_seeker"]).get(reverse("account")).content.decode()
    assert f'href="{ACCESS_LOG}"' in account and "Who has seen your records" in account


def test_the_page_shows_the_last_verification(personas: dict[str, Any]) -> None:
    record(None, AuditAction.DEMO_LOADED, actor_label="system")
    call_command("audit", "verify", stdout=io.StringIO())
    page = signed_in(personas["coordinator"]).get(TRAIL).content.decode()
    assert "intact, 1 event checked." in page
    assert PASSWORD not in page
