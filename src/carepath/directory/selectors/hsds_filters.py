"""Which records an HSDS API list (/hsds/) holds for its filters, and how the database is asked.

A list narrowed by any filter serves its first FILTERED_LIMIT records by id and is counted no
further than one more: at a million services, counting every match of a common word, or of a wide
circle, or reading a page deep into them, took seconds, and the cost of the first N matches in id
order grows with N. An unfiltered list is counted exactly and paged to its end: both engines walk
the primary key's index for that, whatever the depth (the way to fetch everything, as HSDS's
`minimal` list is meant for).

Each filter is a `Narrowing` written two ways: `listed`, the ids of its records read from its own
index (cheap when they are few), and `probed`, a test of one row at a time (cheap when they are
many: the rows are read by id and the reading stops when the page is full). Both engines are told
which: SQLite keeps no statistics here, and PostgreSQL's estimate for several words together was
several times off at a million services (a walk of 120,000 rows: two seconds). Each filter's
candidates are counted in its index up to LISTED_AT_MOST; the fewest, if under that bound, is
listed and drives, and the others are probed; when every filter has more, all are probed while
the primary key is walked. The bound keeps both plans cheap: listing at most that many rows, or,
when a filter matches more than that share of a million services, walking fewer than 50 rows per
record served. A probe keeps SQLite from the filter's own index (`Unindexed`); on PostgreSQL it is
mostly the plain condition, whose plan the planner chooses once the words are settled.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields
from typing import Any

from django.db import connection
from django.db.models import (
    Avg,
    BooleanField,
    Exists,
    F,
    Func,
    Model,
    OuterRef,
    Q,
    QuerySet,
)
from django.db.models.lookups import GreaterThanOrEqual, In

from carepath.directory.models import (
    Address,
    Attribute,
    Location,
    Organization,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from carepath.directory.record_words import NAME_AND_DESCRIPTION, count_with_words, has_words, ids_with_words
from carepath.directory.selectors.hsds_places import within
from carepath_core.search.text import query_words

FILTERED_LIMIT = 1_000  # records a filtered list serves, at most (ten pages of 100)
LISTED_AT_MOST = 20_000  # a filter with more candidates is probed row by row
# A stored last_modified keeps its own offset (at most ±23:59), so text comparison is exact only
# outside this margin around the wanted moment; inside it, values are parsed and compared.
OFFSET_MARGIN = dt.timedelta(hours=26)
EPOCH = dt.datetime(1970, 1, 1)


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
class Narrowing:
    listed: Q  # its records, from its own index
    probed: Q  # the same records, as a test of each row
    count: Callable[[int], int] | None = None  # its candidates, counted up to a bound; None: always few


@dataclass(frozen=True)
class Listing:
    records: QuerySet[Any]
    served: int | None  # the first this many records by id, at most; None: every record


class Unindexed(Func):
    """A column's value that SQLite may not look up in an index (`+column`): read as the rows come.
    PostgreSQL has no such hint (nor a unary plus for text): there it is the column."""

    template = "+%(expressions)s"

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        sql, params = compiler.compile(self.get_source_expressions()[0])
        return sql, list(params)


class Tested(Func):
    """PostgreSQL: a condition its planner keeps as a test of each row (its subquery hashed once),
    where it would otherwise turn it into a join."""

    template = "(%(expressions)s) IS TRUE"
    output_field = BooleanField()


def _scan(model: type[Model], condition: Q) -> Narrowing:
    """A filter no index answers (text inside a column), bounded by its table's size.

    Listed, its table is read in storage order and the matches' ids sorted: reading the rows by id
    instead would read them in random order, all of them when few match (seconds for SQLite at
    420,000 organisations, rather than a quarter of one). It is listed unless another filter has
    fewer candidates than LISTED_AT_MOST, which then drives with this one tested on its rows.
    """
    listed = Q(pk__in=model._default_manager.filter(condition).order_by().values("pk"))
    return Narrowing(listed, condition, lambda at_most: at_most - 1)


def _listing(model: type[Model], narrowings: list[Narrowing]) -> Listing:
    records = model._default_manager.all()
    if not narrowings:
        return Listing(records, None)
    return Listing(records.filter(_condition(narrowings)), FILTERED_LIMIT)


def _condition(narrowings: list[Narrowing]) -> Q:
    driver = _driver(narrowings)
    found = Q()
    for narrowing in narrowings:
        found &= narrowing.listed if narrowing is driver else narrowing.probed
    return found


def _driver(narrowings: list[Narrowing]) -> Narrowing | None:
    """The filter that should drive the plan: always-few first, else the fewest candidates."""
    for narrowing in narrowings:
        if narrowing.count is None:
            return narrowing  # before counting the others: their counts are not needed
    counts = [(index, narrowing.count) for index, narrowing in enumerate(narrowings)]
    size, index = min((count(LISTED_AT_MOST), index) for index, count in counts if count is not None)
    return narrowings[index] if size < LISTED_AT_MOST else None


# The filters, each as a narrowing of rows whose service id is in `field` -------------------------


def _words(text: str, field: str) -> Narrowing:
    """Services with every word of the text in their name or description (`record_words`)."""
    words = query_words(text)
    return Narrowing(
        ids_with_words(words, NAME_AND_DESCRIPTION, field),
        has_words(words, NAME_AND_DESCRIPTION, field),
        lambda at_most: count_with_words(words, NAME_AND_DESCRIPTION, at_most),
    )


def _tagged(filters: RecordFilters, fields: tuple[str, ...]) -> list[Narrowing]:
    """Records an attribute gives the term, or a term of the taxonomy (attributes name them by id);
    with two fields, a row whose record in either has it."""
    wanted = []
    if filters.taxonomy_term_id:
        wanted.append(Attribute.objects.filter(taxonomy_term_id=filters.taxonomy_term_id))
    if filters.taxonomy_id:
        wanted.append(Attribute.objects.filter(taxonomy_term__taxonomy_detail_id=filters.taxonomy_id))
    return [_attributed(attributes.order_by(), fields) for attributes in wanted]


def _attributed(attributes: QuerySet[Attribute], fields: tuple[str, ...]) -> Narrowing:
    listed, probed = Q(), Q()
    for field in fields:
        listed |= Q(**{f"{field}__in": attributes.values("link_id")})
        probed |= Q(Exists(attributes.filter(link_id=OuterRef(field))))
    return Narrowing(listed, probed, lambda at_most: attributes.values("id")[:at_most].count())


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


def _modified_since(after: dt.datetime, field: str) -> Narrowing:
    """Services whose last_modified (RFC 3339 text with its own offset) is on or after `after`.

    Text at or past `high` is surely later; the few values near the moment are read (through the
    index on last_modified) and compared as moments."""
    wanted, margin = _utc_seconds(after), OFFSET_MARGIN.total_seconds()
    low, high = _stored_text(wanted - margin), _stored_text(wanted + margin)
    near = Service.objects.filter(last_modified__gte=low, last_modified__lt=high)
    texts = near.order_by().values_list("last_modified", flat=True).distinct()
    on_or_after = sorted(text for text in texts if _utc_seconds(dt.datetime.fromisoformat(text)) >= wanted)
    modified = Service.objects.filter(Q(last_modified__gte=high) | Q(last_modified__in=on_or_after))
    unindexed = Unindexed(F("last_modified"))
    # An empty IN list is refused by Django, so the moment's side is left out when nothing is near it.
    probe = Q(GreaterThanOrEqual(unindexed, high))
    if on_or_after:
        probe |= Q(In(unindexed, on_or_after))
    probed = probe if field == "id" else Q(Exists(Service.objects.filter(probe, id=OuterRef(field))))
    return Narrowing(
        Q(**{f"{field}__in": modified.order_by().values("id")}),
        probed,
        lambda at_most: modified.order_by().values("id")[:at_most].count(),
    )


def _provided_by(organization_id: str, field: str) -> Narrowing:
    """An organisation's services: always few, found by the index on the link."""
    if field == "id":
        own = Q(organization_id=organization_id)
        return Narrowing(own, own)
    services = Service.objects.filter(organization_id=organization_id).order_by().values("id")
    return Narrowing(Q(**{f"{field}__in": services}), Q(**{f"{field}__in": services}))


def _service_narrowings(filters: RecordFilters, field: str) -> list[Narrowing]:
    found = []
    if filters.organization_id:
        found.append(_provided_by(filters.organization_id, field))
    if filters.search:
        found.append(_words(filters.search, field))
    if filters.modified_after:
        found.append(_modified_since(filters.modified_after, field))
    return found


# Places ----------------------------------------------------------------------------------------


def _located(postcode: str, metres: float | None) -> Narrowing:
    """Services at locations with a physical address at the postcode, or within `metres` of its centre.

    The centre is the mean position of the usable positions of the postcode's locations; a
    postcode without one has no centre, and nothing is near it.
    """
    at_postcode = Address.objects.filter(address_type="physical", postal_code=postcode).order_by()
    if metres is None:
        return Narrowing(
            Q(location_id__in=at_postcode.values("location_id")),
            Q(Exists(at_postcode.filter(location_id=OuterRef("location_id")))),
            lambda at_most: at_postcode.values("id")[:at_most].count(),
        )
    centre = Location.objects.filter(
        id__in=at_postcode.values("location_id"), position_usable=True
    ).aggregate(latitude=Avg("latitude"), longitude=Avg("longitude"))
    if centre["latitude"] is None or centre["longitude"] is None:
        return Narrowing(Q(pk__in=[]), Q(pk__in=[]), lambda at_most: 0)
    near = within(float(centre["latitude"]), float(centre["longitude"]), metres).order_by()
    # Probed, the positions in range are read once (from their index alone) into a set each row's
    # location is looked up in, while the rows are read by id: a join would look up every row of
    # every location in range, then sort them (a second at 200 km around a town of the demo).
    if connection.vendor == "postgresql":
        probed = Q(Tested(In(F("location_id"), near.values("id"))))
    else:
        probed = Q(In(Unindexed(F("location_id")), near.values("id")))
    return Narrowing(
        Q(location_id__in=near.values("id")),
        probed,
        lambda at_most: near.values("id")[:at_most].count(),
    )


# The lists -------------------------------------------------------------------------------------


def services(filters: RecordFilters) -> Listing:
    narrowings = _tagged(filters, ("id",)) + _service_narrowings(filters, "id")
    return _listing(Service, narrowings)


def service_at_locations(filters: RecordFilters) -> Listing:
    """Services at locations: by their service's filters, tagged through their service or themselves."""
    narrowings = _tagged(filters, ("service_id", "id")) + _service_narrowings(filters, "service_id")
    if filters.postcode:
        narrowings.append(_located(filters.postcode, filters.proximity))
    return _listing(ServiceAtLocation, narrowings)


def _contains(columns: Iterable[str], text: str) -> Q:
    found = Q()
    for column in columns:
        found |= Q(**{f"{column}__icontains": text})
    return found


def organizations(filters: RecordFilters) -> Listing:
    """Organisations: `search` is text inside the name, alternate name or description (on PostgreSQL
    through trigram indexes; SQLite reads each organisation, as they are far fewer than services)."""
    narrowings = _tagged(filters, ("id",))
    if filters.search:
        narrowings.append(
            _scan(Organization, _contains(("name", "alternate_name", "description"), filters.search))
        )
    return _listing(Organization, narrowings)


def taxonomies(filters: RecordFilters) -> Listing:
    narrowings = (
        [_scan(Taxonomy, _contains(("name", "description"), filters.search))] if filters.search else []
    )
    return _listing(Taxonomy, narrowings)


def taxonomy_terms(filters: RecordFilters) -> Listing:
    found = Q()
    if filters.search:
        found &= _contains(("code", "name", "description"), filters.search)
    if filters.taxonomy_id:
        found &= Q(taxonomy_detail_id=filters.taxonomy_id)
    if filters.parent_id:
        found &= Q(parent_id=filters.parent_id)
    if filters.top_only:
        found &= Q(parent_id__isnull=True) | Q(parent_id="")
    return _listing(TaxonomyTerm, [_scan(TaxonomyTerm, found)] if found else [])
