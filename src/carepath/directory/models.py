"""Organisations in the directory, on the Open Referral HSDS 3.1 `organization` object.

Field names follow HSDS so the full directory (services, locations, schedules) can be added
beside it and the HSDS import/export maps one to one.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class Organization(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=255)
    alternate_name = models.CharField(_("alternate name"), max_length=255, blank=True)
    description = models.TextField(_("description"))
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    legal_status = models.CharField(_("legal status"), max_length=255, blank=True)
    year_incorporated = models.PositiveSmallIntegerField(_("year incorporated"), null=True, blank=True)
    last_modified = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name
