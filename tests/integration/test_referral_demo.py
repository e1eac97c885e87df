"""`carepath demo-referrals`: a real relationship between the demo personas, once."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from carepath.audit.models import AuditAction, AuditEvent
from carepath.demo.services import load_demo_data
from carepath.referrals.models import ContactEntry, Referral

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("demo-referrals", *args, stdout=out)
    return out.getvalue()


def test_the_demo_needs_the_personas_then_loads_once() -> None:
    assert "run `carepath demo` first" in run()
    load_demo_data()
    assert "Demo referral ready" in run("--if-empty")
    (referral,) = Referral.objects.all()
    assert (referral.person.username, referral.supporter.username, referral.status) == (
        "demo-seeker",
        "demo-peer",
        "active",
    )
    assert ContactEntry.objects.filter(referral=referral, note_kind="peer").count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.REFERRAL_REQUESTED).count() == 1
    assert "already exist" in run("--if-empty")
    assert Referral.objects.count() == 1


def test_refused_in_production(settings: Any) -> None:
    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        run()
