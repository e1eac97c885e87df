"""Account services write their change and its audit event together, or neither."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest
from django.db import DatabaseError

from carepath.accounts import services
from carepath.accounts.models import User
from carepath.audit.models import AuditAction, AuditEvent
from carepath.errors import FieldProblem, NotPermitted
from carepath_core.roles import Role

pytestmark = pytest.mark.django_db


def test_sign_up_creates_a_help_seeker_and_audits_it() -> None:
    account = services.sign_up_help_seeker(
        username="river", password="a-long-test-passphrase", email="r@example.org"
    )
    assert account.role == Role.HELP_SEEKER
    assert account.password.startswith(("md5$", "argon2"))
    event = AuditEvent.objects.get(action=AuditAction.SIGNUP)
    assert (event.actor, event.subject_type, event.subject_id) == (account, "account", str(account.pk))


@pytest.mark.parametrize(
    ("username", "password", "email", "field", "problem"),
    [
        ("", "a-long-test-passphrase", "", "username", "required"),
        ("taken", "a-long-test-passphrase", "", "username", "already taken"),
        ("TAKEN", "a-long-test-passphrase", "", "username", "already taken"),
        ("fresh", "a-long-test-passphrase", "Taken@Example.org", "email", "already belongs"),
        ("fresh", "short", "", "password", "too short"),
        ("fresh", "password123", "", "password", "too common"),
        ("fresh", "73829174650", "", "password", "entirely numeric"),
    ],
)
def test_bad_sign_up_names_the_field_and_writes_nothing(
    make_account: Any, username: str, password: str, email: str, field: str, problem: str
) -> None:
    make_account("taken", email="taken@example.org")
    with pytest.raises(FieldProblem) as refusal:
        services.sign_up_help_seeker(username=username, password=password, email=email)
    assert refusal.value.field == field
    assert problem in refusal.value.problem
    assert User.objects.count() == 1
    assert not AuditEvent.objects.filter(action=AuditAction.SIGNUP).exists()


def test_a_failed_audit_write_rolls_back_the_sign_up() -> None:
    with (
        mock.patch("carepath.accounts.services.record_event", side_effect=DatabaseError("disk full")),
        pytest.raises(DatabaseError),
    ):
        services.sign_up_help_seeker(username="river", password="a-long-test-passphrase")
    assert not User.objects.filter(username="river").exists()


def test_coordinator_changes_a_role_with_an_audit_trail(personas: dict[str, Any]) -> None:
    coordinator, account = personas["coordinator"], personas["help_seeker"]
    services.change_role(actor=coordinator, account=account, new_role=Role.PEER_SUPPORTER)
    account.refresh_from_db()
    assert account.role == Role.PEER_SUPPORTER
    event = AuditEvent.objects.get(action=AuditAction.ROLE_CHANGED)
    assert event.actor == coordinator
    assert event.details == {"from": "help_seeker", "to": "peer_supporter"}


def test_promotion_to_coordinator_opens_the_admin_and_demotion_closes_it(personas: dict[str, Any]) -> None:
    coordinator, account = personas["coordinator"], personas["professional"]
    services.change_role(actor=coordinator, account=account, new_role=Role.COORDINATOR)
    assert User.objects.get(pk=account.pk).is_staff
    services.change_role(actor=coordinator, account=account, new_role=Role.PROFESSIONAL)
    assert not User.objects.get(pk=account.pk).is_staff


@pytest.mark.parametrize("role", ["help_seeker", "peer_supporter", "professional"])
def test_only_coordinators_change_roles(personas: dict[str, Any], role: str) -> None:
    with pytest.raises(NotPermitted):
        services.change_role(
            actor=personas[role], account=personas["other_help_seeker"], new_role=Role.COORDINATOR
        )
    assert User.objects.get(pk=personas["other_help_seeker"].pk).role == Role.HELP_SEEKER
    assert not AuditEvent.objects.filter(action=AuditAction.ROLE_CHANGED).exists()


def test_coordinators_cannot_change_their_own_role(personas: dict[str, Any]) -> None:
    coordinator = personas["coordinator"]
    with pytest.raises(NotPermitted):
        services.change_role(actor=coordinator, account=coordinator, new_role=Role.HELP_SEEKER)


def test_password_change_is_validated_and_audited(personas: dict[str, Any]) -> None:
    account = personas["help_seeker"]
    with pytest.raises(FieldProblem) as refusal:
        services.change_password(account=account, new_password="seeker")
    assert refusal.value.field == "new_password1"
    services.change_password(account=account, new_password="another-long-passphrase")
    account.refresh_from_db()
    assert account.check_password("another-long-passphrase")
    assert AuditEvent.objects.filter(action=AuditAction.PASSWORD_CHANGED, actor=account).count() == 1
