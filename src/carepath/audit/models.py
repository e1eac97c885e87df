"""Audit events: who did what to which record, when, and how it ended.

Events form a hash chain (carepath_core.audit_chain): each stores its place in the chain
(`sequence`), the hash of the event before it and its own hash. `AuditChainHead` is the chain's last
link, a single row every writer locks so that two transactions never append to the same link.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carepath_core.audit_chain import CHAIN_VERSION, GENESIS_HASH


class AuditAction(models.TextChoices):
    SIGNUP = "account.signup", _("Signed up")
    LOGIN = "auth.login", _("Logged in")
    LOGIN_FAILED = "auth.login_failed", _("Failed login")
    LOCKED_OUT = "auth.locked_out", _("Locked out after repeated failures")
    LOGOUT = "auth.logout", _("Logged out")
    PASSWORD_CHANGED = "auth.password_changed", _("Changed password")
    PASSWORD_RESET = "auth.password_reset", _("Reset password by email link")
    ROLE_CHANGED = "account.role_changed", _("Role changed")
    DEMO_LOADED = "system.demo_loaded", _("Demo data loaded")
    ASSESSMENT_SAVED = "assessment.saved", _("Check-in saved")
    ASSESSMENT_VIEWED = "assessment.viewed", _("Check-in viewed")
    ASSESSMENT_EXPORTED = "assessment.exported", _("Check-in exported")
    RISK_FLAG_RAISED = "risk_flag.raised", _("Risk flag raised")
    RISK_FLAG_REVIEWED = "risk_flag.reviewed", _("Risk flag reviewed")
    RISK_CONSENT_CHANGED = "consent.risk_alerts", _("Consent to risk alerts changed")
    SAFETY_PLAN_SAVED = "safety_plan.saved", _("Safety plan saved")
    SAFETY_PLAN_EXPORTED = "safety_plan.exported", _("Safety plan exported")
    RULES_LOADED = "rules.loaded", _("Stepped-care rules loaded")
    RECOMMENDATION_SAVED = "recommendation.saved", _("Recommendation saved")
    HSDS_IMPORTED = "directory.hsds_imported", _("Directory data imported (HSDS)")
    DIRECTORY_RECORD_CREATED = "directory.record_created", _("Directory record created")
    DIRECTORY_RECORD_CHANGED = "directory.record_changed", _("Directory record changed")
    DIRECTORY_RECORD_DELETED = "directory.record_deleted", _("Directory record deleted")
    EPISODE_STARTED = "episode.started", _("Episode of support started")
    EPISODE_SESSION_RECORDED = "episode.session_recorded", _("Session recorded in an episode")
    EPISODE_ENDED = "episode.ended", _("Episode of support ended")
    CHECK_IN_REMINDER_SENT = "episode.reminder_sent", _("Check-in reminder sent")
    OUTCOMES_COSTS_IMPORTED = "outcomes.costs_imported", _("Episode costs imported")
    OUTCOMES_REPORT_READ = "report.outcomes_read", _("Programme outcomes report read")
    SUPPORTER_PROFILE_SAVED = "matching.supporter_profile_saved", _("Peer supporter profile saved")
    PROFESSIONAL_PROFILE_SAVED = "matching.professional_profile_saved", _("Professional profile saved")
    MATCHING_WISHES_SAVED = "matching.wishes_saved", _("Matching wishes saved")
    REFERRAL_REQUESTED = "referral.requested", _("Contact requested")
    REFERRAL_STATUS_CHANGED = "referral.status_changed", _("Referral status changed")
    CONTACT_LOGGED = "referral.contact_logged", _("Contact logged")
    HAND_OFF_ASKED = "hand_off.asked", _("Hand-off to a professional asked")
    HAND_OFF_CONSENT_VIEWED = "hand_off.consent_viewed", _("Hand-off consent screen viewed")
    HAND_OFF_AGREED = "hand_off.agreed", _("Hand-off agreed; snapshot shared")
    HAND_OFF_DECLINED = "hand_off.declined", _("Hand-off declined; nothing shared")
    HAND_OFF_SNAPSHOT_VIEWED = "hand_off.snapshot_viewed", _("Shared hand-off snapshot viewed")
    TOKEN_CREATED = "account.token_created", _("API token created")
    TOKEN_REVOKED = "account.token_revoked", _("API token revoked")
    AUDIT_TRAIL_READ = "audit.trail_read", _("Audit trail read")
    # Issue 8: two-factor sign-in, encryption keys, consent to share, reads of sensitive records,
    # the person's rights, backups.
    TWO_FACTOR_ENABLED = "auth.two_factor_enabled", _("Two-factor sign-in turned on")
    TWO_FACTOR_DISABLED = "auth.two_factor_disabled", _("Two-factor sign-in turned off")
    TWO_FACTOR_VERIFIED = "auth.two_factor_verified", _("Two-factor code accepted")
    TWO_FACTOR_FAILED = "auth.two_factor_failed", _("Two-factor code refused")
    KEYS_ROTATED = "system.keys_rotated", _("Encryption key rotated")
    SHARING_GRANTED = "consent.sharing_granted", _("Sharing allowed")
    SHARING_CHANGED = "consent.sharing_changed", _("Sharing changed")
    SHARING_WITHDRAWN = "consent.sharing_withdrawn", _("Sharing withdrawn")
    SHARED_RECORD_VIEWED = "consent.shared_record_viewed", _("Shared record viewed")
    SAFETY_PLAN_VIEWED = "safety_plan.viewed", _("Safety plan viewed")
    REFERRAL_VIEWED = "referral.viewed", _("Referral viewed")
    NOTES_VIEWED = "referral.notes_viewed", _("Notes viewed")
    NOTE_WRITTEN = "referral.note_written", _("Note written")
    CONTACT_LOG_VIEWED = "referral.contact_log_viewed", _("Contact log viewed")
    EPISODE_VIEWED = "episode.viewed", _("Episode of support viewed")
    ACCOUNT_EXPORTED = "account.exported", _("Account data exported")
    ACCOUNT_ERASED = "account.erased", _("Account erased")
    BACKUP_MADE = "system.backup_made", _("Backup made")
    BACKUP_RESTORED = "system.backup_restored", _("Backup restored")
    BATCH_ASSIGNMENT_RUN = "matching.batch_assignment_run", _("Batch assignment proposed")
    RECOVERY_CODES_RENEWED = "auth.recovery_codes_renewed", _("Two-factor recovery codes renewed")
    # Reading a person's sharing choices (who may see what) is a read of their consent.
    SHARING_VIEWED = "consent.sharing_viewed", _("Sharing choices viewed")


class AuditOutcome(models.TextChoices):
    SUCCESS = "success", _("Succeeded")
    FAILURE = "failure", _("Failed")
    DENIED = "denied", _("Denied")


class AuditEvent(models.Model):
    # Set by record_event once it holds the chain lock, so times rise with the sequence number.
    occurred_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    # The actor row may be erased later; the label keeps a pseudonymous trace of who acted.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The hash covers these instead of the link above, which erasing an account empties on purpose.
    actor_ref = models.CharField(max_length=64, blank=True, editable=False)
    actor_role = models.CharField(max_length=32, blank=True, editable=False)
    actor_label = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=64, choices=AuditAction.choices, db_index=True)
    outcome = models.CharField(max_length=16, choices=AuditOutcome.choices, default=AuditOutcome.SUCCESS)
    subject_type = models.CharField(max_length=64, blank=True)
    subject_id = models.CharField(max_length=64, blank=True)
    details = models.JSONField(default=dict, blank=True)
    sequence = models.PositiveBigIntegerField(unique=True, editable=False)
    previous_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, editable=False)
    hash_version = models.PositiveSmallIntegerField(default=CHAIN_VERSION, editable=False)
    # Chain version 2: the random key of the digest the hash covers instead of the label and the
    # details. Erasing an account's events empties label, details and salt and keeps the digest
    # (carepath_core.audit_chain.erased), so the chain still verifies and nothing can be read back.
    personal_salt = models.CharField(max_length=64, blank=True, editable=False)
    personal_digest = models.CharField(max_length=64, blank=True, editable=False)
    erased_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["subject_type", "subject_id"])]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_label or '-'} {self.action} {self.outcome}"


class AuditChainHead(models.Model):
    """The chain's last link. One row (id 1), locked by every writer for the rest of its transaction."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    sequence = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self) -> str:
        return f"{self.sequence}:{self.hash}"


class AuditChainCheck(models.Model):
    """The result of one `carepath audit verify` run, so the audit page can show the latest."""

    checked_at = models.DateTimeField(default=timezone.now, db_index=True)
    intact = models.BooleanField()
    events = models.PositiveBigIntegerField(default=0)
    last_sequence = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, blank=True)
    problem = models.TextField(blank=True)

    class Meta:
        ordering = ["-checked_at", "-id"]
        verbose_name = _("audit chain check")

    def __str__(self) -> str:
        return f"{self.checked_at:%Y-%m-%d %H:%M} {'intact' if self.intact else 'broken'}"
