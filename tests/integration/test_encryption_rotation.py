"""`carepath encryption rotate | check | new-key` on a real database: rotation moves every value to
the newest key so the old key can be dropped, batch by batch; values no key opens are named by
table, row and column; and the audit trail records counts only."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command

from carepath.audit.models import AuditAction, AuditEvent
from carepath.encryption.errors import UnreadableValue
from carepath.encryption.keys import new_key
from carepath.matching.models import MatchingWishes
from carepath.referrals.models import ContactEntry, HandOff, StatusChange
from carepath.safety.models import PLAN_STEPS, RiskFlag, SafetyPlan
from tests.integration.test_encryption_at_rest import (
    ENCRYPTED,
    canary,
    raw_values,
    write_every_encrypted_column,
)

pytestmark = pytest.mark.django_db
OLD, NEW, UNKNOWN = new_key(), new_key(), new_key()


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def run(*args: str, stdout: io.StringIO | None = None) -> str:
    out = stdout or io.StringIO()
    call_command("encryption", *args, stdout=out)
    return out.getvalue()


def every_value_reads_back() -> None:
    plan = SafetyPlan.objects.get()
    assert [getattr(plan, step) for step in PLAN_STEPS] == [
        canary("safety_safetyplan", s) for s in PLAN_STEPS
    ]
    assert RiskFlag.objects.get().review_note == canary("safety_riskflag", "review_note")
    assert ContactEntry.objects.get().note == canary("referrals_contactentry", "note")
    assert StatusChange.objects.get(to_status="ended").reason == canary("referrals_statuschange", "reason")
    hand_off = HandOff.objects.get()
    assert hand_off.reason == hand_off.snapshot["reason"] == canary("referrals_handoff", "reason")
    assert MatchingWishes.objects.get().experience == canary("matching_matchingwishes", "experience")


def test_rotation_moves_everything_to_the_new_key_so_the_old_one_can_be_dropped(
    personas: dict[str, Any], settings: Any
) -> None:
    settings.CAREPATH_ENCRYPTION_KEYS = (OLD,)
    write_every_encrypted_column(personas)
    plan_changed_at = SafetyPlan.objects.get().updated_at
    settings.CAREPATH_ENCRYPTION_KEYS = (NEW, OLD)
    before = run("check")
    assert "safety_safetyplan: 1 rows, 0 unreadable values, 6 values under an older key" in before
    assert "still need an older key: run rotate" in before

    summary = run("rotate", "--batch-size", "2")

    assert "safety_safetyplan: 1 rows re-encrypted" in summary
    assert "referrals_handoff: 1 rows re-encrypted" in summary
    assert "referrals_statuschange: 1 rows re-encrypted" in summary  # only rows with text count
    settings.CAREPATH_ENCRYPTION_KEYS = (NEW,)
    every_value_reads_back()
    for table, columns in ENCRYPTED.items():
        for column in columns:
            for token in filter(None, raw_values(table, column)):
                Fernet(NEW).decrypt(token.encode())  # under the new key itself
    assert "older keys can be dropped" in run("check")
    assert SafetyPlan.objects.get().updated_at == plan_changed_at  # re-encrypting is not an edit


def test_rotation_is_audited_with_counts_only(personas: dict[str, Any], settings: Any) -> None:
    write_every_encrypted_column(personas)
    settings.CAREPATH_ENCRYPTION_KEYS = (NEW, *settings.CAREPATH_ENCRYPTION_KEYS)
    run("rotate")
    event = AuditEvent.objects.get(action=AuditAction.KEYS_ROTATED)
    assert event.actor_id is None and event.actor_label == "command line"
    assert event.details == {
        "keys_configured": 2,
        "rows": {
            "matching_matchingwishes": 1,
            "referrals_contactentry": 1,
            "referrals_handoff": 1,
            "referrals_statuschange": 1,
            "safety_riskflag": 1,
            "safety_safetyplan": 1,
        },
    }
    stored = json.dumps(event.details)
    assert "CANARY" not in stored and NEW not in stored


def test_a_value_under_an_unknown_key_is_named_by_table_row_and_column(
    personas: dict[str, Any], settings: Any
) -> None:
    settings.CAREPATH_ENCRYPTION_KEYS = (UNKNOWN,)
    plan = SafetyPlan.objects.create(person=personas["help_seeker"], warning_signs="Not sleeping")
    settings.CAREPATH_ENCRYPTION_KEYS = (NEW,)

    loaded = SafetyPlan.objects.get()  # the row loads; reading the value is what fails
    assert loaded.coping_on_my_own == ""
    with pytest.raises(
        UnreadableValue, match=f"table safety_safetyplan, column warning_signs, row {plan.pk}"
    ):
        _ = loaded.warning_signs

    out = io.StringIO()
    with pytest.raises(CommandError, match="1 stored values cannot be decrypted") as failed:
        run("check", stdout=out)
    assert failed.value.returncode == 1
    assert f"unreadable: table safety_safetyplan, row {plan.pk}, column warning_signs" in out.getvalue()

    with pytest.raises(CommandError, match=f"table safety_safetyplan, column warning_signs, row {plan.pk}"):
        run("rotate")
    assert not AuditEvent.objects.filter(action=AuditAction.KEYS_ROTATED).exists()


def test_each_batch_is_its_own_transaction_so_a_stop_keeps_the_work_before_it(
    make_account: Any, settings: Any
) -> None:
    settings.CAREPATH_ENCRYPTION_KEYS = (OLD,)
    plans = [
        SafetyPlan.objects.create(person=make_account(f"p{n}"), warning_signs=f"words {n}") for n in range(3)
    ]
    settings.CAREPATH_ENCRYPTION_KEYS = (UNKNOWN,)
    SafetyPlan.objects.filter(pk=plans[1].pk).update(warning_signs="unreadable later")
    settings.CAREPATH_ENCRYPTION_KEYS = (NEW, OLD)

    with pytest.raises(CommandError, match=f"row {plans[1].pk}"):
        run("rotate", "--batch-size", "1")

    tokens = dict(SafetyPlan.objects.values_list("pk", "warning_signs"))
    assert tokens[plans[0].pk] == "words 0"
    first, last = (raw_values("safety_safetyplan", "warning_signs")[i] for i in (0, 2))
    Fernet(NEW).decrypt(first.encode())  # the batch before the stop is done
    Fernet(OLD).decrypt(last.encode())  # the one after it was not reached


def test_progress_is_shown_on_a_terminal_only(personas: dict[str, Any]) -> None:
    SafetyPlan.objects.create(person=personas["help_seeker"], warning_signs="Tired all the time")
    terminal = Terminal()
    run("rotate", stdout=terminal)
    assert "\rRe-encrypted 1 of 1 rows in safety_safetyplan" in terminal.getvalue()
    assert "\r" not in run("rotate")


def test_a_bad_batch_size_is_refused() -> None:
    with pytest.raises(CommandError, match="--batch-size: must be a whole number of at least 1"):
        run("rotate", "--batch-size", "0")


def test_new_key_prints_a_fresh_key_and_stores_nothing() -> None:
    printed = run("new-key").strip()
    Fernet(printed)
    assert printed != run("new-key").strip()
    assert not AuditEvent.objects.exists()
