"""The write floor of a new HSDS import: how long the database alone takes to store what it stores.

Run:  .venv/bin/python -m bench.import_floor --services 5000 [--repeat 5] [--postgres]
With --postgres: PostgreSQL instead of SQLite, on a throwaway cluster (scripts/with-throwaway-postgres);
run it under `flock /tmp/carepath-pg.lock`, as every PostgreSQL run on this machine.

Issue 5 asks for 5,000 services a second. Before making the import's Python faster again, this
settles what no Python import can beat: the time the database itself takes to write, in one
transaction, exactly the rows a new import of the demo directory writes (every HSDS table, the
search entries and points, the text index, the audit event), with every index and constraint the
migrations create, and then commit.

How:
1. The demo directory (`demo_directory(N, seed 1)`) is exported as HSDS JSON, as bench_import does.
2. A child process imports it for real (`import_hsds_path`, as the command runs it) into a copy of a
   freshly migrated database. On PostgreSQL it also keeps the statements that fill the tsvector
   documents: the server stems the text there, work that belongs to the floor, so the runs execute
   those statements again rather than copying finished vectors.
3. Every row the import added or changed is read back as plain tuples in column order, as stored
   (SQLite: in rowid order, the order the import inserted; PostgreSQL: as text, ready for COPY, in
   primary-key order, the order within each of the import's chunks).
4. Each run takes a new copy of the migrated, empty template and times, with a bare DB-API
   connection (no Django; garbage collection paused, as the import pauses it): BEGIN; one statement
   per table in the import's order (`executemany`, or `COPY ... FROM STDIN` on PostgreSQL for the
   tables the import copies); COMMIT. Every piece is timed: wall clock, this process's CPU and, on
   PostgreSQL, the server's CPU (it shares the same 2 cores). On SQLite the commit is split in
   two, as the import's commit does the same two things: writing the WAL, then the automatic
   checkpoint that copies it into the database file.
5. Runs of smaller plans take turns with the full one, to tell each part's whole cost, its share
   of the commit included: without the text index, and the HSDS records alone. On PostgreSQL also
   the entries COPYed with the tsvectors the import made (what storing the index costs without
   stemming, in one row version instead of the import's COPY then UPDATE), and the stemming alone
   (the documents' `to_tsvector` in one SELECT, nothing written).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import pickle
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CAREPATH = str(Path(sys.executable).with_name("carepath"))
THIS = (sys.executable, "-m", "bench.import_floor")  # the children run this module's other stages
TARGET_SERVICES_PER_SECOND = 5000.0
# What the import's connection runs on SQLite: settings.py's init_command, then the page cache
# `hsds_bulk.bulk_load_session` sets for a bulk load (256 MiB).
SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA cache_size=-262144",
)
FTS5_SHADOWS = ("_data", "_idx", "_content", "_docsize", "_config")
# Written by triggers when the positions are (`carepath.directory.cell_positions`), not by the import.
KEPT_BY_TRIGGERS = frozenset({"directory_search_cell_positions"})
PG_TEMPLATE, PG_IMPORTED = "floor_template", "floor_imported"
MB = 1024 * 1024

# The parts of the write, and the plans measured: each a set of parts.
RECORDS, ENTRIES, POINTS, TEXT = "HSDS records", "search entries", "search points", "text index"
CARDS = "result cards"  # written with the entries, and pointing at them
OTHER = "audit event"
VECTORS = "search entries with their finished tsvector"  # PostgreSQL: read back from the import
STEMMING = "to_tsvector of the documents, nothing written"  # PostgreSQL
VARIANTS = {
    "all (the import's write)": (RECORDS, ENTRIES, CARDS, POINTS, TEXT, OTHER),
    "without the text index": (RECORDS, ENTRIES, CARDS, POINTS, OTHER),
    "HSDS records only": (RECORDS, OTHER),
    "finished tsvectors in the entries' COPY": (RECORDS, VECTORS, CARDS, POINTS, OTHER),
    "the stemming alone": (STEMMING,),
}
ALL = next(iter(VARIANTS))


@dataclass
class Load:
    """One table's share of the write: the rows to insert (or the key and new values to update)."""

    table: str
    part: str
    columns: list[str]
    rows: list[tuple[Any, ...]]
    how: str  # "insert" (executemany), "copy" (PostgreSQL COPY) or "update" (executemany by key)
    key: str = ""  # the primary key column, for "update"

    @property
    def name(self) -> str:
        if self.part == VECTORS:
            return f"{self.table} (with finished tsvectors)"
        return self.table if self.how != "update" else f"{self.table} (update)"

    @property
    def count(self) -> int:
        return len(self.rows)


@dataclass
class Statement:
    """A statement the import ran whose values the server works on (the tsvector documents)."""

    table: str
    sql: str
    params: list[tuple[Any, ...]]
    part: str = TEXT
    once: bool = False  # one execute with params[0] (the stemming alone), not an executemany

    @property
    def name(self) -> str:
        return f"{self.table} ({'stemming alone' if self.once else 'tsvector documents'})"

    @property
    def count(self) -> int:
        return len(self.params[0][0]) if self.once else len(self.params)


@dataclass
class Plan:
    """Everything one floor run writes, in the import's order."""

    items: list[Load | Statement] = field(default_factory=list)

    def only(self, parts: Sequence[str]) -> Plan:
        return Plan([item for item in self.items if item.part in parts])

    def summary(self) -> list[tuple[str, str, int]]:
        """(piece, part, rows) of each item."""
        return [(item.name, item.part, item.count) for item in self.items]


Piece = dict[str, float]  # wall, cpu (this process), server (PostgreSQL's processes)
Run = dict[str, Piece]  # piece -> figures, and "total"
Runner = Callable[[Plan], Run]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--services", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL (throwaway) instead of SQLite")
    parser.add_argument("--capture", nargs=2, type=Path, metavar=("DATA", "OUT"), help=argparse.SUPPRESS)
    parser.add_argument("--inside-postgres", type=Path, metavar="WORK", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.capture:  # the child that runs the real import
        capture(*options.capture)
        return
    if options.inside_postgres:  # the child inside the throwaway cluster
        report(measure_postgres(options.inside_postgres, options.repeat), options)
        return
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        write_data(options.services, work)
        if options.postgres:
            script = ROOT / "scripts" / "with-throwaway-postgres"
            command = [str(script), *THIS, "--inside-postgres", str(work), "--repeat", str(options.repeat)]
            command += ["--services", str(options.services)]
            subprocess.run(command, cwd=ROOT, env=environment(work), check=True)
        else:
            report(measure_sqlite(work, options.repeat), options)


def environment(work: Path, database_url: str | None = None) -> dict[str, str]:
    env = {**os.environ, "CAREPATH_VAR_DIR": str(work), "DJANGO_SETTINGS_MODULE": "carepath.config.settings"}
    if database_url is not None:
        env["DATABASE_URL"] = database_url
    return env


def write_data(services: int, work: Path) -> None:
    """The demo directory as HSDS JSON, as bench_import writes its "original" form."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carepath.config.settings")
    from carepath.demo.directory_generator import demo_directory
    from carepath.interop.hsds_export import write_json_export

    rows: dict[str, list[dict[str, Any]]] = {}
    for batch in demo_directory(services, seed=1):
        for table, table_rows in batch.rows.items():
            rows.setdefault(table, []).extend(table_rows)
    write_json_export(rows, work / "json")


def migrate(work: Path, database_url: str) -> None:
    subprocess.run([CAREPATH, "migrate", "-v0"], env=environment(work, database_url), check=True)


# The real import (a child process, with Django) ------------------------------------------------


def capture(data: Path, out: Path) -> None:
    """Import DATA into DATABASE_URL as the command does; write to OUT (a pickle) the import's table
    order, its parts, the tables it COPYs on PostgreSQL and the statements filling tsvector documents."""
    import django

    django.setup()
    from django.db import connection

    from carepath.directory.models import HSDS_MODELS, SearchCard, SearchEntry, SearchPoint, UnlistedEntry
    from carepath.directory.services.hsds_pipeline import import_hsds_path
    from carepath.interop.hsds_reader import garbage_collection_paused

    kept: list[Statement] = []

    def keep_document_writes(
        execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        if many and "to_tsvector" in sql and sql.lstrip().upper().startswith("UPDATE"):
            kept.append(Statement(sql.split()[1].strip('"'), sql, [tuple(row) for row in params]))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(keep_document_writes), garbage_collection_paused():
        outcome = import_hsds_path(data, actor_label="benchmark")
    if sum(outcome.created.values()) == 0:
        raise SystemExit("the import created nothing")
    # Each chunk writes its new HSDS records table by table in the order of the HSDS names, then
    # indexes its services: entries, their points, their text; the audit event comes last.
    records = [HSDS_MODELS[name]._meta.db_table for name in sorted(HSDS_MODELS)]
    entries, points = SearchEntry._meta.db_table, SearchPoint._meta.db_table
    cards = SearchCard._meta.db_table
    unlisted = UnlistedEntry._meta.db_table
    text = ["directory_search_text", "directory_unlisted_text"]  # SQLite's FTS5 tables
    captured = {
        "order": [*records, entries, cards, points, text[0], unlisted, text[1]],
        "parts": {
            **dict.fromkeys(records, RECORDS),
            **{entries: ENTRIES, cards: CARDS, unlisted: ENTRIES, points: POINTS},
            **dict.fromkeys(text, TEXT),
        },
        "copied": [*records, entries, cards, points],  # `hsds_bulk.insert_prepared` and `insert_rows`
        # Plain tuples: a class pickled here would be named after this process's __main__.
        "statements": [(item.table, item.sql, item.params) for item in merged(kept)],
    }
    with out.open("wb") as file:
        pickle.dump(captured, file)


def merged(statements: list[Statement]) -> list[Statement]:
    """The import's per-chunk statements as one per table: one executemany, as for the rows."""
    by_sql: dict[str, Statement] = {}
    for statement in statements:
        into = by_sql.setdefault(statement.sql, Statement(statement.table, statement.sql, []))
        into.params += statement.params
    return list(by_sql.values())


def run_capture(work: Path, database_url: str) -> dict[str, Any]:
    out = work / "captured.pickle"
    command = [*THIS, "--capture", str(work / "json"), str(out)]
    subprocess.run(command, cwd=ROOT, env=environment(work, database_url), check=True)
    with out.open("rb") as file:
        captured: dict[str, Any] = pickle.load(file)  # our own child's file
    captured["statements"] = [Statement(*fields) for fields in captured["statements"]]
    return captured


def ordered(tables: Sequence[str], order: Sequence[str]) -> list[str]:
    """The tables in the import's order; any other it filled (the audit's) after, by name."""
    rank = {table: position for position, table in enumerate(order)}
    return sorted(tables, key=lambda table: (rank.get(table, len(rank)), table))


def changes(
    table: str, part: str, columns: list[str], key: str, before: list[Any], after: list[Any]
) -> list[Load]:
    """What the import did to a table: rows added (insert), rows whose key was there (update)."""
    seen = set(map(tuple, before))
    fresh = [tuple(row) for row in after if tuple(row) not in seen]
    position = columns.index(key) if key else -1
    known = {row[position] for row in before} if key else set()
    added = [row for row in fresh if not key or row[position] not in known]
    updated = [row for row in fresh if key and row[position] in known]
    loads = [Load(table, part, columns, added, "insert")] if added else []
    if updated:
        loads.append(Load(table, part, columns, updated, "update", key))
    return loads


def interleaved(plan: Plan, repeat: int, runner: Runner) -> dict[str, list[Run]]:
    """`repeat` runs of each variant, taking turns, so a busy minute on the machine hits them alike."""
    present = {item.part for item in plan.items}
    # A plan needing a part this database has not (SQLite: the PostgreSQL-only ones) is left out.
    runs: dict[str, list[Run]] = {variant: [] for variant, parts in VARIANTS.items() if present >= set(parts)}
    plans = {variant: plan.only(VARIANTS[variant]) for variant in runs}
    for _number in range(repeat):
        for variant, done in runs.items():
            done.append(runner(plans[variant]))
    return runs


# SQLite --------------------------------------------------------------------------------------------


def measure_sqlite(work: Path, repeat: int) -> dict[str, Any]:
    template = work / "template.sqlite3"
    migrate(work, f"sqlite:///{template}")
    imported = work / "imported.sqlite3"
    shutil.copyfile(template, imported)
    captured = run_capture(work, f"sqlite:///{imported}")
    plan = sqlite_plan(template, imported, captured)
    imported.unlink()

    def runner(variant: Plan) -> Run:
        database = work / "floor.sqlite3"
        shutil.copyfile(template, database)
        try:
            return sqlite_run(database, variant, template.stat().st_size)
        finally:
            for leftover in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
                leftover.unlink(missing_ok=True)

    return {
        "database": f"SQLite {sqlite3.sqlite_version}",
        "plan": plan.summary(),
        "runs": interleaved(plan, repeat, runner),
    }


def sqlite_plan(template: Path, imported: Path, captured: dict[str, Any]) -> Plan:
    with closing_sqlite(template) as before, closing_sqlite(imported) as after:
        virtual = {
            name
            for (name,) in after.execute("SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL%'")
        }
        shadows = {name + suffix for name in virtual for suffix in FTS5_SHADOWS}
        tables = [
            name
            for (name,) in after.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if not name.startswith("sqlite_") and name not in shadows and name not in KEPT_BY_TRIGGERS
        ]
        plan = Plan()
        for table in ordered(tables, captured["order"]):
            # A virtual (FTS5) table's rowid is the entry it indexes: read and written explicitly.
            rowid = "rowid, " if table in virtual else ""
            select = f'SELECT {rowid}* FROM "{table}" ORDER BY rowid'
            cursor = after.execute(select)
            columns = [column[0] for column in cursor.description]
            key = "rowid" if table in virtual else sqlite_key(after, table)
            part = captured["parts"].get(table, OTHER)
            plan.items += changes(
                table, part, columns, key, before.execute(select).fetchall(), cursor.fetchall()
            )
    return plan


def sqlite_key(database: sqlite3.Connection, table: str) -> str:
    keys = [row[1] for row in database.execute(f'PRAGMA table_info("{table}")') if row[5]]
    return keys[0] if len(keys) == 1 else ""


@contextmanager
def closing_sqlite(path: Path) -> Iterator[sqlite3.Connection]:
    database = sqlite3.connect(path, isolation_level=None)
    try:
        yield database
    finally:
        database.close()


def sqlite_run(path: Path, plan: Plan, template_bytes: int) -> Run:
    """BEGIN IMMEDIATE (as the import's connection), each table's executemany, COMMIT, checkpoint."""
    wal = Path(f"{path}-wal")
    with closing_sqlite(path) as database, paused_gc():
        for pragma in SQLITE_PRAGMAS:
            database.execute(pragma)
        # The checkpoint SQLite would run itself at the commit (WAL past 1,000 pages), run and timed
        # apart instead: the same work, told apart from writing the WAL.
        database.execute("PRAGMA wal_autocheckpoint=0")
        cursor = database.cursor()
        pieces: Run = {}
        with timed(pieces, "BEGIN"):
            cursor.execute("BEGIN IMMEDIATE")
        for item in plan.items:
            assert isinstance(item, Load)  # the statements kept are PostgreSQL's only
            with timed(pieces, item.name):
                cursor.executemany(*sqlite_statement(item))
        with timed(pieces, "COMMIT (writing the WAL)"):
            cursor.execute("COMMIT")
        wal_bytes = wal.stat().st_size
        with timed(pieces, "checkpoint (WAL into the database, fsync)"):
            cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")
    return with_total(pieces, wal_bytes, path.stat().st_size - template_bytes)


def sqlite_statement(load: Load, mark: str = "?") -> tuple[str, list[tuple[Any, ...]]]:
    """The INSERT (or UPDATE by key) of a load and its rows. Names come from the database's own
    catalogue, values are parameters."""
    quoted = [f'"{column}"' for column in load.columns]
    if load.how == "update":
        keyed = load.columns.index(load.key)
        assignments = ", ".join(f"{name} = {mark}" for i, name in enumerate(quoted) if i != keyed)
        params = [(*(v for i, v in enumerate(row) if i != keyed), row[keyed]) for row in load.rows]
        return f'UPDATE "{load.table}" SET {assignments} WHERE "{load.key}" = {mark}', params
    marks = ", ".join([mark] * len(quoted))
    return f'INSERT INTO "{load.table}" ({", ".join(quoted)}) VALUES ({marks})', load.rows


# PostgreSQL ----------------------------------------------------------------------------------------


def measure_postgres(work: Path, repeat: int) -> dict[str, Any]:
    """Inside the throwaway cluster (DATABASE_URL names its `postgres` database)."""
    import psycopg

    server = os.environ["DATABASE_URL"]
    base = server.rsplit("/", 1)[0]
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {PG_TEMPLATE}")
        migrate(work, f"{base}/{PG_TEMPLATE}")
        admin.execute(f"CREATE DATABASE {PG_IMPORTED} TEMPLATE {PG_TEMPLATE}")
        captured = run_capture(work, f"{base}/{PG_IMPORTED}")
        plan = postgres_plan(f"{base}/{PG_TEMPLATE}", f"{base}/{PG_IMPORTED}", captured)
        admin.execute(f"DROP DATABASE {PG_IMPORTED}")
        version = admin.execute("SHOW server_version").fetchone()
        postmaster = postmaster_pid(admin)

        def runner(variant: Plan) -> Run:
            admin.execute(f"CREATE DATABASE floor_run TEMPLATE {PG_TEMPLATE}")
            admin.execute("CHECKPOINT")  # each run starts with nothing of the last one left to flush
            try:
                return postgres_run(f"{base}/floor_run", variant, postmaster)
            finally:
                admin.execute("DROP DATABASE floor_run")

        runs = interleaved(plan, repeat, runner)
    return {"database": f"PostgreSQL {version[0] if version else '?'}", "plan": plan.summary(), "runs": runs}


def postgres_plan(template_url: str, imported_url: str, captured: dict[str, Any]) -> Plan:
    """Each table's new rows read as text (what COPY takes, and what an INSERT's untyped parameter
    becomes), the tsvector columns left out where the import's own statements fill them."""
    import psycopg

    statements: list[Statement] = captured["statements"]
    plan = Plan()
    with psycopg.connect(template_url) as before, psycopg.connect(imported_url) as after:
        found = after.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'").fetchall()
        tables = [str(name) for (name,) in found if name not in KEPT_BY_TRIGGERS]
        for table in ordered(tables, captured["order"]):
            filled = [statement for statement in statements if statement.table == table]
            vectors = tsvector_columns(after, table) if filled else []
            columns = [name for name in column_names(after, table) if name not in vectors]
            key = postgres_key(after, table)
            listed = ", ".join(f'"{column}"::text' for column in columns)
            select = f'SELECT {listed} FROM "{table}" AS t' + (f' ORDER BY t."{key}"' if key else "")
            part = captured["parts"].get(table, OTHER)
            rows = after.execute(select).fetchall()
            for load in changes(table, part, columns, key, before.execute(select).fetchall(), rows):
                if load.how == "insert" and table in captured["copied"]:
                    load.how = "copy"
                plan.items.append(load)
                if vectors and load.how == "copy":
                    plan.items.append(with_vectors(after, load, key, vectors))
            plan.items += filled  # after the rows, as the import fills them
            plan.items += [stemming_alone(statement) for statement in filled]
    return plan


def with_vectors(database: Any, load: Load, key: str, vectors: list[str]) -> Load:
    """The load with the finished tsvectors the import made (as text), for a run without stemming."""
    listed = ", ".join(f'"{column}"::text' for column in vectors)
    position = load.columns.index(key)
    found = dict(database.execute(f'SELECT "{key}"::text, {listed} FROM "{load.table}"').fetchall())
    rows = [(*row, found[row[position]]) for row in load.rows]
    return Load(load.table, VECTORS, [*load.columns, *vectors], rows, load.how)


def stemming_alone(statement: Statement) -> Statement:
    """The server's work on the documents without writing them: the statement's tsvector expression
    over all the documents at once (`unnest` of one array per parameter), its lexemes counted."""
    expression = statement.sql.split(" = ", 1)[1].rsplit(" WHERE ", 1)[0]
    parts = expression.count("%s")
    names = [f"d{number}" for number in range(parts)]
    for name in names:
        expression = expression.replace("%s", name, 1)
    arrays = ", ".join(["%s::text[]"] * parts)
    # The statement's own FROM (the stemmed parts, which its SET joins to the place tokens) comes
    # after the documents' values here, as a lateral subquery of each.
    value, _, source = expression.partition(" FROM (SELECT ")
    lateral = f" CROSS JOIN LATERAL (SELECT {source}" if source else ""
    sql = f"SELECT sum(length({value})) FROM unnest({arrays}) AS d({', '.join(names)}){lateral}"
    columns = tuple([_as_text(row[number]) for row in statement.params] for number in range(parts))
    return Statement(statement.table, sql, [columns], STEMMING, once=True)


def _as_text(value: Any) -> Any:
    """A list parameter (a document's place tokens) as an array literal: one text per document,
    which the statement casts back (`unnest` of a list of lists would flatten them)."""
    if not isinstance(value, list | tuple):
        return value
    quoted = ('"' + str(item).replace("\\", "\\\\").replace('"', '\\"') + '"' for item in value)
    return "{" + ",".join(quoted) + "}"


def postgres_key(database: Any, table: str) -> str:
    keys = database.execute(
        "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
        "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = %s::regclass AND i.indisprimary",
        (f'"{table}"',),
    ).fetchall()
    return str(keys[0][0]) if len(keys) == 1 else ""


def column_names(database: Any, table: str, type_condition: str = "") -> list[str]:
    rows = database.execute(
        "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 "
        f"AND NOT attisdropped {type_condition} ORDER BY attnum",
        (f'"{table}"',),
    ).fetchall()
    return [str(name) for (name,) in rows]


def tsvector_columns(database: Any, table: str) -> list[str]:
    return column_names(database, table, "AND atttypid = 'tsvector'::regtype")


def postmaster_pid(admin: Any) -> int:
    row = admin.execute("SHOW data_directory").fetchone()
    return int((Path(row[0]) / "postmaster.pid").read_text().split()[0])


def postgres_run(url: str, plan: Plan, postmaster: int) -> Run:
    """BEGIN; COPY or executemany per table, the documents' UPDATEs; COMMIT; each timed, server too."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as database, paused_gc():
        cursor = database.cursor()
        size_sql = "SELECT pg_database_size(current_database()), pg_current_wal_lsn()"
        size_before, wal_before = cursor.execute(size_sql).fetchone() or (0, "0/0")
        pieces: Run = {}

        def server() -> float:
            return server_cpu(postmaster)

        with timed(pieces, "BEGIN", server):
            cursor.execute("BEGIN")
        for item in plan.items:
            with timed(pieces, item.name, server):
                if isinstance(item, Statement) and item.once:
                    cursor.execute(item.sql, item.params[0])
                elif isinstance(item, Statement):
                    cursor.executemany(item.sql, item.params)
                elif item.how == "copy":
                    listed = ", ".join(f'"{column}"' for column in item.columns)
                    with cursor.copy(f'COPY "{item.table}" ({listed}) FROM STDIN') as copy:
                        for row in item.rows:
                            copy.write_row(row)
                else:
                    cursor.executemany(*sqlite_statement(item, "%s"))
        with timed(pieces, "COMMIT", server):
            cursor.execute("COMMIT")
        size_after, wal_bytes = cursor.execute(
            "SELECT pg_database_size(current_database()), pg_wal_lsn_diff(pg_current_wal_lsn(), %s)",
            (wal_before,),
        ).fetchone() or (0, 0)
    return with_total(pieces, int(wal_bytes), int(size_after) - int(size_before))


def server_cpu(postmaster: int) -> float:
    """CPU seconds of the cluster so far: the postmaster (with its children that have ended, such as
    autovacuum workers) and every live child (our backend, the WAL writer, the checkpointer...)."""
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:  # after the command's ")": state, ppid, ... utime is the 12th, cstime the 15th
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # ended meanwhile
        if int(entry.name) == postmaster:
            total += sum(int(value) for value in fields[11:15])  # utime stime cutime cstime
        elif int(fields[1]) == postmaster:
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


# Timing and the report -----------------------------------------------------------------------------


@contextmanager
def paused_gc() -> Iterator[None]:
    """As the import runs (`garbage_collection_paused`): the rows exist already, nothing to collect."""
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@contextmanager
def timed(pieces: Run, name: str, server: Callable[[], float] | None = None) -> Iterator[None]:
    server_started = server() if server else 0.0  # read outside the timed span: it costs CPU here
    started, cpu_started = time.perf_counter(), time.process_time()
    yield
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    piece = pieces.setdefault(name, {"wall": 0.0, "cpu": 0.0, "server": 0.0})
    piece["wall"] += wall
    piece["cpu"] += cpu
    piece["server"] += (server() - server_started) if server else 0.0


def with_total(pieces: Run, wal_bytes: int, grown_bytes: int) -> Run:
    total = {
        measure: sum(piece[measure] for piece in pieces.values()) for measure in ("wall", "cpu", "server")
    }
    total.update(load=os.getloadavg()[0], wal_mb=wal_bytes / MB, grown_mb=grown_bytes / MB)
    pieces["total"] = total
    return pieces


def best_median(values: Sequence[float]) -> str:
    return f"{min(values):.3f} / {statistics.median(values):.3f}"


def report(result: dict[str, Any], options: argparse.Namespace) -> None:
    """The figures as a JSON line, then tables: best and median of the runs, piece by piece for the
    whole write, then each variant in all."""
    totals = {variant: [run["total"] for run in runs] for variant, runs in result["runs"].items()}
    print(json.dumps({**result, "runs": None, "totals": totals, "services": options.services}), flush=True)
    runs: list[Run] = result["runs"][ALL]
    counts = {name: count for name, part, count in result["plan"] if part in VARIANTS[ALL]}
    loads = [run["total"]["load"] for variant in result["runs"].values() for run in variant]
    print(
        f"\n{result['database']}, {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; {options.services:,} services, {sum(counts.values()):,} rows; "
        f"{len(runs)} runs of each plan, ending {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC; "
        f"load (1 min) after the runs {min(loads):.1f} to {max(loads):.1f}"
    )
    print("\n| piece | rows | wall s, best / median | CPU s here | CPU s server |")
    print("|---|---:|---:|---:|---:|")
    for name in runs[0]:
        figures = [best_median([run[name][measure] for run in runs]) for measure in ("wall", "cpu", "server")]
        rows = f"{counts[name]:,}" if name in counts else ""
        print(f"| {name} | {rows} | " + " | ".join(figures) + " |")
    print("\n| plan | wall s, best / median | CPU s here | CPU s server | WAL MB | database grew MB |")
    print("|---|---:|---:|---:|---:|---:|")
    for variant, variant_runs in result["runs"].items():
        ends = [run["total"] for run in variant_runs]
        figures = [best_median([end[measure] for end in ends]) for measure in ("wall", "cpu", "server")]
        sizes = [
            f"{statistics.median(end[measure] for end in ends):.1f}" for measure in ("wal_mb", "grown_mb")
        ]
        print(f"| {variant} | " + " | ".join(figures + sizes) + " |")
    floor = statistics.median(run["total"]["wall"] for run in runs)
    print(
        f"\nFloor (median wall, whole write): {floor:.2f} s, at most {options.services / floor:,.0f} "
        f"services/s; {TARGET_SERVICES_PER_SECOND:,.0f}/s needs the whole import in "
        f"{options.services / TARGET_SERVICES_PER_SECOND:.2f} s."
    )


if __name__ == "__main__":
    main()
