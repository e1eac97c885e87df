"""Giving a person everything Carepath holds about them: as one JSON document or a FHIR R4 Bundle.

The export is audited (`account.exported`, with the format only) in the same transaction that
reads it, so the event and the data it describes are one consistent picture.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.db import transaction
from django.utils import timezone

from carepath import policy
from carepath.audit.models import AuditAction
from carepath.audit.services import record_event
from carepath.audit.subjects import ACCOUNT
from carepath.errors import NotPermitted
from carepath.rights.selectors import personal_data_document, personal_data_fhir


class ExportFormat(StrEnum):
    JSON = "json"
    FHIR = "fhir"


def export_account(*, actor: Any, account: Any, export_format: ExportFormat) -> dict[str, Any]:
    if not policy.can_export_account(actor, account):
        raise NotPermitted("only the account itself may export its data")
    with transaction.atomic():
        now = timezone.now()
        if export_format is ExportFormat.FHIR:
            document = personal_data_fhir(account, now)
        else:
            document = personal_data_document(account, now)
        record_event(
            actor=actor,
            action=AuditAction.ACCOUNT_EXPORTED,
            subject_type=ACCOUNT,
            subject_id=account.pk,
            details={"format": export_format.value},
        )
    return document
