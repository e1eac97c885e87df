"""Which events are about a person: every mapped subject type resolves, only the person's own
records match, and no service writes a person's record under a subject type the table lacks."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.db import transaction

from carepath.audit.models import AuditAction, AuditEvent
from carepath.audit.presentation import RECORD_NAMES
from carepath.audit.services import record_event
from carepath.audit.subjects import ACCOUNT, PERSON_RECORDS, about_person
from carepath.safety.models import SafetyPlan
from carepath.screening.models import Assessment

pytestmark = pytest.mark.django_db

SOURCE = Path(__file__).resolve().parents[2] / "src" / "carepath"
# Subject types that name no person's record: the directory, programme-wide reports, rules.
NOT_A_PERSONS_RECORD = {
    "directory",
    "service",
    "matching",
    "outcomes",
    "outcomes_report",
    "episode_costs",  # a finance import: counts only, no episode or person named
    "rule_set",
    "audit_trail",
    "matching_batch_assignment",  # a programme-wide proposal: counts only
    "database",  # backups and restores of the whole database
}


def test_every_mapped_subject_type_names_a_model_with_its_owner_field() -> None:
    for subject_type, (label, owner) in PERSON_RECORDS.items():
        field = apps.get_model(label)._meta.get_field(owner)
        assert field.related_model is apps.get_model("accounts", "User"), subject_type
        assert subject_type in RECORD_NAMES, f"{subject_type} has no name on the access log"
    assert ACCOUNT in RECORD_NAMES


def test_no_service_writes_a_subject_type_the_table_does_not_know() -> None:
    written = set()
    for path in SOURCE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        written |= set(re.findall(r'subject_type="([a-z_]+)"', text))
        written |= set(re.findall(r'^SUBJECT(?:_TYPE)? = "([a-z_]+)"', text, flags=re.MULTILINE))
    unknown = written - set(PERSON_RECORDS) - NOT_A_PERSONS_RECORD - {ACCOUNT}
    assert unknown == set(), "map these in carepath/audit/subjects.py, or list them as no person's record"


def test_a_persons_events_are_those_about_their_account_and_records(personas: dict[str, Any]) -> None:
    seeker, other = personas["help_seeker"], personas["other_help_seeker"]
    mine = Assessment.objects.create(
        person=seeker,
        instrument="phq9",
        instrument_version="1",
        answers={},
        total=3,
        band_index=0,
        band_label="x",
    )
    theirs = SafetyPlan.objects.create(person=other)
    with transaction.atomic():
        about_me = [
            record_event(actor=seeker, action=AuditAction.LOGIN, subject_type=ACCOUNT, subject_id=seeker.pk),
            record_event(
                actor=seeker,
                action=AuditAction.ASSESSMENT_SAVED,
                subject_type="assessment",
                subject_id=mine.pk,
            ),
        ]
        record_event(actor=other, action=AuditAction.LOGIN, subject_type=ACCOUNT, subject_id=other.pk)
        record_event(
            actor=other,
            action=AuditAction.SAFETY_PLAN_SAVED,
            subject_type="safety_plan",
            subject_id=theirs.pk,
        )
        # Same id as my check-in, but a different kind of record: not mine.
        record_event(
            actor=other, action=AuditAction.SAFETY_PLAN_SAVED, subject_type="safety_plan", subject_id=mine.pk
        )
    found = AuditEvent.objects.filter(about_person(seeker.pk)).order_by("sequence")
    assert list(found) == about_me
