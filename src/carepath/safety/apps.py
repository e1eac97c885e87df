from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SafetyConfig(AppConfig):
    name = "carepath.safety"
    label = "safety"
    verbose_name = _("Safety plans and risk flags")
    default_auto_field = "django.db.models.BigAutoField"
