"""Where a service is offered: its links (HSDS service_at_location) to its organisation's locations.

Called by the editing services inside their transaction, which writes the audit event and
refreshes the search entry: a service's places come from these links.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection

from carepath.directory.models import Location, ServiceAtLocation
from carepath.directory.services.edit_checks import InvalidRecord
from carepath.errors import ApplicationError

LOCATIONS_FIELD = "locations"  # how forms and the audit trail name the service's places


def link_locations(*, service_id: str, organization_id: str | None, location_ids: Iterable[str]) -> bool:
    """Make the service offered at exactly these locations of its organisation; True if that changed.

    A location of another organisation, or one that does not exist, is refused; links an import
    made to other organisations' locations are left alone. Removing a link deletes that
    service_at_location; what hung from it (its schedules, phones, …) stays, unlinked.
    """
    if not connection.in_atomic_block:
        raise ApplicationError("a service's places must change in the transaction of the change")
    wanted = set(location_ids)
    of_organization = Location.objects.filter(organization_id=organization_id)
    own = set(of_organization.filter(pk__in=wanted).values_list("id", flat=True))
    if wanted - own:
        unknown = ", ".join(sorted(wanted - own))
        raise InvalidRecord([(LOCATIONS_FIELD, f"{unknown} is not a location of the service's organisation")])
    links = ServiceAtLocation.objects.filter(
        service_id=service_id, location_id__in=of_organization.values("id")
    )
    current = set(links.values_list("location_id", flat=True))
    links.filter(location_id__in=current - wanted).delete()
    ServiceAtLocation.objects.bulk_create(
        ServiceAtLocation(service_id=service_id, location_id=location_id)
        for location_id in sorted(wanted - current)
    )
    return wanted != current
