"""Several events written at once (`record_events`, used by list pages) join the hash chain exactly
as one-at-a-time events do, in a fixed number of queries, and never fork it when other writers
append at the same moment (PostgreSQL: threads on the head's row lock; SQLite: processes)."""

from __future__ import annotations

import io
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from carepath.audit.models import AuditAction, AuditChainHead, AuditEvent, AuditOutcome
from carepath.audit.services import HEAD_ID, NewEvent, record_event, record_events, record_reads
from carepath.audit.verification import verify_chain
from carepath.errors import ApplicationError
from carepath_core.audit_chain import GENESIS_HASH
from tests.child_process import embedded_sqlite_env
from tests.integration.test_audit_chain_concurrency import CAREPATH_BIN, in_thread

AWKWARD = {"float": 0.1 + 0.2, "big": 2**60, "text": 'é ✓ "quoted"', "tuple": (1, 2)}


def reads(count: int, **fields: Any) -> list[NewEvent]:
    return [
        NewEvent(AuditAction.REFERRAL_VIEWED, subject_type="referral", subject_id=n, **fields)
        for n in range(1, count + 1)
    ]


def verify() -> str:
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_a_batch_links_in_order_between_single_events_and_verifies(personas: dict[str, Any]) -> None:
    peer = personas["peer_supporter"]
    with transaction.atomic():
        before = record_event(actor=None, actor_label="system", action=AuditAction.DEMO_LOADED)
        written = record_events(
            actor=peer,
            events=[
                *reads(3, details=AWKWARD),
                NewEvent(AuditAction.NOTES_VIEWED, outcome=AuditOutcome.DENIED),
            ],
        )
        after = record_event(actor=None, actor_label="system", action=AuditAction.DEMO_LOADED)
    assert written == 4
    chain = list(AuditEvent.objects.order_by("sequence"))
    assert [e.sequence for e in chain] == [1, 2, 3, 4, 5, 6]
    assert [e.previous_hash for e in chain[1:]] == [e.hash for e in chain[:-1]]
    assert chain[0].pk == before.pk and chain[-1].pk == after.pk
    batch = chain[1:5]
    assert [e.subject_id for e in batch[:3]] == ["1", "2", "3"]
    assert {(e.actor_id, e.actor_ref, e.actor_label, e.actor_role) for e in batch} == {
        (peer.pk, str(peer.pk), peer.username, "peer_supporter")
    }
    assert batch[3].outcome == AuditOutcome.DENIED and batch[0].details["tuple"] == [1, 2]
    assert len({e.personal_salt for e in batch}) == 4  # each event its own salt, as one at a time
    head = AuditChainHead.objects.get()
    assert (head.sequence, head.hash) == (6, after.hash)
    assert verify().startswith("6 events, chain intact")


@pytest.mark.django_db
def test_a_batch_costs_the_same_queries_however_many_events() -> None:
    def queries(count: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            record_reads(actor=None, events=reads(count))
        return len(captured)

    assert queries(2) == queries(50)
    assert verify().startswith("52 events, chain intact")


@pytest.mark.django_db
def test_nothing_to_record_writes_and_locks_nothing() -> None:
    with CaptureQueriesContext(connection) as captured:
        assert record_reads(actor=None, events=[]) == 0
        with transaction.atomic():
            assert record_events(actor=None, events=[]) == 0
    assert not [q for q in captured.captured_queries if "audit_" in q["sql"]]
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_a_batch_outside_a_transaction_is_refused() -> None:
    # pytest-django wraps each test in a transaction, so pretend to be outside one.
    with mock.patch("carepath.audit.services.connection") as outside:
        outside.in_atomic_block = False
        with pytest.raises(ApplicationError, match="inside the transaction"):
            record_events(actor=None, events=reads(1))
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_a_batch_rolled_back_with_its_change_leaves_the_chain_as_it_was() -> None:
    with transaction.atomic():
        record_event(actor=None, actor_label="kept", action=AuditAction.DEMO_LOADED)
    with pytest.raises(RuntimeError), transaction.atomic():
        record_events(actor=None, events=reads(3))
        raise RuntimeError("the change failed")
    with transaction.atomic():
        record_events(actor=None, events=reads(2))
    assert list(AuditEvent.objects.order_by("sequence").values_list("sequence", flat=True)) == [1, 2, 3]
    assert verify_chain().intact


@pytest.mark.django_db(transaction=True)
def test_batch_and_single_writers_at_once_leave_one_unbroken_chain() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("threads share SQLite's in-memory test database; see the multi-process test")
    # A flush by an earlier transactional test removes the head row migrate creates; put it back.
    AuditChainHead.objects.get_or_create(pk=HEAD_ID, defaults={"sequence": 0, "hash": GENESIS_HASH})
    start, errors = threading.Barrier(4), list[BaseException]()

    def batches(label: str) -> Callable[[], None]:
        def work() -> None:
            start.wait(30)
            for _ in range(10):
                with transaction.atomic():
                    record_events(actor=None, actor_label=label, events=reads(5))

        return work

    def singles(label: str) -> Callable[[], None]:
        def work() -> None:
            start.wait(30)
            for _ in range(20):
                with transaction.atomic():
                    record_event(actor=None, actor_label=label, action=AuditAction.DEMO_LOADED)

        return work

    work = [batches("batch a"), batches("batch b"), singles("single a"), singles("single b")]
    threads = [in_thread(job, errors) for job in work]
    for thread in threads:
        thread.join(120)
    assert errors == []
    total = 2 * 10 * 5 + 2 * 20
    assert sorted(AuditEvent.objects.values_list("sequence", flat=True)) == list(range(1, total + 1))
    # Each batch sits in one piece: its five events hold consecutive places.
    for label in ("batch a", "batch b"):
        places = sorted(AuditEvent.objects.filter(actor_label=label).values_list("sequence", flat=True))
        assert all(places[i + 4] - places[i] == 4 for i in range(0, len(places), 5))
    report = verify_chain()
    assert report.intact and report.checked.events == total


BATCH_WRITER = """
import sys
import django
django.setup()
from django.db import transaction
from carepath.audit.models import AuditAction
from carepath.audit.services import NewEvent, record_event, record_events
for number in range(int(sys.argv[2])):
    with transaction.atomic():
        record_events(
            actor=None,
            actor_label=sys.argv[1],
            events=[
                NewEvent(AuditAction.REFERRAL_VIEWED, "referral", n, details={"n": number})
                for n in range(4)
            ],
        )
        record_event(actor=None, actor_label=sys.argv[1], action=AuditAction.DEMO_LOADED)
"""


@pytest.mark.django_db
def test_processes_writing_batches_to_one_sqlite_file_leave_one_unbroken_chain(tmp_path: Path) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("this one is about SQLite files; PostgreSQL has the thread test above")
    env = embedded_sqlite_env(tmp_path, "chain.sqlite3")
    run: Any = {"env": env, "capture_output": True, "text": True, "timeout": 300}
    assert subprocess.run([CAREPATH_BIN, "migrate", "audit", "--noinput"], check=False, **run).returncode == 0
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", BATCH_WRITER, f"writer {n}", "8"], env=env, stderr=subprocess.PIPE
        )
        for n in range(3)
    ]
    for writer in writers:
        _out, err = writer.communicate(timeout=300)
        assert writer.returncode == 0, err
    verified = subprocess.run([CAREPATH_BIN, "audit", "verify"], check=False, **run)
    assert verified.returncode == 0, verified.stderr
    assert verified.stdout.startswith("120 events, chain intact")
