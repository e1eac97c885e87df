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
from functools import cache

from carepath.directory.selectors.hsds import existing_ids, existing_ids_in_any_table
from carepath.interop.hsds_records import ParsedRecord, Problem, Severity
from carepath.interop.hsds_tables import POLYMORPHIC_LINK, TABLES

NOWHERE = "neither in this import nor in the directory"


def reference_problems(records: Iterable[ParsedRecord], *, keep_unknown_references: bool) -> list[Problem]:
    records = list(records)
    present: dict[str, set[str]] = defaultdict(set)
    for record in records:
        present[record.table].add(record.id)
    links = [link for record in records for link in _links(record)]
    known = _known_targets(links, present)
    problems = []
    for record, column, target_table, target in links:
        if target not in known[target_table]:
            problems.append(_problem(record, column, target_table, target, keep_unknown_references))
    return problems


Link = tuple[ParsedRecord, str, str | None, str]  # record, column, target table (None: any), target id


@cache
def _link_columns(table_name: str) -> tuple[tuple[str, str | None], ...]:
    """(column, target table or None for any table) for each column of the table that may link."""
    table = TABLES[table_name]
    columns: list[tuple[str, str | None]] = [*table.links.items(), *table.cross_references.items()]
    polymorphic = POLYMORPHIC_LINK.get(table_name)
    if polymorphic:
        columns.append((polymorphic, None))
    return tuple(columns)


def _links(record: ParsedRecord) -> list[Link]:
    """Each link the record has, in the order of its table's columns."""
    values = record.values
    return [
        (record, column, target_table, str(values[column]))
        for column, target_table in _link_columns(record.table)
        if values.get(column)
    ]


def _known_targets(links: list[Link], present: dict[str, set[str]]) -> dict[str | None, set[str]]:
    """The ids each link may name: those in the import plus those already in the directory."""
    wanted: dict[str | None, set[str]] = defaultdict(set)
    for _record, _column, target_table, target in links:
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


def _problem(
    record: ParsedRecord, column: str, target_table: str | None, target: str, keep_unknown_references: bool
) -> Problem:
    text = f"names {target_table or 'record'} '{target}', which is {NOWHERE}"
    if column in TABLES[record.table].links and not keep_unknown_references:
        return Problem(record.file, record.where, column, text, origins=tuple(sorted(record.origins)))
    return Problem(record.file, record.where, column, text + "; kept as given", Severity.WARNING)
