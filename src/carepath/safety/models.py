"""Safety plans, the person's consent to risk alerts, and the risk flags raised under it.

The plan's steps and a coordinator's review note are encrypted at rest (carepath.encryption).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from carepath.encryption.fields import EncryptedTextField

# The six steps of a safety plan, in order (after Stanley & Brown 2012), in our own wording.
PLAN_STEP_TITLES = {
    "warning_signs": _("Signs that a crisis may be building"),
    "coping_on_my_own": _("Things I can do on my own to cope"),
    "people_and_places": _("People and places that take my mind off things"),
    "people_to_ask": _("People I can ask for help"),
    "professionals_and_lines": _("Professionals and crisis lines I can contact"),
    "safer_surroundings": _("Making my surroundings safer"),
}
PLAN_STEPS = tuple(PLAN_STEP_TITLES)


class SafetyPlan(models.Model):
    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="safety_plan"
    )
    warning_signs = EncryptedTextField(PLAN_STEP_TITLES["warning_signs"], blank=True)
    coping_on_my_own = EncryptedTextField(PLAN_STEP_TITLES["coping_on_my_own"], blank=True)
    people_and_places = EncryptedTextField(PLAN_STEP_TITLES["people_and_places"], blank=True)
    people_to_ask = EncryptedTextField(PLAN_STEP_TITLES["people_to_ask"], blank=True)
    professionals_and_lines = EncryptedTextField(PLAN_STEP_TITLES["professionals_and_lines"], blank=True)
    safer_surroundings = EncryptedTextField(PLAN_STEP_TITLES["safer_surroundings"], blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("safety plan")
        verbose_name_plural = _("safety plans")

    def __str__(self) -> str:
        return f"Safety plan of {self.person_id}"


class RiskAlertConsent(models.Model):
    """Whether the person agreed that a coordinator may be told when their answers show risk."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="risk_alert_consent"
    )
    granted = models.BooleanField(default=False)
    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Risk alerts {'allowed' if self.granted else 'not allowed'} by {self.person_id}"


class RiskFlagStatus(models.TextChoices):
    OPEN = "open", _("Waiting for review")
    REVIEWED = "reviewed", _("Reviewed")


class RiskFlag(models.Model):
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="risk_flags")
    assessment = models.ForeignKey(
        "screening.Assessment", null=True, blank=True, on_delete=models.SET_NULL, related_name="risk_flags"
    )
    reasons = models.JSONField(default=list)
    raised_at = models.DateTimeField(auto_now_add=True, db_index=True)
    status = models.CharField(max_length=16, choices=RiskFlagStatus.choices, default=RiskFlagStatus.OPEN)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = EncryptedTextField(blank=True)

    class Meta:
        ordering = ["status", "-raised_at"]
        verbose_name = _("risk flag")
        verbose_name_plural = _("risk flags")

    def __str__(self) -> str:
        return f"Risk flag {self.pk} ({self.status})"
