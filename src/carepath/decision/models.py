"""Loaded stepped-care rule sets (one active) and the recommendations people chose to keep."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RuleSetVersion(models.Model):
    rule_set_id = models.CharField(max_length=100)
    version = models.CharField(max_length=50)
    document = models.JSONField()
    loaded_at = models.DateTimeField(auto_now_add=True)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    active = models.BooleanField(default=False)

    class Meta:
        ordering = ["-loaded_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["active"], condition=models.Q(active=True), name="one_active_rule_set"
            )
        ]
        verbose_name = _("rule set version")

    def __str__(self) -> str:
        return f"{self.rule_set_id} {self.version}{' (active)' if self.active else ''}"


class SavedRecommendation(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recommendations"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    inputs = models.JSONField()
    pathway = models.CharField(max_length=20)
    minimum_level = models.CharField(max_length=20)
    rule_set_id = models.CharField(max_length=100)
    rule_set_version = models.CharField(max_length=50)
    rule_id = models.CharField(max_length=100)
    reasons = models.JSONField(default=list)
    fit = models.JSONField(default=dict)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("saved recommendation")

    def __str__(self) -> str:
        return f"{self.pathway} ({self.created_at:%Y-%m-%d})"
