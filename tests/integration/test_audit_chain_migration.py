"""The migration that introduced the hash chain chains the events already stored, oldest first."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from carepath.audit.models import AuditChainHead, AuditEvent
from carepath.audit.verification import verify_chain
from carepath_core.audit_chain import GENESIS_HASH

BEFORE_CHAIN = [("audit", "0009_referral_actions")]


def migrate(targets: list[tuple[str, str]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor


@pytest.mark.django_db(transaction=True)
def test_events_stored_before_the_chain_are_chained_in_the_order_they_were_written() -> None:
    executor = migrate(BEFORE_CHAIN)
    old = executor.loader.project_state(BEFORE_CHAIN).apps
    account = old.get_model("accounts", "User").objects.create(username="earlier", role="professional")
    old_event = old.get_model("audit", "AuditEvent")
    written = [
        old_event.objects.create(actor_id=account.pk, actor_label="earlier", action="auth.login"),
        old_event.objects.create(action="system.demo_loaded", details={"personas": ["a"], "ratio": 0.5}),
        old_event.objects.create(action="auth.login_failed", outcome="failure", subject_type="account"),
    ]

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    events = list(AuditEvent.objects.order_by("sequence"))
    assert [event.pk for event in events] == [event.pk for event in written]
    assert [event.sequence for event in events] == [1, 2, 3]
    assert events[0].previous_hash == GENESIS_HASH and events[1].previous_hash == events[0].hash
    assert (events[0].actor_ref, events[0].actor_role) == (str(account.pk), "professional")
    head = AuditChainHead.objects.get()
    assert (head.sequence, head.hash) == (3, events[-1].hash)
    assert verify_chain().intact
