from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EncryptionConfig(AppConfig):
    name = "carepath.encryption"
    label = "encryption"
    verbose_name = _("Encryption at rest")
