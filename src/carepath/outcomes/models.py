"""Episodes of support: one stretch of peer, professional or combined help for one person.

Scores are not stored here. The person's stored check-ins (`screening.Assessment`) that fall
between an episode's start and end are its measurements, so a score has one home and the
history page and the progress page can never disagree.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Pathway(models.TextChoices):
    PEER = "peer", _("Peer support")
    PROFESSIONAL = "professional", _("Professional support")
    BOTH = "both", _("Peer and professional support")


class Episode(models.Model):
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="episodes")
    pathway = models.CharField(_("kind of support"), max_length=16, choices=Pathway.choices)
    # The directory may drop a listing later; the episode and its outcome stay.
    service = models.ForeignKey(
        "directory.Service", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_on = models.DateField(_("start date"))
    ended_on = models.DateField(_("end date"), null=True, blank=True)
    sessions_attended = models.PositiveIntegerField(_("sessions attended"), default=0)
    # When the person asked for help and when someone first got in touch: engagement figures
    # (waiting time) for the programme report are computed from these two.
    requested_on = models.DateField(_("date help was asked for"), null=True, blank=True)
    first_contact_on = models.DateField(_("date of first contact"), null=True, blank=True)
    # What the episode cost the programme, where it is known (any one currency per installation):
    # the report's "cost per recovered person" reads it; empty means unknown, never free.
    cost = models.DecimalField(_("cost"), max_digits=12, decimal_places=2, null=True, blank=True)
    # The last check-in reminder, so a daily cron job does not send one every day.
    reminded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-started_on", "-id"]
        indexes = [models.Index(fields=["person", "started_on"]), models.Index(fields=["ended_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=models.F("started_on")),
                name="outcomes_episode_ends_after_start",
            ),
        ]
        verbose_name = _("episode of support")
        verbose_name_plural = _("episodes of support")

    def __str__(self) -> str:
        return f"{self.pathway} from {self.started_on:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.ended_on is None
