"""Recovery codes, kept only as salted hashes: whoever reads the database cannot sign in with them.

django-otp's own recovery-code device (otp_static) stores each code as it is typed, so this is
our device in its place: a django-otp `Device`, so a session verified with it is verified as with
any other, with the same throttling (1, 2, 4, 8… seconds must pass after successive wrong codes)
and one-time use (a code's row is deleted when it is accepted).

Each code is 12 random base32 characters (60 bits) and only HMAC-SHA256 of it, keyed with a random
salt of its own, is stored. A fast hash is right here: slow hashes exist to protect guessable
passwords, and 60 random bits cannot be guessed (at a billion hashes a second one code would take
decades, per code, as every code has its own salt). It also keeps the sign-in step quick, which
checks a typed code against each stored hash of the account in turn.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from base64 import b32encode
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin, TimestampMixin

RECOVERY_CODE_BYTES = 8  # 64 random bits drawn; the 12 base32 characters kept carry 60 of them
RECOVERY_CODE_LENGTH = 12
SALT_BYTES = 16


def new_recovery_code() -> str:
    return b32encode(secrets.token_bytes(RECOVERY_CODE_BYTES)).decode("ascii").lower()[:RECOVERY_CODE_LENGTH]


def new_salt() -> str:
    return secrets.token_hex(SALT_BYTES)


def recovery_code_digest(salt: str, code: str) -> str:
    """HMAC-SHA256 of a (normalised) code, keyed with its own salt. The data migration uses it too."""
    return hmac.new(salt.encode("ascii"), code.encode("utf-8"), hashlib.sha256).hexdigest()


class RecoveryCodeDevice(TimestampMixin, ThrottlingMixin, Device):  # type: ignore[misc]
    """An account's set of recovery codes; at most one per account."""

    class Meta:
        verbose_name = _("recovery codes")
        verbose_name_plural = _("recovery codes")

    def get_throttle_factor(self) -> Any:
        return getattr(settings, "OTP_STATIC_THROTTLE_FACTOR", 1)

    def verify_token(self, token: Any) -> bool:
        allowed, _why = self.verify_is_allowed()
        if not allowed or not isinstance(token, str):
            return False
        match = next((code for code in self.codes.all() if code.matches(token)), None)
        if match is None:
            self.throttle_increment()
            return False
        match.delete()
        self.throttle_reset(commit=False)
        self.set_last_used_timestamp(commit=False)
        self.save()
        return True


class RecoveryCode(models.Model):
    device = models.ForeignKey(RecoveryCodeDevice, on_delete=models.CASCADE, related_name="codes")
    salt = models.CharField(max_length=2 * SALT_BYTES)
    digest = models.CharField(_("HMAC-SHA256 of the code"), max_length=64)

    class Meta:
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")

    def __str__(self) -> str:
        return f"recovery code {self.pk} of {self.device}"  # never the code, which is not stored

    @classmethod
    def for_code(cls, device: RecoveryCodeDevice, code: str) -> RecoveryCode:
        salt = new_salt()
        return cls(device=device, salt=salt, digest=recovery_code_digest(salt, code))

    def matches(self, code: str) -> bool:
        return hmac.compare_digest(self.digest, recovery_code_digest(self.salt, code))
