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


class EpisodeReportRow(models.Model):
    """What the programme report needs from one episode, kept beside it (one row per episode).

    Derived data, never typed in: `report_rows.refresh_report_rows` writes it from the episode and
    its person's check-ins, in the same transaction as every change to either, so the report reads
    one narrow row per episode and lets the database add the rows up (docs/decisions/0003). The flags
    are what the episode adds to its group's counts, decided by `carepath_core` (`episode_counts`),
    never by SQL; `definitions` says which version of those definitions decided them.
    """

    episode = models.OneToOneField(
        Episode, primary_key=True, on_delete=models.CASCADE, related_name="report_row"
    )
    # Copied from the episode so the report filters and groups without a join.
    pathway = models.CharField(max_length=16, choices=Pathway.choices)
    service = models.ForeignKey(
        "directory.Service", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ended_on = models.DateField(null=True, blank=True)
    # What the definitions were given: the first and last totals inside the episode's dates, where
    # the measure has at least two check-ins there.
    sessions_attended = models.PositiveIntegerField()
    depression_first = models.PositiveSmallIntegerField(null=True, blank=True)
    depression_last = models.PositiveSmallIntegerField(null=True, blank=True)
    anxiety_first = models.PositiveSmallIntegerField(null=True, blank=True)
    anxiety_last = models.PositiveSmallIntegerField(null=True, blank=True)
    # What the episode adds to its group's counts.
    started = models.BooleanField()
    dropped_out = models.BooleanField()
    finished = models.BooleanField()
    scored = models.BooleanField()
    not_case_at_start = models.BooleanField()
    recovered = models.BooleanField()
    reliable_improvement = models.BooleanField()
    reliable_recovery = models.BooleanField()
    reliable_deterioration = models.BooleanField()
    wait_days = models.PositiveIntegerField(null=True, blank=True)
    # Whole cents, so that a sum is exact on SQLite too (which would add decimals as floats).
    cost_cents = models.BigIntegerField(null=True, blank=True)
    costed_recovered = models.BooleanField()
    definitions = models.CharField(max_length=16)

    class Meta:
        # No index on ended_on: a report period is usually months long, and reading that share of
        # narrow rows through an index is slower than scanning them all (SQLite, 200,000 episodes).
        verbose_name = _("episode report row")
        verbose_name_plural = _("episode report rows")

    def __str__(self) -> str:
        return f"report row of episode {self.episode_id}"
