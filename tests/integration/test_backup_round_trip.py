"""`carepath backup` and `carepath restore` as real processes on real databases (SQLite files, or
PostgreSQL databases in the throwaway cluster): the demo data round-trips table by table, and a
changed or misfitting file is refused with nothing loaded.

Rows are compared straight from the database driver, not through the backup's own code, and the
checksums by backing the restored database up again.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from carepath.encryption.keys import new_key
from tests.faults.real_databases import RealDatabase, RealDatabases, real_databases  # noqa: F401

LOAD_DEMO = """
import django
django.setup()
from django.core.management import call_command
call_command("demo")
call_command("demo-directory", "--services", "60", "--seed", "1")
call_command("demo-outcomes", "--episodes", "40", "--seed", "1")
call_command("demo-supporters", "--count", "12", "--seed", "1")
call_command("demo-referrals")
"""
AUDIT_TABLES = {"audit_auditevent", "audit_auditchainhead"}  # the restore adds its own event


def manifest_of(path: Path) -> dict[str, Any]:
    with zipfile.ZipFile(path) as archive:
        return dict(json.loads(archive.read("manifest.json")))


def tables_of(manifest: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {entry["table"]: entry for entry in manifest["tables"]}


def stored_rows(database: RealDatabase, entry: dict[str, Any]) -> list[tuple[Any, ...]]:
    columns = ", ".join(f'"{name}"' for name in entry["columns"])
    return database.query(f'SELECT {columns} FROM "{entry["table"]}" ORDER BY "{entry["primary_key"]}"')


def rows_in_backed_up_tables(database: RealDatabase, manifest: dict[str, Any]) -> dict[str, int]:
    return {entry["table"]: database.count(entry["table"]) for entry in manifest["tables"]}


def with_member_changed(source: Path, target: Path, member: str, change: Any) -> None:
    """Copy a backup, passing one member's text through `change`; the manifest stays as it was."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = old.read(item.filename)
            new.writestr(item.filename, change(data.decode("utf-8")) if item.filename == member else data)


@pytest.fixture(scope="module")
def demo_backup(real_databases: RealDatabases, tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Path]:  # noqa: F811
    source = real_databases.empty("source")
    loaded = source.python(LOAD_DEMO)
    assert loaded.returncode == 0, loaded.stderr
    path = tmp_path_factory.mktemp("backups") / "demo.zip"
    made = source.run("backup", str(path))
    assert made.returncode == 0, made.stderr
    assert f"to {path}" in made.stdout
    return source, path


def test_the_demo_data_round_trips_into_an_empty_database(
    real_databases: RealDatabases,  # noqa: F811
    demo_backup: tuple[RealDatabase, Path],
    tmp_path: Path,
) -> None:
    source, path = demo_backup
    manifest = manifest_of(path)
    target = real_databases.empty("target")

    restored = target.run("restore", str(path))

    assert restored.returncode == 0, restored.stderr
    assert "checksums match the manifest" in restored.stdout and "signature checked" in restored.stdout
    assert sum(entry["rows"] for entry in manifest["tables"]) > 1000  # the demo data is all there
    for entry in manifest["tables"]:
        before, after = stored_rows(source, entry), stored_rows(target, entry)
        if entry["table"] == "audit_auditevent":
            # The source has since recorded its backup; the target, its restore. Up to there: identical.
            assert after[: entry["rows"]] == before[: entry["rows"]]
            assert len(after) == entry["rows"] + 1
        elif entry["table"] not in AUDIT_TABLES:
            assert after == before, entry["table"]
    # The checksums of the restored database, worked out by a second backup, are the manifest's.
    again = tmp_path / "again.zip"
    assert target.run("backup", str(again)).returncode == 0
    first, second = tables_of(manifest), tables_of(manifest_of(again))
    assert first.keys() == second.keys()
    for table, entry in first.items():
        if table not in AUDIT_TABLES:
            assert (second[table]["rows"], second[table]["sha256"]) == (entry["rows"], entry["sha256"]), table
    verified = target.run("audit", "verify")
    assert verified.returncode == 0, verified.stderr
    assert "chain intact" in verified.stdout
    # Rebuilt rather than copied: the search index lists the same services.
    assert target.count("directory_searchentry") == source.count("directory_searchentry") > 0
    assert target.count("directory_searchcard") == source.count("directory_searchentry")
    assert target.count("outcomes_episodereportrow") == source.count("outcomes_episodereportrow") > 0
    # Its count of positions per grid cell follows the emptying and the rebuild (triggers).
    kept = target.query(
        "SELECT cell, SUM(positions) FROM directory_search_cell_positions GROUP BY cell "
        "HAVING SUM(positions) != 0 ORDER BY cell"
    )
    counted = target.query("SELECT cell, COUNT(*) FROM directory_searchpoint GROUP BY cell ORDER BY cell")
    assert kept == counted and kept


def test_a_backup_with_one_changed_value_is_refused_and_nothing_is_loaded(
    real_databases: RealDatabases,  # noqa: F811
    demo_backup: tuple[RealDatabase, Path],
    tmp_path: Path,
) -> None:
    _source, path = demo_backup
    tampered = tmp_path / "tampered.zip"
    with_member_changed(
        path, tampered, "tables/accounts_user.jsonl", lambda text: text.replace("demo-peer", "demo-pear", 1)
    )
    target = real_databases.empty("tampered")
    before = rows_in_backed_up_tables(target, manifest_of(path))

    refused = target.run("restore", str(tampered))

    assert refused.returncode == 2
    assert "table accounts_user" in refused.stderr and "do not match the manifest" in refused.stderr
    assert "Nothing was restored" in refused.stderr
    assert rows_in_backed_up_tables(target, manifest_of(path)) == before
    assert target.count("accounts_user") == 0


def test_a_backup_is_refused_by_an_installation_with_other_encryption_keys(
    real_databases: RealDatabases,  # noqa: F811
    demo_backup: tuple[RealDatabase, Path],
) -> None:
    _source, path = demo_backup
    target = real_databases.empty("other_keys")
    elsewhere = RealDatabase(target.name, target.url, {**target.env, "CAREPATH_ENCRYPTION_KEYS": new_key()})
    before = rows_in_backed_up_tables(target, manifest_of(path))

    refused = elsewhere.run("restore", str(path))

    assert refused.returncode == 2
    assert "signed with a key that is not among CAREPATH_ENCRYPTION_KEYS" in refused.stderr
    assert "Nothing was restored" in refused.stderr
    assert rows_in_backed_up_tables(target, manifest_of(path)) == before


def test_a_database_holding_data_is_refused_unless_replace_is_asked_for(
    real_databases: RealDatabases,  # noqa: F811
    demo_backup: tuple[RealDatabase, Path],
) -> None:
    source, path = demo_backup
    scratch = real_databases.copy_of(source, "scratch")
    manifest = manifest_of(path)

    refused = scratch.run("restore", str(path))
    assert refused.returncode == 2
    assert "already holds data" in refused.stderr and "--replace" in refused.stderr

    scratch.run("demo-supporters", "--count", "3", "--seed", "9")  # rows the backup does not have
    replaced = scratch.run("restore", str(path), "--replace")
    assert replaced.returncode == 0, replaced.stderr
    for entry in manifest["tables"]:
        if entry["table"] not in AUDIT_TABLES:
            assert scratch.count(entry["table"]) == entry["rows"], entry["table"]
    assert scratch.run("audit", "verify").returncode == 0


def test_a_backup_of_another_migration_state_is_refused(
    demo_backup: tuple[RealDatabase, Path], tmp_path: Path
) -> None:
    source, path = demo_backup
    other = tmp_path / "other.zip"

    def future_accounts(text: str) -> str:
        manifest = json.loads(text)
        manifest["migrations"]["accounts"] = "9999_from_the_future"
        return json.dumps(manifest)

    with_member_changed(path, other, "manifest.json", future_accounts)
    users = source.count("accounts_user")

    refused = source.run("restore", str(other), "--replace")
    assert refused.returncode == 2
    assert "manifest.json does not match its signature" in refused.stderr

    # Past the signature, by a person's word, it is still refused for its migration state.
    refused = source.run("restore", str(other), "--replace", "--allow-unsigned")

    assert refused.returncode == 2
    assert "Warning: manifest.json does not match its signature" in refused.stderr
    assert "not migrated to the backup's state" in refused.stderr
    assert "accounts: backup 9999_from_the_future" in refused.stderr
    assert source.count("accounts_user") == users
