"""Erasing an account: afterwards no table holds the person's username, email, name or words,
the audit chain still verifies, other people's records are untouched and the sessions are gone."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import connection, models, transaction
from django.test import Client
from django.utils import timezone

from carepath.accounts.models import User
from carepath.audit.models import AuditAction, AuditChainHead, AuditEvent
from carepath.errors import FieldProblem, NotPermitted
from carepath.referrals.models import ContactEntry, Notification, Referral
from carepath.rights.services.erasure import erase_account
from carepath.safety.models import SafetyPlan
from carepath.screening.models import Assessment
from carepath.web import throttling
from carepath_core.audit_chain import ChainEntry, entry_hash
from carepath_core.matching.experience_text import experience_words
from tests.conftest import PASSWORD
from tests.rights_people import CANARY, DISPLAY_NAME, EMAIL, USERNAME, People, people_with_data
from tests.sign_in import sign_in

pytestmark = pytest.mark.django_db
TRACES = (USERNAME, EMAIL, DISPLAY_NAME, CANARY)


@pytest.fixture
def people(make_account: Any) -> People:
    found = people_with_data(make_account)
    _failed_login_and_old_event(found.person)
    return found


def _failed_login_and_old_event(person: Any) -> None:
    """A wrong password under the person's name (audited, and kept by django-axes), and one event
    written before chain version 2, with the username in its label."""
    Client().post("/accounts/login/", {"username": USERNAME, "password": "not the password"})
    with transaction.atomic():
        head = AuditChainHead.objects.select_for_update().get()
        fields = {
            "sequence": head.sequence + 1,
            "occurred_at": timezone.now(),
            "actor_ref": str(person.pk),
            "actor_label": USERNAME,
            "actor_role": person.role,
            "action": AuditAction.LOGIN.value,
            "outcome": "success",
            "subject_type": "account",
            "subject_id": str(person.pk),
            "detail": {},
            "previous_hash": head.hash,
        }
        digest = entry_hash(ChainEntry(version=1, **fields))
        event = AuditEvent.objects.create(
            actor=person,
            hash_version=1,
            hash=digest,
            details={},
            personal_salt="",
            **{key: value for key, value in fields.items() if key != "detail"},
        )
        AuditChainHead.objects.filter(pk=head.pk).update(sequence=event.sequence, hash=digest)


def raw_traces() -> list[str]:
    """Every column of every table, read as text by the database itself: where a trace is found."""
    found = []
    like = "ILIKE" if connection.vendor == "postgresql" else "LIKE"
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            columns = [
                column.name for column in connection.introspection.get_table_description(cursor, table)
            ]
            for column in columns:
                for trace in TRACES:
                    quoted_table, quoted_column = (
                        connection.ops.quote_name(table),
                        connection.ops.quote_name(column),
                    )
                    cursor.execute(
                        f"SELECT COUNT(*) FROM {quoted_table} WHERE CAST({quoted_column} AS TEXT) {like} %s",
                        [f"%{trace}%"],
                    )
                    if cursor.fetchone()[0]:
                        found.append(f"{table}.{column}: {trace}")
    return found


def model_traces() -> list[str]:
    """Every text and JSON field of every model, read through the ORM (so decrypted): where a trace is."""
    found = []
    for model in apps.get_models():
        text_fields = [
            field.name
            for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField | models.JSONField)
        ]
        for values in model._default_manager.values_list(*text_fields) if text_fields else []:
            for name, value in zip(text_fields, values, strict=True):
                for trace in TRACES:
                    if trace.casefold() in str(value).casefold():
                        found.append(f"{model._meta.label}.{name}: {trace}")
    return found


def verify_chain() -> str:
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    return out.getvalue()


def test_before_erasure_the_traces_are_everywhere_the_scan_looks(people: People) -> None:
    """The scans can fail: before erasure they find the person in the tables they should."""
    raw, orm = "\n".join(raw_traces()), "\n".join(model_traces())
    assert "accounts_user.username" in raw and "axes_accessattempt" in raw and "django_admin_log" in raw
    assert "audit_auditevent.actor_label" in raw and "audit_auditevent.details" in raw
    assert "safety.SafetyPlan.warning_signs" in orm and "referrals.ContactEntry.note" in orm


def test_after_erasure_no_table_holds_the_person_and_the_chain_verifies(people: People) -> None:
    client = Client()
    sign_in(client, people.person)
    assert "chain intact" in verify_chain()
    erase_account(actor=people.person, account=people.person, password=PASSWORD)
    assert raw_traces() == []
    assert model_traces() == []
    assert "chain intact" in verify_chain()
    assert not [
        s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(people.person.pk)
    ]
    assert client.get("/api/v1/accounts/me").status_code == 401


def test_the_account_row_is_an_empty_shell_that_cannot_sign_in(people: People) -> None:
    erase_account(actor=people.person, account=people.person, password=PASSWORD)
    shell = User.objects.get(pk=people.person.pk)
    assert shell.username.startswith("erased-") and not shell.email and not shell.is_active
    assert not shell.has_usable_password() and not shell.check_password(PASSWORD)
    erased_event = AuditEvent.objects.get(action=AuditAction.ACCOUNT_ERASED)
    assert (
        erased_event.subject_id == str(shell.pk) and erased_event.details["rows"]["screening.Assessment"] == 2
    )


def test_other_people_s_records_stay_and_lose_only_the_person_s_name(people: People) -> None:
    others_before = list(Assessment.objects.exclude(person=people.person).values_list("pk", flat=True))
    erase_account(actor=people.person, account=people.person, password=PASSWORD)
    assert (
        list(Assessment.objects.exclude(person=people.person).values_list("pk", flat=True)) == others_before
    )
    assert SafetyPlan.objects.get(person=people.other).warning_signs == "Robin's own words stay"
    assert not Assessment.objects.filter(person=people.person).exists()
    # The supporters keep their notes of the work, the person's name taken out, linked to the shell.
    notes = list(ContactEntry.objects.order_by("id").values_list("note", flat=True))
    assert notes == ["Talked with [name removed] about sleep.", "Assessment call with [name removed]."]
    professional = Referral.objects.get(pk=people.professional_referral.pk)
    assert professional.status == "ended" and professional.person_id == people.person.pk
    told = Notification.objects.filter(recipient=people.professional).order_by("-id").first()
    assert told is not None and "has left Carepath" in told.text
    assert User.objects.filter(pk=people.other.pk, username="other-seeker", is_active=True).exists()


def test_rate_limit_counts_of_the_account_are_cleared(people: People) -> None:
    key = f"user:{people.person.pk}"
    throttling.take(key, limit=1)
    assert not throttling.take(key, limit=1).allowed
    erase_account(actor=people.person, account=people.person, password=PASSWORD)
    assert throttling.take(key, limit=1).allowed


def test_the_recently_read_experience_words_are_dropped_in_the_erasing_process(people: People) -> None:
    words = experience_words("I lived through grief in Zanzibar and long waits")
    assert experience_words.cache_info().currsize >= 1 and "zanzibar" in words.values()
    erase_account(actor=people.person, account=people.person, password=PASSWORD)
    assert experience_words.cache_info().currsize == 0


def test_a_wrong_password_refuses_and_changes_nothing(people: People) -> None:
    events = AuditEvent.objects.count()
    with pytest.raises(FieldProblem) as refusal:
        erase_account(actor=people.person, account=people.person, password="not my password")
    assert refusal.value.field == "password"
    assert AuditEvent.objects.count() == events
    assert User.objects.get(pk=people.person.pk).username == USERNAME
    assert Assessment.objects.filter(person=people.person).count() == 2


def test_nobody_erases_someone_else(people: People) -> None:
    with pytest.raises(NotPermitted):
        erase_account(actor=people.coordinator, account=people.person, password=PASSWORD)
    assert User.objects.get(pk=people.person.pk).is_active
