"""What the HSDS API (/hsds/) reads: a page of filtered records, and the rows that nest them.

Which records a list holds, and how the database is asked for them, is `hsds_filters`. Lists are
ordered by id. A page costs a fixed number of queries whatever its size: a count, the page's own
rows (the page's ids found first, in the primary key's index, so a deep page reads no skipped row),
then one query per HSDS table the nesting reaches. The tables are read in an order where each comes
after every table that links to it (a phone after the services, organisations, locations and
contacts it may hang from), so each is read once, with the ids of all its parents. `Reach` says how
far the nesting goes: the records only, what they embed (a service's organisation and programme:
HSDS's "one-to-one" list form), or everything.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from functools import cache
from typing import Any

from django.db.models import Model, Q, QuerySet

from carepath.directory.models import HSDS_MODELS, Service
from carepath.directory.selectors.hsds import stored_attributes
from carepath.directory.selectors.hsds_filters import (
    FILTERED_LIMIT,
    Listing,
    RecordFilters,
    organizations,
    service_at_locations,
    services,
    taxonomies,
    taxonomy_terms,
)
from carepath.interop.hsds_tables import TABLES, children_of, embedded_of

__all__ = [
    "FILTERED_LIMIT",
    "BeyondServed",
    "Listing",
    "Reach",
    "RecordFilters",
    "Rows",
    "RowsPage",
    "nested_rows",
    "organization_service_rows",
    "organizations",
    "page_rows",
    "record_rows",
    "service_at_locations",
    "services",
    "taxonomies",
    "taxonomy_terms",
]

Rows = dict[str, list[dict[str, Any]]]  # table -> rows (HSDS column -> stored value)
ROOT = ""  # the records asked for, in a nesting plan (their table may be reached again below)


class Reach(Enum):
    OWN = "own"  # the records' own rows
    EMBEDDED = "embedded"  # and the records they embed, recursively (HSDS "one-to-one" fields)
    NESTED = "nested"  # and everything nested in them


@dataclass(frozen=True)
class RowsPage:
    total: int  # records in the list as served: all of them, or the first `Listing.served`
    capped: bool  # more records match than the list serves
    ids: list[str]  # the page's records, in order
    rows: Rows  # what nests them


class BeyondServed(Exception):
    """A page that starts past the records a filtered list serves."""

    def __init__(self, served: int) -> None:
        super().__init__(f"a filtered list serves its first {served} records")
        self.served = served


# Pages and nesting -----------------------------------------------------------------------------


def _values(table: str, queryset: QuerySet[Any]) -> list[dict[str, Any]]:
    attributes = stored_attributes(table)
    stored = queryset.order_by("pk").values(*attributes.values())
    return [{column: row[attribute] for column, attribute in attributes.items()} for row in stored]


def page_rows(
    table: str, listing: Listing, page: int, per_page: int, reach: Reach, *, top_level: bool = True
) -> RowsPage:
    """One page of a list; BeyondServed (before any query) when it starts past what the list serves.

    An unfiltered list is counted, then its page's ids are read from the primary key's index. A
    filtered one reads the ids it serves (and one more, to know there are more) in one query, which
    is its count and holds its page: the filters' indexes are read once, not again for the page.
    """
    start = (page - 1) * per_page
    found = listing.records.order_by()
    if listing.served is None:
        total, capped = found.count(), False
        ids: Any = found.order_by("pk").values("pk")[start : start + per_page]  # read inside the next query
    elif start >= listing.served:
        raise BeyondServed(listing.served)
    else:
        served = list(found.order_by("pk").values_list("pk", flat=True)[: listing.served + 1])
        total, capped = min(len(served), listing.served), len(served) > listing.served
        ids = served[start : min(start + per_page, total)]
    model = listing.records.model
    roots = _values(table, model._default_manager.filter(pk__in=ids)) if start < total else []
    return RowsPage(
        total, capped, [row["id"] for row in roots], nested_rows(table, roots, reach, top_level=top_level)
    )


def record_rows(table: str, record_id: str, reach: Reach, *, top_level: bool = True) -> Rows | None:
    """The rows that nest one record, or None when there is no such record."""
    model: type[Model] = HSDS_MODELS[table]
    roots = _values(table, model._default_manager.filter(pk=record_id))
    return nested_rows(table, roots, reach, top_level=top_level) if roots else None


def organization_service_rows(organization_ids: list[str], reach: Reach) -> Rows:
    """The services of some organisations, nested as inside them: without the organisation again."""
    roots = _values("service", Service.objects.filter(organization_id__in=organization_ids))
    return nested_rows("service", roots, reach, skip=frozenset({"service", "organization"}))


def nested_rows(
    table: str,
    roots: list[dict[str, Any]],
    reach: Reach,
    *,
    top_level: bool = True,
    skip: frozenset[str] | None = None,
) -> Rows:
    """`roots` and every row their nesting reaches, by table; one query per table reached."""
    found: dict[str, dict[str, dict[str, Any]]] = {ROOT: {row["id"]: row for row in roots}}
    for node, links in _plan(table, reach, top_level, skip if skip is not None else frozenset({table})):
        condition = _linked_to(node, links, found)
        model: type[Model] = HSDS_MODELS[node]
        rows = _values(node, model._default_manager.filter(condition)) if condition else []
        found[node] = {row["id"]: row for row in rows}
    by_table: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for node, rows_by_id in found.items():
        by_table[node or table].update(rows_by_id)
    return {name: [rows[key] for key in sorted(rows)] for name, rows in by_table.items()}


Link = tuple[str, str, str]  # (source node, "child" | "embedded", link column)


def _linked_to(node: str, links: tuple[Link, ...], found: Mapping[str, Mapping[str, Any]]) -> Q | None:
    """Rows of `node` that its already-read sources nest: by their link column, or by id."""
    wanted: dict[str, set[str]] = defaultdict(set)
    attributes = stored_attributes(node)
    for source, kind, column in links:
        if kind == "child":
            wanted[attributes[column]].update(found[source])
        else:
            wanted["pk"].update(row[column] for row in found[source].values() if row.get(column))
    conditions = [Q(**{f"{name}__in": sorted(ids)}) for name, ids in wanted.items() if ids]
    if not conditions:
        return None
    condition = conditions[0]
    for other in conditions[1:]:
        condition |= other
    return condition


def _links_from(node: str, table: str, reach: Reach, top_level: bool) -> list[tuple[str, str, str]]:
    """(target table, kind, link column) of what `node` nests."""
    source = TABLES[node or table]
    top = node == ROOT and top_level
    targets = [(item.table, "embedded", item.link) for item in embedded_of(source, top_level=top)]
    if reach is Reach.NESTED:
        targets += [(item.table, "child", item.link) for item in children_of(source, top_level=top)]
    return targets


@cache
def _plan(
    table: str, reach: Reach, top_level: bool, skip: frozenset[str]
) -> tuple[tuple[str, tuple[Link, ...]], ...]:
    """The tables to read, each after every table that links to it, with those links."""
    if reach is Reach.OWN:
        return ()
    links: dict[str, list[Link]] = defaultdict(list)
    reached, pending = {ROOT}, [ROOT]
    while pending:
        node = pending.pop()
        for target, kind, column in _links_from(node, table, reach, top_level):
            if target in skip:
                continue
            links[target].append((node, kind, column))
            if target not in reached:
                reached.add(target)
                pending.append(target)
    order: list[str] = []
    done = {ROOT}
    while len(done) < len(reached):
        ready = sorted(node for node in reached - done if all(link[0] in done for link in links[node]))
        if not ready:
            raise AssertionError(f"the HSDS nesting from {table} has a cycle")
        order += ready
        done.update(ready)
    return tuple((node, tuple(links[node])) for node in order)
