from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    name = "carepath.screening"
    label = "screening"
    verbose_name = _("Screening questionnaires")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from carepath.screening import checks  # noqa: F401  (registers the system check)
