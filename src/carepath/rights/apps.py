from django.apps import AppConfig


class RightsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "carepath.rights"
    verbose_name = "The person's rights: export and erasure"
