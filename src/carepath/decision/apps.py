from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecisionConfig(AppConfig):
    name = "carepath.decision"
    label = "decision"
    verbose_name = _("Decision aid")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from carepath.decision import checks  # noqa: F401  (registers the system check)
