from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "carepath.accounts"
    label = "accounts"
    verbose_name = _("Accounts")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Connects sign-in signals to the services that audit them.
        from carepath.accounts import signals  # noqa: F401

        # Starts the staff inactivity clock at log-in (carepath.web.idle_timeout).
        from carepath.web import idle_timeout  # noqa: F401
