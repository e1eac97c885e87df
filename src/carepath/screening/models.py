"""Stored check-ins: a completed questionnaire kept for the person who chose to keep it."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Assessment(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assessments")
    instrument = models.CharField(_("questionnaire"), max_length=16)
    instrument_version = models.CharField(max_length=16)
    # Answers by item id; the score is kept beside them so history never depends on re-scoring.
    answers = models.JSONField()
    total = models.PositiveSmallIntegerField()
    band_index = models.PositiveSmallIntegerField()
    band_label = models.CharField(max_length=120)
    caseness = models.BooleanField(null=True)
    risk_items = models.JSONField(default=list, blank=True)
    said_in_danger = models.BooleanField(default=False)
    completed_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-completed_at"]
        indexes = [models.Index(fields=["person", "instrument", "completed_at"])]
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")

    def __str__(self) -> str:
        return f"{self.instrument} {self.total} ({self.completed_at:%Y-%m-%d})"
