"""The hash chain in the database (SQLite and PostgreSQL): record_event appends to it, and
`carepath audit verify` finds an edit, a deletion, a cut-off end or a relinked actor where it happened."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from carepath.audit.chain_rows import LINK_COLUMNS, stored_link
from carepath.audit.models import AuditAction, AuditChainCheck, AuditChainHead, AuditEvent
from carepath.audit.services import record_event
from carepath.audit.verification import verify_chain
from carepath_core.audit_chain import GENESIS_HASH, BreakKind, entry_hash

pytestmark = pytest.mark.django_db

# Numbers and text a JSON column might hand back differently from how they went in.
AWKWARD_DETAILS = {
    "float": 0.1 + 0.2,
    "whole_float": 3.0,
    "big_float": 1e16,
    "huge_float": 1.5e300,
    "big_int": 2**60,
    "tiny": 5e-324,
    "text": 'é ✓ \U0001f600 "quoted" \\ back',
    "tuple": (1, 2),
    "nested": {"z": [True, None, {"a": -0.0}], "a": 1},
}


def record(count: int, **fields: Any) -> list[AuditEvent]:
    with transaction.atomic():
        return [
            record_event(actor=None, actor_label="test", action=AuditAction.DEMO_LOADED, **fields)
            for _ in range(count)
        ]


def verify(*args: str) -> str:
    out = io.StringIO()
    call_command("audit", "verify", *args, stdout=out)
    return out.getvalue()


def broken(*args: str) -> CommandError:
    with pytest.raises(CommandError) as refusal:
        verify(*args)
    assert refusal.value.returncode == 1
    return refusal.value


def test_each_event_links_to_the_one_before_and_the_head_follows(personas: dict[str, Any]) -> None:
    with transaction.atomic():
        first = record_event(actor=personas["coordinator"], action=AuditAction.LOGIN)
        second = record_event(actor=None, actor_label="system", action=AuditAction.DEMO_LOADED)
    assert (first.sequence, first.previous_hash) == (1, GENESIS_HASH)
    assert (second.sequence, second.previous_hash) == (2, first.hash)
    assert (first.actor_ref, first.actor_role) == (str(personas["coordinator"].pk), "coordinator")
    head = AuditChainHead.objects.get()
    assert (head.sequence, head.hash) == (2, second.hash)


def test_the_hash_stored_is_the_hash_of_what_the_database_gives_back() -> None:
    record(1, details=AWKWARD_DETAILS, subject_type="directory", subject_id=42)
    row = AuditEvent.objects.values(*LINK_COLUMNS).get()
    assert entry_hash(stored_link(row).entry) == row["hash"]
    assert verify_chain().intact


def test_an_intact_chain_is_reported_as_such_and_the_result_kept() -> None:
    record(5)
    out = verify("--batch-size", "2")
    assert out.startswith("5 events, chain intact")
    check = AuditChainCheck.objects.get()
    assert (check.intact, check.events, check.last_sequence) == (True, 5, 5)


def test_no_events_is_an_intact_empty_chain() -> None:
    assert verify().startswith("0 events, chain intact")


def test_details_edited_by_raw_sql_are_reported_at_that_event() -> None:
    events = record(5)
    target = events[2]
    cast = "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE audit_auditevent SET details = {cast} WHERE id = %s",
            [json.dumps({"quietly": "changed"}), target.pk],
        )
    error = broken("--batch-size", "2")
    assert f"Chain broken at sequence 3 (event id {target.pk})" in str(error)
    assert f"stored hash {target.hash}, recomputed hash" in str(error)
    check = AuditChainCheck.objects.get()
    assert not check.intact and "sequence 3" in check.problem


def test_a_deleted_event_is_reported_as_a_gap() -> None:
    events = record(5)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])
    error = broken()
    assert "Chain broken at sequence 2: gap" in str(error)
    assert f"(id {events[2].pk}) has sequence 3, so 1 event(s) are missing" in str(error)


def test_events_cut_off_the_end_are_reported_against_the_head() -> None:
    events = record(4)
    AuditEvent.objects.filter(pk=events[-1].pk).delete()
    error = broken()
    assert "the chain ends at 3:" in str(error) and f"head records 4:{events[-1].hash}" in str(error)


def test_a_replaced_event_with_a_recomputed_hash_is_caught_at_the_next_one() -> None:
    events = record(3)
    forged = AuditEvent.objects.values(*LINK_COLUMNS).get(pk=events[0].pk)
    forged["outcome"] = "failure"
    AuditEvent.objects.filter(pk=events[0].pk).update(
        outcome="failure", hash=entry_hash(stored_link(forged).entry)
    )
    report = verify_chain()
    assert report.problem is not None
    assert (report.problem.kind, report.problem.sequence) == (BreakKind.PREVIOUS_HASH, 2)


def test_erasing_an_account_keeps_the_chain_intact_but_relinking_its_events_does_not(
    personas: dict[str, Any],
) -> None:
    with transaction.atomic():
        event = record_event(actor=personas["peer_supporter"], action=AuditAction.LOGIN)
        record_event(actor=personas["professional"], action=AuditAction.LOGIN)
    personas["peer_supporter"].delete()
    assert verify_chain().intact
    AuditEvent.objects.filter(pk=event.pk).update(actor=personas["coordinator"])
    problem = verify_chain().problem
    assert problem is not None and (problem.kind, problem.found) == (
        BreakKind.ACTOR,
        str(personas["coordinator"].pk),
    )


def test_an_exported_anchor_is_checked() -> None:
    events = record(3)
    head = io.StringIO()
    call_command("audit", "head", stdout=head)
    assert head.getvalue().strip() == f"3:{events[-1].hash}"
    assert verify("--anchor", f"2:{events[1].hash}").startswith("3 events, chain intact")
    assert "Anchor mismatch at sequence 2" in str(broken("--anchor", f"2:{'0' * 64}"))
    assert "(no such event)" in str(broken("--anchor", f"7:{'0' * 64}"))


def test_bad_options_are_refused_with_the_option_named() -> None:
    for args in (["--anchor", "not-an-anchor"], ["--batch-size", "0"]):
        with pytest.raises(CommandError) as refusal:
            verify(*args)
        assert refusal.value.returncode == 2 and str(refusal.value).startswith(args[0])


def test_a_missing_head_row_is_rebuilt_from_the_last_event() -> None:
    events = record(2)
    AuditChainHead.objects.all().delete()
    assert verify_chain().problem is not None  # events but no head: reported
    (third,) = record(1)
    assert (third.sequence, third.previous_hash) == (3, events[-1].hash)
    assert verify_chain().intact
