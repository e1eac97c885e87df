"""Writers appending to the audit chain at the same moment never fork it.

PostgreSQL: two threads, each with its own connection and transaction. The second waits on the
chain head's row lock (seen in pg_stat_activity) until the first commits, then chains onto it.
SQLite: separate processes on one database file; BEGIN IMMEDIATE lets one writer in at a time.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, connections, transaction

from carepath.audit.models import AuditAction, AuditChainHead, AuditEvent
from carepath.audit.services import HEAD_ID, record_event
from carepath.audit.verification import verify_chain
from carepath_core.audit_chain import GENESIS_HASH
from tests.child_process import embedded_sqlite_env

CAREPATH_BIN = str(Path(sys.executable).with_name("carepath"))


def in_thread(work: Callable[[], None], errors: list[BaseException]) -> threading.Thread:
    def run() -> None:
        try:
            work()
        except BaseException as error:  # noqa: BLE001 - handed to the test thread to fail there
            errors.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def waiting_on_the_chain_head(pid: int) -> bool:
    """Whether that backend is blocked on a row lock while locking the chain head.

    Asked of one backend, not counted over all: another test's connection still closing must not
    be taken for (or hide) this test's second writer."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE pid = %s AND wait_event_type = 'Lock' AND query ILIKE %s",
            [pid, "%audit_auditchainhead%FOR UPDATE%"],
        )
        return int(cursor.fetchone()[0]) == 1


def wait_until(condition: Callable[[], bool], what: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting until {what}"
        time.sleep(0.02)


@pytest.mark.django_db(transaction=True)
def test_a_second_writer_waits_for_the_first_and_chains_onto_its_event() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite is covered by the multi-process test below")
    # An earlier transactional test's flush removes the head row that migrations create; without it
    # the writers would meet on re-creating it instead of on its lock. Put it back as migrate does.
    AuditChainHead.objects.get_or_create(pk=HEAD_ID, defaults={"sequence": 0, "hash": GENESIS_HASH})
    first_written, first_may_commit = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def first() -> None:
        with transaction.atomic():
            record_event(actor=None, actor_label="first", action=AuditAction.DEMO_LOADED)
            first_written.set()
            assert first_may_commit.wait(30)

    second_pid: list[int] = []

    def second() -> None:
        assert first_written.wait(30)
        connection.ensure_connection()
        second_pid.append(connection.connection.info.backend_pid)
        with transaction.atomic():
            record_event(actor=None, actor_label="second", action=AuditAction.DEMO_LOADED)

    threads = [in_thread(first, errors), in_thread(second, errors)]
    try:
        assert first_written.wait(30)
        wait_until(
            lambda: bool(second_pid) and waiting_on_the_chain_head(second_pid[0]),
            "the second writer waits on the head's lock",
        )
        assert not AuditEvent.objects.exists()  # nothing committed yet: the first is still open
    finally:
        first_may_commit.set()
        for thread in threads:
            thread.join(30)
    assert errors == []
    one, two = AuditEvent.objects.order_by("sequence")
    assert (one.actor_label, one.sequence, two.actor_label, two.sequence) == ("first", 1, "second", 2)
    assert two.previous_hash == one.hash
    assert verify_chain().intact


@pytest.mark.django_db(transaction=True)
def test_many_writers_at_once_leave_one_unbroken_chain() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("threads share SQLite's in-memory test database; see the multi-process test")
    writers, each = 6, 15
    start = threading.Barrier(writers)
    errors: list[BaseException] = []

    def write(number: int) -> Callable[[], None]:
        def work() -> None:
            start.wait(30)
            for _ in range(each):
                with transaction.atomic():
                    record_event(actor=None, actor_label=f"writer {number}", action=AuditAction.DEMO_LOADED)

        return work

    threads = [in_thread(write(number), errors) for number in range(writers)]
    for thread in threads:
        thread.join(120)
    assert errors == []
    assert sorted(AuditEvent.objects.values_list("sequence", flat=True)) == list(range(1, writers * each + 1))
    report = verify_chain()
    assert report.intact and report.checked.events == writers * each


WRITER = """
import sys
import django
django.setup()
from django.db import transaction
from carepath.audit.models import AuditAction
from carepath.audit.services import record_event
for number in range(int(sys.argv[2])):
    with transaction.atomic():
        record_event(
            actor=None, actor_label=sys.argv[1], action=AuditAction.DEMO_LOADED, details={"n": number}
        )
"""


@pytest.mark.django_db
def test_processes_writing_one_sqlite_file_at_once_leave_one_unbroken_chain(tmp_path: Path) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("this one is about SQLite files; PostgreSQL has the thread tests above")
    env = embedded_sqlite_env(tmp_path, "chain.sqlite3")
    run: Any = {"env": env, "capture_output": True, "text": True, "timeout": 300}
    # Only the audit tables and what they depend on: enough for the writers, and much quicker.
    assert subprocess.run([CAREPATH_BIN, "migrate", "audit", "--noinput"], check=False, **run).returncode == 0
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, f"writer {n}", "20"], env=env, stderr=subprocess.PIPE)
        for n in range(3)
    ]
    for writer in writers:
        _out, err = writer.communicate(timeout=300)
        assert writer.returncode == 0, err
    verified = subprocess.run([CAREPATH_BIN, "audit", "verify"], check=False, **run)
    assert verified.returncode == 0, verified.stderr
    assert verified.stdout.startswith("60 events, chain intact")
