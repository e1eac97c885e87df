"""Writing HSDS records into the directory: all or nothing, or the good records only.

`import_hsds` takes what a reader produced (`carepath.interop.hsds_json` / `hsds_tabular`),
checks references, and writes every record in one transaction, inserting new ids and
updating known ones (re-importing a file updates, never duplicates). By default any error
refuses the whole import and nothing is written. With `skip_invalid`, records whose origin
(a top-level JSON record or a CSV row) has an error are left out, and so, in turn, are those
that would be left linking to them; the rest is written. Warnings never stop an import.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from carepath.audit.models import AuditAction
from carepath.audit.services import record_event
from carepath.directory.models import HSDS_MODELS
from carepath.directory.selectors.hsds import existing_records, stored_attributes
from carepath.directory.services.hsds_references import reference_problems
from carepath.errors import ApplicationError
from carepath.interop.hsds_records import ImportBatch, ParsedRecord, Problem, Severity
from carepath.interop.hsds_tables import TABLES

Progress = Callable[[int, int], None]
WRITE_CHUNK = 500
CARE_PATH_COLUMNS = ("position_usable",)  # values Carepath derives, stored beside the HSDS ones


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
    with transaction.atomic():
        _write(records, outcome, progress, dry_run=dry_run)
        if not dry_run:
            record_event(
                actor=actor,
                actor_label=actor_label,
                action=AuditAction.HSDS_IMPORTED,
                subject_type="directory",
                details=_audit_details(outcome),
            )
    return outcome


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


def _write(
    records: list[ParsedRecord], outcome: ImportOutcome, progress: Progress | None, *, dry_run: bool
) -> None:
    by_table: dict[str, list[ParsedRecord]] = {}
    for record in records:
        by_table.setdefault(record.table, []).append(record)
    total, done = len(records), 0
    for table in sorted(by_table):
        for start in range(0, len(by_table[table]), WRITE_CHUNK):
            chunk = by_table[table][start : start + WRITE_CHUNK]
            created, updated = _write_chunk(table, chunk, dry_run=dry_run)
            outcome.created[table] = outcome.created.get(table, 0) + created
            outcome.updated[table] = outcome.updated.get(table, 0) + updated
            outcome.unchanged[table] = outcome.unchanged.get(table, 0) + len(chunk) - created - updated
            done += len(chunk)
            if progress is not None:
                progress(done, total)


def _write_chunk(table: str, chunk: list[ParsedRecord], *, dry_run: bool) -> tuple[int, int]:
    """Insert the new ids and update the known ones that differ; returns (created, updated)."""
    model: type[models.Model] = HSDS_MODELS[table]
    known = existing_records(table, (record.id for record in chunk))
    attributes = stored_attributes(table)
    names = _compared_fields(model, attributes)
    fresh, changed = [], []
    for record in chunk:
        instance = known.get(record.id)
        if instance is None:
            fresh.append(new_hsds_instance(table, record.values))
            continue
        before = [getattr(instance, name) for name in names]
        _update(instance, table, record.values, attributes)
        if [getattr(instance, name) for name in names] != before:
            changed.append(instance)
    if not dry_run:
        _save(model, fresh, changed, names)
    return len(fresh), len(changed)


def _save(
    model: type[models.Model], fresh: list[models.Model], changed: list[models.Model], names: list[str]
) -> None:
    if (
        "last_modified" in {field.name for field in model._meta.concrete_fields}
        and model.__name__ == "Organization"
    ):
        now = timezone.now()
        for instance in changed:
            instance.last_modified = now  # type: ignore[attr-defined]
        names = [*names, "last_modified"]
    model._default_manager.bulk_create(fresh, batch_size=WRITE_CHUNK)
    if changed:
        model._default_manager.bulk_update(changed, names, batch_size=WRITE_CHUNK)


def _compared_fields(model: type[models.Model], attributes: dict[str, str]) -> list[str]:
    names = [attribute for attribute in attributes.values() if attribute != "id"]
    own = {field.name for field in model._meta.concrete_fields}
    return names + [name for name in CARE_PATH_COLUMNS if name in own]


KEEP_DEFAULT = object()  # a new record's field the import leaves at the model's default


@cache
def new_record_fields(table: str) -> tuple[tuple[str, str, Any], ...]:
    """(model attribute, column of the record's values, value when absent) for a new record.

    Absent text is empty text, any other absent value None; an absent link is None; a value
    Carepath derives (`position_usable`) keeps the model's default when absent. The id is not listed.
    """
    links = TABLES[table].link_columns
    found = [
        (attribute, column, None if column in links else _empty(table, attribute))
        for column, attribute in stored_attributes(table).items()
        if column != "id"
    ]
    own = {field.name for field in HSDS_MODELS[table]._meta.concrete_fields}
    found += [(column, column, KEEP_DEFAULT) for column in CARE_PATH_COLUMNS if column in own]
    return tuple(found)


def new_hsds_instance(table: str, values: Mapping[str, Any]) -> models.Model:
    """The unsaved model instance an import creates for a new record (`values`: HSDS column -> value)."""
    instance = HSDS_MODELS[table](id=values["id"])
    for attribute, column, absent in new_record_fields(table):
        value = values.get(column, absent)
        if value is not KEEP_DEFAULT:
            setattr(instance, attribute, value)
    return instance


def _update(
    instance: models.Model, table: str, values: Mapping[str, Any], attributes: dict[str, str]
) -> None:
    """Scalars are replaced (absent means empty); a link the import does not mention is kept."""
    links = TABLES[table].link_columns
    for column, attribute in attributes.items():
        if column == "id" or (column in links and column not in values):
            continue
        absent = None if column in links else _empty(table, attribute)
        setattr(instance, attribute, values.get(column, absent))
    for column in CARE_PATH_COLUMNS:
        if column in values:
            setattr(instance, column, values[column])


@cache
def _empty(table: str, attribute: str) -> Any:
    """What an absent value is stored as: empty text for a text field, else None."""
    field_object = HSDS_MODELS[table]._meta.get_field(attribute)
    is_text = (
        isinstance(field_object, models.Field)
        and field_object.empty_strings_allowed
        and not field_object.null
    )
    return "" if is_text else None
