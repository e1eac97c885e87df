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
from dataclasses import dataclass
from functools import cache

from carepath.directory.selectors.hsds import existing_ids, existing_ids_in_any_table
from carepath.interop.hsds_records import ParsedRecord, Problem, Severity
from carepath.interop.hsds_tables import POLYMORPHIC_LINK, TABLES

NOWHERE = "neither in this import nor in the directory"


def reference_problems(records: Iterable[ParsedRecord], *, keep_unknown_references: bool) -> list[Problem]:
    return outside_problems(outside_links(records), keep_unknown_references=keep_unknown_references)


@dataclass(frozen=True)
class OutsideLink:
    """A link to a record that is not in the import: the directory must have it, or it is a problem.

    Plain data (no record), so a reader in another process can hand it to the writer."""

    table: str
    file: str
    where: str
    origins: tuple[str, ...]
    column: str
    target_table: str | None  # None: a record of any table
    target: str


def outside_links(records: Iterable[ParsedRecord]) -> list[OutsideLink]:
    """The links of these records that no record among them answers. Reads no database."""
    records = list(records)
    present: dict[str, set[str]] = defaultdict(set)
    for record in records:
        present[record.table].add(record.id)
    everywhere: set[str] | None = None
    found = []
    for record in records:
        for column, target_table, target in _links(record):
            if target_table is None:
                if everywhere is None:
                    everywhere = set().union(*present.values())
                here = everywhere
            else:
                here = present[target_table]
            if target not in here:
                origins = tuple(sorted(record.origins))
                found.append(
                    OutsideLink(
                        record.table, record.file, record.where, origins, column, target_table, target
                    )
                )
    return found


def outside_problems(links: Iterable[OutsideLink], *, keep_unknown_references: bool) -> list[Problem]:
    """A problem for each of these links whose target the directory does not hold either."""
    links = list(links)
    wanted: dict[str | None, set[str]] = defaultdict(set)
    for link in links:
        wanted[link.target_table].add(link.target)
    known = {
        target_table: existing_ids_in_any_table(ids)
        if target_table is None
        else existing_ids(target_table, ids)
        for target_table, ids in wanted.items()
    }
    return [
        _problem(link, keep_unknown_references)
        for link in links
        if link.target not in known[link.target_table]
    ]


@cache
def _link_columns(table_name: str) -> tuple[tuple[str, str | None], ...]:
    """(column, target table or None for any table) for each column of the table that may link."""
    table = TABLES[table_name]
    columns: list[tuple[str, str | None]] = [*table.links.items(), *table.cross_references.items()]
    polymorphic = POLYMORPHIC_LINK.get(table_name)
    if polymorphic:
        columns.append((polymorphic, None))
    return tuple(columns)


def _links(record: ParsedRecord) -> list[tuple[str, str | None, str]]:
    """(column, target table, target id) for each link the record has, in its table's column order."""
    values = record.values
    return [
        (column, target_table, str(values[column]))
        for column, target_table in _link_columns(record.table)
        if values.get(column)
    ]


def _problem(link: OutsideLink, keep_unknown_references: bool) -> Problem:
    text = f"names {link.target_table or 'record'} '{link.target}', which is {NOWHERE}"
    if link.column in TABLES[link.table].links and not keep_unknown_references:
        return Problem(link.file, link.where, link.column, text, origins=link.origins)
    return Problem(link.file, link.where, link.column, text + "; kept as given", Severity.WARNING)
