from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutcomesConfig(AppConfig):
    name = "carepath.outcomes"
    label = "outcomes"
    verbose_name = _("Outcomes and effectiveness")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from carepath.outcomes import checks  # noqa: F401  (registers the system check)
