"""The migrations that made free text encrypted encrypt the rows stored before them, and reversed,
give the plain text (and the snapshot's JSON) back."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from carepath.matching.models import MatchingWishes
from carepath.referrals.models import ContactEntry, HandOff, StatusChange
from carepath.safety.models import PLAN_STEPS, RiskFlag, SafetyPlan
from tests.integration.test_encryption_at_rest import ENCRYPTED, canary, raw_values
from tests.migration_steps import latest, migrate

BEFORE_ENCRYPTION = [("safety", "0001_initial"), ("referrals", "0001_initial"), ("matching", "0001_initial")]
SNAPSHOT = {
    "reason": canary("referrals_handoff", "snapshot"),
    "scores": [],
    "plan_updated_on": "2026-11-01",
    "plan_steps": [{"step": "warning_signs", "written": True, "text": "CANARY shared step"}],
}


def write_plain_rows(old: Any) -> None:
    """One row per table, in the tables as they were before encryption."""
    users = old.get_model("accounts", "User")
    person = users.objects.create(username="earlier-person", role="help_seeker")
    peer = users.objects.create(username="earlier-peer", role="peer_supporter")
    pro = users.objects.create(username="earlier-pro", role="professional")
    old.get_model("safety", "SafetyPlan").objects.create(
        person=person, **{step: canary("safety_safetyplan", step) for step in PLAN_STEPS}
    )
    old.get_model("safety", "RiskFlag").objects.create(
        person=person, reasons=[], status="reviewed", review_note=canary("safety_riskflag", "review_note")
    )
    referral = old.get_model("referrals", "Referral").objects.create(
        person=person, supporter=peer, kind="peer", status="ended"
    )
    old.get_model("referrals", "StatusChange").objects.create(
        referral=referral,
        by_side="person",
        from_status="active",
        to_status="ended",
        reason=canary("referrals_statuschange", "reason"),
    )
    old.get_model("referrals", "ContactEntry").objects.create(
        referral=referral,
        happened_on=dt.date(2026, 11, 2),
        channel="phone",
        minutes=30,
        note_kind="peer",
        note=canary("referrals_contactentry", "note"),
    )
    old.get_model("referrals", "HandOff").objects.create(
        peer_referral=referral,
        person=person,
        peer=peer,
        professional=pro,
        status="agreed",
        reason=canary("referrals_handoff", "reason"),
        snapshot=SNAPSHOT,
    )
    old.get_model("matching", "MatchingWishes").objects.create(
        person=person,
        experience=canary("matching_matchingwishes", "experience"),
        stated_preferences=canary("matching_matchingwishes", "stated_preferences"),
    )


@pytest.mark.django_db(transaction=True)
def test_rows_stored_before_encryption_are_encrypted_and_decrypted_back_on_reversal() -> None:
    executor = migrate(BEFORE_ENCRYPTION)
    try:
        write_plain_rows(executor.loader.project_state(BEFORE_ENCRYPTION).apps)

        migrate(latest())
        for table, columns in ENCRYPTED.items():
            for column in columns:
                (stored,) = raw_values(table, column)
                assert stored.startswith("gAAAAA") and "CANARY" not in stored, f"{table}.{column}"
        plan = SafetyPlan.objects.get()
        assert [getattr(plan, s) for s in PLAN_STEPS] == [canary("safety_safetyplan", s) for s in PLAN_STEPS]
        assert RiskFlag.objects.get().review_note == canary("safety_riskflag", "review_note")
        assert StatusChange.objects.get().reason == canary("referrals_statuschange", "reason")
        assert ContactEntry.objects.get().note == canary("referrals_contactentry", "note")
        hand_off = HandOff.objects.get()
        assert (hand_off.reason, hand_off.snapshot) == (canary("referrals_handoff", "reason"), SNAPSHOT)
        wishes = MatchingWishes.objects.get()
        assert wishes.stated_preferences == canary("matching_matchingwishes", "stated_preferences")

        migrate(BEFORE_ENCRYPTION)
        for table, columns in ENCRYPTED.items():
            for column in columns - {"snapshot"}:
                assert raw_values(table, column) == [canary(table, column)]
        (snapshot,) = raw_values("referrals_handoff", "snapshot")
        assert (json.loads(snapshot) if isinstance(snapshot, str) else snapshot) == SNAPSHOT
    finally:
        migrate(latest())
