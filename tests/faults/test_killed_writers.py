"""A command killed with SIGKILL in the middle of a multi-row write leaves no partial data.

Each command runs as a real process against a real database (an SQLite file, or a PostgreSQL
database of its own), on a pseudo-terminal so that it shows its progress. Its progress line says
how many records it has written so far inside its transaction; once that is more than none and
fewer than all, the process is killed. Afterwards every table holds exactly what it held before:
SQLite ignores the uncommitted pages of a dead writer, and PostgreSQL rolls back the transaction
of a connection that is gone.
"""

from __future__ import annotations

import os
import pty
import re
import select
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from carepath.demo.directory_generator import demo_directory
from carepath.interop.hsds_export import write_json_export
from tests.faults.real_databases import RealDatabase, RealDatabases, real_databases  # noqa: F401

SERVICES = 3000  # about 25,000 HSDS records: several progress steps before the commit
Started = Callable[[str], bool]


def progress_between(pattern: str) -> Started:
    """True once the last progress line shows some, but not all, of the work done."""
    found = re.compile(pattern)

    def started(output: str) -> bool:
        matches = found.findall(output)
        if not matches:
            return False
        done, total = (int(part.replace(",", "")) for part in matches[-1][-2:])
        return 0 < done < total

    return started


def kill_once_writing(database: RealDatabase, args: list[str], started: Started) -> str:
    """Run a command on a terminal, SIGKILL it once `started` says so; returns what it showed."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        database.command(*args), env=database.env, stdin=subprocess.DEVNULL, stdout=follower, stderr=follower
    )
    os.close(follower)
    output, deadline = "", time.monotonic() + 600
    try:
        while not started(output):
            assert process.poll() is None, f"finished before it was killed:\n{output}"
            assert time.monotonic() < deadline, f"never started writing:\n{output}"
            if select.select([leader], [], [], 0.05)[0]:
                output += os.read(leader, 65536).decode("utf-8", "replace")
        process.send_signal(signal.SIGKILL)
        assert process.wait(60) == -signal.SIGKILL
    finally:
        if process.poll() is None:
            process.kill()
        os.close(leader)
    return output


def row_counts(database: RealDatabase) -> dict[str, int]:
    """Every table's rows, FTS5 structures on SQLite included."""
    if database.vendor == "sqlite":
        names = [row[0] for row in database.query("SELECT name FROM sqlite_master WHERE type = 'table'")]
    else:
        names = [
            row[0] for row in database.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        ]
    return {name: database.count(name) for name in sorted(names)}


def settled(database: RealDatabase) -> None:
    """PostgreSQL: wait until the killed client's server process has ended (and rolled back)."""
    if database.vendor != "postgresql":
        (check,) = database.query("PRAGMA integrity_check")
        assert check == ("ok",)
        return
    deadline = time.monotonic() + 60
    while database.query(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
        (database.name,),
    )[0][0]:
        assert time.monotonic() < deadline, "the killed command's connection never went away"
        time.sleep(0.1)


@pytest.fixture(scope="module")
def hsds_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A few thousand demo services as HSDS JSON, as `carepath export-hsds` writes them."""
    folder = tmp_path_factory.mktemp("hsds")
    rows: dict[str, list[dict[str, object]]] = {}
    for batch in demo_directory(SERVICES, seed=7):
        for table, table_rows in batch.rows.items():
            rows.setdefault(table, []).extend(table_rows)
    write_json_export(rows, folder)
    return folder


def test_an_hsds_import_killed_while_writing_leaves_no_directory_rows(
    real_databases: RealDatabases,  # noqa: F811
    hsds_file: Path,
) -> None:
    database = real_databases.empty("killed_import")
    before = row_counts(database)

    shown = kill_once_writing(
        database, ["import-hsds", str(hsds_file)], progress_between(r"Importing \[[#.]+\] (\d+)/(\d+)")
    )

    assert "Imported" not in shown
    settled(database)
    assert row_counts(database) == before
    assert database.count("directory_service") == 0


def test_a_demo_directory_killed_while_writing_leaves_no_directory_rows(
    real_databases: RealDatabases,  # noqa: F811
) -> None:
    database = real_databases.empty("killed_demo")
    before = row_counts(database)

    shown = kill_once_writing(
        database,
        ["demo-directory", "--services", str(2 * SERVICES), "--seed", "3"],
        progress_between(r"Generating \[[#.]+\] (\d+)/(\d+) services"),
    )

    assert "Loaded a demo directory" not in shown
    settled(database)
    assert row_counts(database) == before


def test_a_restore_killed_while_loading_leaves_the_database_empty(
    real_databases: RealDatabases,  # noqa: F811
    hsds_file: Path,
    tmp_path: Path,
) -> None:
    source = real_databases.empty("restore_source")
    assert source.run("import-hsds", str(hsds_file)).returncode == 0
    backup = tmp_path / "directory.zip"
    assert source.run("backup", str(backup)).returncode == 0
    database = real_databases.empty("killed_restore")
    before = row_counts(database)

    shown = kill_once_writing(
        database,
        ["restore", str(backup)],
        # Progress is per table; killed inside the biggest ones, after earlier tables are in.
        progress_between(r"Restoring directory_(?:schedule|service|language): ([\d,]+)/([\d,]+) rows"),
    )

    assert "Restored" not in shown
    settled(database)
    assert row_counts(database) == before
