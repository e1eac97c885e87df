"""Making a backup (`carepath backup OUT`) and restoring one (`carepath restore IN`).

A backup reads every table (`tables`) in one consistent snapshot and writes the raw rows and a
manifest (`archive`): the Carepath version, the latest applied migration of each app, and each
table's row count and SHA-256 checksum. Nothing is decrypted; encrypted columns stay ciphertext.

The manifest is signed (`signature`) with a key derived from the encryption keys. A restore
checks the signature before it touches the database and refuses an unsigned or wrongly signed file
unless the person restoring says, with `allow_unsigned`, that they trust it anyway.

A restore goes into a database migrated to the same state as the backup's, which holds no rows
(or is emptied first with `replace`), all in one transaction: the tables are loaded in dependency
order, each checked against the manifest as it is read; the links between rows are checked;
PostgreSQL's id sequences are moved past the restored ids; every table's count and checksum are
worked out again from the database and compared with the manifest; then the search index and
the programme report's rows are rebuilt. Any difference rolls everything back.

Both are audited with counts only. A command has no account, so the actor is "command line".
"""

from __future__ import annotations

import importlib.metadata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone

from carepath.audit.models import AuditAction
from carepath.audit.services import record_event
from carepath.backup import loading
from carepath.backup.archive import DamagedBackup, Manifest, TableEntry, new_backup_file, open_backup
from carepath.backup.codec import TableDigest, file_line
from carepath.backup.selectors import (
    consistent_snapshot,
    migration_state,
    row_count,
    table_digest,
    table_rows,
    tables_holding_rows,
)
from carepath.backup.signature import SignatureRefused, configured_keys, signature_document, verify
from carepath.backup.tables import Table, backed_up_tables, rebuilt_models
from carepath.directory.services.search_index import rebuild_search_index
from carepath.errors import ApplicationError
from carepath.outcomes.report_rows import rebuild_report_rows

COMMAND_LINE = "command line"
PROGRESS_EVERY = 5000  # rows between progress reports within a table
Progress = Callable[[str, int, int], None]  # table, rows done, rows in the table
Warn = Callable[[str], None]


class RestoreRefused(ApplicationError):
    """The database is not one this backup may be restored into; nothing was changed."""


@dataclass(frozen=True)
class Summary:
    tables: int
    rows: int
    search_entries: int = 0
    signed_by: str | None = None  # the id of the key whose signature was checked; None: unchecked


def make_backup(path: Path, *, progress: Progress | None = None) -> Summary:
    tables = backed_up_tables()
    key = configured_keys()[0]  # the newest; before anything is written, so a bad key stops here
    with new_backup_file(path) as writer:
        with consistent_snapshot():
            manifest = Manifest(
                carepath_version=carepath_version(),
                database=connection.vendor,
                made_at=timezone.now().isoformat(timespec="seconds"),
                migrations=migration_state(),
                rebuilt=[model._meta.db_table for model in rebuilt_models()],
            )
            for table in tables:
                with writer.table(table.name) as out:
                    manifest.tables.append(_write_table(table, out.write, progress))
        writer.manifest(manifest, lambda text: signature_document(text, key))
    summary = Summary(
        tables=len(manifest.tables), rows=sum(entry.rows for entry in manifest.tables), signed_by=key.key_id
    )
    with transaction.atomic():
        record_event(
            actor=None,
            actor_label=COMMAND_LINE,
            action=AuditAction.BACKUP_MADE,
            subject_type="database",
            details={"tables": summary.tables, "rows": summary.rows, "signed_by": key.key_id},
        )
    return summary


def _write_table(table: Table, write: Callable[[str], object], progress: Progress | None) -> TableEntry:
    total = row_count(table) if progress is not None else 0
    digest = TableDigest(table.column_names, table.kinds)
    for values in table_rows(table):
        write(file_line(values) + "\n")
        digest.add(values)
        if progress is not None and digest.rows % PROGRESS_EVERY == 0:
            progress(table.name, digest.rows, total)
    if progress is not None:
        progress(table.name, digest.rows, total)
    return TableEntry(
        name=table.name,
        model=table.label,
        primary_key=table.primary_key,
        columns=table.column_names,
        kinds=[kind.value for kind in table.kinds],
        rows=digest.rows,
        sha256=digest.sha256,
    )


def restore_backup(
    path: Path,
    *,
    replace: bool = False,
    allow_unsigned: bool = False,
    warn: Warn | None = None,
    progress: Progress | None = None,
) -> Summary:
    """Restore the file, all or nothing. An unsigned or wrongly signed file is refused before the
    database is touched, unless `allow_unsigned`: then `warn` is told why and the restore goes on."""
    tables = backed_up_tables()
    signed_by: str | None = None

    def check_signature(manifest_bytes: bytes, signature: bytes | None) -> None:
        nonlocal signed_by
        try:
            signed_by = verify(manifest_bytes, signature, configured_keys()).key_id
        except SignatureRefused as problem:
            if not allow_unsigned:
                raise SignatureRefused(
                    f"{problem}. Restore only a backup you made; if you are sure this one is yours, "
                    "--allow-unsigned restores it anyway"
                ) from None
            if warn is not None:
                warn(f"{problem}. Restoring it anyway, because --allow-unsigned was given.")

    with open_backup(path, check_signature) as (archive, manifest):
        entries = _entries_for(tables, manifest)
        with transaction.atomic():
            if not replace:
                _refuse_unless_empty(tables)
            loading.empty_tables(tables)
            rows = sum(loading.load_table(archive, table, entries[table.name], progress) for table in tables)
            loading.check_links(tables)
            loading.reset_sequences(tables)
            _refuse_unless_equal(tables, entries)
            ContentType.objects.clear_cache()  # the restored content types may have other ids
            indexed = rebuild_search_index()
            rebuild_report_rows(everything=True)
            record_event(
                actor=None,
                actor_label=COMMAND_LINE,
                action=AuditAction.BACKUP_RESTORED,
                subject_type="database",
                details={"tables": len(tables), "rows": rows, "replaced": replace, "signed_by": signed_by},
            )
    return Summary(tables=len(tables), rows=rows, search_entries=indexed, signed_by=signed_by)


def _entries_for(tables: list[Table], manifest: Manifest) -> dict[str, TableEntry]:
    """The manifest's entry for each table, once the backup is known to fit this database."""
    here = migration_state()
    if manifest.migrations != here:
        differences = [
            f"{app}: backup {manifest.migrations.get(app, 'none')}, this database {here.get(app, 'none')}"
            for app in sorted(manifest.migrations.keys() | here.keys())
            if manifest.migrations.get(app) != here.get(app)
        ]
        raise RestoreRefused(
            "this database is not migrated to the backup's state; migrate it to the same Carepath "
            f"version first ({'; '.join(differences[:5])})"
        )
    entries = {entry.name: entry for entry in manifest.tables}
    for table in tables:
        entry = entries.get(table.name)
        if entry is None:
            raise DamagedBackup(f"table {table.name}: missing from the backup's manifest")
        if entry.columns != table.column_names or entry.kinds != [kind.value for kind in table.kinds]:
            raise DamagedBackup(f"table {table.name}: the backup's columns differ from this database's")
    unknown = sorted(entries.keys() - {table.name for table in tables})
    if unknown:
        raise DamagedBackup(f"table {unknown[0]}: in the backup but not a table of this Carepath")
    return entries


def _refuse_unless_empty(tables: list[Table]) -> None:
    busy = tables_holding_rows([table for table in tables if not table.filled_by_migrate])
    if busy:
        shown = ", ".join(busy[:5]) + (" …" if len(busy) > 5 else "")
        raise RestoreRefused(
            f"this database already holds data ({shown}); restore into a newly migrated, empty "
            "database, or add --replace to empty this one first (in the same transaction)"
        )


def _refuse_unless_equal(tables: list[Table], entries: dict[str, TableEntry]) -> None:
    """Work every table's count and checksum out again from the database, as a backup would."""
    for table in tables:
        digest, entry = table_digest(table), entries[table.name]
        if (digest.rows, digest.sha256) != (entry.rows, entry.sha256):
            raise DamagedBackup(
                f"table {table.name}: after loading it holds {digest.rows} rows (checksum "
                f"{digest.sha256[:12]}…), the manifest says {entry.rows} rows ({entry.sha256[:12]}…)"
            )


def carepath_version() -> str:
    try:
        return importlib.metadata.version("carepath")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"
