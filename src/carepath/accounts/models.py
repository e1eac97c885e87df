"""The Carepath account: one custom user model with a single role."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

# The API token and recovery-code models live in their own modules; importing them here is what
# registers them with the app.
from carepath.accounts.token_models import ApiToken  # noqa: F401
from carepath.accounts.two_factor_models import RecoveryCode, RecoveryCodeDevice  # noqa: F401
from carepath_core.roles import Role


class RoleChoices(models.TextChoices):
    HELP_SEEKER = Role.HELP_SEEKER.value, _("Person seeking support")
    PEER_SUPPORTER = Role.PEER_SUPPORTER.value, _("Peer supporter")
    PROFESSIONAL = Role.PROFESSIONAL.value, _("Professional")
    COORDINATOR = Role.COORDINATOR.value, _("Coordinator")


class CarepathUserManager(UserManager["User"]):
    def create_superuser(
        self, username: str, email: str | None = None, password: str | None = None, **extra: Any
    ) -> User:
        extra.setdefault("role", Role.COORDINATOR.value)
        return super().create_superuser(username, email, password, **extra)


# django-otp ships no types, so the type checker cannot see the manager of the reverse relation from
# the recovery-code device (carepath.accounts.two_factor_models); nothing uses that relation.
class User(AbstractUser):  # type: ignore[django-manager-missing]
    role = models.CharField(
        _("role"), max_length=32, choices=RoleChoices.choices, default=RoleChoices.HELP_SEEKER
    )
    display_name = models.CharField(
        _("name to show"), max_length=120, blank=True, help_text=_("Optional. Any name you like.")
    )

    objects: ClassVar[CarepathUserManager] = CarepathUserManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                Lower("email"), name="accounts_user_email_unique", condition=~models.Q(email="")
            ),
        ]

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    @property
    def shown_name(self) -> str:
        return self.display_name or self.get_username()

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Django admin needs is_staff; it follows the role so the role stays the one source of truth.
        self.is_staff = self.is_superuser or self.role == Role.COORDINATOR
        super().save(*args, **kwargs)
