from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CrisisConfig(AppConfig):
    name = "carepath.crisis"
    label = "crisis"
    verbose_name = _("Crisis help")

    def ready(self) -> None:
        from carepath.crisis import checks  # noqa: F401  (registers the system check)
