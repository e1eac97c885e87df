from __future__ import annotations

from typing import Any
from unittest import mock

import pytest
from django.db import transaction

from carepath.audit.models import AuditAction, AuditEvent
from carepath.audit.selectors import events_about, recent_events
from carepath.audit.services import record_event
from carepath.errors import ApplicationError

pytestmark = pytest.mark.django_db


def test_audit_events_refuse_to_be_written_outside_a_transaction(personas: dict[str, Any]) -> None:
    # pytest-django wraps each test in a transaction, so pretend to be outside one.
    with mock.patch("carepath.audit.services.connection") as outside:
        outside.in_atomic_block = False
        with pytest.raises(ApplicationError):
            record_event(actor=personas["coordinator"], action=AuditAction.LOGIN)


def test_events_keep_a_label_when_the_actor_is_deleted(personas: dict[str, Any]) -> None:
    actor = personas["peer_supporter"]
    with transaction.atomic():
        record_event(actor=actor, action=AuditAction.LOGIN, subject_type="account", subject_id=actor.pk)
    actor.delete()
    event = AuditEvent.objects.get()
    assert event.actor is None and event.actor_label == "peer"
    assert list(events_about("account", event.subject_id)) == [event]
    assert recent_events() == [event]
