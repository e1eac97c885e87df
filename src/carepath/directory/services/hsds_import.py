"""Writing HSDS records into the directory: all or nothing, or the good records only.

`import_hsds` takes what a reader produced (`carepath.interop.hsds_json` / `hsds_tabular`),
checks references, and writes every record in one transaction, inserting new ids and
updating known ones (re-importing a file updates, never duplicates). By default any error
refuses the whole import and nothing is written. With `skip_invalid`, records whose origin
(a top-level JSON record or a CSV row) has an error are left out, and so, in turn, are those
that would be left linking to them; the rest is written. Warnings never stop an import.

Writing is one statement per table and chunk, not one per record: each chunk of ids is compared with
the directory in one query (none for a table that is empty), the new records are inserted and the
changed ones rewritten with prepared statements run by `executemany` (`hsds_bulk`), and unchanged
records are not touched. The stored fields are read with plain SQL (`selectors.raw_rows`), and on
SQLite the whole import runs with a larger page cache (`bulk_load_session`).

`carepath import-hsds` goes through `hsds_pipeline.import_hsds_path`, which writes with the same
functions (`write_table_chunk`, `record_imported`) while another process is still reading.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from carepath.audit.models import AuditAction
from carepath.audit.services import record_event
from carepath.directory.models import HSDS_MODELS
from carepath.directory.selectors.hsds import has_records
from carepath.directory.selectors.raw_rows import fields_by_id
from carepath.directory.selectors.search_facts import services_touched_by
from carepath.directory.services.hsds_bulk import bulk_load_session, insert_records, update_records
from carepath.directory.services.hsds_references import reference_problems
from carepath.directory.services.hsds_rows import (
    CARE_PATH_COLUMNS,
    KEEP_DEFAULT,
    compared_fields,
    new_hsds_instance,
    new_record_fields,
    updated_fields,
)
from carepath.directory.services.search_index import refresh_search_entries
from carepath.errors import ApplicationError
from carepath.interop.hsds_records import ImportBatch, ParsedRecord, Problem, Severity

# Kept importable from here, where they used to live.
__all__ = [
    "CARE_PATH_COLUMNS",
    "KEEP_DEFAULT",
    "ImportOutcome",
    "ImportRefused",
    "import_hsds",
    "new_hsds_instance",
    "new_record_fields",
]

Progress = Callable[[int, int], None]
WRITE_CHUNK = 5000  # records compared with the directory, and written, at a time


class ImportRefused(ApplicationError):
    """The import had errors and nothing was written; `problems` lists every one found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        errors = sum(1 for problem in problems if problem.severity is Severity.ERROR)
        super().__init__(f"the import was refused with {errors} error(s); nothing was written")


@dataclass
class ImportOutcome:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    skipped_origins: list[str] = field(default_factory=list)
    dry_run: bool = False

    @property
    def written(self) -> int:
        return sum(self.created.values()) + sum(self.updated.values())

    @property
    def warnings(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.severity is Severity.WARNING]


def import_hsds(
    batch: ImportBatch,
    *,
    actor: Any = None,
    actor_label: str = "",
    skip_invalid: bool = False,
    dry_run: bool = False,
    keep_unknown_references: bool = False,
    progress: Progress | None = None,
) -> ImportOutcome:
    """Write the batch; raises ImportRefused (nothing written) on any error unless skip_invalid."""
    problems = batch.problems + reference_problems(
        batch.records.values(), keep_unknown_references=keep_unknown_references
    )
    records = list(batch.records.values())
    bad_origins = _bad_origins(problems)
    if bad_origins and not skip_invalid:
        raise ImportRefused(problems)
    while bad_origins:
        records = [record for record in records if record.origins - bad_origins]
        seen = set(problems)
        fresh = reference_problems(records, keep_unknown_references=keep_unknown_references)
        fresh = [problem for problem in fresh if problem.severity is Severity.ERROR and problem not in seen]
        problems += fresh
        newly_bad = _bad_origins(fresh) - bad_origins
        if not newly_bad:
            break
        bad_origins |= newly_bad
    outcome = ImportOutcome(problems=problems, dry_run=dry_run)
    outcome.skipped_origins = [origin for origin in batch.origins if origin in bad_origins]
    with bulk_load_session(), transaction.atomic():
        written = _write(records, outcome, progress, dry_run=dry_run)
        if not dry_run:
            # People's search follows the directory in the same transaction (services.search_index).
            refresh_search_entries(written.services_to_refresh())
            record_imported(outcome, actor=actor, actor_label=actor_label)
    return outcome


def record_imported(outcome: ImportOutcome, *, actor: Any, actor_label: str) -> None:
    """The audit event of an import, written in its transaction."""
    record_event(
        actor=actor,
        actor_label=actor_label,
        action=AuditAction.HSDS_IMPORTED,
        subject_type="directory",
        details=_audit_details(outcome),
    )


def _bad_origins(problems: list[Problem]) -> set[str]:
    return {
        origin for problem in problems if problem.severity is Severity.ERROR for origin in problem.origins
    }


def _audit_details(outcome: ImportOutcome) -> dict[str, Any]:
    return {
        "created": outcome.created,
        "updated": outcome.updated,
        "unchanged": outcome.unchanged,
        "skipped": len(outcome.skipped_origins),
        "warnings": len(outcome.warnings),
    }


@dataclass
class Written:
    ids: dict[str, list[str]] = field(default_factory=dict)  # table -> ids inserted or updated
    services_before: set[str] = field(default_factory=set)  # services the updated records named before

    def services_to_refresh(self) -> set[str]:
        """The services whose search rows what was written may have changed."""
        return self.services_before | services_touched_by(self.ids)


def _write(
    records: list[ParsedRecord], outcome: ImportOutcome, progress: Progress | None, *, dry_run: bool
) -> Written:
    written = Written()
    by_table: dict[str, list[ParsedRecord]] = {}
    for record in records:
        by_table.setdefault(record.table, []).append(record)
    total, done = len(records), 0
    for table in sorted(by_table):
        # In id order: each table's primary-key index then grows at its end, which is cheaper.
        table_records = sorted(by_table[table], key=_record_id)
        known = has_records(table)
        created = updated = 0
        for start in range(0, len(table_records), WRITE_CHUNK):
            chunk = [record.values for record in table_records[start : start + WRITE_CHUNK]]
            fresh, changed = write_table_chunk(table, chunk, written, known=known, dry_run=dry_run)
            created, updated = created + len(fresh), updated + len(changed)
            done += len(chunk)
            if progress is not None:
                progress(done, total)
        outcome.created[table] = created
        outcome.updated[table] = updated
        outcome.unchanged[table] = len(table_records) - created - updated
    return written


def write_table_chunk(
    table: str, chunk: list[dict[str, Any]], written: Written, *, known: bool, dry_run: bool = False
) -> tuple[list[str], list[str]]:
    """Insert the new records of a chunk of one table and rewrite the changed ones (unless a dry
    run); `known`: the table had records before, so each id is looked up. Returns (new ids, changed ids)."""
    fresh, changed = _sorted_out(table, chunk, known=known)
    new_ids = [str(values["id"]) for values in fresh]
    changed_ids = [str(fields["id"]) for fields in changed]
    if not dry_run:
        if changed_ids:  # a record that moves to another service leaves the old one to refresh
            written.services_before |= services_touched_by({table: changed_ids})
        written.ids.setdefault(table, []).extend(new_ids + changed_ids)
        insert_records(table, fresh)
        update_records(table, changed, _written_fields(table))
    return new_ids, changed_ids


def _record_id(record: ParsedRecord) -> str:
    return record.id


def _sorted_out(
    table: str, chunk: list[dict[str, Any]], *, known: bool
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(values of the new records, fields of the known ones the import changes, with their id)."""
    names = compared_fields(table)
    stored = fields_by_id(HSDS_MODELS[table], (str(values["id"]) for values in chunk), names) if known else {}
    fresh, changed = [], []
    for values in chunk:
        record_id = str(values["id"])
        before = stored.get(record_id)
        if before is None:
            fresh.append(values)
            continue
        after = updated_fields(table, before, values)
        if after != before:
            after["id"] = record_id
            changed.append(after)
    if changed and table == "organization":
        now = timezone.now()  # Carepath's own bookkeeping: when the organisation last changed
        for fields in changed:
            fields["last_modified"] = now
    return fresh, changed


def _written_fields(table: str) -> tuple[str, ...]:
    """The fields an update rewrites: those compared, and an organisation's last_modified."""
    return (*compared_fields(table), "last_modified") if table == "organization" else compared_fields(table)
