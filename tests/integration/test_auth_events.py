"""Sign-in events: recorded for log-in, log-out, failed log-in and lock-out, with no password, no
typed name that matches no account, and no network address, only keyed markers of them."""

from __future__ import annotations

from typing import Any

import pytest

from carepath.audit import auth_events
from carepath.audit.models import AuditAction, AuditEvent, AuditOutcome
from carepath.audit.verification import verify_chain

pytestmark = pytest.mark.django_db


def test_log_in_and_out_name_the_account_and_keep_a_marker_of_the_address(personas: dict[str, Any]) -> None:
    seeker = personas["help_seeker"]
    auth_events.record_login(seeker, "203.0.113.9")
    auth_events.record_logout(seeker, "203.0.113.9")
    auth_events.record_logout(None, "203.0.113.9")  # not logged in: nothing to record
    login, logout = AuditEvent.objects.order_by("sequence")
    assert (login.action, logout.action) == (AuditAction.LOGIN, AuditAction.LOGOUT)
    assert (login.actor, login.subject_type, login.subject_id) == (seeker, "account", str(seeker.pk))
    assert login.details == {"network_marker": auth_events.pseudonymous_marker("203.0.113.9")}
    assert "203.0.113.9" not in str(login.details)
    assert verify_chain().intact


def test_a_failed_attempt_on_a_real_account_names_that_account(personas: dict[str, Any]) -> None:
    auth_events.record_failed_login("SEEKER", None)
    event = AuditEvent.objects.get()
    assert (event.actor, event.actor_label, event.outcome) == (None, "seeker", AuditOutcome.FAILURE)
    assert (event.subject_type, event.subject_id) == ("account", str(personas["help_seeker"].pk))
    assert event.details == {}


def test_a_name_that_matches_no_account_is_kept_only_as_a_marker(personas: dict[str, Any]) -> None:
    auth_events.record_failed_login("Jane.Doe@example.org", "198.51.100.4")
    auth_events.record_failed_login("jane.doe@example.org ", "198.51.100.4")
    first, second = AuditEvent.objects.order_by("sequence")
    for event in (first, second):
        stored = f"{event.actor_label} {event.subject_id} {event.details}".lower()
        assert "jane" not in stored and "198.51.100.4" not in stored
        assert (event.subject_type, event.subject_id, event.actor_label) == ("", "", "")
    assert first.details["name_marker"] == second.details["name_marker"]  # the same name, the same marker
    assert first.details["name_marker"] != auth_events.pseudonymous_marker("someone-else")


def test_a_lock_out_is_recorded_as_denied(personas: dict[str, Any]) -> None:
    auth_events.record_failed_login("pro", "192.0.2.1", locked_out=True)
    event = AuditEvent.objects.get()
    assert (event.action, event.outcome, event.actor_label) == (
        AuditAction.LOCKED_OUT,
        AuditOutcome.DENIED,
        "pro",
    )


def test_markers_depend_on_the_secret_key(settings: Any) -> None:
    before = auth_events.pseudonymous_marker("192.0.2.1")
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789"
    assert auth_events.pseudonymous_marker("192.0.2.1") != before
    assert len(before) == 16
