"""A person's sharing choices: for each recipient, which of the four scopes they may see now.

A recipient is either one account (a peer supporter or professional) or one directory
organisation (every supporter whose profile links a service of that organisation and who is in an
active relationship with the person). The row holds only the current state and when it last
changed; the history is the audit trail (`consent.sharing_*` events carry the scopes before and
after). Nothing is shared by default: no row, or a row with every scope off, shares nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carepath.sharing.scopes import Scope


class SharingChoice(models.Model):
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sharing_choices"
    )
    # A supporter who leaves Carepath takes the choices made for them along (nothing to share with).
    recipient_account = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # Directory records are linked without a database constraint (see directory.models.base): an
    # organisation re-imported under the same HSDS id is the same organisation, and keeps the choice.
    recipient_organization = models.ForeignKey(
        "directory.Organization",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    screening_results = models.BooleanField(_("check-in results"), default=False)
    safety_plan = models.BooleanField(_("safety plan"), default=False)
    notes = models.BooleanField(_("peer notes"), default=False)
    contact_details = models.BooleanField(_("contact details"), default=False)
    changed_at = models.DateTimeField(_("last changed"), default=timezone.now)

    class Meta:
        ordering = ["person", "id"]
        verbose_name = _("sharing choice")
        verbose_name_plural = _("sharing choices")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(recipient_account__isnull=False, recipient_organization__isnull=True)
                    | Q(recipient_account__isnull=True, recipient_organization__isnull=False)
                ),
                name="sharing_one_recipient",
            ),
            models.UniqueConstraint(
                fields=["person", "recipient_account"],
                condition=Q(recipient_account__isnull=False),
                name="sharing_one_choice_per_account",
            ),
            models.UniqueConstraint(
                fields=["person", "recipient_organization"],
                condition=Q(recipient_organization__isnull=False),
                name="sharing_one_choice_per_organization",
            ),
        ]
        # The policy's question, asked on every shared read: this person's rows for one recipient.
        indexes = [models.Index(fields=["recipient_account", "person"], name="sharing_by_account")]

    def __str__(self) -> str:
        return f"sharing choice {self.pk}"

    @property
    def scopes(self) -> frozenset[Scope]:
        return frozenset(scope for scope in Scope if getattr(self, scope.value))

    def set_scopes(self, scopes: frozenset[Scope]) -> None:
        for scope in Scope:
            setattr(self, scope.value, scope in scopes)
