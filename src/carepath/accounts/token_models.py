"""Personal access tokens: how a program uses the API as one person, with that person's permissions.

A token is `cpat_` followed by 32 random bytes (URL-safe base64). Only its SHA-256 is stored, with
its first characters so its owner can tell tokens apart; the token itself is shown once, when it
is made. A fast hash is right here: a slow, salted one protects guessable passwords, and 32 random
bytes cannot be guessed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TOKEN_PREFIX = "cpat_"  # nosec B105 # the public prefix of API tokens, not a token
NAME_MAX_LENGTH = 80
SHOWN_CHARACTERS = 12  # the prefix and 7 random characters: enough to recognise, far too few to use


def new_token_text() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_digest(token_text: str) -> str:
    return hashlib.sha256(token_text.encode("utf-8")).hexdigest()


class ApiTokenState(models.TextChoices):
    ACTIVE = "active", _("Active")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")


class ApiToken(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("owner")
    )
    name = models.CharField(_("name"), max_length=NAME_MAX_LENGTH)
    prefix = models.CharField(_("first characters"), max_length=16)
    digest = models.CharField(_("SHA-256 of the token"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def state_at(self, moment: dt.datetime) -> ApiTokenState:
        if self.revoked_at is not None:
            return ApiTokenState.REVOKED
        if self.expires_at is not None and self.expires_at <= moment:
            return ApiTokenState.EXPIRED
        return ApiTokenState.ACTIVE

    @property
    def state(self) -> ApiTokenState:
        return self.state_at(timezone.now())
