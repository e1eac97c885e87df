"""What the HSDS API (/hsds/) reads: filtered records, a page of them, and the rows that nest them.

Lists are ordered by id. A page costs a fixed number of queries whatever its size: a count, the
page's own rows, then one query per HSDS table the nesting reaches. The tables are read in an
order where each comes after every table that links to it (a phone after the services,
organisations, locations and contacts it may hang from), so each is read once, with the ids of
all its parents. `Reach` says how far the nesting goes: the records only, what they embed
(a service's organisation and programme: HSDS's "one-to-one" list form), or everything.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from enum import Enum
from functools import cache
from typing import Any

from django.db.models import Avg, FloatField, Model, Q, QuerySet
from django.db.models.functions import Cast, Cos, Radians, Sin

from carepath.directory.models import (
    HSDS_MODELS,
    Address,
    Attribute,
    Location,
    Organization,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from carepath.directory.selectors.hsds import stored_attributes
from carepath.interop.hsds_tables import TABLES, children_of, embedded_of

Rows = dict[str, list[dict[str, Any]]]  # table -> rows (HSDS column -> stored value)
EARTH_RADIUS_M = 6_371_008.8  # mean radius (IUGG)
# A stored last_modified keeps its own offset (at most ±23:59), so text comparison is exact only
# outside this margin around the wanted moment; inside it, values are parsed and compared.
OFFSET_MARGIN = dt.timedelta(hours=26)
EPOCH = dt.datetime(1970, 1, 1)
ROOT = ""  # the records asked for, in a nesting plan (their table may be reached again below)


class Reach(Enum):
    OWN = "own"  # the records' own rows
    EMBEDDED = "embedded"  # and the records they embed, recursively (HSDS "one-to-one" fields)
    NESTED = "nested"  # and everything nested in them


@dataclass(frozen=True)
class RecordFilters:
    search: str = ""
    organization_id: str | None = None
    taxonomy_term_id: str | None = None
    taxonomy_id: str | None = None
    modified_after: dt.datetime | None = None
    postcode: str = ""
    proximity: float | None = None  # metres from the postcode's centre
    parent_id: str | None = None
    top_only: bool = False

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> RecordFilters:
        names = {field.name for field in fields(cls)}
        return cls(**{name: value for name, value in values.items() if name in names and value is not None})


@dataclass(frozen=True)
class RowsPage:
    total: int
    ids: list[str]  # the page's records, in order
    rows: Rows  # what nests them


# Filters ---------------------------------------------------------------------------------------


def _search(columns: Iterable[str], text: str) -> Q:
    found = Q()
    for column in columns:
        found |= Q(**{f"{column}__icontains": text})
    return found


def _tagged(filters: RecordFilters, id_field: str = "id") -> Q:
    """Records an attribute gives the term, or a term of the taxonomy (attributes name them by id)."""
    tagged = Q()
    if filters.taxonomy_term_id:
        terms = Attribute.objects.filter(taxonomy_term_id=filters.taxonomy_term_id)
        tagged &= Q(**{f"{id_field}__in": terms.values("link_id")})
    if filters.taxonomy_id:
        in_taxonomy = Attribute.objects.filter(taxonomy_term__taxonomy_detail_id=filters.taxonomy_id)
        tagged &= Q(**{f"{id_field}__in": in_taxonomy.values("link_id")})
    return tagged


def _utc_seconds(moment: dt.datetime) -> float:
    """Seconds since 1970 UTC (no offset: UTC), without overflowing near the calendar's ends."""
    offset = moment.utcoffset() or dt.timedelta(0)
    return (moment.replace(tzinfo=None) - EPOCH - offset).total_seconds()


def _stored_text(seconds: float) -> str:
    """A UTC moment written as a stored last_modified begins, or a bound beyond every date."""
    try:
        return (EPOCH + dt.timedelta(seconds=seconds)).isoformat(timespec="seconds")
    except OverflowError:
        return "0000" if seconds < 0 else "9999-99"


def _modified_since(after: dt.datetime, prefix: str = "") -> Q:
    """Services whose last_modified (RFC 3339 text with its own offset) is on or after `after`."""
    wanted, margin = _utc_seconds(after), OFFSET_MARGIN.total_seconds()
    low, high = _stored_text(wanted - margin), _stored_text(wanted + margin)
    near = Service.objects.filter(last_modified__gte=low, last_modified__lt=high)
    texts = near.order_by().values_list("last_modified", flat=True).distinct()
    on_or_after = sorted(text for text in texts if _utc_seconds(dt.datetime.fromisoformat(text)) >= wanted)
    return Q(**{f"{prefix}last_modified__gte": high}) | Q(**{f"{prefix}last_modified__in": on_or_after})


def services(filters: RecordFilters) -> QuerySet[Service]:
    found = _tagged(filters)
    if filters.search:
        found &= _search(("name", "description"), filters.search)
    if filters.organization_id:
        found &= Q(organization_id=filters.organization_id)
    if filters.modified_after:
        found &= _modified_since(filters.modified_after)
    return Service.objects.filter(found)


def service_at_locations(filters: RecordFilters) -> QuerySet[ServiceAtLocation]:
    found = _tagged(filters, "service_id") | _tagged(filters, "id")
    if filters.search:
        found &= _search(("service__name", "service__description", "location__name"), filters.search)
    if filters.organization_id:
        found &= Q(service__organization_id=filters.organization_id)
    if filters.modified_after:
        found &= _modified_since(filters.modified_after, "service__")
    if filters.postcode:
        found &= Q(location_id__in=_located(filters.postcode, filters.proximity))
    return ServiceAtLocation.objects.filter(found)


def organizations(filters: RecordFilters) -> QuerySet[Organization]:
    found = _tagged(filters)
    if filters.search:
        found &= _search(("name", "alternate_name", "description"), filters.search)
    return Organization.objects.filter(found)


def taxonomies(filters: RecordFilters) -> QuerySet[Taxonomy]:
    return Taxonomy.objects.filter(_search(("name", "description"), filters.search))


def taxonomy_terms(filters: RecordFilters) -> QuerySet[TaxonomyTerm]:
    found = _search(("code", "name", "description"), filters.search)
    if filters.taxonomy_id:
        found &= Q(taxonomy_detail_id=filters.taxonomy_id)
    if filters.parent_id:
        found &= Q(parent_id=filters.parent_id)
    if filters.top_only:
        found &= Q(parent_id__isnull=True) | Q(parent_id="")
    return TaxonomyTerm.objects.filter(found)


# Places ----------------------------------------------------------------------------------------


def _located(postcode: str, metres: float | None) -> QuerySet[Any]:
    """Location ids: with a physical address at the postcode, or within `metres` of its centre.

    The centre is the mean position of the usable positions of the postcode's locations; a
    postcode without one has no centre, and nothing is near it.
    """
    at_postcode = Address.objects.filter(address_type="physical", postal_code=postcode).values("location_id")
    if metres is None:
        return at_postcode
    centre = Location.objects.filter(id__in=at_postcode, position_usable=True).aggregate(
        latitude=Avg("latitude"), longitude=Avg("longitude")
    )
    if centre["latitude"] is None or centre["longitude"] is None:
        return Location.objects.none().values("id")
    return _within(float(centre["latitude"]), float(centre["longitude"]), metres).values("id")


def _within(latitude: float, longitude: float, metres: float) -> QuerySet[Location]:
    """Usable locations within `metres` of a point, by the haversine formula, in portable SQL."""
    phi, lam = math.radians(latitude), math.radians(longitude)
    here_phi = Radians(Cast("latitude", FloatField()))
    here_lam = Radians(Cast("longitude", FloatField()))
    half_phi = Sin((here_phi - phi) / 2.0)
    half_lam = Sin((here_lam - lam) / 2.0)
    haversine = half_phi * half_phi + math.cos(phi) * Cos(here_phi) * half_lam * half_lam
    limit = math.sin(min(metres / (2 * EARTH_RADIUS_M), math.pi / 2)) ** 2
    located = Location.objects.filter(position_usable=True, latitude__isnull=False, longitude__isnull=False)
    return located.annotate(haversine=haversine).filter(haversine__lte=limit)


# Pages and nesting -----------------------------------------------------------------------------


def _values(table: str, queryset: QuerySet[Any], window: slice | None = None) -> list[dict[str, Any]]:
    attributes = stored_attributes(table)
    stored = queryset.order_by("pk").values(*attributes.values())
    if window is not None:
        stored = stored[window]
    return [{column: row[attribute] for column, attribute in attributes.items()} for row in stored]


def page_rows(
    table: str, queryset: QuerySet[Any], page: int, per_page: int, reach: Reach, *, top_level: bool = True
) -> RowsPage:
    total = queryset.count()
    start = (page - 1) * per_page
    roots = _values(table, queryset, slice(start, start + per_page)) if start < total else []
    return RowsPage(
        total, [row["id"] for row in roots], nested_rows(table, roots, reach, top_level=top_level)
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
