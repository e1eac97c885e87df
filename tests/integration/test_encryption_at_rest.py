"""Sensitive free text on a real database: every encrypted column holds only ciphertext (read with
plain SQL), and the application reads the words back. The rows are written through the real
services where there is one, so the columns are the ones those services fill."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carepath.encryption.services import encrypted_tables
from carepath.matching.models import MatchingWishes
from carepath.referrals.models import ContactEntry, HandOff, StatusChange
from carepath.referrals.services import contacts, hand_offs, referrals
from carepath.safety.models import PLAN_STEPS, RiskFlag, SafetyPlan
from carepath.safety.services import review_risk_flag, save_safety_plan
from tests.referral_setup import active, ask_peer, keep_check_in, peer_profile, professional_profile

pytestmark = pytest.mark.django_db

# Every column that holds what a person or supporter wrote about a person's health or life.
ENCRYPTED = {
    "safety_safetyplan": set(PLAN_STEPS),
    "safety_riskflag": {"review_note"},
    "referrals_statuschange": {"reason"},
    "referrals_contactentry": {"note"},
    "referrals_handoff": {"reason", "snapshot"},
    "matching_matchingwishes": {"experience", "stated_preferences"},
}


def canary(table: str, column: str) -> str:
    return f"CANARY {table}.{column}: I have not slept properly since March"


def write_every_encrypted_column(personas: dict[str, Any]) -> None:
    """One row (at least) with canary text in every encrypted column."""
    seeker, peer, pro = personas["help_seeker"], personas["peer_supporter"], personas["professional"]
    keep_check_in(seeker)
    save_safety_plan(person=seeker, steps={step: canary("safety_safetyplan", step) for step in PLAN_STEPS})
    flag = RiskFlag.objects.create(person=seeker, reasons=["phq9_9"])
    review_risk_flag(actor=personas["coordinator"], flag=flag, note=canary("safety_riskflag", "review_note"))

    relationship = active(ask_peer(seeker, peer_profile(peer)))
    contacts.log_contact(
        actor=peer,
        referral=relationship,
        data={
            "happened_on": timezone.localdate(),
            "channel": "phone",
            "minutes": 20,
            "note": canary("referrals_contactentry", "note"),
        },
    )
    hand_off = hand_offs.ask_for_hand_off(
        actor=peer,
        referral=relationship,
        professional_id=professional_profile(pro).pk,
        reason=canary("referrals_handoff", "reason"),
    )
    screen = hand_offs.open_consent_screen(actor=seeker, hand_off=hand_off)
    hand_offs.agree_to_hand_off(actor=seeker, hand_off=hand_off, agreed_fingerprint=screen.fingerprint)
    referrals.end_relationship(
        actor=seeker, referral=relationship, reason=canary("referrals_statuschange", "reason")
    )

    MatchingWishes.objects.create(
        person=seeker,
        experience=canary("matching_matchingwishes", "experience"),
        stated_preferences=canary("matching_matchingwishes", "stated_preferences"),
    )


def raw_values(table: str, column: str) -> list[Any]:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        # Names from the models, not from input.
        cursor.execute(f"SELECT {quote(column)} FROM {quote(table)} ORDER BY {quote('id')}")
        return [row[0] for row in cursor.fetchall()]


def test_the_inventory_of_encrypted_columns() -> None:
    found = {table.name: set(table.columns) for table in encrypted_tables()}
    assert found == ENCRYPTED
    for table in encrypted_tables():
        for column in table.columns:  # services address a column by its field's name
            assert table.model._meta.get_field(column).column == column


def test_the_database_holds_no_plain_text_and_the_application_reads_it_back(
    personas: dict[str, Any],
) -> None:
    write_every_encrypted_column(personas)
    for table, columns in ENCRYPTED.items():
        for column in columns:
            stored = [value for value in raw_values(table, column) if value]
            assert stored, f"{table}.{column} was not written"
            for value in stored:
                assert "CANARY" not in str(value) and "slept" not in str(value), f"{table}.{column}"
                assert str(value).startswith("gAAAAA"), f"{table}.{column} is not a Fernet token"

    plan = SafetyPlan.objects.get()
    assert [getattr(plan, step) for step in PLAN_STEPS] == [
        canary("safety_safetyplan", step) for step in PLAN_STEPS
    ]
    assert RiskFlag.objects.get().review_note == canary("safety_riskflag", "review_note")
    assert ContactEntry.objects.get().note == canary("referrals_contactentry", "note")
    ending = StatusChange.objects.get(to_status="ended")
    assert ending.reason == canary("referrals_statuschange", "reason")
    hand_off = HandOff.objects.get()
    assert hand_off.reason == canary("referrals_handoff", "reason")
    assert hand_off.snapshot["reason"] == canary("referrals_handoff", "reason")
    assert hand_off.snapshot["plan_steps"][0]["text"] == canary("safety_safetyplan", "warning_signs")
    wishes = MatchingWishes.objects.get()
    assert wishes.experience == canary("matching_matchingwishes", "experience")
    assert wishes.stated_preferences == canary("matching_matchingwishes", "stated_preferences")


def test_nothing_written_stays_visible_without_decrypting(personas: dict[str, Any]) -> None:
    save_safety_plan(person=personas["help_seeker"], steps={"warning_signs": "Staying in bed all day"})
    plan_row = {column: raw_values("safety_safetyplan", column)[0] for column in PLAN_STEPS}
    assert plan_row["warning_signs"].startswith("gAAAAA")
    assert all(plan_row[step] == "" for step in PLAN_STEPS if step != "warning_signs")
    assert SafetyPlan.objects.filter(coping_on_my_own="").count() == 1
    assert SafetyPlan.objects.exclude(warning_signs="").count() == 1


def test_bulk_writes_and_updates_are_encrypted_too(personas: dict[str, Any]) -> None:
    seeker, other = personas["help_seeker"], personas["other_help_seeker"]
    SafetyPlan.objects.bulk_create([SafetyPlan(person=seeker, warning_signs="CANARY bulk one")])
    SafetyPlan.objects.filter(person=seeker).update(coping_on_my_own="CANARY updated")
    second = SafetyPlan.objects.create(person=other)
    second.people_to_ask = "CANARY bulk two"
    SafetyPlan.objects.bulk_update([second], ["people_to_ask"])
    for column in ("warning_signs", "coping_on_my_own", "people_to_ask"):
        assert not any("CANARY" in value for value in raw_values("safety_safetyplan", column))
    texts = SafetyPlan.objects.order_by("pk").values_list(
        "warning_signs", "coping_on_my_own", "people_to_ask"
    )
    assert list(texts) == [("CANARY bulk one", "CANARY updated", ""), ("", "", "CANARY bulk two")]


@pytest.mark.parametrize(
    "text",
    ["", " ", "ünïcödé — and 漢字 🌧", "line one\nline two\r\n\ttabbed", "x" * 20000, "'; DROP TABLE x; --"],
)
def test_text_round_trips_through_the_database(personas: dict[str, Any], text: str) -> None:
    SafetyPlan.objects.create(person=personas["help_seeker"], warning_signs=text)
    assert SafetyPlan.objects.get().warning_signs == text


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text())
def test_any_text_round_trips_through_the_database(personas: dict[str, Any], text: str) -> None:
    # Any text at all, NUL characters included (the column holds only base64 text).
    entry = SafetyPlan.objects.create(person=personas["help_seeker"], people_to_ask=text)
    try:
        assert SafetyPlan.objects.get(pk=entry.pk).people_to_ask == text
    finally:
        entry.delete()
