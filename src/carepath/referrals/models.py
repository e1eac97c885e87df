"""Referrals (a person's request for contact, then the support relationship it becomes), their
status history, contact logs, consented hand-offs to professionals, and in-app notices.

Statuses and their moves are decided in `carepath_core.referrals`; these rows only keep them.
Reasons, contact notes and the shared snapshot are encrypted at rest (carepath.encryption).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from carepath.encryption.fields import EncryptedJSONField, EncryptedTextField
from carepath_core.referrals import Channel, HandOffStatus, Status, SupportKind


class KindChoices(models.TextChoices):
    PEER = SupportKind.PEER.value, _("Peer support")
    PROFESSIONAL = SupportKind.PROFESSIONAL.value, _("Professional support")


class StatusChoices(models.TextChoices):
    REQUESTED = Status.REQUESTED.value, _("Waiting for an answer")
    ACTIVE = Status.ACTIVE.value, _("Active")
    DECLINED = Status.DECLINED.value, _("Declined")
    WITHDRAWN = Status.WITHDRAWN.value, _("Withdrawn")
    ENDED = Status.ENDED.value, _("Ended")


OPEN = [Status.REQUESTED.value, Status.ACTIVE.value]


class Referral(models.Model):
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="referrals_made"
    )
    supporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="referrals_received"
    )
    kind = models.CharField(_("kind of support"), max_length=16, choices=KindChoices.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=StatusChoices.choices, default=StatusChoices.REQUESTED
    )
    # Set when a peer supporter handed the person on with their consent: the frozen snapshot of
    # what the person agreed to share lives on the hand-off.
    hand_off = models.OneToOneField(
        "HandOff", null=True, blank=True, on_delete=models.SET_NULL, related_name="referral"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["supporter", "status"]), models.Index(fields=["person", "status"])]
        constraints = [
            # One open request or relationship per pair: asking twice would only be noise.
            models.UniqueConstraint(
                fields=["person", "supporter"],
                condition=models.Q(status__in=OPEN),
                name="referrals_one_open_per_pair",
            ),
        ]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")

    def __str__(self) -> str:
        return f"referral {self.pk} ({self.kind}, {self.status})"

    @property
    def status_enum(self) -> Status:
        return Status(self.status)


class StatusChange(models.Model):
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="history")
    # The account may be erased later; `by_side` still says which end of the relationship acted.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    by_side = models.CharField(max_length=16)
    from_status = models.CharField(max_length=16, blank=True)  # blank: the request was made
    to_status = models.CharField(max_length=16, choices=StatusChoices.choices)
    reason = EncryptedTextField(_("reason"), blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} -> {self.to_status}"


class ChannelChoices(models.TextChoices):
    IN_PERSON = Channel.IN_PERSON.value, _("In person")
    PHONE = Channel.PHONE.value, _("Phone")
    VIDEO = Channel.VIDEO.value, _("Video")
    TEXT = Channel.TEXT.value, _("Text messages")


class NoteKind(models.TextChoices):
    PEER = "peer", _("Peer note")
    CLINICAL = "clinical", _("Clinical note")


class ContactEntry(models.Model):
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="contacts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    happened_on = models.DateField(_("date"))
    channel = models.CharField(_("how"), max_length=16, choices=ChannelChoices.choices)
    minutes = models.PositiveSmallIntegerField(_("length in minutes"))
    # Kept beside the note so every query that may reach a peer supporter can leave clinical
    # notes out by value, not by remembering which relationship they came from.
    note_kind = models.CharField(max_length=16, choices=NoteKind.choices)
    note = EncryptedTextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-happened_on", "-id"]

    def __str__(self) -> str:
        return f"contact {self.pk} on {self.happened_on:%Y-%m-%d}"


class HandOffStatusChoices(models.TextChoices):
    ASKED = HandOffStatus.ASKED.value, _("Waiting for the person's answer")
    AGREED = HandOffStatus.AGREED.value, _("Agreed")
    DECLINED = HandOffStatus.DECLINED.value, _("Declined")


class HandOff(models.Model):
    # A peer who leaves Carepath takes their side with them, but not what the person agreed to
    # share with the professional: that stays with the person and the professional. The person
    # leaving takes everything (the person link cascades).
    peer_referral = models.ForeignKey(
        Referral, null=True, blank=True, on_delete=models.SET_NULL, related_name="hand_offs"
    )
    # Copied from the peer referral so the policy can decide without another query.
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    peer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    professional = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = EncryptedTextField(_("why a professional could help"))
    status = models.CharField(
        max_length=16, choices=HandOffStatusChoices.choices, default=HandOffStatusChoices.ASKED
    )
    asked_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    # Empty until the person agrees; then exactly what they were shown, never updated again.
    snapshot = EncryptedJSONField(null=True, blank=True)

    class Meta:
        ordering = ["-asked_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["peer_referral"],
                condition=models.Q(status=HandOffStatus.ASKED.value),
                name="referrals_one_waiting_hand_off",
            ),
        ]

    def __str__(self) -> str:
        return f"hand-off {self.pk} ({self.status})"


class NoticeKind(models.TextChoices):
    REQUESTED = "referral.requested", _("Request for contact")
    ACCEPTED = "referral.accepted", _("Request accepted")
    DECLINED = "referral.declined", _("Request declined")
    WITHDRAWN = "referral.withdrawn", _("Request withdrawn")
    ENDED = "referral.ended", _("Relationship ended")
    HAND_OFF_ASKED = "hand_off.asked", _("Hand-off to a professional suggested")
    HAND_OFF_AGREED = "hand_off.agreed", _("Hand-off agreed")
    HAND_OFF_DECLINED = "hand_off.declined", _("Hand-off declined")


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=32, choices=NoticeKind.choices)
    text = models.CharField(max_length=300)
    link = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        # The header's count is one query on this index.
        indexes = [models.Index(fields=["recipient", "read_at"])]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return f"notification {self.pk} ({self.kind})"
