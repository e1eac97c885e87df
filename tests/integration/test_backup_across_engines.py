"""A backup taken on SQLite restores into PostgreSQL, and one taken on PostgreSQL into SQLite.

Real `carepath` processes on real databases: an SQLite file and PostgreSQL databases in the
throwaway cluster, so this runs only on a PostgreSQL run of the suite. Each way is checked three
ways that do not share code with the restore: every table's rows as the models read them (so a
boolean, a decimal, a JSON document, a date and time with its zone, binary and decrypted text
all mean the same on both engines), the checksums of a second backup against the first one's
manifest, and `carepath audit verify`. Then a new row goes into every kind of table the demo
fills, so an id sequence left behind the restored ids would collide.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from tests.faults.real_databases import RealDatabase, RealDatabases, on_postgresql, real_databases  # noqa: F401

pytestmark = pytest.mark.skipif(
    not on_postgresql(), reason="needs PostgreSQL beside SQLite (run under scripts/with-throwaway-postgres)"
)

LOAD_DEMO = """
import django
django.setup()
from django.core.management import call_command
call_command("demo")
call_command("demo-directory", "--services", "40", "--seed", "2")
call_command("demo-outcomes", "--episodes", "30", "--seed", "2")
call_command("demo-supporters", "--count", "10", "--seed", "2")
call_command("demo-referrals")
"""

# Every stored model's rows as the models read them, each table as a count and a hash of its rows
# sorted as text (text keys sort differently on the two engines; the rows themselves must not).
MODEL_VALUES = """
import hashlib, json
import django
django.setup()
from django.apps import apps
from django.contrib.sessions.models import Session

def plain(value):
    if isinstance(value, (bytes, memoryview)):
        return bytes(value).hex()
    return str(value)

found = {}
for model in apps.get_models(include_auto_created=True):
    meta = model._meta
    if meta.proxy or not meta.managed or model is Session:
        continue
    names = [field.attname for field in meta.concrete_fields]
    rows = sorted(
        json.dumps(list(row), sort_keys=True, default=plain) for row in model.objects.values_list(*names)
    )
    found[meta.db_table] = [len(rows), hashlib.sha256("\\n".join(rows).encode()).hexdigest()]
print(json.dumps(found))
"""

# Rebuilt after a restore (so their ids differ), or grown since by the restore's audit event and
# by the checks `carepath audit verify` records.
REBUILT_OR_GROWN = {
    "audit_auditevent",
    "audit_auditchainhead",
    "audit_auditchaincheck",
    "directory_searchentry",
    "directory_searchpoint",
    "directory_searchcard",
    "directory_unlistedentry",
    "outcomes_episodereportrow",
}

# New rows after the restore, through the models: accounts, supporter profiles, outcomes
# episodes and their measures, and audit events for each. (The demo directory's records have
# fixed UUIDs, so loading it twice is refused whatever the sequences say.)
NEW_ROWS = """
import django
django.setup()
from django.core.management import call_command
call_command("demo-supporters", "--count", "3", "--seed", "7")
call_command("demo-outcomes", "--episodes", "3", "--seed", "7")
"""


def model_values(database: RealDatabase) -> dict[str, list[Any]]:
    read = database.python(MODEL_VALUES)
    assert read.returncode == 0, read.stderr
    return dict(json.loads(read.stdout.strip().splitlines()[-1]))


def same_apart_from_rebuilt(first: dict[str, Any], second: dict[str, Any]) -> dict[str, Any]:
    """The tables whose values differ, with both sides, leaving out what a restore rebuilds."""
    assert first.keys() == second.keys()
    return {
        table: (first[table], second[table])
        for table in first
        if table not in REBUILT_OR_GROWN and first[table] != second[table]
    }


def checksums(path: Path) -> dict[str, tuple[int, str]]:
    with zipfile.ZipFile(path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    return {entry["table"]: (entry["rows"], entry["sha256"]) for entry in manifest["tables"]}


def restore_and_check(source_backup: Path, target: RealDatabase, again: Path) -> None:
    """Restore into `target`, back it up again and compare checksums; verify the audit chain."""
    restored = target.run("restore", str(source_backup))
    assert restored.returncode == 0, restored.stderr
    assert "checksums match the manifest" in restored.stdout
    made = target.run("backup", str(again))
    assert made.returncode == 0, made.stderr
    before, after = checksums(source_backup), checksums(again)
    assert before.keys() == after.keys()
    differing = [table for table in before if table not in REBUILT_OR_GROWN and before[table] != after[table]]
    assert differing == []
    # The audit trail grew by the restore's event only, and the chain holds across it.
    assert after["audit_auditevent"][0] == before["audit_auditevent"][0] + 1
    verified = target.run("audit", "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "chain intact" in verified.stdout


def add_rows_after_restore(database: RealDatabase) -> None:
    counts = {table: database.count(table) for table in ("accounts_user", "audit_auditevent")}
    added = database.python(NEW_ROWS)
    assert added.returncode == 0, added.stderr  # an id that collided would be an IntegrityError
    assert database.count("accounts_user") > counts["accounts_user"]
    assert database.count("audit_auditevent") > counts["audit_auditevent"]
    verified = database.run("audit", "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr


def sequences_behind_their_tables(database: RealDatabase, tables: list[str]) -> list[str]:
    """PostgreSQL: the tables whose id sequence would hand out an id already in use."""
    behind, checked = [], 0
    for table in tables:
        (sequence,) = database.query("SELECT pg_get_serial_sequence(%s, 'id')", (f'"{table}"',))[0]
        if sequence is None:
            continue  # no integer id of its own (e.g. a text or UUID key)
        (highest,) = database.query(f'SELECT coalesce(max("id"), 0) FROM "{table}"')[0]
        last, called = database.query(f"SELECT last_value, is_called FROM {sequence}")[0]
        next_id = last + 1 if called else last
        checked += 1
        if next_id <= highest:
            behind.append(f"{table}: next id {next_id}, highest {highest}")
    assert checked > 20  # the check found the sequences (accounts, audit, referrals, ...)
    return behind


def id_tables(database: RealDatabase) -> list[str]:
    rows = database.query(
        "SELECT table_name FROM information_schema.columns "
        "WHERE table_schema = 'public' AND column_name = 'id' AND data_type IN ('integer', 'bigint')"
    )
    return sorted(row[0] for row in rows)


def test_sqlite_to_postgresql_and_back_keeps_every_value(
    real_databases: RealDatabases,  # noqa: F811
    tmp_path: Path,
) -> None:
    source = real_databases.empty("lite_source", "sqlite")
    loaded = source.python(LOAD_DEMO)
    assert loaded.returncode == 0, loaded.stderr
    from_sqlite = tmp_path / "from-sqlite.zip"
    assert source.run("backup", str(from_sqlite)).returncode == 0
    assert sum(rows for rows, _ in checksums(from_sqlite).values()) > 1000
    expected = model_values(source)

    # SQLite → PostgreSQL.
    postgres = real_databases.empty("from_lite", "postgresql")
    from_postgres = tmp_path / "from-postgresql.zip"
    restore_and_check(from_sqlite, postgres, from_postgres)
    assert same_apart_from_rebuilt(expected, model_values(postgres)) == {}
    assert postgres.count("directory_searchentry") == source.count("directory_searchentry") > 0
    assert sequences_behind_their_tables(postgres, id_tables(postgres)) == []

    # PostgreSQL → SQLite, from the backup of the database restored above.
    sqlite = real_databases.empty("from_pg", "sqlite")
    restore_and_check(from_postgres, sqlite, tmp_path / "again-from-sqlite.zip")
    assert same_apart_from_rebuilt(expected, model_values(sqlite)) == {}
    assert sqlite.count("outcomes_episodereportrow") == source.count("outcomes_episodereportrow") > 0

    # New rows go in after either restore without colliding with the restored ids.
    add_rows_after_restore(postgres)
    add_rows_after_restore(sqlite)
