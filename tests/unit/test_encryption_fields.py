"""The encrypted fields on their own (no database): what they write, what they read back, and the
queries they refuse."""

from __future__ import annotations

from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import FieldError
from django.db import connection
from hypothesis import given
from hypothesis import strategies as st

from carepath.encryption.errors import UnreadableValue
from carepath.encryption.fields import UnreadableText, seal, unseal
from carepath.encryption.keys import new_key
from carepath.referrals.models import ContactEntry, HandOff
from carepath.safety.models import SafetyPlan

TEXT = SafetyPlan._meta.get_field("warning_signs")
DOCUMENT = HandOff._meta.get_field("snapshot")
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
    max_leaves=20,
)


def stored(field: Any, value: Any) -> Any:
    return field.get_db_prep_save(value, connection)


def loaded(field: Any, value: Any) -> Any:
    return field.from_db_value(value, None, connection)


@given(st.text(min_size=1))
def test_any_text_round_trips_and_is_stored_only_as_ciphertext(text: str) -> None:
    token = stored(TEXT, text)
    assert token != text
    assert token.startswith("gAAAAA")  # a Fernet token, URL-safe base64
    assert loaded(TEXT, token) == text


@given(JSON)
def test_any_json_document_round_trips(document: Any) -> None:
    assert loaded(DOCUMENT, stored(DOCUMENT, document)) == document


def test_the_same_text_is_stored_differently_each_time() -> None:
    assert stored(TEXT, "the same words") != stored(TEXT, "the same words")


def test_canary_text_does_not_appear_in_the_ciphertext() -> None:
    canary = "CANARY-7f3a I hear the voices again"
    assert "CANARY" not in stored(TEXT, canary)
    assert "CANARY" not in stored(DOCUMENT, {"reason": canary})


def test_empty_and_null_stay_as_they_are_so_not_written_is_visible() -> None:
    assert stored(TEXT, "") == "" and loaded(TEXT, "") == ""
    assert stored(TEXT, None) is None and loaded(TEXT, None) is None
    assert stored(DOCUMENT, None) is None and loaded(DOCUMENT, None) is None
    # An empty document is still a document: only SQL NULL means "nothing shared".
    assert loaded(DOCUMENT, stored(DOCUMENT, {})) == {}
    assert stored(DOCUMENT, {}) != "{}"


def test_a_value_no_key_opens_is_loaded_as_a_marker_that_refuses_to_become_text(settings: Any) -> None:
    settings.CAREPATH_ENCRYPTION_KEYS = (new_key(),)
    token = Fernet(new_key()).encrypt(b"written under a key that is gone").decode()
    marker = loaded(TEXT, token)
    assert isinstance(marker, UnreadableText)
    assert "safety_safetyplan.warning_signs" in repr(marker)
    with pytest.raises(UnreadableValue, match="table safety_safetyplan, column warning_signs"):
        str(marker)
    assert isinstance(loaded(TEXT, "plain text stored before encryption"), UnreadableText)


def test_reading_an_unreadable_attribute_names_the_table_column_and_row() -> None:
    plan = SafetyPlan(pk=41)
    plan.__dict__["warning_signs"] = UnreadableText("safety_safetyplan", "warning_signs")
    with pytest.raises(UnreadableValue) as refused:
        _ = plan.warning_signs
    message = str(refused.value)
    assert "table safety_safetyplan, column warning_signs, row 41" in message
    assert "carepath encryption check" in message and "CAREPATH_ENCRYPTION_KEYS" in message


def test_older_keys_still_decrypt_and_the_newest_encrypts(settings: Any) -> None:
    older, newer = new_key(), new_key()
    settings.CAREPATH_ENCRYPTION_KEYS = (older,)
    before = seal("written under the older key")
    settings.CAREPATH_ENCRYPTION_KEYS = (newer, older)
    assert unseal(before) == "written under the older key"
    assert Fernet(newer).decrypt(seal("new words").encode()) == b"new words"


@pytest.mark.parametrize(
    "query",
    [
        lambda: SafetyPlan.objects.filter(warning_signs="tired"),
        lambda: SafetyPlan.objects.filter(warning_signs__icontains="tired"),
        lambda: SafetyPlan.objects.filter(warning_signs__startswith="t"),
        lambda: SafetyPlan.objects.filter(warning_signs__in=["tired"]),
        lambda: ContactEntry.objects.exclude(note__contains="x"),
        lambda: HandOff.objects.filter(snapshot__reason="x"),
        lambda: HandOff.objects.filter(snapshot={}),
    ],
)
def test_queries_that_would_compare_ciphertext_are_refused(query: Any) -> None:
    with pytest.raises(FieldError):
        query()


def test_a_comparison_with_empty_text_names_the_field_when_refused() -> None:
    with pytest.raises(FieldError, match=r"safety.SafetyPlan.warning_signs is encrypted"):
        SafetyPlan.objects.filter(warning_signs="tired")


def test_empty_and_null_can_still_be_asked_about() -> None:
    assert "warning_signs" in str(SafetyPlan.objects.filter(warning_signs="").query)
    assert "IS NULL" in str(HandOff.objects.filter(snapshot__isnull=True).query)


def test_an_encrypted_field_cannot_be_unique_or_indexed() -> None:
    from carepath.encryption.fields import EncryptedTextField

    field = EncryptedTextField(unique=True)
    field.set_attributes_from_name("secret")
    field.model = SafetyPlan
    assert [problem.id for problem in field.check()] == ["carepath_encryption.E001"]
