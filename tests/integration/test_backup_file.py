"""The backup services in this process, on the test database: which tables, what a file holds,
and how a damaged or changed file is refused with the database left as it was.

The round trip between two databases, by real `carepath` processes, is in test_backup_round_trip.
"""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.db import connection

from carepath.audit.models import AuditAction, AuditEvent
from carepath.backup import loading
from carepath.backup.archive import DamagedBackup
from carepath.backup.codec import Kind, TableDigest, check_neutral, to_database, to_neutral
from carepath.backup.selectors import table_digest
from carepath.backup.services import RestoreRefused, make_backup, restore_backup
from carepath.backup.tables import FILLED_BY_MIGRATE, LEFT_OUT, REBUILT, backed_up_tables
from carepath.matching.models import MatchingWishes

SECRET = "I lost my brother last spring"


def test_every_installed_table_is_backed_up_rebuilt_or_left_out_on_purpose() -> None:
    tables = backed_up_tables()
    names = {table.name for table in tables}
    stored = {
        model._meta.db_table for model in apps.get_models(include_auto_created=True) if model._meta.managed
    }
    left_aside = {apps.get_model(label)._meta.db_table for label in LEFT_OUT | REBUILT}
    assert names | left_aside == stored
    assert not names & left_aside
    for label in FILLED_BY_MIGRATE:
        assert apps.get_model(label)._meta.db_table in names
    assert {"accounts_user", "audit_auditevent", "django_content_type", "auth_permission"} <= names
    # A table is loaded after the tables it points at (but in a cycle), never points at one left aside.
    loaded: set[str] = set()
    for table in tables:
        for target in pointed_at(table.model) - {table.model}:
            assert target._meta.db_table not in left_aside, (table.name, target)
            assert target._meta.db_table in loaded or table.model in pointed_at(target), (table.name, target)
        loaded.add(table.name)


def pointed_at(model: Any) -> set[Any]:
    return {field.related_model for field in model._meta.concrete_fields if field.is_relation}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "raw", "neutral"),
    [
        (Kind.BOOL, True, True),
        (Kind.INT, 7, 7),
        (Kind.FLOAT, 0.1, 0.1),
        (Kind.TEXT, "gAAAAAB-ciphertext", "gAAAAAB-ciphertext"),
        (Kind.DATE, dt.date(2025, 1, 31), "2025-01-31"),
        (Kind.TIME, dt.time(9, 5), "09:05:00.000000"),
        (Kind.DATETIME, dt.datetime(2025, 1, 31, 9, 5, tzinfo=dt.UTC), "2025-01-31T09:05:00.000000+00:00"),
        (Kind.DURATION, dt.timedelta(days=1, microseconds=5), 86_400_000_005),
        (Kind.BINARY, b"\x00\xff", "AP8="),
        (Kind.JSON, '{"b": 1, "a": [null]}', '{"b": 1, "a": [null]}'),
        (Kind.JSON, "null", "null"),  # a JSON null is not SQL NULL
    ],
)
def test_each_kind_of_value_has_one_neutral_form_and_goes_back_as_django_stores_it(
    kind: Kind, raw: Any, neutral: Any
) -> None:
    assert to_neutral(kind, raw) == neutral
    check_neutral(kind, neutral)
    stored = to_database(kind, neutral, connection)
    assert to_neutral(kind, stored) == neutral


def test_decimals_keep_their_places_and_sqlite_text_dates_read_alike() -> None:
    assert to_neutral(Kind.DECIMAL, 12.5, 2) == "12.50"  # SQLite gives a float
    assert to_neutral(Kind.DECIMAL, Decimal("12.500000"), 2) == "12.50"  # PostgreSQL, a Decimal
    assert to_neutral(Kind.DATETIME, "2025-01-31 09:05:00") == "2025-01-31T09:05:00.000000+00:00"
    a, b = TableDigest(["d"], [Kind.JSON]), TableDigest(["d"], [Kind.JSON])
    a.add(['{"x": 1, "y": 2}'])
    b.add(['{"y":2,"x":1}'])  # jsonb gives its own key order; the checksum does not care
    assert a.sha256 == b.sha256


@pytest.mark.django_db
def test_json_numbers_hash_alike_as_python_wrote_them_and_as_jsonb_gives_them_back() -> None:
    written = (
        '{"big": 1e+20, "huge": -1.5e+300, "small": 1e-07, "x": 1.5, "n": 3, "half": 12345678901234567.5}'
    )
    # jsonb keeps exact decimals and writes them back in its own key order, without exponents.
    jsonb = (
        '{"n": 3, "x": 1.5, "big": 100000000000000000000, "half": 12345678901234567.5, '
        '"huge": -15' + "0" * 299 + ', "small": 0.0000001}'
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT %s::jsonb::text", [written])
            assert cursor.fetchone()[0] == jsonb
    a, b = TableDigest(["d"], [Kind.JSON]), TableDigest(["d"], [Kind.JSON])
    a.add([written])
    b.add([jsonb])
    assert a.sha256 == b.sha256


def test_a_value_of_the_wrong_kind_in_a_file_is_refused() -> None:
    for kind, value in [(Kind.INT, True), (Kind.BOOL, "yes"), (Kind.TEXT, 5), (Kind.JSON, {"a": 1})]:
        with pytest.raises(ValueError, match="expected"):
            check_neutral(kind, value)


# Files made here and restored here ------------------------------------------------------------


@pytest.fixture
def backed_up(personas: dict[str, Any], tmp_path: Path) -> Path:
    MatchingWishes.objects.create(person=personas["help_seeker"], experience=SECRET, topics=["grief"])
    path = tmp_path / "backup.zip"
    make_backup(path)
    return path


def digests() -> dict[str, tuple[int, str]]:
    found = {}
    for table in backed_up_tables():
        digest = table_digest(table)
        found[table.name] = (digest.rows, digest.sha256)
    return found


def changed_copy(source: Path, member: str, change: Callable[[str], str]) -> Path:
    target = source.with_name("changed.zip")
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            data = old.read(item.filename)
            new.writestr(item.filename, change(data.decode()) if item.filename == member else data)
    return target


def first_line_changed(change: Callable[[list[Any]], Any]) -> Callable[[str], str]:
    def rewrite(text: str) -> str:
        first, rest = text.split("\n", 1)
        return f"{change(json.loads(first))}\n{rest}"

    return rewrite


@pytest.mark.django_db(transaction=True)
def test_encrypted_columns_stay_ciphertext_in_the_file(backed_up: Path) -> None:
    with zipfile.ZipFile(backed_up) as archive:
        everything = b"".join(archive.read(name) for name in archive.namelist())
        manifest = json.loads(archive.read("manifest.json"))
        entry = next(item for item in manifest["tables"] if item["table"] == "matching_matchingwishes")
        (row,) = [
            json.loads(line) for line in archive.read("tables/matching_matchingwishes.jsonl").splitlines()
        ]
    assert SECRET.encode() not in everything
    assert row[entry["columns"].index("experience")].startswith("gAAAAA")  # a Fernet token
    assert row[entry["columns"].index("topics")] == '["grief"]'


@pytest.mark.django_db(transaction=True)
def test_restoring_over_the_same_data_with_replace_gives_the_same_checksums(backed_up: Path) -> None:
    before = digests()

    summary = restore_backup(backed_up, replace=True)

    after = digests()
    with zipfile.ZipFile(backed_up) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    assert summary.rows == sum(entry["rows"] for entry in manifest["tables"]) > 0
    assert {k: v for k, v in after.items() if not k.startswith("audit_")} == {
        k: v for k, v in before.items() if not k.startswith("audit_")
    }
    assert AuditEvent.objects.order_by("-sequence").first().action == AuditAction.BACKUP_RESTORED
    assert MatchingWishes.objects.get().experience == SECRET  # the same key opens the restored ciphertext


@pytest.mark.django_db(transaction=True)
def test_a_database_holding_data_is_refused_without_replace(backed_up: Path) -> None:
    before = digests()
    with pytest.raises(RestoreRefused, match="already holds data"):
        restore_backup(backed_up)
    assert digests() == before


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("member", "change", "message"),
    [
        (
            "tables/accounts_user.jsonl",
            lambda text: text.replace("other-seeker", "other-seeker2"),
            "do not match",
        ),
        ("tables/accounts_user.jsonl", lambda text: "{not json\n" + text, "line 1: not a JSON row"),
        ("tables/accounts_user.jsonl", lambda text: text.rstrip("\n"), "cut off"),
        ("tables/accounts_user.jsonl", first_line_changed(lambda row: json.dumps(row[:-1])), "line 1: "),
        ("manifest.json", lambda text: text.replace('"accounts_user"', '"accounts_people"'), "accounts_user"),
    ],
)
def test_a_damaged_file_is_refused_naming_where_and_nothing_changes(
    backed_up: Path, member: str, change: Callable[[str], str], message: str
) -> None:
    """The checks under the signature (test_backup_signature), so a changed manifest is let past it."""
    damaged = changed_copy(backed_up, member, change)
    before = digests()

    with pytest.raises(DamagedBackup, match=message) as refusal:
        restore_backup(damaged, replace=True, allow_unsigned=True)

    assert "accounts_user" in str(refusal.value)
    assert digests() == before


@pytest.mark.django_db(transaction=True)
def test_a_value_of_the_wrong_kind_names_its_table_line_and_column(backed_up: Path) -> None:
    with zipfile.ZipFile(backed_up) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    columns = next(item["columns"] for item in manifest["tables"] if item["table"] == "accounts_user")
    active = columns.index("is_active")

    def yes(row: list[Any]) -> str:
        row[active] = "yes"
        return json.dumps(row)

    damaged = changed_copy(backed_up, "tables/accounts_user.jsonl", first_line_changed(yes))
    with pytest.raises(
        DamagedBackup, match="table accounts_user, line 1, column is_active: expected true or false"
    ):
        restore_backup(damaged, replace=True)


@pytest.mark.django_db(transaction=True)
def test_rows_that_come_out_of_the_database_different_are_refused_after_loading(
    backed_up: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The checks after loading read the database again: here a value changes on its way in."""
    real = loading.to_database

    def altering(kind: Kind, value: Any, db: Any) -> Any:
        return "someone else" if value == "other-seeker" else real(kind, value, db)

    monkeypatch.setattr(loading, "to_database", altering)
    before = digests()

    with pytest.raises(DamagedBackup, match="table accounts_user: after loading"):
        restore_backup(backed_up, replace=True)

    assert digests() == before


def test_a_file_that_is_not_a_backup_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.zip").write_text("hello")
    with pytest.raises(DamagedBackup, match="not a Carepath backup"):
        restore_backup(tmp_path / "notes.zip")
    with zipfile.ZipFile(tmp_path / "other.zip", "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(DamagedBackup, match=r"has no manifest\.json"):
        restore_backup(tmp_path / "other.zip")


@pytest.mark.django_db(transaction=True)
def test_a_backup_never_overwrites_a_file_and_is_readable_by_its_owner_only(backed_up: Path) -> None:
    assert backed_up.stat().st_mode & 0o077 == 0
    with pytest.raises(Exception, match="already exists"):
        make_backup(backed_up)
    assert AuditEvent.objects.filter(action=AuditAction.BACKUP_MADE).count() == 1
