"""What every HSDS record shares: a string id (HSDS ids are UUIDs written as text) and field kinds.

Links between records are foreign keys without a database constraint: HSDS data may name a
record published elsewhere (a parent organisation, a taxonomy), and the importer decides which
unknown references it refuses and which it keeps (see `docs/hsds.md`). Read links through their
`*_id` attribute; the related object may be missing.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import models

HSDS_ID_LENGTH = 36  # a UUID in its canonical text form
COORDINATE_PLACES = 12


def new_hsds_id() -> str:
    return str(uuid.uuid4())


class HsdsRecord(models.Model):
    id = models.CharField(primary_key=True, max_length=HSDS_ID_LENGTH, default=new_hsds_id, editable=False)

    class Meta:
        abstract = True


def text(label: Any) -> Any:
    """HSDS free text: unbounded, empty when absent (HSDS does not tell empty from absent)."""
    return models.TextField(label, blank=True)


def short_text(label: Any, length: int = 32) -> Any:
    """A validated short value: a time of day, an RFC 3339 date-time, an enumeration."""
    return models.CharField(label, max_length=length, blank=True)


def number(label: Any) -> Any:
    return models.DecimalField(label, max_digits=20, decimal_places=6, null=True, blank=True)


def whole_number(label: Any) -> Any:
    return models.IntegerField(label, null=True, blank=True)


def flag(label: Any) -> Any:
    """A yes/no that may be unknown (None): a profile field a plain HSDS record leaves out."""
    return models.BooleanField(label, null=True, blank=True)


def text_list(label: Any) -> Any:
    """A list of short texts (codes), stored as a JSON array; None when the record gives none."""
    return models.JSONField(label, null=True, blank=True)


def date(label: Any) -> Any:
    return models.DateField(label, null=True, blank=True)


def reference_id(label: Any) -> Any:
    """The id of a record of any table (attribute.link_id, metadata.resource_id)."""
    return models.CharField(label, max_length=HSDS_ID_LENGTH, blank=True, db_index=True)


def link(target: str, related_name: str, *, owned: bool = False, **options: Any) -> Any:
    """A link to another HSDS record. `owned` records go with their owner; shared ones stay."""
    return models.ForeignKey(
        f"directory.{target}",
        null=True,
        blank=True,
        on_delete=models.CASCADE if owned else models.SET_NULL,
        db_constraint=False,
        related_name=related_name,
        **options,
    )
