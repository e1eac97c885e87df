from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from carepath.accounts.models import User
from carepath.audit.models import AuditAction, AuditEvent
from carepath.demo.services import DEMO_PASSWORD, PERSONAS
from carepath.directory.models import Organization

pytestmark = pytest.mark.django_db


def test_demo_creates_one_persona_per_role_and_is_idempotent(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("demo")
    call_command("demo")
    assert sorted(User.objects.values_list("role", flat=True)) == sorted(p.role.value for p in PERSONAS)
    assert all(u.check_password(DEMO_PASSWORD) for u in User.objects.all())
    assert Organization.objects.count() == 3
    assert AuditEvent.objects.filter(action=AuditAction.DEMO_LOADED).count() == 1
    printed = capsys.readouterr().out
    assert "demo-coordinator" in printed and DEMO_PASSWORD in printed


def test_if_empty_leaves_a_used_database_alone(
    make_account: object, capsys: pytest.CaptureFixture[str]
) -> None:
    make_account("someone")  # type: ignore[operator]
    call_command("demo", "--if-empty")
    assert User.objects.count() == 1
    assert "not loaded again" in capsys.readouterr().out


def test_demo_refuses_production_mode(settings: object) -> None:
    settings.PRODUCTION = True  # type: ignore[attr-defined]
    with pytest.raises(CommandError, match="production"):
        call_command("demo")
    assert not User.objects.exists()
