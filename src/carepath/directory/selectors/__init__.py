"""Reading the directory."""

from __future__ import annotations

from carepath.directory.models import Organization, Service


def organizations(limit: int = 50) -> list[Organization]:
    return list(Organization.objects.order_by("name")[:limit])


def organization_count() -> int:
    return Organization.objects.count()


def any_services_exist() -> bool:
    return Service.objects.exists()
