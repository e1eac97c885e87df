"""Coordinators' changes to organisations, services and locations, one audited transaction each.

Values are HSDS columns -> Python values, checked by `edit_checks` (the importer's rules, and a
few more for people typing); a problem raises `InvalidRecord` naming every field, and nothing
is written. An update checks the whole record as it would be after the change, so a problem
left by an import shows beside its field on the next edit.

A service may also be given the locations of its organisation where it is offered
(`service_places`). Every change to a service sets its `last_modified` to now (RFC 3339, UTC);
`checked_today` sets its `assured_date` to today: someone confirmed the listing is right, so it
is no longer stale (`carepath_core.directory_freshness`). Organisations keep their own
`last_modified` (the model sets it on every save). Each change refreshes the search entries of
the services it reaches, in its transaction. The audit event names the fields changed, not the
values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.db import models, transaction
from django.utils import timezone

from carepath import policy
from carepath.audit.models import AuditAction
from carepath.audit.services import record_event
from carepath.directory.models import Address, Location, LocationType, Organization, Service
from carepath.directory.selectors.affected_services import service_ids_reached_by
from carepath.directory.selectors.listings import physical_address_of
from carepath.directory.services.edit_checks import (
    EDITABLE_COLUMNS,
    InvalidRecord,
    Problems,
    check_values,
    checked_values,
)
from carepath.directory.services.search_index import refresh_search_entries
from carepath.directory.services.service_places import LOCATIONS_FIELD, link_locations
from carepath.errors import NotPermitted

Record = TypeVar("Record", bound=models.Model)
ADDRESS_KEY = "physical_address"  # how the audit trail names a location's address among its fields


@dataclass(frozen=True)
class Saved(Generic[Record]):
    record: Record
    changed: tuple[str, ...] = field(default=())  # the columns whose value changed; empty: nothing did


def now_rfc3339() -> str:
    """This moment in UTC as RFC 3339 text, to the second, as HSDS `last_modified` holds it."""
    return timezone.now().astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _require_manager(actor: Any) -> None:
    if not policy.can_manage_directory(actor):
        raise NotPermitted("only coordinators may change the directory")


# Organisations -------------------------------------------------------------------------------


def create_organization(*, actor: Any, values: Mapping[str, Any]) -> Organization:
    _require_manager(actor)
    stored = checked_values("organization", values)
    with transaction.atomic():
        organization = Organization(**stored)
        organization.save(force_insert=True)
        _audit(actor, AuditAction.DIRECTORY_RECORD_CREATED, "organization", organization.pk, _filled(stored))
    return organization


def update_organization(
    *, actor: Any, organization: Organization, values: Mapping[str, Any]
) -> Saved[Organization]:
    _require_manager(actor)
    with transaction.atomic():
        current = Organization.objects.select_for_update().get(pk=organization.pk)
        stored = checked_values("organization", {**_editable(current, "organization"), **values})
        changed = _apply(current, stored)
        if changed:
            current.save()
            refresh_search_entries(service_ids_reached_by(current))  # its services show its name
            _audit(actor, AuditAction.DIRECTORY_RECORD_CHANGED, "organization", current.pk, changed)
    return Saved(current, changed)


# Services ------------------------------------------------------------------------------------


def create_service(
    *,
    actor: Any,
    organization: Organization,
    values: Mapping[str, Any],
    checked_today: bool = False,
    location_ids: Iterable[str] = (),
) -> Service:
    """A service of the organisation, offered at `location_ids` (locations of that organisation)."""
    _require_manager(actor)
    stored = checked_values("service", _with_check(values, checked_today))
    with transaction.atomic():
        service = Service(organization_id=organization.pk, last_modified=now_rfc3339(), **stored)
        service.save(force_insert=True)
        placed = link_locations(
            service_id=service.pk, organization_id=organization.pk, location_ids=location_ids
        )
        refresh_search_entries([service.pk])
        _audit(
            actor,
            AuditAction.DIRECTORY_RECORD_CREATED,
            "service",
            service.pk,
            [*_filled(stored), LOCATIONS_FIELD] if placed else _filled(stored),
            checked_today=checked_today,
        )
    return service


def update_service(
    *,
    actor: Any,
    service: Service,
    values: Mapping[str, Any],
    checked_today: bool = False,
    location_ids: Iterable[str] | None = None,
) -> Saved[Service]:
    """Change the service; with `location_ids`, it is offered at exactly those locations afterwards."""
    _require_manager(actor)
    with transaction.atomic():
        current = Service.objects.select_for_update().get(pk=service.pk)
        merged = {**_editable(current, "service"), **_with_check(values, checked_today)}
        changed = _apply(current, checked_values("service", merged))
        if location_ids is not None and link_locations(
            service_id=current.pk, organization_id=current.organization_id, location_ids=location_ids
        ):
            changed = (*changed, LOCATIONS_FIELD)
        _save_service(actor, current, changed, checked_today)
    return Saved(current, changed)


def mark_service_checked(*, actor: Any, service: Service) -> Saved[Service]:
    """Confirm the listing is right as it stands: only its assured date changes (to today)."""
    _require_manager(actor)
    with transaction.atomic():
        current = Service.objects.select_for_update().get(pk=service.pk)
        changed = _apply(current, {"assured_date": timezone.localdate()})
        _save_service(actor, current, changed, checked_today=True)
    return Saved(current, changed)


def _with_check(values: Mapping[str, Any], checked_today: bool) -> dict[str, Any]:
    return {**values, "assured_date": timezone.localdate()} if checked_today else dict(values)


def _save_service(actor: Any, service: Service, changed: tuple[str, ...], checked_today: bool) -> None:
    if not changed:
        return
    service.last_modified = now_rfc3339()
    service.save()
    refresh_search_entries([service.pk])
    _audit(
        actor,
        AuditAction.DIRECTORY_RECORD_CHANGED,
        "service",
        service.pk,
        changed,
        checked_today=checked_today,
    )


# Locations -----------------------------------------------------------------------------------


def create_location(
    *,
    actor: Any,
    organization: Organization,
    values: Mapping[str, Any],
    address: Mapping[str, Any] | None = None,
) -> Location:
    """A location of the organisation, with its physical address when `address` is given."""
    _require_manager(actor)
    stored, address_values = _checked_location(values, address)
    with transaction.atomic():
        location = Location(organization_id=organization.pk, **stored)
        location.save(force_insert=True)
        if address_values is not None:
            Address.objects.create(location_id=location.pk, **address_values)
        fields = [*_filled(stored), ADDRESS_KEY] if address_values is not None else _filled(stored)
        _audit(actor, AuditAction.DIRECTORY_RECORD_CREATED, "location", location.pk, fields)
    return location


def update_location(
    *, actor: Any, location: Location, values: Mapping[str, Any], address: Mapping[str, Any] | None
) -> Saved[Location]:
    """Change the location; its physical address becomes `address`, or goes when that is None."""
    _require_manager(actor)
    with transaction.atomic():
        current = Location.objects.select_for_update().get(pk=location.pk)
        stored, address_values = _checked_location({**_editable(current, "location"), **values}, address)
        changed = _apply(current, stored)
        if changed:
            current.save()
        if _replace_address(current, address_values):
            changed = (*changed, ADDRESS_KEY)
        if changed:
            refresh_search_entries(service_ids_reached_by(current))  # the services offered there
            _audit(actor, AuditAction.DIRECTORY_RECORD_CHANGED, "location", current.pk, changed)
    return Saved(current, changed)


def _checked_location(
    values: Mapping[str, Any], address: Mapping[str, Any] | None
) -> tuple[dict[str, Any], dict[str, Any] | None]:
    stored, problems = check_values("location", values)
    address_values = None
    if address is not None:
        address_values, address_problems = check_values(
            "address", {**address, "address_type": LocationType.PHYSICAL.value}
        )
        problems += address_problems
    if problems:
        raise InvalidRecord(problems)
    return stored, address_values


def _replace_address(location: Location, values: dict[str, Any] | None) -> bool:
    """Make the location's physical address hold `values` (None: remove it); True if anything changed."""
    existing = physical_address_of(location)
    if values is None:
        if existing is not None:
            existing.delete()
        return existing is not None
    if existing is None:
        Address.objects.create(location_id=location.pk, **values)
        return True
    if _apply(existing, values):
        existing.save()
        return True
    return False


# Shared --------------------------------------------------------------------------------------


def _editable(record: models.Model, table: str) -> dict[str, Any]:
    return {column: getattr(record, column) for column in EDITABLE_COLUMNS[table]}


def _filled(stored: Mapping[str, Any]) -> list[str]:
    return [column for column, value in stored.items() if value is not None and value != ""]


def _apply(record: models.Model, stored: Mapping[str, Any]) -> tuple[str, ...]:
    """Set the values on the record; returns the names of those that changed."""
    changed = []
    for column, value in stored.items():
        if getattr(record, column) != value:
            setattr(record, column, value)
            changed.append(column)
    return tuple(changed)


def _audit(
    actor: Any,
    action: AuditAction,
    table: str,
    record_id: object,
    fields: Any,
    *,
    checked_today: bool = False,
) -> None:
    details: dict[str, Any] = {"fields": sorted(fields)}
    if checked_today:
        details["checked_today"] = True
    record_event(actor=actor, action=action, subject_type=table, subject_id=record_id, details=details)


__all__ = [
    "InvalidRecord",
    "Problems",
    "Saved",
    "create_location",
    "create_organization",
    "create_service",
    "mark_service_checked",
    "now_rfc3339",
    "update_location",
    "update_organization",
    "update_service",
]
