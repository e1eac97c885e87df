"""Profiles for matching: peer supporters, professionals, and a help-seeker's matching wishes.

Weekly hours are kept twice on purpose: `hours` as the person entered them (days, local times,
their UTC offset), so the form shows them back unchanged, and `availability`, the same hours as
minutes of the UTC week, which is what the matching core compares (docs/matching.md).
A peer supporter's `current_load` is a stored number: accepting a referral adds one and ending
it takes one away, and it also counts people the supporter sees outside Carepath.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from carepath.encryption.fields import EncryptedTextField


class Modality(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    PHONE = "phone", _("By phone")


class WeeklyHours(models.Model):
    """Fields shared by every profile that says when someone is free and how they meet."""

    languages = models.JSONField(_("languages"), default=list, blank=True)
    hours = models.JSONField(_("hours as entered"), default=list, blank=True)
    utc_offset = models.CharField(_("UTC offset"), max_length=6, default="+00:00")
    availability = models.JSONField(_("availability (minutes of the UTC week)"), default=list, blank=True)
    modalities = models.JSONField(_("ways of meeting"), default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class PeerSupporterProfile(WeeklyHours):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="peer_supporter_profile"
    )
    topics = models.JSONField(_("lived-experience topics"), default=list, blank=True)
    experience = models.TextField(_("experience in their own words"), blank=True)
    # Shown to people looking for support only when the supporter wrote something here.
    shared_identity = models.TextField(_("about me, if I choose to share"), blank=True)
    # Private: used for distance only, never shown or returned by the API.
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    max_distance_km = models.FloatField(_("furthest I travel (km)"), null=True, blank=True)
    capacity = models.PositiveSmallIntegerField(_("most people at once"), default=0)
    current_load = models.PositiveSmallIntegerField(_("people supported now"), default=0)
    training = models.CharField(_("training"), max_length=200, blank=True)
    trained_on = models.DateField(_("training completed"), null=True, blank=True)
    certification = models.CharField(_("certification"), max_length=200, blank=True)
    certified_on = models.DateField(_("certified on"), null=True, blank=True)
    supervisor_name = models.CharField(_("supervisor"), max_length=120, blank=True)
    confidentiality_statement = models.TextField(_("confidentiality statement"), blank=True)
    # The directory may drop a listing; the supporter's profile stays.
    service = models.ForeignKey(
        "directory.Service", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    active = models.BooleanField(_("taking part in matching"), default=True)

    class Meta:
        verbose_name = _("peer supporter profile")
        verbose_name_plural = _("peer supporter profiles")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(current_load__lte=models.F("capacity")),
                name="matching_supporter_load_within_capacity",
            ),
        ]

    def __str__(self) -> str:
        return f"peer supporter profile {self.pk}"


class ProfessionalProfile(WeeklyHours):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="professional_profile"
    )
    licence_type = models.CharField(_("licence type"), max_length=120, blank=True)
    licence_body = models.CharField(_("licensing body"), max_length=200, blank=True)
    licence_number = models.CharField(_("licence number"), max_length=60, blank=True)
    cost = models.TextField(_("cost"), blank=True)
    insurance = models.TextField(_("insurance accepted"), blank=True)
    capacity = models.PositiveSmallIntegerField(_("most people at once"), default=0)
    service = models.ForeignKey(
        "directory.Service", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    active = models.BooleanField(_("taking referrals"), default=True)

    class Meta:
        verbose_name = _("professional profile")
        verbose_name_plural = _("professional profiles")

    def __str__(self) -> str:
        return f"professional profile {self.pk}"


class MatchingWishes(WeeklyHours):
    """What a help-seeker asks of a peer supporter. Only what the person states is stored.

    Their free text is about their own life, so it is encrypted at rest (carepath.encryption); a
    supporter's profile text is written to be shown to people looking for support, so it is not.
    """

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="matching_wishes"
    )
    topics = models.JSONField(_("topics in common"), default=list, blank=True)
    experience = EncryptedTextField(_("what I want to share"), blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    max_distance_km = models.FloatField(_("furthest I will travel (km)"), null=True, blank=True)
    # Peer supporter profile ids the person does not want to be matched with.
    excluded_supporters = models.JSONField(_("supporters I do not want"), default=list, blank=True)
    stated_preferences = EncryptedTextField(_("anything else about the supporter"), blank=True)

    class Meta:
        verbose_name = _("matching wishes")
        verbose_name_plural = _("matching wishes")

    def __str__(self) -> str:
        return f"matching wishes {self.pk}"


class ReferralEpisode(models.Model):
    """The episode of support a referral opened, so that ending the referral ends that episode.

    Kept here rather than on either side: a referral and an episode each stand alone (an episode
    may be recorded by the person with no referral, and a referral may never become active), and
    matching is where a person and a supporter meet. One episode may follow more than one referral
    with the same supporter, when a new one becomes active while the old episode is still open.
    """

    referral = models.OneToOneField(
        "referrals.Referral", on_delete=models.CASCADE, related_name="episode_link"
    )
    episode = models.ForeignKey("outcomes.Episode", on_delete=models.CASCADE, related_name="referral_links")

    class Meta:
        verbose_name = _("episode of a referral")
        verbose_name_plural = _("episodes of referrals")

    def __str__(self) -> str:
        return f"referral {self.referral_id} -> episode {self.episode_id}"
