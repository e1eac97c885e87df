"""Checking the links of imported HSDS records against the import itself and the directory.

Three kinds of link, three rules:
- an ownership link (`service.organization_id`, `phone.contact_id`, …) must name a record in the
  import or the directory: otherwise it is an error, or, with `keep_unknown_references`, a
  warning and the id is kept as given;
- a cross-reference (`organization.parent_organization_id`, `taxonomy_term.parent_id`,
  `taxonomy_term.taxonomy_id`) may name a record published elsewhere: a warning, kept as given;
- `attribute.link_id` and `metadata.resource_id` may name a record of any table: likewise.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from carepath.directory.selectors.hsds import existing_ids, existing_ids_in_any_table
from carepath.interop.hsds_records import ParsedRecord, Problem, Severity
from carepath.interop.hsds_tables import POLYMORPHIC_LINK, TABLES

NOWHERE = "neither in this import nor in the directory"


def reference_problems(records: Iterable[ParsedRecord], *, keep_unknown_references: bool) -> list[Problem]:
    records = list(records)
    present: dict[str, set[str]] = defaultdict(set)
    for record in records:
        present[record.table].add(record.id)
    known = _known_targets(records, present)
    problems = []
    for record in records:
        problems += _record_problems(record, known, keep_unknown_references)
    return problems


def _targets(record: ParsedRecord) -> Iterable[tuple[str, str | None, str]]:
    """(column, target table or None for any table, target id) for each link the record has."""
    table = TABLES[record.table]
    for column, target_table in (*table.links.items(), *table.cross_references.items()):
        if record.values.get(column):
            yield column, target_table, str(record.values[column])
    polymorphic = POLYMORPHIC_LINK.get(record.table)
    if polymorphic and record.values.get(polymorphic):
        yield polymorphic, None, str(record.values[polymorphic])


def _known_targets(records: list[ParsedRecord], present: dict[str, set[str]]) -> dict[str | None, set[str]]:
    """The ids each link may name: those in the import plus those already in the directory."""
    wanted: dict[str | None, set[str]] = defaultdict(set)
    for record in records:
        for _column, target_table, target in _targets(record):
            wanted[target_table].add(target)
    known: dict[str | None, set[str]] = {}
    everywhere: set[str] = set().union(*present.values()) if present else set()
    for target_table, ids in wanted.items():
        if target_table is None:
            known[None] = (ids & everywhere) | existing_ids_in_any_table(ids - everywhere)
        else:
            here = present[target_table]
            known[target_table] = (ids & here) | existing_ids(target_table, ids - here)
    return known


def _record_problems(
    record: ParsedRecord, known: dict[str | None, set[str]], keep_unknown_references: bool
) -> list[Problem]:
    problems = []
    table = TABLES[record.table]
    for column, target_table, target in _targets(record):
        if target in known.get(target_table, set()):
            continue
        text = f"names {target_table or 'record'} '{target}', which is {NOWHERE}"
        if column in table.links and not keep_unknown_references:
            origins = tuple(sorted(record.origins))
            problems.append(Problem(record.file, record.where, column, text, origins=origins))
        else:
            warning = text + "; kept as given"
            problems.append(Problem(record.file, record.where, column, warning, Severity.WARNING))
    return problems
