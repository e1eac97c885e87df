"""What coordinators see when they manage the directory: pages of listings, stale ones flagged.

Built for a directory of a million services: a page reads one more row than it shows to know
whether another page follows, and never counts the whole table. Services are listed by id,
which the primary key orders for free (by name only within one organisation, found by its
indexed link); the stale count stops at `STALE_COUNT_CAP`. A service is found by the words of its
name through the full-text indexes (`record_words`: stemmed, accent-insensitive, every service
whatever its status), not by text inside the name, which read every row (five seconds for a word
no name holds); an organisation by text inside its name (PostgreSQL answers from a trigram index,
SQLite reads the names: organisations are far fewer). A pasted id finds its record either way.

A listing is stale by `carepath_core.directory_freshness`. The database applies the same rule
by comparing `assured_date` with the oldest fresh date and, when there is none, the text of
`last_modified`: RFC 3339 text begins with its date, so it sorts before "YYYY-MM-DD" exactly
when its date is earlier, and empty text sorts first (never checked: stale).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from carepath.directory.models import (
    Address,
    Location,
    LocationType,
    Organization,
    Service,
    ServiceAtLocation,
)
from carepath.directory.record_words import NAME_ONLY, words_condition
from carepath_core.directory_freshness import is_stale, last_checked, oldest_fresh_date
from carepath_core.search.text import query_words

Row = TypeVar("Row")
PAGE_SIZE = 25
STALE_COUNT_CAP = 10_000
LISTING_FIELDS = ("id", "name", "status", "organization_id", "assured_date", "last_modified")


@dataclass(frozen=True)
class Freshness:
    checked: dt.date | None  # None: never checked and never changed, as far as anyone knows
    stale: bool


@dataclass(frozen=True)
class ListedService:
    service: Service
    organization_name: str  # empty when the organisation is not in the directory
    freshness: Freshness


@dataclass(frozen=True)
class ListingPage(Generic[Row]):
    rows: list[Row]
    number: int  # from 1
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def today() -> dt.date:
    return timezone.localdate()


def stale_after_days() -> int:
    return int(settings.CAREPATH_STALE_LISTING_DAYS)


def freshness_of(service: Service) -> Freshness:
    checked = last_checked(service.assured_date, service.last_modified)
    return Freshness(checked, is_stale(checked, today(), stale_after_days()))


def stale_services() -> Q:
    """Services that are stale today, as a database condition."""
    cutoff = oldest_fresh_date(today(), stale_after_days())
    return Q(assured_date__lt=cutoff) | Q(assured_date__isnull=True, last_modified__lt=cutoff.isoformat())


def stale_service_count(cap: int = STALE_COUNT_CAP) -> int:
    """How many services are stale, counting no further than `cap`."""
    return Service.objects.filter(stale_services()).order_by()[:cap].count()


def service_listing(
    *, text: str = "", stale_only: bool = False, organization_id: str = "", page: int = 1
) -> ListingPage[ListedService]:
    found = Service.objects.only(*LISTING_FIELDS)
    if organization_id:
        found = found.filter(organization_id=organization_id).order_by("name", "id")
    else:
        found = found.order_by("id")
    if stale_only:
        found = found.filter(stale_services())
    if text:
        found = found.filter(_named(text, lambda wanted: words_condition(query_words(wanted), NAME_ONLY)))
    services, has_next = _window(found, page)
    names = dict(
        Organization.objects.filter(pk__in={s.organization_id for s in services}).values_list("id", "name")
    )
    rows = [
        ListedService(service, names.get(service.organization_id or "", ""), freshness_of(service))
        for service in services
    ]
    return ListingPage(rows, page, has_next)


def organization_listing(*, text: str = "", page: int = 1) -> ListingPage[Organization]:
    found = Organization.objects.only("id", "name", "website").order_by("name", "id")
    if text:
        found = found.filter(_named(text, lambda wanted: Q(name__icontains=wanted)))
    organizations, has_next = _window(found, page)
    return ListingPage(organizations, page, has_next)


def _named(text: str, by_name: Callable[[str], Q]) -> Q:
    """Records `by_name` finds for the text; a pasted id finds its record by the primary key."""
    wanted = text.strip()
    try:
        return Q(pk=wanted) | Q(pk=str(uuid.UUID(wanted)))  # as stored, or in canonical form
    except ValueError:
        return by_name(wanted)


def _window(found: QuerySet[Any], page: int) -> tuple[list[Any], bool]:
    start = (page - 1) * PAGE_SIZE
    rows = list(found[start : start + PAGE_SIZE + 1])
    return rows[:PAGE_SIZE], len(rows) > PAGE_SIZE


# One record and what hangs from it -----------------------------------------------------------

ORGANIZATION_PAGE_LIMIT = 100  # services and locations shown on an organisation's page


def organization_by_id(organization_id: str) -> Organization | None:
    return Organization.objects.filter(pk=organization_id).first()


def service_by_id(service_id: str) -> Service | None:
    return Service.objects.filter(pk=service_id).first()


def location_by_id(location_id: str) -> Location | None:
    return Location.objects.filter(pk=location_id).first()


def services_of(organization: Organization, limit: int = ORGANIZATION_PAGE_LIMIT) -> list[ListedService]:
    services = Service.objects.filter(organization_id=organization.pk).only(*LISTING_FIELDS)
    return [
        ListedService(service, organization.name, freshness_of(service))
        for service in services.order_by("name", "id")[:limit]
    ]


def locations_of(organization: Organization, limit: int = ORGANIZATION_PAGE_LIMIT) -> list[Location]:
    locations = Location.objects.filter(organization_id=organization.pk).order_by("name", "id")[:limit]
    return list(locations.prefetch_related("addresses"))


def physical_address_of(location: Location) -> Address | None:
    return location.addresses.filter(address_type=LocationType.PHYSICAL).order_by("pk").first()


def location_choices(organization_id: str | None) -> list[tuple[str, str]] | None:
    """(id, label) of the organisation's locations for a service form; None when there are too many
    to list (its services' places are then managed in the admin)."""
    if not organization_id:
        return None
    locations = Location.objects.filter(organization_id=organization_id).order_by("name", "id")
    found = list(locations.values_list("id", "name", "location_type")[: ORGANIZATION_PAGE_LIMIT + 1])
    if len(found) > ORGANIZATION_PAGE_LIMIT:
        return None
    kinds = dict(LocationType.choices)
    return [(pk, f"{name or pk} ({kinds.get(kind, kind)})") for pk, name, kind in found]


def linked_location_ids(service: Service) -> list[str]:
    linked = ServiceAtLocation.objects.filter(service_id=service.pk, location_id__isnull=False)
    return sorted(linked.values_list("location_id", flat=True))
