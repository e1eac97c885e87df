"""Changes coordinators make to HSDS records in the Django admin, audited like every other change.

The admin checks each field's type only; the editing pages (`editing`) apply the HSDS checks.
Here the admin's save and delete get what every change gets: the coordinator check, a
transaction, the audit event, a service's `last_modified` set to now, and a location's
`position_usable` worked out from its coordinates exactly as an import does, and the search
entries of the services the change reaches refreshed in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models, transaction

from carepath import policy
from carepath.audit.models import AuditAction
from carepath.audit.services import record_event
from carepath.directory.models import Location, Service
from carepath.directory.selectors.affected_services import service_ids_reached_by
from carepath.directory.services.editing import now_rfc3339
from carepath.directory.services.search_index import refresh_search_entries
from carepath.errors import NotPermitted
from carepath.interop.hsds_values import position_problems


def save_from_admin(*, actor: Any, record: models.Model, created: bool, fields: Iterable[str]) -> None:
    if not policy.can_manage_directory(actor):
        raise NotPermitted("only coordinators may change the directory")
    with transaction.atomic():
        stored = None if created else type(record)._default_manager.filter(pk=record.pk).first()
        reached = service_ids_reached_by(stored) if stored is not None else set()
        if isinstance(record, Service):
            record.last_modified = now_rfc3339()
        if isinstance(record, Location):
            coordinates = {"latitude": record.latitude, "longitude": record.longitude}
            record.position_usable = position_problems(coordinates)[0]
        record.save()
        refresh_search_entries(reached | service_ids_reached_by(record))
        record_event(
            actor=actor,
            action=AuditAction.DIRECTORY_RECORD_CREATED if created else AuditAction.DIRECTORY_RECORD_CHANGED,
            subject_type=record._meta.model_name or "",
            subject_id=record.pk,
            details={"fields": sorted(fields), "via": "admin"},
        )


def delete_from_admin(*, actor: Any, records: Iterable[models.Model]) -> int:
    """Delete the records (what they own goes with them); one audit event per record. Returns how many."""
    if not policy.can_manage_directory(actor):
        raise NotPermitted("only coordinators may change the directory")
    deleted = 0
    with transaction.atomic():
        for record in records:
            subject_type, subject_id = record._meta.model_name or "", record.pk
            reached = service_ids_reached_by(record)
            record.delete()
            refresh_search_entries(reached)
            record_event(
                actor=actor,
                action=AuditAction.DIRECTORY_RECORD_DELETED,
                subject_type=subject_type,
                subject_id=subject_id,
                details={"via": "admin"},
            )
            deleted += 1
    return deleted
