"""Which services a change to a directory record reaches: their search entries must follow it.

A service's search entry is built from the service and what hangs from it (its organisation's
name, its places through service_at_location, its schedules, costs, languages, …), so a change
to any of those reaches the service. Records that name no service reach none.
"""

from __future__ import annotations

from django.db import models

from carepath.directory.models import Location, Organization, Service, ServiceAtLocation


def service_ids_reached_by(record: models.Model) -> set[str]:
    if isinstance(record, Service):
        return {record.pk}
    if isinstance(record, Organization):
        return set(Service.objects.filter(organization_id=record.pk).values_list("id", flat=True))
    if isinstance(record, Location):
        return _at_location(record.pk)
    reached: set[str] = set()
    service_id = getattr(record, "service_id", None)
    if service_id:
        reached.add(service_id)
    location_id = getattr(record, "location_id", None)
    if location_id and not isinstance(record, ServiceAtLocation):
        reached |= _at_location(location_id)
    link_id = getattr(record, "service_at_location_id", None)
    if link_id:
        reached |= set(ServiceAtLocation.objects.filter(pk=link_id).values_list("service_id", flat=True))
    return {service_id for service_id in reached if service_id}


def _at_location(location_id: str) -> set[str]:
    linked = ServiceAtLocation.objects.filter(location_id=location_id, service_id__isnull=False)
    return set(linked.values_list("service_id", flat=True))
